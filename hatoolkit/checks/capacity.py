"""HA1xx: failover capacity. Can the backup, or the surviving systems, run a failed system's partitions?

Each check reads the shared failover analysis (`analysis.failover`, exact placements per failure
scenario) and reports one finding per scenario and kind of shortfall: `system` is the failed
system, `destination` the backup or the `;`-joined survivors. "Does not fit" is a proof (a sum
bound, a partition too big for any destination, or an infeasible MILP), never a heuristic's
guess; where a capture the answer depends on is missing, the finding is `unknown`.

"The plan's terms" below: the plan's sizing policy, the destinations' preemptible partitions shut
down, inactive Capacity on Demand counted only when `allow_cod: true`.
"""

from __future__ import annotations

import math

import pandas as pd

from hatoolkit.analysis.failover import FailoverAnalysis, Placement, Scenario, Variant, failover
from hatoolkit.analysis.usage import sizing_evidence, sizing_sentence
from hatoolkit.checks.registry import Outcome, check, evidence, outcome, rows
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan


def _gb(mb: float | None) -> str:
    return "unknown" if mb is None or (isinstance(mb, float) and math.isnan(mb)) else f"{mb / 1024:.1f} GB"


def _u(units: float | None) -> str:
    return "unknown" if units is None else f"{units:g}"


def _names(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _sum(p: Placement, col: str) -> float | None:
    values = pd.to_numeric(p.targets[col], errors="coerce")
    return None if values.isna().any() else round(float(values.sum()), 2)


def _sz(p: Placement) -> dict[str, object]:
    """How the placed partitions were sized: `sizing`, `basis` (entitlement or observed usage), fallbacks."""
    return sizing_evidence(p.data.sub, p.variant.sizing)


def _row(sc: Scenario, message: str, ev: str, status: str = "fail", severity: str | None = None,
         resource: str | None = None, partition: str | None = None, sized: Placement | None = None) -> dict:
    """A finding row; `sized` adds the sentence saying how a usage policy sized the partitions."""
    message += sizing_sentence(_sz(sized)) if sized is not None else ""
    return {"system": sc.failed, "destination": sc.destination, "partition": partition,
            "resource": resource or sc.label, "status": status, "message": message, "evidence": ev,
            "severity": severity}


def _unknown(sc: Scenario, p: Placement, what: str) -> dict:
    missing = "; ".join(p.missing) or "capacity data"
    return _row(sc, f"Cannot tell whether {what}: {missing}.",
                evidence(scenario=sc.kind, **_sz(p), missing=missing), status="unknown", sized=p)


def _frame(found: list[dict]) -> pd.DataFrame:
    if not found:
        return rows(pd.DataFrame(index=pd.RangeIndex(0)))
    frame = pd.DataFrame(found)
    return rows(frame, **{c: frame[c] for c in frame.columns})


def _dimension(fa: FailoverAnalysis, sc: Scenario, dim: str) -> tuple[Placement, Placement] | None:
    """(dimension-only placement, full placement) when the plan's terms leave a shortfall to report."""
    v = fa.allowed(sc)
    full = fa.placement(sc, v)
    if full.status == "fits":
        return None
    return fa.placement(sc, v, dims=(dim,)), full


def _shortfall(inv: Inventory, plan: Plan, dim: str) -> Outcome:
    fa = failover(inv, plan)
    found = []
    other = "mem" if dim == "proc" else "proc"
    for sc in fa.primary():
        pair = _dimension(fa, sc, dim)
        if pair is None:
            continue
        alone, full = pair
        if alone.status == "unknown":
            found.append(_unknown(sc, alone, f"{sc.failed}'s partitions have enough "
                                             f"{'processors' if dim == 'proc' else 'memory'} on {sc.destination}"))
            continue
        together = False
        if alone.status == "fits":
            # Each dimension fits alone but not both at once: report it where the pressure is higher.
            v = fa.allowed(sc)
            other_alone = fa.placement(sc, v, dims=(other,))
            no_pool = fa.placement(sc, v, dims=("proc", "mem"))
            if full.status != "does_not_fit" or other_alone.status != "fits" or no_pool.status != "does_not_fit":
                continue
            mine, theirs = (_ratio(alone, dim), _ratio(alone, other))
            if mine < theirs or (mine == theirs and dim == "mem"):
                continue
            together = True
        found.append(_shortfall_row(fa, sc, alone, dim, together))
    return outcome(len(fa.primary()), _frame(found))


def _ratio(p: Placement, dim: str) -> float:
    demand, supply = (p.demand_proc_units, p.supply_proc_units) if dim == "proc" else (p.demand_mem_mb, p.supply_mem_mb)
    return demand / supply if supply else math.inf


def _shortfall_row(fa: FailoverAnalysis, sc: Scenario, p: Placement, dim: str, together: bool) -> dict:
    v = p.variant
    scale, basis = fa.rperf(sc)
    minimum = fa.placement(sc, fa.allowed(sc, "minimum"), dims=(dim,))
    severity = "critical" if minimum.status == "does_not_fit" else None
    terms = f"{v.sizing} size" + (", preemptible partitions shut down" if v.preempt else "") + \
        (", CoD activated" if v.cod else "")
    if dim == "proc":
        need, have = f"{_u(p.demand_proc_units)} processing units", f"{_u(p.supply_proc_units)}"
        parts = dict(demand_proc_units=p.demand_proc_units, supply_proc_units=p.supply_proc_units,
                     curr_avail_sys_proc_units=_sum(p, "proc_units_avail"),
                     preemptible_proc_units=_sum(p, "proc_units_preemptible") if v.preempt else 0.0,
                     cod_proc_units=_sum(p, "proc_units_cod") if v.cod else 0.0,
                     minimum_demand_proc_units=minimum.demand_proc_units)
        if scale:  # "1.3" for one destination, "PRD-2:1.08;PRD-3:0.9" for several
            per = ", ".join(f"{f} on {name}" if name else f for name, _, f in (s.rpartition(":") for s in scale.split(";")))
            need += f" (scaled by {per} for per-core performance)"
    else:
        need, have = _gb(p.demand_mem_mb), _gb(p.supply_mem_mb)
        parts = dict(demand_mem_mb=p.demand_mem_mb, supply_mem_mb=p.supply_mem_mb,
                     curr_avail_sys_mem_mb=_sum(p, "mem_mb_avail"),
                     preemptible_mem_mb=_sum(p, "mem_mb_preemptible") if v.preempt else 0.0,
                     cod_mem_mb=_sum(p, "mem_mb_cod") if v.cod else 0.0,
                     minimum_demand_mem_mb=minimum.demand_mem_mb)
    what = "processing units" if dim == "proc" else "memory"
    if together:
        text = (f"If {sc.failed} fails, its partitions fit {sc.destination}'s processors and memory separately "
                f"but no placement satisfies both at once ({terms}).")
    else:
        text = (f"If {sc.failed} fails, its partitions need {need} on {sc.destination} ({terms}), which can give "
                f"{have}; no placement fits the {what}.")
    if p.unplaced:
        text += f" Left without a home: {_names(p.unplaced)}."
    if severity:
        text += " It does not fit even at minimum size."
    ev = evidence(scenario=sc.kind, **_sz(p), **parts, proof=p.method, rperf_scale=scale or 1.0,
                  **({"rperf_basis": basis} if basis else {}), unplaced=tuple(p.unplaced))
    return _row(sc, text, ev, severity=severity, resource="processors" if dim == "proc" else "memory", sized=p)


@check("HA101", Severity.HIGH,
       remediation="Add or activate processors on the destination, shrink entitlements (or the sizing policy), "
                   "add preemptible partitions to the plan, or spread the workload over more destinations.")
def proc_shortfall(inv: Inventory, plan: Plan) -> Outcome:
    """A failed system's partitions need more processing units than the destination can give.

    After the failure its partitions must be restarted elsewhere; entitled capacity (or whole
    dedicated cores) that is not free on the destination means partitions that cannot be
    activated at all, or only below their entitlement. Uncapped capacity is never counted, and a
    core of an older generation is scaled by published rPerf.
    """
    return _shortfall(inv, plan, "proc")


@check("HA102", Severity.HIGH,
       remediation="Add or activate memory on the destination, lower desired/minimum memory of the partitions, "
                   "lower maximum memory (it sizes the page table), or free memory on the destination.")
def mem_shortfall(inv: Inventory, plan: Plan) -> Outcome:
    """A failed system's partitions need more memory than the destination can give.

    Memory cannot be overcommitted by PowerVM: a partition whose memory (rounded up to the
    destination's memory block size, plus the page table the hypervisor allocates from its
    maximum memory) does not fit is not activated.
    """
    return _shortfall(inv, plan, "mem")


def _level(fa: FailoverAnalysis, sc: Scenario) -> tuple[str | None, Placement]:
    """The first size (plan's, then minimum) at which the scenario fits on the plan's terms."""
    full = fa.placement(sc, fa.allowed(sc))
    if full.status != "does_not_fit" or fa.sizing == "minimum":
        return (fa.sizing if full.status == "fits" else None), full
    mini = fa.placement(sc, fa.allowed(sc, "minimum"))
    return ("minimum" if mini.status == "fits" else None), mini


@check("HA103", Severity.MEDIUM,
       remediation="Size the destination for the partitions' desired values, or accept degraded service and "
                   "document which partitions run at minimum after a failover.")
def fits_only_at_minimum(inv: Inventory, plan: Plan) -> Outcome:
    """A failed system's partitions fit on the destination only at their minimum size.

    Activation takes desired resources when available and settles for any amount down to the
    minimum; after this failover the workloads run degraded, at minimum entitlement and memory.
    """
    fa = failover(inv, plan)
    found = []
    if fa.sizing != "minimum":
        for sc in fa.primary():
            full = fa.placement(sc, fa.allowed(sc))
            if full.status == "fits":
                continue
            mini = fa.placement(sc, fa.allowed(sc, "minimum"))
            what = f"{sc.failed}'s partitions fit on {sc.destination} at {fa.sizing} or only at minimum size"
            if full.status == "unknown":
                found.append(_unknown(sc, full, what))
            elif mini.status == "unknown":
                found.append(_unknown(sc, mini, what))
            elif mini.status == "fits":
                found.append(_row(
                    sc, f"If {sc.failed} fails, its partitions fit on {sc.destination} only at minimum size "
                        f"({_u(mini.demand_proc_units)} processing units, {_gb(mini.demand_mem_mb)}); at {fa.sizing} "
                        f"size they need {_u(full.demand_proc_units)} and {_gb(full.demand_mem_mb)}.",
                    evidence(scenario=sc.kind, **_sz(full), demand_proc_units=full.demand_proc_units,
                             demand_mem_mb=full.demand_mem_mb, minimum_demand_proc_units=mini.demand_proc_units,
                             minimum_demand_mem_mb=mini.demand_mem_mb, supply_proc_units=mini.supply_proc_units,
                             supply_mem_mb=mini.supply_mem_mb), sized=full))
    return outcome(len(fa.primary()), _frame(found))


@check("HA104", Severity.LOW,
       remediation="Keep a tested runbook that shuts the preemptible partitions down first (or automate it), "
                   "or add capacity so the failover does not depend on it.")
def fits_only_by_preemption(inv: Inventory, plan: Plan) -> Outcome:
    """A failover fits only after shutting down the destination's preemptible partitions.

    The plan allows it, but the restart now depends on an extra step under pressure: until the
    dev/test partitions are down, the failed system's partitions cannot be activated.
    """
    fa = failover(inv, plan)
    found = []
    for sc in fa.primary():
        if not fa.has_preemptible(sc):
            continue
        size, decided = _level(fa, sc)
        what = f"{sc.failed}'s partitions need {sc.destination}'s preemptible partitions shut down"
        if size is None:
            if decided.status == "unknown":
                found.append(_unknown(sc, decided, what))
            continue
        without = fa.placement(sc, Variant(size, False, plan.allow_cod))
        if without.status == "unknown":
            found.append(_unknown(sc, without, what))
        elif without.status == "does_not_fit":
            shut = [n for s in sc.destinations if (sup := fa.supply(s)) for n in sup.preemptible]
            found.append(_row(
                sc, f"If {sc.failed} fails, its partitions fit on {sc.destination} ({size} size) only after shutting "
                    f"down {_names(shut)}.",
                evidence(scenario=sc.kind, **_sz(without), preemptible=tuple(shut),
                         demand_proc_units=without.demand_proc_units, supply_proc_units=without.supply_proc_units,
                         demand_mem_mb=without.demand_mem_mb, supply_mem_mb=without.supply_mem_mb), sized=without))
    return outcome(len(fa.primary()), _frame(found))


@check("HA105", Severity.MEDIUM,
       remediation="Arrange the Capacity on Demand activation (On/Off, Elastic, Enterprise Pool) in the failover "
                   "runbook and the licence; or add active capacity so the failover does not depend on it.")
def fits_only_with_cod(inv: Inventory, plan: Plan) -> Outcome:
    """A failover fits only if inactive Capacity on Demand is activated on the destination.

    Dark cores and memory are physically there but need a licensed, manual activation at the
    worst moment; when the plan does not allow it, the failover does not fit at all.
    """
    fa = failover(inv, plan)
    found = []
    sizes = (fa.sizing,) if fa.sizing == "minimum" else (fa.sizing, "minimum")
    for sc in fa.primary():
        if not fa.has_cod(sc):
            continue
        pre = fa.has_preemptible(sc)
        for size in sizes:
            without = fa.placement(sc, Variant(size, pre, False))
            if without.status == "fits":
                break
            with_cod = fa.placement(sc, Variant(size, pre, True))
            what = f"{sc.failed}'s partitions depend on CoD activation on {sc.destination}"
            if "unknown" in (without.status, with_cod.status):
                found.append(_unknown(sc, with_cod if with_cod.status == "unknown" else without, what))
                break
            if with_cod.status == "fits":
                cores, mem = _sum(with_cod, "proc_units_cod"), _sum(with_cod, "mem_mb_cod")
                allowed = "the plan allows it (allow_cod: true)" if plan.allow_cod else \
                    "the plan does not allow it (allow_cod: false), so as planned it does not fit"
                found.append(_row(
                    sc, f"If {sc.failed} fails, its partitions fit on {sc.destination} ({size} size) only with "
                        f"Capacity on Demand activated ({_u(cores)} dark processor units, {_gb(mem)}); {allowed}.",
                    evidence(scenario=sc.kind, **_sz(without), allow_cod=plan.allow_cod, cod_proc_units=cores,
                             cod_mem_mb=mem, demand_proc_units=without.demand_proc_units,
                             supply_proc_units=without.supply_proc_units, demand_mem_mb=without.demand_mem_mb,
                             supply_mem_mb=without.supply_mem_mb), sized=without))
                break
    return outcome(len(fa.primary()), _frame(found))


@check("HA106", Severity.HIGH,
       remediation="Raise max_pool_proc_units of the destination pool (chhwres -r procpool), check the licences "
                   "the cap enforces, or plan the partitions into another pool on the destination.")
def pool_cap_exceeded(inv: Inventory, plan: Plan) -> Outcome:
    """A failover exceeds a shared processor pool's cap on the destination.

    Partitions keep their shared processor pool by name when restarted (DefaultPool otherwise); a
    capped pool (often a licensing boundary) limits their total entitlement no matter how many
    cores are free on the system.
    """
    fa = failover(inv, plan)
    found = []
    for sc in fa.primary():
        v = fa.allowed(sc)
        p = fa.placement(sc, v, dims=("pool",))
        if p.status == "unknown":
            found.append(_unknown(sc, p, f"{sc.failed}'s partitions fit the shared processor pools on "
                                         f"{sc.destination}"))
        elif p.status == "does_not_fit":
            over = [x for x in fa.pool_pressure(sc, v) if x["demand_proc_units"] > (x["free_proc_units"] or 0)]
            desc = "; ".join(f"{x['pool']} on {x['target']} is capped at {x['max_pool_proc_units']:g} "
                             f"({_u(x['free_proc_units'])} free) but {_names(x['partitions'])} need "
                             f"{x['demand_proc_units']:g}" for x in over)
            first = over[0] if over else {}
            found.append(_row(
                sc, f"If {sc.failed} fails, its partitions exceed shared processor pool caps: {desc}.",
                evidence(scenario=sc.kind, **_sz(p), pool=first.get("pool"),
                         max_pool_proc_units=first.get("max_pool_proc_units"),
                         free_pool_proc_units=first.get("free_proc_units"),
                         demand_pool_proc_units=first.get("demand_proc_units"), unplaced=tuple(p.unplaced)),
                resource=f"pool {first.get('pool')}" if first else None, sized=p))
    return outcome(len(fa.primary()), _frame(found))


@check("HA107", Severity.HIGH,
       remediation="Free or activate whole cores on the destination, or change the partitions to shared "
                   "processors (entitlement) so they can start on fractional free capacity.")
def dedicated_cores_unavailable(inv: Inventory, plan: Plan) -> Outcome:
    """Dedicated-processor partitions cannot get their whole cores on the destination.

    A dedicated partition needs whole free cores on one system (scaled to the destination's core
    performance and rounded up); fractions of free capacity spread over systems do not help it.
    """
    fa = failover(inv, plan)
    found = []
    for sc in fa.primary():
        v = fa.allowed(sc)
        p = fa.placement(sc, v, dims=("proc",), dedicated_only=True)
        if not p.data.size:
            continue
        if p.status == "unknown":
            found.append(_unknown(sc, p, f"{sc.failed}'s dedicated partitions get whole cores on {sc.destination}"))
        elif p.status == "does_not_fit":
            needs = ", ".join(f"{r.partition} {r.proc_units_min:g}" for r in p.items.itertuples()
                              if not isinstance(r.target, str))
            free = ", ".join(f"{t.target} {math.floor(t.proc_units_supply) if pd.notna(t.proc_units_supply) else '?'}"
                             for t in p.targets.itertuples())
            found.append(_row(
                sc, f"If {sc.failed} fails, dedicated partitions cannot get whole cores: {needs} cores needed; "
                    f"whole cores free: {free}.",
                evidence(scenario=sc.kind, **_sz(p), dedicated_cores=p.demand_proc_units,
                         supply_proc_units=p.supply_proc_units, unplaced=tuple(p.unplaced)),
                partition=p.unplaced[0] if len(p.unplaced) == 1 else None, sized=p))
    return outcome(len(fa.primary()), _frame(found))


@check("HA108", Severity.MEDIUM,
       remediation="Size the production system to take the backup's own partitions back, or name another "
                   "destination for them in the plan (a pair or pool of their own).")
def pair_asymmetric(inv: Inventory, plan: Plan) -> Outcome:
    """A backup system's own partitions could not come back on the production system it protects.

    The backup runs workloads of its own (NIM, hosting partitions, anything not preemptible). If
    the backup fails, or must be evacuated for maintenance, they have nowhere to go: the pair
    protects in one direction only.
    """
    fa = failover(inv, plan)
    reverse = [s for s in fa.scenarios if s.kind == "reverse"]
    found = []
    for sc in reverse:
        v = fa.allowed(sc)
        p = fa.placement(sc, v)
        if p.status == "unknown":
            found.append(_unknown(sc, p, f"{sc.failed}'s own partitions could run on {sc.destination}"))
        elif p.status == "does_not_fit":
            found.append(_row(
                sc, f"{sc.failed} backs up {sc.destination}, but if {sc.failed} failed its own partitions "
                    f"({_names(list(p.items['partition']))}) could not run on {sc.destination}: they need "
                    f"{_u(p.demand_proc_units)} processing units and {_gb(p.demand_mem_mb)}, "
                    f"{sc.destination} has {_u(p.supply_proc_units)} and {_gb(p.supply_mem_mb)}.",
                evidence(scenario="reverse", **_sz(p), demand_proc_units=p.demand_proc_units,
                         supply_proc_units=p.supply_proc_units, demand_mem_mb=p.demand_mem_mb,
                         supply_mem_mb=p.supply_mem_mb, proof=p.method, unplaced=tuple(p.unplaced)), sized=p))
    return outcome(len(reverse), _frame(found))
