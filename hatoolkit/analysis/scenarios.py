"""Failure scenarios, evaluation variants and the placement result they produce.

Scenarios come from the plan: a failover pair (production -> backup), every member of an N+1
pool (its loss -> the survivors), and, with neither, the documented default: every system must
survive the loss of any one other. Each pair also gets a `reverse` scenario (backup ->
production) so an asymmetric pair is visible. A variant is a sizing policy, with or without
shutting the destinations' preemptible partitions, with or without activating inactive CoD.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan

STATUS_RANK = {"fits": 0, "unknown": 1, "does_not_fit": 2}
DIMENSIONS = ("proc", "mem", "pool")  # system processors, system memory, shared-pool caps


@dataclass(frozen=True)
class Scenario:
    """One failure: `failed` goes down, its partitions must run on `destinations`."""

    failed: str
    destinations: tuple[str, ...]
    kind: str  # pair | pool | any | reverse
    pool: str | None = None
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Scenarios key every cache; hashing 999 destination names on each look-up would cost more than the look-up.
        object.__setattr__(self, "_hash", hash((self.failed, self.destinations, self.kind, self.pool)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def destination(self) -> str:
        return ";".join(self.destinations)

    @property
    def label(self) -> str:
        where = f"pool {self.pool}: " if self.pool else ("reverse: " if self.kind == "reverse" else "")
        return f"{where}{self.failed} -> {', '.join(self.destinations)}"


@dataclass(frozen=True)
class Variant:
    sizing: str
    preempt: bool
    cod: bool

    @property
    def label(self) -> str:
        return self.sizing + (" +preempt" if self.preempt else "") + (" +CoD" if self.cod else "")


def scenarios_of(inv: Inventory, plan: Plan) -> tuple[Scenario, ...]:
    """The plan's failure scenarios (pairs, pool members, reverse pairs), or every system vs the rest."""
    out: list[Scenario] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()

    def add(sc: Scenario) -> None:
        key = (sc.failed, sc.destinations)
        if key not in seen:
            seen.add(key)
            out.append(sc)

    for pair in plan.pairs:
        add(Scenario(pair.production, (pair.backup,), "pair"))
    for pool in plan.pools:
        for system in pool.systems:
            add(Scenario(system, tuple(s for s in pool.systems if s != system), "pool", pool.name))
    if not plan.pairs and not plan.pools:
        # "Survive the loss of any one other" needs an other: a lone system gives no scenario (and
        # the checks report zero evaluated, not a pass).
        systems = tuple(sorted(inv.systems["system"]))
        unique = len(set(systems)) == len(systems)
        for i, system in enumerate(systems if len(systems) > 1 else ()):
            others = systems[:i] + systems[i + 1:] if unique else tuple(s for s in systems if s != system)
            add(Scenario(system, others, "any"))
    for pair in plan.pairs:
        add(Scenario(pair.backup, (pair.production,), "reverse"))
    return tuple(out)


@dataclass
class PlacementData:
    """The arrays behind a placement; its frames are built from them only when someone reads them."""

    destinations: tuple[str, ...]
    partitions: pd.DataFrame | Callable[[], pd.DataFrame]  # the scenario's partitions (analysis.demand columns) ...
    rows: np.ndarray | None  # ... of which this placement places these (None: all)
    critical: np.ndarray  # (n,)
    proc: np.ndarray  # (n, u) processing units on each kind of destination (NaN unknown)
    mem: np.ndarray  # (n, u) MB on each kind of destination
    factor: np.ndarray  # (n, u) rPerf scale
    assignment: np.ndarray  # (n,) destination index, -1 unplaced
    supplies: Sequence  # analysis.supply.Supply or None, per destination (option-independent fields)
    cap_p: np.ndarray  # (m,) processing units the variant offers (NaN unknown)
    cap_m: np.ndarray  # (m,) MB
    preempt: bool
    # Destinations alike in per-core performance and memory block size see a partition alike: `col`
    # maps each of the m destinations to its kind (a column of proc/mem/factor). None: u = m.
    col: np.ndarray | None = None

    def column(self, t: np.ndarray) -> np.ndarray:
        return t if self.col is None else self.col[t]

    @functools.cached_property
    def sub(self) -> pd.DataFrame:
        """The partitions this placement places (built when first read)."""
        frame = self.partitions() if callable(self.partitions) else self.partitions
        if self.rows is None:
            return frame
        out = frame.take(self.rows)
        out.index = pd.RangeIndex(len(out))
        return out

    @property
    def size(self) -> int:
        return len(self.critical)


def row_min(a: np.ndarray) -> np.ndarray:
    """Smallest known value per row (the most favourable destination); NaN when none is known."""
    low = np.where(np.isnan(a), np.inf, a).min(axis=1, initial=np.inf)
    return np.where(np.isfinite(low), low, np.nan)


def items_frame(d: PlacementData) -> pd.DataFrame:
    n = len(d.sub)
    placed = d.assignment >= 0
    idx = np.where(placed, d.assignment, 0)
    rows = np.arange(n)

    def pick(a: np.ndarray) -> np.ndarray:
        return np.where(placed, a[rows, d.column(idx)], np.nan) if a.shape[1] else np.full(n, np.nan)

    return pd.DataFrame({
        "system": d.sub["system"], "lpar_id": d.sub["lpar_id"], "partition": d.sub["partition"],
        "lpar_env": d.sub["lpar_env"], "proc_mode": d.sub["proc_mode"], "pool_name": d.sub["pool_name"],
        "critical": d.critical, "basis": d.sub["basis"],
        "proc_units": d.sub["proc_units"], "mem_mb": d.sub["mem_mb"],
        "target": pd.Series([d.destinations[t] if t >= 0 else None for t in d.assignment], dtype="str"),
        "proc_units_target": np.round(pick(d.proc), 2), "mem_mb_target": pick(d.mem),
        "rperf_scale": pick(d.factor),
        "proc_units_min": np.round(row_min(d.proc), 2),
        "mem_mb_min": row_min(d.mem),
    })


def targets_frame(d: PlacementData) -> pd.DataFrame:
    m = len(d.destinations)
    placed = d.assignment >= 0
    where = d.assignment[placed]
    rows = np.flatnonzero(placed)
    kind = d.column(where)
    used_p = np.bincount(where, weights=np.nan_to_num(d.proc[rows, kind]), minlength=m) if m else np.zeros(0)
    used_m = np.bincount(where, weights=np.nan_to_num(d.mem[rows, kind]), minlength=m) if m else np.zeros(0)
    count = np.bincount(where, minlength=m) if m else np.zeros(0, dtype=np.int64)

    def attr(name: str, default: object = None) -> list:
        return [getattr(s, name) if s is not None else default for s in d.supplies]

    def known(values: np.ndarray) -> list:
        return [None if np.isnan(x) else float(x) for x in values]

    return pd.DataFrame({
        "target": list(d.destinations),
        "rperf_basis": [s.rating.basis if s else "unknown" for s in d.supplies],
        "rperf_per_core": [s.rating.per_core if s else None for s in d.supplies],
        "proc_units_configurable": attr("configurable_proc_units"),
        "proc_units_avail": attr("proc_units_avail"),
        "proc_units_preemptible": attr("preemptible_proc_units"),
        "proc_units_cod": attr("cod_proc_units"),
        "proc_units_supply": known(d.cap_p),
        "proc_units_placed": np.round(used_p, 2),
        "proc_units_free": known(np.round(d.cap_p - used_p, 2)),
        "mem_mb_configurable": attr("configurable_mem_mb"),
        "mem_mb_avail": attr("mem_mb_avail"),
        "mem_mb_preemptible": attr("preemptible_mem_mb"),
        "mem_mb_cod": attr("cod_mem_mb"),
        "mem_mb_supply": known(d.cap_m),
        "mem_mb_placed": used_m,
        "mem_mb_free": known(d.cap_m - used_m),
        "preempted": [",".join(s.preemptible) if s is not None and d.preempt else "" for s in d.supplies],
        "partitions_placed": count,
    })


@dataclass(eq=False)
class Placement:
    """The outcome of one scenario at one variant: status, placement, headroom per destination."""

    scenario: Scenario
    variant: Variant
    status: str  # fits | does_not_fit | unknown
    method: str  # how it was decided: ffd | milp | sum:<dimension> | oversize | trivial
    optimal: bool  # for a partial placement: proven to keep the most (critical-first) weight
    demand_proc_units: float  # each partition at its most favourable destination, summed
    demand_mem_mb: float
    supply_proc_units: float | None  # None: unknown
    supply_mem_mb: float | None
    missing: tuple[str, ...]
    dims: tuple[str, ...]
    data: PlacementData = field(repr=False)

    @functools.cached_property
    def items(self) -> pd.DataFrame:
        """One row per partition: where it goes (`target` empty when unplaced) and what it needs there."""
        return items_frame(self.data)

    @functools.cached_property
    def targets(self) -> pd.DataFrame:
        """One row per destination: supply by source, what was placed, what is left."""
        return targets_frame(self.data)

    @property
    def unplaced(self) -> list[str]:
        names = self.data.sub["partition"].tolist()
        return [n for n, t in zip(names, self.data.assignment, strict=True) if t < 0]

    @property
    def fits(self) -> bool:
        return self.status == "fits"

    def pressure(self) -> float:
        """Largest demand/supply ratio over processors and memory (inf when supply is zero)."""
        ratios = []
        for d, s in ((self.demand_proc_units, self.supply_proc_units), (self.demand_mem_mb, self.supply_mem_mb)):
            if s is not None:
                ratios.append(d / s if s > 0 else (np.inf if d > 0 else 0.0))
        return max(ratios, default=0.0)
