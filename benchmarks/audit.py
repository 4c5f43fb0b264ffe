"""The sample audit end to end, against the floor of running as many empty notebooks with papermill.

Both run in fresh interpreters, alternately, so they see the same machine: `hatoolkit audit
data/sample` (load, checks, every report notebook, HTML, static charts, slides) and a script that
executes the same number of one-cell notebooks with papermill one after the other (interpreter,
imports and a kernel start each: what any notebook-based report pays at least). The ratio is the
audit's overhead over that floor; the report folder's size is measured too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

_EMPTY_RUNNER = """
import sys, papermill as pm
for i, src in enumerate(sys.argv[2:]):
    pm.execute_notebook(src, f"{sys.argv[1]}/out{i}.ipynb", kernel_name="python3", progress_bar=False)
"""


def audit_notebooks() -> list[Path]:
    """The notebooks an audit of the sample runs (not those opting out, nor those needing a baseline)."""
    out = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("hatoolkit", {})
        if meta.get("audit", True) and not meta.get("needs"):  # e.g. the drift page needs a baseline
            out.append(path)
    return out


def _empty_notebook(path: Path) -> Path:
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "p", "metadata": {"tags": ["parameters"]},
                     "outputs": [], "source": "x = 1"}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"{cmd[:4]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall


def measure(repeats: int = 3) -> dict[str, float]:
    hatoolkit = Path(sys.executable).with_name("hatoolkit")
    count = len(audit_notebooks())
    audits, floors = [], []
    with tempfile.TemporaryDirectory(prefix="hatk-audit-bench-") as tmp:
        empties = [str(_empty_notebook(Path(tmp) / f"empty{i}.ipynb")) for i in range(count)]
        out = Path(tmp) / "report"
        for _ in range(repeats):
            floors.append(_timed([sys.executable, "-c", _EMPTY_RUNNER, tmp, *empties]))
            audits.append(_timed([str(hatoolkit), "audit", str(SAMPLE), "--out", str(out)]))
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    # Fastest of each, not medians: about one kernel start in twelve stalls ~3.5 s on this machine
    # kind (jupyter_client, seen with plain papermill too), and a stall in the floor's six kernel
    # starts (4.4 s -> 7.9 s) flattered the ratio as much as one in an audit spoilt it.
    return {
        "audit_sample_s": min(audits),
        "empty_notebooks_floor_s": min(floors),
        "audit_overhead_ratio": min(audits) / min(floors),
        "audit_notebooks_count": float(count),
        "report_size_mb": size / 2**20,
    }
