"""The collector against a real SSH server on 127.0.0.1 that answers HMC commands from a synth estate."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncssh
import pytest

from hatoolkit import load_inventory
from hatoolkit.collect.hmc_ssh import LANG_PREFIX, PER_SYSTEM, collect_async
from hatoolkit.errors import HatoolkitError
from hatoolkit.ingest.commands import parse_command
from hatoolkit.ingest.hmc_cli import kind_from_command
from hatoolkit.synth import sample_estate
from hatoolkit.synth.hmc_writer import answer
from hatoolkit.synth.usage import lpar_listing

pytestmark = pytest.mark.slow
ESTATE = sample_estate()
SYSTEMS = {s.name: s for s in ESTATE.systems}


class FakeHmc:
    """Answers like an HMC restricted shell: only with LANG=en_US set, the HSCL text on failure."""

    def __init__(self) -> None:
        self.commands: list[str] = []

    def reply(self, line: str) -> tuple[int, str, str]:
        self.commands.append(line)
        if not line.startswith(LANG_PREFIX):
            return 1, "", "LANG not set\n"
        cmd = line[len(LANG_PREFIX):]
        if cmd == "lshmc -V":
            return 0, '"version= Version: 10\n Release: 3.1050.0\n","base_version=V10R3\n"\n', ""
        if cmd == "lssyscfg -r sys -F name":
            return 0, "".join(f"{n}\n" for n in SYSTEMS), ""
        if cmd == "lssyscfg -r sys":
            return 0, "".join(answer(s, "sys") or "" for s in SYSTEMS.values()), ""
        parsed = parse_command(cmd)
        system = SYSTEMS.get(parsed.system or "")
        kind = kind_from_command(parsed)
        if system is None:
            return 1, "", f"HSCL8012 The managed system {parsed.system} was not found.\n"
        if system.name == "DR-1" and kind == "vfc":
            return 1, "", "HSCLA4C0 The managed system does not support virtual Fibre Channel.\n"
        if kind in ("lparutil", "lparutil_config"):
            return _usage_answer(system, kind, cmd)
        text = answer(system, kind) if kind else None
        return (0, text, "") if text is not None else (1, "", "HSCL0001 not available\n")


def _usage_answer(system, kind: str, cmd: str) -> tuple[int, str, str]:
    """lslparutil as the HMC answers it: the sampling rate, or the hourly samples of the window asked for."""
    cap = system.usage
    if kind == "lparutil_config":
        return 0, f"sample_rate={cap.sample_rate_s if cap else 0}\n", ""
    if cap is None or not cap.sample_rate_s:
        return 0, "No results were found.\n", ""
    if " -s h --startyear " not in cmd:  # without a window the HMC would list every sample it keeps
        return 1, "", "HSCL0001 test HMC: usage asked without an hourly window\n"
    return 0, lpar_listing(system, cap, delimited=False), ""


async def _serve(tmp_path: Path, hmc: FakeHmc):
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    (tmp_path / "id_ed25519").write_bytes(client_key.export_private_key())
    authorized = asyncssh.import_authorized_keys(client_key.export_public_key().decode())

    async def process(proc: asyncssh.SSHServerProcess) -> None:
        status, out, err = hmc.reply(proc.command or "")
        proc.stdout.write(out)
        proc.stderr.write(err)
        proc.exit(status)

    server = await asyncssh.create_server(asyncssh.SSHServer, "127.0.0.1", 0, server_host_keys=[host_key],
                                          authorized_client_keys=authorized, process_factory=process)
    port = server.sockets[0].getsockname()[1]
    line = f"[127.0.0.1]:{port} {host_key.export_public_key().decode().strip()}\n"
    (tmp_path / "known_hosts").write_text(line)
    return server, port


def test_collect_bundle_from_ssh_hmc(tmp_path: Path) -> None:
    hmc = FakeHmc()
    progress: list[str] = []

    async def main() -> dict:
        server, port = await _serve(tmp_path, hmc)
        try:
            return await collect_async("127.0.0.1", "hscroot", tmp_path / "bundle", key=str(tmp_path / "id_ed25519"),
                                       port=port, known_hosts=str(tmp_path / "known_hosts"), concurrency=2,
                                       progress=progress.append)
        finally:
            server.close()

    manifest = asyncio.run(main())
    assert manifest["hmc_version"].startswith('"version= Version: 10') and manifest["host_key_checked"] is True
    assert manifest["systems"] == list(SYSTEMS)
    assert all(c.startswith(LANG_PREFIX) for c in hmc.commands)
    runs = manifest["commands"]
    assert len(runs) == 3 + len(SYSTEMS) * len(PER_SYSTEM)
    failed = [r for r in runs if r["exit_status"] != 0]
    assert {(r["system"], r["command"].split()[0]) for r in failed} >= {("DR-1", "lshwres")}
    vfc = next(r for r in failed if r["system"] == "DR-1" and "--rsubtype fc" in r["command"])
    assert "HSCLA4C0" in vfc["error"] and vfc["duration_s"] >= 0
    assert sorted(p.split(":")[0] for p in progress) == sorted(SYSTEMS)
    saved = json.loads((tmp_path / "bundle" / "manifest.json").read_text())
    assert saved["commands"] == runs
    first = (tmp_path / "bundle" / vfc["file"]).read_text().splitlines()
    assert first[0] == f"$ {vfc['command']}" and first[1].startswith("HSCLA4C0")

    inv = load_inventory(tmp_path / "bundle")
    assert sorted(inv.systems["system"]) == sorted(SYSTEMS)
    assert len(inv.partitions) == sum(len(s.lpars) for s in ESTATE.systems)
    assert inv.systems["hmc"].eq("127.0.0.1").all()
    erp = inv.partitions.set_index(["system", "name"]).loc[("PRD-1", "ERP-DB")]
    assert erp["curr_proc_units"] == 6.0 and erp["curr_mem_mb"] == 256 * 1024
    gap = inv.gaps[(inv.gaps["code"] == "hmc_message") & (inv.gaps["system"] == "DR-1")]
    assert gap["message"].str.contains("HSCLA4C0").any()
    assert "manifest.json" not in set(inv.files["path"])
    usage = next(r for r in runs if r["system"] == "PRD-1" and r["command"].startswith("lslparutil -r lpar"))
    assert usage["exit_status"] == 0 and " -s h --startyear " in usage["command"]
    assert "--start" not in usage["file"]  # the file name does not change with the window's dates
    sampled = inv.utilization[inv.utilization["system"] == "PRD-1"]
    assert len(sampled) > 24 * 30 and sampled["proc_units_used"].notna().all()


def test_unknown_host_key_is_refused_unless_opted_out(tmp_path: Path) -> None:
    hmc = FakeHmc()

    async def main(insecure: bool) -> dict:
        server, port = await _serve(tmp_path, hmc)
        (tmp_path / "known_hosts").write_text("")  # the HMC's key is not known
        try:
            return await collect_async("127.0.0.1", "hscroot", tmp_path / "b", key=str(tmp_path / "id_ed25519"),
                                       port=port, known_hosts=str(tmp_path / "known_hosts"),
                                       insecure_accept_host_key=insecure, progress=lambda _: None)
        finally:
            server.close()

    with pytest.raises(HatoolkitError, match="host key not in known_hosts"):
        asyncio.run(main(False))
    assert hmc.commands == []
    manifest = asyncio.run(main(True))
    assert manifest["host_key_checked"] is False and manifest["systems"] == list(SYSTEMS)


def test_wrong_key_is_refused_without_password_fallback(tmp_path: Path) -> None:
    hmc = FakeHmc()
    other = asyncssh.generate_private_key("ssh-ed25519")

    async def main() -> None:
        server, port = await _serve(tmp_path, hmc)
        (tmp_path / "other").write_bytes(other.export_private_key())
        try:
            await collect_async("127.0.0.1", "hscroot", tmp_path / "b", key=str(tmp_path / "other"), port=port,
                                known_hosts=str(tmp_path / "known_hosts"), progress=lambda _: None)
        finally:
            server.close()

    with pytest.raises(HatoolkitError, match="key authentication refused"):
        asyncio.run(main())
