"""Write the VIOS side of a synthetic system as the captures people really collect.

Per VIOS: `lsmap -all` (vSCSI), `lsmap -all -npiv`, `lsmap -all -net`, `lsdev -dev entX -attr`
for the SEA and EtherChannel, disk attributes (`lsdev -dev hdiskN -attr`, or reserve_policy per
disk), `chkdev` for UDIDs and `lspath`, in the human layout or `-fmt :`. Styles: `pipe` (the
`cmd| |line` collection-script format), `files` (one file per command, first line `$ cmd`),
`padmin` (a padmin terminal session with `$` prompts and a colour escape) and `viosvrcmd` (an
HMC session running `viosvrcmd -m SYS -p VIOS -c "..."`, both VIOS of a system in one file).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hatoolkit.synth.estate import Lpar, System, ViosConfig, ViosDisk

STYLES = ("pipe", "files", "padmin", "viosvrcmd")
LOC_UNIT = "U78D3.001"


def _vloc(s: System, lpar_id: int, slot: int) -> str:
    return f"U{s.type_model.replace('-', '.')}.{s.serial}-V{lpar_id}-C{slot}"


def _ploc(s: System, card: int, port: int) -> str:
    return f"{LOC_UNIT}.{s.serial[:7]}-P1-C{card}-T{port}"


def _client(s: System, lpar_id: int | None) -> Lpar | None:
    return next((lp for lp in s.lpars if lp.id == lpar_id), None)


def _table(header: list[str], rows: list[list[str]], dashes: bool = False) -> str:
    widths = [max(len(header[k]), *(len(r[k]) for r in rows)) if rows else len(header[k]) for k in range(len(header))]
    lines = [" ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    if dashes:
        lines.append(" ".join("-" * w for w in widths))
    else:
        lines.append("")
    lines += [" ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- lsmap


def lsmap(s: System, vios: Lpar, cfg: ViosConfig, fmt: bool = False) -> str:
    out = []
    for n, a in enumerate(sorted((a for a in vios.vscsi if a.adapter_type == "server"), key=lambda a: a.slot)):
        loc, cid = _vloc(s, vios.id, a.slot), f"0x{(a.remote_id or 0):08x}"
        vtds = cfg.vtds.get(a.slot, [])
        if fmt:
            fields = [f"vhost{n}", loc, cid]
            for t in vtds:
                fields += [t.name, "Available", f"0x{0x80 + t.lun:02x}00000000000000", t.backing,
                           _disk_loc(s, cfg, t.backing) or " ", "false"]
            out.append(":".join(fields) if vtds else ":".join([*fields, *[" "] * 6]))
            continue
        block = [_table(["SVSA", "Physloc", "Client Partition ID"], [[f"vhost{n}", loc, cid]], dashes=True), ""]
        if not vtds:
            block += ["NO VIRTUAL TARGET DEVICE FOUND", ""]
        for t in vtds:
            block += [f"{'VTD':<22}{t.name}", f"{'Status':<22}Available", f"{'LUN':<22}0x{0x80 + t.lun:02x}00000000000000",
                      f"{'Backing device':<22}{t.backing}", f"{'Physloc':<22}{_disk_loc(s, cfg, t.backing)}".rstrip(),
                      f"{'Mirrored':<22}false", ""]
        out.append("\n".join(block))
    return "\n".join(out) + "\n"


def _disk_loc(s: System, cfg: ViosConfig, backing: str) -> str:
    disk = next((d for d in cfg.disks if d.hdisk == backing), None)
    if disk is None or disk.local:
        return ""
    conn = disk.paths[0][2] if disk.paths else ",0"
    wwpn, lun = conn.split(",")
    return f"{_ploc(s, 1, 1)}-W{wwpn.upper()}-L{lun.upper()}"


def lsmap_npiv(s: System, vios: Lpar, cfg: ViosConfig, fmt: bool = False) -> str:
    out = []
    for n, a in enumerate(sorted((a for a in vios.vfc if a.adapter_type == "server"), key=lambda a: a.slot)):
        client = _client(s, a.remote_id)
        logged = client is not None and client.running
        os_name = "" if not logged else ("AIX" if (client.os_version or "").startswith("AIX") else "Linux")
        port = cfg.fc_ports.get(a.slot, "fcs0")
        ploc = _ploc(s, 1, int(port[3:]) + 1)
        status = "LOGGED_IN" if logged else "NOT_LOGGED_IN"
        drc = _vloc(s, a.remote_id or 0, a.remote_slot or 0)
        cname = client.name if logged and client else ""
        client_port = f"fcs{[x.slot for x in client.vfc].index(a.remote_slot)}" if logged and client else ""
        if fmt:
            out.append(":".join([f"vfchost{n}", _vloc(s, vios.id, a.slot), str(a.remote_id or 0), cname or " ",
                                 os_name or " ", status, port, ploc, "3" if logged else "0", "a" if logged else "4",
                                 client_port or " ", drc if logged else " "]))
            continue
        # The VIOS shows the client's partition ID whether or not it is logged in; name and OS only once it is.
        row = f"{f'vfchost{n}':<14}{_vloc(s, vios.id, a.slot):<35}{(str(a.remote_id) if a.remote_id else ''):>6} " \
              f"{cname:<14} {os_name}".rstrip()
        out.append("\n".join([
            "Name          Physloc                            ClntID ClntName       ClntOS",
            "------------- ---------------------------------- ------ -------------- -------", row, "",
            f"Status:{status}", f"{'FC name:' + port:<32}FC loc code:{ploc}", f"Ports logged in:{3 if logged else 0}",
            f"Flags:{'a<LOGGED_IN,STRIP_MERGE>' if logged else '4<NOT_LOGGED>'}",
            f"{'VFC client name:' + client_port:<32}VFC client DRC:{drc if logged else ''}".rstrip(), ""]))
    return "\n".join(out) + "\n"


def _port_loc(s: System, vios: Lpar, device: str) -> str:
    """Location of a physical port entN of the VIOS: port N+1 of the VIOS's (first) Ethernet card."""
    card = next((slot.phys_loc for slot in s.io_slots if slot.owner == vios.id and slot.pci_class == "0200"), "C2")
    return f"{LOC_UNIT}.{s.serial[:7]}-P1-{card}-T{int(device[3:]) % 4 + 1}"


def lsmap_net(s: System, vios: Lpar, cfg: ViosConfig, fmt: bool = False) -> str:
    out = []
    for slot, dev in sorted(cfg.veth_devices.items()):
        sea = next((x for x in cfg.seas if dev in x.virt_adapters), None)
        real_loc = "" if sea is None or any(ec.device == sea.real_adapter for ec in cfg.etherchannels) \
            else _port_loc(s, vios, sea.real_adapter)
        loc = f"{_vloc(s, vios.id, slot)}-T1"
        if fmt:
            out.append(":".join([dev, loc] + ([sea.sea, sea.real_adapter, "Available", real_loc or " "] if sea else
                                              ["NO SHARED ETHERNET ADAPTER FOUND"])))
            continue
        block = ["SVEA   Physloc", "------ --------------------------------------------", f"{dev:<7}{loc}", ""]
        if sea is None:
            block += ["SEA                   NO SHARED ETHERNET ADAPTER FOUND", ""]
        else:
            block += [f"{'SEA':<22}{sea.sea}", f"{'Backing device':<22}{sea.real_adapter}", f"{'Status':<22}Available",
                      f"{'Physloc':<22}{real_loc}".rstrip(), ""]
        out.append("\n".join(block))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- lsdev / chkdev / lspath


def _attrs(rows: list[tuple[str, str, str]]) -> str:
    return _table(["attribute", "value", "description", "user_settable"], [[a, v, d, "True"] for a, v, d in rows]) + "\n"


def lsdev_attr(cfg: ViosConfig, device: str) -> str:
    sea = next((x for x in cfg.seas if x.sea == device), None)
    if sea is not None:
        return _attrs([
            ("accounting", "disabled", "Enable per-client accounting of network statistics"),
            ("ctl_chan", sea.ctl_chan or "", "Control Channel adapter for SEA failover"),
            ("gvrp", "no", "Enable GARP VLAN Registration Protocol (GVRP)"),
            ("ha_mode", sea.ha_mode, "High Availability Mode"), ("jumbo_frames", "no", "Enable Gigabit Ethernet Jumbo Frames"),
            ("large_receive", "no", "Enable receive TCP segment aggregation"),
            ("largesend", "1", "Enable Hardware Transmit TCP Resegmentation"), ("netaddr", "0", "Address to ping"),
            ("pvid", str(sea.pvid), "PVID to use for the SEA device"),
            ("pvid_adapter", sea.virt_adapters[0], "Default virtual adapter to use for non-VLAN-tagged packets"),
            ("qos_mode", "disabled", "N/A"), ("real_adapter", sea.real_adapter, "Physical adapter associated with the SEA"),
            ("thread", "1", "Thread mode enabled (1) or disabled (0)"),
            ("virt_adapters", ",".join(sea.virt_adapters), "List of virtual adapters associated with the SEA (comma separated)"),
        ])
    ec = next(x for x in cfg.etherchannels if x.device == device)
    return _attrs([
        ("adapter_names", ",".join(ec.adapter_names), "EtherChannel Adapters"),
        ("alt_addr", "0x000000000000", "Alternate EtherChannel Address"), ("auto_recovery", "yes", "Enable automatic recovery after failover"),
        ("backup_adapter", ec.backup_adapter or "NONE", "Adapter used when whole channel fails"),
        ("hash_mode", ec.hash_mode, "Determines how outgoing adapter is chosen"), ("mode", ec.mode, "EtherChannel mode of operation"),
        ("netaddr", "0", "Address to ping"), ("noloss_failover", "yes", "Enable lossless failover after ping failure"),
        ("num_retries", "3", "Times to retry ping before failing"), ("use_jumbo_frame", "no", "Enable Gigabit Ethernet Jumbo Frames"),
    ])


def path_algorithm(d: ViosDisk) -> str:
    """The hdisk `algorithm` attribute: internal SAS disks fail over, SAN LUNs use the shortest queue."""
    return "fail_over" if d.local else "shortest_queue"


def disk_attr(cfg: ViosConfig, hdisk: str) -> str:
    d = next(x for x in cfg.disks if x.hdisk == hdisk)
    pcm = "PCM/friend/sissas" if d.local else "PCM/friend/fcpother"
    return _attrs([
        ("PCM", pcm, "Path Control Module"), ("algorithm", path_algorithm(d), "Algorithm"),
        ("hcheck_interval", "60", "Health Check Interval"), ("max_transfer", "0x80000", "Maximum TRANSFER Size"),
        ("pvid", d.pvid or "none", "Physical volume identifier"), ("queue_depth", "20", "Queue DEPTH"),
        ("reserve_policy", d.reserve_policy, "Reserve Policy"), ("rw_timeout", "30", "READ/WRITE time out value"),
        ("unique_id", d.udid, "Unique device identifier"),
    ])


def chkdev(cfg: ViosConfig, fmt: bool = False) -> str:
    used = {t.backing for vtds in cfg.vtds.values() for t in vtds}
    if fmt:
        return "\n".join(f"{d.hdisk}:{d.udid}:{'NA' if d.hdisk in used else 'YES'}" for d in cfg.disks) + "\n"
    out = []
    for d in cfg.disks:
        vtd = next((t.name for vtds in cfg.vtds.values() for t in vtds if t.backing == d.hdisk), "")
        out.append("\n".join([f"{'NAME:':<21}{d.hdisk}", f"{'IDENTIFIER:':<21}{d.udid}",
                              f"{'PHYS2VIRT_CAPABLE:':<21}{'NA' if vtd else 'YES'}", f"{'VIRT2NPIV_CAPABLE:':<21}NA",
                              f"{'VIRT2PHYS_CAPABLE:':<21}NA", f"{'PVID:':<21}{d.pvid or 'none'}",
                              f"{'UDID:':<21}{d.udid}", "IEEE:", f"{'VTD:':<21}{vtd}".rstrip(), ""]))
    return "\n".join(out) + "\n"


def lspath(cfg: ViosConfig, fmt: bool = False) -> str:
    rows = [[status, d.hdisk, parent, conn] for d in cfg.disks for parent, status, conn in d.paths]
    if fmt:
        return "\n".join(f"{r[1]}:{r[2]}:{r[0]}:{r[3]}" for r in rows) + "\n"
    return _table(["status", "name", "parent", "connection"], rows) + "\n"


# --------------------------------------------------------------------------- styles


def commands(s: System, vios: Lpar, cfg: ViosConfig, fmt: bool) -> list[tuple[str, str]]:
    """(command line, output) pairs of one VIOS collection, human layouts or -fmt ':'."""
    f = " -fmt :" if fmt else ""
    out = [("lsmap -all" + f, lsmap(s, vios, cfg, fmt)), ("lsmap -all -npiv" + f, lsmap_npiv(s, vios, cfg, fmt)),
           ("lsmap -all -net" + f, lsmap_net(s, vios, cfg, fmt))]
    for dev in [x.device for x in cfg.etherchannels] + [x.sea for x in cfg.seas]:
        out.append((f"lsdev -dev {dev} -attr", lsdev_attr(cfg, dev)))
    if fmt:
        for d in cfg.disks:
            out.append((f"lsdev -dev {d.hdisk} -attr reserve_policy", f"value\n\n{d.reserve_policy}\n"))
        out.append(("chkdev -fmt : -field name identifier phys2virt_capable", chkdev(cfg, True)))
        out.append(("lspath -fmt : -field name parent status connection", lspath(cfg, True)))
    else:
        out += [(f"lsdev -dev {d.hdisk} -attr", disk_attr(cfg, d.hdisk)) for d in cfg.disks]
        out += [("chkdev -verbose", chkdev(cfg)), ("lspath", lspath(cfg))]
    return out


def write_vios(s: System, root: Path, style: str | Mapping[str, str]) -> list[Path]:
    """Write every VIOS of `s` that has a VIOS-side configuration under root/vios/<system>/.

    `style` is one style for all, or a mapping VIOS partition name -> style.
    """
    styles = {v.name: (style if isinstance(style, str) else style.get(v.name, "files")) for v in s.lpars}
    bad = sorted(set(styles.values()) - set(STYLES))
    if bad:
        raise ValueError(f"unknown VIOS capture style {bad[0]!r}")
    written: list[Path] = []
    base = root / "vios" / s.name
    pair = [lp for lp in sorted(s.lpars, key=lambda x: x.id) if lp.env == "vioserver" and lp.vios_config]

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    remote = [v for v in pair if styles[v.name] == "viosvrcmd"]
    if remote:
        prompt = f"hscroot@{s.hmc}:~> "
        parts = []
        for v in remote:
            for cmd, text in commands(s, v, v.vios_config, fmt=v.id % 2 == 0):  # type: ignore[arg-type]
                parts.append(f'{prompt}viosvrcmd -m {s.name} -p {v.name} -c "{cmd}"\n{text}')
        write(base / "hmc_viosvrcmd.log", "".join(parts) + f"{prompt}exit\n")
    for v in pair:
        cfg = v.vios_config
        assert cfg is not None
        folder, kind = base / v.name, styles[v.name]
        if kind == "pipe":
            cmds = [("uname -n", cfg.hostname + "\n"), ("ioslevel", "3.1.4.30\n"), *commands(s, v, cfg, fmt=False)]
            lines = [f"{cmd}| |{line}" for cmd, text in cmds for line in text.rstrip("\n").split("\n")]
            write(folder / "vios_collect.txt", "\n".join(lines) + "\n")
        elif kind == "files":
            for cmd, text in commands(s, v, cfg, fmt=True):
                stem = cmd.split(" -fmt")[0].replace(" -", "_").replace(" ", "_").replace("-", "")[:60]
                write(folder / f"{stem}.txt", f"$ {cmd}\n{text}")
        elif kind == "padmin":
            prompt = "\x1b[1m$\x1b[0m "
            parts = [f"{prompt}hostname\n{cfg.hostname}\n", f"{prompt}ioslevel\n3.1.4.30\n"]
            parts += [f"{prompt}{cmd}\n{text}" for cmd, text in commands(s, v, cfg, fmt=v.id % 2 == 0)]
            parts.append(f"{prompt}exit\n")
            write(folder / "padmin_session.log", "".join(parts))
    return written
