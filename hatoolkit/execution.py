"""Running report notebooks: discovery by metadata, a pool of warm kernels, papermill, progress.

Discovery: a notebook takes part in the audit when its metadata says so —
`{"hatoolkit": {"area": "<family or summary>", "title": "<page title>", "order": <int>}}` — so a new
concern notebook is picked up without code changes; `"audit": false` keeps one out (the explorer),
`"needs": ["baseline"]` runs it only when the audit has one (`--baseline`: the drift page).

Kernel start is the floor of any papermill run (~0.5 s, plus ~1 s importing pandas, plotly and
hatoolkit). The pool starts `jobs` kernels at once, while the parent is still loading the bundle
and running the checks, warms them with those imports, and then runs notebooks through papermill
(papermill's own execution, parameter injection and error reporting, given the kernel and its one
ready client: kernel_clients) one after another in each kernel. Between notebooks the kernel's namespace is reset (`InteractiveShell.reset`), so
each notebook starts with no variables and must import what it uses — as in a fresh kernel —
while the imported modules stay warm.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from jupyter_client import KernelManager

from hatoolkit.errors import HatoolkitError
from hatoolkit.kernel_clients import ENGINE, WarmClient, register_engine

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
SUMMARY_AREA = "summary"
DRIFT_AREA = "drift"  # like the summary, not a concern: runs whenever its needs are met
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 1800
# Imports and first-use costs every report notebook pays (plotly's renderer machinery alone is
# ~0.3 s on first display; the analysis and figure modules the notebooks import, with scipy's
# solver, ~0.45 s), paid once per kernel while the parent is still running the checks.
# Optional imports that cost CPU in every kernel and serve no report: jsonschema's IRI grammar
# (see skip_slow_optional_imports) and hypothesis, which pandera loads for data synthesis when present.
WARMUP_CODE = """
import sys
sys.modules.setdefault("rfc3987_syntax", None)
sys.modules.setdefault("hypothesis", None)
import pandas, hatoolkit.report.run, hatoolkit.report.tables, hatoolkit.report.figures.base
hatoolkit.report.figures.base.figure(title="warm-up")._repr_mimebundle_()
hatoolkit.report.tables.interactive(pandas.DataFrame({"a": [1]}))._repr_html_()
import hatoolkit.analysis.backups, hatoolkit.analysis.evacuation, hatoolkit.analysis.failover
import hatoolkit.analysis.mobility, hatoolkit.analysis.topology, hatoolkit.analysis.usage_compare
import hatoolkit.report.figures.backups, hatoolkit.report.figures.capacity, hatoolkit.report.figures.mobility
import hatoolkit.report.figures.redundancy, hatoolkit.report.widgets, scipy.optimize
"""
REQUIRED_PARAMETERS = ("run_dir", "bundle", "plan", "as_of")
KERNEL_FAILURE = "(kernel)"


@dataclass(frozen=True)
class NotebookSpec:
    """One report notebook as its metadata describes it."""

    path: Path
    area: str
    title: str
    order: int
    audit: bool = True
    needs: tuple[str, ...] = ()  # what the page needs beyond the run, e.g. ("baseline",): skipped without it

    @property
    def name(self) -> str:
        return self.path.stem


def read_spec(path: Path) -> NotebookSpec | None:
    """The notebook's `metadata.hatoolkit`, or None when it has none (not part of the report)."""
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:
        raise HatoolkitError(f"{path}: not a readable notebook ({type(exc).__name__}: {exc})") from None
    meta = nb.metadata.get("hatoolkit")
    if meta is None:
        return None
    if not isinstance(meta, dict) or not meta.get("area") or not meta.get("title"):
        raise HatoolkitError(f"{path}: metadata.hatoolkit needs 'area' and 'title' (and 'order')")
    try:
        order = int(meta.get("order", 100))
    except (TypeError, ValueError):
        raise HatoolkitError(f"{path}: metadata.hatoolkit.order must be an integer") from None
    needs = meta.get("needs", ())
    if isinstance(needs, str):
        needs = (needs,)
    if not isinstance(needs, list | tuple) or not all(isinstance(n, str) for n in needs):
        raise HatoolkitError(f"{path}: metadata.hatoolkit.needs must be a list of names (e.g. [\"baseline\"])")
    return NotebookSpec(path, str(meta["area"]).lower(), str(meta["title"]), order, bool(meta.get("audit", True)),
                        tuple(needs))


def discover(folder: Path = NOTEBOOKS_DIR) -> list[NotebookSpec]:
    """Every notebook of `folder` with hatoolkit metadata, in page order (order, then name)."""
    if not folder.is_dir():
        raise HatoolkitError(f"notebook folder {folder} not found")
    specs = [s for s in (read_spec(p) for p in sorted(folder.glob("*.ipynb"))) if s is not None]
    return sorted(specs, key=lambda s: (s.order, s.name))


def contract_problems(nb: Any) -> list[str]:
    """What breaks the notebook contract (tests and the runner both ask): the papermill trap first."""
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or "parameters" not in code[0].get("metadata", {}).get("tags", []):
        problems.append("first code cell is not tagged 'parameters' (papermill would inject values that "
                        "the notebook's own defaults then silently overwrite)")
    else:
        source = code[0].source
        problems += [f"parameters cell lacks `{p}: str = ...`" for p in REQUIRED_PARAMETERS
                     if f"{p}: str" not in source]
    if nb.metadata.get("kernelspec", {}).get("name") != KERNEL_NAME:
        problems.append(f"kernelspec name is not {KERNEL_NAME!r}")
    return problems


def _same_environment_check() -> str:
    """Kernel code that fails loudly if the `python3` kernelspec resolved to another environment
    (jupyter_client runs a bare `python` spec with this interpreter, but a user-level spec with an
    absolute path can shadow it)."""
    ours = sys.prefix
    return (f"\nif sys.prefix != {ours!r}:\n    raise RuntimeError('kernel python3 runs ' + sys.prefix + "
            f"', not this environment ({ours}); remove the user-level python3 kernelspec')\n")


def skip_slow_optional_imports() -> None:
    """Make jsonschema's optional `rfc3987_syntax` import fail fast in this process.

    nbformat imports jsonschema, which imports rfc3987_syntax (when installed, as jupyter's
    dependencies do) only to check the "iri" string format — and building its grammar costs
    ~0.9 s of CPU per process. nbformat never checks string formats; papermill, nbconvert and
    plotly's notebook renderers all import nbformat. The audit process and its kernels skip it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]


# --------------------------------------------------------------------------- failures


class NotebookFailed(Exception):
    """A notebook failed: names the notebook, the cell (1-based, as in the source notebook) and the error."""

    def __init__(self, notebook: str, message: str, cell: int | None = None, source: str = "") -> None:
        self.notebook, self.cell, self.source, self.detail = notebook, cell, source, message
        where = f" in cell {cell}" if cell else ""
        line = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
        shown = f" (`{line[:80]}`)" if line else ""
        what = "a kernel" if notebook == KERNEL_FAILURE else f"notebook {notebook}"
        super().__init__(f"{what} failed{where}{shown}: {message}")


def _failure(spec: NotebookSpec, exc: BaseException, nb_out: Path) -> NotebookFailed:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        cell = _source_cell_number(nb_out, exc.cell_index)
        return NotebookFailed(spec.path.name, f"{exc.ename}: {exc.evalue}", cell, exc.source)
    return NotebookFailed(spec.path.name, f"{type(exc).__name__}: {exc}")


def _source_cell_number(nb_out: Path, index: int) -> int:
    """papermill counts its injected-parameters cell; readers count the cells of the notebook they wrote."""
    import nbformat

    try:
        cells = nbformat.read(str(nb_out), as_version=4).cells
    except Exception:
        return index + 1
    injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    return index if injected and injected[0] < index else index + 1


# --------------------------------------------------------------------------- progress


class Progress:
    """One line per notebook with state and elapsed time; redrawn in place on a terminal."""

    def __init__(self, specs: list[NotebookSpec], stream: TextIO | None = None, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.t0 = time.monotonic()
        self.rows: dict[str, list[Any]] = {s.path.name: ["queued", None, None, ""] for s in specs}
        self._lock = threading.Lock()
        self._drawn = 0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self) -> None:
        if self.live:
            self._draw()
            self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(0.25):
            self._draw()

    def update(self, name: str, state: str, detail: str = "") -> None:
        with self._lock:
            row = self.rows[name]
            now = time.monotonic()
            if state == "running" and row[1] is None:
                row[1] = now
            if state in ("done", "failed", "cancelled"):
                row[2] = now
            row[0], row[3] = state, detail
            if not self.live:
                self.stream.write(self._line(name) + "\n")
                self.stream.flush()
        if self.live:
            self._draw()

    def _line(self, name: str) -> str:
        state, start, end, detail = self.rows[name]
        elapsed = "" if start is None else f"{((end or time.monotonic()) - start):6.1f} s"
        return f"  {name:<34} {state:<10} {elapsed:>8}  {detail}".rstrip()

    def _draw(self) -> None:
        with self._lock:
            out = [f"\x1b[{self._drawn}F"] if self._drawn else []
            out += ["\x1b[2K" + self._line(n) + "\n" for n in self.rows]
            self.stream.write("".join(out))
            self.stream.flush()
            self._drawn = len(self.rows)

    def stop(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._draw()


# --------------------------------------------------------------------------- the pool


@dataclass
class PoolJob:
    """What the pool runs: notebooks, where outputs go, and what to do with each executed notebook."""

    specs: list[NotebookSpec]
    out_dir: Path
    parameters: dict[str, Any]
    post: Callable[[NotebookSpec, Any], None]
    progress: Progress
    jobs: int
    log_dir: Path
    on_cell: Callable[[NotebookSpec, Any], None] | None = None  # each executed cell, as soon as it ran


class KernelPool:
    """`jobs` kernels started now, warmed, then fed notebooks once `release()` says the run state is saved."""

    def __init__(self, job: PoolJob) -> None:
        self.job = job
        self.queue: queue.Queue[NotebookSpec] = queue.Queue()
        for spec in job.specs:
            self.queue.put(spec)
        self.released = threading.Event()
        self.abort = threading.Event()
        self.failure: NotebookFailed | None = None
        self._lock = threading.Lock()
        self._kernels: list[Any] = []
        size = max(1, min(job.jobs, len(job.specs)))
        self.threads = [threading.Thread(target=self._worker, args=(i,), name=f"kernel-{i}", daemon=True)
                        for i in range(size)]

    def start(self) -> None:
        import logging

        # papermill's parameter *inspection* (warnings only) trips over '=' in comments and would
        # print over the progress display; the contract check above covers what it warns about.
        logging.getLogger("papermill").setLevel(logging.ERROR)
        register_engine()
        for t in self.threads:
            t.start()

    def release(self) -> None:
        self.released.set()

    def cancel(self) -> None:
        self.abort.set()
        self.released.set()

    def kill(self) -> None:
        """Stop every kernel now (interrupted audit): nothing is left running behind us."""
        self.cancel()
        with self._lock:
            kernels = list(self._kernels)
        for km in kernels:
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)

    def wait(self, *, raise_failure: bool = True) -> None:
        for t in self.threads:
            t.join()
        if self.failure is None or not raise_failure:
            return  # cancelled before any notebook ran (bad input): nothing to report per notebook
        for spec in self.job.specs:
            if self.job.progress.rows[spec.path.name][0] == "queued":
                self.job.progress.update(spec.path.name, "cancelled")
        raise self.failure

    def _fail(self, failure: NotebookFailed) -> None:
        with self._lock:
            if self.failure is None:
                self.failure = failure
        self.abort.set()

    def _worker(self, slot: int) -> None:
        from hatoolkit.report.tables import REPORT_ASSETS_ENV

        km = KernelManager(kernel_name=KERNEL_NAME)
        with self._lock:
            self._kernels.append(km)
        log = (self.job.log_dir / f"kernel-{slot}.log").open("wb")
        client: WarmClient | None = None
        try:
            env = {**os.environ, REPORT_ASSETS_ENV: "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
            km.start_kernel(cwd=str(self.job.out_dir), env=env, stdout=log, stderr=log)
            client = WarmClient(km)
            client.run(WARMUP_CODE + _same_environment_check())
            client.send_reset()  # the warm-up's names go too
            self.released.wait()
            while not self.abort.is_set():
                try:
                    spec = self.queue.get_nowait()
                except queue.Empty:
                    break
                client.wait_reset()
                nb = self._execute(km, client, spec)
                client.send_reset()  # the kernel clears its namespace while this thread renders the page
                self._post(spec, nb)
        except NotebookFailed as failure:
            self._fail(failure)
        except Exception as exc:  # a kernel that cannot start is a failed audit, with the reason
            self._fail(NotebookFailed(KERNEL_FAILURE, f"kernel {slot}: {type(exc).__name__}: {exc}"))
        finally:
            if client is not None:
                client.close()
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)
            log.close()

    def _execute(self, km: Any, client: WarmClient, spec: NotebookSpec) -> Any:
        import papermill as pm

        name = spec.path.name
        nb_out = self.job.out_dir / name
        self.job.progress.update(name, "running")
        hook = self.job.on_cell

        def on_cell_executed(cell: Any, **_: Any) -> None:
            if hook is not None:
                hook(spec, cell)

        try:
            nb = pm.execute_notebook(str(spec.path), str(nb_out), parameters=self.job.parameters,
                                     kernel_name=KERNEL_NAME, km=km, kc=client.kc, engine_name=ENGINE,
                                     progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                                     execution_timeout=CELL_TIMEOUT_S, on_cell_executed=on_cell_executed)
        except Exception as exc:
            self.job.progress.update(name, "failed")
            raise _failure(spec, exc, nb_out) from exc
        return nb

    def _post(self, spec: NotebookSpec, nb: Any) -> None:
        name = spec.path.name
        self.job.progress.update(name, "rendering")
        try:
            self.job.post(spec, nb)
        except Exception as exc:
            self.job.progress.update(name, "failed")
            raise NotebookFailed(name, f"rendering the page failed: {type(exc).__name__}: {exc}") from exc
        self.job.progress.update(name, "done")
