"""`hatoolkit audit`: one bundle in, one complete report folder out (or the previous one untouched).

The expensive part — loading the bundle and running the checks — happens once, in this process,
and is saved as the run state (`state.pkl`) that every notebook opens. Kernels start (and warm
up) while that happens; notebooks then run in parallel through papermill (execution.py), each
rendered to a page as soon as it finishes, its key charts sent to the static exporter, whose
Chromium started at the beginning too.

Everything is written to a hidden temporary folder beside `--out`, which replaces the old report
only when complete (an atomic exchange of the two folders where the kernel offers it). A failed
notebook removes the temporary folder, leaves the previous report as it was and raises
`NotebookFailed` naming the notebook and the cell.

Exit status (for schedulers): 0 done; 3 done, and a non-waived finding at or above `--fail-on`
exists; 2 unusable input (bundle, plan, options); 1 the audit itself failed (a notebook).
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from hatoolkit.errors import HatoolkitError
from hatoolkit.execution import (
    DRIFT_AREA,
    NOTEBOOKS_DIR,
    SUMMARY_AREA,
    KernelPool,
    NotebookFailed,
    NotebookSpec,
    PoolJob,
    Progress,
    contract_problems,
    discover,
    skip_slow_optional_imports,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_FINDINGS = 0, 1, 2, 3
MANIFEST = "audit.json"


@dataclass
class AuditResult:
    out: Path
    exit_code: int
    wall_s: float
    size_bytes: int
    pages: list[str]
    charts: list[str]
    static_skipped: str | None
    findings: int
    at_or_above: int
    notes: list[str] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.out / "index.html"


def select_notebooks(specs: list[NotebookSpec], only: Sequence[str] | None,
                     have: frozenset[str] = frozenset()) -> list[NotebookSpec]:
    """Audit notebooks of the chosen areas whose needs are met (`have`: e.g. {"baseline"}); the summary
    (and the drift page, when there is a baseline) always runs."""
    from hatoolkit.model.findings import FAMILY_ORDER

    audited = [s for s in specs if s.audit and set(s.needs) <= have]
    if not only:
        return audited
    wanted = {a.lower() for a in only}
    known = set(FAMILY_ORDER) | {s.area for s in specs if s.audit}
    unknown = sorted(wanted - known)
    if unknown:
        raise HatoolkitError(f"--only: unknown area {unknown[0]!r} (one of: {', '.join(sorted(known))})")
    return [s for s in audited if s.area in wanted or s.area in (SUMMARY_AREA, DRIFT_AREA)]


def audit(bundle: str | Path, out: str | Path, *, plan: str | Path | None = None, as_of: str | None = None,
          only: Sequence[str] | None = None, fail_on: str | None = None, jobs: int | None = None,
          notebooks: str | Path | None = None, stream: TextIO | None = None, live: bool | None = None,
          baseline: str | Path | None = None, waivers: str | Path | None = None) -> AuditResult:
    """Audit `bundle` into the report folder `out`. Raises HatoolkitError (bad input) or NotebookFailed.

    `baseline`: the previous report folder (or its findings.csv): drift is computed, stored in the run,
    written as drift.csv/drift.json and shown on the summary and drift pages. `waivers`: a waivers file
    (default: the bundle's own waivers.yaml).
    """
    from hatoolkit.model.findings import FAMILY_ORDER, Severity

    t0 = time.monotonic()
    skip_slow_optional_imports()
    stream = stream or sys.stderr
    bundle = Path(bundle)
    if not bundle.exists():
        raise HatoolkitError(f"{bundle}: no such bundle folder or file")
    if fail_on is not None:
        try:
            fail_on = Severity.parse(fail_on).value
        except ValueError as exc:
            raise HatoolkitError(f"--fail-on: {exc}") from None
    # One core is the audit's own (rendering pages, papermill's clients) and Chromium's: on two cores
    # one kernel finishes sooner than two, which each pay the warm-up and first-use costs.
    jobs = jobs if jobs is not None else max(1, (os.cpu_count() or 1) - 1)
    if jobs < 1:
        raise HatoolkitError("--jobs must be at least 1")
    if plan and not Path(plan).is_file():
        raise HatoolkitError(f"--plan {plan}: no such file")
    if waivers and not Path(waivers).is_file():
        raise HatoolkitError(f"--waivers {waivers}: no such file")
    if baseline and not Path(baseline).exists():
        raise HatoolkitError(f"--baseline {baseline}: no such report folder")
    have = frozenset({"baseline"}) if baseline else frozenset()
    specs = select_notebooks(discover(Path(notebooks) if notebooks else NOTEBOOKS_DIR), only, have)
    if not specs:
        raise HatoolkitError(f"no audit notebooks found in {notebooks or NOTEBOOKS_DIR}")
    for spec in specs:
        import nbformat

        problems = contract_problems(nbformat.read(str(spec.path), as_version=4))
        if problems:
            raise NotebookFailed(spec.path.name, "; ".join(problems))
    families = [a for a in FAMILY_ORDER if a in {x.lower() for x in only}] if only else None
    if only and not families:
        families = None  # e.g. --only inventory: every check still feeds the summary
    out = _check_out(Path(out))

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the report is as readable as any new folder
    scratch = Path(tempfile.mkdtemp(prefix="hatoolkit-audit-"))
    builder = _Builder(tmp, specs, scratch)
    progress = Progress(specs, stream=stream, live=live)
    try:
        pool = KernelPool(PoolJob(specs, tmp, {}, builder.post, progress, jobs, scratch, builder.on_cell))
        pool.start()
        try:
            run = _compute(bundle, plan, as_of, families, stream, t0, waivers)
            builder.mark("checks_done", t0)
            if baseline:
                from hatoolkit.report.drift import baseline_drift

                run.extras["drift"] = drift = baseline_drift(Path(baseline), run)
                stream.write(f"since {baseline}: {drift.headline()}\n")
                stream.flush()
                builder.mark("drift_done", t0)
            pool.job.parameters.update(builder.prepare(run, bundle, plan))
            builder.mark("state_saved", t0)
        except BaseException:
            pool.cancel()
            pool.wait(raise_failure=False)
            raise
        # Chromium (static charts) boots only now: its start-up took a core from the checks every
        # notebook waits for, and its first chart is asked for when the first notebook is done.
        builder.static.start()
        pool.release()
        progress.start()
        try:
            from hatoolkit.report.html import warm_up

            warm_up()
            pool.wait()
        except KeyboardInterrupt:
            pool.kill()
            raise
        finally:
            progress.stop()
        builder.mark("notebooks_done", t0)
        notes = builder.finish(run, only=only, fail_on=fail_on, t0=t0)
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        builder.static.close()
        shutil.rmtree(scratch, ignore_errors=True)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    hits = _at_or_above(run.findings, fail_on)
    code = EXIT_FINDINGS if hits else EXIT_OK
    return AuditResult(out, code, time.monotonic() - t0, size, [s.name for s in specs], builder.chart_names(),
                       builder.static.result.skipped, len(run.findings), hits, notes)


def _at_or_above(findings: Any, fail_on: str | None) -> int:
    if fail_on is None:
        return 0
    from hatoolkit.model.findings import at_or_above

    return len(at_or_above(findings, fail_on))


def _compute(bundle: Path, plan: Any, as_of: str | None, families: list[str] | None, stream: TextIO, t0: float,
             waivers: Any = None):
    from hatoolkit.report.run import compute_run

    run = compute_run(bundle, plan or None, as_of or None, families=families, waivers=waivers or None)
    inv = run.inventory
    if not inv.files["status"].isin(("parsed", "partial")).any():
        raise HatoolkitError(f"{bundle}: no usable capture in the bundle (run `hatoolkit validate {bundle}`)")
    stream.write(f"hatoolkit audit: {bundle}: {len(inv.systems)} systems, {len(inv.partitions)} partitions, "
                 f"{len(inv.gaps)} data gaps; {len(run.coverage)} checks, {_n(len(run.findings), 'finding')} "
                 f"({time.monotonic() - t0:.1f} s)\n")
    stream.flush()
    return run


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _check_out(out: Path) -> Path:
    """Refuse to replace anything that is not an earlier report (or empty): `--out ~` must not wipe a home."""
    out = out.resolve()
    if out.exists():
        if not out.is_dir():
            raise HatoolkitError(f"--out {out}: exists and is not a folder")
        if any(out.iterdir()) and not (out / MANIFEST).is_file():
            raise HatoolkitError(f"--out {out}: exists and is not a hatoolkit report (no {MANIFEST}); "
                                 "choose another folder or remove it")
    return out


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Put the finished report at `out`; readers see the old report or the new one, never a mix."""
    if not out.exists():
        os.rename(tmp, out)
        return
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous report
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two folders atomically; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


class _Builder:
    """Writes the report folder: per-notebook pages and charts (from pool threads), then the rest."""

    def __init__(self, folder: Path, specs: list[NotebookSpec], scratch: Path) -> None:
        from hatoolkit.report.static import StaticExporter

        self.folder, self.specs, self.scratch = folder, specs, scratch
        self.t_start = time.monotonic()
        self.static = StaticExporter(scratch / "static")
        self.charts: dict[str, list[dict[str, str]]] = {}
        self._names: set[str] = set()
        self._lock = threading.Lock()
        self.assets: Any = None
        self.subtitle = ""
        self.timings: dict[str, float] = {}

    def mark(self, phase: str, t0: float) -> None:
        """Seconds since the audit started, per phase (kept in audit.json for benchmarks)."""
        self.timings[phase] = round(time.monotonic() - t0, 3)

    def prepare(self, run: Any, bundle: Path, plan: Any) -> dict[str, Any]:
        """Save the run state and shared files; return the notebooks' parameters."""
        from hatoolkit.report.assets import write_assets
        from hatoolkit.report.run import save_run
        from hatoolkit.report.text import findings_csv, findings_json

        save_run(run, self.folder)
        self.assets = write_assets(self.folder)
        (self.folder / "charts").mkdir()
        (self.folder / "findings.csv").write_text(findings_csv(run.findings), encoding="utf-8")
        (self.folder / "findings.json").write_text(findings_json(run.findings) + "\n", encoding="utf-8")
        drift = run.extras.get("drift")
        if drift is not None:
            from hatoolkit.report.drift import drift_csv, drift_json

            (self.folder / "drift.csv").write_text(drift_csv(drift), encoding="utf-8")
            (self.folder / "drift.json").write_text(drift_json(drift) + "\n", encoding="utf-8")
        run.coverage.to_csv(self.folder / "coverage.csv", index=False, lineterminator="\n")
        when = run.plan.at().tz_convert(run.plan.zone)
        self.subtitle = f"{bundle.resolve().name} · as of {when:%Y-%m-%d %H:%M %Z}"
        return {"run_dir": ".", "bundle": str(bundle.resolve()), "plan": str(Path(plan).resolve()) if plan else "",
                "as_of": run.plan.at().isoformat()}

    def pages(self, current: str | None = None) -> list[Any]:
        from hatoolkit.report.html import PageLink

        return [PageLink(f"{s.name}.html", s.title, s.name == current) for s in self.specs]

    def on_cell(self, spec: NotebookSpec, cell: Any) -> None:
        """Key charts of a cell that just ran go to the static exporter at once (it renders meanwhile)."""
        from hatoolkit.report.figures.base import chart_meta
        from hatoolkit.report.html import PLOTLY_MIME

        for output in cell.get("outputs", []):
            fig = output.get("data", {}).get(PLOTLY_MIME)
            meta = chart_meta(fig) if isinstance(fig, dict) else None
            if meta is None:
                continue
            with self._lock:
                name, n = meta["chart"], 2
                while name in self._names:
                    name, n = f"{meta['chart']}_{n}", n + 1
                self._names.add(name)
                title = ((fig.get("layout") or {}).get("title") or {}).get("text") or name
                self.charts.setdefault(spec.name, []).append(
                    {"chart": name, "title": _unescape(title), "takeaway": meta["takeaway"]})
            charts = self.folder / "charts"
            self.static.submit(name, json.dumps(fig), charts / f"{name}.png", charts / f"{name}.svg")

    def post(self, spec: NotebookSpec, nb: Any) -> None:
        """The page of one executed notebook."""
        from hatoolkit.report.html import write_page

        write_page(nb, self.folder / f"{spec.name}.html", title=spec.title, assets=self.assets,
                   pages=self.pages(spec.name), subtitle=self.subtitle, footer=f"Notebook {spec.path.name}")
        with self._lock:
            self.timings[f"page:{spec.name}"] = round(time.monotonic() - self.t_start, 3)

    def chart_names(self) -> list[str]:
        return [c["chart"] for s in self.specs for c in self.charts.get(s.name, [])]

    def finish(self, run: Any, *, only: Sequence[str] | None, fail_on: str | None, t0: float) -> list[str]:
        """Static charts, slides, index and manifest; returns the notes shown on the index."""
        import hatoolkit
        from hatoolkit.report.index_page import PageEntry, render_index
        from hatoolkit.report.scorecard import headline, scorecard
        from hatoolkit.report.slides import ChartSlide, write_slides

        static = self.static.finish()
        self.mark("static_done", t0)
        ordered = [c for s in self.specs for c in self.charts.get(s.name, [])]
        notes, files = [], [("findings.csv", "findings.csv"), ("findings.json", "findings.json"),
                             ("coverage.csv", "coverage.csv")]
        drift = run.extras.get("drift")
        if drift is not None:
            files += [("drift.csv", "drift.csv"), ("drift.json", "drift.json")]
        if static.skipped:
            notes.append(f"Static charts (PNG/SVG) and slides.pptx were skipped: {static.skipped}.")
            for c in ordered:
                for ext in ("png", "svg"):
                    (self.folder / "charts" / f"{c['chart']}.{ext}").unlink(missing_ok=True)
        else:
            for name, error in static.errors.items():
                notes.append(f"Chart {name} could not be exported: {error}.")
            slides = [ChartSlide(c["title"], c["takeaway"], self.folder / "charts" / f"{c['chart']}.png")
                      for c in ordered if c["chart"] in static.written]
            write_slides(self.folder / "slides.pptx", title=f"High-availability audit: {self.subtitle.split(' · ')[0]}",
                         subtitle=self.subtitle.split(" · ", 1)[-1], headline=headline(run.findings),
                         card=scorecard(run.findings, run.coverage), charts=slides)
            files.append(("slides.pptx", "slides.pptx"))
            files += [(f"charts/{c['chart']}.png", f"charts/{c['chart']}.png") for c in ordered
                      if c["chart"] in static.written]
        if only:
            notes.append(f"Only these areas were audited (--only): {', '.join(only)}; the summary always runs.")
        errors = run.coverage[run.coverage["error"].notna()]
        if len(errors):
            notes.append(f"{len(errors)} check(s) crashed: {', '.join(errors['check_id'])} (see coverage.csv); "
                         "their concerns are incomplete.")
        entries = [PageEntry(f"{s.name}.html", s.title, s.area, s.path.name) for s in self.specs]
        footer = f"hatoolkit {hatoolkit.__version__} · generated {time.strftime('%Y-%m-%d %H:%M:%S %Z')}"
        since = f"Since {drift.old}: {drift.headline()}." if drift is not None else None
        html = render_index(run, assets=self.assets, pages=entries, files=files, notes=notes,
                            subtitle=self.subtitle, footer=footer, since=since)
        (self.folder / "index.html").write_text(html, encoding="utf-8")
        manifest = {
            "hatoolkit": hatoolkit.__version__, "bundle": run.bundle, "as_of": run.plan.at().isoformat(),
            "plan": run.plan.file, "areas": list(only) if only else None, "fail_on": fail_on,
            "notebooks": [{"notebook": s.path.name, "area": s.area, "title": s.title, "page": f"{s.name}.html",
                           "charts": [c["chart"] for c in self.charts.get(s.name, [])]} for s in self.specs],
            "static_export": {"skipped": static.skipped, "written": sorted(static.written),
                              "errors": static.errors},
            "findings": len(run.findings), "headline": headline(run.findings),
            "baseline": drift.old if drift is not None else None,
            "drift": drift.counts() if drift is not None else None,
            "timings_s": {**self.timings, "before_move": round(time.monotonic() - t0, 3)},
        }
        (self.folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        return notes


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
