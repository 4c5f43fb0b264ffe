"""VIOS `lsmap` output in every layout people capture: human blocks and `-fmt` delimited lines.

`lsmap -all` (virtual SCSI), `lsmap -all -npiv` (virtual Fibre Channel) and `lsmap -all -net`
(virtual Ethernet -> SEA) each print either aligned blocks for a human or, with `-fmt :`, one
line per server adapter. Blocks vary across VIOS releases and pastes (a `Status` or `Mirrored`
line or not, collapsed whitespace, tabs); `-fmt` lines vary by `-field` list and release (4, 5
or 6 fields per target device, blanks printed as a single space). NPIV and network listings are
in vios_npiv.py. Each parser returns row dicts
in the vios_mappings vocabulary with the file line of each row, plus problems for lines that
cannot be used (an adapter cut off before its backing device is "truncated", not dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hatoolkit.ingest.records import MESSAGE_RE, Problem

# U<type>.<model>.<serial>-V<lpar id>-C<slot>[-T<port>]: a virtual adapter's location code.
VIRTUAL_LOC_RE = re.compile(r"^U(?P<type>\w{4})\.(?P<model>\w{3})\.(?P<serial>\w+)-V(?P<lpar>\d+)-C(?P<slot>\d+)")
SLOT_RE = re.compile(r"-C(\d+)(?:-T\d+)?$")
HEX_ID_RE = re.compile(r"^0x[0-9a-fA-F]+$")
_LUN_RE = re.compile(r"^0x[0-9a-fA-F]+$")
_STATUS = frozenset({"available", "defined", "stopped", "unknown"})
_MIRRORED = frozenset({"true", "false", "n/a", ""})
_PV_RE = re.compile(r"^(r?hdisk|hdiskpower|vpath|dlmfdrv|sddlmfdrv|hdlm|power)\S*?\d+$")
_LU_RE = re.compile(r"\.[0-9a-f]{32}$")
_VTD_FIELDS = ("vtd", "status", "lun", "backing", "bdphysloc", "mirrored")
_SCSI_KEYS = re.compile(r"^\s*(VTD|Status|LUN|Backing device|Physloc|Mirrored)\b[ \t]*(.*?)\s*$")
NO_VTD = "NO VIRTUAL TARGET DEVICE FOUND"


@dataclass
class Parsed:
    """Rows of one section (frame name -> row dicts with a `line` key) and the lines not used."""

    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, frame: str, row: dict[str, object]) -> None:
        self.rows.setdefault(frame, []).append(row)

    def extend(self, other: Parsed) -> None:
        for frame, rows in other.rows.items():
            self.rows.setdefault(frame, []).extend(rows)
        self.problems.extend(other.problems)

    @property
    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def slot_of(physloc: str | None) -> int | None:
    m = SLOT_RE.search(physloc or "")
    return int(m.group(1)) if m else None


def client_id(text: str | None) -> tuple[int | None, bool]:
    """`0x0000000b` -> 11, `5` -> 5, `0x00000000`/blank -> None; second value False when unparseable."""
    value = (text or "").strip()
    if not value:
        return None, True
    try:
        number = int(value, 16) if HEX_ID_RE.match(value) else int(value)
    except ValueError:
        return None, False
    return (number or None), True


def backing_type(device: str | None, physloc: str | None = None) -> str | None:
    """What backs a virtual target: a whole LUN (pv), a logical volume, a file, optical media or an SSP LU."""
    name = (device or "").strip()
    if not name:
        return None
    if name.startswith("/"):
        lower = name.lower()
        return "optical" if lower.endswith((".iso", ".udf")) or "/vmlibrary/" in lower else "file"
    if _PV_RE.match(name) or re.search(r"-L[0-9A-Fa-f]+$", physloc or ""):
        return "pv"
    if re.match(r"^cd\d+$", name):
        return "optical"
    if _LU_RE.search(name.lower()):
        return "lu"
    return "lv"


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _bool(value: str | None) -> bool | None:
    value = (value or "").strip().lower()
    return {"true": True, "false": False}.get(value)


def _scsi_row(adapter: str, physloc: str | None, client: int | None, line: int) -> dict[str, object]:
    return {"kind": "scsi", "adapter": adapter, "adapter_physloc": physloc, "slot_num": slot_of(physloc),
            "client_lpar_id": client, "line": line}


def _finish_vtd(row: dict[str, object], out: Parsed) -> None:
    row["backing_type"] = backing_type(row.get("backing_device"), row.get("backing_physloc"))  # type: ignore[arg-type]
    if row.get("backing_device") is None:
        out.problems.append(Problem(int(row["line"]), "truncated",  # type: ignore[arg-type]
                                    f"VTD {row.get('vtd')} of {row.get('adapter')} has no 'Backing device' line "
                                    "(output cut off?); its backing is unknown"))
    out.add("vios_mappings", row)


# --------------------------------------------------------------------------- lsmap -all (vSCSI)


def parse_lsmap(lines: list[str], first_line: int) -> Parsed:
    """Human `lsmap -all` blocks: an SVSA header, the vhost row, then VTD blocks."""
    out = Parsed()
    adapter: dict[str, object] | None = None
    vtd: dict[str, object] | None = None
    expect_row = False
    for i, raw in enumerate(lines):
        n = first_line + i
        line = raw.strip()
        if not line or set(line) <= set("- \t"):
            continue
        if MESSAGE_RE.match(line):
            out.problems.append(Problem(n, "message", line))
            continue
        if re.match(r"^SVSA\b", line):
            if vtd is not None:
                _finish_vtd(vtd, out)
                vtd = None
            if adapter is not None and not adapter.get("_has_vtd"):
                out.add("vios_mappings", _strip(adapter))
            adapter, expect_row = None, True
            continue
        if expect_row:
            expect_row = False
            parts = line.split()
            if len(parts) >= 2 and re.match(r"^vhost\d+$", parts[0]):
                cid, ok = client_id(parts[2] if len(parts) > 2 else None)
                if not ok:
                    out.problems.append(Problem(n, "unparseable", f"client partition ID {parts[2]!r} is not a number"))
                adapter = _scsi_row(parts[0], parts[1], cid, n)
                continue
            out.problems.append(Problem(n, "unparseable", f"expected a vhost row after the SVSA header: {line[:80]!r}"))
            continue
        if adapter is None:
            out.problems.append(Problem(n, "unparseable", f"not part of an lsmap block: {line[:80]!r}"))
            continue
        if NO_VTD in line.upper():
            continue
        m = _SCSI_KEYS.match(raw)
        if not m:
            out.problems.append(Problem(n, "unparseable", f"unexpected line in lsmap block: {line[:80]!r}"))
            continue
        key, value = m.group(1), _blank(m.group(2))
        if key == "VTD":
            if vtd is not None:
                _finish_vtd(vtd, out)
            adapter["_has_vtd"] = True
            vtd = {**_strip(adapter), "vtd": value, "line": n}
        elif vtd is None:
            out.problems.append(Problem(n, "unparseable", f"'{key}' line before any VTD line"))
        elif key == "Status":
            vtd["status"] = value
        elif key == "LUN":
            vtd["lun"] = value
        elif key == "Backing device":
            vtd["backing_device"] = value
        elif key == "Physloc":
            vtd["backing_physloc"] = value
        elif key == "Mirrored":
            vtd["mirrored"] = _bool(value)
    if vtd is not None:
        _finish_vtd(vtd, out)
    if adapter is not None and not adapter.get("_has_vtd"):
        out.add("vios_mappings", _strip(adapter))
    if expect_row:
        out.problems.append(Problem(first_line + len(lines) - 1, "truncated", "SVSA header without its vhost row"))
    return out


def _strip(row: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def parse_lsmap_fmt(lines: list[str], first_line: int, delim: str = ":", fields: list[str] | None = None) -> Parsed:
    """`lsmap -all -fmt :` -> `vhost:physloc:clientid[:vtd:status:lun:backing:bdphysloc:mirrored]*`."""
    out = Parsed()
    head = [f for f in (fields or []) if f in ("svsa", "physloc", "clientid")] or ["svsa", "physloc", "clientid"]
    per_vtd = [f for f in (fields or []) if f in _VTD_FIELDS] or None
    for i, raw in enumerate(lines):
        n = first_line + i
        line = raw.rstrip()
        if not line.strip():
            continue
        if MESSAGE_RE.match(line):
            out.problems.append(Problem(n, "message", line.strip()))
            continue
        parts = line.split(delim)
        if len(parts) < len(head) or not re.match(r"^vhost\d+$", parts[0].strip()):
            out.problems.append(Problem(n, "unparseable", f"not an lsmap -fmt line: {line[:80]!r}"))
            continue
        values = dict(zip(head, (p.strip() for p in parts), strict=False))
        cid, ok = client_id(values.get("clientid"))
        if not ok:
            out.problems.append(Problem(n, "unparseable", f"client partition ID {values.get('clientid')!r} is not a number"))
        base = _scsi_row(values["svsa"], _blank(values.get("physloc")), cid, n)
        rest = [p.strip() for p in parts[len(head):]]
        groups = _vtd_groups(rest, per_vtd)
        if groups is None:
            out.problems.append(Problem(n, "truncated", f"{base['adapter']}: {len(rest)} target fields do not make "
                                        "whole VTD groups (line cut off?); its targets are unknown"))
            out.add("vios_mappings", base)
            continue
        if not groups:
            out.add("vios_mappings", base)
        for group in groups:
            row = {**base, "vtd": group.get("vtd"), "status": group.get("status"), "lun": group.get("lun"),
                   "backing_device": group.get("backing"), "backing_physloc": group.get("bdphysloc"),
                   "mirrored": _bool(group.get("mirrored"))}
            _finish_vtd(row, out)
    return out


def _vtd_groups(rest: list[str], names: list[str] | None) -> list[dict[str, str | None]] | None:
    """Split the fields after the adapter into VTD groups; None when no group size fits."""
    if not any(rest):
        return []
    candidates = [names] if names else [list(_VTD_FIELDS), ["vtd", "status", "lun", "backing", "bdphysloc"],
                                        ["vtd", "lun", "backing", "bdphysloc"]]
    for layout in candidates:
        size = len(layout)
        if len(rest) % size:
            continue
        groups = [dict(zip(layout, (_blank(v) for v in rest[k:k + size]), strict=True))
                  for k in range(0, len(rest), size)]
        if names or all(_plausible(g) for g in groups):
            return [g for g in groups if any(g.values())]
    return None


def _plausible(group: dict[str, str | None]) -> bool:
    if not any(group.values()):
        return True
    if "status" in group and (group["status"] or "").lower() not in _STATUS:
        return False
    if "mirrored" in group and (group["mirrored"] or "").lower() not in _MIRRORED:
        return False
    return group.get("lun") is None or bool(_LUN_RE.match(group["lun"] or ""))
