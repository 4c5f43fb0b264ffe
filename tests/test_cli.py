"""The `hatoolkit` command: exit codes, output contracts, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hatoolkit.cli import main
from hatoolkit.model.findings import FINDING_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(ROOT / "data" / "sample")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_text(capsys):
    code, out, err = run(capsys, "validate", SAMPLE)
    assert code == 0 and not err
    assert "Managed systems" in out and "PRD-1" in out and "Data gaps" in out
    assert "Waivers: 3 in waivers.yaml (valid)" in out


def test_validate_checks_the_bundle_waivers_and_plan(capsys, tmp_path):
    import shutil

    shutil.copytree(SAMPLE, tmp_path / "b")
    (tmp_path / "b" / "waivers.yaml").write_text("waivers:\n  - check: HA101\n    bogus: 1\n")
    code, out, err = run(capsys, "validate", str(tmp_path / "b"))
    assert code == 2 and not out and err.count("\n") == 1 and "waivers.yaml:3" in err and "bogus" in err
    (tmp_path / "b" / "waivers.yaml").unlink()
    (tmp_path / "b" / "plan.yaml").write_text("sizing: biggest\n")
    code, out, err = run(capsys, "validate", str(tmp_path / "b"))
    assert code == 2 and "plan.yaml:1" in err


def test_validate_json_shape(capsys):
    code, out, _ = run(capsys, "validate", SAMPLE, "--format", "json")
    payload = json.loads(out)
    assert code == 0 and {"frames", "gaps", "files"} <= set(payload)
    assert len(payload["frames"]["partitions"]) == 29  # HR-PAY joined PRD-2 (issue 7)
    assert isinstance(payload["frames"]["profiles"][0]["virtual_eth_adapters"], list)
    assert {"code", "severity", "file", "line", "message"} <= set(payload["gaps"][0])


def test_validate_unusable_bundle_exits_2(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert code == 2 and "no usable capture" in err
    code, _, err = run(capsys, "validate", str(tmp_path / "missing"))
    assert code == 2 and err.startswith("hatoolkit: error: ") and err.count("\n") == 1


def test_findings_csv_contract(capsys):
    code, out, _ = run(capsys, "findings", SAMPLE, "--format", "csv")
    assert code == 0
    reader = csv.reader(io.StringIO(out))
    assert next(reader) == list(FINDING_COLUMNS)
    assert all(len(row) == len(FINDING_COLUMNS) for row in reader)


def test_findings_json_equals_csv(capsys):
    _, out_csv, _ = run(capsys, "findings", SAMPLE, "--format", "csv")
    _, out_json, _ = run(capsys, "findings", SAMPLE, "--format", "json")
    from_csv = [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(io.StringIO(out_csv))]
    assert json.loads(out_json) == from_csv


def test_findings_fail_on(capsys):
    code, *_ = run(capsys, "findings", SAMPLE, "--fail-on", "info", "--format", "csv")
    assert code == 3
    code, _, err = run(capsys, "findings", SAMPLE, "--fail-on", "bad")
    assert code == 2 and "unknown severity" in err


def test_bad_plan_is_one_line(capsys, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("sizing: huge\n")
    code, _, err = run(capsys, "findings", SAMPLE, "--plan", str(plan))
    assert code == 2 and err.strip() == (
        f"hatoolkit: error: {plan}:1: sizing: 'huge' is not a sizing policy (one of: current, desired, minimum; "
        "or peak_<N>d or p<NN>_<N>d, e.g. p95_30d: observed usage over the N days before as_of)")


def test_installed_console_script():
    exe = Path(sys.executable).with_name("hatoolkit")
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    proc = subprocess.run([str(exe), "validate", SAMPLE, "--format", "json"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and json.loads(proc.stdout)["frames"]["systems"]


def test_console_entry_flushes_everything_and_keeps_the_exit_code(capsys, tmp_path):
    """`run` skips the heap teardown with os._exit: what main() printed must still all arrive."""
    code, expected, _ = run(capsys, "findings", SAMPLE, "--format", "csv", "--fail-on", "critical")
    out = tmp_path / "out.csv"
    marker = tmp_path / "atexit-ran"
    script = ("import atexit, pathlib, sys\n"
              f"atexit.register(pathlib.Path({str(marker)!r}).touch)\n"
              "from hatoolkit.cli import run\n"
              "run(sys.argv[1:])\n")
    with out.open("w") as fh:
        proc = subprocess.run([sys.executable, "-c", script, "findings", SAMPLE, "--format", "csv",
                               "--fail-on", "critical"], stdout=fh, stderr=subprocess.PIPE, text=True)
    assert (proc.returncode, code) == (3, 3) and not proc.stderr
    assert out.read_text() == expected and expected.count("\n") > 100
    assert marker.exists()  # atexit handlers still run


def test_console_entry_into_a_closed_pipe_is_quiet():
    script = "import sys\nfrom hatoolkit.cli import run\nrun(sys.argv[1:])\n"
    proc = subprocess.Popen([sys.executable, "-c", script, "findings", SAMPLE, "--format", "csv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The reader leaves before the command writes (it loads and checks for ~2 s first), so its
    # output meets a closed pipe; reading a line first let the 58 KB CSV fit in the pipe's buffer
    # and no write ever failed.
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 0 and "Traceback" not in err and "Exception ignored" not in err, err
