"""The redundancy notebook: thin (no def/class), tagged parameters, and it runs on the sample with papermill."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from tests.conftest import ROOT, SAMPLE

NOTEBOOK = ROOT / "notebooks" / "redundancy.ipynb"


def test_notebook_contract():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["hatoolkit"]["area"] == "network" and nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for name in ("run_dir", "bundle", "plan", "as_of"):
        assert f"{name}: str = " in code[0].source
    for cell in code:
        assert not cell.get("outputs"), "commit notebooks without outputs"
        tree = ast.parse(cell.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)]
    sources = "\n".join(c.source for c in code)
    for family in ("network", "storage", "spof"):
        assert f'findings_for("{family}")' in sources


@pytest.mark.slow
def test_notebook_runs_on_the_sample(tmp_path: Path):
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "redundancy.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), parameters={"bundle": str(SAMPLE)}, kernel_name="python3",
                               cwd=str(NOTEBOOK.parent), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    plots = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(plots) == 3
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "IBMI-GUEST1" in html and "HA402" in html and "HA601" in html
