"""VIOS device listings: `lsdev -dev X -attr`, reserve-policy tables, `chkdev`, `lspath`, lssea-style reports.

`lsdev -dev entX -attr` tells an SEA (real_adapter, virt_adapters, ha_mode ...) from an
EtherChannel (adapter_names, backup_adapter, mode) by its attributes, and an hdisk's attributes
give reserve_policy, unique_id and pvid. Attribute tables are read by the header's column
positions, because a value may be empty (`ctl_chan` on a simplified SEA) and descriptions hold
spaces; pasted tables with collapsed spacing fall back to splitting on runs of spaces.
Community "lssea" reports (an SEA block per adapter with ETHERCHANNEL / REAL / VIRTUAL ADAPTERS
tables) are read for the same SEA and EtherChannel facts.
"""

from __future__ import annotations

import re

from hatoolkit.ingest.records import MESSAGE_RE, Problem
from hatoolkit.ingest.vios_lsmap import Parsed, slot_of

SEA_ATTRS = frozenset({"real_adapter", "virt_adapters", "ha_mode", "pvid_adapter"})
EC_ATTRS = frozenset({"adapter_names", "backup_adapter"})
DISK_ATTRS = frozenset({"reserve_policy", "unique_id", "pvid", "algorithm", "PCM", "pcm", "queue_depth", "ww_name"})
_UDID_RE = re.compile(r"^[0-9A-Fa-f]{16,}\S*(\s+\S+)?$")
_PATH_STATUS = frozenset({"enabled", "disabled", "failed", "defined", "missing", "available"})


def _none(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if value.lower() in ("", "none", "null", "n/a") else value


def _tuple(value: str | None) -> tuple[str, ...]:
    value = _none(value)
    return tuple(v.strip() for v in re.split(r"[,\s]+", value) if v.strip()) if value else ()


def _int(value: str | None) -> int | None:
    value = _none(value)
    return int(value) if value and value.isdigit() else None


def _bool(value: str | None) -> bool | None:
    value = (_none(value) or "").lower()
    return True if value in ("yes", "true", "1") else (False if value in ("no", "false", "0") else None)


# --------------------------------------------------------------------------- lsdev -dev X -attr


def parse_attr_table(lines: list[str], first_line: int, single: str | None = None) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """`lsdev -dev X -attr [name]` -> {attribute: (value, line)}.

    With one attribute named on the command line the VIOS prints a `value` header and the value.
    """
    problems: list[Problem] = []
    out: dict[str, tuple[str, int]] = {}
    columns: list[int] | None = None
    for i, raw in enumerate(lines):
        n = first_line + i
        line = raw.rstrip()
        text = line.strip()
        if not text:
            continue
        if MESSAGE_RE.match(text) or text.lower().startswith("some error messages"):
            problems.append(Problem(n, "message", text))
            continue
        if single is not None:
            if text.lower() == "value":
                continue
            out[single] = (text, n)
            continue
        if re.match(r"^attribute\s+value\s+description", text):
            columns = [m.start() for m in re.finditer(r"\S+", line)]
            continue
        attr, value = _attr_line(line, columns)
        if attr is None:
            problems.append(Problem(n, "unparseable", f"not an attribute line: {text[:80]!r}"))
            continue
        if attr in out:
            problems.append(Problem(n, "duplicate_attr", f"attribute {attr} listed twice; kept the first"))
            continue
        out[attr] = (value, n)
    return out, problems


def _attr_line(line: str, columns: list[int] | None) -> tuple[str | None, str]:
    text = line.strip()
    name = text.split()[0]
    if not re.match(r"^[A-Za-z_][\w.]*$", name):
        return None, ""
    if columns and len(columns) >= 3 and len(line) > columns[1] and line[: columns[1]].strip() == name \
            and (len(line) <= columns[2] or line[columns[2] - 1] == " "):
        return name, line[columns[1]:columns[2]].strip()
    # Collapsed spacing: attribute, value, description, user_settable separated by runs of 2+ spaces.
    parts = re.split(r"\s{2,}|\t+", text)
    if len(parts) >= 4:
        return name, parts[1].strip()
    if len(parts) == 3:  # empty value, or value but no description
        return name, "" if parts[-1] in ("True", "False") else parts[1].strip()
    tokens = text.split()
    return name, tokens[1] if len(tokens) > 1 else ""


def device_rows(device: str, attrs: dict[str, tuple[str, int]], problems: list[Problem]) -> Parsed:
    """Turn one device's attributes into an SEA, EtherChannel or disk row (other devices: nothing)."""
    out = Parsed(problems=problems)
    if not attrs:
        return out  # an error message instead of attributes: nothing to say about the device
    names = set(attrs)
    line = min((n for _, n in attrs.values()), default=0)

    def get(name: str) -> str | None:
        return _none(attrs[name][0]) if name in attrs else None

    if names & SEA_ATTRS:
        ha = (get("ha_mode") or "").lower() or None
        out.add("seas", {"sea": device, "ha_mode": ha, "real_adapter": get("real_adapter"),
                         "virt_adapters": _tuple(get("virt_adapters")) if "virt_adapters" in attrs else None,
                         "pvid": _int(get("pvid")), "pvid_adapter": get("pvid_adapter"),
                         "ctl_chan": get("ctl_chan") if (get("ctl_chan") or "").startswith("ent") else None,
                         "jumbo_frames": _bool(get("jumbo_frames")), "netaddr": _netaddr(get("netaddr")), "line": line})
    elif names & EC_ATTRS:
        out.add("etherchannels", {"device": device, "adapter_names": _tuple(get("adapter_names")),
                                  "backup_adapter": get("backup_adapter"), "mode": get("mode"),
                                  "hash_mode": get("hash_mode"), "netaddr": _netaddr(get("netaddr")),
                                  "use_jumbo_frame": _bool(get("use_jumbo_frame")), "line": line})
    elif names & DISK_ATTRS or device.startswith("hdisk"):
        out.add("disks", {"hdisk": device, "reserve_policy": get("reserve_policy"), "unique_id": get("unique_id"),
                          "pvid": _pvid(get("pvid")), "algorithm": get("algorithm"), "pcm": get("PCM") or get("pcm"),
                          "line": line})
    return out


def _netaddr(value: str | None) -> str | None:
    return None if value in (None, "0", "0.0.0.0") else value


def _pvid(value: str | None) -> str | None:
    value = _none(value)
    return None if value is None or set(value) <= {"0"} else value


# --------------------------------------------------------------------------- tables of disks


def parse_disk_table(lines: list[str], first_line: int, attr: str, fields: list[str] | None = None) -> Parsed:
    """`name value` rows (a reserve_policy listing over all disks); an optional header is skipped."""
    out = Parsed()
    for i, raw in enumerate(lines):
        n = first_line + i
        text = raw.strip()
        if not text or set(text) <= set("- "):
            continue
        if MESSAGE_RE.match(text):
            out.problems.append(Problem(n, "message", text))
            continue
        parts = re.split(r"[:\s]+", text, maxsplit=1)
        if parts[0].lower() in ("name", "device"):
            continue
        if len(parts) < 2 or not re.match(r"^hdisk\w+$", parts[0]):
            out.problems.append(Problem(n, "unparseable", f"not a '<hdisk> <{attr}>' line: {text[:80]!r}"))
            continue
        value = parts[1].split()[0] if attr in ("reserve_policy", "pvid") else parts[1].strip()
        row: dict[str, object] = {"hdisk": parts[0], "line": n}
        row["pvid" if attr == "pvid" else attr] = _pvid(value) if attr == "pvid" else _none(value)
        out.add("disks", row)
    return out


def parse_chkdev(lines: list[str], first_line: int, delim: str | None = None, fields: list[str] | None = None) -> Parsed:
    """`chkdev [-verbose]` blocks of `KEY: value`, or `-fmt :` lines (by `-field` order, else by shape)."""
    out = Parsed()
    block: dict[str, object] | None = None

    def flush() -> None:
        if block and block.get("hdisk"):
            out.add("disks", dict(block))

    for i, raw in enumerate(lines):
        n = first_line + i
        text = raw.strip()
        if not text:
            continue
        if MESSAGE_RE.match(text):
            out.problems.append(Problem(n, "message", text))
            continue
        m = re.match(r"^(NAME|IDENTIFIER|UDID|PVID|IEEE|VTD|PHYS2VIRT_CAPABLE|VIRT2NPIV_CAPABLE|VIRT2PHYS_CAPABLE|STATUS):\s*(.*)$",
                     text, re.I)
        if m and delim is None:
            key, value = m.group(1).upper(), m.group(2).strip()
            if key == "NAME":
                flush()
                block = {"hdisk": value, "line": n}
            elif block is None:
                out.problems.append(Problem(n, "unparseable", f"{key} before any NAME line"))
            elif key in ("IDENTIFIER", "UDID") and value:
                block.setdefault("udid", " ".join(value.split()))
            elif key == "PVID":
                block["pvid"] = _pvid(value)
            continue
        parts = [p.strip() for p in (text.split(delim) if delim else text.split())]
        if parts[0].upper() in ("NAME",):
            continue
        if not re.match(r"^hdisk\w+$", parts[0]):
            out.problems.append(Problem(n, "unparseable", f"not a chkdev line: {text[:80]!r}"))
            continue
        if fields:
            values = dict(zip(fields, parts, strict=False))
            udid = values.get("identifier") or values.get("udid")
        else:
            udid = next((p for p in parts[1:] if _UDID_RE.match(p)), None)
        row: dict[str, object] = {"hdisk": parts[0], "line": n}
        if udid and _none(udid):
            row["udid"] = " ".join(udid.split())
        out.add("disks", row)
    flush()
    return out


def parse_lspath(lines: list[str], first_line: int, delim: str | None = None, fields: list[str] | None = None) -> Parsed:
    """`lspath`: status/name/parent[/connection] columns, by header, `-field` order or the default order."""
    out = Parsed()
    order = fields or ["status", "name", "parent", "connection"]
    for i, raw in enumerate(lines):
        n = first_line + i
        text = raw.strip()
        if not text or set(text) <= set("- "):
            continue
        if MESSAGE_RE.match(text):
            out.problems.append(Problem(n, "message", text))
            continue
        parts = [p.strip() for p in (text.split(delim) if delim else text.split())]
        if {p.lower() for p in parts} <= {"status", "name", "parent", "connection", "path_id", "path_status"}:
            order = [p.lower() for p in parts]
            continue
        values = dict(zip(order, parts, strict=False))
        name, parent = values.get("name", ""), values.get("parent", "")
        status = values.get("status")
        if not re.match(r"^hdisk\w+$", name) or not parent or (status and status.lower() not in _PATH_STATUS):
            out.problems.append(Problem(n, "unparseable", f"not an lspath line: {text[:80]!r}"))
            continue
        out.add("disk_paths", {"hdisk": name, "parent": parent, "status": status,
                               "connection": _none(values.get("connection")), "line": n})
    return out


# --------------------------------------------------------------------------- lssea-style reports


def parse_sea_report(lines: list[str], first_line: int) -> Parsed:
    """SEA blocks of community lssea reports: `SEA : entN`, `ha_mode : X`, adapter tables."""
    out = Parsed()
    sea: dict[str, object] | None = None
    table: str | None = None
    header: list[str] = []

    def flush() -> None:
        if sea is not None:
            real = sea.pop("_real", [])
            ec = sea.pop("_ec", None)
            sea["real_adapter"] = ec or (real[0] if len(real) == 1 else None)
            out.add("seas", sea)

    for i, raw in enumerate(lines):
        n = first_line + i
        text = raw.strip()
        if not text or text.startswith("+---") or set(text) <= set("- "):
            continue
        m = re.match(r"^SEA\s*:\s*(ent\d+)", text)
        if m:
            flush()
            sea, table = {"sea": m.group(1), "line": n, "virt_adapters": (), "virt_slots": (), "_real": []}, None
            continue
        if sea is None:
            continue
        upper = text.upper()
        if upper in ("ETHERCHANNEL", "REAL ADAPTERS", "VIRTUAL ADAPTERS", "CONTROL CHANNEL"):
            table, header = upper, []
            continue
        if upper.startswith("NO CONTROL CHANNEL"):
            sea["ctl_chan"], table = None, None
            continue
        kv = re.match(r"^([A-Za-z_/ ]+?)\s*:\s*(.*)$", text)
        if table is None and kv:
            _sea_field(sea, kv.group(1).strip().lower(), kv.group(2).strip())
            continue
        if table is not None and not header:
            header = text.lower().split()
            continue
        cells = text.split()
        if table == "ETHERCHANNEL" and len(cells) >= 3:
            row = dict(zip(header, cells, strict=False))
            sea["_ec"] = row.get("adapter")
            out.add("etherchannels", {"device": row.get("adapter"), "adapter_names": _tuple(row.get("phys_adapters")),
                                      "mode": row.get("mode"), "hash_mode": row.get("hash_mode"),
                                      "use_jumbo_frame": _bool(row.get("jumbo")), "line": n})
        elif table == "REAL ADAPTERS" and cells:
            sea["_real"].append(cells[0])  # type: ignore[union-attr]
            _note_member_health(out, sea, cells, header)
        elif table == "CONTROL CHANNEL" and cells and cells[0].startswith("ent"):
            sea["ctl_chan"] = cells[0]
        elif table == "VIRTUAL ADAPTERS" and len(cells) >= 3:
            row = dict(zip(header, cells, strict=False))
            sea["virt_adapters"] = (*sea["virt_adapters"], cells[0])  # type: ignore[misc]
            slot = slot_of(row.get("hardware_path")) or _int((row.get("slot") or "").lstrip("C"))
            sea["virt_slots"] = (*sea["virt_slots"], slot)  # type: ignore[misc]
            if row.get("vswitch"):
                sea.setdefault("vswitch", row["vswitch"])
        else:
            out.problems.append(Problem(n, "unparseable", f"unexpected line in SEA report: {text[:80]!r}"))
    flush()
    if any(None in (s.get("virt_slots") or ()) for s in out.rows.get("seas", [])):
        for s in out.rows["seas"]:
            if None in (s.get("virt_slots") or ()):
                s["virt_slots"] = None
    return out


def _sea_field(sea: dict[str, object], key: str, value: str) -> None:
    if key == "ha_mode":
        sea["ha_mode"] = value.lower() or None
    elif key == "state":
        sea["state"] = value or None
    elif key == "priority":
        sea["trunk_priority"] = _int(value)
    elif key == "vlans":
        sea["vlans"] = tuple(int(v) for v in value.split() if v.isdigit())
    elif key.startswith("ctl_chan") and "port_vlan_id" not in key:
        sea["ctl_chan"] = value if value.startswith("ent") else None


def _note_member_health(out: Parsed, sea: dict[str, object], cells: list[str], header: list[str]) -> None:
    """Members of the SEA's EtherChannel whose link is not Up or whose LACP partner is out of sync."""
    row = dict(zip(header, cells, strict=False))
    bad = row.get("link", "Up").lower() != "up" or "OUT_OF_SYNC" in cells
    ecs = out.rows.get("etherchannels", [])
    if ecs and sea.get("_ec") == ecs[-1].get("device") and "partner_sync" in header:
        ec = ecs[-1]
        ec.setdefault("unhealthy_adapters", ())
        if bad:
            ec["unhealthy_adapters"] = (*ec["unhealthy_adapters"], cells[0])  # type: ignore[misc]


# --------------------------------------------------------------------------- lscfg (installed resource list)

_LSCFG_ROW = re.compile(r"^\s*[+*\-]?\s*(?P<dev>(?:ent|fcs|fscsi|sissas|sas)\d+)\s+(?P<loc>U\S+)\s*(?P<desc>.*)$")
_VIRTUAL_LOC = re.compile(r"-V\d+-C\d+")


def parse_lscfg(lines: list[str], first_line: int) -> Parsed:
    """`lscfg` (INSTALLED RESOURCE LIST, also a report's "Card info") -> physical ports and their locations.

    Only physical Ethernet and Fibre Channel/SAS ports are kept (`ent0  U78D3.001.XXX-P1-C2-T1  PCIe3 4-port
    10GbE`): the location code names the card (…-C2) a port sits on, which is what tells two ports of one card
    from ports of two cards. Virtual devices (…-V1-C20) are left out.
    """
    out = Parsed()
    for i, raw in enumerate(lines):
        m = _LSCFG_ROW.match(raw.rstrip())
        if not m or _VIRTUAL_LOC.search(m.group("loc")):
            continue
        out.add("vios_adapters", {"device": m.group("dev"), "physloc": m.group("loc"),
                                  "description": _none(m.group("desc")), "line": first_line + i})
    return out
