"""Failure scenarios and their exact placements: does everything a failed system runs fit elsewhere?

Scenarios come from the plan: a failover pair (production -> backup), every member of an N+1
pool (its loss -> the survivors), and, with neither, the documented default: every system must
survive the loss of any one other. Each pair also gets a `reverse` scenario (backup -> production)
so an asymmetric pair is visible.

Demand is the failed system's partitions in scope: not VIOS, not preemptible (dev/test that may be
shut down is not restarted elsewhere), running (plus not-activated ones if `scope.inactive`).
Each scenario is evaluated per *variant*: a sizing policy, with or without shutting the
destinations' preemptible partitions, with or without activating their inactive CoD.

Missing data never passes: a partition whose size is unknown cannot be shown to fit, and a
destination whose free capacity is unknown cannot be shown too small. Where unknowns could change
the answer, the status is `unknown`, naming what is missing.

`failover(inv, plan)` is memoised per (Inventory, Plan) so the checks, the notebook and the
what-if widget share one computation.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from hatoolkit.analysis import capacity as cap
from hatoolkit.analysis.failover_demand import Demand, Kept, kept_partitions, scenario_demand
from hatoolkit.analysis.placement import DECIDE_NODE_LIMIT, UNBOUNDED, Problem, Solution, solve
from hatoolkit.analysis.rperf import CoreRating, scale
from hatoolkit.analysis.scenarios import (
    DIMENSIONS,
    STATUS_RANK,
    Placement,
    PlacementData,
    Scenario,
    Variant,
    row_min,
    scenarios_of,
)
from hatoolkit.analysis.supply import supply_table
from hatoolkit.analysis.supply_where import Supplies, Where, missing_of, where
from hatoolkit.analysis.usage import sizing_evidence
from hatoolkit.errors import PlanError
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import SIZING_POLICIES, USAGE_POLICY_HELP, Plan, is_sizing_policy


class FailoverAnalysis:
    """Every scenario of an (Inventory, Plan) and their placements, computed on demand and kept.

    Supplies are arrays over all systems (`supply_table`), so a scenario over 999 survivors costs
    array look-ups, not 999 objects per variant; demand is computed once per (scenario, sizing).
    A placement that fits is a witness for each of its relaxations (fewer dimensions, only the
    dedicated partitions): those reuse it instead of solving again. Everything else is solved.
    """

    def __init__(self, inv: Inventory, plan: Plan, sizing: str | None = None) -> None:
        self.plan = plan
        self.sizing = sizing or plan.sizing
        if not is_sizing_policy(self.sizing):
            raise PlanError(f"sizing policy {self.sizing!r} is not one of: {', '.join(SIZING_POLICIES)}; or "
                            f"{USAGE_POLICY_HELP}")
        self.as_of = plan.as_of  # usage policies look back from here (None: now)
        self.scenarios = scenarios_of(inv, plan)
        self._supply = cap.supplies(inv, plan)
        self._table = supply_table(inv, plan)
        self._inv = inv
        self._kept: dict[str, Kept] = {}
        self._parts_known = set(inv.partitions["system"])
        self._demand: dict[tuple[Scenario, str], Demand] = {}
        self._cache: dict[tuple, Placement] = {}
        self._where: dict[Scenario, Where] = {}

    # ------------------------------------------------------------------ inputs

    def supply(self, system: str) -> cap.Supply | None:
        return self._supply.get(system)

    def in_demand(self, sizing: str, system: str) -> pd.DataFrame:
        """The partitions of `system` that must run elsewhere when it fails."""
        return self._kept_at(sizing).items(system)

    def _kept_at(self, sizing: str) -> Kept:
        if sizing not in self._kept:
            self._kept[sizing] = kept_partitions(cap.partition_base(self._inv, sizing, self.as_of), self.plan)
        return self._kept[sizing]

    def sizing_evidence(self, sc: Scenario, sizing: str | None = None) -> dict[str, object]:
        """How the scenario's partitions were sized (`sizing`, `basis`, fallbacks), for findings' evidence."""
        sizing = sizing or self.sizing
        return sizing_evidence(self.in_demand(sizing, sc.failed), sizing)

    def _at(self, sc: Scenario) -> Where:
        if sc not in self._where:
            self._where[sc] = where(self._table, sc.destinations, sc.failed)
        return self._where[sc]

    def _pools(self, sc: Scenario) -> list[tuple[int, cap.PoolSupply]]:
        """The capped shared processor pools on the scenario's destinations, as (destination index, pool)."""
        w = self._at(sc)
        return [(int(t), self._table.pools[k]) for t, k in zip(w.pool_t, w.pool_k, strict=True)]

    def demand(self, sc: Scenario, sizing: str) -> Demand:
        """The scenario's partitions at a sizing, as each kind of destination sees them (cached)."""
        key = (sc, sizing)
        if key not in self._demand:
            self._demand[key] = scenario_demand(self._kept_at(sizing), self._table, self._at(sc), sc.failed)
        return self._demand[key]

    # ------------------------------------------------------------------ evaluation

    def placement(self, sc: Scenario, variant: Variant, *, dims: tuple[str, ...] = DIMENSIONS,
                  dedicated_only: bool = False) -> Placement:
        """Place the scenario's partitions at a variant (memoised).

        `dims` chooses the constraints: "proc" (system processing units), "mem" (system memory),
        "pool" (shared processor pool caps); one dimension alone tells which one is short.
        """
        dims = tuple(d for d in DIMENSIONS if d in dims)
        key = (sc, variant, dims, dedicated_only)
        if key not in self._cache:
            witness = None
            if dims != DIMENSIONS or dedicated_only:  # a relaxation: the full placement may already prove it
                full = self.placement(sc, variant)
                witness = full if full.status == "fits" else None
            self._cache[key] = self._place(sc, variant, dims, dedicated_only, witness)
        return self._cache[key]

    def _place(self, sc: Scenario, v: Variant, dims: tuple[str, ...], ded_only: bool,
               witness: Placement | None = None) -> Placement:
        d = self.demand(sc, v.sizing)
        w = self._at(sc)
        sel = d.ded if ded_only else np.ones(len(d.ded), dtype=bool)
        every = bool(sel.all())
        use_p, use_m, use_g = "proc" in dims, "mem" in dims, "pool" in dims
        m = len(w.idx)
        all_p, all_m = self._table.caps(v.preempt, v.cod)
        safe = np.clip(w.idx, 0, None)
        cap_p = np.where(w.idx >= 0, all_p[safe], np.nan) if m else np.zeros(0)
        cap_m = np.where(w.idx >= 0, all_m[safe], np.nan) if m else np.zeros(0)
        pool_free = self._table.pool_free(v.preempt)[w.pool_k] if use_g else np.zeros(0)
        n = int(sel.sum())
        proc_s, mem_s = (d.proc, d.mem) if every else (d.proc[sel], d.mem[sel])
        proc = proc_s if use_p or use_g else np.zeros((n, proc_s.shape[1]))  # per kind of destination
        mem = mem_s if use_m else np.zeros((n, mem_s.shape[1]))
        slot = (d.slot if every else d.slot[sel]) if use_g and d.slot is not None else None
        if not use_p:
            cap_p = np.full(m, np.inf)
        if not use_m:
            cap_m = np.full(m, np.inf)
        crit = d.critical[sel]

        unknown_item = np.isnan(proc).any(axis=1) | np.isnan(mem).any(axis=1)
        if slot is not None:
            unknown_item |= (slot == -2).any(axis=1)
        unknown_cap = np.isnan(cap_p) | np.isnan(cap_m)
        data = PlacementData(sc.destinations, functools.partial(d.kept.items, d.failed), None if every else np.flatnonzero(sel), crit, proc_s, mem_s,
                             d.factor[sel], np.zeros(0, dtype=np.int64), Supplies(self._table, w.idx), cap_p, cap_m,
                             v.preempt, d.col)
        missing = missing_of(self._table, w, sc.failed, sc.destinations, data, unknown_item,
                             sc.failed in self._parts_known, use_p or use_g, use_m, use_g and bool(d.named[sel].any()))
        if sc.failed not in self._parts_known:
            unknown_cap = np.ones(m, dtype=bool)  # the failed system's partitions are unknown

        def problem(optimistic: bool) -> Problem:
            """Unknowns at their best (to prove a shortfall) or at their worst (to prove a fit)."""
            p = np.where(np.isnan(proc), 0 if optimistic else np.inf, proc)
            m_ = np.where(np.isnan(mem), 0 if optimistic else np.inf, mem)
            fill = np.inf if optimistic else 0.0
            pc = np.where(np.isnan(cap_p), fill, cap_p)
            mc = np.where(np.isnan(cap_m), fill, cap_m)
            gcap = np.append(pool_free, fill)
            g = np.where(slot == -2, len(pool_free), slot) if slot is not None else np.full((n, m), -1, dtype=np.int64)
            finite = lambda a: np.where(np.isfinite(a), a, 0.0)  # noqa: E731
            size = np.maximum(finite(p).max(axis=1, initial=0) / max(finite(pc).sum(), 1.0),
                              finite(m_).max(axis=1, initial=0) / max(finite(mc).sum(), 1.0))
            weight = np.where(crit, 100.0, 1.0) + np.minimum(size, 1.0)
            return Problem(_ints(p * 100)[:, d.col], _ints(m_)[:, d.col], g, _ints(pc * 100), _ints(mc),
                           _ints(gcap * 100), weight)

        if witness is not None:
            # The full problem's placement satisfies every relaxation of it: a witness, not a guess.
            sol, status = Solution(True, witness.method if sel.any() else "trivial",
                                   witness.data.assignment[sel]), "fits"
        elif sc.failed not in self._parts_known:
            sol, status = solve(problem(True)), "unknown"
        elif not unknown_item.any() and not unknown_cap.any():
            sol = solve(problem(True))
            status = "fits" if sol.fits else ("does_not_fit" if sol.decided else "unknown")
        else:
            sol = solve(problem(False))
            status = "fits"
            if not sol.fits:
                sol = solve(problem(True))
                status = "does_not_fit" if not sol.fits and sol.decided else "unknown"
        if not sol.decided:
            missing = (*missing, f"no placement found and none proven impossible within the exact solver's work "
                                 f"limit ({DECIDE_NODE_LIMIT} nodes)")
        data.assignment = sol.assignment
        return self._result(sc, v, sol, status, data, missing, dims)

    def _result(self, sc: Scenario, v: Variant, sol: Solution, status: str, data: PlacementData,
                missing: tuple[str, ...], dims: tuple[str, ...]) -> Placement:
        m = len(sc.destinations)
        cap_p, cap_m = data.cap_p, data.cap_m
        return Placement(
            scenario=sc, variant=v, status=status, method=sol.method, optimal=sol.optimal,
            demand_proc_units=round(float(np.nansum(np.round(row_min(data.proc), 2))), 2),
            demand_mem_mb=float(np.nansum(row_min(data.mem))),
            supply_proc_units=round(float(cap_p.sum()), 2) if m and not np.isnan(cap_p).any() else None,
            supply_mem_mb=float(cap_m.sum()) if m and not np.isnan(cap_m).any() else None,
            missing=missing, dims=dims, data=data,
        )

    # ------------------------------------------------------------------ views

    def has_preemptible(self, sc: Scenario) -> bool:
        idx = self._at(sc).idx
        return bool(self._table.has_preemptible[idx[idx >= 0]].any())

    def has_cod(self, sc: Scenario) -> bool:
        idx = self._at(sc).idx
        return bool(self._table.has_cod[idx[idx >= 0]].any())

    def allowed(self, sc: Scenario, sizing: str | None = None) -> Variant:
        """What the plan permits: its sizing, preemptible partitions shut down, CoD only if allowed."""
        return Variant(sizing or self.sizing, self.has_preemptible(sc), self.plan.allow_cod)

    def rperf(self, sc: Scenario) -> tuple[str, str]:
        """(scale, basis) text for destinations whose per-core performance differs from the source's."""
        d = self.demand(sc, self.sizing)
        src = self._supply.get(sc.failed)
        ratings = [s.rating if s else CoreRating(None, "unknown") for s in Supplies(self._table, self._at(sc).idx)]
        scales, bases = [], []
        for t, (name, rating) in enumerate(zip(sc.destinations, ratings, strict=True)):
            f = float(d.factor[0, d.col[t]]) if len(d.ded) else (scale(src.rating, rating) if src else 1.0)
            if f != 1.0 and src is not None:
                scales.append(f"{name}:{f:g}" if len(sc.destinations) > 1 else f"{f:g}")
                bases.append(f"{src.rating.basis}({src.rating.per_core})->{rating.basis}({rating.per_core})")
        return ";".join(scales), ";".join(dict.fromkeys(bases))

    def pool_pressure(self, sc: Scenario, variant: Variant) -> list[dict]:
        """Capped pools on the destinations that the scenario's partitions would land in: need vs free."""
        d = self.demand(sc, variant.sizing)
        out = []
        for k, (t, pool) in enumerate(self._pools(sc)):
            members = d.pool_slot[:, t] == k
            if not members.any():
                continue
            out.append({"target": sc.destinations[t], "pool": pool.name, "max_pool_proc_units": pool.max_proc_units,
                        "free_proc_units": pool.free(variant.preempt),
                        "demand_proc_units": round(float(np.nansum(d.proc[members, d.col[t]])), 2),
                        "partitions": list(d.items.loc[members, "partition"])})
        return out

    def primary(self) -> tuple[Scenario, ...]:
        return tuple(s for s in self.scenarios if s.kind != "reverse")

    def worst(self) -> Placement | None:
        """The allowed placement of the scenario in the worst state (status, then pressure)."""
        results = [self.placement(s, self.allowed(s)) for s in self.primary()]
        if not results:
            return None
        return max(results, key=lambda p: (STATUS_RANK[p.status], p.pressure()))

    def headroom(self) -> pd.DataFrame:
        """Per scenario and sizing: demand vs supply (now, + preemptible, + CoD) and the fit at each step."""
        rows = []
        sizings = (self.sizing,) if self.sizing == "minimum" else (self.sizing, "minimum")
        for sc in self.primary():
            for sizing in sizings:
                base = self.placement(sc, Variant(sizing, False, False))
                pre = self.placement(sc, Variant(sizing, True, False))
                both = self.placement(sc, Variant(sizing, True, True))
                t = both.targets
                rows.append({
                    "scenario": sc.label, "failed": sc.failed, "destination": sc.destination, "kind": sc.kind,
                    "sizing": sizing,
                    "demand_proc_units": base.demand_proc_units, "demand_mem_mb": base.demand_mem_mb,
                    "avail_proc_units": _sum(t["proc_units_avail"]),
                    "preemptible_proc_units": _sum(t["proc_units_preemptible"]),
                    "cod_proc_units": _sum(t["proc_units_cod"]),
                    "avail_mem_mb": _sum(t["mem_mb_avail"]), "preemptible_mem_mb": _sum(t["mem_mb_preemptible"]),
                    "cod_mem_mb": _sum(t["mem_mb_cod"]),
                    "status_now": base.status, "status_preempt": pre.status,
                    "status_preempt_cod": both.status,
                    "status_allowed": self.placement(sc, self.allowed(sc, sizing)).status,
                })
        return pd.DataFrame(rows)


    def variants(self, sizings: tuple[str, ...] = SIZING_POLICIES) -> pd.DataFrame:
        """Headroom left per destination for every scenario at every variant (sizing x preemption x CoD).

        One row per (scenario, variant, destination): the scenario's status and unplaced partitions,
        and what the destination has left after the placement. Computed on demand (not by the checks).
        """
        frames = []
        for sc in self.primary():
            for sizing in sizings:
                for preempt in (False, True):
                    for cod in (False, True):
                        p = self.placement(sc, Variant(sizing, preempt, cod))
                        t = p.targets
                        frames.append(pd.DataFrame({
                            "scenario": sc.label, "failed": sc.failed, "sizing": sizing, "preempt": preempt,
                            "cod": cod, "status": p.status, "method": p.method, "unplaced": ",".join(p.unplaced),
                            "target": t["target"], "partitions_placed": t["partitions_placed"],
                            "proc_units_supply": t["proc_units_supply"], "proc_units_free": t["proc_units_free"],
                            "mem_mb_supply": t["mem_mb_supply"], "mem_mb_free": t["mem_mb_free"],
                        }))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _ints(values: np.ndarray) -> np.ndarray:
    """Exact integers for the solver: round, with infinities as the unbounded sentinel."""
    arr = np.asarray(values, dtype=float)
    out = np.where(np.isfinite(arr), np.round(arr), float(UNBOUNDED))
    return np.minimum(out, float(UNBOUNDED)).astype(np.int64)


def _sum(series: pd.Series) -> float | None:
    values = pd.to_numeric(series, errors="coerce")
    return None if values.isna().any() else float(values.sum())


@functools.lru_cache(maxsize=8)
def failover(inv: Inventory, plan: Plan, sizing: str | None = None) -> FailoverAnalysis:
    """The failover analysis of an (Inventory, Plan), shared by checks, notebooks and widgets."""
    return FailoverAnalysis(inv, plan, sizing)
