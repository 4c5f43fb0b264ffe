"""Drift for readers: `hatoolkit diff` on report folders, findings files and bundles (table, CSV, JSON,
--fail-on), `hatoolkit audit --baseline` (summary section, drift page, drift.csv/json, audit.json),
the drift notebook under papermill, and the drift page in a real browser."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import papermill as pm
import pytest

from hatoolkit.cli import main
from hatoolkit.execution import NOTEBOOKS_DIR
from hatoolkit.report.drift import DRIFT_CSV_COLUMNS
from hatoolkit.report.html import PLOTLY_MIME
from hatoolkit.report.run import compute_run, save_run
from hatoolkit.report.text import findings_csv
from tests.analysis.drift_bundles import write_pair

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sides(tmp_path_factory):
    """Two bundles a night apart, their saved runs (report folders) and findings-only folders."""
    root = tmp_path_factory.mktemp("drift")
    old, new = write_pair(root)
    out = {"old": old, "new": new}
    for name, bundle in (("old", old), ("new", new)):
        run = compute_run(bundle)
        save_run(run, root / f"rep_{name}")
        (root / f"csv_{name}").mkdir()
        (root / f"csv_{name}" / "findings.csv").write_text(findings_csv(run.findings), encoding="utf-8")
        run.coverage.to_csv(root / f"csv_{name}" / "coverage.csv", index=False)
        out[f"rep_{name}"], out[f"csv_{name}"] = root / f"rep_{name}", root / f"csv_{name}"
    return out


def cli(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def test_diff_of_two_report_folders_as_a_table(sides):
    code, out, err = cli("diff", sides["rep_old"], sides["rep_new"])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (f"Drift {sides['rep_old']} (as of 2026-11-25 06:00 CET) -> {sides['rep_new']} "
                        "(as of 2026-11-25 06:00 CET)")
    assert lines[1] == "1 new, 5 resolved, 1 changed; 5 configuration changes."
    assert "Findings" in lines and "Configuration changes" in lines
    row = next(ln for ln in lines if ln.startswith("resolved") and "HA207" in ln)
    assert "MQ" in row and row.rstrip().endswith("C4")
    assert any(ln.startswith("changed") and "critical->high" in ln and "HA303" in ln for ln in lines)
    assert any(ln.startswith("C5") and "mode (ha_mode) disabled -> auto" in ln for ln in lines)


def test_diff_as_csv_has_finding_and_config_sections(sides):
    code, out, _ = cli("diff", sides["rep_old"], sides["rep_new"], "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), dtype="str", keep_default_na=False)
    assert list(frame.columns) == DRIFT_CSV_COLUMNS
    f, c = frame[frame["section"] == "finding"], frame[frame["section"] == "config"]
    assert f["change"].value_counts().to_dict() == {"resolved": 5, "new": 1, "changed": 1}
    mq = f[(f["check_id"] == "HA207")].iloc[0]
    assert (mq["change"], mq["partition"], mq["explained_by"]) == ("resolved", "MQ", "C4")
    assert c["id"].tolist() == ["C1", "C2", "C3", "C4", "C5"]
    sea = c[c["id"] == "C5"].iloc[0]
    assert (sea["kind"], sea["resource"], sea["attribute"], sea["before"], sea["after"]) == (
        "sea", "ent11", "ha_mode", "disabled", "auto")


def test_diff_as_json(sides):
    code, out, _ = cli("diff", sides["rep_old"], sides["rep_new"], "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["counts"] == {"new": 1, "resolved": 5, "changed": 1, "config": 5}
    assert doc["old"]["as_of"] == doc["new"]["as_of"] == "2026-11-25T05:00:00+00:00"
    assert len(doc["findings"]) == 7 and len(doc["config"]) == 5 and doc["notes"] == []
    copy = next(f for f in doc["findings"] if f["check_id"] == "HA303")
    assert (copy["severity_before"], copy["severity"], copy["detail"]) == (
        "critical", "high", "severity critical -> high (better)")
    assert copy["explained_by"] == ["C1", "C2"]


def test_diff_of_findings_files_compares_findings_only(sides):
    code, out, _ = cli("diff", sides["csv_old"], sides["csv_new"] / "findings.csv", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["counts"] == {"new": 1, "resolved": 5, "changed": 1, "config": None} and doc["config"] is None
    assert any("configuration not compared" in n for n in doc["notes"])
    assert all(f["explained_by"] == [] for f in doc["findings"])


def test_diff_of_two_bundles_audits_both(sides):
    code, out, err = cli("diff", sides["old"], sides["new"], "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["counts"] == {"new": 1, "resolved": 5, "changed": 1, "config": 5}
    assert doc["old"]["label"] == str(sides["old"])


def test_diff_fail_on_counts_only_new_or_worse_findings(sides):
    code, _, err = cli("diff", sides["rep_old"], sides["rep_new"], "--fail-on", "medium")
    assert code == 3 and "1 non-waived finding(s) at or above medium are new or got worse" in err
    code, _, err = cli("diff", sides["rep_old"], sides["rep_new"], "--fail-on", "high")
    assert code == 0 and err.startswith("0 non-waived")  # HA303 got better, not worse
    code, _, err = cli("diff", sides["rep_new"], sides["rep_old"], "--fail-on", "critical")
    assert code == 3  # backwards, HA303 went from high to critical


@pytest.mark.parametrize("case", ["missing", "report_without_state", "not_findings"])
def test_diff_bad_sides_are_one_line_errors(sides, tmp_path, case):
    if case == "missing":
        target = tmp_path / "nope"
    elif case == "report_without_state":
        target = tmp_path / "rep"
        target.mkdir()
        (target / "audit.json").write_text("{}", encoding="utf-8")
    else:
        target = tmp_path / "findings.csv"
        target.write_text("a,b\n1,2\n", encoding="utf-8")
    code, out, err = cli("diff", sides["rep_old"], target)
    assert code == 2 and out == ""
    assert err.startswith(f"hatoolkit: error: {target}") and len(err.strip().splitlines()) == 1


# --------------------------------------------------------------------------- audit --baseline


@pytest.fixture(scope="module")
def baseline_report(sides, tmp_path_factory, monkeypatch_module):
    """`audit NEW --baseline R --out R` where R holds the old audit: the nightly job, report replaced in place."""
    from hatoolkit.runner import audit

    monkeypatch_module.setenv("HATOOLKIT_NO_STATIC", "1")
    nbs = tmp_path_factory.mktemp("nbs")
    for name in ("audit_summary.ipynb", "drift.ipynb"):
        shutil.copy(NOTEBOOKS_DIR / name, nbs / name)
    out = tmp_path_factory.mktemp("reports") / "nightly"
    shutil.copytree(sides["rep_old"], out)
    (out / "audit.json").write_text('{"hatoolkit": "previous"}\n', encoding="utf-8")  # makes it a report folder
    err = io.StringIO()
    result = audit(sides["new"], out, baseline=out, notebooks=nbs, stream=err, live=False, jobs=2)
    return result, err.getvalue()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_audit_with_a_baseline_writes_the_drift_files_and_pages(baseline_report):
    result, err = baseline_report
    out = result.out
    assert f"since {out}: 1 new, 5 resolved, 1 changed; 5 configuration changes" in err
    for name in ("drift.csv", "drift.json", "drift.html", "audit_summary.html", "index.html"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert manifest["baseline"] == f"{out.name} (baseline)"
    assert manifest["drift"] == {"new": 1, "resolved": 5, "changed": 1, "config": 5}
    doc = json.loads((out / "drift.json").read_text(encoding="utf-8"))
    assert doc["counts"] == manifest["drift"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert ('<p class="ht-since" id="since"><a href="drift.html">Since nightly (baseline): 1 new, 5 resolved, '
            "1 changed; 5 configuration changes.</a></p>") in index
    assert 'href="drift.csv"' in index and 'href="drift.json"' in index


def test_the_summary_page_shows_since_last_audit(baseline_report):
    result, _ = baseline_report
    page = (result.out / "audit_summary.html").read_text(encoding="utf-8")
    assert "Since last audit" in page
    assert "1 new, 5 resolved, 1 changed; 5 configuration changes (since nightly (baseline))" in page
    assert "partition MQ (aixlinux, 1 proc units, 32 GB) removed from PRD-1" in page  # explained by
    assert "No baseline" not in page


def test_the_drift_page_lists_findings_and_configuration_changes(baseline_report):
    result, _ = baseline_report
    page = (result.out / "drift.html").read_text(encoding="utf-8")
    assert "Since last audit" in page
    for text in ("SEA ent11 of PRD-1/PRD-1-VIOS1: mode (ha_mode) disabled -> auto",
                 "copy of LNXGST1DATA on DR-1/IBMIHOST-DR refreshed",
                 "partition ERP-DB on PRD-1 resized: curr_mem_mb 262144 -&gt; 196608",
                 "severity critical -&gt; high (better)"):
        assert text in page or text.replace("->", "-&gt;") in page, text


def test_without_a_baseline_there_is_no_drift_page(sample_report):
    result, _ = sample_report
    assert not (result.out / "drift.html").exists() and not (result.out / "drift.csv").exists()
    assert 'id="since"' not in (result.out / "index.html").read_text(encoding="utf-8")
    assert "No baseline" in (result.out / "audit_summary.html").read_text(encoding="utf-8")


def test_a_baseline_that_is_not_a_report_is_refused(sides, tmp_path):
    code, _, err = cli("audit", sides["new"], "--out", tmp_path / "r", "--baseline", sides["new"])
    assert code == 2 and "not a report folder (no state.pkl or findings.csv)" in err
    assert not (tmp_path / "r").exists()


# --------------------------------------------------------------------------- the notebook and the browser


def test_drift_notebook_runs_against_a_baseline(sides, tmp_path):
    nb = pm.execute_notebook(str(NOTEBOOKS_DIR / "drift.ipynb"), str(tmp_path / "drift.ipynb"),
                             parameters={"run_dir": str(sides["rep_new"].resolve()),
                                         "baseline": str(sides["rep_old"].resolve())},
                             kernel_name="python3", cwd=str(NOTEBOOKS_DIR), progress_bar=False)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "new ITable(" in html and "HA207" in html and "SEA ent11 of PRD-1/PRD-1-VIOS1" in html
    figs = [o["data"][PLOTLY_MIME] for o in outputs if PLOTLY_MIME in o.get("data", {})]
    assert len(figs) == 1
    bars = {t["name"]: sum(t["x"]) for t in figs[0]["data"]}
    assert bars == {"new": 1, "resolved": 5, "changed": 1}


def test_drift_page_in_a_browser(baseline_report):
    from tests.conftest import chromium_or_skip
    from tests.report.test_browser import ARGS, Watched

    path = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    result, _ = baseline_report
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=ARGS)
        try:
            w = Watched(browser)
            page = w.open(result.out / "index.html")
            page.locator("#since a").click()
            page.wait_for_load_state("load")
            assert Path(page.url).name == "drift.html"
            table = page.locator("table.dataTable", has=page.locator("th", has_text="explained by")).first
            table.locator("tbody tr").first.wait_for()
            assert table.locator("tbody tr").count() == 7
            page.locator("input[type=search]").first.fill("HA207")
            assert table.locator("tbody tr").count() == 1
            assert "C4: partition MQ" in table.locator("tbody tr").first.inner_text()
            w.assert_clean()
        finally:
            browser.close()
