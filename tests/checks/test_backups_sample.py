"""The sample bundle's IBM i story gives exactly the HA3xx findings its docstring promises."""

from __future__ import annotations

from hatoolkit.checks import run_checks
from hatoolkit.model.plan import bundle_plan
from tests.conftest import SAMPLE


def test_sample_backup_findings(sample_inventory):
    findings, coverage = run_checks(sample_inventory, bundle_plan(SAMPLE), families=["backups"])
    assert coverage["error"].isna().all()
    got = {(r.check_id, r.severity, r.status, r.partition, r.resource) for r in findings.itertuples()}
    assert got == {
        ("HA301", "high", "fail", "IBMIHOST", "IBMIGST1C"),
        ("HA302", "high", "fail", "IBMIHOST", "IBMIGST1B"),
        ("HA303", "medium", "fail", "IBMIHOST", "IBMIGST1A"),
        ("HA303", "critical", "fail", "IBMIHOST", "LNXGST1DATA"),
        ("HA304", "medium", "fail", "IBMIHOST", "IBMIGST1A"),
        ("HA304", "medium", "fail", "IBMIHOST", "LNXGST1DATA"),
        ("HA305", "medium", "fail", "IBMIHOST", "IBMIGST1A"),
        ("HA306", "high", "fail", "IBMIHOST", "IBMIGST1B"),
        ("HA306", "high", "fail", "IBMIHOST", "IBMIGST1C"),
        ("HA307", "high", "fail", "IBMI-GUEST1", "IBMIGST1"),
        ("HA309", "medium", "fail", "IBMIHOST", "IBMIGST1B"),
    }
