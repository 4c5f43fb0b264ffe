"""Storage needs of a guest and the paths that serve them.

A guest needs every one of its disks. What a "disk" is depends on what was exported:
- an IBM i guest that exported its disk units: each unit (ASP, unit number) is a need; the halves
  of a mirrored pair are alternatives (a suspended half is not); each half is reached through the
  client adapter in its location code, which the HMC ties to a VIOS (then to the VTD with that
  LUN) or an IBM i host (then to the storage space linked at that drive);
- otherwise, per VIOS capture: a LUN (matched across VIOS by UDID) is one need with a path through
  every VIOS that maps it (MPIO), unless one VIOS reserves it (then only that VIOS can use it);
  a logical volume or file is a need served by its VIOS alone; an IBM i host serves "the disks it
  hosts"; NPIV disks are one need with a path through every client Fibre Channel adapter whose
  vfchost is mapped to a port that logged in.
A VIOS path continues through the hdisk's enabled MPIO paths (lspath parents) to the ports and
cards; an IBM i host is where its path ends (the host's own disks are its own business).
What no export shows becomes an unknown branch: a VIOS without lsmap, a disk without UDID or
lspath, an IBM i guest served by several hosts without its disk-unit export (it may mirror).
"""

from __future__ import annotations

from collections import defaultdict

from hatoolkit.analysis.topology_context import Context, present
from hatoolkit.analysis.topology_graph import SINK

RESERVING = frozenset({"single_path", "pr_exclusive"})
USABLE_PATH = frozenset({"enabled"})
Need = tuple[str, str, str]  # (node id, kind, label)


def _lun(text: object) -> str | None:
    """`0x8100000000000000` / `8100000000000000` -> `8100000000000000`."""
    if not isinstance(text, str) or not text.strip():
        return None
    return text.strip().upper().removeprefix("0X")


def _need(ctx: Context, system: str, lpar_id: int, key: str, label: str) -> str:
    return ctx.b.node(f"need:{system}/{lpar_id}/disk:{key}", "need", label, system=system, owner=ctx.label(system, lpar_id))


def hdisk_path(ctx: Context, system: str, vios_id: int, hdisk: str, into: str) -> None:
    """into -> VIOS (for this hdisk) -> hdisk -> each enabled path's port -> card -> SINK."""
    vios = ctx.partition(system, vios_id, f"hdisk:{hdisk}")
    ctx.b.edge(into, vios)
    disk = ctx.b.node(f"hdisk:{system}/{vios_id}/{hdisk}", "hdisk", f"{ctx.label(system, vios_id)} {hdisk}", system=system,
                      owner=ctx.label(system, vios_id))
    ctx.b.edge(vios, disk)
    if ctx.b.has_out(disk):
        return
    if (system, vios_id) not in ctx.path_data:
        ctx.b.edge(disk, ctx.b.unknown(f"MPIO paths of {ctx.label(system, vios_id)} not captured (lspath)", system))
        return
    paths = ctx.paths.get((system, vios_id, hdisk), [])
    if not paths:
        ctx.b.edge(disk, ctx.b.unknown(f"{ctx.label(system, vios_id)} {hdisk}: no lspath rows", system))
        return
    for p in paths:
        if isinstance(p.status, str) and p.status.lower() in USABLE_PATH:
            device = p.parent.replace("fscsi", "fcs") if p.parent.startswith("fscsi") else p.parent
            cls = "fc" if device.startswith("fcs") else "storage"
            ctx.b.edge(disk, ctx.vios_port(system, vios_id, device, cls))


def _vtd_path(ctx: Context, system: str, vios_id: int, vtd: object, into: str) -> str | None:
    """Continue `into` through a VTD's backing device; returns the LUN's UDID when it is a whole disk."""
    kind, backing = vtd.backing_type, vtd.backing_device
    if kind == "pv" and isinstance(backing, str):
        hdisk_path(ctx, system, vios_id, backing, into)
        disk = ctx.disks.get((system, vios_id, backing))
        return disk.udid if disk is not None and isinstance(disk.udid, str) else None
    vios = ctx.partition(system, vios_id, f"vtd:{vtd.vtd}")
    ctx.b.edge(into, vios)
    if kind in ("lv", "file", "lu"):
        local = ctx.b.node(f"local:{system}/{vios_id}", "storage", f"{ctx.label(system, vios_id)} own disks (LV, file, SSP)",
                           system=system)
        ctx.b.edge(vios, local)
        ctx.b.edge(local, SINK)
    else:
        ctx.b.edge(vios, ctx.b.unknown(f"backing of {vtd.vtd} on {ctx.label(system, vios_id)} not captured", system))
    return None


def _vios_luns(ctx: Context, system: str, lpar_id: int, ibmi: bool, many: bool) -> tuple[list[Need], list[int]]:
    """Needs from the VIOS vSCSI mappings of a guest; also the serving VIOS without an lsmap capture."""
    needs: dict[str, list[tuple[int, object]]] = defaultdict(list)
    blind: list[int] = []
    seen: set[int] = set()
    for a in ctx.vscsi_clients.get((system, lpar_id), []):
        vios_id = int(a.remote_lpar_id) if present(a.remote_lpar_id) else None
        if not ctx.is_vios(system, vios_id) or vios_id in seen:
            continue
        seen.add(vios_id)
        if (system, vios_id) not in ctx.scsi_data:
            blind.append(vios_id)
            continue
        for vtd in ctx.vtds_by_client.get((system, vios_id, lpar_id), []):
            if vtd.backing_type == "optical":
                continue
            disk = ctx.disks.get((system, vios_id, vtd.backing_device)) if vtd.backing_type == "pv" else None
            udid = disk.udid if disk is not None and isinstance(disk.udid, str) else None
            key = f"lun:{udid}" if udid else f"vtd:{vios_id}/{vtd.vtd}"
            needs[key].append((vios_id, vtd))
    out: list[Need] = []
    for key, maps in sorted(needs.items()):
        first = maps[0][1]
        label = f"LUN …{key[-16:]}" if key.startswith("lun:") else f"{first.vtd} ({first.backing_type})"
        nid = _need(ctx, system, lpar_id, key, f"{ctx.label(system, lpar_id)} disk {label}")
        reserving = [v for v, vtd in maps if _reserves(ctx, system, v, vtd)]
        for vios_id, vtd in maps:
            if len(reserving) == 1 and vios_id != reserving[0]:
                continue  # the reserving VIOS holds the LUN: the other paths fail with reservation conflicts
            va = ctx.vadapter(system, lpar_id, _client_slot(ctx, system, lpar_id, vios_id), "vSCSI")
            ctx.b.edge(nid, va)
            if len(reserving) > 1:
                ctx.b.edge(va, ctx.b.unknown(f"{key}: reserved by several VIOS, which one holds it is unknown", system))
                continue
            _vtd_path(ctx, system, vios_id, vtd, va)
        if key.startswith("vtd:") and maps[0][1].backing_type == "pv":
            ctx.b.edge(nid, ctx.b.unknown(f"UDID of {maps[0][1].backing_device} on {ctx.label(system, maps[0][0])} not "
                                          "captured: the same LUN may be mapped through another VIOS", system))
        if ibmi and many:
            ctx.b.edge(nid, ctx.b.unknown(f"{ctx.label(system, lpar_id)}: IBM i mirroring not exported (disk_units)", system))
        out.append((nid, "disk", label))
    return out, blind


def _reserves(ctx: Context, system: str, vios_id: int, vtd: object) -> bool:
    disk = ctx.disks.get((system, vios_id, vtd.backing_device)) if vtd.backing_type == "pv" else None
    policy = disk.reserve_policy if disk is not None and isinstance(disk.reserve_policy, str) else ""
    return policy.lower() in RESERVING


def _client_slot(ctx: Context, system: str, lpar_id: int, server_id: int) -> int:
    for a in ctx.vscsi_clients.get((system, lpar_id), []):
        if present(a.remote_lpar_id) and int(a.remote_lpar_id) == server_id:
            return int(a.slot_num)
    return -1


def _hosted(ctx: Context, system: str, lpar_id: int, hosts: list[tuple[int, int]], ibmi: bool) -> list[Need]:
    """Disks served by IBM i hosts, when the guest exported no disk units: one need per host."""
    out: list[Need] = []
    for host_id, slot in hosts:
        label = f"disks hosted by {ctx.label(system, host_id)}"
        nid = _need(ctx, system, lpar_id, f"host:{host_id}", f"{ctx.label(system, lpar_id)} {label}")
        va = ctx.vadapter(system, lpar_id, slot, "vSCSI")
        ctx.b.edge(nid, va)
        host = ctx.partition(system, host_id, f"guest:{lpar_id}")
        ctx.b.edge(va, host)
        ctx.b.edge(host, SINK)
        if ibmi and len(hosts) > 1:
            ctx.b.edge(nid, ctx.b.unknown(f"{ctx.label(system, lpar_id)}: IBM i mirroring across hosts not exported "
                                          "(disk_units)", system))
        out.append((nid, "disk", label))
    return out


def _npiv(ctx: Context, system: str, lpar_id: int) -> list[Need]:
    adapters = [a for a in ctx.vfc_clients.get((system, lpar_id), []) if ctx.is_vios(system, _rid(a))]
    if not adapters:
        return []
    nid = _need(ctx, system, lpar_id, "npiv", f"{ctx.label(system, lpar_id)} NPIV disks")
    running = str(getattr(ctx.parts.get((system, lpar_id)), "state", "")).lower() == "running"
    for a in adapters:
        vios_id = _rid(a)
        va = ctx.vadapter(system, lpar_id, int(a.slot_num), "vFC")
        ctx.b.edge(nid, va)
        vios = ctx.partition(system, vios_id, f"vfc:{a.remote_slot_num}")
        ctx.b.edge(va, vios)
        if (system, vios_id) not in ctx.fc_data:
            ctx.b.edge(vios, ctx.b.unknown(f"NPIV mappings of {ctx.label(system, vios_id)} not captured (lsmap -npiv)",
                                           system))
            continue
        host = ctx.vfchosts.get((system, vios_id, int(a.remote_slot_num) if present(a.remote_slot_num) else None))
        if host is None or not isinstance(host.backing_device, str):
            continue  # vfchost not mapped to a physical port: this path leads nowhere
        port = ctx.vios_port(system, vios_id, host.backing_device, "fc")
        if not isinstance(host.status, str):  # the source does not say (REST, HMC Scanner): unknown, not down
            ctx.b.edge(vios, ctx.b.unknown(f"NPIV login state through {ctx.label(system, vios_id)} not captured "
                                           "(lsmap -all -npiv)", system))
            continue
        logged = host.status.upper() == "LOGGED_IN" and (not present(host.ports_logged_in) or host.ports_logged_in > 0)
        if logged:
            ctx.b.edge(vios, port)
        elif not running:
            ctx.b.edge(vios, ctx.b.unknown(f"{ctx.label(system, lpar_id)} not running: NPIV login through "
                                           f"{ctx.label(system, vios_id)} not verifiable", system))
    return [(nid, "disk", "NPIV disks")]


def _rid(a: object) -> int | None:
    return int(a.remote_lpar_id) if present(a.remote_lpar_id) else None


def _unit_needs(ctx: Context, system: str, lpar_id: int, rows: list[object]) -> list[Need]:
    """Disk units exported by an IBM i guest: one need per unit, one alternative per active mirror half."""
    units: dict[tuple[int, int], list[object]] = defaultdict(list)
    for r in rows:
        if present(r.unit_number) and int(r.unit_number) > 0:
            units[(int(r.asp_number) if present(r.asp_number) else 0, int(r.unit_number))].append(r)
    out: list[Need] = []
    for (asp, unit), halves in sorted(units.items()):
        label = f"ASP {asp} unit {unit}"
        nid = _need(ctx, system, lpar_id, f"unit:{asp}.{unit}", f"{ctx.label(system, lpar_id)} {label}")
        by_serial: dict[str, list[object]] = defaultdict(list)
        for r in halves:
            by_serial[r.serial_number if isinstance(r.serial_number, str) else r.resource_name].append(r)
        for serial, paths in sorted(by_serial.items()):
            status = next((p.mirrored_unit_status for p in paths if isinstance(p.mirrored_unit_status, str)), None)
            if status is not None and status != "ACTIVE":
                continue  # a suspended or resuming half does not hold current data
            half = ctx.b.node(f"half:{system}/{lpar_id}/{serial}", "unit", f"{ctx.label(system, lpar_id)} unit {unit} "
                              f"({serial})", system=system, owner=ctx.label(system, lpar_id))
            ctx.b.edge(nid, half)
            for p in paths:
                _unit_path(ctx, system, lpar_id, p, half)
        out.append((nid, "disk", label))
    return out


def _unit_path(ctx: Context, system: str, lpar_id: int, r: object, half: str) -> None:
    slot = int(r.client_slot) if present(r.client_slot) else None
    if slot is None or (present(r.client_lpar_id) and int(r.client_lpar_id) != lpar_id):
        ctx.b.edge(half, ctx.b.unknown(f"{ctx.label(system, lpar_id)} {r.resource_name}: location code "
                                       f"{r.location_code!s} names no virtual adapter of the partition", system))
        return
    scsi = ctx.vscsi_by_slot.get((system, lpar_id, slot))
    fc = ctx.vfc_by_slot.get((system, lpar_id, slot))
    adapter = scsi if scsi is not None else fc
    if adapter is None or not present(adapter.remote_lpar_id):
        ctx.b.edge(half, ctx.b.unknown(f"{ctx.label(system, lpar_id)} client slot {slot} not in the HMC listing", system))
        return
    server, server_slot = int(adapter.remote_lpar_id), _int(adapter.remote_slot_num)
    va = ctx.vadapter(system, lpar_id, slot, "vSCSI" if scsi is not None else "vFC")
    ctx.b.edge(half, va)
    lun = _lun(r.lun)
    if fc is not None and scsi is None:
        vios = ctx.partition(system, server, f"vfc:{server_slot}")
        ctx.b.edge(va, vios)
        host = ctx.vfchosts.get((system, server, server_slot))
        if (system, server) not in ctx.fc_data or host is None or not isinstance(host.backing_device, str):
            ctx.b.edge(vios, ctx.b.unknown(f"NPIV port of {ctx.label(system, server)} slot {server_slot} not captured",
                                           system))
        else:
            ctx.b.edge(vios, ctx.vios_port(system, server, host.backing_device, "fc"))
        return
    if ctx.is_vios(system, server):
        if (system, server) not in ctx.scsi_data:
            vios = ctx.partition(system, server, "nodata")
            ctx.b.edge(va, vios)
            ctx.b.edge(vios, ctx.b.unknown(f"no lsmap -all capture for {ctx.label(system, server)}", system))
            return
        vtd = next((t for t in ctx.vtds.get((system, server, server_slot), []) if _lun(t.lun) == lun), None)
        if vtd is None:  # the HMC's server slot may not be the VIOS's: one vhost for this client is unambiguous
            hosts = {t.adapter for t in ctx.vtds_by_client.get((system, server, lpar_id), [])}
            if len(hosts) == 1:
                vtd = next((t for t in ctx.vtds_by_client[(system, server, lpar_id)] if _lun(t.lun) == lun), None)
        if vtd is None:
            ctx.b.edge(va, ctx.b.unknown(f"{ctx.label(system, server)} maps no VTD with LUN {lun} on slot {server_slot}",
                                         system))
            return
        _vtd_path(ctx, system, server, vtd, va)
        return
    host = ctx.partition(system, server, f"guest:{lpar_id}")
    ctx.b.edge(va, host)
    space = _space(ctx, system, server, lpar_id, lun)
    if space is not None:
        node = ctx.b.node(f"space:{system}/{server}/{space}", "storage", f"{ctx.label(system, server)} storage space {space}",
                          system=system)
        ctx.b.edge(host, node)
        ctx.b.edge(node, SINK)
    else:
        ctx.b.edge(host, SINK)


def _int(value: object) -> int | None:
    return int(value) if present(value) else None


def _space(ctx: Context, system: str, host_id: int, guest_id: int, lun: str | None) -> str | None:
    """The storage space behind a hosted unit: linked to the host's NWSD for the guest at drive (LUN byte - 0x80)."""
    if lun is None or len(lun) < 2:
        return None
    try:
        drive = int(lun[:2], 16) - 0x80
    except ValueError:
        return None
    host = ctx.names.get((system, host_id))
    guest = ctx.names.get((system, guest_id))
    for n in ctx.nwsds.get((system, host), []):
        if n.guest_partition == guest or (present(n.guest_lpar_id) and int(n.guest_lpar_id) == guest_id):
            for s in ctx.spaces.get((system, host, n.nwsd), []):
                if present(s.drvseqnbr) and int(s.drvseqnbr) == drive:
                    return str(s.nwsstg)
    return None


def storage_needs(ctx: Context, system: str, lpar_id: int) -> list[Need]:
    """Every storage need of one guest, with its paths added to the graph."""
    name = ctx.names.get((system, lpar_id))
    ibmi = ctx.is_ibmi(system, lpar_id)
    units = ctx.units.get((system, name), []) if name else []
    clients = ctx.vscsi_clients.get((system, lpar_id), [])
    if units:
        return _unit_needs(ctx, system, lpar_id, units)
    servers = {_rid(a) for a in clients} | {_rid(a) for a in ctx.vfc_clients.get((system, lpar_id), [])}
    servers.discard(None)
    many = len(servers) > 1
    needs, blind = _vios_luns(ctx, system, lpar_id, ibmi, many)
    hosts = [(int(a.remote_lpar_id), int(a.slot_num)) for a in clients
             if present(a.remote_lpar_id) and ctx.is_ibmi(system, int(a.remote_lpar_id))]
    needs += _hosted(ctx, system, lpar_id, hosts, ibmi)
    needs += _npiv(ctx, system, lpar_id)
    strangers = [a for a in clients if not ctx.is_vios(system, _rid(a)) and not ctx.is_ibmi(system, _rid(a))]
    if blind or strangers:
        if not needs:
            nid = _need(ctx, system, lpar_id, "vscsi", f"{ctx.label(system, lpar_id)} virtual SCSI disks")
            needs = [(nid, "disk", "virtual SCSI disks")]
        for nid, _, _ in needs:
            for vios_id in blind:
                va = ctx.vadapter(system, lpar_id, _client_slot(ctx, system, lpar_id, vios_id), "vSCSI")
                ctx.b.edge(nid, va)
                vios = ctx.partition(system, vios_id, "nodata")
                ctx.b.edge(va, vios)
                ctx.b.edge(vios, ctx.b.unknown(f"no lsmap -all capture for {ctx.label(system, vios_id)}", system))
            for a in strangers:
                ctx.b.edge(nid, ctx.b.unknown(f"{ctx.label(system, lpar_id)} client slot {a.slot_num}: serving partition "
                                              f"{a.remote_lpar_id} not in the inventory", system))
    if not needs and system not in ctx.scsi_listed:
        nid = _need(ctx, system, lpar_id, "vscsi", f"{ctx.label(system, lpar_id)} virtual SCSI disks")
        ctx.b.edge(nid, ctx.b.unknown(f"virtual SCSI adapters of {system} not captured", system))
        needs = [(nid, "disk", "virtual SCSI disks")]
    return needs
