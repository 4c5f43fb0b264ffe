"""`hatoolkit findings` on a large synthetic estate: wall time and peak memory of the real command.

The command runs in a fresh interpreter (as a scheduler would run it); its peak resident set size
comes from the kernel (`wait4`) when it ends, so the figure is the command's, not the benchmark's.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from hatoolkit.synth import write_fleet

# The profile runs `main` under pyinstrument; the timed run is the installed command itself
# (`hatoolkit.cli.run`, exit included), its peak RSS read from the kernel when it is reaped.
_PROFILE_RUNNER = "import sys\nfrom hatoolkit.cli import main\nsys.exit(main(sys.argv[1:]))\n"
_RUNNER = "import sys\nfrom hatoolkit.cli import run\nrun(sys.argv[1:])\n"


def run_findings(bundle: Path, profile: Path | None = None, one_core: bool = False) -> tuple[float, float, int]:
    """(wall seconds, peak MB, number of findings) of `hatoolkit findings BUNDLE --format csv`."""
    args = ["findings", str(bundle), "--format", "csv"]
    if profile is not None or one_core:  # one process (and a profile that shows every check)
        args.append("--jobs=1")
    if profile is not None:
        cmd = [sys.executable, "-m", "pyinstrument", "-r", "html", "-o", str(profile), "-c", _PROFILE_RUNNER, *args]
    else:
        cmd = [sys.executable, "-c", _RUNNER, *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        sampler = _TreeMemory(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # ru_maxrss: the largest of the command and any child
        wall = time.perf_counter() - start
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"findings failed ({proc.returncode}): {stderr[-2000:]}")
    return wall, max(usage.ru_maxrss / 1024, sampler.peak_mb), max(stdout.count("\n") - 1, 0)


# Reading smaps_rollup walks the process's page tables (~10 ms at 1 GB) and holds its memory-map
# lock meanwhile: every 50 ms made the command ~20% slower; every 250 ms costs it ~2%.
INTERVAL_S = 0.25


class _TreeMemory(threading.Thread):
    """Peak physical memory of a process and its children together, sampled every INTERVAL_S.

    `findings` evaluates the topology checks in a forked child: the kernel's ru_maxrss is the
    largest single process, not the two at once, and adding their RSS would count the inventory
    they share twice. The proportional set size (Pss, shared pages split between sharers) summed
    over the tree is what the machine holds; the benchmark reports the larger of the two.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self._done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(INTERVAL_S):
            self.peak_mb = max(self.peak_mb, sum(_pss_kb(p) for p in _tree(self.pid)) / 1024)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    pids, i = [pid], 0
    while i < len(pids):
        with contextlib.suppress(OSError):  # gone meanwhile
            pids += [int(c) for c in Path(f"/proc/{pids[i]}/task/{pids[i]}/children").read_text().split()]
        i += 1
    return pids


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # gone, or not Linux: ru_maxrss stands alone
        return 0
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)


def measure(systems: int = 1000, lpars: int = 20, profile: Path | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="hatk-bench-") as tmp:
        bundle = Path(tmp) / "fleet"
        write_fleet(bundle, systems=systems, seed=1, lpars_per_system=lpars)
        wall, peak, count = run_findings(bundle, profile)
        one_wall, _, one_count = run_findings(bundle, one_core=True)
    if one_count != count:
        raise RuntimeError(f"--jobs 1 gave {one_count} findings, the default {count}")
    return {
        f"findings_{systems}_systems_s": wall,
        f"findings_{systems}_systems_peak_mb": peak,
        f"findings_{systems}_systems_count": float(count),
        f"findings_{systems}_systems_one_core_s": one_wall,  # --jobs 1: every check in one process
    }
