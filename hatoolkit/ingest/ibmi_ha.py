"""IBM i exports for redundancy -> frames interfaces, lines, asps, disk_units (docs/formats.md, IBM i exports).

Four CSV kinds, recognised by header like the other IBM i exports: TCP/IP interfaces
(`QSYS2.NETSTAT_INTERFACE_INFO`, IBM's column names), Ethernet line descriptions with the hardware
resource each one uses, auxiliary storage pools (`QSYS2.ASP_INFO` plus the geographic mirroring
session), and a guest's disk units (`QSYS2.SYSDISKSTAT` plus each resource's location code).
Builders receive the exporting host (`ingest.ibmi._Host`: its system, partition and value
parsers that turn bad cells into gaps naming file and line) and return one frame each.

Lists IBM i prints in one cell (PREFERRED_INTERFACE_LIST, AGGRSCL) are read whether the export
separated them with spaces or commas; which one was seen is kept, so evidence can show it.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Protocol

import numpy as np
import pandas as pd

from hatoolkit.ingest.ibmi_csv import CsvKind, Export, register

INTERFACES = register(CsvKind(
    "interfaces", frozenset({"INTERNET_ADDRESS", "LINE_DESCRIPTION", "INTERFACE_STATUS"}),
    ("CONNECTION_TYPE", "INTERNET_ADDRESS", "NETWORK_ADDRESS", "SUBNET_MASK", "LINE_DESCRIPTION",
     "INTERFACE_LINE_TYPE", "INTERFACE_STATUS", "VIRTUAL_LAN_ID", "AUTOSTART", "ALIAS_NAME", "PROXY_ARP_ALLOWED",
     "PROXY_ARP_ENABLED", "PREFERRED_INTERFACE_LIST", "PREFERRED_INTERFACE_DEFAULT_ROUTE",
     "PREFERRED_PHYSICAL_LINE_LIST", "CURRENT_PROXY_AGENT_LINE", "CURRENT_PROXY_AGENT_LINE_VIRTUAL_LAN_ID",
     "ASSOCIATED_LOCAL_INTERFACE", "INTERFACE_TEXT"),
    "TCP/IP interfaces: virtual IP, proxy ARP, preferred interface list, associated local interface"))
LINES = register(CsvKind(
    "lines", frozenset({"LINE_DESCRIPTION", "RESOURCE_NAME"}),
    ("LINE_DESCRIPTION", "LINE_TYPE", "RESOURCE_NAME", "AGGREGATE_RESOURCES", "RESOURCE_TYPE", "RESOURCE_STATUS",
     "LOCATION_CODE", "MAC_ADDRESS", "DEFAULT_MAC_ADDRESS"),
    "Ethernet line descriptions and the port (card, HEA logical port, virtual slot) each one uses"))
ASPS = register(CsvKind(
    "asps", frozenset({"ASP_NUMBER", "ASP_STATE"}),
    ("ASP_NUMBER", "DEVICE_DESCRIPTION_NAME", "ASP_TYPE", "ASP_STATE", "NUMBER_OF_DISK_UNITS",
     "GEOGRAPHIC_MIRROR_SESSION", "GEOGRAPHIC_MIRROR_ROLE", "GEOGRAPHIC_MIRROR_STATE",
     "GEOGRAPHIC_MIRROR_SYNCHRONIZATION_STATUS", "GEOGRAPHIC_MIRROR_TRANSMISSION_DELIVERY",
     "GEOGRAPHIC_MIRROR_SYNCHRONIZATION_PROGRESS", "MIRROR_COPY_NODE", "MIRROR_COPY_SERIAL_NUMBER"),
    "auxiliary storage pools, IASPs and their geographic mirroring"))
DISK_UNITS = register(CsvKind(
    "disk_units", frozenset({"ASP_NUMBER", "UNIT_NUMBER", "RESOURCE_NAME"}),
    ("ASP_NUMBER", "UNIT_NUMBER", "RESOURCE_NAME", "SERIAL_NUMBER", "DISK_TYPE", "DISK_MODEL", "RESOURCE_STATUS",
     "MULTIPLE_PATH_UNIT", "MIRRORED_UNIT_STATUS", "UNIT_STORAGE_CAPACITY", "LOCATION_CODE"),
    "a guest's disk units: mirrored pairs, paths and the virtual adapter serving each"))

_NONE = frozenset({"*NONE", "NONE", "*NO", ""})
_LIST_SPLIT = re.compile(r"[\s,;]+")
_VIRTUAL = re.compile(r"-V(?P<lpar>\d+)-C(?P<slot>\d+)(?:-T(?P<port>\d+))?", re.I)
_CARD = re.compile(r"^(?P<card>.*?-C\d+)(?:-T(?P<port>\d+))?(?:-[WL].*)?$", re.I)
_LUN = re.compile(r"-L([0-9A-F]+)", re.I)
_WWPN = re.compile(r"-W([0-9A-F]+)", re.I)


class Host(Protocol):
    """What a builder needs of the exporting host (ingest.ibmi._Host)."""

    system: str
    gaps: Any

    def values(self, exp: Export, column: str, kind: str) -> pd.Series: ...

    def base(self, exp: Export) -> dict[str, Any]: ...


def _text(host: Host, exp: Export, column: str, upper: bool = False, none: bool = True) -> pd.Series:
    values = host.values(exp, column, "text")
    if upper:
        values = values.str.upper()
    if none:
        values = values.where(~values.str.upper().isin(_NONE))
    return values


def _yes_no(host: Host, exp: Export, column: str) -> pd.Series:
    """YES / NO / *YES / *NO (IBM i spells both) -> boolean."""
    rows = exp.rows.assign(**{column: exp.column(column).str.strip().str.lstrip("*")}) if column in exp.rows else exp.rows
    return host.values(Export(exp.file, exp.kind, rows, exp.lines), column, "bool")


def _split(raw: pd.Series) -> tuple[list[tuple[str, ...] | None], list[str | None]]:
    """One cell holding a list -> (tuple of entries, separator seen). Absent -> NA; *NONE or empty -> ()."""
    out: list[tuple[str, ...] | None] = []
    seps: list[str | None] = []
    for cell in raw:
        if not isinstance(cell, str):
            out.append(None)
            seps.append(None)
            continue
        text = cell.strip()
        items = tuple(t for t in _LIST_SPLIT.split(text) if t and t.upper() not in _NONE)
        out.append(items)
        seps.append(None if len(items) < 2 else ("comma" if "," in text else "semicolon" if ";" in text else "space"))
    return out, seps


def _addresses(host: Host, exp: Export, column: str) -> tuple[pd.Series, pd.Series]:
    lists, seps = _split(exp.column(column))
    for i, items in enumerate(lists):
        for item in items or ():
            try:
                ipaddress.ip_address(item)
            except ValueError:
                host.gaps.add("bad_value", f"{column} entry {item!r} is not an internet address; entry kept as written",
                              file=exp.file, line=int(exp.lines[i]), system=host.system)
    return (pd.Series(lists, dtype=object).reset_index(drop=True),
            pd.Series(seps, dtype="str").reset_index(drop=True))


def parse_location(codes: pd.Series) -> pd.DataFrame:
    """Location codes -> card_location, port (T<n>), lpar (V<n>), slot (C<n> of a virtual adapter), lun, wwpn."""
    text = codes.astype("str").str.strip().str.upper()
    virtual = text.str.extract(_VIRTUAL)
    card = text.str.extract(_CARD)
    is_virtual = virtual["slot"].notna()
    return pd.DataFrame({
        "card_location": card["card"].where(~is_virtual & card["card"].notna()).astype("str"),
        "port": ("T" + card["port"]).where(~is_virtual & card["port"].notna()).astype("str"),
        "lpar": pd.to_numeric(virtual["lpar"], errors="coerce").astype("Int64"),
        "slot": pd.to_numeric(virtual["slot"], errors="coerce").astype("Int64"),
        "lun": text.str.extract(_LUN)[0].astype("str"),
        "wwpn": text.str.extract(_WWPN)[0].astype("str"),
    }).reset_index(drop=True)


def _required(frame: pd.DataFrame, column: str, exp: Export, host: Host) -> pd.DataFrame:
    missing = frame[column].isna().to_numpy(dtype=bool)
    for i in np.flatnonzero(missing):
        host.gaps.add("unparseable", f"{exp.kind} row lacks {column}; row not used", file=exp.file,
                      line=int(exp.lines[i]), system=host.system)
    return frame[~missing].reset_index(drop=True)


def interfaces_frame(host: Host, exp: Export) -> tuple[str, pd.DataFrame]:
    frame = pd.DataFrame(host.base(exp))
    frame["internet_address"] = host.values(exp, "INTERNET_ADDRESS", "name")
    frame["line_description"] = _text(host, exp, "LINE_DESCRIPTION", upper=True, none=False)
    frame["line_type"] = _text(host, exp, "INTERFACE_LINE_TYPE", upper=True)
    frame["status"] = _text(host, exp, "INTERFACE_STATUS", upper=True, none=False)
    frame["connection_type"] = _text(host, exp, "CONNECTION_TYPE", upper=True)
    frame["subnet_mask"] = _text(host, exp, "SUBNET_MASK")
    frame["network_address"] = _text(host, exp, "NETWORK_ADDRESS")
    frame["vlan_id"] = host.values(exp, "VIRTUAL_LAN_ID", "int")
    frame["autostart"] = _yes_no(host, exp, "AUTOSTART")
    frame["alias_name"] = _text(host, exp, "ALIAS_NAME")
    frame["proxy_arp_allowed"] = _yes_no(host, exp, "PROXY_ARP_ALLOWED")
    frame["proxy_arp_enabled"] = _yes_no(host, exp, "PROXY_ARP_ENABLED")
    frame["preferred_interfaces"], frame["preferred_separator"] = _addresses(host, exp, "PREFERRED_INTERFACE_LIST")
    frame["preferred_default_route"] = _yes_no(host, exp, "PREFERRED_INTERFACE_DEFAULT_ROUTE")
    lines, _ = _split(exp.column("PREFERRED_PHYSICAL_LINE_LIST").str.upper())
    frame["preferred_lines"] = pd.Series(lines, dtype=object)
    frame["current_proxy_line"] = _text(host, exp, "CURRENT_PROXY_AGENT_LINE", upper=True)
    frame["current_proxy_vlan"] = host.values(exp, "CURRENT_PROXY_AGENT_LINE_VIRTUAL_LAN_ID", "int")
    # *NONE (no association) is kept apart from an empty cell (association not exported: unknown).
    assoc = _text(host, exp, "ASSOCIATED_LOCAL_INTERFACE", upper=True, none=False)
    frame["associated_local_interface"] = assoc.where(~assoc.isin(("NONE", "*NONE")), "*NONE")
    frame["text"] = _text(host, exp, "INTERFACE_TEXT")
    return "interfaces", _required(frame, "internet_address", exp, host)


def _mac(host: Host, exp: Export) -> pd.Series:
    column = "MAC_ADDRESS" if "MAC_ADDRESS" in exp.rows.columns else "DEFAULT_MAC_ADDRESS"
    raw = _text(host, exp, column, upper=True)
    mac = raw.str.replace(r"[:.\-\s]", "", regex=True)
    ok = mac.isna() | mac.str.fullmatch(r"[0-9A-F]{12}").fillna(False)
    for i in np.flatnonzero(~ok.to_numpy(dtype=bool)):
        host.gaps.add("bad_value", f"{column}={raw.iat[i]!r} is not a MAC address; treated as missing", file=exp.file,
                      line=int(exp.lines[i]), system=host.system)
    return mac.where(ok)


def lines_frame(host: Host, exp: Export) -> tuple[str, pd.DataFrame]:
    frame = pd.DataFrame(host.base(exp))
    frame["line_description"] = host.values(exp, "LINE_DESCRIPTION", "name").str.upper()
    frame["line_type"] = _text(host, exp, "LINE_TYPE", upper=True)
    frame["resource_name"] = _text(host, exp, "RESOURCE_NAME", upper=True)
    aggregate, _ = _split(exp.column("AGGREGATE_RESOURCES").str.upper())
    frame["aggregate_resources"] = pd.Series(aggregate, dtype=object)
    frame["resource_type"] = _text(host, exp, "RESOURCE_TYPE", upper=True)
    frame["resource_status"] = _text(host, exp, "RESOURCE_STATUS", upper=True)
    frame["location_code"] = _text(host, exp, "LOCATION_CODE", upper=True)
    where = parse_location(frame["location_code"])
    frame["card_location"], frame["port"], frame["slot_num"] = where["card_location"], where["port"], where["slot"]
    frame["mac_address"] = _mac(host, exp)
    return "lines", _required(frame, "line_description", exp, host)


def asps_frame(host: Host, exp: Export) -> tuple[str, pd.DataFrame]:
    frame = pd.DataFrame(host.base(exp))
    frame["asp_number"] = host.values(exp, "ASP_NUMBER", "int")
    aspdev = _text(host, exp, "DEVICE_DESCRIPTION_NAME", upper=True)
    frame["aspdev"] = aspdev.where(~aspdev.isin(("*SYSBAS",)))
    frame["asp_type"] = _text(host, exp, "ASP_TYPE", upper=True)
    frame["asp_state"] = _text(host, exp, "ASP_STATE", upper=True, none=False)
    frame["number_of_disk_units"] = host.values(exp, "NUMBER_OF_DISK_UNITS", "int")
    frame["geo_session"] = _text(host, exp, "GEOGRAPHIC_MIRROR_SESSION", upper=True)
    frame["geo_role"] = _text(host, exp, "GEOGRAPHIC_MIRROR_ROLE", upper=True)
    frame["geo_session_state"] = _text(host, exp, "GEOGRAPHIC_MIRROR_STATE", upper=True)
    frame["geo_sync_status"] = _text(host, exp, "GEOGRAPHIC_MIRROR_SYNCHRONIZATION_STATUS", upper=True)
    frame["geo_delivery"] = _text(host, exp, "GEOGRAPHIC_MIRROR_TRANSMISSION_DELIVERY", upper=True).str.lstrip("*")
    progress = host.values(exp, "GEOGRAPHIC_MIRROR_SYNCHRONIZATION_PROGRESS", "int")
    bad = progress.notna() & ((progress < 0) | (progress > 100))
    for i in np.flatnonzero(bad.to_numpy(dtype=bool)):
        host.gaps.add("bad_value", f"GEOGRAPHIC_MIRROR_SYNCHRONIZATION_PROGRESS={progress.iat[i]} is not a percentage; "
                      "treated as missing", file=exp.file, line=int(exp.lines[i]), system=host.system)
    frame["geo_sync_progress_pct"] = progress.where(~bad)
    frame["mirror_copy_node"] = _text(host, exp, "MIRROR_COPY_NODE", upper=True)
    frame["mirror_copy_serial"] = _text(host, exp, "MIRROR_COPY_SERIAL_NUMBER", upper=True)
    return "asps", _required(frame, "asp_number", exp, host)


def disk_units_frame(host: Host, exp: Export) -> tuple[str, pd.DataFrame]:
    frame = pd.DataFrame(host.base(exp))
    frame["resource_name"] = host.values(exp, "RESOURCE_NAME", "name").str.upper()
    frame["asp_number"] = host.values(exp, "ASP_NUMBER", "int")
    frame["unit_number"] = host.values(exp, "UNIT_NUMBER", "int")
    frame["serial_number"] = _text(host, exp, "SERIAL_NUMBER", upper=True)
    frame["disk_type"] = _text(host, exp, "DISK_TYPE", upper=True)
    frame["disk_model"] = _text(host, exp, "DISK_MODEL", upper=True)
    frame["resource_status"] = _text(host, exp, "RESOURCE_STATUS", upper=True)
    frame["multiple_path_unit"] = _yes_no(host, exp, "MULTIPLE_PATH_UNIT")
    frame["mirrored_unit_status"] = _text(host, exp, "MIRRORED_UNIT_STATUS", upper=True)
    capacity = host.values(exp, "UNIT_STORAGE_CAPACITY", "int")
    frame["capacity_mb"] = (capacity.astype("Float64") / 2**20).round().astype("Int64")
    frame["location_code"] = _text(host, exp, "LOCATION_CODE", upper=True)
    where = parse_location(frame["location_code"])
    frame["client_lpar_id"], frame["client_slot"] = where["lpar"], where["slot"]
    frame["lun"], frame["wwpn"] = where["lun"], where["wwpn"]
    return "disk_units", _required(frame, "resource_name", exp, host)


BUILDERS = {"interfaces": interfaces_frame, "lines": lines_frame, "asps": asps_frame, "disk_units": disk_units_frame}
