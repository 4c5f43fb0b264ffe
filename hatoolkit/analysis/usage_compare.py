"""Entitlement beside observed usage: what each basis makes of the failover, for the capacity page.

The plan sizes demand one way (`plan.sizing`); an architect deciding whether to trust usage
sizing wants both side by side: per failure scenario the demand at current entitlement, at a
usage policy (`p95_30d`) and at its peak over the same window, against the supply on the plan's
terms; per partition what was observed, how well it was sampled and what it was sized at.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hatoolkit.analysis.demand import partition_base
from hatoolkit.analysis.failover import failover
from hatoolkit.analysis.failover_demand import kept_partitions
from hatoolkit.analysis.usage import collection, sizing_evidence, usage_end, usage_stats
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan, usage_policy

COMPARE_COLUMNS = ["scenario", "failed", "destination", "sizing", "basis", "demand_proc_units", "supply_proc_units",
                   "status", "fallback"]


def peak_of(usage: str) -> str | None:
    """The peak policy over a usage policy's window (`p95_30d` -> `peak_30d`)."""
    policy = usage_policy(usage)
    return f"peak_{policy.days}d" if policy is not None else None


def compared_sizings(plan: Plan, usage: str = "") -> tuple[str, ...]:
    """The plan's sizing, current entitlement, the usage policy and its peak (each once, in that order)."""
    extra = (usage, peak_of(usage)) if usage_policy(usage) else ()
    plan_peak = (peak_of(plan.sizing),) if usage_policy(plan.sizing) else ()
    return tuple(dict.fromkeys(s for s in (plan.sizing, "current", *extra, *plan_peak) if s))


def sizing_comparison(inv: Inventory, plan: Plan, usage: str = "") -> pd.DataFrame:
    """Per primary failure scenario and sizing: processor demand, supply and fit on the plan's terms."""
    out = []
    for sizing in compared_sizings(plan, usage):
        fa = failover(inv, plan, sizing)
        for sc in fa.primary():
            p = fa.placement(sc, fa.allowed(sc))
            ev = sizing_evidence(p.data.sub, sizing)
            out.append({"scenario": sc.label, "failed": sc.failed, "destination": sc.destination, "sizing": sizing,
                        "basis": ev["basis"], "demand_proc_units": p.demand_proc_units,
                        "supply_proc_units": p.supply_proc_units, "status": p.status,
                        "fallback": ", ".join(ev.get("entitlement_fallback", ()))})  # type: ignore[arg-type]
    return pd.DataFrame(out, columns=COMPARE_COLUMNS)


def partition_usage(inv: Inventory, plan: Plan, usage: str) -> pd.DataFrame:
    """Per partition a failover restarts: entitlement, observed statistic and peak, sample quality, sized at.

    `usage` empty: the plan's sizing if it is a usage policy, else nothing to show (an empty frame).
    """
    usage = usage or (plan.sizing if usage_policy(plan.sizing) else "")
    if not usage_policy(usage):
        return pd.DataFrame(columns=["system", "partition", "entitled", "sized_at", "basis"])
    as_of = usage_end(plan.as_of)
    base = partition_base(inv, usage, as_of)
    kept = kept_partitions(base, plan).frame
    kept = kept[kept["running"].to_numpy(dtype=bool)]
    peak = usage_stats(inv, peak_of(usage), as_of)[["system", "lpar_id", "proc_units_observed"]]
    stats = usage_stats(inv, usage, as_of)
    df = kept.merge(stats, on=["system", "lpar_id"], how="left").merge(
        peak.rename(columns={"proc_units_observed": "peak"}), on=["system", "lpar_id"], how="left")
    observed = df["observed"].to_numpy(dtype=bool)
    return pd.DataFrame({
        "system": df["system"], "partition": df["partition"], "proc_mode": df["proc_mode"],
        "entitled": df["proc_units_entitled"],
        usage: df["proc_units_observed"].astype(float).round(2),
        "peak": df["peak"].astype(float).round(2),
        "sized_at": df["proc_units"].astype(float).round(2),
        "basis": np.where(~observed, "entitlement (no samples)",
                          np.where(df["proc_units"].to_numpy(dtype=float)
                                   > df["proc_units_observed"].to_numpy(dtype=float, na_value=np.nan) + 1e-9,
                                   "observed, raised to its minimum", "observed")),
        "samples": df["samples"].fillna(0).astype("int64"),
        "coverage_pct": df["coverage_pct"].astype(float),
        "longest_hole_h": df["longest_hole_h"].astype(float),
        "collection": df["system"].map(collection(inv)).fillna("unknown"),
        "origin": df["origin"],
    }).reset_index(drop=True)


def system_usage(inv: Inventory, plan: Plan, days: int = 30) -> pd.DataFrame:
    """Hourly processors consumed per system (the sum of its partitions' samples) over `days` before as_of."""
    u = inv.utilization
    end = usage_end(plan.as_of)
    if u.empty:
        return pd.DataFrame(columns=["system", "sampled_at", "proc_units_used", "proc_units_entitled"])
    u = u[(u["sampled_at"] > end - pd.Timedelta(days=days)) & (u["sampled_at"] <= end)]
    hour = u["sampled_at"].dt.ceil("h")
    grouped = u.assign(sampled_at=hour).groupby(["system", "sampled_at"], sort=True)
    return grouped.agg(proc_units_used=("proc_units_used", "sum"),
                       proc_units_entitled=("proc_units_entitled", "sum")).reset_index()


def sizing_basis(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """What the capacity findings were sized by, in words: the plan's policy, window, samples, fallbacks."""
    policy = usage_policy(plan.sizing)
    cfg = inv.utilization_config
    collecting = "; ".join(f"{s}: {'on' if r > 0 else 'off'} ({int(r)} s)" if pd.notna(r) else f"{s}: not stated"
                           for s, r in zip(cfg["system"], cfg["sample_rate_s"], strict=True)) or "not captured"
    u = inv.utilization
    span = (f"{u['sampled_at'].min():%Y-%m-%d %H:%M} to {u['sampled_at'].max():%Y-%m-%d %H:%M} UTC, "
            f"{len(u)} samples of {u[['system', 'lpar_id']].drop_duplicates().shape[0]} partitions"
            if not u.empty else "none")
    facts = [("plan sizing", plan.sizing)]
    if policy is None:
        facts.append(("processors sized by", f"entitlement ({plan.sizing} values); observed usage is shown "
                                             "for comparison only"))
    else:
        end = usage_end(plan.as_of)
        kept = kept_partitions(partition_base(inv, plan.sizing, end), plan).frame
        kept = kept[kept["running"].to_numpy(dtype=bool)]
        ev = sizing_evidence(kept, plan.sizing)
        what = "peak" if policy.percentile >= 100 else f"{policy.percentile:g}th percentile"
        start = end - policy.window
        facts += [("processors sized by", f"observed usage: {what} of the interval averages"),
                  ("window", f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC ({policy.days} days before as_of)"),
                  ("sized by entitlement instead (no samples)", ", ".join(ev.get("entitlement_fallback", ()))
                   or "none")]  # type: ignore[arg-type]
    facts += [("memory sized by", "allocation (the HMC cannot see memory use inside a partition)"),
              ("utilisation samples", span), ("collection (lslparutil -r config)", collecting)]
    return pd.DataFrame(facts, columns=["", "value"])
