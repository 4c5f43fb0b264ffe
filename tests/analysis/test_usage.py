"""Usage-aware sizing: policies, observed statistics, fallbacks, and the basis named in capacity findings.

Expected statistics are recomputed here from the utilization frame with numpy, independently of
`analysis.usage`; the sample's story (sample_usage.py docstring) says what they must show.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from hatoolkit.analysis.demand import partition_base
from hatoolkit.analysis.usage import observed_base, usage_stats
from hatoolkit.analysis.usage_compare import partition_usage, sizing_basis, sizing_comparison, system_usage
from hatoolkit.checks import run_checks
from hatoolkit.errors import PlanError
from hatoolkit.model.plan import plan_from_text, usage_policy
from tests.conftest import SAMPLE

AS_OF = pd.Timestamp("2026-11-25 05:00", tz="UTC")  # the sample plan's as_of (06:00 Europe/Warsaw)


def _plan(sizing: str, as_of: str | None = None):
    text = (SAMPLE / "plan.yaml").read_text(encoding="utf-8").replace("sizing: current", f"sizing: {sizing}")
    if as_of:
        text = re.sub(r"(?m)^as_of:.*$", f"as_of: {as_of}", text)
    return plan_from_text(text)


def _observed(inv, system: str, name: str, days: int, q: float) -> float:
    u = inv.utilization
    u = u[(u["system"] == system) & (u["partition"] == name) & (u["sampled_at"] > AS_OF - pd.Timedelta(days=days))
          & (u["sampled_at"] <= AS_OF)]
    return float(np.percentile(u["proc_units_used"].to_numpy(dtype=float), q))


@pytest.mark.parametrize("text, expected", [("p95_30d", (95.0, 30)), ("peak_7d", (100.0, 7)),
                                            ("p99.9_1d", (99.9, 1)), ("p50_365d", (50.0, 365))])
def test_usage_policies(text, expected):
    policy = usage_policy(text)
    assert (policy.percentile, policy.days) == expected and policy.window == pd.Timedelta(days=expected[1])


@pytest.mark.parametrize("text", ["current", "p0_30d", "p101_30d", "peak_0d", "p95", "95_30d", "p95_30h", "peak"])
def test_not_usage_policies(text):
    assert usage_policy(text) is None


def test_bad_sizing_in_plan_names_the_line():
    with pytest.raises(PlanError, match=r":2: sizing: 'p95_30h' is not a sizing policy.*p95_30d"):
        plan_from_text("as_of: 2026-11-25T06:00:00Z\nsizing: p95_30h\n")


def test_statistics_match_the_samples(sample_inventory):
    stats = usage_stats(sample_inventory, "p95_30d", AS_OF).set_index(["system", "lpar_id"])
    peak = usage_stats(sample_inventory, "peak_30d", AS_OF).set_index(["system", "lpar_id"])
    erp = sample_inventory.partitions.set_index(["system", "name"]).loc[("PRD-1", "ERP-DB"), "lpar_id"]
    assert stats.loc[("PRD-1", erp), "proc_units_observed"] == pytest.approx(
        _observed(sample_inventory, "PRD-1", "ERP-DB", 30, 95), abs=1e-4)
    assert peak.loc[("PRD-1", erp), "proc_units_observed"] == pytest.approx(
        _observed(sample_inventory, "PRD-1", "ERP-DB", 30, 100), abs=1e-4)
    # The story: ERP-DB (uncapped, 6.0 entitled) peaks above its entitlement at the October month-end
    # close; its 95th percentile is well below; the last 7 days hold no month-end.
    assert peak.loc[("PRD-1", erp), "proc_units_observed"] > 8.0 > 6.0 > stats.loc[("PRD-1", erp),
                                                                                     "proc_units_observed"]
    week = usage_stats(sample_inventory, "peak_7d", AS_OF).set_index(["system", "lpar_id"])
    assert week.loc[("PRD-1", erp), "proc_units_observed"] < 6.0
    row = stats.loc[("PRD-1", erp)]
    assert row["origin"] == "lslparutil" and row["collection"] == "on" and row["sample_period_s"] == 3600
    assert row["coverage_pct"] == pytest.approx(99.0, abs=0.1)  # the capture ran 7 hours before as_of
    dr = stats.loc[stats.index.get_level_values("system") == "DR-1"]
    assert (dr["longest_hole_h"] == 27.0).all()  # the DR HMC was down 10-11 Nov


def test_observed_base_sizes_processors_only_and_falls_back_openly(sample_inventory):
    base = observed_base(sample_inventory, "p95_30d", AS_OF).set_index(["system", "partition"])
    current = partition_base(sample_inventory, "current").set_index(["system", "partition"])
    erp = base.loc[("PRD-1", "ERP-DB")]
    assert erp["observed"] and erp["basis"] == "p95_30d observed" and erp["proc_units_entitled"] == 6.0
    assert erp["proc_units"] == pytest.approx(_observed(sample_inventory, "PRD-1", "ERP-DB", 30, 95), abs=1e-3)
    assert (base["mem_mb"].fillna(-1) == current["mem_mb"].fillna(-1)).all()  # memory: allocation, never usage
    mq = base.loc[("PRD-1", "MQ")]  # running, not sampled
    assert not mq["observed"] and mq["basis"] == "current (no samples)" and mq["proc_units"] == 1.0
    batch = base.loc[("PRD-1", "LNX-BATCH")]  # dedicated, observed below its minimum cores
    minimum = partition_base(sample_inventory, "minimum").set_index(["system", "partition"])
    assert batch["proc_units"] == minimum.loc[("PRD-1", "LNX-BATCH"), "proc_units"]
    assert batch["proc_units"] > _observed(sample_inventory, "PRD-1", "LNX-BATCH", 30, 95)


def test_capacity_findings_name_the_basis(sample_inventory):
    findings, coverage = run_checks(sample_inventory, _plan("p95_30d"), families=["capacity"])
    ha101 = findings[(findings["check_id"] == "HA101") & (findings["system"] == "PRD-1")
                     & (findings["destination"] == "DR-1")]
    assert len(ha101) == 1
    ev, msg = ha101["evidence"].iat[0], ha101["message"].iat[0]
    assert "sizing=p95_30d basis=observed+entitlement mem_basis=allocated entitlement_fallback=MQ" in ev
    assert "95th percentile over the 30 days before as_of" in msg and "No samples for MQ: sized by entitlement" in msg
    # Usage sizing frees processors on paper: PRD-2 fits DR-1 at its 95th percentile, only at minimum by entitlement.
    entitled, _ = run_checks(sample_inventory, _plan("current"), families=["capacity"])

    def minimum_only(frame):
        return ((frame["check_id"] == "HA103") & (frame["system"] == "PRD-2") & (frame["destination"] == "DR-1")).sum()

    assert minimum_only(entitled) == 1 and minimum_only(findings) == 0
    assert (entitled["evidence"].str.contains("basis=entitlement")).all()
    assert not entitled["message"].str.contains("observed usage").any()
    assert coverage.set_index("check_id").loc["HA109", "evaluated"] > 0


def test_usage_data_quality_is_reported_not_passed(sample_inventory):
    findings, _ = run_checks(sample_inventory, _plan("p95_30d"), select=["HA109"])
    rows = findings.set_index("partition")
    assert set(rows.index) == {"MQ", "IBMIHOST", "IBMI-GUEST1", "LNX-GUEST1", "HR-PAY", "NIM", "IBMIHOST-DR"}
    assert rows.loc["MQ", "status"] == "unknown" and "collection=on" in rows.loc["MQ", "evidence"]
    assert rows.loc["IBMIHOST", "status"] == "unknown" and "sample_rate=0" in rows.loc["IBMIHOST", "message"]
    assert rows.loc["HR-PAY", "status"] == "fail" and "cover 38.6%" in rows.loc["HR-PAY", "message"]
    assert (findings.loc[findings["partition"] == "NIM", "system"] == "DR-1").all()  # the 27-hour HMC outage
    assert "longest_hole_h=27" in rows.loc["IBMIHOST-DR", "evidence"]
    # Entitlement sizing reads no samples: nothing to evaluate, nothing to report.
    findings, coverage = run_checks(sample_inventory, _plan("current"), select=["HA109"])
    assert findings.empty and coverage["evaluated"].iat[0] == 0


def test_samples_outside_the_window_fall_back_for_every_partition(sample_inventory):
    plan = _plan("peak_7d", as_of="2027-03-01T06:00:00+01:00")  # months after the capture
    findings, _ = run_checks(sample_inventory, plan, families=["capacity"])
    usage = findings[findings["check_id"] == "HA109"]
    assert len(usage) and (usage["status"] == "unknown").all()
    others = findings[findings["check_id"] != "HA109"]
    sized = others[others["evidence"].str.contains("sizing=peak_7d")]
    assert len(sized) and sized["evidence"].str.contains("basis=entitlement ").all()
    assert sized["evidence"].str.contains("entitlement_fallback=").all()


def test_comparison_for_the_capacity_page(sample_inventory):
    plan = _plan("current")
    comparison = sizing_comparison(sample_inventory, plan, "p95_30d")
    assert list(dict.fromkeys(comparison["sizing"])) == ["current", "p95_30d", "peak_30d"]
    prd2 = comparison[comparison["scenario"] == "PRD-2 -> DR-1"].set_index("sizing")
    assert prd2.loc["current", "demand_proc_units"] > prd2.loc["peak_30d", "demand_proc_units"] > \
        prd2.loc["p95_30d", "demand_proc_units"]
    ibmi = comparison[(comparison["failed"] == "IBMI-7") & (comparison["sizing"] == "p95_30d")]
    assert ibmi["basis"].iat[0] == "entitlement" and "IBMIHOST" in ibmi["fallback"].iat[0]
    parts = partition_usage(sample_inventory, plan, "p95_30d").set_index(["system", "partition"])
    assert parts.loc[("IBMI-7", "IBMIHOST"), "collection"] == "off"
    assert parts.loc[("PRD-1", "LNX-BATCH"), "basis"] == "observed, raised to its minimum"
    assert parts.loc[("PRD-1", "MQ"), "basis"] == "entitlement (no samples)"
    facts = dict(sizing_basis(sample_inventory, plan).itertuples(index=False))
    assert facts["plan sizing"] == "current" and facts["processors sized by"].startswith("entitlement")
    facts = dict(sizing_basis(sample_inventory, _plan("p95_30d")).itertuples(index=False))
    assert facts["processors sized by"].startswith("observed usage: 95th percentile")
    assert "MQ" in facts["sized by entitlement instead (no samples)"]
    hourly = system_usage(sample_inventory, plan)
    assert set(hourly["system"]) == {"PRD-1", "PRD-2", "DR-1"} and hourly["sampled_at"].max() <= AS_OF
