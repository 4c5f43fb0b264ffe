"""The scorecard: counts by severity and status per concern; waived never counted; unaudited said so."""

from __future__ import annotations

import pandas as pd

from hatoolkit.model.findings import FINDING_COLUMNS
from hatoolkit.report.scorecard import headline, scorecard, worst_findings


def _row(check_id, severity, status="fail", evidence="x=1", system="S"):
    row = dict.fromkeys(FINDING_COLUMNS, None)
    family = {"0": "inputs", "1": "capacity"}[check_id[2]]
    return row | {"check_id": check_id, "family": family, "severity": severity, "status": status,
                  "system": system, "message": f"{check_id} on {system}", "evidence": evidence, "remediation": "r"}


def _coverage(*families):
    return pd.DataFrame({"check_id": [f"HA{i:03d}" for i in range(len(families))], "family": list(families),
                         "error": [None] * len(families)})


def test_counts_by_severity_and_status():
    findings = pd.DataFrame([_row("HA101", "high"), _row("HA102", "high", "unknown"), _row("HA001", "low"),
                             _row("HA103", "critical", evidence="waived_by=anna")])
    card = scorecard(findings, _coverage("inputs", "capacity", "capacity")).set_index("area")
    assert card.loc["capacity", ["high", "critical", "fail", "unknown", "waived"]].tolist() == [2, 0, 1, 1, 1]
    assert card.loc["capacity", "verdict"] == "1 failing, worst high"
    assert card.loc["inputs", "low"] == 1
    assert card.loc["mobility", "verdict"] == "not audited"
    assert list(worst_findings(findings, "capacity")["check_id"]) == ["HA101", "HA102"]
    assert headline(findings).startswith("3 findings (2 failing, 1 unknown): 2 high, 1 low; 1 waived")


def test_crashed_checks_are_not_clean():
    cov = _coverage("capacity").assign(error=["KeyError: x"])
    findings = pd.DataFrame(columns=list(FINDING_COLUMNS))
    assert scorecard(findings, cov).set_index("area").loc["capacity", "verdict"] == "1 check(s) crashed"
    assert headline(findings) == "No findings"
