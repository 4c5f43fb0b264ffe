"""Static charts (PNG + SVG at slide size) with plotly's own exporter, kaleido, and Debian's Chromium.

Two traps shape this module (see the project's stack notes):
- kaleido's default page loads MathJax from a CDN; offline, some renders stall ~5 s. One
  persistent kaleido server started with `mathjax=False` avoids that (~0.1 s per image).
- without a browser, `kaleido.start_sync_server()` returns normally and the next `write_image`
  hangs forever. So the browser is located first (`find_chromium`), and the whole exporter runs in
  a child process in its own session that the audit kills, with any browser it started, if it
  does not answer in time. A hung Chromium can delay an audit by the timeout, never block it.

The child (`python -m hatoolkit.report.static`) reads one JSON job per line on stdin
(`{"src": fig.json, "png": ..., "svg": ...}`) and answers one JSON line per job on stdout.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from hatoolkit.report.theme import SLIDE_HEIGHT_PX, SLIDE_SCALE, SLIDE_WIDTH_PX

NO_STATIC_ENV = "HATOOLKIT_NO_STATIC"
EXPORT_TABS = 2


def find_chromium() -> str | None:
    """The Chromium kaleido would use, or None. `$BROWSER_PATH` wins and must be executable."""
    path = os.environ.get("BROWSER_PATH")
    if path:
        return path if os.access(path, os.X_OK) else None
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    found = Chromium.find_browser(skip_local=False)
    return str(found) if found else None


def unavailable_reason() -> str | None:
    """Why static export cannot run here, or None when it can."""
    if os.environ.get(NO_STATIC_ENV):
        return f"static export turned off (${NO_STATIC_ENV} is set)"
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "kaleido is not installed (run `make setup`)"
    if find_chromium() is None:
        where = f"$BROWSER_PATH={os.environ['BROWSER_PATH']} is not executable" if os.environ.get("BROWSER_PATH") \
            else "no Chromium found on PATH or at /usr/bin/chromium"
        return f"{where}; `make setup` installs Debian's chromium package (needs root or sudo)"
    return None


@dataclass
class StaticExport:
    """Result of the static export: files written per chart, or why everything was skipped."""

    written: dict[str, list[Path]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    skipped: str | None = None


class StaticExporter:
    """Parent side: start the child early (browser start overlaps notebook runs), feed it, reap it."""

    def __init__(self, scratch: Path, *, start_timeout_s: float = 60.0, finish_timeout_s: float = 60.0,
                 command: list[str] | None = None) -> None:
        self.scratch = scratch
        self.command = command or [sys.executable, "-m", "hatoolkit.report.static"]
        self.start_timeout_s = start_timeout_s
        self.finish_timeout_s = finish_timeout_s
        self.result = StaticExport()
        self._proc: subprocess.Popen | None = None
        self._pending: dict[str, tuple[list[Path], float]] = {}
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._answers = threading.Condition(self._lock)
        self._reader: threading.Thread | None = None
        self._stderr_path = scratch / "static-export.log"

    def start(self) -> None:
        reason = unavailable_reason()
        if reason:
            self.result.skipped = reason
            return
        self.scratch.mkdir(parents=True, exist_ok=True)
        stderr = self._stderr_path.open("wb")
        self._proc = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=stderr, start_new_session=True, text=True, bufsize=1,
        )
        stderr.close()
        self._reader = threading.Thread(target=self._read, name="static-export-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            try:
                msg = json.loads(line)
            except json.JSONDecodeError:
                continue
            with self._answers:
                if "ready" in msg:
                    self._ready.set()
                elif "unavailable" in msg:
                    self.result.skipped = str(msg["unavailable"])
                    self._ready.set()
                elif "chart" in msg:
                    name = msg["chart"]
                    files, _ = self._pending.pop(name, ([], 0.0))
                    if msg.get("error"):
                        self.result.errors[name] = msg["error"]
                    else:
                        self.result.written[name] = files
                self._answers.notify_all()
        with self._answers:
            self._ready.set()
            self._answers.notify_all()

    def submit(self, name: str, figure_json: str, png: Path, svg: Path) -> None:
        """Queue one chart (figure as plotly JSON text) for PNG (2x) and SVG export."""
        if self._proc is None or self.result.skipped:
            return
        src = self.scratch / f"{name}.json"
        src.write_text(figure_json, encoding="utf-8")
        job = {"chart": name, "src": str(src), "png": str(png), "svg": str(svg)}
        with self._lock:
            self._pending[name] = ([png, svg], time.monotonic())
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(json.dumps(job) + "\n")
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            with self._lock:
                self._pending.pop(name, None)
                self.result.errors[name] = "static exporter exited early (see static-export.log)"

    def finish(self) -> StaticExport:
        """Wait for every queued chart; on a hang, kill the exporter's whole session and skip."""
        if self._proc is None:
            return self.result
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
        except OSError:
            pass
        deadline = time.monotonic() + self.finish_timeout_s
        if not self._ready.wait(self.start_timeout_s):
            self._kill(f"Chromium/kaleido did not start within {self.start_timeout_s:.0f} s")
            return self.result
        if self.result.skipped:  # the child found no browser after all
            self._pending.clear()
            self._kill(None)
            return self.result
        with self._answers:
            while self._pending and time.monotonic() < deadline and self._proc.poll() is None:
                self._answers.wait(0.2)
            # the reader may still be draining the last answers after the child exited
            while self._pending and self._reader is not None and self._reader.is_alive() and \
                    time.monotonic() < deadline:
                self._answers.wait(0.1)
        if self._pending:
            if self._proc.poll() not in (None, 0):
                self._kill(f"the static exporter stopped (exit status {self._proc.returncode}) with "
                           f"{len(self._pending)} chart(s) pending")
            else:
                self._kill(f"kaleido did not answer within {self.finish_timeout_s:.0f} s "
                           f"({len(self._pending)} chart(s) pending); Chromium may be hung")
            return self.result
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._kill(None)
        return self.result

    def _kill(self, reason: str | None) -> None:
        if self._proc is not None and self._proc.poll() is None:
            import psutil

            try:  # Chromium runs in a session of its own (choreographer): find it by parentage
                family = psutil.Process(self._proc.pid).children(recursive=True)
            except psutil.Error:
                family = []
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            for proc in family:
                with contextlib.suppress(psutil.Error):
                    proc.kill()
            self._proc.wait()
        if reason:
            self.result.skipped = reason
            self.result.written.clear()

    def close(self) -> None:
        """Make sure nothing is left running (called on every path out of an audit)."""
        self._kill(None)


# --------------------------------------------------------------------------- child process


def _child() -> int:
    reason = unavailable_reason()
    if reason:
        print(json.dumps({"unavailable": reason}), flush=True)
        return 0
    import asyncio

    asyncio.run(_serve())
    return 0


async def _serve() -> None:
    """One browser, two tabs: charts render two at a time as jobs arrive on stdin."""
    import asyncio

    import kaleido

    async with kaleido.Kaleido(n=EXPORT_TABS, mathjax=False) as k:
        print(json.dumps({"ready": True}), flush=True)
        loop = asyncio.get_running_loop()
        tasks = []
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            tasks.append(asyncio.create_task(_render(k, json.loads(line))))
        await asyncio.gather(*tasks)


async def _render(k, job: dict) -> None:
    size = {"width": SLIDE_WIDTH_PX, "height": SLIDE_HEIGHT_PX}
    try:
        fig = json.loads(Path(job["src"]).read_text(encoding="utf-8"))
        errors = await k.write_fig_from_object([
            {"fig": fig, "path": job["png"], "opts": {"format": "png", "scale": SLIDE_SCALE, **size}},
            {"fig": fig, "path": job["svg"], "opts": {"format": "svg", **size}},
        ])
        if errors:
            raise errors[0]
        print(json.dumps({"chart": job["chart"]}), flush=True)
    except Exception as exc:  # one bad figure must not lose the others
        print(json.dumps({"chart": job["chart"], "error": f"{type(exc).__name__}: {exc}"}), flush=True)


if __name__ == "__main__":
    sys.exit(_child())
