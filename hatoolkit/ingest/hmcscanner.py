"""HMC Scanner workbooks (.xls / .xlsx): the field consultant's usual deliverable, as Inventory frames.

HMC Scanner (IBM, vagnini) runs the HMC commands itself and writes one sheet per concern, with
human column titles ("Curr Ent", "Act GB"), memory in GB, IDs as floats (`8.0`), a title block
above some tables and the managed system named per row (or, on Virtual_Ethernet, by a title
row). Each table below maps a sheet column to the Inventory column and value type; the header
row is found by its titles wherever it sits, and a table ends at the first blank row.

What a workbook cannot carry (it leaves out the page-table ratio of running partitions, pool
IDs of partitions, MSP flags...) is reported once per frame as a `source_gap`, never filled
with a default. The Header sheet (scanner version, generation date and time, HMC) is recorded as
the file's provenance in `Inventory.files.commands`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hatoolkit.errors import IngestError
from hatoolkit.ingest import values as conv
from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.hmcscanner_usage import is_usage_sheet
from hatoolkit.model.inventory import FRAME_MODELS

MB_PER_GB = 1024
# sheet -> (frame, {title: (column, kind)}); kind "gb" = GB -> MB int, "id" = float ID -> int.
SHEETS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "System_Summary": ("systems", {
        "Managed System": ("system", "name"), "Status": ("state", "text"), "Type Model": ("type_model", "text"),
        "Serial": ("serial_num", "text"), "Tot Cores": ("installed_sys_proc_units", "float"),
        "Act Cores": ("configurable_sys_proc_units", "float"), "Deconf Cores": ("deconfig_sys_proc_units", "float"),
        "Curr Avail Cores": ("curr_avail_sys_proc_units", "float"),
        "Pend Avail Cores": ("pend_avail_sys_proc_units", "float"), "Tot GB": ("installed_sys_mem_mb", "gb"),
        "Act GB": ("configurable_sys_mem_mb", "gb"), "Deconf GB": ("deconfig_sys_mem_mb", "gb"),
        "Firm GB": ("sys_firmware_mem_mb", "gb"), "Curr Avail GB": ("curr_avail_sys_mem_mb", "gb"),
        "Pend Avail GB": ("pend_avail_sys_mem_mb", "gb")}),
    "LPAR_Summary": ("partitions", {
        "Name": ("name", "name"), "ID": ("lpar_id", "id"), "Status": ("state", "text"),
        "Environment": ("lpar_env", "text"), "OS Version": ("os_version", "text"),
        "Proc mode": ("curr_lpar_proc_compat_mode", "text"), "RMC IP": ("rmc_ipaddr", "text"),
        "RMC State": ("rmc_state", "text"), "Default profile": ("default_profile", "name"),
        "Current profile": ("curr_profile", "name"), "Migration disabled": ("migration_disabled", "bool"),
        "Suspend capable": ("suspend_capable", "bool"), "Remote restart capable": ("remote_restart_capable", "bool"),
        "Simplified remote restart capable": ("simplified_remote_restart_capable", "bool"),
        "Managed System Name": ("system", "name")}),
    "LPAR_CPU": ("partitions", {
        "Name": ("name", "name"), "Mode": ("curr_proc_mode", "text"), "Min CPU": ("curr_min_procs", "id"),
        "Curr CPU": ("curr_procs", "id"), "Max CPU": ("curr_max_procs", "id"), "Min Ent": ("curr_min_proc_units", "float"),
        "Curr Ent": ("curr_proc_units", "float"), "Max Ent": ("curr_max_proc_units", "float"),
        "Weight": ("curr_uncap_weight", "id"), "Sharing Mode": ("curr_sharing_mode", "text"),
        "Managed System Name": ("system", "name")}),
    "LPAR_MEM": ("partitions", {
        "Name": ("name", "name"), "Mode": ("mem_mode", "text"), "Min GB": ("curr_min_mem_mb", "gb"),
        "Curr GB": ("curr_mem_mb", "gb"), "Max GB": ("curr_max_mem_mb", "gb"), "Managed System Name": ("system", "name")}),
    "LPAR_Profiles": ("profiles", {
        "Lpar Name": ("lpar_name", "name"), "Profile Name": ("profile", "name"), "ID": ("lpar_id", "id"),
        "Env": ("lpar_env", "text"), "MinMem": ("min_mem_mb", "gb"), "DesMem": ("desired_mem_mb", "gb"),
        "MaxMem": ("max_mem_mb", "gb"), "MinHugePages": ("min_num_huge_pages", "id"),
        "DesHugePages": ("desired_num_huge_pages", "id"), "MaxHugePages": ("max_num_huge_pages", "id"),
        "MemMode": ("mem_mode", "text"), "HPT_ratio": ("hpt_ratio", "hpt"), "ProcMode": ("proc_mode", "text"),
        "MinEnt": ("min_proc_units", "float"), "DesEnt": ("desired_proc_units", "float"),
        "MaxEnt": ("max_proc_units", "float"), "MinProc": ("min_procs", "id"), "DesProc": ("desired_procs", "id"),
        "Maxproc": ("max_procs", "id"), "ShMode": ("sharing_mode", "text"), "Weight": ("uncap_weight", "id"),
        "ProcPoolID": ("shared_proc_pool_id", "id"), "ProcPoolName": ("shared_proc_pool_name", "text"),
        "BootMode": ("boot_mode", "text"), "AutoStart": ("auto_start", "bool"), "BSR_arrays": ("bsr_arrays", "id"),
        "ProcCompat": ("lpar_proc_compat_mode", "text"), "ErrReporting": ("redundant_err_path_reporting", "bool"),
        "Managed System Name": ("system", "name")}),
    "Physical_Slots": ("io_slots", {
        "LPAR": ("lpar_name", "name"), "Adapter description": ("description", "text"), "Location": ("drc_name", "text"),
        "drc_index": ("drc_index", "name"), "Managed System Name": ("system", "name")}),
    "Virtual_SCSI": ("virtual_scsi", {
        "LPAR name": ("lpar_name", "name"), "Slot": ("slot_num", "id"), "State": ("state", "onoff"),
        "Required": ("is_required", "bool"), "Type": ("adapter_type", "text"), "Remote LPAR": ("remote_lpar_name", "name"),
        "Remote Slot": ("remote_slot_num", "id"), "Managed System Name": ("system", "name")}),
    "Virtual_Fibre": ("virtual_fc", {
        "LPAR name": ("lpar_name", "name"), "Slot": ("slot_num", "id"), "State": ("state", "onoff"),
        "Required": ("is_required", "bool"), "Type": ("adapter_type", "text"), "Remote LPAR": ("remote_lpar_name", "name"),
        "Remote Slot": ("remote_slot_num", "id"), "WWPN #1": ("_wwpn1", "text"), "WWPN #2": ("_wwpn2", "text"),
        "Managed System Name": ("system", "name")}),
    "Virtual_Ethernet": ("virtual_eth", {
        "LPAR name": ("lpar_name", "name"), "Slot": ("slot_num", "id"), "State": ("state", "onoff"),
        "Required": ("is_required", "bool"), "Trunk": ("is_trunk", "bool"), "Trunk Priority": ("trunk_priority", "id"),
        "MAC Addresss": ("mac_addr", "text"), "Virtual Switch": ("vswitch", "text"),
        "Port VLAN id": ("port_vlan_id", "id"), "IEEE VLAN ids": ("addl_vlan_ids", "vlans")}),
}
_KEY_TITLES = {"System_Summary": ("Managed System", "Act Cores"), "Virtual_Ethernet": ("LPAR name", "Port VLAN id")}
# Sheets of the VIOS side (read by hmcscanner_vios into the VIOS frames; FC has no frame and is only noted).
VIOS_SHEETS: tuple[str, ...] = ("VSCSI_Map", "SEA", "VIOS disks", "FC")


@dataclass
class Workbook:
    """The sheets of one workbook as lists of string rows, plus its Header sheet."""

    file: str
    sheets: dict[str, list[list[str]]]
    header: dict[str, str] = field(default_factory=dict)

    @property
    def provenance(self) -> str:
        h = self.header
        parts = [f"HMC Scanner {h.get('HMC Scanner Version', '?')}",
                 f"generated {h.get('Generation Date', '?')} {h.get('Generation Time', '')}".rstrip(),
                 f"{h.get('Manager Type', 'HMC')} {h.get('Manager Name', '?')}"]
        return "; ".join(parts)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_workbook(path: Path, rel: str) -> Workbook:
    """Load every sheet that hatoolkit maps (and Header) as text rows; IngestError if unreadable."""
    wanted = set(SHEETS) | set(VIOS_SHEETS) | {"Header"}
    sheets: dict[str, list[list[str]]] = {}
    try:
        if path.suffix.lower() == ".xls":
            import xlrd

            book = xlrd.open_workbook(str(path), on_demand=True)
            for name in book.sheet_names():
                if name in wanted or is_usage_sheet(name):
                    sheet = book.sheet_by_name(name)
                    sheets[name] = [[_cell_text(sheet.cell_value(r, c)) for c in range(sheet.ncols)]
                                    for r in range(sheet.nrows)]
            book.release_resources()
        else:
            import openpyxl

            book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
            for name in book.sheetnames:
                if name in wanted or is_usage_sheet(name):
                    sheets[name] = [[_cell_text(v) for v in row] for row in book[name].iter_rows(values_only=True)]
            book.close()
    except Exception as exc:  # xlrd/openpyxl raise many types for a damaged or foreign file
        raise IngestError(f"not a readable workbook ({type(exc).__name__}: {exc})", file=rel) from None
    header = {r[0]: r[1] for r in sheets.pop("Header", []) if len(r) >= 2 and r[0]}
    return Workbook(rel, sheets, header)


def is_scanner(book: Workbook) -> bool:
    return "HMC Scanner Version" in book.header or {"System_Summary", "LPAR_Summary"} <= set(book.sheets)


def tables(book: Workbook, sheet: str, keys: tuple[str, ...] | None = None
           ) -> Iterator[tuple[int, list[str], list[tuple[int, list[str]]], str | None]]:
    """(header row number, titles, [(row number, cells)], title-row system) for each table in a sheet.

    A header row is one holding the sheet's key titles (`keys`, else the sheet's own); its table runs
    to the first blank row. A row with only its first cell set, above a table, names the managed
    system (Virtual_Ethernet layout).
    """
    rows = book.sheets.get(sheet, [])
    keys = keys or _KEY_TITLES.get(sheet, tuple(SHEETS[sheet][1])[:2])
    system: str | None = None
    i = 0
    while i < len(rows):
        row = rows[i]
        filled = [c for c in row if c]
        if len(filled) == 1 and row[0] and i + 1 < len(rows) and not any(rows[i + 1]):
            system = row[0]
        if all(k in row for k in keys):
            body = []
            j = i + 1
            while j < len(rows) and any(rows[j]):
                body.append((j + 1, rows[j]))
                j += 1
            yield i + 1, row, body, system
            i = j
        i += 1


def sheet_rows(book: Workbook, sheet: str, gaps: GapLog) -> list[dict[str, str | None]]:
    """Raw rows of a sheet renamed to Inventory columns (GB and float IDs converted to CLI text)."""
    _, mapping = SHEETS[sheet]
    out = []
    for _, titles, body, system in tables(book, sheet):
        index = {t: n for n, t in enumerate(titles) if t}
        for line, cells in body:
            row: dict[str, str | None] = {"source": f"{book.file}:{sheet}!{line}"}
            if system and "Managed System Name" not in index:
                row["system"] = system
            for title, (column, kind) in mapping.items():
                if title not in index:
                    continue
                raw = cells[index[title]] if index[title] < len(cells) else ""
                row[column] = _convert(raw, kind, sheet, title, line, book.file, gaps)
            out.append(row)
    return out


def _convert(raw: str, kind: str, sheet: str, title: str, line: int, file: str, gaps: GapLog) -> str | None:
    text = raw.strip()
    if text in ("", "N/A", "null"):
        return None
    try:
        if kind == "gb":
            mb = float(text) * MB_PER_GB
            if abs(mb - round(mb)) > 1e-6:
                raise ValueError(text)
            return str(round(mb))
        if kind == "id":
            number = float(text)
            if not number.is_integer():
                raise ValueError(text)
            return str(int(number))
        if kind == "onoff":
            return {"on": "1", "off": "0"}.get(text.lower(), text)
        if kind == "vlans":
            return ",".join(v for v in text.split() if v)
    except ValueError:
        gaps.add("bad_value", f"{sheet} column '{title}' = {raw!r} is not a valid {kind}", file=f"{file}:{sheet}",
                 line=line)
        return None
    return text


KINDS = {"name": "name", "text": "text", "float": "float", "bool": "bool", "gb": "int", "id": "int", "hpt": "hpt",
         "onoff": "int", "vlans": "int_list"}


def typed(rows: list[dict[str, str | None]], sheet: str) -> pd.DataFrame:
    """Apply the Inventory converters to one sheet's rows (values already normalised by `_convert`)."""
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    for title, (column, kind) in SHEETS[sheet][1].items():
        del title
        if column in frame.columns and not column.startswith("_"):
            raw = frame[column].astype(object).where(frame[column].notna(), None).astype("str")
            frame[column] = conv.CONVERTERS[KINDS[kind]](raw).values.reset_index(drop=True)
    return frame


def frame_columns(name: str) -> list[str]:
    return list(FRAME_MODELS[name].to_schema().columns)
