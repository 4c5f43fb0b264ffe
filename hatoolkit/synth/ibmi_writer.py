"""Write an IBM i partition's exports as the shipped SQL/CL produce them (hatoolkit/collect/ibmi).

Files go to `ibmi/<system>/<partition>/`: partition.csv; for a hosting partition nwsds.csv,
storage_spaces.csv and save_history.csv; interfaces.csv and lines.csv, asps.csv, and for a guest
disk_units.csv, where the partition has them; in CPYTOIMPF's style (header of column names, quoted text, IBM i timestamps
`YYYY-MM-DD-HH.MM.SS.ffffff` in the host's local time). The save log records the UTC offset of
each operation, as HATKSAV/HATKRST do; the partition export leaves IANA_TIME_ZONE empty unless
the estate sets one, so the bundle's plan.yaml `timezone` states the zone.
"""

from __future__ import annotations

import csv
import io
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hatoolkit.synth.estate import IbmiHost, Lpar, System, hea_mac, veth_mac

PARTITION_COLUMNS = ["SYSTEM_NAME", "HOST_NAME", "PARTITION_NAME", "PARTITION_ID", "OS_NAME", "OS_VERSION",
                     "OS_RELEASE", "MACHINE_TYPE", "MACHINE_MODEL", "SERIAL_NUMBER", "QTIMZON", "QUTCOFFSET",
                     "IANA_TIME_ZONE", "EXPORT_TIMESTAMP"]
NWSD_COLUMNS = ["OBJNAME", "OBJTYPE", "OBJTEXT", "OBJCREATED", "CHANGE_TIMESTAMP", "SAVE_TIMESTAMP",
                "RESTORE_TIMESTAMP", "NWSD_TYPE", "RSRCNAME", "PARTITION", "PTNNBR"]
STORAGE_COLUMNS = ["NWSSTG", "PATH_NAME", "NWSSIZE", "ASP", "ASPDEV", "FORMAT", "NWSD", "DRVSEQNBR", "ACCESS",
                   "DYNAMIC", "DATA_CHANGE_TIMESTAMP", "CREATE_TIMESTAMP"]
HISTORY_COLUMNS = ["OPERATION", "NWSSTG", "SAVED_NWSSTG", "OBJECT", "OPERATION_TIMESTAMP", "END_TIMESTAMP",
                   "UTC_OFFSET", "SAVE_TIMESTAMP", "SAVE_UTC_OFFSET", "SAVACT", "SAVACTOPT", "DEVICE", "VOLUME",
                   "SOURCE_SYSTEM", "SYSTEM_NAME", "MESSAGE_ID", "STATUS"]

INTERFACE_COLUMNS = ["CONNECTION_TYPE", "INTERNET_ADDRESS", "NETWORK_ADDRESS", "SUBNET_MASK", "LINE_DESCRIPTION",
                     "INTERFACE_LINE_TYPE", "INTERFACE_STATUS", "VIRTUAL_LAN_ID", "AUTOSTART", "ALIAS_NAME",
                     "PROXY_ARP_ALLOWED", "PROXY_ARP_ENABLED", "PREFERRED_INTERFACE_LIST",
                     "PREFERRED_INTERFACE_DEFAULT_ROUTE", "PREFERRED_PHYSICAL_LINE_LIST", "CURRENT_PROXY_AGENT_LINE",
                     "CURRENT_PROXY_AGENT_LINE_VIRTUAL_LAN_ID", "ASSOCIATED_LOCAL_INTERFACE", "INTERFACE_TEXT"]
LINE_COLUMNS = ["LINE_DESCRIPTION", "LINE_TYPE", "RESOURCE_NAME", "AGGREGATE_RESOURCES", "RESOURCE_TYPE",
                "RESOURCE_STATUS", "LOCATION_CODE", "MAC_ADDRESS"]
ASP_COLUMNS = ["ASP_NUMBER", "DEVICE_DESCRIPTION_NAME", "ASP_TYPE", "ASP_STATE", "NUMBER_OF_DISK_UNITS",
               "GEOGRAPHIC_MIRROR_SESSION", "GEOGRAPHIC_MIRROR_ROLE", "GEOGRAPHIC_MIRROR_STATE",
               "GEOGRAPHIC_MIRROR_SYNCHRONIZATION_STATUS", "GEOGRAPHIC_MIRROR_TRANSMISSION_DELIVERY",
               "GEOGRAPHIC_MIRROR_SYNCHRONIZATION_PROGRESS", "MIRROR_COPY_NODE", "MIRROR_COPY_SERIAL_NUMBER"]
DISK_UNIT_COLUMNS = ["ASP_NUMBER", "UNIT_NUMBER", "RESOURCE_NAME", "SERIAL_NUMBER", "DISK_TYPE", "DISK_MODEL",
                     "RESOURCE_STATUS", "MULTIPLE_PATH_UNIT", "MIRRORED_UNIT_STATUS", "UNIT_STORAGE_CAPACITY",
                     "LOCATION_CODE"]


def ibm_ts(local: str | None) -> str:
    """`2026-11-24 22:00:00` -> `2026-11-24-22.00.00.000000` (CPYTOIMPF's rendering of a TIMESTAMP)."""
    if not local:
        return ""
    return datetime.fromisoformat(local).strftime("%Y-%m-%d-%H.%M.%S.%f")


def utc_offset(local: str | None, zone: str) -> str:
    """QUTCOFFSET as the host's clock had it at that local time (`+0100`)."""
    if not local:
        return ""
    aware = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))
    minutes = int(aware.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _csv(columns: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def _later(local: str, minutes: int) -> str:
    return (datetime.fromisoformat(local) + timedelta(minutes=minutes)).isoformat(sep=" ")


def export_texts(system: System, lpar: Lpar, host: IbmiHost, zone: str) -> dict[str, str]:
    """File name -> CSV text for one hosting partition."""
    machine_type, _, model = system.type_model.partition("-")
    partition = _csv(PARTITION_COLUMNS, [[
        host.system_name, f"{host.system_name.lower()}.example.com", lpar.name, lpar.id, "IBM i", host.version,
        host.release, machine_type, model, system.serial, host.qtimzon, utc_offset(host.exported, zone),
        host.iana_zone or "", ibm_ts(host.exported)]])
    nwsds = _csv(NWSD_COLUMNS, [[
        n.name, "*NWSD", f"Hosts {n.partition}", ibm_ts(n.created), ibm_ts(n.created), ibm_ts(n.saved), "",
        n.type, n.rsrcname, n.partition, n.ptn_id] for n in host.nwsds])
    spaces = _csv(STORAGE_COLUMNS, [[
        s.name, f"/QFPNWSSTG/{s.name}", s.size_mb, s.asp, s.aspdev or "*SYSBAS", s.format, s.nwsd or "*NONE",
        s.drive or "", "*UPDATE" if s.nwsd else "", "*NO" if s.nwsd else "", ibm_ts(s.changed), ibm_ts(s.created)]
        for s in host.spaces])
    history = []
    for op in host.history:
        end = _later(op.at, op.minutes)
        saved = op.saved if op.operation == "RST" else op.at
        history.append([
            op.operation, op.nwsstg, op.saved_nwsstg or "", f"/QFPNWSSTG/{op.saved_nwsstg or op.nwsstg}",
            ibm_ts(op.at), ibm_ts(end), utc_offset(op.at, zone), ibm_ts(saved), utc_offset(saved, zone),
            op.savact if op.operation == "SAV" else "", "*NWSSTG" if op.savact != "*NO" and op.operation == "SAV" else "",
            op.device, op.volume or "", op.source_system or host.system_name, host.system_name,
            ("CPC370E" if op.operation == "SAV" else "CPC370C") if op.ok else "CPF3838",
            "COMPLETED" if op.ok else "FAILED"])
    out = {"partition.csv": partition}
    if host.nwsds or host.spaces or host.history:
        out.update({"nwsds.csv": nwsds, "storage_spaces.csv": spaces, "save_history.csv": _csv(HISTORY_COLUMNS, history)})
    out.update(_redundancy_texts(system, lpar, host))
    return out


def _yes(flag: bool) -> str:
    return "YES" if flag else "NO"


def _vloc(system: System, lpar_id: int, slot: int) -> str:
    return f"U{system.type_model.replace('-', '.')}.{system.serial}-V{lpar_id}-C{slot}-T1"


def _redundancy_texts(system: System, lpar: Lpar, host: IbmiHost) -> dict[str, str]:
    """interfaces.csv, lines.csv, asps.csv and disk_units.csv, for what the partition has."""
    out: dict[str, str] = {}
    if host.interfaces:
        out["interfaces.csv"] = _csv(INTERFACE_COLUMNS, [[
            "IPV4", i.address, "", i.mask, i.line, "VIRTUALIP" if i.line == "*VIRTUALIP" else i.line_type, i.status,
            i.vlan if i.vlan is not None else "NONE", "YES", "", _yes(i.proxy_arp_allowed), _yes(i.proxy_arp_enabled),
            i.separator.join(i.preferred), "NO" if i.preferred else "", "", i.current_line or ("*NONE" if i.preferred
                                                                                                  else ""),
            "", i.associated, ""] for i in host.interfaces])
    if host.lines:
        unit = f"U78D3.001.{system.serial}"
        rows = []
        for ln in host.lines:
            location, mac, rtype = "", "", "2878"
            if ln.virtual_slot is not None:
                veth = next(a for a in lpar.veths if a.slot == ln.virtual_slot)
                location, mac, rtype = _vloc(system, lpar.id, ln.virtual_slot), veth_mac(lpar, veth), "268C"
            elif ln.hea_logical_port is not None:
                port = next(p for p in system.hea_ports if p.lpar_id == lpar.id and p.logical_port == ln.hea_logical_port)
                mac, rtype = hea_mac(port), "181A"
            elif ln.card is not None:
                location = f"{unit}-P1-{ln.card}-T{ln.port}"
                mac = f"40F2E9{zlib.crc32(f'{system.serial}/{ln.card}/{ln.port}'.encode()) % 0xFFFFFF:06X}"
            rows.append([ln.name, "ETH", "*AGG" if ln.aggregate else ln.resource, " ".join(ln.aggregate), rtype,
                         "OPERATIONAL", location, mac])
        out["lines.csv"] = _csv(LINE_COLUMNS, rows)
    if host.asps:
        out["asps.csv"] = _csv(ASP_COLUMNS, [[
            a.number, a.device or "", a.asp_type, a.state, a.units, a.session or "", a.role or "", a.session_state or "",
            a.sync_status or "", f"*{a.delivery}" if a.delivery else "", "" if a.progress is None else a.progress,
            a.copy_node or "", a.copy_serial or ""] for a in host.asps])
    if host.disk_units:
        out["disk_units.csv"] = _csv(DISK_UNIT_COLUMNS, [[
            d.asp, d.unit, d.resource, d.serial, "6B22", "050", "ACTIVE", "NO", "ACTIVE" if d.mirrored else "",
            d.capacity_mb * 2**20, f"{_vloc(system, lpar.id, d.client_slot)}-L{0x80 + d.lun:02X}00000000000000"]
            for d in host.disk_units])
    return out


def write_ibmi(system: System, out: Path, zone: str) -> list[Path]:
    """Write the exports of every hosting partition of `system` that has IBM i data."""
    written = []
    for lpar in system.lpars:
        if lpar.ibmi is None:
            continue
        folder = out / "ibmi" / system.name / lpar.name
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in export_texts(system, lpar, lpar.ibmi, zone).items():
            path = folder / name
            path.write_bytes(text.encode("utf-8"))
            written.append(path)
    return written
