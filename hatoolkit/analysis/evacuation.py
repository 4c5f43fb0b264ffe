"""Evacuation by LPM: can a system be emptied live (firmware window, or switched off at night), and where
would each partition go?

For each system, its running partitions are placed, largest memory first, on destinations where
the readiness matrix says `ready` (an `unknown` cell is never used: it is not known to work),
spreading onto the destination with the most memory left. Preemptible partitions (plan) that
cannot move may be shut down instead; partitions not activated stay defined where they are.
`consolidation` then empties systems one after another, smallest first, into the systems still
powered on, while every running partition finds a place: the night-time plan.

Capacity goes through a `Sizer`. Until analysis.capacity (issue 4) provides the real arithmetic
(hypervisor page-table overhead, shared-pool limits, CoD), `InterimSizer` is used: demand =
current entitlement (shared) or cores (dedicated) and current memory rounded up to the
destination's memory region size; supply = the destination's currently available processors and
memory, plus what its running preemptible partitions would free. It ignores hypervisor memory
for the new partition, so it is optimistic by roughly 1/64 to 1/128 of each partition's maximum
memory. Swap it by passing `sizer=`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from hatoolkit.analysis.mobility import readiness_matrix
from hatoolkit.analysis.mobility_data import prepare
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan

ACTIONS = ("move", "shut down", "stays (not activated)", "blocked", "no capacity", "capacity unknown")


class Sizer(Protocol):
    """Capacity arithmetic for placement: what a partition needs on a destination, what each system offers."""

    def demand(self, inv: Inventory, plan: Plan, cells: pd.DataFrame) -> pd.DataFrame:
        """cells (system, lpar_id, destination) -> the same rows with proc_units, mem_mb (NA when unknown)."""
        ...

    def supply(self, inv: Inventory, plan: Plan) -> pd.DataFrame:
        """One row per system: system, proc_units, mem_mb free for incoming partitions (NA when unknown)."""
        ...


@dataclass(frozen=True)
class InterimSizer:
    """Placeholder arithmetic until analysis.capacity lands (see module docstring for what it ignores)."""

    use_preemptible: bool = True

    def demand(self, inv: Inventory, plan: Plan, cells: pd.DataFrame) -> pd.DataFrame:
        p = inv.partitions[["system", "lpar_id", "curr_proc_mode", "curr_proc_units", "curr_procs", "curr_mem_mb"]]
        out = cells[["system", "lpar_id", "destination"]].merge(p, on=["system", "lpar_id"], how="left")
        ded = out["curr_proc_mode"] == "ded"
        units = out["curr_proc_units"].astype("Float64").where(~ded, out["curr_procs"].astype("Float64"))
        lmb = out["destination"].map(inv.systems.set_index("system")["mem_region_size_mb"]).astype("Float64")
        mem = out["curr_mem_mb"].astype("Float64")
        rounded = ((mem / lmb).map(lambda x: float(math.ceil(x)) if pd.notna(x) else pd.NA).astype("Float64") * lmb)
        mem = rounded.where(lmb.notna() & lmb.gt(0), mem)
        return out.assign(proc_units=units, mem_mb=mem)[["system", "lpar_id", "destination", "proc_units", "mem_mb"]]

    def supply(self, inv: Inventory, plan: Plan) -> pd.DataFrame:
        s = inv.systems[["system", "curr_avail_sys_proc_units", "curr_avail_sys_mem_mb"]].rename(
            columns={"curr_avail_sys_proc_units": "proc_units", "curr_avail_sys_mem_mb": "mem_mb"})
        s = s.astype({"proc_units": "Float64", "mem_mb": "Float64"})
        if not self.use_preemptible or not plan.preemptible:
            return s
        p = inv.partitions
        running = p[p["state"].str.lower() == "running"]
        pre = running[[plan.is_preemptible(str(a), str(b)) for a, b in zip(running["system"], running["name"].fillna(""),
                                                                            strict=True)]]
        units = pre["curr_proc_units"].astype("Float64").where(pre["curr_proc_mode"] != "ded",
                                                               pre["curr_procs"].astype("Float64"))
        freed = pre.assign(u=units, m=pre["curr_mem_mb"].astype("Float64")).groupby("system")[["u", "m"]].sum()
        s = s.merge(freed, left_on="system", right_index=True, how="left")
        return s.assign(proc_units=s["proc_units"] + s["u"].fillna(0), mem_mb=s["mem_mb"] + s["m"].fillna(0))[
            ["system", "proc_units", "mem_mb"]]


Needs = dict[tuple[str, int, str], tuple[float | None, float | None]]


def _needs(inv: Inventory, plan: Plan, matrix: pd.DataFrame, sizer: Sizer) -> Needs:
    ready = matrix[matrix["status"] == "ready"][["system", "lpar_id", "destination"]]
    d = sizer.demand(inv, plan, ready)
    return {(str(r.system), int(r.lpar_id), str(r.destination)):
            (None if pd.isna(r.proc_units) else float(r.proc_units), None if pd.isna(r.mem_mb) else float(r.mem_mb))
            for r in d.itertuples()}


def _place(inv: Inventory, plan: Plan, source: str, free: dict[str, list[float | None]], needs: Needs,
           cells: pd.DataFrame, exclude: set[str]) -> pd.DataFrame:
    """Place the running partitions of `source` into `free` (which it updates); `cells` = its matrix rows."""
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
    ready = cells[cells["status"] == "ready"].groupby("lpar_id")["destination"].agg(list)
    order = running.assign(_mem=running["curr_mem_mb"].fillna(0)).sort_values(["_mem", "lpar_id"], ascending=[False, True])
    for r in order.itertuples():
        targets = [t for t in ready.get(r.lpar_id, []) if t in free]
        best, best_left, unknown = None, -1.0, False
        for dest in targets:
            units, mem = needs.get((source, int(r.lpar_id), dest), (None, None))
            have = free[dest]
            if units is None or mem is None or have[0] is None or have[1] is None:
                unknown = True
                continue
            if units <= have[0] + 1e-9 and mem <= have[1] and have[1] - mem > best_left:
                best, best_left = dest, have[1] - mem
        row: dict[str, object] = {"system": source, "lpar_id": r.lpar_id, "partition": r.partition}
        if best is not None:
            units, mem = needs[(source, int(r.lpar_id), best)]
            free[best] = [free[best][0] - units, free[best][1] - mem]  # type: ignore[operator]
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
                       reason="ready destinations: " + ", ".join(targets))
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def _free(inv: Inventory, plan: Plan, sizer: Sizer) -> dict[str, list[float | None]]:
    s = sizer.supply(inv, plan)
    return {str(r.system): [None if pd.isna(r.proc_units) else float(r.proc_units),
                            None if pd.isna(r.mem_mb) else float(r.mem_mb)] for r in s.itertuples()}


def evacuation(inv: Inventory, plan: Plan, sizer: Sizer | None = None) -> pd.DataFrame:
    """Per system, evacuated alone: where each of its partitions would go (or why it cannot)."""
    sizer = sizer or InterimSizer()
    matrix = readiness_matrix(inv, plan)
    needs = _needs(inv, plan, matrix, sizer)
    supply = _free(inv, plan, sizer)
    by_source = dict(tuple(matrix.groupby("system", sort=False)))
    parts = []
    for source in sorted(inv.systems["system"]):
        free = {k: list(v) for k, v in supply.items() if k != source}
        parts.append(_place(inv, plan, source, free, needs, by_source.get(source, matrix.iloc[:0]), {source}))
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
    sizer = sizer or InterimSizer()
    matrix = readiness_matrix(inv, plan)
    needs = _needs(inv, plan, matrix, sizer)
    by_source = dict(tuple(matrix.groupby("system", sort=False)))
    free = _free(inv, plan, sizer)
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
        placed = _place(inv, plan, source, trial, needs, by_source.get(source, matrix.iloc[:0]), {source, *off})
        if len(trial) and placed["action"].isin(["move", "shut down", "stays (not activated)"]).all():
            off.append(source)
            free = {**free, **trial}
            receivers.update(placed["destination"].dropna())
            parts.append(placed.assign(step=len(off)))
    cols = ["step", "system", "lpar_id", "partition", "action", "destination", "reason", "proc_units", "mem_mb"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
