"""`hatoolkit collect hmc`: run the documented HMC command set over SSH and write a bundle.

Authentication is by key only (a key file, or the SSH agent); a password is never asked for,
accepted or stored. The HMC's host key is checked against known_hosts unless the operator opts
out explicitly. Every command runs with `LANG=en_US` (text compares in English), each capture is
written with its command line as the first line (`$ cmd`) under `hmc/<host>/<system>/`, and
`manifest.json` records the HMC version, the time, and per command its exit status and duration.
Utilisation history (`lslparutil`) is asked for hourly over the last `usage_days` days, enough for
`sizing: p95_30d` (the HMC keeps about two months of hourly samples).
A command that fails is recorded (its error text is kept in the capture, which the loader turns
into a data gap) and the collection goes on. Systems are collected concurrently, bounded.
"""

from __future__ import annotations

import asyncio
import json
import shlex
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hatoolkit.errors import HatoolkitError
from hatoolkit.ingest.hmc_specs import CAPTURE_COMMANDS

LANG_PREFIX = "export LANG=en_US; "
PER_SYSTEM = tuple(k for k in CAPTURE_COMMANDS if k != "sys")
USAGE_DAYS = 35  # a 30-day sizing window plus a few days, so a window ending before today still fills


def system_command(kind: str, system: str, now: datetime, usage_days: int = USAGE_DAYS) -> str:
    """The command for one capture kind of one system; usage samples hourly from `usage_days` ago."""
    command = CAPTURE_COMMANDS[kind].replace("SYS", shlex.quote(system))
    if kind == "lparutil":
        start = now - timedelta(days=usage_days)
        command += f" -s h --startyear {start.year} --startmonth {start.month} --startday {start.day}"
    return command


@dataclass
class Run:
    command: str
    system: str | None
    file: str
    exit_status: int | None
    duration_s: float
    error: str | None = None


def _stem(command: str, system: str | None) -> str:
    text = command.replace(f" -m {shlex.quote(system)}", "") if system else command
    text = text.split(" --start", 1)[0]  # the window's dates change every run; the file name must not
    return "_".join(w.lstrip("-") for w in text.split() if w.lstrip("-")).replace("/", "_")


class Collector:
    def __init__(self, conn: object, host: str, out: Path, progress: Callable[[str], None],
                 usage_days: int = USAGE_DAYS) -> None:
        self.conn, self.host, self.out, self.progress = conn, host, out, progress
        self.usage_days, self.now = usage_days, datetime.now(UTC)
        self.runs: list[Run] = []

    async def run(self, command: str, system: str | None = None, timeout: float = 600) -> tuple[int | None, str, str]:
        started = time.monotonic()
        try:
            result = await asyncio.wait_for(self.conn.run(LANG_PREFIX + command, check=False), timeout)  # type: ignore[attr-defined]
            status, stdout, stderr = result.exit_status, str(result.stdout or ""), str(result.stderr or "")
            error = stderr.strip() or None if status else None
        except (TimeoutError, OSError) as exc:
            status, stdout, stderr, error = None, "", f"{type(exc).__name__}: {exc}\n", f"{type(exc).__name__}: {exc}"
        folder = self.out / "hmc" / self.host / (system or "")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{_stem(command, system)}.txt"
        body = stdout if not status else stdout + stderr
        path.write_text(f"$ {command}\n{body}", encoding="utf-8")
        self.runs.append(Run(command, system, path.relative_to(self.out).as_posix(), status,
                             round(time.monotonic() - started, 3), error))
        return status, stdout, stderr

    async def system(self, name: str, gate: asyncio.Semaphore) -> None:
        async with gate:
            started = time.monotonic()
            failed = 0
            for kind in PER_SYSTEM:
                status, _, _ = await self.run(system_command(kind, name, self.now, self.usage_days), name)
                failed += status != 0
            self.progress(f"{name}: {len(PER_SYSTEM) - failed}/{len(PER_SYSTEM)} commands ok "
                          f"({time.monotonic() - started:.1f} s)")


async def collect_async(host: str, user: str, out: Path, *, key: str | None = None, port: int = 22,
                        known_hosts: str | None = None, insecure_accept_host_key: bool = False,
                        concurrency: int = 4, progress: Callable[[str], None] = print,
                        usage_days: int = USAGE_DAYS) -> dict[str, object]:
    import asyncssh

    options: dict[str, object] = {
        "username": user, "port": port, "password": None, "preferred_auth": "publickey",
        "known_hosts": None if insecure_accept_host_key else (known_hosts or ()),
    }
    if known_hosts is None and not insecure_accept_host_key:
        del options["known_hosts"]  # asyncssh's default: ~/.ssh/known_hosts
    if key:
        options["client_keys"] = [key]
    try:
        conn = await asyncssh.connect(host, **options)
    except asyncssh.HostKeyNotVerifiable as exc:
        raise HatoolkitError(f"{host}: host key not in known_hosts ({exc.reason}); add it with ssh-keyscan after "
                             "checking its fingerprint, or pass --insecure-accept-host-key") from None
    except asyncssh.PermissionDenied:
        raise HatoolkitError(f"{host}: key authentication refused for {user} (passwords are never used: pass "
                             "--key or load the key into ssh-agent)") from None
    except (OSError, asyncssh.Error) as exc:
        raise HatoolkitError(f"{host}:{port}: cannot connect ({exc})") from None
    started = datetime.now(UTC)
    async with conn:
        c = Collector(conn, host, out, progress, usage_days)
        status, version, _ = await c.run("lshmc -V")
        status, names, err = await c.run("lssyscfg -r sys -F name")
        if status != 0:
            raise HatoolkitError(f"{host}: cannot list managed systems: {err.strip() or names.strip()}")
        systems = [n.strip() for n in names.splitlines() if n.strip() and not n.startswith(("HSCL", "No results"))]
        await c.run("lssyscfg -r sys")
        gate = asyncio.Semaphore(max(1, concurrency))
        await asyncio.gather(*(c.system(name, gate) for name in systems))
    manifest = {
        "tool": "hatoolkit collect hmc", "hmc": host, "port": port, "user": user,
        "hmc_version": " ".join(version.split()) if version else None,
        "started_at": started.isoformat(timespec="seconds"), "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "host_key_checked": not insecure_accept_host_key, "systems": systems,
        "commands": [asdict(r) for r in c.runs],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def collect(host: str, user: str, out: Path, **kw: object) -> dict[str, object]:
    """Synchronous entry point (the CLI's)."""
    out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(collect_async(host, user, out, **kw))  # type: ignore[arg-type]
