"""Report tables: still DataFrames, interactive in display, escaped, bundle shipped once."""

from __future__ import annotations

import pandas as pd

from hatoolkit.report import tables
from hatoolkit.report.run import compute_run
from tests.conftest import HOSTILE_NAME, SAMPLE


def _findings(**over):
    base = {"check_id": "HA003", "family": "inputs", "severity": "medium", "status": "fail", "system": "DR-1",
            "partition": None, "resource": "r", "destination": None, "message": "m", "evidence": "e",
            "remediation": "fix"}
    return {**base, **over}


def test_findings_table_is_a_dataframe_worst_first():
    frame = pd.DataFrame([_findings(), _findings(check_id="HA001", severity="critical", system="PRD-1")])
    table = tables.findings_table(frame)
    assert isinstance(table, pd.DataFrame) and isinstance(table, tables.ReportTable)
    assert list(table.columns) == tables.FINDING_DISPLAY
    assert list(table["severity"]) == ["critical", "medium"]
    derived = table[table["severity"] == "critical"]
    assert type(derived) is pd.DataFrame, "operations give plain frames"
    assert len(tables.findings_table(frame, limit=1)) == 1


def test_cells_are_escaped_and_the_bundle_is_sent_once(monkeypatch):
    monkeypatch.delenv(tables.REPORT_ASSETS_ENV, raising=False)
    monkeypatch.setattr(tables, "_bundle_sent", False)
    frame = pd.DataFrame([_findings(partition=HOSTILE_NAME, evidence=("a", "b"))])
    first = tables.findings_table(frame)._repr_html_()
    second = tables.findings_table(frame)._repr_html_()
    assert HOSTILE_NAME not in first and "&lt;script&gt;alert(1)&lt;/script&gt;" in first
    assert "injectModule" in first and "injectModule" not in second
    assert len(second) < 50_000 and "new ITable(" in second


def test_report_kernels_never_embed_the_bundle(monkeypatch):
    monkeypatch.setenv(tables.REPORT_ASSETS_ENV, "1")
    monkeypatch.setattr(tables, "_bundle_sent", False)
    assert "injectModule" not in tables.interactive(pd.DataFrame({"a": [1]}))._repr_html_()


def test_inventory_views_on_the_sample():
    run = compute_run(SAMPLE)
    systems = tables.system_table(run.inventory)
    assert set(systems["system"]) == {"PRD-1", "PRD-2", "IBMI-7", "DR-1"}
    dr1 = systems.set_index("system").loc["DR-1"]
    assert dr1["partitions"] == 8 and dr1["running"] == 7 and dr1["vios"] == 2
    assert len(tables.partition_table(run.inventory)) == 29
    hosts = tables.hosting_table(run.inventory).set_index(["system", "host"])
    assert hosts.loc[("IBMI-7", "IBMIHOST"), "guests"] == 2
    card = tables.scorecard_table(run.findings, run.coverage)
    assert card.loc["Inputs and data gaps", "checks"] > 0
    assert card.loc["Failover capacity", "verdict"] in ("not audited",) or card.loc["Failover capacity", "checks"]
    facts = tables.run_facts(run)
    assert facts.loc["partitions", "value"] == "29" and "2026-11-25T06:00" in facts.loc["audit time (as_of)", "value"]
