"""A failure scenario's demand: the failed system's partitions as each kind of destination sees them.

The partitions that must run elsewhere (not VIOS, in scope, not preemptible, running unless the
plan also restarts inactive ones) are chosen once per sizing for the whole estate (`Kept`), as
arrays; a scenario then slices its system's rows. Destinations of one kind (per-core rating,
memory block size) see a partition alike, so the numbers are kept per kind, (n, u), with `col`
mapping each of the m destinations to its kind: 999 survivors of 13 kinds cost 13 columns. The
arithmetic is analysis.demand's (`on_target_numbers`, `hpt_mb`), shared with fits_on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hatoolkit.analysis.demand import DEFAULT_POOL, hpt_mb, on_target_numbers
from hatoolkit.analysis.supply import SupplyTable
from hatoolkit.analysis.supply_where import Where
from hatoolkit.model.plan import Plan


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


@dataclass
class Kept:
    """The partitions to restart elsewhere, at one sizing, for every system (analysis.demand columns)."""

    frame: pd.DataFrame
    bounds: dict[str, tuple[int, int]]  # system -> rows [start, stop) (frame is grouped by system)
    units: np.ndarray
    mem: np.ndarray
    hpt: np.ndarray
    known_mem: np.ndarray
    ded: np.ndarray
    pool: np.ndarray  # object: pool name (None for dedicated)
    named: np.ndarray  # in a shared pool other than DefaultPool
    critical: np.ndarray

    def items(self, system: str) -> pd.DataFrame:
        start, stop = self.bounds.get(system, (0, 0))
        out = self.frame.iloc[start:stop]
        out.index = pd.RangeIndex(stop - start)
        return out


def kept_partitions(base: pd.DataFrame, plan: Plan) -> Kept:
    keep = np.array([not vios and plan.in_scope(s, _text(name)) and not plan.is_preemptible(s, _text(name))
                     and (running or plan.scope_inactive) for s, name, vios, running in
                     zip(base["system"], base["partition"], base["is_vios"], base["running"], strict=True)],
                    dtype=bool)
    kept = base[keep]
    order = np.argsort(pd.factorize(kept["system"])[0], kind="stable")  # group rows by system, keep their order
    frame = kept.take(order).reset_index(drop=True)
    codes, names = pd.factorize(frame["system"])
    starts = np.searchsorted(codes, np.arange(len(names)), side="left")
    stops = np.searchsorted(codes, np.arange(len(names)), side="right")
    pool = np.array(frame["pool_name"].tolist(), dtype=object)
    ded = (frame["proc_mode"] == "ded").to_numpy(dtype=bool)
    return Kept(
        frame=frame, bounds={n: (int(a), int(b)) for n, a, b in zip(names, starts, stops, strict=True)},
        units=frame["proc_units"].to_numpy(dtype=float), mem=frame["mem_mb"].to_numpy(dtype=float),
        hpt=hpt_mb(frame["max_mem_mb"].to_numpy(dtype=float), frame["hpt_ratio"].to_numpy(dtype=float)),
        known_mem=frame["known_mem"].to_numpy(dtype=bool), ded=ded, pool=pool,
        named=np.array([isinstance(x, str) and x != DEFAULT_POOL for x in pool], dtype=bool),
        critical=np.array([plan.is_critical(s, _text(n)) for s, n in zip(frame["system"], frame["partition"],
                                                                            strict=True)], dtype=bool))


@dataclass
class Demand:
    """A scenario's partitions at one sizing, per kind of destination (their frame is built when read)."""

    kept: Kept
    failed: str
    col: np.ndarray  # (m,) kind of each destination
    proc: np.ndarray  # (n, u) processing units on each kind (NaN unknown)
    mem: np.ndarray  # (n, u) MB on each kind (NaN unknown)
    factor: np.ndarray  # (n, u) rPerf scale
    slot: np.ndarray | None  # (n, m) index into the scenario's capped pools, -1 none, -2 unknown; None: all -1
    critical: np.ndarray  # (n,) plan.critical
    ded: np.ndarray  # (n,) dedicated processors
    named: np.ndarray  # (n,) in a named (non-default) shared pool

    @functools.cached_property
    def items(self) -> pd.DataFrame:
        return self.kept.items(self.failed)

    @property
    def pool_slot(self) -> np.ndarray:
        return self.slot if self.slot is not None else np.full((len(self.ded), len(self.col)), -1, dtype=np.int64)


def scenario_demand(kept: Kept, table: SupplyTable, w: Where, failed: str) -> Demand:
    """The failed system's partitions on each kind of the scenario's destinations."""
    start, stop = kept.bounds.get(failed, (0, 0))
    rows = slice(start, stop)
    src = table.index.get(failed, -1)
    src_code = table.rating_code[src] if src >= 0 else -1
    kinds = np.where(w.idx >= 0, table.kind[np.clip(w.idx, 0, None)], -1) if len(w.idx) else w.idx
    uniq, col = np.unique(kinds, return_inverse=True)
    present = uniq >= 0
    dst_code = np.where(present, table.kind_rating[np.clip(uniq, 0, None)], -1) if len(uniq) else uniq
    rated = (dst_code >= 0) & (src_code >= 0)
    f = np.where(rated, table.scale_table[max(src_code, 0), np.clip(dst_code, 0, None)] if rated.any() else 1.0, 1.0)
    lmb = np.where(present, table.kind_lmb[np.clip(uniq, 0, None)], np.nan) if len(uniq) else np.zeros(0)
    n, m = stop - start, len(w.idx)
    ded = kept.ded[rows]
    proc_u, mem_t = on_target_numbers(kept.units[rows, None], ded[:, None], kept.mem[rows, None], f[None, :],
                                      lmb[None, :])
    proc_u = np.where((present & rated)[None, :], proc_u, np.nan)
    mem_u = np.where(kept.known_mem[rows, None], mem_t + kept.hpt[rows, None], np.nan)
    slot = None
    names = kept.pool[rows]
    shared = ~ded & np.array([isinstance(x, str) for x in names], dtype=bool)
    pool_names = np.array([table.pools[k].name for k in w.pool_k], dtype=object)
    blind = np.flatnonzero(w.blind)
    for pname in set(names[shared]):
        hit = np.flatnonzero(shared & (names == pname))
        ks = np.flatnonzero(pool_names == pname)
        unknown = pname != DEFAULT_POOL and blind.size
        if ks.size or unknown:
            slot = np.full((n, m), -1, dtype=np.int64) if slot is None else slot
            slot[np.ix_(hit, w.pool_t[ks])] = ks
            if unknown:
                slot[np.ix_(hit, blind)] = -2
    return Demand(kept, failed, np.asarray(col, dtype=np.int64).ravel(), proc_u, mem_u, np.broadcast_to(f, (n, len(uniq))),
                  slot, kept.critical[rows], ded, kept.named[rows])
