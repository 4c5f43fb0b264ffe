"""IBM i exports (hatoolkit/collect/ibmi) -> frames ibmi_partitions, nwsds, storage_spaces, save_events.

Files are claimed by header (ingest/ibmi_csv.py). The host an export describes is named by the
bundle layout `ibmi/<system>/<partition>/*.csv`; anywhere else, by the partition export in the
same folder (its SERIAL_NUMBER is resolved to the managed system through the HMC captures, its
PARTITION_NAME is the partition). Local timestamps are placed in the host's zone, decided per
host in this order: the IANA_TIME_ZONE column of its partition export; the `timezone` of the
bundle's plan.yaml (the estate's zone, stated by the analyst); the QUTCOFFSET the host reported
(a fixed offset: exact except across a DST change, so it is a gap); else the times are unusable.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hatoolkit.ingest import values as conv
from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.ibmi_csv import (
    CsvKind,
    Export,
    Zone,
    local_to_utc,
    offset_disagrees,
    parse_local,
    parse_offset,
    plan_zone,
    read_export,
    register,
)

PARTITION = register(CsvKind(
    "partition", frozenset({"PARTITION_NAME", "OS_VERSION", "OS_RELEASE"}),
    ("SYSTEM_NAME", "HOST_NAME", "PARTITION_NAME", "PARTITION_ID", "OS_NAME", "OS_VERSION", "OS_RELEASE",
     "MACHINE_TYPE", "MACHINE_MODEL", "SERIAL_NUMBER", "QTIMZON", "QUTCOFFSET", "IANA_TIME_ZONE",
     "EXPORT_TIMESTAMP"),
    "identity, release and clock of the IBM i partition the exports come from"))
NWSDS = register(CsvKind(
    "nwsds", frozenset({"OBJNAME", "RSRCNAME", "PARTITION"}),
    ("OBJNAME", "OBJTYPE", "OBJTEXT", "OBJCREATED", "CHANGE_TIMESTAMP", "SAVE_TIMESTAMP", "RESTORE_TIMESTAMP",
     "NWSD_TYPE", "RSRCNAME", "PARTITION", "PTNNBR"),
    "network server descriptions (*NWSD) and the partition each serves"))
STORAGE_SPACES = register(CsvKind(
    "storage_spaces", frozenset({"NWSSTG", "DRVSEQNBR"}),
    ("NWSSTG", "PATH_NAME", "NWSSIZE", "DATA_SIZE", "ASP", "ASPDEV", "FORMAT", "NWSD", "DRVSEQNBR", "ACCESS",
     "DYNAMIC", "DATA_CHANGE_TIMESTAMP", "CREATE_TIMESTAMP"),
    "network server storage spaces and their links"))
SAVE_HISTORY = register(CsvKind(
    "save_history", frozenset({"OPERATION", "NWSSTG", "OPERATION_TIMESTAMP"}),
    ("OPERATION", "NWSSTG", "SAVED_NWSSTG", "OBJECT", "OPERATION_TIMESTAMP", "END_TIMESTAMP", "UTC_OFFSET",
     "SAVE_TIMESTAMP", "SAVE_UTC_OFFSET", "SAVACT", "SAVACTOPT", "DEVICE", "VOLUME", "SOURCE_SYSTEM", "SYSTEM_NAME",
     "MESSAGE_ID", "STATUS"),
    "SAV/RST operations on storage spaces, logged by HATKSAV/HATKRST"))

PIECE = "ibmi"


def read_file(path: Path, rel: str, gaps: GapLog) -> Export | None:
    return read_export(path, rel, gaps)


class _Host:
    """What is known of one exporting host while its exports are parsed."""

    def __init__(self, system: str, partition: str, zone: Zone, exports: list[Export], gaps: GapLog) -> None:
        self.system, self.partition, self.zone, self.exports, self.gaps = system, partition, zone, exports, gaps

    def values(self, exp: Export, column: str, kind: str) -> pd.Series:
        parsed = conv.CONVERTERS[kind](exp.column(column))
        for i in np.flatnonzero(parsed.bad):
            self.gaps.add("bad_value", f"{column}={exp.rows[column].iat[i]!r} is not a valid {kind}; treated as missing",
                          file=exp.file, line=int(exp.lines[i]), system=self.system)
        return parsed.values.reset_index(drop=True)

    def times(self, exp: Export, column: str, offset_column: str | None = None) -> pd.Series:
        naive, bad = parse_local(exp.column(column))
        for i in np.flatnonzero(bad):
            self.gaps.add("bad_value", f"{column}={exp.rows[column].iat[i]!r} is not a timestamp; treated as missing",
                          file=exp.file, line=int(exp.lines[i]), system=self.system)
        offsets = None
        if offset_column and offset_column in exp.rows.columns:
            offsets, bad_off = parse_offset(exp.rows[offset_column])
            for i in np.flatnonzero(bad_off):
                self.gaps.add("bad_value", f"{offset_column}={exp.rows[offset_column].iat[i]!r} is not a UTC offset "
                              "(+HHMM)", file=exp.file, line=int(exp.lines[i]), system=self.system)
            for i in np.flatnonzero(offset_disagrees(naive, self.zone, offsets)):
                self.gaps.add("time_zone", f"{column}: recorded {offset_column}={exp.rows[offset_column].iat[i]} is "
                              f"not an offset of {self.zone.name} at that time; the recorded offset was used",
                              file=exp.file, line=int(exp.lines[i]), system=self.system, severity="low")

        def problem(i: int, message: str) -> None:
            self.gaps.add("local_time", message, file=exp.file, line=int(exp.lines[i]), system=self.system)

        return local_to_utc(naive, self.zone, offsets, problem, column)

    def base(self, exp: Export) -> dict[str, Any]:
        n = len(exp.rows)
        return {"system": [self.system] * n, "partition": [self.partition] * n,
                "source": [exp.where(i) for i in range(n)], "time_zone": [self.zone.name] * n}


def _first(exp: Export | None, column: str) -> str | None:
    if exp is None or exp.rows.empty or column not in exp.rows.columns:
        return None
    value = exp.rows[column].iat[0]
    return None if pd.isna(value) or not str(value).strip() else str(value).strip()


def _serial_map(systems: pd.DataFrame | None) -> dict[str, str]:
    """Managed-system serial number -> system name, from the systems assembled before (HMC, REST...)."""
    serials: dict[str, str] = {}
    if systems is None or systems.empty or "serial_num" not in systems.columns:
        return serials
    for name, serial in zip(systems["system"], systems["serial_num"], strict=False):
        if isinstance(name, str) and isinstance(serial, str):
            serials[serial.strip().upper()] = name
    return serials


def _identity(folder: str, exports: list[Export], serials: dict[str, str], gaps: GapLog) -> tuple[str, str] | None:
    parts = folder.split("/")
    part_exp = next((e for e in exports if e.kind == "partition"), None)
    named = _first(part_exp, "PARTITION_NAME")
    if parts[0] == "ibmi" and len(parts) >= 3:
        system, partition = parts[1], parts[2]
        if named and named != partition:
            gaps.add("recognition", f"folder says partition {partition!r}, the export says {named!r}; the folder "
                     "name was used", file=part_exp.file if part_exp else None, system=system)
        return system, partition
    serial = _first(part_exp, "SERIAL_NUMBER")
    system = serials.get(serial.upper()) if serial else None
    if named and system:
        return system, named
    files = ", ".join(e.file for e in exports)
    gaps.add("unknown_system", "cannot tell which managed system and partition these IBM i exports are from "
             "(put them under ibmi/<system>/<partition>/, or include the partition export with a SERIAL_NUMBER "
             f"known from the HMC captures); not used: {files}", file=exports[0].file)
    return None


def _zone(host_exp: Export | None, plan_tz: Zone | None, system: str, gaps: GapLog) -> Zone:
    where = host_exp.file if host_exp is not None else None
    stated = _first(host_exp, "IANA_TIME_ZONE")
    zone = Zone.iana(stated) if stated else None
    if stated and zone is None:
        gaps.add("time_zone", f"IANA_TIME_ZONE={stated!r} is not an IANA zone name", file=where, line=2, system=system)
    zone = zone or plan_tz
    offset = None
    if host_exp is not None and "QUTCOFFSET" in host_exp.rows.columns and not host_exp.rows.empty:
        minutes, bad = parse_offset(host_exp.rows["QUTCOFFSET"].head(1))
        offset = None if bad[0] or pd.isna(minutes.iat[0]) else int(minutes.iat[0])
    exported = _first(host_exp, "EXPORT_TIMESTAMP")
    if zone is not None and offset is not None and exported:
        naive, bad = parse_local(pd.Series([exported], dtype="str"))
        if not bad[0] and not naive.isna()[0]:
            at = naive.tz_localize(zone.tz, ambiguous=np.array([True]), nonexistent="NaT")
            actual = None if at.isna()[0] else int(at[0].utcoffset().total_seconds() // 60)
            if actual is not None and actual != offset:
                gaps.add("time_zone", f"zone {zone.name} is UTC{actual / 60:+g} at export time but the system reported "
                         f"QUTCOFFSET UTC{offset / 60:+g}; check the zone (IANA_TIME_ZONE or plan.yaml timezone)",
                         file=where, line=2, system=system)
    if zone is not None:
        return zone
    if offset is not None:
        fixed = Zone.offset(offset)
        gaps.add("time_zone", f"no time zone stated for this host (IANA_TIME_ZONE or plan.yaml timezone); local times "
                 f"read at the fixed QUTCOFFSET {fixed.name}, wrong by one hour across a DST change",
                 file=where, line=2, system=system)
        return fixed
    gaps.add("time_zone", "no time zone stated for this IBM i host and no QUTCOFFSET exported; its local timestamps "
             "cannot be placed in time and are not used", file=where, system=system)
    return Zone(None)


def assemble(pieces: list[object], systems: pd.DataFrame | None, root: Path, gaps: GapLog) -> dict[str, pd.DataFrame]:
    """Frames from every IBM i export of the bundle, grouped by the host folder they came from."""
    by_folder: dict[str, list[Export]] = defaultdict(list)
    for piece in pieces:
        if isinstance(piece, Export):
            by_folder[piece.folder].append(piece)
    if not by_folder:
        return {}
    serials = _serial_map(systems)
    stated_zone = plan_zone(root, gaps, "IBM i times")
    out: dict[str, list[pd.DataFrame]] = defaultdict(list)
    for folder in sorted(by_folder):
        exports = by_folder[folder]
        ident = _identity(folder, exports, serials, gaps)
        if ident is None:
            continue
        part_exp = next((e for e in exports if e.kind == "partition"), None)
        host = _Host(ident[0], ident[1], _zone(part_exp, stated_zone, ident[0], gaps), exports, gaps)
        out["ibmi_partitions"].append(_partition_frame(host, part_exp))
        for exp in exports:
            build = _BUILDERS.get(exp.kind)
            if build is not None:
                name, frame = build(host, exp)
                out[name].append(frame)
    return {name: pd.concat(parts, ignore_index=True) for name, parts in out.items() if parts}


def _partition_frame(host: _Host, exp: Export | None) -> pd.DataFrame:
    row: dict[str, Any] = {"system": host.system, "partition": host.partition, "time_zone": host.zone.name,
                           "exports": tuple(sorted({e.kind for e in host.exports}))}
    if exp is None or exp.rows.empty:
        row["source"] = None
        frame = pd.DataFrame([row])
        return frame.astype({c: "str" for c in ("system", "partition", "time_zone", "source")})
    one = Export(exp.file, exp.kind, exp.rows.head(1), exp.lines[:1])
    row["source"] = one.where(0)
    frame = pd.DataFrame([row]).astype({c: "str" for c in ("system", "partition", "time_zone", "source")})
    frame["lpar_id"] = host.values(one, "PARTITION_ID", "int")
    for column, name in (("SYSTEM_NAME", "system_name"), ("HOST_NAME", "host_name"), ("SERIAL_NUMBER", "serial_num"),
                         ("QTIMZON", "qtimzon")):
        frame[name] = host.values(one, column, "text")
    # ENV_SYS_INFO spells the release as '7' and '4'; some tools write 'V7' / 'R4M0'.
    frame["os_version"] = host.values(Export(one.file, one.kind, one.rows.assign(
        OS_VERSION=one.column("OS_VERSION").str.upper().str.lstrip("V")), one.lines), "OS_VERSION", "int")
    frame["os_release"] = host.values(Export(one.file, one.kind, one.rows.assign(
        OS_RELEASE=one.column("OS_RELEASE").str.upper().str.lstrip("R").str.replace(r"M\d+$", "", regex=True)),
        one.lines), "OS_RELEASE", "int")
    mt, mm = host.values(one, "MACHINE_TYPE", "text"), host.values(one, "MACHINE_MODEL", "text")
    frame["type_model"] = (mt + "-" + mm).where(mt.notna() & mm.notna(), mt)
    offsets, _ = parse_offset(one.column("QUTCOFFSET"))
    frame["utc_offset_min"] = offsets.reset_index(drop=True)
    frame["exported_at"] = host.times(one, "EXPORT_TIMESTAMP")
    return frame


def _nwsd_frame(host: _Host, exp: Export) -> tuple[str, pd.DataFrame]:
    rows = exp.rows
    keep = np.ones(len(rows), dtype=bool)
    if "OBJTYPE" in rows.columns:
        keep &= ~(rows["OBJTYPE"].fillna("*NWSD").str.upper().str.strip() != "*NWSD").to_numpy(dtype=bool)
    frame = pd.DataFrame(host.base(exp))
    frame["nwsd"] = host.values(exp, "OBJNAME", "name")
    frame["nwsd_type"] = host.values(exp, "NWSD_TYPE", "text")
    frame["rsrcname"] = host.values(exp, "RSRCNAME", "text")
    frame["guest_partition"] = host.values(exp, "PARTITION", "name").str.strip("'")
    frame["guest_partition"] = frame["guest_partition"].where(~frame["guest_partition"].isin(("*NONE", "")))
    frame["guest_lpar_id"] = host.values(exp, "PTNNBR", "int")
    frame["text"] = host.values(exp, "OBJTEXT", "text")
    frame["created_at"] = host.times(exp, "OBJCREATED")
    frame["changed_at"] = host.times(exp, "CHANGE_TIMESTAMP")
    frame["saved_at"] = host.times(exp, "SAVE_TIMESTAMP")
    frame["restored_at"] = host.times(exp, "RESTORE_TIMESTAMP")
    return "nwsds", _required(frame[keep].reset_index(drop=True), ["nwsd"], exp, host)


def _storage_frame(host: _Host, exp: Export) -> tuple[str, pd.DataFrame]:
    frame = pd.DataFrame(host.base(exp))
    frame["nwsstg"] = host.values(exp, "NWSSTG", "name")
    frame["path"] = host.values(exp, "PATH_NAME", "text")
    size = host.values(exp, "NWSSIZE", "int")
    data_bytes = host.values(exp, "DATA_SIZE", "int")
    frame["size_mb"] = size.where(size.notna(), (data_bytes.astype("Float64") / 2**20).round().astype("Int64"))
    frame["asp"] = host.values(exp, "ASP", "int")
    frame["aspdev"] = host.values(exp, "ASPDEV", "text")
    frame["aspdev"] = frame["aspdev"].where(~frame["aspdev"].str.upper().isin(("*SYSBAS", "*NONE")))
    frame["format"] = host.values(exp, "FORMAT", "text")
    nwsd = host.values(exp, "NWSD", "text")
    frame["nwsd"] = nwsd.where(~nwsd.str.upper().isin(("*NONE",)))
    frame["drvseqnbr"] = host.values(exp, "DRVSEQNBR", "int")
    frame["access"] = host.values(exp, "ACCESS", "text")
    dynamic = exp.column("DYNAMIC").str.strip().str.lstrip("*")  # ADDNWSSTGL spells it *YES / *NO
    frame["dynamic"] = host.values(Export(exp.file, exp.kind, exp.rows.assign(DYNAMIC=dynamic), exp.lines),
                                   "DYNAMIC", "bool")
    frame["data_changed_at"] = host.times(exp, "DATA_CHANGE_TIMESTAMP")
    frame["created_at"] = host.times(exp, "CREATE_TIMESTAMP")
    return "storage_spaces", _required(frame, ["nwsstg"], exp, host)


def _save_frame(host: _Host, exp: Export) -> tuple[str, pd.DataFrame]:
    frame = pd.DataFrame(host.base(exp))
    op = host.values(exp, "OPERATION", "text").str.upper()
    bad_op = op.notna() & ~op.isin(("SAV", "RST"))
    for i in np.flatnonzero(bad_op.to_numpy(dtype=bool)):
        host.gaps.add("bad_value", f"OPERATION={op.iat[i]!r} is neither SAV nor RST; row not used", file=exp.file,
                      line=int(exp.lines[i]), system=host.system)
    frame["operation"] = op.where(~bad_op)
    frame["nwsstg"] = host.values(exp, "NWSSTG", "name")
    saved_name = host.values(exp, "SAVED_NWSSTG", "name")
    frame["saved_nwsstg"] = saved_name.where(saved_name.notna(), frame["nwsstg"])
    frame["object_path"] = host.values(exp, "OBJECT", "text")
    frame["started_at"] = host.times(exp, "OPERATION_TIMESTAMP", "UTC_OFFSET")
    frame["ended_at"] = host.times(exp, "END_TIMESTAMP", "UTC_OFFSET")
    saved = host.times(exp, "SAVE_TIMESTAMP", "SAVE_UTC_OFFSET" if "SAVE_UTC_OFFSET" in exp.rows.columns else "UTC_OFFSET")
    # A SAV row's save point is its start unless the log says otherwise; a RST row must say which copy.
    frame["saved_at"] = saved.where(saved.notna() | (frame["operation"] != "SAV"), frame["started_at"])
    savact = host.values(exp, "SAVACT", "text").str.upper()
    savact = savact.where(savact.isna() | savact.str.startswith("*"), "*" + savact)
    bad_act = savact.notna() & ~savact.isin(("*NO", "*YES", "*SYNC", "*SYSDFN"))
    for i in np.flatnonzero(bad_act.to_numpy(dtype=bool)):
        host.gaps.add("bad_value", f"SAVACT={savact.iat[i]!r} is not a SAV SAVACT value; treated as missing",
                      file=exp.file, line=int(exp.lines[i]), system=host.system)
    frame["save_active"] = savact.where(~bad_act)
    frame["save_active_opt"] = host.values(exp, "SAVACTOPT", "text")
    frame["device"] = host.values(exp, "DEVICE", "text")
    frame["volume"] = host.values(exp, "VOLUME", "text")
    frame["source_system"] = host.values(exp, "SOURCE_SYSTEM", "text")
    message = host.values(exp, "MESSAGE_ID", "text").str.upper()
    status = host.values(exp, "STATUS", "text").str.upper()
    ok = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    ok = ok.mask(message.str.startswith("CPC").fillna(False), True).mask(message.str.startswith("CPF").fillna(False), False)
    ok = ok.mask(status.isin(("COMPLETED", "OK", "SUCCESS")), True).mask(status.isin(("FAILED", "ERROR")), False)
    frame["succeeded"] = ok
    frame["message_id"] = message
    missing_point = (frame["operation"] == "RST") & frame["saved_at"].isna() & ok.fillna(True).astype(bool)
    for i in np.flatnonzero(missing_point.to_numpy(dtype=bool)):
        host.gaps.add("bad_value", "RST row without SAVE_TIMESTAMP: which save was restored is unknown",
                      file=exp.file, line=int(exp.lines[i]), system=host.system)
    # A SAV whose time could not be read says nothing about any copy: drop it (its time problem is a gap).
    raw_time = exp.column("OPERATION_TIMESTAMP").fillna("").str.strip().reset_index(drop=True)
    no_point = ((frame["operation"] == "SAV") & frame["saved_at"].isna()).to_numpy(dtype=bool)
    for i in np.flatnonzero(no_point & (raw_time == "").to_numpy(dtype=bool)):
        host.gaps.add("unparseable", "SAV row without OPERATION_TIMESTAMP; row not used", file=exp.file,
                      line=int(exp.lines[i]), system=host.system)
    frame = frame[~no_point].reset_index(drop=True)
    keep_lines = exp.lines[~no_point]
    exp = Export(exp.file, exp.kind, exp.rows[~no_point].reset_index(drop=True), keep_lines)
    return "save_events", _required(frame, ["operation", "nwsstg"], exp, host,
                                    bad_op.to_numpy(dtype=bool)[~no_point])


def _required(frame: pd.DataFrame, columns: list[str], exp: Export, host: _Host,
              noted: np.ndarray | None = None) -> pd.DataFrame:
    """Rows missing a key value are dropped, each with a gap naming its line (unless already reported)."""
    missing = frame[columns].isna().any(axis=1).to_numpy(dtype=bool)
    for i in np.flatnonzero(missing & ~(noted if noted is not None else np.zeros(len(frame), dtype=bool))):
        host.gaps.add("unparseable", f"{exp.kind} row lacks {'/'.join(columns)}; row not used", file=exp.file,
                          line=int(exp.lines[i]), system=host.system)
    return frame[~missing].reset_index(drop=True)


_BUILDERS = {"nwsds": _nwsd_frame, "storage_spaces": _storage_frame, "save_history": _save_frame}

# Exports for network and storage redundancy (interfaces, lines, ASPs, guest disk units): ingest/ibmi_ha.py.
from hatoolkit.ingest import ibmi_ha  # noqa: E402

_BUILDERS.update(ibmi_ha.BUILDERS)
