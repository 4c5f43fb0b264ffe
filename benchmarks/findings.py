"""`hatoolkit findings` on a large synthetic estate: wall time and peak memory of the real command.

The command runs in a fresh interpreter (as a scheduler would run it) that reports its own peak
resident set size on exit, so the figure is the command's, not the benchmark's.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hatoolkit.synth import write_fleet

_RUNNER = (
    "import resource, sys\n"
    "from hatoolkit.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('peak_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_findings(bundle: Path, profile: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak MB, number of findings) of `hatoolkit findings BUNDLE --format csv`."""
    args = ["findings", str(bundle), "--format", "csv"]
    if profile is not None:
        cmd = [sys.executable, "-m", "pyinstrument", "-r", "html", "-o", str(profile), "-c", _RUNNER, *args]
    else:
        cmd = [sys.executable, "-c", _RUNNER, *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"findings failed ({proc.returncode}): {proc.stderr[-2000:]}")
    peak_kb = next(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("peak_kb"))
    return wall, peak_kb / 1024, max(proc.stdout.count("\n") - 1, 0)


def measure(systems: int = 1000, lpars: int = 20, profile: Path | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="hatk-bench-") as tmp:
        bundle = Path(tmp) / "fleet"
        write_fleet(bundle, systems=systems, seed=1, lpars_per_system=lpars)
        wall, peak, count = run_findings(bundle, profile)
    return {
        f"findings_{systems}_systems_s": wall,
        f"findings_{systems}_systems_peak_mb": peak,
        f"findings_{systems}_systems_count": float(count),
    }
