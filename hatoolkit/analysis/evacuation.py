"""Evacuation by LPM: can a system be emptied live (firmware window, or switched off at night), and where
would each partition go?

For each system, its running partitions are placed, largest memory first, on destinations where
the readiness matrix allows the move (an `unknown` cell is never used: it is not known to work),
spreading onto the destination with the most memory left. The matrix judges each move alone, so
a cell blocked only by destination capacity is still a candidate here: moves are added up against
what each destination has left, and a partition with no room anywhere is `no capacity`.
Preemptible partitions (plan) that cannot move may be shut down instead; partitions not activated
stay defined where they are. `consolidation` then empties systems one after another, smallest
first, into the systems still powered on, while every running partition finds a place: the
night-time plan.

Capacity goes through a `Sizer`; the default, `CapacitySizer`, is analysis.capacity's arithmetic:
current entitlement (or whole dedicated cores, not rescaled: a live move keeps them) and current
memory rounded up to the destination's memory block plus the page table its hypervisor allocates;
against what the destination has free, plus what its preemptible partitions would free (plan), plus
inactive Capacity on Demand when the plan allows it; a shared partition also draws on the capped
pool of the same name on the destination. Pass another `sizer=` to try other terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from hatoolkit.analysis.capacity import pair_fits
from hatoolkit.analysis.mobility import readiness_matrix, rule_labels
from hatoolkit.analysis.mobility_data import prepare
from hatoolkit.analysis.supply import supply_table
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan

ACTIONS = ("move", "shut down", "stays (not activated)", "blocked", "no capacity", "capacity unknown")


class Sizer(Protocol):
    """Capacity arithmetic for placement: what a partition needs on a destination, what each system offers.

    Optionally `pools(inv, plan)`: capped shared processor pools (system, pool, proc_units free), which
    partitions whose demand names that `pool` also draw on (`pool_unknown`: cannot tell).
    """

    def demand(self, inv: Inventory, plan: Plan, cells: pd.DataFrame) -> pd.DataFrame:
        """cells (system, lpar_id, destination) -> the same rows with proc_units, mem_mb (NA when unknown)."""
        ...

    def supply(self, inv: Inventory, plan: Plan) -> pd.DataFrame:
        """One row per system: system, proc_units, mem_mb free for incoming partitions (NA when unknown)."""
        ...


@dataclass(frozen=True)
class CapacitySizer:
    """analysis.capacity's demand and supply (see the module docstring for the terms)."""

    use_preemptible: bool = True

    def _preempt(self, plan: Plan) -> bool:
        return self.use_preemptible and bool(plan.preemptible)

    def demand(self, inv: Inventory, plan: Plan, cells: pd.DataFrame) -> pd.DataFrame:
        keys = cells[["system", "lpar_id", "destination"]].reset_index(drop=True)
        f = pair_fits(inv, plan, keys, "current", preempt=self._preempt(plan), cod=plan.allow_cod, rescale=False)
        size_known = ~f["partition_unknown"] & ~f["missing"].str.contains("not in the inventory").fillna(False)
        return keys.assign(
            proc_units=f["proc_units_target"].where(size_known).astype("Float64"),
            mem_mb=f["mem_demand_mb"].where(size_known & np.isfinite(f["mem_demand_mb"])).astype("Float64"),
            pool=f["pool"], pool_unknown=f["missing"].str.contains("shared processor pools").fillna(False))

    def supply(self, inv: Inventory, plan: Plan) -> pd.DataFrame:
        t = supply_table(inv, plan)
        p, m = t.caps(self._preempt(plan), plan.allow_cod)
        return pd.DataFrame({"system": pd.Series(t.names, dtype="str"), "proc_units": pd.array(p, dtype="Float64"),
                             "mem_mb": pd.array(m, dtype="Float64")})

    def pools(self, inv: Inventory, plan: Plan) -> pd.DataFrame:
        t = supply_table(inv, plan)
        owner = np.repeat(np.arange(len(t.names)), t.pool_count)
        return pd.DataFrame({"system": pd.Series([t.names[i] for i in owner], dtype="str"),
                             "pool": pd.Series([p.name for p in t.pools], dtype="str"),
                             "proc_units": t.pool_free(self._preempt(plan))})


Need = tuple[float | None, float | None, str | None]  # processing units, MB, capped pool ("?" unknown)
Needs = dict[tuple[str, int, str], Need]


def _candidates(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix with `movable`: ready, or held back only by destination capacity (judged here, added up)."""
    cap = rule_labels()["capacity"]
    only_cap = [all(x == cap for x in b) and all(x == cap for x in u)
                for b, u in zip(matrix["blockers"], matrix["unknowns"], strict=True)]
    return matrix.assign(movable=(matrix["status"] == "ready") | pd.Series(only_cap, index=matrix.index, dtype=bool))


def _needs(inv: Inventory, plan: Plan, matrix: pd.DataFrame, sizer: Sizer) -> Needs:
    ready = matrix[matrix["movable"]][["system", "lpar_id", "destination"]]
    d = sizer.demand(inv, plan, ready)
    pools = d["pool"] if "pool" in d else pd.Series([None] * len(d), index=d.index, dtype=object)
    blind = d["pool_unknown"] if "pool_unknown" in d else pd.Series(False, index=d.index)
    return {(str(r.system), int(r.lpar_id), str(r.destination)):
            (None if pd.isna(r.proc_units) else float(r.proc_units), None if pd.isna(r.mem_mb) else float(r.mem_mb),
             "?" if b else (g if isinstance(g, str) else None))
            for r, g, b in zip(d.itertuples(), pools, blind, strict=True)}


def _place(inv: Inventory, plan: Plan, source: str, free: dict[str, list[float | None]], needs: Needs,
           cells: pd.DataFrame, exclude: set[str], pools: dict[tuple[str, str], float] | None = None) -> pd.DataFrame:
    """Place the running partitions of `source` into `free` and `pools` (which it updates); `cells` = its matrix rows."""
    pools = {} if pools is None else pools
    data = prepare(inv, plan)
    movers = data.movers[data.movers["system"] == source]
    cols = ["system", "lpar_id", "partition", "action", "destination", "reason", "proc_units", "mem_mb"]
    rows: list[dict[str, object]] = []
    for r in movers[movers["mode"] != "active"].itertuples():
        action = "stays (not activated)" if r.mode == "inactive" else "blocked"
        rows.append({"system": source, "lpar_id": r.lpar_id, "partition": r.partition, "action": action,
                     "destination": None, "reason": f"state {r.state}"})
    running = movers[movers["mode"] == "active"]
    cells = cells[~cells["destination"].isin(exclude)]
    ready = cells[cells["movable"]].groupby("lpar_id")["destination"].agg(list)
    order = running.assign(_mem=running["curr_mem_mb"].fillna(0)).sort_values(["_mem", "lpar_id"], ascending=[False, True])
    for r in order.itertuples():
        targets = [t for t in ready.get(r.lpar_id, []) if t in free]
        best, best_left, unknown = None, -1.0, False
        for dest in targets:
            units, mem, pool = needs.get((source, int(r.lpar_id), dest), (None, None, None))
            have = free[dest]
            if units is None or mem is None or have[0] is None or have[1] is None or pool == "?":
                unknown = True
                continue
            room = pools.get((dest, pool), np.inf) if pool else np.inf
            if units <= have[0] + 1e-9 and mem <= have[1] and units <= room + 1e-9 and have[1] - mem > best_left:
                best, best_left = dest, have[1] - mem
        row: dict[str, object] = {"system": source, "lpar_id": r.lpar_id, "partition": r.partition}
        if best is not None:
            units, mem, pool = needs[(source, int(r.lpar_id), best)]
            free[best] = [free[best][0] - units, free[best][1] - mem]  # type: ignore[operator]
            if pool and (best, pool) in pools:
                pools[(best, pool)] -= units  # type: ignore[operator]
            row.update(action="move", destination=best, proc_units=units, mem_mb=mem)
        elif plan.is_preemptible(source, str(r.partition)):
            row.update(action="shut down", reason="preemptible (plan)")
        elif not targets:
            mine = cells[cells["lpar_id"] == r.lpar_id]
            why = "; ".join(f"{d}: {b or 'unknown'}" for d, b in zip(mine["destination"], mine["first_blocker"],
                                                                      strict=True)) or "no candidate destination"
            row.update(action="blocked", reason=why)
        else:
            row.update(action="capacity unknown" if unknown else "no capacity",
                       reason="destinations without other blockers: " + ", ".join(targets))
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def _free(inv: Inventory, plan: Plan, sizer: Sizer) -> dict[str, list[float | None]]:
    s = sizer.supply(inv, plan)
    return {str(r.system): [None if pd.isna(r.proc_units) else float(r.proc_units),
                            None if pd.isna(r.mem_mb) else float(r.mem_mb)] for r in s.itertuples()}


def _pools(inv: Inventory, plan: Plan, sizer: Sizer) -> dict[tuple[str, str], float]:
    pools = getattr(sizer, "pools", None)
    if pools is None:
        return {}
    return {(str(r.system), str(r.pool)): float(r.proc_units) for r in pools(inv, plan).itertuples()}


def evacuation(inv: Inventory, plan: Plan, sizer: Sizer | None = None) -> pd.DataFrame:
    """Per system, evacuated alone: where each of its partitions would go (or why it cannot)."""
    sizer = sizer or CapacitySizer()
    matrix = _candidates(readiness_matrix(inv, plan))
    needs = _needs(inv, plan, matrix, sizer)
    supply, pool_room = _free(inv, plan, sizer), _pools(inv, plan, sizer)
    by_source = dict(tuple(matrix.groupby("system", sort=False)))
    parts = []
    for source in sorted(inv.systems["system"]):
        free = {k: list(v) for k, v in supply.items() if k != source}
        parts.append(_place(inv, plan, source, free, needs, by_source.get(source, matrix.iloc[:0]), {source},
                            dict(pool_room)))
    return pd.concat(parts, ignore_index=True) if parts else _place(inv, plan, "", {}, needs, matrix, set())


def evacuation_summary(plan_rows: pd.DataFrame) -> pd.DataFrame:
    """One row per system: how many partitions move, shut down, stay, cannot go; and whether it empties."""
    counts = plan_rows.pivot_table(index="system", columns="action", values="lpar_id", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=list(ACTIONS), fill_value=0)
    counts["evacuable"] = (counts[["blocked", "no capacity", "capacity unknown"]].sum(axis=1) == 0)
    return counts.reset_index().rename_axis(columns=None)


def consolidation(inv: Inventory, plan: Plan, sizer: Sizer | None = None) -> pd.DataFrame:
    """Night-time plan: empty systems one by one (least memory in use first) while everything still fits.

    Returns the placements of every system switched off (`action`/`destination` as in evacuation), in order.
    """
    sizer = sizer or CapacitySizer()
    matrix = _candidates(readiness_matrix(inv, plan))
    needs = _needs(inv, plan, matrix, sizer)
    by_source = dict(tuple(matrix.groupby("system", sort=False)))
    free, pool_room = _free(inv, plan, sizer), _pools(inv, plan, sizer)
    p = inv.partitions
    used = p[p["state"].str.lower() == "running"].groupby("system")["curr_mem_mb"].sum()
    order = sorted(inv.systems["system"], key=lambda s: (float(used.get(s, 0) or 0), s))
    off: list[str] = []
    receivers: set[str] = set()  # a system that took partitions stays on (they would have to move again)
    parts = []
    for source in order:
        if source in receivers:
            continue
        trial = {k: list(v) for k, v in free.items() if k != source and k not in off}
        trial_pools = dict(pool_room)
        placed = _place(inv, plan, source, trial, needs, by_source.get(source, matrix.iloc[:0]), {source, *off},
                        trial_pools)
        if len(trial) and placed["action"].isin(["move", "shut down", "stays (not activated)"]).all():
            off.append(source)
            free, pool_room = {**free, **trial}, trial_pools
            receivers.update(placed["destination"].dropna())
            parts.append(placed.assign(step=len(off)))
    cols = ["step", "system", "lpar_id", "partition", "action", "destination", "reason", "proc_units", "mem_mb"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
