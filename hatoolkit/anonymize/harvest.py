"""Finding the identifiers of a bundle: what the Inventory knows, plus what only the text shows.

Why both: the Inventory knows which strings are system and partition names in every format it
reads (so a partition called "1" is still known to be a name), but prompts, host names, login
banners, location codes and files no reader claims are only visible in the raw text. Values that
look like anything (a 7-character serial, 12 or 16 hex digits) are harvested only from fields
that name them, never guessed from shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from hatoolkit.model.inventory import Inventory

# Columns of the Inventory frames that hold names, by kind (the frames say what a value is).
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "system": ("system",),
    "partition": ("name", "lpar_name", "remote_lpar_name", "vios_name", "client_name", "guest_partition",
                  "partition"),
    "hmc": ("hmc",),
    "pool": ("shared_proc_pool_name",),
    "nwsd": ("nwsd",),
    "nwsstg": ("nwsstg", "saved_nwsstg"),
    "iasp": ("aspdev", "geo_session"),
    "host": ("system_name", "source_system", "mirror_copy_node"),
}
NAME_FRAMES_FOR_NAME_COL = ("partitions",)  # `name` means partition only there (proc_pools.name is a pool)
SERIAL_COLUMNS = ("serial_num", "logical_serial_num", "mirror_copy_serial", "serial_number")
MAC_COLUMNS = ("mac_addr", "mac_address")
WWPN_COLUMNS = ("wwpns", "wwpn")
KIND_ORDER = ("system", "partition", "hmc", "host", "user", "domain", "pool", "nwsd", "nwsstg", "iasp")

IPV4_RE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
SERIAL_SHAPE_RE = re.compile(r"(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-]{2,19}")
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
PROMPT_RE = re.compile(r"(?m)^\s*([\w.\-]+)@([\w.\-]+)(?::[^\s>$#]*)?\s*[>$#]")
HOSTNAME_RE = re.compile(r"(?m)^[^\n]*?[$#>]\s*hostname\s*\n\s*([A-Za-z][\w.\-]*)\s*$")
SERIAL_CONTEXT_RE = re.compile(r"(?i)(?:\b\w*serial\w*[\"']?\s*[=:]\s*[\"']?|<\w*Serial\w*>\s*)([A-Za-z0-9]{5,12})\b")
MTMS_RE = re.compile(r"\b\d{4}-\w{3}\*([A-Za-z0-9]{5,12})\b")
LOCATION_RE = re.compile(r"\bU\w{4}\.\w{3}\.([A-Za-z0-9]{7})(?![A-Za-z0-9])")
MAC_CONTEXT_RE = re.compile(r"(?i)(?:\w*mac\w*[\"']?\s*[=:>]\s*[\"']?)([0-9A-F]{12})\b")
WWPN_CONTEXT_RE = re.compile(r"(?i)wwpn\w*[\"']?\s*[=:>]\s*\"*([0-9A-F]{16}(?:[\s,\"]+[0-9A-F]{16})*)")
WWPN_IBM_RE = re.compile(r"(?i)(?<![0-9a-f])(c05076[0-9a-f]{10})(?![0-9a-f])")
WWPN_LOC_RE = re.compile(r"-W([0-9A-Fa-f]{16})(?![0-9A-Fa-f])")
HEX16_RE = re.compile(r"[0-9A-Fa-f]{16}")
TLDS = ("com|net|org|local|lan|corp|internal|intra|intranet|home|int|edu|gov|biz|info|pl|de|uk|fr|es|nl|ch|cz|"
        "ca|au|jp|cn|br|example|invalid|test")
FQDN_RE = re.compile(rf"(?i)(?<![\w.\-@/])([a-z][a-z0-9\-]*)\.((?:[a-z0-9\-]+\.)*(?:{TLDS}))(?![\w\-]|\.\w)")
NAME_ATTR_RE = re.compile(r"(?:^|[\s,\"])(lpar_name|remote_lpar_name|sys_name|managed_system)=([^,\"\n]+)")
HMC_OPTION_RE = re.compile(r"\b(?:lssyscfg|lshwres|lslparutil|lscod|lslparmigr|viosvrcmd|lsrefcode|lsmemopt|lssvcevents|"
                           r"lsrsrc|lssacfg|lsnportlogin)\b[^\n]*?\s-([mp])\s+[\"']?([^\s\"']+)")
ATTR_NAME_RE = re.compile(r"(?:^|[,\"\s])([A-Za-z_][A-Za-z0-9_]*)=")
XML_TAG_RE = re.compile(r"</?([A-Za-z_][\w\-]*)[\s>]")
# Words of the formats that a name may collide with: such names are replaced only in name contexts.
STOPWORDS = frozenset(
    ["none", "null", "default", "normal", "all", "on", "off", "yes", "no", "true", "false", "running", "active", "inactive", "unknown", "unavailable", "client", "server", "vioserver", "aixlinux", "os400", "ibm", "ded", "shared", "uncap", "cap", "operating", "standby", "sys", "lpar", "name", "system", "partition", "profile", "pool", "state", "type", "model", "id", "vios", "hmc", "host", "mode", "auto", "min", "max", "desired", "curr", "available", "defined", "not", "activated", "open", "failed", "error", "ok", "up", "down", "primary", "backup", "disabled", "enabled", "local", "remote", "status", "eth", "scsi", "fc", "mem", "proc", "io", "slot", "virtual", "physical"])


@dataclass
class Harvest:
    """Identifiers found, per kind, in a stable order (so pseudonym numbers are reproducible)."""

    names: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KIND_ORDER})
    serials: set[str] = field(default_factory=set)
    macs: set[str] = field(default_factory=set)
    wwpns: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # attribute/column/tag names seen (for ambiguity)

    def add(self, kind: str, value: object) -> None:
        text = _clean(value)
        if text is not None and not IPV4_RE.fullmatch(text):  # an HMC known by its address: the IP rules apply
            self.names[kind].add(text)

    def ordered_names(self) -> list[tuple[str, str]]:
        seen: set[str] = set()
        out = []
        for kind in KIND_ORDER:
            for name in sorted(self.names[kind]):
                if name.upper() not in seen:
                    seen.add(name.upper())
                    out.append((kind, name))
        return out

    def ambiguous(self) -> set[str]:
        """Names that are also numbers, single characters, or words of the formats."""
        words = {w.lower() for w in self.words}
        words |= {part for w in words for part in w.split("_")}
        out = set()
        for _, name in self.ordered_names():
            low = name.lower()
            if len(name) < 2 or name.isdigit() or low in STOPWORDS or low in words or \
                    re.fullmatch(r"[\d.]+", name):
                out.add(name)
        return out


def _clean(value: object) -> str | None:
    if value is None or (not isinstance(value, str | tuple | list) and pd.isna(value)):  # type: ignore[arg-type]
        return None
    text = str(value).strip()
    return text if text and text.lower() not in ("none", "null", "unavailable", "unknown", "*none") else None


def from_inventory(inv: Inventory, harvest: Harvest) -> None:
    """Names and values the readers already typed, from every frame."""
    for frame_name in inv.frame_names():
        frame = getattr(inv, frame_name)
        if frame is None or frame.empty:
            continue
        for kind, columns in NAME_COLUMNS.items():
            for col in columns:
                if col not in frame.columns or (col == "name" and frame_name not in NAME_FRAMES_FOR_NAME_COL):
                    continue
                for value in frame[col].dropna().unique():
                    if kind == "iasp" and str(value).startswith("*"):
                        continue
                    if kind == "host" and "." in str(value):
                        add_fqdn(str(value), harvest)
                    else:
                        harvest.add(kind, value)
        if frame_name == "proc_pools" and "name" in frame.columns:
            for value in frame["name"].dropna().unique():
                harvest.add("pool", value)
        if "host_name" in frame.columns:
            for value in frame["host_name"].dropna().unique():
                add_fqdn(str(value), harvest)
        for col in SERIAL_COLUMNS:
            if col in frame.columns:
                harvest.serials.update(s.upper() for s in (_clean(v) for v in frame[col].dropna().unique())
                                       if s and SERIAL_SHAPE_RE.fullmatch(s))
        for col in MAC_COLUMNS:
            if col in frame.columns:
                harvest.macs.update(v for v in (_hex(v, 12) for v in frame[col].dropna().unique()) if v)
        for col in WWPN_COLUMNS:
            if col in frame.columns:
                for value in frame[col].dropna():
                    items = value if isinstance(value, tuple | list) else HEX16_RE.findall(str(value))
                    harvest.wwpns.update(v for v in (_hex(i, 16) for i in items) if v)


def add_fqdn(value: str, harvest: Harvest) -> None:
    host, _, domain = value.strip().partition(".")
    if host:
        harvest.add("host", host)
    if domain:
        harvest.add("domain", domain)


def from_text(text: str, harvest: Harvest) -> None:
    """Identifiers that only the raw text shows: prompts, host names, contexts that name a value."""
    if "\x1b" in text:
        text = ANSI_RE.sub("", text)
    for user, host in PROMPT_RE.findall(text):
        harvest.add("user", user)
        if "." in host:
            add_fqdn(host, harvest)
        else:
            harvest.add("host", host)
    for attr, value in NAME_ATTR_RE.findall(text):  # files no reader claims (lslparutil, new commands)
        harvest.add("system" if attr.lower() in ("sys_name", "managed_system", "parent") else "partition", value)
    for option, value in HMC_OPTION_RE.findall(text):
        harvest.add("system" if option == "m" else "partition", value)
    for host in HOSTNAME_RE.findall(text):
        add_fqdn(host, harvest) if "." in host else harvest.add("host", host)
    for regex in (SERIAL_CONTEXT_RE, MTMS_RE, LOCATION_RE):
        harvest.serials.update(s.upper() for s in regex.findall(text) if not s.isalpha())
    harvest.macs.update(m.upper() for m in MAC_CONTEXT_RE.findall(text))
    for group in WWPN_CONTEXT_RE.findall(text):
        harvest.wwpns.update(h.upper() for h in HEX16_RE.findall(group))
    harvest.wwpns.update(h.upper() for h in WWPN_IBM_RE.findall(text))
    harvest.wwpns.update(h.upper() for h in WWPN_LOC_RE.findall(text))
    for host, domain in FQDN_RE.findall(text):
        add_fqdn(f"{host}.{domain}", harvest)
    harvest.words.update(ATTR_NAME_RE.findall(text))
    harvest.words.update(XML_TAG_RE.findall(text[:2_000_000]))


YAML_NAME_KEYS = frozenset({"resource", "destination", "preemptible", "critical", "include", "exclude", "assign"})
SLASH_NAME_RE = re.compile(r"^([^/\s*?\[\]]+)/([^/\s*?\[\]]+)(?:/.*)?$")


def from_yaml(data: object, harvest: Harvest, under: str = "") -> None:
    """`SYS/PART` in plan.yaml and waivers.yaml name a system and a partition even when no capture does."""
    if isinstance(data, dict):
        for key, value in data.items():
            if under in YAML_NAME_KEYS and isinstance(key, str):
                _slash_names(key, harvest)
            if str(key) in YAML_NAME_KEYS and isinstance(value, str):
                _slash_names(value, harvest)
            from_yaml(value, harvest, str(key))
    elif isinstance(data, list):
        for item in data:
            if under in YAML_NAME_KEYS and isinstance(item, str):
                _slash_names(item, harvest)
            from_yaml(item, harvest, under)


def _slash_names(text: str, harvest: Harvest) -> None:
    m = SLASH_NAME_RE.match(text.strip())
    if m:
        harvest.add("system", m.group(1))
        harvest.add("partition", m.group(2))


def from_path(rel: str, harvest: Harvest) -> None:
    """Folder conventions name things: hmc/<hmc>/, vios/<system>/<vios>/, ibmi/<system>/<partition>/."""
    parts = rel.split("/")
    if parts[0] == "hmc" and len(parts) >= 3:
        harvest.add("hmc", parts[1])
    elif parts[0] in ("vios", "ibmi") and len(parts) >= 4:
        harvest.add("system", parts[1])
        harvest.add("partition", parts[2])


def from_header(words: Iterable[str], harvest: Harvest) -> None:
    harvest.words.update(str(w) for w in words if w)


def _hex(value: object, width: int) -> str | None:
    text = re.sub(r"[:\-.\s]", "", str(value)).upper()
    return text if len(text) == width and re.fullmatch(r"[0-9A-F]+", text) else None
