"""Waivers in the report: the findings table's `waived` column, the waivers table, the summary chart,
and the summary page of the sample audit."""

from __future__ import annotations

import dataclasses

import pytest

from hatoolkit.report import figures, tables
from hatoolkit.report.run import compute_run
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def run():
    return compute_run(SAMPLE)


def test_findings_table_says_who_waived_until_when(run):
    table = tables.findings_table(run.findings)
    assert list(table.columns[:3]) == ["severity", "status", "waived"]
    marked = table[table["waived"] != ""]
    assert marked[["check_id", "partition"]].values.tolist() == [["HA203", "NIM"]]
    assert marked["waived"].item().startswith("j.kowalski until 2027-03-31: NIM keeps its own 10GbE adapter")
    assert marked["status"].item() == "fail"
    # without any waived finding the column is not there
    plain = tables.findings_table(run.findings[run.findings["check_id"] == "HA207"])
    assert list(plain.columns) == tables.FINDING_DISPLAY


def test_waivers_table_lists_every_waiver_and_its_state(run):
    table = tables.waivers_table(run)
    assert table[["state", "check", "resource", "findings", "owner", "expires", "source"]].values.tolist() == [
        ["active", "HA203", "PRD-1/NIM", 1, "j.kowalski", "2027-03-31", "waivers.yaml:4"],
        ["expired", "HA207", "PRD-1/MQ", 1, "a.nowak", "2026-10-31", "waivers.yaml:11"],
        ["stale", "HA208", "PRD-2/HR-OLD", 0, "m.wisniewski", "2027-06-30", "waivers.yaml:16"],
    ]
    none = dataclasses.replace(run, plan=run.plan.with_waivers(()))
    note = tables.waivers_table(none)
    assert isinstance(note, tables.Note) and "No waivers" in note._repr_html_()


def test_summary_chart_shows_waived_findings_apart(run):
    fig = figures.summary.findings_by_area(run.findings, run.coverage)
    waived = [t for t in fig.data if t.name == "waived"]
    assert len(waived) == 1 and sum(waived[0].x) == 1
    assert sum(sum(t.x) for t in fig.data if t.name != "waived") == len(run.findings) - 1


def test_the_sample_summary_page_shows_the_waivers(sample_report):
    result, _ = sample_report
    page = (result.out / "audit_summary.html").read_text(encoding="utf-8")
    assert "Waivers" in page and "j.kowalski until 2027-03-31" in page
    for state, check in (("active", "HA203"), ("expired", "HA207"), ("stale", "HA208")):
        assert f'[\\"{state}\\", \\"{check}\\"' in page, state  # a row of the table's (escaped) JSON data
    csv = (result.out / "findings.csv").read_text(encoding="utf-8")
    assert "waived_by=j.kowalski waived_until=2027-03-31" in csv and "waiver_expired=2026-10-31" in csv
