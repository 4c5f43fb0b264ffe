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
    for name in ("run_dir", "bundle", "plan", "as_of", "policy", "usage"):
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
    assert len(figures) == 4  # headroom, placement, demand by sizing basis, usage timeline
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "HA101" in html and "(unplaced)" in html
    if policy == "minimum":
        bars = json.dumps(figures[0]["data"]["application/vnd.plotly.v1+json"])
        assert "demand at minimum size" in bars and "demand at current size" not in bars


@pytest.mark.slow
def test_runs_with_usage_sizing(tmp_path: Path):
    """A plan sizing by observed usage: the page states the basis and names the partitions without samples."""
    import papermill as pm

    text = (SAMPLE / "plan.yaml").read_text(encoding="utf-8").replace("sizing: current", "sizing: p95_30d")
    assert "sizing: p95_30d" in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={"bundle": str(SAMPLE), "plan": str(plan)},
                        kernel_name="python3", cwd=str(NOTEBOOK.parent), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text_out = "".join(o.get("data", {}).get("text/html", "") + o.get("data", {}).get("text/plain", "")
                       for o in outputs)
    assert "observed usage: 95th percentile" in text_out and "entitlement_fallback" in text_out
    assert "HA109" in text_out and "MQ" in text_out
    bars = [json.dumps(o["data"]["application/vnd.plotly.v1+json"]) for o in outputs
            if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert any("demand at peak_30d (observed usage)" in b and "demand at current (entitlement)" in b for b in bars)
