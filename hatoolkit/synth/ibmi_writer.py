"""Write an IBM i hosting partition's exports as the shipped SQL/CL produce them (hatoolkit/collect/ibmi).

Files go to `ibmi/<system>/<partition>/`: partition.csv, nwsds.csv, storage_spaces.csv and
save_history.csv, in CPYTOIMPF's style (header of column names, quoted text, IBM i timestamps
`YYYY-MM-DD-HH.MM.SS.ffffff` in the host's local time). The save log records the UTC offset of
each operation, as HATKSAV/HATKRST do; the partition export leaves IANA_TIME_ZONE empty unless
the estate sets one, so the bundle's plan.yaml `timezone` states the zone.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hatoolkit.synth.estate import IbmiHost, Lpar, System

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
    return {"partition.csv": partition, "nwsds.csv": nwsds, "storage_spaces.csv": spaces,
            "save_history.csv": _csv(HISTORY_COLUMNS, history)}


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
