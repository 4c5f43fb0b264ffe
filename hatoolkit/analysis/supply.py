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
    units, mem = _num(run, "proc_units"), _num(run, "mem_mb")
    hpt = hpt_mb(_num(run, "max_mem_mb"), _num(run, "hpt_ratio"))
    known_mem = run["known_mem"].to_numpy(dtype=bool)
    names = run["partition"].to_numpy(dtype=object)
    rows_of = run.groupby("system", sort=False).indices
    shared = run[run["proc_mode"] == "shared"].assign(_pre=pre_mask[(run["proc_mode"] == "shared").to_numpy(bool)])
    pool_use = shared.groupby(["system", "pool_id", "_pre"])["proc_units"].sum().round(2).to_dict()
    pools_of: dict[str, list] = {}
    pp = inv.proc_pools
    for pl in zip(pp["system"], pp["shared_proc_pool_id"], pp["name"], pp["max_pool_proc_units"],
                  pp["curr_reserved_pool_proc_units"], strict=True):
        pools_of.setdefault(pl[0], []).append(pl[1:])
    none = np.zeros(0, dtype=np.int64)
    cols = ["system", "curr_avail_sys_proc_units", "curr_avail_sys_mem_mb", "mem_region_size_mb", "type_model",
            "installed_sys_proc_units", "lpar_proc_compat_modes", "cod_proc_capable", "configurable_sys_proc_units",
            "deconfig_sys_proc_units", "cod_mem_capable", "installed_sys_mem_mb", "configurable_sys_mem_mb",
            "deconfig_sys_mem_mb"]
    out: dict[str, Supply] = {}
    for (name, avail_p, avail_m, lmb, type_model, installed_p, modes, cod_p_ok, conf_p, deconf_p, cod_m_ok,
         installed_m, conf_m, deconf_m) in zip(*(inv.systems[c].tolist() for c in cols), strict=True):
        mine = rows_of.get(name, none)
        pre = mine[pre_mask[mine]]
        missing = []
        avail_p, avail_m = _opt(avail_p), _opt(avail_m)
        if avail_p is None:
            missing.append("curr_avail_sys_proc_units")
        if avail_m is None:
            missing.append("curr_avail_sys_mem_mb")
        lmb = _opt(lmb)
        if lmb is None or lmb <= 0:
            missing.append("mem_region_size")
            lmb = None
        if np.isnan(units[pre]).any() or not known_mem[pre].all():
            missing.append("preemptible partition sizes")
        pool_list = []
        for pid_raw, pname, pmax, preserved in pools_of.get(name, ()):
            pid = int(pid_raw)
            cap = None if pid == 0 or pd.isna(pmax) else float(pmax)
            pool_list.append(PoolSupply(
                pid, str(pname) if isinstance(pname, str) else (DEFAULT_POOL if pid == 0 else f"pool{pid}"),
                cap, _opt(preserved) or 0.0,
                float(pool_use.get((name, float(pid), False), 0.0)), float(pool_use.get((name, float(pid), True), 0.0))))
        if not any(p.pool_id == 0 for p in pool_list):
            pool_list.append(PoolSupply(0, DEFAULT_POOL, None, 0.0, 0.0, 0.0))
        out[name] = Supply(
            system=name, type_model=type_model if isinstance(type_model, str) else None,
            rating=core_rating(name, type_model, installed_p, modes, plan.rperf),
            proc_units_avail=avail_p, mem_mb_avail=avail_m,
            preemptible_proc_units=round(float(np.nansum(units[pre])), 2),
            preemptible_mem_mb=float(np.nansum(mem[pre]) + np.nansum(hpt[pre])),
            cod_proc_units=_cod(cod_p_ok, installed_p, conf_p, deconf_p),
            cod_mem_mb=_cod(cod_m_ok, installed_m, conf_m, deconf_m),
            configurable_proc_units=_opt(conf_p), configurable_mem_mb=_opt(conf_m), lmb_mb=lmb,
            pools=tuple(sorted(pool_list, key=lambda p: p.pool_id)),
            preemptible=tuple(names[pre]), staying=tuple(names[mine[stays[mine]]]),
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


@dataclass(frozen=True, eq=False)
class SupplyTable:
    """Every system's supply as arrays (position = `index[name]`), for scenarios over hundreds of destinations.

    The numbers are the `Supply` objects' own (same rounding), gathered once per (Inventory, Plan):
    a scenario then takes what its destinations offer with one array look-up instead of one
    object per destination and variant.
    """

    names: tuple[str, ...]
    index: dict[str, int]
    supplies: tuple[Supply, ...]
    lmb_mb: np.ndarray  # NaN unknown
    rating_code: np.ndarray  # index into `scale_table`, -1 unknown per-core performance
    kind: np.ndarray  # systems of a kind share rating and memory block size: they see a partition alike
    kind_rating: np.ndarray  # per kind: rating code (-1 unknown)
    kind_lmb: np.ndarray  # per kind: memory block size (NaN unknown)
    scale_table: np.ndarray  # (k, k) analysis.rperf.scale between the distinct per-core ratings
    has_preemptible: np.ndarray
    has_cod: np.ndarray
    has_missing: np.ndarray  # a capture the supply needs is missing (Supply.missing)
    pools_known: np.ndarray  # shared processor pools captured
    pools: tuple[PoolSupply, ...]  # capped pools, by system position then pool id
    pool_start: np.ndarray  # first index in `pools` of each system's capped pools
    pool_count: np.ndarray
    _memo: dict = field(default_factory=dict, repr=False)

    def positions(self, names: tuple[str, ...] | list[str], but: str | None = None) -> np.ndarray:
        """Table positions of `names` (-1: not in the inventory). `but`: a hint that `names` may be every
        system except that one (the default failover scenario), checked, not assumed."""
        j = self.index.get(but, -1) if but is not None else -1
        if j >= 0 and len(names) == len(self.names) - 1 and tuple(names) == self.names[:j] + self.names[j + 1:]:
            return np.delete(np.arange(len(self.names), dtype=np.int64), j)
        get = self.index.get
        return np.fromiter((get(n, -1) for n in names), dtype=np.int64, count=len(names))

    def caps(self, preempt: bool, cod: bool) -> tuple[np.ndarray, np.ndarray]:
        """(processing units, MB) each system offers with these options (NaN unknown)."""
        key = ("caps", preempt, cod)
        if key not in self._memo:
            opts = [s.with_options(preempt=preempt, cod=cod) for s in self.supplies]
            self._memo[key] = (np.array([np.nan if s.proc_units is None else s.proc_units for s in opts], dtype=float),
                               np.array([np.nan if s.mem_mb is None else s.mem_mb for s in opts], dtype=float))
        return self._memo[key]

    def pool_free(self, preempt: bool) -> np.ndarray:
        """Processing units left under each capped pool's cap (see PoolSupply.free)."""
        key = ("pools", preempt)
        if key not in self._memo:
            self._memo[key] = np.array([p.free(preempt) for p in self.pools], dtype=float)
        return self._memo[key]


@functools.lru_cache(maxsize=16)
def supply_table(inv: Inventory, plan: Plan) -> SupplyTable:
    table = supplies(inv, plan)
    values = tuple(table.values())
    ratings = sorted({s.rating.per_core for s in values if s.rating.known})
    code = {r: i for i, r in enumerate(ratings)}
    scale_table = np.array([[round(a / b, 4) for b in ratings] for a in ratings], dtype=float).reshape(
        len(ratings), len(ratings))
    rating_code = np.array([code.get(s.rating.per_core, -1) for s in values], dtype=np.int64)
    lmb = np.array([s.lmb_mb if s.lmb_mb else np.nan for s in values], dtype=float)
    kinds, kind = np.unique(np.stack([rating_code, np.nan_to_num(lmb, nan=-1.0)], axis=1), axis=0,
                            return_inverse=True)
    capped = [[p for p in s.pools if p.max_proc_units is not None] for s in values]
    count = np.array([len(c) for c in capped], dtype=np.int64)
    known = set(inv.proc_pools["system"])
    return SupplyTable(
        names=tuple(table), index={n: i for i, n in enumerate(table)}, supplies=values,
        lmb_mb=lmb, rating_code=rating_code, kind=np.asarray(kind, dtype=np.int64).ravel(),
        kind_rating=kinds[:, 0].astype(np.int64) if len(values) else np.zeros(0, dtype=np.int64),
        kind_lmb=np.where(kinds[:, 1] < 0, np.nan, kinds[:, 1]) if len(values) else np.zeros(0),
        scale_table=scale_table,
        has_preemptible=np.array([bool(s.preemptible) for s in values], dtype=bool),
        has_cod=np.array([s.cod_proc_units > 0 or s.cod_mem_mb > 0 for s in values], dtype=bool),
        has_missing=np.array([bool(s.missing) for s in values], dtype=bool),
        pools_known=np.array([n in known for n in table], dtype=bool),
        pools=tuple(p for c in capped for p in c), pool_start=np.cumsum(count) - count, pool_count=count)
