"""Waivers applied to findings: waived findings stay marked, expired waivers lapse (HA010), stale ones
are reported (HA011), and every output (CSV, JSON, terminal table, --fail-on) tells the same story."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from hatoolkit.checks import run_checks
from hatoolkit.checks.inputs_waivers import waiver_status
from hatoolkit.cli import main
from hatoolkit.errors import PlanError
from hatoolkit.model.findings import at_or_above, waived
from hatoolkit.model.plan import bundle_plan
from hatoolkit.model.waivers import bundle_waivers, waivers_from_text
from hatoolkit.report.text import findings_csv, findings_json, findings_table
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample_run(sample_inventory):
    plan = bundle_plan(SAMPLE).with_waivers(bundle_waivers(SAMPLE))
    findings, coverage = run_checks(sample_inventory, plan)
    return plan, findings, coverage


def _row(findings, check, system, partition):
    hit = findings[(findings["check_id"] == check) & (findings["system"] == system)
                   & (findings["partition"] == partition)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_a_waived_finding_stays_marked_with_owner_expiry_and_reason(sample_run):
    _, findings, _ = sample_run
    nim = _row(findings, "HA203", "PRD-1", "NIM")
    assert nim["status"] == "fail" and nim["severity"] == "high"  # kept as it was, not dropped or downgraded
    assert "waived_by=j.kowalski waived_until=2027-03-31" in nim["evidence"]
    assert 'waiver_reason="NIM keeps its own 10GbE adapter' in nim["evidence"]
    assert "waiver=waivers.yaml:4" in nim["evidence"]
    marked = findings[waived(findings)]
    assert list(zip(marked["check_id"], marked["partition"], strict=True)) == [("HA203", "NIM")]
    # --fail-on leaves waived findings out; asked to include them, it does not
    assert not at_or_above(findings, "high")["evidence"].str.contains("waived_by=").any()
    assert len(at_or_above(findings, "high", include_waived=True)) == len(at_or_above(findings, "high")) + 1


def test_an_expired_waiver_lapses_back_to_fail_and_is_reported(sample_run):
    _, findings, _ = sample_run
    mq = _row(findings, "HA207", "PRD-1", "MQ")
    assert mq["status"] == "fail" and "waived_by=" not in mq["evidence"]
    assert "waiver_expired=2026-10-31 waiver=waivers.yaml:11" in mq["evidence"]
    assert not waived(findings[findings["check_id"] == "HA207"]).any()
    lapsed = findings[findings["check_id"] == "HA010"]
    assert len(lapsed) == 1
    row = lapsed.iloc[0]
    assert (row["family"], row["severity"], row["status"], row["system"]) == ("inputs", "medium", "fail", "PRD-1")
    assert row["resource"] == "HA207 PRD-1/MQ"
    assert "by a.nowak (waivers.yaml:11) expired on 2026-10-31; 1 finding(s)" in row["message"]
    assert "owner=a.nowak" in row["evidence"] and "findings=1" in row["evidence"]


def test_a_waiver_matching_nothing_is_stale(sample_run):
    _, findings, coverage = sample_run
    stale = findings[findings["check_id"] == "HA011"]
    assert len(stale) == 1
    row = stale.iloc[0]
    assert row["resource"] == "HA208 PRD-2/HR-OLD" and row["severity"] == "low"
    assert "by m.wisniewski (waivers.yaml:16) matches no finding" in row["message"]
    cov = coverage.set_index("check_id")
    assert cov.loc["HA010", "evaluated"] == 3 and cov.loc["HA010", "failing"] == 1
    assert cov.loc["HA011", "evaluated"] == 2 and cov.loc["HA011", "failing"] == 1  # the expired one is HA010's


def test_waiver_status_says_active_expired_stale(sample_run):
    plan, findings, coverage = sample_run
    status = waiver_status(findings, coverage, plan)
    assert status[["check", "state", "findings", "owner", "expires", "source"]].values.tolist() == [
        ["HA203", "active", 1, "j.kowalski", "2027-03-31", "waivers.yaml:4"],
        ["HA207", "expired", 1, "a.nowak", "2026-10-31", "waivers.yaml:11"],
        ["HA208", "stale", 0, "m.wisniewski", "2027-06-30", "waivers.yaml:16"],
    ]


def test_a_waiver_whose_check_did_not_run_is_not_called_stale(sample_inventory):
    plan = bundle_plan(SAMPLE).with_waivers(bundle_waivers(SAMPLE))
    findings, coverage = run_checks(sample_inventory, plan, families=["inputs"])
    assert "HA011" not in set(findings["check_id"])  # HA203/HA208 did not run: nothing to call stale
    status = waiver_status(findings, coverage, plan)
    assert status["state"].tolist() == ["not evaluated", "expired", "not evaluated"]


def test_an_expired_waiver_is_reported_whatever_concerns_were_asked_for(sample_inventory):
    plan = bundle_plan(SAMPLE).with_waivers(bundle_waivers(SAMPLE))
    findings, coverage = run_checks(sample_inventory, plan, families=["capacity"])
    assert set(findings["family"]) == {"capacity", "inputs"}
    lapsed = findings[findings["family"] == "inputs"]
    assert lapsed["check_id"].tolist() == ["HA010"]  # MQ's lapsed waiver, of a mobility check that did not run
    assert lapsed["message"].iloc[0].endswith("HA207 did not run in this audit")
    assert "HA011" in set(coverage["check_id"]) and "HA011" not in set(findings["check_id"])  # not run: not stale
    bare, _ = run_checks(sample_inventory, bundle_plan(SAMPLE), families=["capacity"])
    assert set(bare["family"]) == {"capacity"}  # no waivers: the waiver checks are not added


def test_the_first_waiver_in_force_wins_and_an_expired_one_does_not_cover(sample_inventory):
    text = ("waivers:\n"
            "  - {check: HA207, resource: PRD-1/MQ, owner: old, reason: lapsed, expires: 2026-01-01}\n"
            "  - {check: HA207, resource: 'PRD-1/*', owner: ops, reason: firewall, expires: 2026-11-25}\n"
            "  - {check: HA207, resource: PRD-1, owner: late, reason: second, expires: 2027-01-01}\n")
    plan = bundle_plan(SAMPLE).with_waivers(waivers_from_text(text))
    findings, _ = run_checks(sample_inventory, plan, select=["HA207", "HA010", "HA011"])
    mq = _row(findings, "HA207", "PRD-1", "MQ")
    assert "waived_by=ops waived_until=2026-11-25" in mq["evidence"] and "waiver_expired" not in mq["evidence"]
    # the third waiver matches too (it is not stale), it just was not the one applied
    assert list(findings.loc[findings["check_id"] == "HA011", "resource"]) == []
    assert list(findings.loc[findings["check_id"] == "HA010", "resource"]) == ["HA207 PRD-1/MQ"]
    # the day after the second one's expiry (in Warsaw), the third takes over
    later = plan.with_as_of("2026-11-26T00:30:00+01:00")
    findings, _ = run_checks(sample_inventory, later, select=["HA207", "HA010", "HA011"])
    assert "waived_by=late" in _row(findings, "HA207", "PRD-1", "MQ")["evidence"]
    assert len(findings[findings["check_id"] == "HA010"]) == 2


def test_a_waiver_naming_an_unknown_check_is_an_error_with_its_line(sample_inventory):
    text = "waivers:\n  - {check: HA999, resource: PRD-1, owner: o, reason: r, expires: 2027-01-01}\n"
    plan = bundle_plan(SAMPLE).with_waivers(waivers_from_text(text, "site/waivers.yaml"))
    with pytest.raises(PlanError) as err:
        run_checks(sample_inventory, plan)
    assert str(err.value).startswith("site/waivers.yaml:2: check HA999: no such check")


def test_without_waivers_nothing_is_marked_and_the_waiver_checks_are_quiet(sample_inventory):
    findings, coverage = run_checks(sample_inventory, bundle_plan(SAMPLE))
    assert not waived(findings).any()
    assert not findings["evidence"].fillna("").str.contains("waiver").any()
    assert not findings["check_id"].isin(["HA010", "HA011"]).any()
    assert set(coverage.loc[coverage["check_id"].isin(["HA010", "HA011"]), "evaluated"]) == {0}


def test_findings_files_and_table_carry_the_waiver(sample_run):
    _, findings, _ = sample_run
    csv = pd.read_csv(io.StringIO(findings_csv(findings)), dtype="str", keep_default_na=False)
    nim = csv[(csv["check_id"] == "HA203") & (csv["partition"] == "NIM")].iloc[0]
    assert "waived_by=j.kowalski waived_until=2027-03-31" in nim["evidence"]
    records = json.loads(findings_json(findings))
    nim = next(r for r in records if r["check_id"] == "HA203" and r["partition"] == "NIM")
    assert "waived_by=j.kowalski" in nim["evidence"]
    assert any(r["check_id"] == "HA010" for r in records) and any(r["check_id"] == "HA011" for r in records)
    table = findings_table(findings)
    assert "waived" in table.splitlines()[0]
    line = next(ln for ln in table.splitlines() if ln.startswith("HA203") and " NIM " in ln)
    assert "j.kowalski until 2027-03-31: NIM keeps" in line


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_findings_uses_the_bundle_waivers_or_the_given_file(tmp_path):
    code, out, _ = _cli("findings", str(SAMPLE), "--format", "csv")
    assert code == 0 and "waived_by=j.kowalski" in out and "HA010" in out
    other = tmp_path / "w.yaml"
    other.write_text("waivers:\n  - {check: HA207, resource: PRD-1/MQ, owner: ops, reason: r, expires: 2027-01-01}\n",
                     encoding="utf-8")
    code, out, _ = _cli("findings", str(SAMPLE), "--format", "csv", "--waivers", str(other))
    frame = pd.read_csv(io.StringIO(out), dtype="str", keep_default_na=False)
    assert frame.loc[frame["evidence"].str.contains("waived_by="), "check_id"].tolist() == ["HA207"]
    assert not frame["check_id"].isin(["HA010", "HA011"]).any()


def test_cli_fail_on_ignores_waived_findings(tmp_path):
    text = ("waivers:\n  - {check: HA207, resource: PRD-1/MQ, owner: ops, reason: r, expires: 2027-01-01}\n"
            "  - {check: HA207, resource: 'PRD-2/*', owner: ops, reason: r, expires: 2027-01-01}\n")
    (tmp_path / "w.yaml").write_text(text, encoding="utf-8")
    code, out, err = _cli("findings", str(SAMPLE), "--only", "HA207", "HA011", "--fail-on", "medium",
                          "--waivers", str(tmp_path / "w.yaml"), "--format", "csv")
    frame = pd.read_csv(io.StringIO(out), dtype="str", keep_default_na=False)
    assert set(frame["check_id"]) <= {"HA207", "HA011"}
    unwaived = frame[(frame["check_id"] == "HA207") & ~frame["evidence"].str.contains("waived_by=")]
    assert code == (3 if len(unwaived) else 0), (out, err)
    assert (frame["check_id"] == "HA207").sum() >= 1


def test_cli_bad_waivers_file_is_one_line_naming_file_and_line(tmp_path):
    bad = tmp_path / "waivers.yaml"
    bad.write_text("waivers:\n  - check: HA203\n    resource: PRD-1/NIM\n    owner: x\n    reason: r\n"
                   "    expires: soon\n", encoding="utf-8")
    code, out, err = _cli("findings", str(SAMPLE), "--waivers", str(bad))
    assert code == 2 and out == ""
    assert err.strip() == f"hatoolkit: error: {bad}:6: waivers[0].expires: 'soon' is not a date " \
                          "(use YYYY-MM-DD, e.g. 2027-03-31)"
