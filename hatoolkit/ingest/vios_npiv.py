"""VIOS `lsmap -all -npiv` (virtual Fibre Channel) and `lsmap -all -net` (virtual Ethernet -> SEA).

Human blocks and `-fmt` lines, as in vios_lsmap.py; NPIV `-fmt` lines come in the 12-field
default layout, in a `-field` order, or (community scripts) as a subset recognised by the shape
of its fields (a status word, fcsN, location codes).
"""

from __future__ import annotations

import re

from hatoolkit.ingest.records import MESSAGE_RE, Problem
from hatoolkit.ingest.vios_lsmap import VIRTUAL_LOC_RE, Parsed, _blank, client_id, slot_of

NPIV_STATUS_RE = re.compile(r"^(NOT_LOGGED_IN|LOGGED_IN|UNKNOWN|NOT_READY)$")
_NPIV_KEYS = re.compile(r"(Status|FC name|FC loc code|Ports logged in|Flags|VFC client name|VFC client DRC):[ \t]*(\S*)")


# --------------------------------------------------------------------------- lsmap -all -npiv (vFC)


def _fc_row(name: str, physloc: str | None, client: int | None, line: int) -> dict[str, object]:
    return {"kind": "fc", "adapter": name, "adapter_physloc": physloc, "slot_num": slot_of(physloc),
            "client_lpar_id": client, "backing_type": None, "line": line}


def parse_npiv(lines: list[str], first_line: int) -> Parsed:
    """Human `lsmap -all -npiv`: a Name/Physloc/ClntID header, the vfchost row, then `Key:value` lines."""
    out = Parsed()
    row: dict[str, object] | None = None
    expect_row = False

    def flush() -> None:
        if row is not None:
            row["backing_type"] = "fc_port" if row.get("backing_device") else None
            out.add("vios_mappings", row)

    for i, raw in enumerate(lines):
        n = first_line + i
        line = raw.rstrip()
        text = line.strip()
        if not text or set(text) <= set("- \t"):
            continue
        if MESSAGE_RE.match(text):
            out.problems.append(Problem(n, "message", text))
            continue
        if re.match(r"^Name\s+Physloc\s+ClntID", text):
            flush()
            row, expect_row = None, True
            continue
        if expect_row:
            expect_row = False
            parts = text.split()
            if len(parts) >= 2 and re.match(r"^vfchost\d+$", parts[0]):
                # Client columns are blank until the client logs in; an OS may be two words ("IBM i").
                cid, ok = client_id(parts[2] if len(parts) > 2 else None)
                if not ok:
                    out.problems.append(Problem(n, "unparseable", f"client ID in {text[:60]!r} is not a number"))
                row = _fc_row(parts[0], parts[1], cid, n)
                row["client_name"] = parts[3] if len(parts) > 3 else None
                row["client_os"] = " ".join(parts[4:]) or None
                continue
            out.problems.append(Problem(n, "unparseable", f"expected a vfchost row: {text[:80]!r}"))
            continue
        if row is None:
            out.problems.append(Problem(n, "unparseable", f"not part of an lsmap -npiv block: {text[:80]!r}"))
            continue
        found = _NPIV_KEYS.findall(text)
        if not found:
            out.problems.append(Problem(n, "unparseable", f"unexpected line in lsmap -npiv block: {text[:80]!r}"))
            continue
        for key, value in found:
            _npiv_field(row, key, _blank(value), out, n)
    flush()
    return out


def _npiv_field(row: dict[str, object], key: str, value: str | None, out: Parsed, line: int) -> None:
    if key == "Status":
        row["status"] = value
    elif key == "FC name":
        row["backing_device"] = value
    elif key == "FC loc code":
        row["backing_physloc"] = value
    elif key == "Ports logged in":
        row["ports_logged_in"] = int(value) if value and value.isdigit() else None
    elif key == "VFC client name":
        row["client_adapter"] = value
    elif key == "VFC client DRC":
        row["client_slot"] = slot_of(value)


def parse_npiv_fmt(lines: list[str], first_line: int, delim: str = ":", fields: list[str] | None = None) -> Parsed:
    """`lsmap -all -npiv -fmt :`: the 12-field default layout, a `-field` order, or a recognisable subset."""
    out = Parsed()
    for i, raw in enumerate(lines):
        n = first_line + i
        text = raw.rstrip()
        if not text.strip():
            continue
        if MESSAGE_RE.match(text.strip()):
            out.problems.append(Problem(n, "message", text.strip()))
            continue
        parts = [p.strip() for p in text.split(delim)]
        if len(parts) < 3 or not re.match(r"^vfchost\d+$", parts[0]):
            out.problems.append(Problem(n, "unparseable", f"not an lsmap -npiv -fmt line: {text[:80]!r}"))
            continue
        values = _npiv_values(parts, fields)
        if values is None:
            out.problems.append(Problem(n, "truncated", f"{parts[0]}: {len(parts)} fields is not an lsmap -npiv layout "
                                        "(line cut off?); mapping unknown"))
            continue
        cid, ok = client_id(values.get("clntid"))
        if not ok:
            out.problems.append(Problem(n, "unparseable", f"client ID {values.get('clntid')!r} is not a number"))
        row = _fc_row(parts[0], _blank(values.get("physloc")), cid, n)
        row.update(client_name=_blank(values.get("clntname")), client_os=_blank(values.get("clntos")),
                   status=_blank(values.get("status")), backing_device=_blank(values.get("fc")),
                   backing_physloc=_blank(values.get("fcphysloc")), client_adapter=_blank(values.get("vfcclient")),
                   client_slot=slot_of(values.get("vfcclientdrc")))
        ports = _blank(values.get("ports"))
        row["ports_logged_in"] = int(ports) if ports and ports.isdigit() else None
        row["backing_type"] = "fc_port" if row["backing_device"] else None
        out.add("vios_mappings", row)
    return out


_NPIV_DEFAULT = ("name", "physloc", "clntid", "clntname", "clntos", "status", "fc", "fcphysloc", "ports", "flags",
                 "vfcclient", "vfcclientdrc")


def _npiv_values(parts: list[str], fields: list[str] | None) -> dict[str, str] | None:
    if fields:
        return dict(zip(fields, parts, strict=False))
    if len(parts) >= 6 and NPIV_STATUS_RE.match(parts[5]):
        return dict(zip(_NPIV_DEFAULT, parts, strict=False))
    # Other -field selections: find the pieces by their shape (status word, fcsN, location codes).
    values = {"physloc": parts[1], "clntid": parts[2]}
    status = next((k for k, p in enumerate(parts) if NPIV_STATUS_RE.match(p)), None)
    if status is None:
        return None
    values["status"] = parts[status]
    fcs = [k for k, p in enumerate(parts) if k > 2 and re.match(r"^fcs\d+$", p)]
    before = [k for k in fcs if k < status] or fcs[:1]
    if before:
        values["fc"] = parts[before[0]]
        if before[0] + 1 < len(parts) and parts[before[0] + 1].startswith("U"):
            values["fcphysloc"] = parts[before[0] + 1]
    if len(parts) > 3 and parts[3] and not re.match(r"^fcs\d+$", parts[3]) and not parts[3].startswith("U"):
        values["clntname"] = parts[3]
    drc = [p for p in parts[3:] if VIRTUAL_LOC_RE.match(p)]
    if drc:
        values["vfcclientdrc"] = drc[-1]
    return values


# --------------------------------------------------------------------------- lsmap -all -net (SVEA -> SEA)


def parse_net(lines: list[str], first_line: int) -> Parsed:
    """Human `lsmap -all -net`: SVEA/Physloc header, the entX row, then SEA / Backing device / Status / Physloc."""
    out = Parsed()
    row: dict[str, object] | None = None
    expect_row = False
    for i, raw in enumerate(lines):
        n = first_line + i
        text = raw.strip()
        if not text or set(text) <= set("- \t"):
            continue
        if MESSAGE_RE.match(text):
            out.problems.append(Problem(n, "message", text))
            continue
        if re.match(r"^SVEA\s+Physloc", text):
            if row is not None:
                out.add("vios_mappings", row)
            row, expect_row = None, True
            continue
        if expect_row:
            expect_row = False
            parts = text.split()
            if len(parts) >= 2 and re.match(r"^ent\d+$", parts[0]):
                row = {"kind": "net", "adapter": parts[0], "adapter_physloc": parts[1], "slot_num": slot_of(parts[1]),
                       "line": n}
                continue
            out.problems.append(Problem(n, "unparseable", f"expected an entX row after the SVEA header: {text[:80]!r}"))
            continue
        if row is None:
            out.problems.append(Problem(n, "unparseable", f"not part of an lsmap -net block: {text[:80]!r}"))
            continue
        m = re.match(r"^(SEA|Backing device|Status|Physloc)\b\s*(.*)$", text)
        if not m:
            out.problems.append(Problem(n, "unparseable", f"unexpected line in lsmap -net block: {text[:80]!r}"))
            continue
        key, value = m.group(1), _blank(m.group(2))
        if key == "SEA":
            row["sea"] = None if value and "NO SHARED ETHERNET" in value.upper() else value
        elif key == "Backing device":
            row["backing_device"], row["backing_type"] = value, "ethernet" if value else None
        elif key == "Status":
            row["status"] = value
        else:
            row["backing_physloc"] = value
    if row is not None:
        out.add("vios_mappings", row)
    return out


def parse_net_fmt(lines: list[str], first_line: int, delim: str = ":", fields: list[str] | None = None) -> Parsed:
    """`lsmap -all -net -fmt :` -> `svea:physloc[:sea:backing:status:bdphysloc]`."""
    out = Parsed()
    names = fields or ["svea", "physloc", "sea", "backing", "status", "bdphysloc"]
    for i, raw in enumerate(lines):
        n = first_line + i
        text = raw.strip()
        if not text:
            continue
        if MESSAGE_RE.match(text):
            out.problems.append(Problem(n, "message", text))
            continue
        parts = [p.strip() for p in text.split(delim)]
        values = dict(zip(names, parts, strict=False))
        if not re.match(r"^ent\d+$", values.get("svea", "")):
            out.problems.append(Problem(n, "unparseable", f"not an lsmap -net -fmt line: {text[:80]!r}"))
            continue
        sea = _blank(values.get("sea"))
        if sea and "NO SHARED" in sea.upper():
            sea = None
        backing = _blank(values.get("backing"))
        out.add("vios_mappings", {"kind": "net", "adapter": values["svea"], "adapter_physloc": _blank(values.get("physloc")),
                                  "slot_num": slot_of(values.get("physloc")), "sea": sea, "backing_device": backing,
                                  "backing_type": "ethernet" if backing else None,
                                  "status": _blank(values.get("status")),
                                  "backing_physloc": _blank(values.get("bdphysloc")), "line": n})
    return out
