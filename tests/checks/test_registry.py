"""The registry enforces one declaration per check and the runner never hides a crash."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from hatoolkit.checks import REGISTRY, run_checks
from hatoolkit.checks.registry import Outcome, check, evidence, evidence_of, outcome, rows
from hatoolkit.errors import CheckDefinitionError
from hatoolkit.model.findings import FINDING_COLUMNS, Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.report.checks_doc import render_checks_doc

ROOT = Path(__file__).resolve().parents[2]
MODULE_OF_FAMILY = {"inputs": "inputs", "capacity": "capacity", "mobility": "mobility", "backups": "backups",
                    "network": "network", "storage": "storage", "spof": "spof"}


def test_every_check_is_declared_completely():
    assert REGISTRY, "no checks registered"
    for spec in REGISTRY.values():
        assert re.match(r"^HA\d{3}$", spec.id)
        assert spec.title and len(spec.title) <= 100 and not spec.title.lower().startswith("ensure")
        assert spec.rationale and spec.remediation
        module = spec.fn.__module__.rsplit(".", 1)[-1]
        assert module.startswith(MODULE_OF_FAMILY[spec.family.value]), f"{spec.id} lives in {module}"


def test_duplicate_and_malformed_declarations_raise():
    with pytest.raises(CheckDefinitionError, match="duplicate"):
        check("HA001", Severity.LOW, remediation="x")(lambda inv, plan: None)
    with pytest.raises(CheckDefinitionError, match="bad check id"):
        check("HA1", Severity.LOW, remediation="x")(lambda inv, plan: None)

    def undocumented(inv, plan):
        return None

    with pytest.raises(CheckDefinitionError, match="docstring"):
        check("HA098", Severity.LOW, remediation="x")(undocumented)


def test_docs_checks_md_is_current():
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == render_checks_doc(), (
        "docs/checks.md is stale: run `hatoolkit docs --out docs/checks.md`")


def test_crashing_check_is_an_error_row_not_a_silent_zero():
    @check("HA099", Severity.LOW, remediation="Nothing.")
    def exploding(inv: Inventory, plan) -> Outcome:
        """A check that crashes.

        It exists to prove the runner reports crashes.
        """
        raise RuntimeError("boom")

    try:
        findings, coverage = run_checks(Inventory(), select=["HA099", "HA001"])
        row = coverage.set_index("check_id").loc["HA099"]
        assert "RuntimeError: boom" in row["error"] and row["evaluated"] == 0
        assert coverage.set_index("check_id").loc["HA001", "error"] is pd.NA or pd.isna(
            coverage.set_index("check_id").loc["HA001", "error"])
        assert list(findings.columns) == list(FINDING_COLUMNS)
    finally:
        del REGISTRY["HA099"]


def test_rows_and_evidence_helpers():
    frame = pd.DataFrame({"sys": ["A", "B"], "mem": pd.array([1024, None], dtype="Int64"),
                          "state": ["Not Activated", "Running"]})
    ev = evidence_of(frame, {"mem": "curr_mem", "state": "state"})
    assert ev.tolist() == ['curr_mem=1024 state="Not Activated"', "curr_mem=unknown state=Running"]
    assert evidence(curr_lpar_proc_compat_mode="POWER10", modes=("default", "POWER9")) == (
        "curr_lpar_proc_compat_mode=POWER10 modes=default,POWER9")
    out = outcome(2, rows(frame, system=frame["sys"], message="m", evidence=ev, status="unknown"))
    assert out.rows["status"].tolist() == ["unknown", "unknown"] and out.rows["partition"].isna().all()


def test_findings_are_deterministic(sample_inventory):
    a, _ = run_checks(sample_inventory)
    b, _ = run_checks(sample_inventory)
    assert a.to_csv(index=False) == b.to_csv(index=False)


@pytest.mark.parametrize("bundle", ["empty", "one_partition", "powered_off"])
def test_every_check_runs_cleanly_on_thin_inventories(tmp_path, bundle):
    """No check may crash on an estate that lacks its data: it reports unknown, or nothing."""
    from hatoolkit import load_inventory

    if bundle == "empty":
        inv = Inventory()
    else:
        folder = tmp_path / "hmc" / "h1" / "S1"
        folder.mkdir(parents=True)
        state = "Operating" if bundle == "one_partition" else "Power Off"
        (folder / "sys.txt").write_text(f"$ lssyscfg -r sys\nname=S1,state={state}\n")
        (folder / "lpar.txt").write_text("$ lssyscfg -r lpar -m S1\nname=a,lpar_id=1,lpar_env=os400,state=Running\n")
        inv = load_inventory(tmp_path)
    _, coverage = run_checks(inv)
    errors = coverage[coverage["error"].notna()]
    assert errors.empty, errors[["check_id", "error"]].to_string()
