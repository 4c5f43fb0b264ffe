"""What a target system can give a failed system's partitions, in PowerVM terms.

Free now (`curr_avail_sys_proc_units`, `curr_avail_sys_mem_mb`); plus, when allowed, what its
preemptible partitions would free (their entitlement or cores, their memory and page tables);
plus inactive Capacity on Demand (installed - configurable - deconfigured) when allowed. VIOS and
hosting partitions (any partition serving virtual SCSI/FC) stay and are never supply, whatever
the preemptible patterns say. Capped shared processor pools (`max_pool_proc_units`) limit what
partitions entering them may be entitled to; DefaultPool (id 0) is bounded only by the system.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hatoolkit.analysis.demand import DEFAULT_POOL, _num, hpt_mb, partition_base
from hatoolkit.analysis.rperf import CoreRating, core_rating
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan


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
        still_running = 0.0 if preempt else self.preemptible_proc_units
        return round(self.max_proc_units - self.reserved_proc_units - self.used_proc_units - still_running, 2)


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
    run = base[base["running"]].reset_index(drop=True)
    stays = (run["is_vios"] | run["is_hosting"]).to_numpy()
    pre_mask = np.array([plan.is_preemptible(s, n) for s, n in zip(run["system"], run["partition"], strict=True)],
                        dtype=bool) & ~stays
    run = run.assign(_stays=stays, _pre=pre_mask,
                     _hpt=hpt_mb(_num(run, "max_mem_mb"), _num(run, "hpt_ratio")))
    by_system = {name: frame for name, frame in run.groupby("system", sort=False)}
    shared = run[run["proc_mode"] == "shared"]
    pool_use = shared.groupby(["system", "pool_id", "_pre"])["proc_units"].sum().round(2).to_dict()
    pools_by_system = {name: frame for name, frame in inv.proc_pools.groupby("system", sort=False)}
    empty = run.iloc[0:0]
    out: dict[str, Supply] = {}
    for s in inv.systems.itertuples(index=False):
        name = s.system
        mine = by_system.get(name, empty)
        pre = mine[mine["_pre"].to_numpy(dtype=bool)]
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
        pool_list = []
        for pl in pools_by_system.get(name, inv.proc_pools.iloc[0:0]).itertuples(index=False):
            pid = int(pl.shared_proc_pool_id)
            cap = None if pid == 0 or pd.isna(pl.max_pool_proc_units) else float(pl.max_pool_proc_units)
            pool_list.append(PoolSupply(
                pid, str(pl.name) if isinstance(pl.name, str) else (DEFAULT_POOL if pid == 0 else f"pool{pid}"),
                cap, _opt(pl.curr_reserved_pool_proc_units) or 0.0,
                float(pool_use.get((name, float(pid), False), 0.0)), float(pool_use.get((name, float(pid), True), 0.0))))
        if not any(p.pool_id == 0 for p in pool_list):
            pool_list.append(PoolSupply(0, DEFAULT_POOL, None, 0.0, 0.0, 0.0))
        out[name] = Supply(
            system=name, type_model=s.type_model if isinstance(s.type_model, str) else None,
            rating=core_rating(name, s.type_model, s.installed_sys_proc_units, s.lpar_proc_compat_modes, plan.rperf),
            proc_units_avail=avail_p, mem_mb_avail=avail_m,
            preemptible_proc_units=round(float(np.nansum(pre["proc_units"])), 2),
            preemptible_mem_mb=float(np.nansum(pre["mem_mb"]) + np.nansum(pre["_hpt"])),
            cod_proc_units=_cod(s.cod_proc_capable, s.installed_sys_proc_units, s.configurable_sys_proc_units,
                                s.deconfig_sys_proc_units),
            cod_mem_mb=_cod(s.cod_mem_capable, s.installed_sys_mem_mb, s.configurable_sys_mem_mb,
                            s.deconfig_sys_mem_mb),
            configurable_proc_units=_opt(s.configurable_sys_proc_units),
            configurable_mem_mb=_opt(s.configurable_sys_mem_mb), lmb_mb=lmb,
            pools=tuple(sorted(pool_list, key=lambda p: p.pool_id)),
            preemptible=tuple(pre["partition"]), staying=tuple(mine.loc[mine["_stays"].to_numpy(dtype=bool), "partition"]),
            missing=tuple(missing))
    return out


def _cod(capable: object, installed: object, configurable: object, deconfigured: object) -> float:
    """Inactive Capacity on Demand: installed - configurable - deconfigured (0 if the system cannot, or unknown)."""
    if _false(capable) or _opt(installed) is None or _opt(configurable) is None:
        return 0.0
    return round(max(0.0, _opt(installed) - _opt(configurable) - (_opt(deconfigured) or 0.0)), 2)  # type: ignore[operator]


def system_supply(inv: Inventory, plan: Plan, system: str, *, preempt: bool = False, cod: bool = False) -> Supply:
    """Supply of one system; `preempt` counts its preemptible partitions, `cod` its inactive CoD.

    Raises KeyError when the system is not in the inventory.
    """
    table = supplies(inv, plan)
    if system not in table:
        raise KeyError(f"system {system!r} is not in the inventory")
    return table[system].with_options(preempt=preempt, cod=cod)
