"""Usage-aware sizing: what partitions were observed to consume, and how far to trust it.

A usage policy (`p95_30d`, `peak_7d`: plan.yaml `sizing`) sizes a partition's processors by a
statistic of its samples (`utilization` frame) over the N days before the audit's as_of, instead
of its entitlement. A sample is the average over its interval (the HMC's sample rate, or an hour
or a day for HMC Scanner sheets): a peak is the highest interval average, not an instantaneous
peak. Percentiles interpolate linearly between samples (numpy's default); each sample counts once.

What the observed figure becomes (`observed_base`):
- processors: the statistic, never below the partition's minimum (an activation below it fails);
  an uncapped partition may be observed above its entitlement and is then sized above it;
  dedicated partitions stay dedicated (whole cores, rounded up on the target as always);
- memory: what the partition has allocated now. The HMC cannot see memory use inside a
  partition, so memory is never sized by usage, and the evidence says `mem_basis=allocated`;
- a running partition without samples in the window falls back to its current entitlement,
  named in every finding's evidence (`entitlement_fallback=`), never silently.

Data quality per partition (`usage_stats`): samples in the window, the stretch they cover
(coverage of the window, in %), holes longer than twice the sample period (at the edges too), and
whether the HMC was collecting (`lslparutil -r config`). Of several origins the finest wins
(lslparutil, then hourly, then daily sheets).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from hatoolkit.errors import PlanError
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import USAGE_POLICY_HELP, UsagePolicy, usage_policy

ORIGIN_RANK = {"lslparutil": 0, "hmcscanner_hourly": 1, "hmcscanner_daily": 2}
HOLE_FACTOR = 2.0
STATS_COLUMNS = ["system", "lpar_id", "origin", "samples", "proc_units_observed", "first_at", "last_at",
                 "coverage_pct", "holes", "longest_hole_h", "sample_period_s", "collection"]


def policy_of(sizing: str) -> UsagePolicy:
    policy = usage_policy(sizing)
    if policy is None:
        raise PlanError(f"{sizing!r} is not a usage sizing policy ({USAGE_POLICY_HELP})")
    return policy


def usage_end(as_of: pd.Timestamp | None) -> pd.Timestamp:
    """Where usage windows end: the audit's as_of, else the current hour (one value for a whole run)."""
    end = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.now(tz="UTC").floor("h")
    return end.tz_localize("UTC") if end.tzinfo is None else end.tz_convert("UTC")


def window(sizing: str, as_of: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(start, end] of a usage policy's window, in UTC."""
    end = pd.Timestamp(as_of)
    end = end.tz_localize("UTC") if end.tzinfo is None else end.tz_convert("UTC")
    return end - policy_of(sizing).window, end


def collection(inv: Inventory) -> dict[str, str]:
    """System -> "on" / "off" from `lslparutil -r config` (absent systems: not known)."""
    cfg = inv.utilization_config
    out = {}
    for system, rate in zip(cfg["system"], cfg["sample_rate_s"], strict=True):
        if pd.notna(rate):
            out[str(system)] = "on" if int(rate) > 0 else "off"
    return out


def _empty_stats() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype={"lpar_id": "int64", "samples": "int64", "holes": "int64"}.get(c, object))
                         for c in STATS_COLUMNS})


@functools.lru_cache(maxsize=16)
def usage_stats(inv: Inventory, sizing: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per partition with samples in the policy's window: the observed statistic and its data quality."""
    policy = policy_of(sizing)
    start, end = window(sizing, as_of)
    u = inv.utilization
    if u.empty:
        return _empty_stats()
    at = u["sampled_at"]
    u = u[(at > start) & (at <= end)]
    if u.empty:
        return _empty_stats()
    rank = u["origin"].map(ORIGIN_RANK).astype("int64")
    best = rank.groupby([u["system"], u["lpar_id"]]).transform("min")
    u = u[rank == best].sort_values(["system", "lpar_id", "sampled_at"], kind="mergesort")
    rates = {s: float(r) for s, r in zip(inv.utilization_config["system"], inv.utilization_config["sample_rate_s"],
                                         strict=True) if pd.notna(r) and r > 0}
    key = ["system", "lpar_id"]
    grp = u.groupby(key, sort=True)
    used = grp["proc_units_used"]
    stat = used.max() if policy.percentile >= 100 else used.quantile(policy.percentile / 100.0)
    out = grp.agg(origin=("origin", "first"), samples=("sampled_at", "size"), first_at=("sampled_at", "min"),
                  last_at=("sampled_at", "max"), period=("interval_s", "median"))
    out["proc_units_observed"] = stat.astype(float).round(4)
    systems = out.index.get_level_values("system")
    # The captured cadence (hourly with `-s h`, even when the HMC samples more often), never below the rate.
    out["sample_period_s"] = [max(rates.get(s, 0.0), float(p)) for s, p in zip(systems, out["period"], strict=True)]
    interval = u["interval_s"].to_numpy(dtype=float)
    since_start = (u["sampled_at"] - start).dt.total_seconds().to_numpy(dtype=float)
    covered = pd.Series(np.minimum(interval, since_start), index=u.index).groupby([u["system"], u["lpar_id"]]).sum()
    span = (end - start).total_seconds()
    out["coverage_pct"] = np.minimum(100.0, covered.reindex(out.index).to_numpy() / span * 100).round(1)
    step = out["sample_period_s"].reindex(pd.MultiIndex.from_frame(u[key])).to_numpy(dtype=float)
    inner = pd.Series(np.where(interval > HOLE_FACTOR * step, interval, 0.0), index=u.index)
    inner_g = inner.groupby([u["system"], u["lpar_id"]])
    lead = (out["first_at"] - start).dt.total_seconds().to_numpy(dtype=float)
    lead = lead - out["period"].to_numpy(dtype=float)  # the first sample covers its own interval
    tail = (end - out["last_at"]).dt.total_seconds().to_numpy(dtype=float)
    limit = HOLE_FACTOR * out["sample_period_s"].to_numpy(dtype=float)
    edges = [np.where(lead > limit, lead, 0.0), np.where(tail > limit, tail, 0.0)]
    out["holes"] = ((inner > 0).groupby([u["system"], u["lpar_id"]]).sum().reindex(out.index).to_numpy()
                    + (edges[0] > 0) + (edges[1] > 0)).astype("int64")
    longest = np.maximum.reduce([inner_g.max().reindex(out.index).to_numpy(dtype=float), *edges])
    out["longest_hole_h"] = np.round(longest / 3600.0, 1)
    on = collection(inv)
    out["collection"] = [on.get(s, "unknown") for s in systems]
    return out.reset_index()[STATS_COLUMNS]


@functools.lru_cache(maxsize=16)
def observed_base(inv: Inventory, sizing: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """`analysis.demand.partition_base` columns sized by a usage policy (see the module docstring).

    Extra columns: observed (bool: sized by samples), proc_units_entitled (the current entitlement
    or cores it replaces), usage_samples, usage_coverage_pct, usage_origin.
    """
    from hatoolkit.analysis.demand import partition_base

    base = partition_base(inv, "current")
    floor = partition_base(inv, "minimum")[["system", "lpar_id", "proc_units"]].rename(columns={"proc_units": "_floor"})
    stats = usage_stats(inv, sizing, as_of)
    merged = base.merge(floor, on=["system", "lpar_id"], how="left").merge(
        stats[["system", "lpar_id", "proc_units_observed", "samples", "coverage_pct", "origin"]],
        on=["system", "lpar_id"], how="left")
    obs = merged["proc_units_observed"].to_numpy(dtype=float, na_value=np.nan)
    low = merged["_floor"].to_numpy(dtype=float, na_value=np.nan)
    running = merged["running"].to_numpy(dtype=bool)
    has = running & ~np.isnan(obs)
    sized = np.where(np.isnan(low), obs, np.maximum(obs, low))
    entitled = merged["proc_units"].to_numpy(dtype=float)
    basis = np.where(has, f"{sizing} observed",
                     np.where(running, merged["basis"].astype(str) + " (no samples)", merged["basis"].astype(str)))
    return base.assign(
        proc_units=np.where(has, sized, entitled),
        known_proc=base["known_proc"].to_numpy(dtype=bool) | has,
        basis=pd.Series(basis, dtype="str", index=base.index),
        observed=has,
        proc_units_entitled=entitled,
        usage_samples=merged["samples"].fillna(0).astype("int64").to_numpy(),
        usage_coverage_pct=merged["coverage_pct"].astype(float).to_numpy(),
        usage_origin=pd.Series(merged["origin"].where(has), dtype="str", index=base.index),
    )


def sizing_evidence(rows: pd.DataFrame, sizing: str) -> dict[str, object]:
    """`sizing`, `basis` (observed / entitlement / observed+entitlement) and what fell back, for evidence.

    `rows`: partition_base rows of the partitions a finding is about (e.g. a scenario's).
    """
    if usage_policy(sizing) is None:
        return {"sizing": sizing, "basis": "entitlement"}
    observed = rows["observed"].to_numpy(dtype=bool) if "observed" in rows.columns else np.zeros(len(rows), bool)
    running = rows["running"].to_numpy(dtype=bool) if "running" in rows.columns else np.ones(len(rows), bool)
    fallback = rows.loc[running & ~observed, "partition"].astype(str).tolist()
    basis = ("observed+entitlement" if fallback else "observed") if observed.any() else "entitlement"
    out: dict[str, object] = {"sizing": sizing, "basis": basis, "mem_basis": "allocated"}
    if fallback:
        out["entitlement_fallback"] = tuple(fallback)
    if observed.any() and "usage_coverage_pct" in rows.columns:
        out["min_coverage_pct"] = float(np.nanmin(rows.loc[observed, "usage_coverage_pct"].to_numpy(dtype=float)))
    return out


def sizing_sentence(ev: dict[str, object]) -> str:
    """One sentence for a finding's message saying how the partitions were sized ('' for entitlement)."""
    if ev.get("basis") == "entitlement" and "entitlement_fallback" not in ev:
        return ""
    policy = usage_policy(str(ev["sizing"]))
    what = "peak" if policy and policy.percentile >= 100 else f"{policy.percentile:g}th percentile" if policy else ""
    text = (f" Processors are sized by observed usage ({what} over the {policy.days} days before as_of); memory by "
            "allocation (the HMC cannot see memory use)." if policy else "")
    fallback = ev.get("entitlement_fallback")
    if fallback:
        names = list(fallback)  # type: ignore[call-overload]
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        text += f" No samples for {shown}: sized by entitlement."
    return text
