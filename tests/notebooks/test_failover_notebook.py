"""The failover headroom notebook runs with papermill on the sample and shows its figures and tables."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tests.conftest import ROOT, SAMPLE

NOTEBOOK = ROOT / "notebooks" / "failover_headroom.ipynb"


def test_contract():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["hatoolkit"]["area"] == "capacity"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for name in ("run_dir", "bundle", "plan", "as_of", "policy"):
        assert f"{name}: str" in code[0].source
    for cell in code:
        assert not cell.get("outputs"), "notebooks are committed without outputs"
        assert "def " not in cell.source and "class " not in cell.source


@pytest.mark.slow
@pytest.mark.parametrize("policy", ["", "minimum"])
def test_runs_on_the_sample(tmp_path: Path, policy: str):
    import papermill as pm

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={"bundle": str(SAMPLE), "policy": policy},
                        kernel_name="python3", cwd=str(NOTEBOOK.parent), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    figures = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(figures) == 2
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "HA101" in html and "(unplaced)" in html
    if policy == "minimum":
        bars = json.dumps(figures[0]["data"]["application/vnd.plotly.v1+json"])
        assert "demand at minimum size" in bars and "demand at current size" not in bars
