"""Static export guard: no browser -> skipped with the reason; a hung exporter -> killed, never a hang."""

from __future__ import annotations

import sys
import time

import plotly.graph_objects as go
import psutil
import pytest

from hatoolkit.report import static
from hatoolkit.report.static import StaticExporter, find_chromium, unavailable_reason


def test_browser_path_must_be_executable(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "nope"))
    assert find_chromium() is None
    reason = unavailable_reason()
    assert "BROWSER_PATH" in reason and "make setup" in reason


def test_no_browser_skips_fast_and_says_why(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    exporter = StaticExporter(tmp_path)
    t0 = time.monotonic()
    exporter.start()
    exporter.submit("c", "{}", tmp_path / "c.png", tmp_path / "c.svg")
    result = exporter.finish()
    assert time.monotonic() - t0 < 5
    assert result.skipped and "not executable" in result.skipped and not result.written


def test_switch_off(monkeypatch, tmp_path):
    monkeypatch.setenv(static.NO_STATIC_ENV, "1")
    assert "turned off" in unavailable_reason()


def test_a_hung_exporter_is_killed(monkeypatch, tmp_path):
    """The trap: kaleido without a working browser hangs forever. The parent must not."""
    monkeypatch.delenv(static.NO_STATIC_ENV, raising=False)
    monkeypatch.setattr(static, "unavailable_reason", lambda: None)
    hang = [sys.executable, "-c", "import json,subprocess,sys,time; "
            "subprocess.Popen([sys.executable,'-c','import time; time.sleep(600)'], start_new_session=True); "
            "print(json.dumps({'ready': True}), flush=True); time.sleep(600)"]
    exporter = StaticExporter(tmp_path, start_timeout_s=10, finish_timeout_s=1.5, command=hang)
    exporter.start()
    exporter.submit("c", "{}", tmp_path / "c.png", tmp_path / "c.svg")
    time.sleep(0.5)
    children = psutil.Process(exporter._proc.pid).children(recursive=True)
    assert children, "the fake exporter started a 'browser' in its own session"
    t0 = time.monotonic()
    result = exporter.finish()
    assert time.monotonic() - t0 < 5
    assert result.skipped and "did not answer" in result.skipped
    assert exporter._proc.poll() is not None
    time.sleep(0.2)
    assert not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children), \
        "the browser it started must be reaped too"


@pytest.mark.slow
def test_real_export_png_and_svg(tmp_path):
    from tests.conftest import chromium_or_skip

    chromium_or_skip()
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    exporter = StaticExporter(tmp_path / "scratch")
    exporter.start()
    exporter.submit("bars", fig.to_json(), tmp_path / "bars.png", tmp_path / "bars.svg")
    result = exporter.finish()
    assert result.skipped is None and result.errors == {}
    png = (tmp_path / "bars.png").read_bytes()
    assert png[:4] == b"\x89PNG" and int.from_bytes(png[16:20], "big") == 1920
    assert (tmp_path / "bars.svg").read_text().lstrip().startswith("<svg")
