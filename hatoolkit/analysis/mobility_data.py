"""The inputs of LPM readiness, prepared once: who could move, in which mode, and to where.

A mover is every partition in the plan's scope that is not a VIOS: running partitions (and
those in Open Firmware) move *active*, partitions not activated move *inactive*; any other state
cannot move now. Candidate destinations are the plan's targets (failover pairs, pools) for the
systems the plan names, and every other managed system for the rest. Rules add one row per
blocker to a frame shaped by `blocker_rows`, with `destination` NA when the blocker holds for
every destination (a property of the partition itself).

An estate of 1,000 systems has close to a million (partition, destination) cells, so cells carry
integer positions: `src_i`/`dst_i` into `systems` (per-system facts are array look-ups, computed
once per system, never once per cell) and `mover_i` into `movers`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hatoolkit.analysis import vios as vio
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan

BLOCKER_COLUMNS = ("system", "lpar_id", "partition", "destination", "rule", "status", "resource", "message",
                   "evidence", "fix")
ALL_PAIRS_LIMIT = 24  # estates larger than this default to destinations on the same HMC (see destinations)
ACTIVE_STATES = frozenset({"running", "open firmware"})
INACTIVE_STATES = frozenset({"not activated"})
_PROFILE_COLUMNS = ("io_slots", "lhea_logical_ports", "bsr_arrays", "redundant_err_path_reporting",
                    "lpar_proc_compat_mode", "max_num_huge_pages", "desired_num_huge_pages")


@dataclass(frozen=True, eq=False)
class MobilityData:
    """Prepared frames: `movers` (one row per partition), `cells` (partition x destination), `systems`.

    `systems` is indexed by system name (one row per system); `cells` carries `src_i`, `dst_i`
    (positions in `systems`) and `mover_i` (position in `movers`).
    """

    inv: Inventory
    plan: Plan
    movers: pd.DataFrame
    cells: pd.DataFrame
    systems: pd.DataFrame

    def at(self, codes: np.ndarray, column: str) -> pd.Series:
        """A systems column at positions `codes` (-1 = not in the inventory: NA)."""
        return take(self.systems, codes, column)

    @functools.cached_property
    def moving(self) -> np.ndarray:
        """Per movable cell: "active", "inactive" (object array, computed once for every rule).

        Taken from the movers' modes by `mover_i`: converting a million cells' strings would cost
        more than every rule that reads them."""
        modes = self.movers["mode"].to_numpy(dtype=object)
        return modes[self.movable["mover_i"].to_numpy()] if len(modes) else np.zeros(0, dtype=object)

    @functools.cached_property
    def client_vlans(self) -> pd.DataFrame:
        """analysis.vios.client_vlans, read once for the rules that need it (VLAN bridging, IBM i hosting)."""
        return vio.client_vlans(self.inv)

    @functools.cached_property
    def active(self) -> np.ndarray:
        """Per movable cell: moves active (True) or inactive (False); a boolean, not a million string compares."""
        return self.moving == "active"

    @functools.cached_property
    def active_movers(self) -> pd.DataFrame:
        """Movers that would move active (running): selected once for the rules of live mobility."""
        return self.movers[self.movers["mode"] == "active"]

    @functools.cached_property
    def movable(self) -> pd.DataFrame:
        """Cells of partitions that could move now (active or inactive): most rules look only at these."""
        mode = self.cells["mode"]
        return self.cells if mode.notna().all() else self.cells[mode.notna().to_numpy(bool)]


def _mode(state: object) -> str | None:
    text = str(state).strip().lower() if isinstance(state, str) else ""
    return "active" if text in ACTIVE_STATES else ("inactive" if text in INACTIVE_STATES else None)


def current_profiles(inv: Inventory) -> pd.DataFrame:
    """The profile each partition runs (curr_profile), else its default, else its only profile."""
    p = inv.partitions[["system", "lpar_id", "curr_profile", "default_profile"]]
    prof = inv.profiles
    wanted = p.assign(profile=p["curr_profile"].fillna(p["default_profile"]))[["system", "lpar_id", "profile"]]
    hit = wanted.merge(prof, on=["system", "lpar_id", "profile"])
    only = prof[prof.groupby(["system", "lpar_id"])["profile"].transform("size").eq(1).fillna(False).to_numpy(bool)] \
        if not prof.empty else prof
    rest = only.merge(hit[["system", "lpar_id"]], on=["system", "lpar_id"], how="left", indicator=True)
    rest = rest[rest["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([f for f in (hit, rest) if not f.empty], ignore_index=True) if len(hit) or len(rest) else hit


def destinations(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """(system, destination) pairs: the plan's targets (failover pairs, pools) for systems it names as a
    source; for the others every other system, or, in estates of more than ALL_PAIRS_LIMIT systems, every
    other system managed by the same HMC (an all-pairs matrix grows with the square of the estate and
    stops being readable: name pools in plan.yaml to choose targets across HMCs)."""
    names = sorted(inv.systems["system"].dropna().unique().tolist())
    targets: dict[str, set[str]] = {}
    for pair in plan.pairs:
        targets.setdefault(pair.production, set()).add(pair.backup)
    for pool in plan.pools:
        for member in pool.systems:
            targets.setdefault(member, set()).update(s for s in pool.systems if s != member)
    hmc = dict(zip(inv.systems["system"], inv.systems["hmc"], strict=True)) if "hmc" in inv.systems else {}
    domains: dict[object, set[str]] = {}
    for name in names:
        domains.setdefault(hmc.get(name) if isinstance(hmc.get(name), str) else None, set()).add(name)
    everyone = set(names)

    def default(system: str) -> set[str]:
        if len(names) <= ALL_PAIRS_LIMIT:
            return everyone
        return domains[hmc.get(system) if isinstance(hmc.get(system), str) else None]

    pairs = [(s, sorted(d for d in targets.get(s) or default(s) if d != s)) for s in names]
    return pd.DataFrame({"system": [s for s, dests in pairs for _ in dests],  # columns, not a million tuples
                         "destination": [d for _, dests in pairs for d in dests]}, dtype="str")


@lru_cache(maxsize=8)
def prepare(inv: Inventory, plan: Plan) -> MobilityData:
    p = inv.partitions
    movers = p[p["lpar_env"].fillna("") != "vioserver"].copy()
    if not movers.empty:
        scope = [plan.in_scope(str(s), str(n))
                 for s, n in zip(movers["system"].tolist(), movers["name"].fillna("").tolist(), strict=True)]
        movers = movers[scope]
    movers = movers.rename(columns={"name": "partition"})
    codes, states = pd.factorize(movers["state"], use_na_sentinel=False)  # a fleet has a handful of states
    modes = np.array([_mode(s) for s in states] + [None], dtype=object)  # (+ one for an empty frame)
    movers["mode"] = pd.Series(modes[codes], index=movers.index, dtype="str")
    prof = current_profiles(inv)
    keep = ["system", "lpar_id", "profile", *[c for c in _PROFILE_COLUMNS if c in prof.columns]]
    prof = prof[keep].rename(columns={c: f"prof_{c}" for c in keep[2:]})
    movers = movers.merge(prof, on=["system", "lpar_id"], how="left").reset_index(drop=True)
    movers["partition"] = movers["partition"].fillna("lpar " + movers["lpar_id"].astype("str"))
    systems = inv.systems.drop_duplicates("system").set_index("system", drop=False)
    return MobilityData(inv, plan, movers, _cells(movers, destinations(inv, plan), systems.index), systems)


def _cells(movers: pd.DataFrame, dest: pd.DataFrame, names: pd.Index) -> pd.DataFrame:
    """movers x their destinations, in mover order then destination order (a merge, without the hashing)."""
    src = names.get_indexer(dest["system"])
    dst = names.get_indexer(dest["destination"])
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order]
    counts = np.bincount(src[src >= 0], minlength=len(names))
    starts = np.cumsum(counts) - counts
    m_src = names.get_indexer(movers["system"])
    per = np.where(m_src >= 0, counts[np.clip(m_src, 0, None)] if len(names) else 0, 0)
    mover_i = np.repeat(np.arange(len(movers)), per)
    offset = np.arange(len(mover_i)) - np.repeat(np.cumsum(per) - per, per)
    dst_i = dst[starts[m_src[mover_i]] + offset] if len(mover_i) else np.zeros(0, dtype=np.int64)
    src_i = m_src[mover_i]

    def col(name: str) -> pd.Series:
        return pd.Series(movers[name].array.take(mover_i), dtype=movers[name].dtype)

    cells = pd.DataFrame({"system": col("system"), "lpar_id": col("lpar_id"), "partition": col("partition"),
                          "lpar_env": col("lpar_env"), "mode": col("mode"),
                          "destination": pd.Series(pd.array(np.asarray(names, dtype=object), dtype="str").take(dst_i),
                                                   dtype="str")})
    return cells.assign(src_i=src_i.astype(np.int64), dst_i=dst_i.astype(np.int64), mover_i=mover_i.astype(np.int64))


def take(frame: pd.DataFrame, codes: np.ndarray, column: str) -> pd.Series:
    """frame[column] at row positions `codes` (-1 gives NA), as a Series with a fresh RangeIndex."""
    codes = np.asarray(codes, dtype=np.int64)
    if column not in frame.columns:
        return pd.Series([pd.NA] * len(codes), dtype=object)
    values = frame[column].array
    return pd.Series(values.take(codes, allow_fill=True), dtype=frame[column].dtype)


def blocker_rows(frame: pd.DataFrame, *, status: object = "fail", destination: object = None, resource: object = None,
                 message: object, evidence: object = None, fix: object = None) -> pd.DataFrame:
    """Blocker rows aligned with `frame` (which carries system, lpar_id, partition): values are Series or scalars."""
    if frame.empty:  # most selections of most rules are empty: the same columns and dtypes, without building them
        return empty_blockers()

    def col(value: object) -> pd.Series:
        if isinstance(value, pd.Series):
            return value.reindex(frame.index).astype("str")
        return pd.Series(value, index=frame.index, dtype="str")  # broadcast, not a list of n scalars

    out = pd.DataFrame({
        "system": frame["system"].astype("str"), "lpar_id": frame["lpar_id"].astype("Int64"),
        "partition": frame["partition"].astype("str"), "destination": col(destination), "rule": col(None),
        "status": col(status), "resource": col(resource), "message": col(message), "evidence": col(evidence),
        "fix": col(fix),
    })
    return out.reset_index(drop=True)


def arrow_at(values: pd.Series | pa.Array, at: np.ndarray) -> pa.Array:
    """Texts (one per partition, group or system) at each row's position `at`, as a pyarrow array.

    Rules phrase a message once per partition or destination and spread it over the cells; joining
    those pieces in pyarrow (`join_texts`) copies each cell's text once instead of once per `+`."""
    at = np.asarray(at, dtype=np.int64)
    texts = values if isinstance(values, pa.Array) else pa.array(values.astype("str"))
    return texts.take(pa.array(at, mask=at < 0))  # -1: not in the inventory, NA


def join_texts(*pieces: pa.Array | pa.Scalar) -> pa.Array:
    """Row-wise concatenation of pyarrow text arrays (NA where any piece is NA, as pandas' `+`)."""
    return pc.binary_join_element_wise(*pieces, pa.scalar("", pa.large_string()))


def text_series(values: pa.Array, like: pd.DataFrame) -> pd.Series:
    """A pyarrow text array as a str Series aligned with `like`."""
    return pd.Series(values, index=like.index, dtype="str")


_EMPTY = pd.DataFrame({c: pd.Series([], dtype="Int64" if c == "lpar_id" else "str") for c in BLOCKER_COLUMNS})


def empty_blockers() -> pd.DataFrame:
    """No blocker rows (a copy of one template: rules ask for this dozens of times per estate)."""
    return _EMPTY.copy()


def sys_value(data: MobilityData, systems: pd.Series, column: str) -> pd.Series:
    """A systems-frame column looked up for each system name in `systems` (NA when unknown)."""
    if column not in data.systems.columns:
        return pd.Series([pd.NA] * len(systems), index=systems.index, dtype=object)
    out = take(data.systems, data.systems.index.get_indexer(systems), column)
    out.index = systems.index
    return out


def side_value(data: MobilityData, frame: pd.DataFrame, side: str, values: pd.Series) -> pd.Series:
    """A per-system Series (aligned with `data.systems`) at each row's source (`system`) or `destination`.

    `frame` carries `src_i`/`dst_i` (cells, or rows derived from cells): no per-row hashing.
    """
    codes = frame["src_i" if side == "system" else "dst_i"].to_numpy()
    out = pd.Series(values.array.take(codes, allow_fill=True), dtype=values.dtype)
    out.index = frame.index
    return out


def in_set(names: pd.Index, values: set[object]) -> np.ndarray:
    """`names.isin(values)` for system names, by one set look-up per name: pandas turns the set into an array
    on every call (milliseconds for a thousand names, and rules ask this per system many times). NA names
    match when the set holds an NA, as in `isin`."""
    has_na = any(v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) for v in values)
    return np.fromiter(((n in values) if isinstance(n, str) else has_na for n in names.tolist()), dtype=bool,
                       count=len(names))


def map_distinct(values: pd.Series, *fns: Callable[[object], object]) -> list[pd.Series]:
    """`[values.map(fn) for fn in fns]` (same values, same inferred dtypes), each fn called once per distinct
    value: the partitions of a fleet share a few profile settings. NA values (None, NaN) are one value."""
    try:
        codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    except TypeError:  # unhashable settings: one call per value
        return [pd.Series(per_distinct(fn, values), index=values.index, name=values.name) for fn in fns]
    out = []
    for fn in fns:
        per = [fn(u) for u in uniques]
        out.append(pd.Series([per[k] for k in codes], index=values.index, name=values.name))
    return out


def per_distinct(fn: Callable[[object], object], values: pd.Series) -> list[object]:
    """fn of each value, computed once per distinct value (systems of a fleet share a few lists)."""
    seen: dict[object, object] = {}
    out = []
    for v in values:
        key = tuple(v) if isinstance(v, list) else v
        try:
            out.append(seen[key] if key in seen else seen.setdefault(key, fn(v)))
        except TypeError:  # unhashable: computed as it is
            out.append(fn(v))
    return out


def owned_slots(slots: pd.DataFrame, m: pd.DataFrame) -> list[str | None]:
    """Per mover, the DRC indexes of the slots it owns, comma-joined in listing order (None: owns none).

    One pass over the slots into a dict (not a groupby calling Python once per owner)."""
    owned: dict[tuple[str, int], list[str]] = {}
    keep = slots["system"].notna() & slots["lpar_id"].notna()
    for key, drc in zip(zip(slots.loc[keep, "system"].tolist(), slots.loc[keep, "lpar_id"].tolist(), strict=True),
                        slots.loc[keep, "drc_index"].tolist(), strict=True):
        owned.setdefault(key, []).append(drc)
    if not owned:
        return [None] * len(m)
    return [",".join(owned[key]) if key in owned else None
            for key in zip(m["system"].tolist(), m["lpar_id"].tolist(), strict=True)]


def uncaptured(inv: Inventory, fragment: str) -> set[str]:
    """Systems whose capture of a command (matched by a fragment, e.g. `--rsubtype scsi`) is missing or an error."""
    g = inv.gaps
    bad = g[g["code"].isin(["missing_capture", "hmc_message"]) & g["command"].fillna("").str.contains(fragment, regex=False)]
    return set(bad["system"].dropna())


def lpar_listed(inv: Inventory) -> set[str]:
    """Systems whose partition listing (lssyscfg -r lpar) was captured: only there is 'no VIOS' a fact."""
    return set(inv.partitions["system"].unique()) - uncaptured(inv, "lssyscfg -r lpar")
