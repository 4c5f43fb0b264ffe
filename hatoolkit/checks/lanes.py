"""Checks in lanes on two cores, for a run whose analyses are not needed after the findings.

The checks of one run lean on a few large memoised analyses: the redundancy topology (HA501,
HA601), the mobility rules (HA2xx, HA504), the failover placements (HA1xx). They share nothing
with one another, so a run can evaluate the topology lane in a forked child while the parent
evaluates the rest, and merge the results in the order one process would have produced them:
the findings are identical, only the wall time halves for those lanes (a 1,000-system estate on
two cores: about 3 s). The child inherits the inventory copy-on-write (the CLI froze it out of
the collector's reach first), so nothing is re-read or pickled on the way in; only its stamped
rows and coverage records come back through a pipe.

The memoised analyses a child computes die with it, so only a caller that needs nothing after the
findings should ask for lanes: `hatoolkit findings` does. An audit does not: its process also
runs the kernel pool's threads and sockets, which a fork must not copy mid-flight, and its
kernels are busy warming up on the other core meanwhile. Where `fork` is missing, one core is all
there is, or the child dies (killed for memory, a crash in native code), the lane is simply
evaluated in this process: a lane never changes what is reported, only where it is computed.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

# Linux only: macOS has fork, but system frameworks (Accelerate under numpy, for one) are not safe in a child.
FORK_SAFE = sys.platform.startswith("linux") and hasattr(os, "fork")
Result = tuple[str, Any, dict[str, Any]]  # check ID, stamped rows (a DataFrame) or None, coverage record
Evaluate = Callable[[Sequence[Any]], list[Result]]


def cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_lanes(lanes: Sequence[Sequence[Any]], evaluate: Evaluate, *, parallel: bool) -> list[Result]:
    """Evaluate every lane -> results of all of them (the first lane's first, each in its own order).

    With `parallel`, two cores and `fork`, the lanes after the first run in forked children
    while this process evaluates the first; otherwise, and for any child that fails, here.
    """
    lanes = [lane for lane in lanes if lane]
    if not lanes:
        return []
    if not (parallel and len(lanes) > 1 and FORK_SAFE and cores() > 1):
        return [r for lane in lanes for r in evaluate(lane)]
    children = [_spawn(lane, evaluate) for lane in lanes[1:]]
    try:
        results = evaluate(lanes[0])
        for (pid, fd), lane in zip(children, lanes[1:], strict=True):
            got = _collect(pid, fd)
            results += got if got is not None else evaluate(lane)
        children = []
        return results
    finally:
        for pid, fd in children:  # interrupted: leave no orphan computing
            _kill(pid, fd)


def _spawn(lane: Sequence[Any], evaluate: Evaluate) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, send, and leave without running the parent's exit handlers
        code = 1
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child at once, the parent reports it
            # The child lives for one lane and its heap goes whole at exit: collections would only re-walk
            # the millions of objects the topology builds and keeps (a tenth of the lane), freeing nothing.
            gc.disable()
            payload = pickle.dumps(evaluate(lane), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def _collect(pid: int, fd: int) -> list[Result] | None:
    """The child's results, or None if it did not finish cleanly."""
    with os.fdopen(fd, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not payload:
        return None
    try:
        return pickle.loads(payload)  # our own child's bytes, through a pipe only it could write
    except Exception:  # a truncated payload: the lane is evaluated here instead
        return None


def _kill(pid: int, fd: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    with contextlib.suppress(OSError):  # already closed by _collect
        os.close(fd)
