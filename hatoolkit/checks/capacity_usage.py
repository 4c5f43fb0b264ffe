"""HA109: sizing by observed usage is only as good as the samples behind it.

Only a usage policy (plan.yaml `sizing: p95_30d`, `peak_7d`, ...) reads utilisation samples; with
an entitlement policy the check evaluates nothing (and says so in coverage). It looks at the
partitions a failover must restart (the capacity checks' demand: running, in scope, not VIOS, not
preemptible) and reports, per partition, what the capacity checks could not see:

- no samples in the window: the capacity analysis sized it by its current entitlement instead
  (named in every capacity finding's evidence as `entitlement_fallback`); here it is `unknown`,
  because its observed demand is not known, with the reason (collection off, not captured);
- samples that cover too little of the window (`min_coverage_pct`) or leave a hole longer than
  `max_hole_h` hours: the statistic may miss the peak the failover must carry (a month-end close,
  a weekly batch), so the sizing is weaker than it looks; `fail`, low severity.
"""

from __future__ import annotations

import pandas as pd

from hatoolkit.analysis.demand import partition_base
from hatoolkit.analysis.failover_demand import kept_partitions
from hatoolkit.analysis.usage import usage_end, usage_stats
from hatoolkit.checks.registry import Outcome, check, evidence, outcome, rows
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan, usage_policy

_WHY_NONE = {
    "off": "utilisation collection is off on its HMC (lslparutil -r config: sample_rate=0)",
    "on": "its HMC collects utilisation, but the capture holds no samples of it in the window",
    "unknown": "no utilisation samples of it were captured (and no lslparutil -r config says whether the HMC "
               "collects)",
}


@check("HA109", Severity.MEDIUM,
       remediation="Turn utilisation collection on (chlparutil -r config -s 3600), capture `lslparutil -r lpar` "
                   "(or HMC Scanner with performance data) covering the whole sizing window, or size by "
                   "entitlement (plan.yaml sizing: current) until it is covered.")
def usage_samples_incomplete(inv: Inventory, plan: Plan, *, min_coverage_pct: float = 80.0,
                             max_hole_h: float = 24.0) -> Outcome:
    """Usage-based sizing rests on missing or incomplete utilisation samples.

    Sizing failover demand by observed usage instead of entitlement frees capacity on paper; it
    is safe only if the samples cover the window. A partition without samples falls back to its
    entitlement, and a short or holed window can miss the peak the backup must carry after a
    failure.
    """
    policy = usage_policy(plan.sizing)
    if policy is None:
        return outcome(0, rows(pd.DataFrame(index=pd.RangeIndex(0))))
    as_of = usage_end(plan.as_of)
    base = partition_base(inv, plan.sizing, as_of)
    kept = kept_partitions(base, plan).frame
    kept = kept[kept["running"].to_numpy(dtype=bool)].reset_index(drop=True)
    stats = usage_stats(inv, plan.sizing, as_of)
    cols = ["system", "lpar_id", "first_at", "last_at", "holes", "longest_hole_h", "collection"]
    df = kept.merge(stats[cols], on=["system", "lpar_id"], how="left")
    on = dict(zip(inv.utilization_config["system"], inv.utilization_config["sample_rate_s"], strict=True))
    window = f"the {policy.days} days before as_of"
    found = []
    for r in df.itertuples(index=False):
        name = r.partition if isinstance(r.partition, str) else f"lpar_id {r.lpar_id}"
        rate = on.get(r.system)
        collection = "unknown" if rate is None or pd.isna(rate) else ("on" if int(rate) > 0 else "off")
        common = dict(sizing=plan.sizing, samples=int(r.usage_samples), proc_units_entitled=r.proc_units_entitled)
        if not r.observed:
            found.append({"system": r.system, "partition": name, "status": "unknown", "severity": None,
                          "message": f"{name} has no utilisation samples in {window}: {_WHY_NONE[collection]}. "
                                     f"The capacity checks size it by its current entitlement "
                                     f"({r.proc_units_entitled:g} processing units) instead.",
                          "evidence": evidence(**common, collection=collection, basis="entitlement_fallback")})
            continue
        coverage = float(r.usage_coverage_pct)
        hole = float(r.longest_hole_h) if pd.notna(r.longest_hole_h) else 0.0
        if coverage >= min_coverage_pct and hole <= max_hole_h:
            continue
        why = []
        if coverage < min_coverage_pct:
            why.append(f"they cover {coverage:g}% of {window} (first sample {r.first_at:%Y-%m-%d %H:%M} UTC)")
        before_first = (r.first_at - (as_of - policy.window)).total_seconds() / 3600
        if hole > max_hole_h and not (why and hole <= before_first):  # not just the start the coverage names
            why.append(f"the longest stretch without samples is {hole:g} hours")
        found.append({"system": r.system, "partition": name, "status": "fail", "severity": "low",
                      "message": f"{name} is sized by its {policy.name} usage ({r.proc_units:.2f} processing units), "
                                 f"but {' and '.join(why)}: a peak outside the samples is not in the figure.",
                      "evidence": evidence(**common, coverage_pct=coverage, holes=int(r.holes),
                                           longest_hole_h=hole, first_at=r.first_at, last_at=r.last_at,
                                           proc_units_observed=round(float(r.proc_units), 2))})
    frame = pd.DataFrame(found) if found else pd.DataFrame(index=pd.RangeIndex(0))
    if frame.empty:
        return outcome(len(df), rows(frame))
    return outcome(len(df), rows(frame, system=frame["system"], partition=frame["partition"],
                                 resource="utilisation samples", status=frame["status"], message=frame["message"],
                                 evidence=frame["evidence"],
                                 severity=frame["severity"]))
