"""VIOS captures: recognise each section (by its command, else by its content) and parse it.

A VIOS capture arrives as a file per command (`$ lsmap -all`), a padmin transcript, the
`cmd| |line` prefix style of collection scripts, HMC-side `viosvrcmd -m SYS -p VIOS -c "..."`
transcripts, or a community report with several listings and no command lines at all (the
lssea reports: `VIOS hostname:` / `NPIV map info:` / `vSCSI map info:` / SEA blocks). Each
section becomes a `ViosCapture`: the rows it holds plus every hint of which VIOS it was taken
on (viosvrcmd options, the `vios/<system>/<vios>/` folder, a host name, a machine serial). Which
managed system and partition that is gets decided later, against the HMC frames
(vios_assemble.py), because only the whole bundle knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hatoolkit.ingest import vios_devices as dev
from hatoolkit.ingest import vios_lsmap as lsm
from hatoolkit.ingest import vios_npiv as npv
from hatoolkit.ingest.capture import Section
from hatoolkit.ingest.commands import Command, parse_command
from hatoolkit.ingest.records import MESSAGE_RE, Problem

# VIOS (padmin) commands whose output hatoolkit does not read (yet): known, not "unknown command".
KNOWN_UNUSED = frozenset({
    "ioslevel", "lspv", "lsvg", "lslv", "entstat", "lsnports", "lssp", "lscluster", "lsvopt", "lsrep",
    "lsfware", "lsmcode", "lssw", "lstcpip", "netstat", "errlog", "lsgcl", "lsnetsvc", "lsuser", "viosecure",
    "lslparinfo", "prtconf", "oem_setup_env", "license", "lsauth", "lsrole", "lssecattr", "lsvlog",
})
VIOS_COMMANDS = frozenset({"lsmap", "lsdev", "chkdev", "lspath", "lssea", "lscfg", "uname", "hostname"}) | KNOWN_UNUSED
_FMT_VHOST = re.compile(r"^vhost\d+:")
_FMT_VFC = re.compile(r"^vfchost\d+:")
_IOSCLI_RE = re.compile(r"^\s*(?:/usr/ios/cli/)?ioscli\s+")  # root (oem_setup_env) runs padmin commands via ioscli
_VIOS_MARKERS = re.compile(r"^\s*(?:vhost\d|vfchost\d|SVSA\s|Name\s+Physloc|SVEA\s|SEA\s*:|attribute\s+value|"
                           r"VIOS hostname:|running lssea|INSTALLED RESOURCE LIST)", re.M)
_FILE_DEVICE_RE = re.compile(r"(?:^|[_\-.])((?:ent|hdisk)\d+)[_\-.].*attr", re.I)
_REPORT_HOST = re.compile(r"^running lssea on (?P<host>\S+)\s*\|\s*IBM,\w{2}(?P<serial>\w{7})\b")


@dataclass
class ViosCapture:
    """One section of VIOS output, parsed, with the hints of where it came from."""

    file: str
    line: int
    command: str | None
    parsed: lsm.Parsed = field(default_factory=lsm.Parsed)
    system_hint: str | None = None  # viosvrcmd -m, else the vios/<system>/ folder
    vios_hint: str | None = None  # viosvrcmd -p, else the vios/<system>/<vios>/ folder
    explicit: bool = False  # hints come from viosvrcmd options (not from the folder layout)
    hostnames: list[tuple[int, str]] = field(default_factory=list)  # (line, host name) found in the section
    serial: str | None = None  # machine serial from a report header (IBM,02<serial>)
    kind: str = "-"


def layout_hints(rel: str) -> tuple[str | None, str | None]:
    """`vios/<system>/<vios>/file` -> (system, vios); `vios/<system>/file` -> (system, None)."""
    parts = rel.split("/")
    if parts[0] != "vios" or len(parts) < 3:
        return None, None
    return parts[1], (parts[2] if len(parts) >= 4 else None)


def is_vios_command(cmd: Command) -> bool:
    return cmd.name in VIOS_COMMANDS or cmd.wrapper is not None


def read_section(section: Section) -> ViosCapture | None:
    """Parse a section if it is VIOS output (None: not ours, let another reader try)."""
    command = _IOSCLI_RE.sub("", section.command) if section.command else None
    cmd = parse_command(command) if command else None
    if cmd is not None and not is_vios_command(cmd):
        return None
    system, vios = layout_hints(section.file)
    cap = ViosCapture(section.file, section.first_line, cmd.text if cmd else None, system_hint=system, vios_hint=vios)
    if cmd is not None and cmd.wrapper is not None:
        cap.system_hint, cap.vios_hint, cap.explicit = cmd.system, cmd.partition, True
    if cmd is None and not _VIOS_MARKERS.search(section.text):
        return None  # fast exit for the many command-less HMC captures
    lines = section.text.split("\n")
    if cmd is None or cmd.name == "lssea":
        found = _FILE_DEVICE_RE.search(section.file.rsplit("/", 1)[-1]) if cmd is None else None
        sniff(lines, section.first_line, cap, found.group(1) if found else None)
        if cmd is None and cap.kind == "-" and not cap.hostnames:
            return None
        return cap
    _by_command(cmd, lines, section.first_line, cap)
    return cap


def _fields(cmd: Command) -> list[str] | None:
    if "-field" not in cmd.flags:
        return None
    return [a.lower() for a in cmd.args] or None


def _by_command(cmd: Command, lines: list[str], first: int, cap: ViosCapture) -> None:
    fmt = cmd.opt("-fmt", "-fmt2")
    fields = _fields(cmd)
    name = cmd.name
    if name in ("uname", "hostname"):
        text = next((ln.strip() for ln in lines if ln.strip()), "")
        host = text.split()[1] if name == "uname" and "-a" in cmd.flags and len(text.split()) > 1 else text.split()[0] \
            if text else ""
        if host and not MESSAGE_RE.match(host):
            cap.hostnames.append((first, host))
        cap.kind = "vios_identity"
        return
    if name == "lsmap":
        if "-npiv" in cmd.flags:
            parsed = npv.parse_npiv_fmt(lines, first, fmt, fields) if fmt else npv.parse_npiv(lines, first)
        elif "-net" in cmd.flags:
            parsed = npv.parse_net_fmt(lines, first, fmt, fields) if fmt else npv.parse_net(lines, first)
        else:
            parsed = lsm.parse_lsmap_fmt(lines, first, fmt, fields) if fmt else lsm.parse_lsmap(lines, first)
        _take(cap, parsed, "vios_lsmap")
    elif name == "lsdev" and "-attr" in cmd.flags and cmd.opt("-dev"):
        device = cmd.opt("-dev") or ""
        attrs, problems = dev.parse_attr_table(lines, first, cmd.args[0] if cmd.args else None)
        _take(cap, dev.device_rows(device, attrs, problems), "vios_lsdev")
    elif name == "lsdev" and "-attr" in cmd.flags:
        attr = cmd.args[0] if cmd.args else "reserve_policy"
        _take(cap, dev.parse_disk_table(lines, first, attr), "vios_lsdev")
    elif name == "chkdev":
        _take(cap, dev.parse_chkdev(lines, first, fmt, fields), "vios_chkdev")
    elif name == "lspath":
        _take(cap, dev.parse_lspath(lines, first, fmt, fields), "vios_lspath")
    elif name == "lscfg":  # also `lscfg -l entN` / `-vl`: the device line is the same
        _take(cap, dev.parse_lscfg(lines, first), "vios_lscfg")
    else:
        cap.kind = "-"  # known VIOS command whose output is not used
        messages = [Problem(first + i, "message", ln.strip()) for i, ln in enumerate(lines) if MESSAGE_RE.match(ln.strip())]
        cap.parsed.problems.extend(messages)


def _take(cap: ViosCapture, parsed: lsm.Parsed, kind: str) -> None:
    cap.parsed.extend(parsed)
    cap.kind = kind


# --------------------------------------------------------------------------- content without a command


def _line_kind(text: str) -> str | None:
    if _FMT_VHOST.match(text):
        return "lsmap_fmt"
    if _FMT_VFC.match(text):
        return "npiv_fmt"
    if re.match(r"^SVSA\s+Physloc", text):
        return "lsmap"
    if re.match(r"^Name\s+Physloc\s+ClntID", text):
        return "npiv"
    if re.match(r"^SVEA\s+Physloc", text):
        return "net"
    if re.match(r"^SEA\s*:\s*ent\d+", text):
        return "sea_report"
    if re.match(r"^attribute\s+value\s+description", text):
        return "attrs"
    if text.startswith("INSTALLED RESOURCE LIST"):
        return "lscfg"
    return None


_BLOCK_LINE = {
    "lsmap": re.compile(r"^(vhost\d+\s|VTD\b|Status\b|LUN\b|Backing device\b|Physloc\b|Mirrored\b|NO VIRTUAL TARGET|-)"),
    "npiv": re.compile(r"^(vfchost\d+\s|Status:|FC name:|Ports logged in:|Flags:|VFC client name:|-)"),
    "net": re.compile(r"^(ent\d+\s|SEA\b|Backing device\b|Status\b|Physloc\b|-)"),
}


_REPEATS = frozenset({"lsmap_fmt", "npiv_fmt", "sea_report", "lsmap", "npiv", "net"})


def sniff(lines: list[str], first: int, cap: ViosCapture, device: str | None = None) -> None:
    """Find the VIOS listings in text without command lines and parse each one."""
    segments: list[tuple[str, int, list[str]]] = []
    current: tuple[str, int, list[str]] | None = None
    for i, raw in enumerate(lines):
        text = raw.strip()
        n = first + i
        m = _REPORT_HOST.match(text)
        if m:
            cap.hostnames.append((n, m.group("host")))
            cap.serial = m.group("serial")
            current = None
            continue
        if text == "VIOS hostname:" and i + 1 < len(lines) and lines[i + 1].strip():
            cap.hostnames.append((n + 1, lines[i + 1].strip().split()[0]))
            current = None
            continue
        kind = _line_kind(text)
        if kind is not None and not (current is not None and current[0] == kind and kind in _REPEATS):
            current = (kind, n, [])
            segments.append(current)
        elif kind is None and current is not None and not _continues(current[0], text):
            current = None
        if current is not None:
            current[2].append(raw)
    for kind, start, body in segments:
        if kind == "attrs":
            if device:
                attrs, problems = dev.parse_attr_table(body, start)
                _take(cap, dev.device_rows(device, attrs, problems), "vios_lsdev")
            continue
        _take(cap, _parse_segment(kind, body, start), f"vios_{kind}")


def _continues(kind: str, text: str) -> bool:
    if not text:
        return kind not in ("lsmap_fmt", "npiv_fmt")
    if kind in ("lsmap_fmt", "npiv_fmt"):
        return False
    if kind in _BLOCK_LINE:
        return bool(_BLOCK_LINE[kind].match(text)) or bool(MESSAGE_RE.match(text))
    if kind == "attrs":
        return bool(re.match(r"^[A-Za-z_][\w.]*\s", text))
    return not text.lower().startswith(("execution date", "firmware level", "card info", "fc info", "npiv map info",
                                        "vscsi map info"))


def _parse_segment(kind: str, body: list[str], start: int) -> lsm.Parsed:
    if kind == "lsmap_fmt":
        return lsm.parse_lsmap_fmt(body, start)
    if kind == "npiv_fmt":
        return npv.parse_npiv_fmt(body, start)
    if kind == "lsmap":
        return lsm.parse_lsmap(body, start)
    if kind == "npiv":
        return npv.parse_npiv(body, start)
    if kind == "net":
        return npv.parse_net(body, start)
    if kind == "sea_report":
        return dev.parse_sea_report(body, start)
    if kind == "lscfg":
        return dev.parse_lscfg(body, start)
    return lsm.Parsed()
