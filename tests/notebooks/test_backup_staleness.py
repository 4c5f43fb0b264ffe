"""The backup staleness notebook: thin, tagged, and it runs on the sample with papermill (also replaying a date)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "backup_staleness.ipynb"


def test_notebook_is_thin_and_tagged():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["hatoolkit"]["area"] == "backups" and nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.outputs for c in code)
    for cell in code:
        assert "def " not in cell.source and "class " not in cell.source


@pytest.mark.slow
def test_notebook_runs_on_sample_and_replays_a_date(tmp_path):
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="python3", cwd=str(NOTEBOOK.parent), progress_bar=False,
                        parameters={"bundle": str(ROOT / "data" / "sample"), "as_of": "2026-11-24T12:00:00+01:00"})
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    figures = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(figures) == 2
    tables = "\n".join(o["data"].get("text/plain", "") for o in outputs if "data" in o)
    # Replayed at 24 Nov 12:00 the IBMIGST1A copy (saved 23 Nov 22:00) is 14 h old: fresh, no longer lagging.
    assert "IBMIGST1A" in tables and "14 h" in tables
    timeline = json.dumps(figures[0]["data"]["application/vnd.plotly.v1+json"])
    assert "as_of" in timeline and "copy breaches RPO" in timeline
