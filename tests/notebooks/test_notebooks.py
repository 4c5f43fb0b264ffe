"""Every notebook under notebooks/: the contract (static checks) and a real papermill run on the sample.

Parametrised over the folder, so concern notebooks added by later issues are checked too.
"""

from __future__ import annotations

import ast

import nbformat
import papermill as pm
import pytest

from hatoolkit.execution import NOTEBOOKS_DIR, REQUIRED_PARAMETERS, contract_problems, read_spec
from hatoolkit.report.html import PLOTLY_MIME
from tests.conftest import SAMPLE

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def test_the_three_foundation_notebooks_exist():
    assert {"audit_summary", "inventory", "explorer"} <= set(IDS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_metadata_and_parameters_contract(path):
    nb = nbformat.read(str(path), as_version=4)
    assert contract_problems(nb) == []
    spec = read_spec(path)
    assert spec is not None, "metadata.hatoolkit {area, title, order} is required"
    assert isinstance(nb.metadata["hatoolkit"].get("order"), int)
    params = next(c for c in nb.cells if c.cell_type == "code")
    tree = ast.parse(params.source)
    typed = {n.target.id: n for n in tree.body if isinstance(n, ast.AnnAssign)}
    assert set(REQUIRED_PARAMETERS) <= set(typed)
    assert all(isinstance(n.value, ast.Constant) for n in typed.values()), "parameters take literal defaults"
    assert len(typed) == len(tree.body), "the parameters cell holds only typed assignments"
    lines = [ln for ln in params.source.splitlines() if ln.strip()]
    assert all("#" in ln for ln in lines), "every parameter has a comment"
    assert spec.audit == (spec.area != "explorer")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs_and_thin(path):
    nb = nbformat.read(str(path), as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.get("outputs") == [] and cell.get("execution_count") is None, f"cell {i} has outputs"
        tree = ast.parse(cell.source)
        banned = [type(n).__name__ for n in ast.walk(tree)
                  if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)]
        assert not banned, f"cell {i}: {banned} (logic belongs in hatoolkit, notebooks make one-line calls)"
        for stmt in tree.body:
            assert stmt.end_lineno == stmt.lineno, f"cell {i}: statement over several lines: {ast.unparse(stmt)}"
            assert not isinstance(stmt, ast.For | ast.While | ast.If | ast.With | ast.Try), f"cell {i}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_on_the_sample(path, tmp_path):
    out = tmp_path / path.name
    nb = pm.execute_notebook(str(path), str(out), parameters={"bundle": str(SAMPLE.resolve())},
                             kernel_name="python3", cwd=str(NOTEBOOKS_DIR), progress_bar=False)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    shown = [o for o in outputs if o.get("output_type") in ("display_data", "execute_result")]
    assert shown, "the notebook displays something"
    if path.stem in ("audit_summary", "inventory"):
        figures = [o["data"][PLOTLY_MIME] for o in shown if PLOTLY_MIME in o.get("data", {})]
        assert figures and all(f["data"] or f["layout"].get("annotations") for f in figures)
        assert any("new ITable(" in o["data"].get("text/html", "") for o in shown), "interactive tables"
    if path.stem == "explorer":
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in shown)
