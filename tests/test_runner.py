"""The audit runner: artefacts, exit codes, atomic output, --only, --fail-on, unusable input."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from hatoolkit.cli import main
from hatoolkit.errors import HatoolkitError
from hatoolkit.execution import NotebookFailed
from hatoolkit.model.findings import FINDING_COLUMNS
from hatoolkit.runner import EXIT_FINDINGS, EXIT_OK, _swap_into_place, audit
from tests.conftest import HOSTILE_NAME, SAMPLE

pytestmark = pytest.mark.slow

PARAMS = ('run_dir: str = ""  # run folder\nbundle: str = ""  # bundle\nplan: str = ""  # plan\n'
          'as_of: str = ""  # time')


def tiny_notebook(folder: Path, name: str, area: str, *cells: str, order: int = 10) -> Path:
    """A contract-abiding notebook: parameters cell, then the given code cells."""
    nb = new_notebook(cells=[new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
                             *[new_code_cell(c) for c in cells]])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["hatoolkit"] = {"area": area, "title": name.replace("_", " ").title(), "order": order}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch) -> Path:
    """Fast notebooks (summary + capacity + mobility); static export off to keep these tests quick."""
    monkeypatch.setenv("HATOOLKIT_NO_STATIC", "1")
    folder = tmp_path / "nbs"
    tiny_notebook(folder, "summary", "summary", "from hatoolkit.report import run as runs",
                  "run = runs.open_run(run_dir or bundle)", "len(run.findings)", order=0)
    tiny_notebook(folder, "capacity", "capacity", "x = 1 + 1")
    tiny_notebook(folder, "mobility", "mobility", "y = 2")
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- the sample report


def test_sample_report_has_every_artefact(sample_report):
    result, log = sample_report
    out = result.out
    assert result.exit_code == EXIT_OK
    for name in ("index.html", "audit_summary.html", "inventory.html", "audit_summary.ipynb", "inventory.ipynb",
                 "findings.csv", "findings.json", "coverage.csv", "state.pkl", "audit.json"):
        assert (out / name).is_file(), name
    assert not (out / "explorer.html").exists(), "the explorer is not part of the audit"
    assert "audit_summary.ipynb" in log and "done" in log
    assert not list(out.parent.glob(".*partial*")), "temporary folder left behind"
    assert result.size_bytes < 20e6
    for nb in ("audit_summary.ipynb", "inventory.ipynb"):
        assert (out / nb).stat().st_size < 1e6, f"{nb}: no JavaScript bundle embedded per notebook"


def test_findings_csv_and_json_hold_the_same_contract(sample_report):
    out = sample_report[0].out
    csv = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
    rows = json.loads((out / "findings.json").read_text())
    assert list(csv.columns) == list(FINDING_COLUMNS)
    assert len(rows) == len(csv) > 0
    as_json = pd.DataFrame(rows, columns=list(FINDING_COLUMNS)).fillna("").astype(str)
    pd.testing.assert_frame_equal(csv, as_json)
    coverage = pd.read_csv(out / "coverage.csv")
    assert {"check_id", "evaluated", "failing", "unknown", "error"} <= set(coverage.columns)
    assert coverage["failing"].sum() + coverage["unknown"].sum() == len(csv)


def test_pages_are_offline_and_link_back(sample_report):
    out = sample_report[0].out
    plotly_js = list((out / "assets").glob("plotly-*.min.js"))
    assert len(plotly_js) == 1, "plotly.js shipped once as a file"
    for page in ("index.html", "audit_summary.html", "inventory.html"):
        html = (out / page).read_text()
        assert f'src="assets/{plotly_js[0].name}"' in html, page
        assert 'href="index.html"' in html, page
        assert "cdn." not in html and "unpkg.com" not in html and 'src="http' not in html, page
        assert "require.min.js" not in html and "MathJax.js" not in html, page
        assert "Plotly.newPlot" not in html or len(html) < 1_000_000, "plotly.js must not be inlined per page"
    index = (out / "index.html").read_text()
    for area in ("inputs", "capacity", "mobility", "backups", "network", "storage", "spof"):
        assert f'data-area="{area}"' in index


def test_executed_notebooks_read_the_saved_run(sample_report):
    out = sample_report[0].out
    nb = nbformat.read(str(out / "inventory.ipynb"), as_version=4)
    assert nb.metadata["papermill"]["parameters"]["run_dir"] == "."
    assert all(c.get("outputs") is not None for c in nb.cells if c.cell_type == "code")
    from hatoolkit.report.run import open_run

    run = open_run(out)
    assert len(run.inventory.partitions) == 29 and run.plan.as_of is not None


def test_static_charts_and_slides(sample_report):
    from tests.conftest import chromium_or_skip

    chromium_or_skip()
    result, _ = sample_report
    out = result.out
    assert result.static_skipped is None, result.static_skipped
    assert {"findings_by_area", "data_gaps", "capacity_at_a_glance", "what_hosts_what"} <= set(result.charts)
    for name in result.charts:
        png, svg = out / "charts" / f"{name}.png", out / "charts" / f"{name}.svg"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png.read_bytes()[16:20], "big"), int.from_bytes(png.read_bytes()[20:24], "big")
        assert (width, height) == (1920, 1080)
        assert "<svg" in svg.read_text()[:500]
    from pptx import Presentation

    deck = Presentation(str(out / "slides.pptx"))
    texts = [" ".join(s.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert len(deck.slides) == 2 + len(result.charts)
    assert "High-availability audit" in texts[0] and "Scorecard" in texts[1]
    assert any("depend on a single hosting partition" in t for t in texts)


# --------------------------------------------------------------------------- escaping


def test_inventory_strings_are_escaped_everywhere(hostile_report):
    out = hostile_report.out
    for page in ("index.html", "audit_summary.html", "inventory.html"):
        html = (out / page).read_text()
        assert HOSTILE_NAME not in html, f"{page} carries the raw payload"
    inventory = (out / "inventory.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in inventory


# --------------------------------------------------------------------------- exit codes, --fail-on


def test_fail_on_sets_exit_status(tiny, tmp_path):
    # A one-system bundle whose only findings are its missing captures (HA003, medium).
    bundle = tmp_path / "b"
    (bundle / "hmc" / "h1").mkdir(parents=True)
    (bundle / "hmc" / "h1" / "sys.txt").write_text("$ lssyscfg -r sys\nname=S1,type_model=9009-42A,"
                                                    "serial_num=7800001,state=Operating\n")
    result = audit(bundle, tmp_path / "r1", notebooks=tiny, fail_on="medium", stream=io.StringIO())
    assert result.exit_code == EXIT_FINDINGS and result.at_or_above >= 1
    result = audit(bundle, tmp_path / "r1", notebooks=tiny, fail_on="critical", stream=io.StringIO())
    assert result.exit_code == EXIT_OK and result.at_or_above == 0
    assert main(["audit", str(bundle), "--out", str(tmp_path / "r1"), "--notebooks", str(tiny),
                 "--fail-on", "high"]) == EXIT_OK
    assert main(["audit", str(bundle), "--out", str(tmp_path / "r1"), "--notebooks", str(tiny),
                 "--fail-on", "medium"]) == EXIT_FINDINGS


def test_waived_findings_do_not_fail_the_run():
    from hatoolkit.cli import _exit_for
    from hatoolkit.model.findings import at_or_above

    row = dict.fromkeys(FINDING_COLUMNS, "x") | {"severity": "high", "status": "fail"}
    waived = pd.DataFrame([row | {"evidence": "gap=x waived_by=anna until=2027-01-01"}])
    assert at_or_above(waived, "medium").empty and _exit_for(waived, "medium") == EXIT_OK
    active = pd.DataFrame([row | {"evidence": "gap=x"}])
    assert len(at_or_above(active, "medium")) == 1 and _exit_for(active, "high") == EXIT_FINDINGS
    assert at_or_above(active, "critical").empty


def test_cli_prints_wall_time_size_and_index(tiny, tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["audit", str(SAMPLE), "--out", str(out), "--notebooks", str(tiny), "--jobs", "1"]) == EXIT_OK
    printed = capsys.readouterr()
    lines = printed.out.strip().splitlines()
    assert lines[-1] == str(out.resolve() / "index.html")
    assert "audit wall time" in lines[-2] and "MB" in lines[-2]
    assert "static charts (png/svg) and slides.pptx were skipped" in printed.err.lower()


def test_no_browser_still_completes_and_says_why(tiny, tmp_path, monkeypatch):
    monkeypatch.delenv("HATOOLKIT_NO_STATIC")
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    result = audit(SAMPLE, tmp_path / "r", notebooks=tiny, stream=io.StringIO())
    assert result.exit_code == EXIT_OK and "not executable" in result.static_skipped
    assert not (result.out / "slides.pptx").exists() and not list((result.out / "charts").iterdir())
    assert "were skipped" in (result.out / "index.html").read_text()


# --------------------------------------------------------------------------- atomic output


def test_failed_notebook_leaves_previous_report_untouched(tiny, tmp_path, capsys):
    out = tmp_path / "reports" / "sample"
    audit(SAMPLE, out, notebooks=tiny, stream=io.StringIO())
    before = snapshot(out)
    tiny_notebook(tiny, "capacity", "capacity", "a = 1", "b = 2", "raise RuntimeError('disk on fire')")
    with pytest.raises(NotebookFailed) as info:
        audit(SAMPLE, out, notebooks=tiny, stream=io.StringIO())
    message = str(info.value)
    assert "capacity.ipynb" in message and "cell 4" in message and "disk on fire" in message
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["sample"], "temporary folders left behind"
    code = main(["audit", str(SAMPLE), "--out", str(out), "--notebooks", str(tiny)])
    err = capsys.readouterr().err
    assert code == 1 and "capacity.ipynb" in err and "cell 4" in err and "untouched" in err
    assert snapshot(out) == before


def test_second_audit_replaces_the_first(tiny, tmp_path):
    out = tmp_path / "rep"
    audit(SAMPLE, out, notebooks=tiny, stream=io.StringIO())
    (out / "stale.txt").write_text("from the old report")
    audit(SAMPLE, out, notebooks=tiny, stream=io.StringIO())
    assert not (out / "stale.txt").exists() and (out / "index.html").is_file()


def test_swap_into_place_exchanges_whole_folders(tmp_path):
    old, new = tmp_path / "out", tmp_path / ".out.partial"
    old.mkdir()
    (old / "a").write_text("old")
    new.mkdir()
    (new / "b").write_text("new")
    _swap_into_place(new, old)
    assert [p.name for p in old.iterdir()] == ["b"] and not new.exists()


# --------------------------------------------------------------------------- --only


def test_only_runs_the_chosen_areas_and_the_summary(tiny, tmp_path):
    result = audit(SAMPLE, tmp_path / "r", notebooks=tiny, only=["capacity"], stream=io.StringIO())
    assert result.pages == ["summary", "capacity"]
    assert (result.out / "capacity.html").is_file() and not (result.out / "mobility.html").exists()
    manifest = json.loads((result.out / "audit.json").read_text())
    assert manifest["areas"] == ["capacity"]
    from hatoolkit.report.run import open_run

    coverage = open_run(result.out).coverage
    assert set(coverage.loc[coverage["family"] != "capacity", "check_id"]) == {"HA010", "HA011"}  # waivers: always


def test_only_rejects_an_unknown_area(tiny, tmp_path, capsys):
    with pytest.raises(HatoolkitError, match="unknown area 'capacty'"):
        audit(SAMPLE, tmp_path / "r", notebooks=tiny, only=["capacty"], stream=io.StringIO())
    assert main(["audit", str(SAMPLE), "--out", str(tmp_path / "r"), "--only", "capacty"]) == 2
    assert not (tmp_path / "r").exists()


# --------------------------------------------------------------------------- unusable input -> 2


@pytest.mark.parametrize("case", ["missing bundle", "empty bundle", "bad plan", "bad as-of", "bad severity", "bad jobs",
                                  "out is a file", "out is someone's folder"])
def test_unusable_input_exits_2(case, tiny, tmp_path, write, capsys):
    bundle, extra = str(SAMPLE), []
    out = tmp_path / "report"
    if case == "missing bundle":
        bundle = str(tmp_path / "nope")
    elif case == "empty bundle":
        (tmp_path / "empty").mkdir()
        bundle = str(tmp_path / "empty")
    elif case == "bad plan":
        extra = ["--plan", str(write("plan.yaml", "sizing: biggest\n"))]
    elif case == "bad as-of":
        extra = ["--as-of", "yesterday-ish"]
    elif case == "bad severity":
        extra = ["--fail-on", "severe"]
    elif case == "bad jobs":
        extra = ["--jobs", "0"]
    elif case == "out is a file":
        out.write_text("x")
    else:
        out.mkdir()
        (out / "thesis.tex").write_text("years of work")
    code = main(["audit", bundle, "--out", str(out), "--notebooks", str(tiny), *extra])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("hatoolkit: error:") and "Traceback" not in err
    if case == "out is someone's folder":
        assert (out / "thesis.tex").read_text() == "years of work"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_one_warm_kernel_gives_each_notebook_an_empty_namespace(tmp_path, monkeypatch):
    """Three notebooks on one kernel: nothing a notebook defined (nor the warm-up's imports) is seen by the next."""
    monkeypatch.setenv("HATOOLKIT_NO_STATIC", "1")
    folder = tmp_path / "nbs"
    tiny_notebook(folder, "summary", "summary", "assert 'pandas' not in dir(), 'warm-up names leaked'",
                  "leak_summary = 1", order=0)
    tiny_notebook(folder, "capacity", "capacity", "assert 'leak_summary' not in dir()", "leak_capacity = 2", order=1)
    tiny_notebook(folder, "mobility", "mobility", "assert not {'leak_summary', 'leak_capacity'} & set(dir())", order=2)
    result = audit(SAMPLE, tmp_path / "r", notebooks=folder, jobs=1, stream=io.StringIO())
    assert result.exit_code == EXIT_OK and len(result.pages) == 3
