"""The pseudonym map: original identifier -> pseudonym, per kind, kept by the user and reused.

Why a persistent map: bundles are shared again and again (every audit, several HMCs), and a
consultant comparing two anonymised bundles must see the same system under the same pseudonym.
The map is only ever extended: an identifier already in it keeps its pseudonym, new identifiers
get the next free number, so re-running with the same map never reshuffles anything.

Names (systems, partitions, HMCs, hosts, users, IBM i objects, pools) share one namespace keyed
case-insensitively: "NIM" and "nim" are the same partition to an analyst, and a VIOS host name
equal to its partition name must get the same pseudonym. The case of each occurrence is kept
(all-lower stays lower), so case-sensitive HMC names stay distinct where they differ only in case.

Pseudonyms keep their format valid: names stay legal HMC/IBM i names and show their kind
(SYS-001, LPAR-0007, HMC-01...), IPs keep their class and subnet structure (prefix-preserving,
host octet kept), MACs keep the vendor OUI and separators, WWPNs keep the vendor prefix and the
low bit (the two WWPNs of a virtual FC adapter stay a distinct consecutive pair), serials keep
their length.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hatoolkit.errors import HatoolkitError

MAP_VERSION = 1
NAME_KINDS = ("system", "partition", "hmc", "host", "domain", "user", "pool", "nwsd", "nwsstg", "iasp")
VALUE_KINDS = ("serial", "mac", "wwpn", "ip_prefix")
# Pseudonym patterns per name kind: prefix and digits (IBM i object names stay <= 10 characters).
_NAME_FORMAT = {
    "system": ("SYS-", 3), "partition": ("LPAR-", 4), "hmc": ("HMC-", 2), "host": ("HOST-", 3),
    "domain": ("DOMAIN", 3), "user": ("USER", 2), "pool": ("POOL", 2), "nwsd": ("NWSD", 4),
    "nwsstg": ("STG", 5), "iasp": ("IASP", 3),
}
# Identifiers everyone has: not secrets, and renaming them would break meaning (IBM defaults).
KEEP_NAMES = frozenset({"HSCROOT", "HSCPE", "PADMIN", "ROOT", "QSECOFR", "DEFAULTPOOL", "*SYSBAS", "SYSBAS",
                        "LOCALHOST", "NONE", "NULL"})


class MapError(HatoolkitError):
    """The map file is not a hatoolkit anonymisation map (names file and line)."""


def case_like(template: str, pseudonym: str) -> str:
    """Apply the case style of the original occurrence (all-lower stays lower)."""
    letters = [c for c in template if c.isalpha()]
    if letters and all(c.islower() for c in letters):
        return pseudonym.lower()
    return pseudonym


@dataclass
class PseudonymMap:
    """Every identifier seen so far and its pseudonym; `added` counts what this run created."""

    names: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in NAME_KINDS})
    serial: dict[str, str] = field(default_factory=dict)
    mac: dict[str, str] = field(default_factory=dict)  # 12 hex, upper -> 12 hex, upper
    wwpn: dict[str, str] = field(default_factory=dict)  # 16 hex, upper (low bit cleared) -> likewise
    ip_prefix: dict[str, str] = field(default_factory=dict)  # "10", "10.20", "10.20.3" -> pseudonym prefix
    added: int = 0
    _by_key: dict[str, tuple[str, str]] = field(default_factory=dict)  # NAME upper -> (kind, pseudonym)
    _used: set[str] = field(default_factory=set)  # pseudonyms handed out
    _reserved: set[str] = field(default_factory=set)  # real names, never handed out

    def __post_init__(self) -> None:
        for kind, table in self.names.items():
            for original, pseudonym in table.items():
                self._by_key.setdefault(original.upper(), (kind, pseudonym))
                self._used.add(pseudonym.upper())
        self._used.update(v.upper() for v in self.serial.values())

    # ------------------------------------------------------------------ names
    def name(self, original: str, kind: str) -> str:
        """The pseudonym of a name (allocated on first sight), in the case style of `original`."""
        key = original.upper()
        if key in KEEP_NAMES:
            return original
        hit = self._by_key.get(key)
        if hit is None:
            prefix, width = _NAME_FORMAT[kind]
            n = len(self.names[kind]) + 1
            while f"{prefix}{n:0{width}d}" in self._used or f"{prefix}{n:0{width}d}" in self._reserved:
                n += 1
            pseudonym = f"{prefix}{n:0{width}d}"
            self.names[kind][original] = pseudonym
            self._by_key[key] = (kind, pseudonym)
            self._used.add(pseudonym)
            self.added += 1
            hit = (kind, pseudonym)
        return case_like(original, hit[1])

    def reserve(self, originals: list[str]) -> None:
        """Real names are never handed out as pseudonyms (a system really called SYS-001 stays unambiguous)."""
        self._reserved.update(o.upper() for o in originals)

    def lookup(self, original: str) -> str | None:
        """The pseudonym of a known name, or None."""
        key = original.upper()
        if key in KEEP_NAMES:
            return None
        hit = self._by_key.get(key)
        return case_like(original, hit[1]) if hit else None

    def kind_of(self, original: str) -> str | None:
        hit = self._by_key.get(original.upper())
        return hit[0] if hit else None

    def known_names(self) -> list[str]:
        return list(self._by_key)

    def is_pseudonym(self, text: str) -> bool:
        return text.upper() in self._used

    # ------------------------------------------------------------------ values
    def serial_of(self, original: str) -> str:
        """Same length and separators, upper-case alphanumeric, never equal to another serial."""
        key = original.upper()
        if key not in self.serial:
            slots = [i for i, c in enumerate(key) if c.isalnum()]
            n = len(self.serial) + 1
            while True:
                body = ("Z" + _base36(n).rjust(len(slots) - 1, "0"))[-len(slots):] if len(slots) > 1 \
                    else _base36(n % 36)
                chars = list(key)
                for i, c in zip(slots, body, strict=False):
                    chars[i] = c
                candidate = "".join(chars)
                if candidate not in self._used and candidate != key:
                    break
                n += 1
            self.serial[key] = candidate
            self._used.add(candidate)
            self.added += 1
        return self.serial[key].lower() if original.islower() else self.serial[key]

    def mac_of(self, hex12: str) -> str:
        """12 hex digits (no separators) -> 12 hex digits: OUI kept, NIC part pseudonymous."""
        key = hex12.upper()
        if key not in self.mac:
            taken = set(self.mac.values())
            n = len(self.mac) + 1
            while True:
                candidate = key[:6] + _hash_hex(f"mac{n}", 6)
                if candidate not in taken and candidate != key:
                    break
                n += 1
            self.mac[key] = candidate
            self.added += 1
        return self.mac[key]

    def wwpn_of(self, hex16: str) -> str:
        """16 hex digits -> 16 hex digits: vendor prefix (first 6) and the low bit kept, pairs stay pairs."""
        key = hex16.upper()
        base = f"{int(key, 16) & ~1:016X}"
        if base not in self.wwpn:
            taken = set(self.wwpn.values())
            n = len(self.wwpn) + 1
            while True:
                candidate = f"{int(base[:6] + _hash_hex(f'wwpn{n}', 10), 16) & ~1:016X}"
                if candidate not in taken and candidate != base:
                    break
                n += 1
            self.wwpn[base] = candidate
            self.added += 1
        return f"{int(self.wwpn[base], 16) | (int(key, 16) & 1):016X}"

    def ip_of(self, address: str) -> str:
        """Prefix-preserving IPv4 pseudonym in the same class; the host octet is kept."""
        octets = address.split(".")
        out: list[str] = []
        for depth in (1, 2, 3):
            prefix = ".".join(octets[:depth])
            if prefix not in self.ip_prefix:
                self.ip_prefix[prefix] = self._new_prefix(octets[:depth], out)
                self.added += 1
            out = self.ip_prefix[prefix].split(".")
        return ".".join([*out, octets[3]])

    def _new_prefix(self, octets: list[str], parent: list[str]) -> str:
        first = int(octets[0])
        depth = len(octets)
        if depth == 1:
            # Private and special ranges keep their first octet; public ones stay public.
            if first in (10, 172, 192, 100, 169) or not is_public_first(first):
                return str(first)
            return str(_pick([str(p) for p in range(11, 100) if is_public_first(p)], self._siblings(""), octets[0]))
        second = int(octets[1])
        parent_text = ".".join(parent)
        if depth == 2 and parent_text == "172" and 16 <= second <= 31:
            pool = [str(p) for p in range(16, 32)]
        elif depth == 2 and parent_text == "192" and second == 168:
            return "192.168"
        elif depth == 2 and parent_text == "100" and 64 <= second <= 127:
            pool = [str(p) for p in range(64, 128)]
        elif depth == 2 and parent_text == "169" and second == 254:
            return "169.254"
        elif depth == 2 and parent_text in ("172", "192", "100", "169"):
            return f"{parent_text}.{second}"  # public space inside those first octets: kept coarse
        else:
            pool = [str(p) for p in range(1, 255)]
        return f"{parent_text}.{_pick(pool, self._siblings(parent_text), '.'.join(octets))}"

    def _siblings(self, parent: str) -> set[str]:
        taken = set()
        for value in self.ip_prefix.values():
            head, _, last = value.rpartition(".")
            if head == parent:
                taken.add(last)
        return taken

    # ------------------------------------------------------------------ file
    def to_yaml(self) -> str:
        data: dict[str, object] = {"hatoolkit_anonymize_map": MAP_VERSION}
        for kind in NAME_KINDS:
            if self.names[kind]:
                data[kind] = dict(self.names[kind])
        for kind in VALUE_KINDS:
            table = getattr(self, kind)
            if table:
                data[kind] = dict(table)
        head = ("# hatoolkit anonymisation map: original -> pseudonym. KEEP PRIVATE: it undoes the anonymisation.\n"
                "# Reuse it (--map) so the same names get the same pseudonyms; entries are only ever added.\n")
        return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)


def is_public_first(octet: int) -> bool:
    return ipaddress.ip_address(f"{octet}.1.1.1").is_global


def _pick(pool: list[str], taken: set[str], seed: str) -> str:
    start = int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(pool)
    for i in range(len(pool)):
        candidate = pool[(start + i) % len(pool)]
        if candidate not in taken:
            return candidate
    raise HatoolkitError(f"anonymize: no free pseudonym network for {seed} (too many distinct networks)")


def _hash_hex(seed: str, width: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:width].upper()


def _base36(n: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def load_map(path: str | Path | None) -> PseudonymMap:
    """The map at `path` (an empty one when the file does not exist yet); MapError names file and line."""
    if path is None or not Path(path).exists():
        return PseudonymMap()
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MapError(f"cannot read the map: {exc}", file=file) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise MapError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=file,
                       line=mark.line + 1 if mark else None) from None
    if data is None:
        return PseudonymMap()
    if not isinstance(data, dict) or data.get("hatoolkit_anonymize_map") != MAP_VERSION:
        raise MapError(f"not a hatoolkit anonymisation map (expected 'hatoolkit_anonymize_map: {MAP_VERSION}')",
                       file=file, line=1)
    result = PseudonymMap()
    for kind, table in data.items():
        if kind == "hatoolkit_anonymize_map":
            continue
        if kind not in NAME_KINDS and kind not in VALUE_KINDS:
            raise MapError(f"unknown section {kind!r} (one of: {', '.join(NAME_KINDS + VALUE_KINDS)})",
                           file=file, line=_line_of(text, f"{kind}:"))
        if not isinstance(table, dict) or not all(isinstance(k, str | int) and isinstance(v, str | int)
                                                  for k, v in table.items()):
            raise MapError(f"{kind}: expected 'original: pseudonym' pairs", file=file, line=_line_of(text, f"{kind}:"))
        clean = {str(k): str(v) for k, v in table.items()}
        seen: dict[str, str] = {}
        for original, pseudonym in clean.items():
            if pseudonym.upper() in seen and kind in NAME_KINDS + ("serial",):
                raise MapError(f"{kind}: {original!r} and {seen[pseudonym.upper()]!r} share the pseudonym "
                               f"{pseudonym!r}", file=file, line=_line_of(text, f"{original}:"))
            seen[pseudonym.upper()] = original
        if kind in NAME_KINDS:
            result.names[kind] = clean
        else:
            setattr(result, kind, clean)
    result.__post_init__()
    return result


def save_map(pmap: PseudonymMap, path: str | Path) -> None:
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(pmap.to_yaml(), encoding="utf-8")
    except OSError as exc:
        raise MapError(f"cannot write the map: {exc.strerror or exc}", file=str(path)) from None


def _line_of(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return i
    return None


def inverse(pmap: PseudonymMap) -> PseudonymMap:
    """The map the other way round: turns pseudonyms in findings a consultant sends back into real names."""
    names = {kind: {p: o for o, p in table.items()} for kind, table in pmap.names.items()}
    inv = PseudonymMap(names=names, serial={p: o for o, p in pmap.serial.items()},
                       mac={p: o for o, p in pmap.mac.items()}, wwpn={p: o for o, p in pmap.wwpn.items()},
                       ip_prefix={p: o for o, p in pmap.ip_prefix.items()})
    return inv
