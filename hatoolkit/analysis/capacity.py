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

`partition_demand`, `system_supply` and `fits_on` are the public entry points; `pair_fits` asks
`fits_on`'s question for one partition on each of many destinations at once, with the same
arithmetic (the mobility rule "destination processor or memory insufficient", HA219, and evacuation). The sizing rules live in
`analysis.demand`, the supply rules in `analysis.supply`; this module joins them on a target.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hatoolkit.analysis.capacity_pairs import pair_fits
from hatoolkit.analysis.demand import (
    AIXLINUX_HPT_RATIO,
    DEFAULT_HPT_RATIO,
    DEFAULT_POOL,
    RUNNING_STATES,
    hosting_keys,
    hpt_mb,
    on_target_numbers,
    partition_base,
    round_up,
)
from hatoolkit.analysis.rperf import CoreRating, scale
from hatoolkit.analysis.supply import PoolSupply, Supply, supplies, system_supply
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan

__all__ = [
    "AIXLINUX_HPT_RATIO",
    "DEFAULT_HPT_RATIO",
    "DEFAULT_POOL",
    "RUNNING_STATES",
    "Fit",
    "PoolSupply",
    "Supply",
    "fits_on",
    "hosting_keys",
    "hpt_mb",
    "on_target",
    "pair_fits",
    "partition_base",
    "partition_demand",
    "ratings_of",
    "round_up",
    "select",
    "supplies",
    "system_supply",
]


def on_target(base: pd.DataFrame, ratings: list[CoreRating], target: Supply, *, rescale: bool = True) -> pd.DataFrame:
    """Base demand (one row per partition) as the target sees it; `ratings` are the sources' ratings.

    `rescale=False`: processing units as they are (a live move keeps the partition's entitlement).
    """
    factor = np.array([scale(r, target.rating) if rescale else 1.0 for r in ratings], dtype=float)
    # Across systems the scale must be known: an unrated source or target could be any generation.
    same = (base["system"] == target.system).to_numpy() | (not rescale)
    rated = same | np.array([r.known and target.rating.known for r in ratings], dtype=bool)
    ded = (base["proc_mode"] == "ded").to_numpy()
    lmb = target.lmb_mb if target.lmb_mb else np.nan
    scaled, mem_t = on_target_numbers(base["proc_units"].to_numpy(dtype=float), ded, base["mem_mb"].to_numpy(dtype=float),
                                      factor, lmb)
    hpt = hpt_mb(base["max_mem_mb"].to_numpy(dtype=float), base["hpt_ratio"].to_numpy(dtype=float))
    pools = [None if ded[i] else target.pool(n) for i, n in enumerate(base["pool_name"])]
    basis = [f"{r.basis}({r.per_core})->{target.rating.basis}({target.rating.per_core})"
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
        known_proc=base["known_proc"].to_numpy() & rated,
        known_mem=base["known_mem"].to_numpy() & np.isfinite(mem_t + hpt),
        missing=np.where(rated, base["missing"], base["missing"].where(base["missing"] == "", base["missing"] + ",")
                         + "per-core performance (type_model; or rperf in plan.yaml)"),
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
                     target_system: str, sizing: str | None = None, *, rescale: bool = True) -> pd.DataFrame:
    """What the given partitions would need on `target_system` at a sizing policy (default: the plan's).

    One row per partition: source columns of `partition_base` plus target, rperf_scale,
    rperf_basis, proc_units_target (entitlement in target units, or whole dedicated cores),
    mem_mb_target (rounded up to the target's LMB), hpt_mb, mem_demand_mb, target_pool_id,
    target_pool_name; known_proc / known_mem say whether the numbers could be computed.
    """
    base = select(partition_base(inv, sizing or plan.sizing, plan.as_of), partitions)
    target = system_supply(inv, plan, target_system)
    return on_target(base, ratings_of(inv, plan, base["system"]), target, rescale=rescale)


@dataclass(frozen=True)
class Fit:
    """Whether partitions fit on one target together (for one target, sums are exact)."""

    target: str
    fits: bool | None  # None: unknown (see `missing`)
    proc_units_needed: float
    proc_units_free: float | None
    mem_mb_needed: float
    mem_mb_free: float | None
    short: tuple[str, ...]  # "processors", "memory", "pool <name>"
    missing: tuple[str, ...]
    demand: pd.DataFrame


def fits_on(inv: Inventory, plan: Plan, partitions: pd.DataFrame | Iterable[tuple[str, int]] | None,
            target_system: str, sizing: str | None = None, *, preempt: bool = False, cod: bool = False,
            rescale: bool = True) -> Fit:
    """Do these partitions fit on `target_system` together now (optionally with preemption / CoD)?

    For a single target the problem is additive, so comparing sums is exact: processing units
    (rPerf-scaled, whole cores for dedicated), memory (LMB-rounded + page table) and each capped
    shared processor pool the partitions would enter. Unknown numbers give `fits=None`, and so does
    a named pool on a target whose pools are not captured (it may hold a capped pool of that name).
    `pair_fits` answers the same question for one partition on each of many destinations.
    """
    demand = partition_demand(inv, plan, partitions, target_system, sizing, rescale=rescale)
    target = system_supply(inv, plan, target_system, preempt=preempt, cod=cod)
    need_p = round(float(np.nansum(demand["proc_units_target"])), 2)
    need_m = float(np.nansum(demand["mem_demand_mb"]))
    short, missing = [], list(target.missing)
    missing += [f"{r.system}/{r.partition}: {r.missing or 'memory block size'}" for r in demand.itertuples()
                if not (r.known_proc and r.known_mem)]
    if target.proc_units is not None and need_p > target.proc_units + 1e-9:
        short.append("processors")
    if target.mem_mb is not None and need_m > target.mem_mb:
        short.append("memory")
    named = demand["pool_name"].notna() & (demand["pool_name"] != DEFAULT_POOL) & (demand["proc_mode"] == "shared")
    if named.any() and target_system not in set(inv.proc_pools["system"]):
        missing.append(f"{target_system}: shared processor pools not captured")
    for name, group in demand[demand["proc_mode"] == "shared"].groupby("target_pool_name"):
        pool = target.pool(str(name))
        free = pool.free(preempt) if pool is not None else None
        if free is not None and float(group["proc_units_target"].sum()) > free + 1e-9:
            short.append(f"pool {name}")
    unknown = bool(missing) or target.proc_units is None or target.mem_mb is None
    fits = False if short else (None if unknown else True)
    return Fit(target_system, fits, need_p, target.proc_units, need_m, target.mem_mb, tuple(short),
               tuple(dict.fromkeys(missing)), demand)
