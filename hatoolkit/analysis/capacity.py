"""Failover demand and supply in PowerVM terms: what a partition needs on a target, what a target can give.

Demand (reference §F.3): a shared partition needs its *entitled* processing units (uncapped
capacity is never guaranteed, so it is never counted); a dedicated partition needs whole cores.
Memory is the partition's memory rounded up to the **target's** logical memory block
(`mem_region_size`), plus the hypervisor page table the target must allocate for it, sized by
IBM's formula from the partition's **maximum** memory (1:64 for IBM i, 1:128 for AIX/Linux unless
the capture gives `curr_hpt_ratio` or the profile's `hpt_ratio`). Processor demand is scaled by
relative per-core performance when source and target differ (`analysis.rperf`).

Sizing: `current` uses the running values (`curr_*`), `desired` the profile's desired values (what
a cold restart activates), `minimum` the minimums (what an activation settles for when desired is
not available). A partition that is not activated has no current values: it is sized from its
profile (desired, or minimum).

Supply: what is free now (`curr_avail_sys_proc_units`, `curr_avail_sys_mem_mb`), plus, when
allowed, what preemptible partitions on the target would free (their resources and their page
tables), plus inactive Capacity on Demand (installed - configurable). VIOS and hosting partitions
stay and are never supply. Shared processor pools cap what partitions in them may be entitled
to (`max_pool_proc_units`; DefaultPool, id 0, is bounded only by the system).

`partition_demand` and `system_supply` are the public entry points (the mobility checks use them
for "destination processor or memory insufficient").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hatoolkit.analysis.rperf import CoreRating, core_rating, scale
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import SIZING_POLICIES, Plan

RUNNING_STATES = frozenset({"running", "open firmware", "starting", "migrating - running"})
DEFAULT_HPT_RATIO = {"os400": 64}  # 1:64 for IBM i, 1:128 otherwise (IBM hpt-for-vpmem)
AIXLINUX_HPT_RATIO = 128
DEFAULT_POOL = "DefaultPool"


def hpt_mb(max_mem_mb: np.ndarray | float, ratio: np.ndarray | float) -> np.ndarray:
    """Hardware page table size in MB (IBM `compute_hpt_size`): the power of two at or below the
    maximum memory, doubled when memory exceeds 1.25x that power, divided by the ratio, at least
    256 KB; rounded up to whole MB. NaN where the maximum memory is unknown."""
    mx = np.asarray(max_mem_mb, dtype=float)
    rt = np.asarray(ratio, dtype=float)
    safe = np.where(np.isfinite(mx) & (mx >= 1), mx, 1.0)
    _, exp = np.frexp(safe)  # safe = m * 2**exp with 0.5 <= m < 1: floor(log2) = exp - 1 (exact)
    p2 = np.ldexp(1.0, exp - 1)
    p2 = np.where(4 * safe > 5 * p2, p2 * 2, p2)
    size = np.maximum(0.25, p2 / np.where(rt > 0, rt, AIXLINUX_HPT_RATIO))
    return np.where(np.isfinite(mx), np.ceil(size), np.nan)


def round_up(values: np.ndarray, step: np.ndarray | float) -> np.ndarray:
    """Round memory up to whole logical memory blocks (NaN stays NaN)."""
    st = np.asarray(step, dtype=float)
    return np.ceil(np.asarray(values, dtype=float) / st - 1e-9) * st


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    return frame[col].to_numpy(dtype=float, na_value=np.nan)


def _pick(*candidates: np.ndarray) -> np.ndarray:
    out = candidates[0].copy()
    for other in candidates[1:]:
        out = np.where(np.isnan(out), other, out)
    return out


# --------------------------------------------------------------------------- demand on the source


def _profiles_chosen(inv: Inventory) -> pd.DataFrame:
    """One profile per partition: the current one, else the default one, else the only one."""
    parts = inv.partitions[["system", "lpar_id", "curr_profile", "default_profile"]]
    prof = inv.profiles
    if prof.empty:
        return prof.iloc[0:0]
    merged = prof.merge(parts, on=["system", "lpar_id"], how="left")
    count = merged.groupby(["system", "lpar_id"])["profile"].transform("size")
    rank = np.select(
        [merged["profile"].eq(merged["curr_profile"]).fillna(False).to_numpy(dtype=bool),
         merged["profile"].eq(merged["default_profile"]).fillna(False).to_numpy(dtype=bool),
         (count == 1).to_numpy()],
        [0, 1, 2], 3)
    merged = merged.assign(_rank=rank)
    merged = merged[merged["_rank"] < 3].sort_values(["system", "lpar_id", "_rank"], kind="mergesort")
    return merged.drop_duplicates(["system", "lpar_id"]).drop(columns=["_rank", "curr_profile", "default_profile"])


def hosting_keys(inv: Inventory) -> set[tuple[str, int]]:
    """(system, lpar_id) of partitions that serve others: VIOS, or any partition with server adapters."""
    keys = set()
    parts = inv.partitions
    vios = parts[parts["lpar_env"].eq("vioserver").fillna(False)]
    keys.update(zip(vios["system"], vios["lpar_id"].astype("int64"), strict=True))
    for frame in (inv.virtual_scsi, inv.virtual_fc):
        servers = frame[frame["adapter_type"].eq("server").fillna(False)]
        keys.update(zip(servers["system"], servers["lpar_id"].astype("int64"), strict=True))
    return keys


@functools.lru_cache(maxsize=32)
def partition_base(inv: Inventory, sizing: str) -> pd.DataFrame:
    """Every partition's processor and memory at a sizing policy, on its own system (no target yet).

    Columns: system, lpar_id, partition, lpar_env, running, is_vios, is_hosting, proc_mode,
    proc_units (entitlement, or dedicated cores), mem_mb, max_mem_mb, hpt_ratio, pool_id,
    pool_name, basis, known_proc, known_mem, missing. Cached per Inventory (identity).
    """
    if sizing not in SIZING_POLICIES:
        raise ValueError(f"sizing {sizing!r} is not one of {SIZING_POLICIES}")
    p = inv.partitions.reset_index(drop=True)
    prof = _profiles_chosen(inv)
    prof_cols = ["proc_mode", "desired_proc_units", "min_proc_units", "desired_procs", "min_procs",
                 "desired_mem_mb", "min_mem_mb", "max_mem_mb", "hpt_ratio", "shared_proc_pool_id",
                 "shared_proc_pool_name"]
    p = p.merge(prof[["system", "lpar_id", *prof_cols]].rename(columns={c: f"prof_{c}" for c in prof_cols}),
                on=["system", "lpar_id"], how="left")
    running = p["state"].str.lower().isin(RUNNING_STATES).to_numpy(dtype=bool)

    curr_mode = p["curr_proc_mode"].to_numpy(dtype=object, na_value=None)
    prof_mode = p["prof_proc_mode"].to_numpy(dtype=object, na_value=None)
    use_profile = ~running | (sizing == "desired")
    mode = np.where(use_profile, np.where(pd.isna(prof_mode), curr_mode, prof_mode),
                    np.where(pd.isna(curr_mode), prof_mode, curr_mode))
    ded = mode == "ded"

    def by_mode(shared: np.ndarray, dedicated: np.ndarray) -> np.ndarray:
        return np.where(ded, dedicated, shared)

    nan = np.full(len(p), np.nan)
    prof_desired = by_mode(_num(p, "prof_desired_proc_units"), _num(p, "prof_desired_procs"))
    prof_min = by_mode(_num(p, "prof_min_proc_units"), _num(p, "prof_min_procs"))
    curr = by_mode(_num(p, "curr_proc_units"), _num(p, "curr_procs"))
    curr_min = by_mode(_num(p, "curr_min_proc_units"), _num(p, "curr_min_procs"))
    if sizing == "current":
        units = np.where(running, curr, prof_desired)
        mem = np.where(running, _num(p, "curr_mem_mb"), _num(p, "prof_desired_mem_mb"))
    elif sizing == "desired":
        units, mem = prof_desired, _num(p, "prof_desired_mem_mb")
    else:
        units = np.where(running, _pick(curr_min, prof_min), prof_min)
        mem = np.where(running, _pick(_num(p, "curr_min_mem_mb"), _num(p, "prof_min_mem_mb")), _num(p, "prof_min_mem_mb"))
    units = np.where(pd.isna(mode), nan, units)
    max_mem = np.where(running & (sizing != "desired"),
                       _pick(_num(p, "curr_max_mem_mb"), _num(p, "prof_max_mem_mb")),
                       _pick(_num(p, "prof_max_mem_mb"), np.where(running, _num(p, "curr_max_mem_mb"), nan)))
    env = p["lpar_env"].to_numpy(dtype=object, na_value=None)
    default_ratio = np.array([DEFAULT_HPT_RATIO.get(e, AIXLINUX_HPT_RATIO) for e in env], dtype=float)
    ratio = _pick(np.where(running, _num(p, "curr_hpt_ratio"), nan), _num(p, "prof_hpt_ratio"), default_ratio)

    pool_id = np.where(running & (sizing != "desired"),
                       _pick(_num(p, "curr_shared_proc_pool_id"), _num(p, "prof_shared_proc_pool_id")),
                       _pick(_num(p, "prof_shared_proc_pool_id"), _num(p, "curr_shared_proc_pool_id")))
    pool_id = np.where(ded, np.nan, np.where(np.isnan(pool_id), 0, pool_id))
    names = inv.proc_pools.set_index(["system", "shared_proc_pool_id"])["name"].to_dict() \
        if not inv.proc_pools.empty else {}
    prof_pool_names = p["prof_shared_proc_pool_name"].to_numpy(dtype=object, na_value=None)
    pool_name = []
    for system, pid, pname, is_ded in zip(p["system"], pool_id, prof_pool_names, ded, strict=True):
        if is_ded or np.isnan(pid):
            pool_name.append(None)
        elif int(pid) == 0:
            pool_name.append(DEFAULT_POOL)
        else:
            pool_name.append(names.get((system, int(pid))) or pname or f"pool{int(pid)}")

    known_proc = ~np.isnan(units)
    known_mem = ~np.isnan(mem) & ~np.isnan(max_mem)
    missing = np.where(known_proc, "", "processors") + np.where(known_proc | known_mem, "", ",") + \
        np.where(known_mem, "", "memory")
    hosting = hosting_keys(inv)
    keys = list(zip(p["system"], p["lpar_id"].astype("int64"), strict=True))
    basis = np.where(running, sizing if sizing != "desired" else "profile desired",
                     np.where(sizing == "minimum", "profile minimum", "profile desired"))
    return pd.DataFrame({
        "system": p["system"].astype("str"),
        "lpar_id": p["lpar_id"].astype("int64"),
        "partition": p["name"].astype("str"),
        "lpar_env": p["lpar_env"].astype("str"),
        "running": running,
        "is_vios": p["lpar_env"].eq("vioserver").fillna(False).to_numpy(dtype=bool),
        "is_hosting": np.array([k in hosting for k in keys], dtype=bool),
        "proc_mode": pd.Series(mode, dtype="str"),
        "proc_units": units,
        "mem_mb": mem,
        "max_mem_mb": max_mem,
        "hpt_ratio": ratio,
        "pool_id": pool_id,
        "pool_name": pd.Series(pool_name, dtype="str"),
        "basis": pd.Series(basis, dtype="str"),
        "known_proc": known_proc,
        "known_mem": known_mem,
        "missing": pd.Series(missing, dtype="str"),
    })


# --------------------------------------------------------------------------- supply of a target


@dataclass(frozen=True)
class PoolSupply:
    """A shared processor pool on a target: its cap and what its partitions are entitled to."""

    pool_id: int
    name: str
    max_proc_units: float | None  # None: bounded only by the system (DefaultPool)
    reserved_proc_units: float
    used_proc_units: float  # entitlement of running partitions that stay
    preemptible_proc_units: float  # entitlement of preemptible partitions in the pool

    def free(self, preempt: bool) -> float | None:
        if self.max_proc_units is None:
            return None
        freed = self.preemptible_proc_units if preempt else 0.0
        return round(self.max_proc_units - self.reserved_proc_units - self.used_proc_units + freed, 2)


@dataclass(frozen=True)
class Supply:
    """What a target system can give a failed system's partitions (processing units, MB)."""

    system: str
    type_model: str | None
    rating: CoreRating
    proc_units_avail: float | None
    mem_mb_avail: float | None
    preemptible_proc_units: float
    preemptible_mem_mb: float
    cod_proc_units: float
    cod_mem_mb: float
    configurable_proc_units: float | None
    configurable_mem_mb: float | None
    lmb_mb: float | None
    pools: tuple[PoolSupply, ...] = ()
    preemptible: tuple[str, ...] = ()
    staying: tuple[str, ...] = ()
    preempt: bool = False
    cod: bool = False
    missing: tuple[str, ...] = field(default=())

    @property
    def proc_units(self) -> float | None:
        if self.proc_units_avail is None:
            return None
        extra = (self.preemptible_proc_units if self.preempt else 0.0) + (self.cod_proc_units if self.cod else 0.0)
        return round(self.proc_units_avail + extra, 2)

    @property
    def mem_mb(self) -> float | None:
        if self.mem_mb_avail is None:
            return None
        return self.mem_mb_avail + (self.preemptible_mem_mb if self.preempt else 0.0) + \
            (self.cod_mem_mb if self.cod else 0.0)

    def pool(self, name: str | None) -> PoolSupply | None:
        """The pool an incoming partition lands in: the same name if the target has it, else DefaultPool."""
        for p in self.pools:
            if p.name == name:
                return p
        return next((p for p in self.pools if p.pool_id == 0), None)

    def with_options(self, *, preempt: bool, cod: bool) -> Supply:
        return Supply(**{**self.__dict__, "preempt": preempt, "cod": cod})


def _false(value: object) -> bool:
    return value is not None and not pd.isna(value) and not bool(value)  # type: ignore[arg-type]


def _opt(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=16)
def supplies(inv: Inventory, plan: Plan) -> dict[str, Supply]:
    """Supply of every system (without preemption or CoD; see `Supply.with_options`), cached per (inv, plan)."""
    base = partition_base(inv, "current")
    out: dict[str, Supply] = {}
    pools = inv.proc_pools
    for s in inv.systems.itertuples(index=False):
        name = s.system
        mine = base[base["system"] == name]
        run = mine[mine["running"]]
        stays = run["is_vios"] | run["is_hosting"]
        is_pre = np.array([plan.is_preemptible(name, n) for n in run["partition"]], dtype=bool) & ~stays.to_numpy()
        pre = run[is_pre]
        pre_units = float(np.nansum(pre["proc_units"]))
        pre_mem = float(np.nansum(pre["mem_mb"]) + np.nansum(hpt_mb(_num(pre, "max_mem_mb"), _num(pre, "hpt_ratio"))))
        missing = []
        avail_p, avail_m = _opt(s.curr_avail_sys_proc_units), _opt(s.curr_avail_sys_mem_mb)
        if avail_p is None:
            missing.append("curr_avail_sys_proc_units")
        if avail_m is None:
            missing.append("curr_avail_sys_mem_mb")
        lmb = _opt(s.mem_region_size_mb)
        if lmb is None or lmb <= 0:
            missing.append("mem_region_size")
            lmb = None
        if pre["proc_units"].isna().any() or not pre["known_mem"].all():
            missing.append("preemptible partition sizes")
        cod_p = cod_m = 0.0
        if not _false(s.cod_proc_capable) and not pd.isna(s.installed_sys_proc_units) \
                and not pd.isna(s.configurable_sys_proc_units):
            cod_p = max(0.0, float(s.installed_sys_proc_units) - float(s.configurable_sys_proc_units)
                        - (float(s.deconfig_sys_proc_units) if not pd.isna(s.deconfig_sys_proc_units) else 0.0))
        if not _false(s.cod_mem_capable) and not pd.isna(s.installed_sys_mem_mb) \
                and not pd.isna(s.configurable_sys_mem_mb):
            cod_m = max(0.0, float(s.installed_sys_mem_mb) - float(s.configurable_sys_mem_mb)
                        - (float(s.deconfig_sys_mem_mb) if not pd.isna(s.deconfig_sys_mem_mb) else 0.0))
        pool_list = []
        shared = run[run["proc_mode"] == "shared"]
        pre_names = set(pre["partition"])
        for pl in pools[pools["system"] == name].itertuples(index=False):
            pid = int(pl.shared_proc_pool_id)
            members = shared[shared["pool_id"] == pid]
            in_pre = members["partition"].isin(pre_names)
            cap = None if pid == 0 or pd.isna(pl.max_pool_proc_units) else float(pl.max_pool_proc_units)
            pool_list.append(PoolSupply(
                pid, str(pl.name) if isinstance(pl.name, str) else (DEFAULT_POOL if pid == 0 else f"pool{pid}"),
                cap, _opt(pl.curr_reserved_pool_proc_units) or 0.0,
                round(float(np.nansum(members.loc[~in_pre, "proc_units"])), 2),
                round(float(np.nansum(members.loc[in_pre, "proc_units"])), 2)))
        if not any(p.pool_id == 0 for p in pool_list):
            pool_list.append(PoolSupply(0, DEFAULT_POOL, None, 0.0, 0.0, 0.0))
        rating = core_rating(name, s.type_model, s.installed_sys_proc_units, s.lpar_proc_compat_modes, plan.rperf)
        out[name] = Supply(
            system=name, type_model=s.type_model if isinstance(s.type_model, str) else None, rating=rating,
            proc_units_avail=avail_p, mem_mb_avail=avail_m,
            preemptible_proc_units=round(pre_units, 2), preemptible_mem_mb=pre_mem,
            cod_proc_units=round(cod_p, 2), cod_mem_mb=cod_m,
            configurable_proc_units=_opt(s.configurable_sys_proc_units),
            configurable_mem_mb=_opt(s.configurable_sys_mem_mb), lmb_mb=lmb,
            pools=tuple(sorted(pool_list, key=lambda p: p.pool_id)),
            preemptible=tuple(pre["partition"]), staying=tuple(run.loc[stays.to_numpy(), "partition"]),
            missing=tuple(missing))
    return out


def system_supply(inv: Inventory, plan: Plan, system: str, *, preempt: bool = False, cod: bool = False) -> Supply:
    """Supply of one system; `preempt` counts its preemptible partitions, `cod` its inactive CoD.

    Raises KeyError when the system is not in the inventory.
    """
    table = supplies(inv, plan)
    if system not in table:
        raise KeyError(f"system {system!r} is not in the inventory")
    return table[system].with_options(preempt=preempt, cod=cod)


# --------------------------------------------------------------------------- demand on a target


def on_target(base: pd.DataFrame, ratings: list[CoreRating], target: Supply) -> pd.DataFrame:
    """Base demand (one row per partition) as the target sees it; `ratings` are the sources' ratings."""
    factor = np.array([scale(r, target.rating) for r in ratings], dtype=float)
    ded = (base["proc_mode"] == "ded").to_numpy()
    units = base["proc_units"].to_numpy(dtype=float)
    scaled = np.where(ded, np.ceil(units * factor - 1e-9), np.ceil(np.round(units * factor * 100, 6)) / 100)
    lmb = target.lmb_mb if target.lmb_mb else np.nan
    mem_t = round_up(base["mem_mb"].to_numpy(dtype=float), lmb)
    hpt = hpt_mb(base["max_mem_mb"].to_numpy(dtype=float), base["hpt_ratio"].to_numpy(dtype=float))
    pools = [None if ded[i] else target.pool(n) for i, n in enumerate(base["pool_name"])]
    basis = [f"{r.basis}:{r.per_core}->{target.rating.basis}:{target.rating.per_core}"
             if f != 1.0 else "" for r, f in zip(ratings, factor, strict=True)]
    return base.assign(
        target=target.system,
        rperf_scale=factor,
        rperf_basis=pd.Series(basis, dtype="str", index=base.index),
        proc_units_target=scaled,
        mem_mb_target=mem_t,
        hpt_mb=hpt,
        mem_demand_mb=mem_t + hpt,
        target_pool_id=[p.pool_id if p else None for p in pools],
        target_pool_name=pd.Series([p.name if p else None for p in pools], dtype="str", index=base.index),
        known_mem=base["known_mem"].to_numpy() & np.isfinite(mem_t + hpt),
    )


def select(base: pd.DataFrame, partitions: pd.DataFrame | Iterable[tuple[str, int]] | None) -> pd.DataFrame:
    """Rows of `base` for the given partitions (frame with system + lpar_id, or (system, lpar_id) pairs)."""
    if partitions is None:
        return base
    if isinstance(partitions, pd.DataFrame):
        keys = partitions[["system", "lpar_id"]].astype({"lpar_id": "int64"})
    else:
        keys = pd.DataFrame(list(partitions), columns=["system", "lpar_id"]).astype({"lpar_id": "int64"})
    keys = keys.astype({"system": "str"})
    return base.merge(keys, on=["system", "lpar_id"], how="inner")


def ratings_of(inv: Inventory, plan: Plan, systems: Iterable[str]) -> list[CoreRating]:
    table = supplies(inv, plan)
    return [table[s].rating if s in table else CoreRating(None, "unknown") for s in systems]


def partition_demand(inv: Inventory, plan: Plan, partitions: pd.DataFrame | Iterable[tuple[str, int]] | None,
                     target_system: str, sizing: str | None = None) -> pd.DataFrame:
    """What the given partitions would need on `target_system` at a sizing policy (default: the plan's).

    One row per partition: source columns of `partition_base` plus target, rperf_scale,
    rperf_basis, proc_units_target (entitlement in target units, or whole dedicated cores),
    mem_mb_target (rounded up to the target's LMB), hpt_mb, mem_demand_mb, target_pool_id,
    target_pool_name; known_proc / known_mem say whether the numbers could be computed.
    """
    base = select(partition_base(inv, sizing or plan.sizing), partitions)
    target = system_supply(inv, plan, target_system)
    return on_target(base, ratings_of(inv, plan, base["system"]), target)
