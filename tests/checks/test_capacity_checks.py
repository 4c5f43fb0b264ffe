"""HA1xx capacity checks: each fires on the smallest inventory that shows it, and says unknown when blind."""

from __future__ import annotations

import pytest

from hatoolkit.checks import run_checks
from hatoolkit.model.plan import bundle_plan, plan_from_text
from tests.analysis.builders import build, lpar, pool, system
from tests.conftest import SAMPLE

PAIR = "failover: {pairs: [PRD -> DR]}\n"


def findings(inv, plan_text, family="capacity"):
    found, coverage = run_checks(inv, plan_from_text(plan_text), families=[family])
    assert coverage["error"].isna().all() | (coverage["error"] == "None").all(), coverage["error"].tolist()
    return found


def ids(found, status="fail"):
    return sorted(found.loc[found["status"] == status, "check_id"])


@pytest.fixture(scope="module")
def sample_findings(sample_inventory):
    found, coverage = run_checks(sample_inventory, bundle_plan(SAMPLE), families=["capacity"])
    return found, coverage


def test_sample_story(sample_findings):
    found, coverage = sample_findings
    got = sorted(zip(found["check_id"], found["system"], found["destination"], found["status"], strict=True))
    assert got == sorted([
        ("HA101", "PRD-1", "DR-1", "fail"), ("HA101", "PRD-1", "PRD-2", "fail"), ("HA101", "PRD-2", "PRD-1", "fail"),
        ("HA102", "PRD-1", "DR-1", "fail"), ("HA102", "PRD-1", "PRD-2", "fail"), ("HA102", "PRD-2", "PRD-1", "fail"),
        ("HA103", "PRD-1", "DR-1", "fail"), ("HA103", "PRD-2", "DR-1", "fail"), ("HA103", "PRD-2", "PRD-1", "fail"),
        ("HA104", "PRD-1", "DR-1", "fail"),
        ("HA105", "PRD-2", "PRD-1", "fail"),
        ("HA106", "PRD-2", "DR-1", "fail"),
        ("HA108", "DR-1", "IBMI-7", "fail"),
    ])
    assert coverage.set_index("check_id").loc["HA101", "evaluated"] == 5
    assert coverage.set_index("check_id").loc["HA108", "evaluated"] == 3
    assert (coverage["error"].isna() | coverage["error"].eq("None")).all()


def test_sample_evidence_names_the_numbers(sample_findings):
    found, _ = sample_findings
    row = found[(found["check_id"] == "HA101") & (found["destination"] == "DR-1")].iloc[0]
    assert "demand_proc_units=23.63 supply_proc_units=12.5" in row["evidence"]
    assert "curr_avail_sys_proc_units=7 preemptible_proc_units=5.5" in row["evidence"]
    assert "rperf_scale=1.3033" in row["evidence"] and "9105-42A" in row["evidence"]
    mem = found[(found["check_id"] == "HA102") & (found["destination"] == "PRD-2")].iloc[0]
    assert mem["severity"] == "critical"  # not even at minimum size
    assert "demand_mem_mb=540800 supply_mem_mb=163072" in mem["evidence"]
    pool_row = found[found["check_id"] == "HA106"].iloc[0]
    assert "pool=CRMPOOL max_pool_proc_units=4" in pool_row["evidence"]
    assert "demand_pool_proc_units=6.6" in pool_row["evidence"]


def test_sample_findings_are_byte_identical_across_runs(sample_findings):
    from hatoolkit import load_inventory
    from hatoolkit.report.text import findings_csv

    again, _ = run_checks(load_inventory(SAMPLE), bundle_plan(SAMPLE), families=["capacity"])
    assert findings_csv(again) == findings_csv(sample_findings[0])


def test_fits_only_at_minimum_size():
    # APP: 4.0 units current, 1.0 minimum; DR has 2.0 free.
    inv = build([system("PRD"), system("DR", avail=2.0)], [lpar("PRD", 2, "APP", units=4.0, min_units=1.0)])
    found = findings(inv, PAIR)
    assert ids(found) == ["HA101", "HA103"]
    assert found.set_index("check_id").loc["HA101", "severity"] == "high"


def test_fits_only_by_preemption():
    inv = build([system("PRD"), system("DR", avail=2.0)], [lpar("PRD", 2, "APP", units=3.0, min_units=3.0),
                                                           lpar("DR", 2, "TEST-1", units=2.0)])
    found = findings(inv, PAIR + 'preemptible: ["DR/TEST-*"]\n')
    assert ids(found) == ["HA104"]
    assert "TEST-1" in found.iloc[0]["message"]


@pytest.mark.parametrize(("allow", "expected"), [("false", ["HA101", "HA105"]), ("true", ["HA105"])])
def test_fits_only_with_cod(allow, expected):
    # DR: 2.0 free, 8 dark cores; APP needs 3.0 at every size.
    inv = build([system("PRD"), system("DR", cores=8, installed=16, avail=2.0)],
                [lpar("PRD", 2, "APP", units=3.0, min_units=3.0)])
    found = findings(inv, PAIR + f"allow_cod: {allow}\n")
    assert ids(found) == expected
    assert f"allow_cod={'1' if allow == 'true' else '0'}" in found.set_index("check_id").loc["HA105", "evidence"]


def test_shared_pool_cap_exceeded():
    # DB pool on DR capped at 2.0; the two DB partitions need 1.5 + 1.5 although DR has 10 units free.
    inv = build([system("PRD"), system("DR", avail=10.0)],
                [lpar("PRD", 2, "DB1", units=1.5, min_units=1.5, pool_id=1),
                 lpar("PRD", 3, "DB2", units=1.5, min_units=1.5, pool_id=1)],
                pools=[pool("PRD", 0, "DefaultPool", None), pool("PRD", 1, "DB", 4.0),
                       pool("DR", 0, "DefaultPool", None), pool("DR", 1, "DB", 2.0)])
    found = findings(inv, PAIR)
    assert ids(found) == ["HA106"]
    row = found.iloc[0]
    assert row["resource"] == "pool DB" and "demand_pool_proc_units=3" in row["evidence"]


def test_dedicated_cores_unavailable():
    # A 4-core dedicated partition; the two survivors have 2.5 free each (5.0 in total).
    inv = build([system("A"), system("B", avail=2.5), system("C", avail=2.5)],
                [lpar("A", 2, "DED", mode="ded", units=4, min_units=4)])
    found = findings(inv, "failover: {pools: [{name: p, systems: [A, B, C]}]}\n")
    rows = found[found["system"] == "A"]
    assert sorted(rows["check_id"]) == ["HA101", "HA107"]
    ded = rows.set_index("check_id").loc["HA107"]
    assert ded["partition"] == "DED" and ded["destination"] == "B;C"
    assert "whole cores free: B 2, C 2" in ded["message"]


def test_backup_pair_asymmetric():
    # DR backs up PRD, but DR's own NIM (2.0 units) cannot go to PRD (1.0 free).
    inv = build([system("PRD", avail=1.0), system("DR")], [lpar("PRD", 2, "APP", units=0.5),
                                                           lpar("DR", 2, "NIM", units=2.0, min_units=2.0)])
    found = findings(inv, PAIR)
    assert ids(found) == ["HA108"]
    row = found.iloc[0]
    assert (row["system"], row["destination"]) == ("DR", "PRD") and "NIM" in row["message"]


def test_processors_and_memory_reported_separately():
    # Memory is short (DR 16 GB free; APP needs 24 GB + 256 MB HPT), processors are fine.
    inv = build([system("PRD"), system("DR", avail_mem_mb=16384)],
                [lpar("PRD", 2, "APP", mem_mb=24576, min_mem_mb=24576, max_mem_mb=32768)])
    found = findings(inv, PAIR)
    assert ids(found) == ["HA102"]
    assert "demand_mem_mb=24832 supply_mem_mb=16384" in found.iloc[0]["evidence"]
    assert found.iloc[0]["severity"] == "critical"


def test_missing_capture_gives_unknown_not_pass():
    # DR's memory was not captured: processors can be judged, memory cannot.
    inv = build([system("PRD"), system("DR", avail_mem_mb=None)], [lpar("PRD", 2, "APP")])
    found = findings(inv, PAIR)
    assert ids(found) == []
    unknown = found[found["status"] == "unknown"]
    assert "HA102" in set(unknown["check_id"]) and "HA101" not in set(unknown["check_id"])
    assert "curr_avail_sys_mem_mb" in unknown.set_index("check_id").loc["HA102", "message"]


def test_plan_naming_a_system_that_is_not_captured_is_unknown():
    inv = build([system("PRD")], [lpar("PRD", 2, "APP")])
    found = findings(inv, "failover: {pairs: [PRD -> GHOST]}\n")
    unknown = found[found["status"] == "unknown"]
    assert {"HA101", "HA102"} <= set(unknown["check_id"])
    assert "GHOST: not in the inventory" in unknown.iloc[0]["message"]
