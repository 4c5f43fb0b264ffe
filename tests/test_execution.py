"""Notebook discovery by metadata, the contract check, failure messages, progress lines."""

from __future__ import annotations

import io

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from hatoolkit.errors import HatoolkitError
from hatoolkit.execution import NotebookFailed, Progress, _source_cell_number, contract_problems, discover


def _nb(meta=None, tagged=True, kernel="python3"):
    params = new_code_cell('run_dir: str = ""\nbundle: str = ""\nplan: str = ""\nas_of: str = ""',
                           metadata={"tags": ["parameters"]} if tagged else {})
    nb = new_notebook(cells=[params, new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": "k", "language": "python"}
    if meta is not None:
        nb.metadata["hatoolkit"] = meta
    return nb


def test_discovery_by_metadata_in_page_order(tmp_path):
    for name, meta in {"b": {"area": "capacity", "title": "Capacity", "order": 20},
                       "a": {"area": "summary", "title": "Summary", "order": 0},
                       "scratch": None,
                       "x": {"area": "explorer", "title": "Explorer", "order": 99, "audit": False}}.items():
        nbformat.write(_nb(meta), str(tmp_path / f"{name}.ipynb"))
    specs = discover(tmp_path)
    assert [s.name for s in specs] == ["a", "b", "x"] and specs[2].audit is False


def test_bad_metadata_is_one_clear_error(tmp_path):
    nbformat.write(_nb({"area": "capacity"}), str(tmp_path / "c.ipynb"))
    with pytest.raises(HatoolkitError, match=r"c\.ipynb.*'area' and 'title'"):
        discover(tmp_path)
    (tmp_path / "c.ipynb").write_text("{not json")
    with pytest.raises(HatoolkitError, match="not a readable notebook"):
        discover(tmp_path)


def test_contract_problems():
    assert contract_problems(_nb()) == []
    assert "tagged 'parameters'" in contract_problems(_nb(tagged=False))[0]
    assert any("kernelspec" in p for p in contract_problems(_nb(kernel="hatoolkit")))


def test_failure_message_names_notebook_cell_and_error(tmp_path):
    failed = NotebookFailed("capacity.ipynb", "KeyError: 'PRD-9'", 5, "\nfigures.capacity.headroom_bars(run)\n")
    assert str(failed) == ("notebook capacity.ipynb failed in cell 5 (`figures.capacity.headroom_bars(run)`): "
                           "KeyError: 'PRD-9'")
    nb = _nb()
    nb.cells.insert(1, new_code_cell("# Parameters", metadata={"tags": ["injected-parameters"]}))
    nbformat.write(nb, str(tmp_path / "out.ipynb"))
    assert _source_cell_number(tmp_path / "out.ipynb", 2) == 2  # executed index 2 = second cell of the source


def test_progress_lines_when_not_a_terminal(tmp_path):
    nbformat.write(_nb({"area": "summary", "title": "S"}), str(tmp_path / "s.ipynb"))
    stream = io.StringIO()
    progress = Progress(discover(tmp_path), stream=stream, live=False)
    progress.start()
    progress.update("s.ipynb", "running")
    progress.update("s.ipynb", "done")
    progress.stop()
    lines = stream.getvalue().splitlines()
    assert lines[0].split()[:2] == ["s.ipynb", "running"]
    assert lines[1].split()[:2] == ["s.ipynb", "done"] and lines[1].endswith(" s")


def test_a_page_that_needs_a_baseline_runs_only_with_one(tmp_path):
    from hatoolkit.runner import select_notebooks

    for name, meta in {"s": {"area": "summary", "title": "Summary", "order": 0},
                       "c": {"area": "capacity", "title": "Capacity", "order": 10},
                       "d": {"area": "drift", "title": "Since last audit", "order": 1, "needs": ["baseline"]},
                       "e": {"area": "drift2", "title": "Other", "order": 2, "needs": "baseline"}}.items():
        nbformat.write(_nb(meta), str(tmp_path / f"{name}.ipynb"))
    specs = discover(tmp_path)
    assert {s.name: s.needs for s in specs}["e"] == ("baseline",)
    assert [s.name for s in select_notebooks(specs, None)] == ["s", "c"]
    assert [s.name for s in select_notebooks(specs, None, frozenset({"baseline"}))] == ["s", "d", "e", "c"]
    # --only keeps the summary and the drift page (it compares only the concerns audited)
    assert [s.name for s in select_notebooks(specs, ["capacity"], frozenset({"baseline"}))] == ["s", "d", "c"]
    nbformat.write(_nb({"area": "x", "title": "X", "needs": {"baseline": True}}), str(tmp_path / "x.ipynb"))
    with pytest.raises(HatoolkitError, match=r"x\.ipynb: metadata.hatoolkit.needs must be a list"):
        discover(tmp_path)
