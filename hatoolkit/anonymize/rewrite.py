"""Rewriting text with a pseudonym map: whole tokens only, whatever the format around them.

Why tokens and not substring replacement: a partition called "NIM" must not turn "NIMSRV" or an
attribute name into garbage, and "PRD-1" must not eat the start of "PRD-1-VIOS1". A token is a
run of name characters (letters, digits, `_`, `-`, `.`); a known name is replaced when it is the
whole token, or a run of whole `_`/`-`/`.` segments of it (a name inside a file name such as
`IBMI-7_proc.txt`, or a device name built from it). Names that are also ordinary words of the
formats ("1", "default", "none", an attribute name) are "ambiguous": they are replaced only where
the format says a name stands (`name=`, `lpar_name=`, `-m`/`-p` options, a name column's cell, a
path component). IPs, MACs and WWPNs are recognised by shape (separators, IBM WWPN prefix,
location codes); serials and bare hex MACs/WWPNs only when the harvest saw them in a field that
names them, so a hex LUN id or a version number is never touched.
"""

from __future__ import annotations

import csv
import html
import io
import re

from hatoolkit.anonymize.mapping import PseudonymMap

IP_RE = r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)"
HEXSEP_RE = r"(?<![\w:.\-])[0-9A-Fa-f]{2}(?:[:\-][0-9A-Fa-f]{2}){5}(?:[:\-][0-9A-Fa-f]{2}){0,2}(?![\w:\-])"
TOKEN_RE = r"[A-Za-z0-9][A-Za-z0-9_\-.]*"
VERSION_CONTEXT = re.compile(r"(?i)(?:vios|aix|ioslevel|oslevel|version|level|release|code|firmware|fw|ver|v)"
                             r"[\s=:|\"'>]*$")
NAME_CONTEXT = re.compile(r"(?i)(?:(?:^|[\s,\"'(<])[a-z_]*(?:name|names|lpar|partition|system|sys|host|hostname|"
                          r"vios|server|nwsd|source_system)[\"']?\s*[=:]\s*[\"']?|(?:^|\s)-[mpt]\s+[\"']?|"
                          r"<(?:[A-Za-z]*Name)>)$")
NAME_WORDS = frozenset({"name", "names", "hostname", "objname", "rsrcname_partition"})
NAME_HEADERS = frozenset({"system", "partition", "lpar", "vios", "host", "nwsd", "nwsstg", "aspdev", "server",
                          "managed_system", "node", "source_system", "mirror_copy_node", "client", "guest"})
PATH_IP_RE = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)")
F_COLUMNS = re.compile(r"\s-F\s+[\"']?([A-Za-z0-9_,]+)")
PROMPT_LINE = re.compile(r"^\s*(?:[\w.\-]+@[\w.\-]+\S*\s*[>$#]|\$\s|###)")
SECRET_RE = re.compile(r"""(?i)(\b(?:password|passwd|pwd|pw|passphrase)["']?\s*[:=]\s*["']?)[^\s"',}]+""")
SEGMENT_SPLIT = re.compile(r"([_\-.])")
ALNUM_RE = re.compile(r"[A-Za-z0-9]+")
HEX = frozenset("0123456789abcdefABCDEF")


def is_name_column(header: str) -> bool:
    """`lpar_name`, `Name`, `LPAR Name`, `SYSTEM_NAME`, `system`: yes; `lpar_id`, `state`: no."""
    key = re.sub(r"[\s\-]+", "_", (header or "").strip().lower())
    return key in NAME_HEADERS or any(part in NAME_WORDS for part in key.split("_"))


def special_ip(text: str) -> bool:
    """Addresses that identify nobody and whose meaning must stay: masks, loopback, any, multicast."""
    octets = [int(o) for o in text.split(".")]
    if any(o > 255 for o in octets):
        return True
    return octets[0] in (0, 127, 255) or octets[0] >= 224


class Rewriter:
    """Applies one PseudonymMap to text, cells and paths."""

    def __init__(self, pmap: PseudonymMap, ambiguous: set[str], *, known_ips_only: bool = False) -> None:
        self.pmap = pmap
        self.known_ips_only = known_ips_only  # for a reverse map: version numbers are not addresses
        self.ambiguous = {a.upper() for a in ambiguous}
        odd = [n for n in pmap.known_names() if not re.fullmatch(r"[A-Za-z0-9_\-.]+", n)]
        # XML and HTML carry `R&D` as `R&amp;D`: the escaped spelling is the same name.
        self._escaped = {html.escape(n, quote=True).upper(): n for n in odd if html.escape(n, quote=True) != n}
        specials = sorted(odd + list(self._escaped), key=len, reverse=True)
        special_alt = "|".join(rf"(?<![\w\-]){re.escape(s)}(?![\w\-])" for s in specials)
        parts = [f"(?P<ip>{IP_RE})", f"(?P<hex>{HEXSEP_RE})"]
        if special_alt:
            parts.insert(0, f"(?P<special>{special_alt})")
        parts.append(f"(?P<tok>{TOKEN_RE})")
        self._re = re.compile("|".join(parts), re.IGNORECASE if special_alt else 0)

    # ------------------------------------------------------------------ public
    def text(self, text: str, *, no_ip: bool = False) -> str:
        """Rewrite free text (a capture, an XML document, a YAML file); secrets someone captured are blanked."""
        if "pw" in text.lower() or "pass" in text.lower():
            text = SECRET_RE.sub(lambda m: m.group(1) + "REDACTED", text)
        return self._re.sub(lambda m: self._token(m, text, no_ip), text)

    def capture(self, text: str) -> str:
        """A capture: like `text`, but `-F` delimited rows give their cells the column as context."""
        if not self.ambiguous or " -F " not in text:
            return self.text(text)
        out: list[str] = []
        columns: list[str] | None = None
        for line in text.split("\n"):
            m = F_COLUMNS.search(line)
            if m:
                columns = m.group(1).split(",")
                out.append(self.text(line))
                continue
            if columns and line and not line.startswith(("$", "#")) and "=" not in line.split(",", 1)[0]:
                try:
                    cells = next(csv.reader([line]))
                except (csv.Error, StopIteration):
                    cells = []
                if len(cells) == len(columns):
                    buf = io.StringIO()
                    csv.writer(buf, lineterminator="").writerow(
                        [self.cell(c, columns[i]) for i, c in enumerate(cells)])
                    out.append(buf.getvalue())
                    continue
            if PROMPT_LINE.match(line):
                columns = None
            out.append(self.text(line))
        return "\n".join(out)

    def cell(self, value: str, header: str = "") -> str:
        """Rewrite one table cell; a whole-cell ambiguous name counts when its column names names."""
        stripped = value.strip()
        if stripped and is_name_column(header):
            hit = self.pmap.lookup(stripped)
            if hit is not None:
                return value.replace(stripped, hit)
        no_ip = bool(re.search(r"(?i)level|version|release|firmware", header or ""))
        return self.text(value, no_ip=no_ip)

    def path(self, rel: str) -> str:
        """Rewrite a bundle-relative path: a whole component is a name context, else segments."""
        out = []
        for part in rel.split("/"):
            part = PATH_IP_RE.sub(lambda m: m.group(0) if special_ip(m.group(0)) else self.pmap.ip_of(m.group(0)), part)
            hit = self.pmap.lookup(part)
            out.append(hit if hit is not None else self._segments(part, allow_ambiguous=False, min_len=2))
        return "/".join(out)

    # ------------------------------------------------------------------ tokens
    def _token(self, m: re.Match[str], text: str, no_ip: bool) -> str:
        kind = m.lastgroup
        value = m.group(0)
        if kind == "special":
            return self.pmap.lookup(self._escaped.get(value.upper(), value)) or value
        if kind == "ip":
            if no_ip or special_ip(value) or VERSION_CONTEXT.search(text[max(0, m.start() - 24):m.start()]):
                return value
            if self.known_ips_only and value.rpartition(".")[0] not in self.pmap.ip_prefix:
                return value
            return self.pmap.ip_of(value)
        if kind == "hex":
            return self._hexsep(value)
        trail = len(value) - len(value.rstrip("."))
        core = value[: len(value) - trail] if trail else value
        return self._word(core, text, m.start()) + value[len(core):]

    def _word(self, word: str, text: str, start: int) -> str:
        if word.upper() in self.pmap.serial:
            return self.pmap.serial_of(word)
        hit = self.pmap.lookup(word)
        if hit is not None:
            if word.upper() not in self.ambiguous or NAME_CONTEXT.search(text[max(0, start - 40):start]):
                return hit
            return word
        domain = self._fqdn(word)
        if domain is not None:
            return domain
        return self._segments(word, allow_ambiguous=False)

    def _fqdn(self, word: str) -> str | None:
        if "." not in word:
            return None
        labels = word.split(".")
        for i in range(1, len(labels)):
            suffix = ".".join(labels[i:])
            if self.pmap.kind_of(suffix) == "domain":
                head = [self.pmap.lookup(label) or label for label in labels[:i]]
                return ".".join([*head, self.pmap.lookup(suffix) or suffix])
        return None

    def _segments(self, word: str, *, allow_ambiguous: bool, min_len: int = 3) -> str:
        """Known names made of whole `_`/`-`/`.` segments of a longer token, longest first.

        In running text a two-letter name (MQ) is too likely a word to match inside a token; in a file
        name (`MQ_ClientNetworkAdapter.xml`) it is what the file is about.
        """
        pieces = SEGMENT_SPLIT.split(word)  # [seg, sep, seg, sep, ...]
        if len(pieces) == 1:
            return self._values(word)
        out: list[str] = []
        i = 0
        while i < len(pieces):
            replaced = False
            for j in range(len(pieces), i, -1):
                if (j - i) % 2 == 0 or ((j - i) == len(pieces) and i == 0):
                    continue  # must start and end on a segment; the whole token was tried already
                candidate = "".join(pieces[i:j])
                hit = self.pmap.lookup(candidate) if len(candidate) >= min_len else None
                if hit is not None and (allow_ambiguous or candidate.upper() not in self.ambiguous):
                    out.append(hit)
                    i = j
                    replaced = True
                    break
            if not replaced:
                out.append(self._values(pieces[i]) if i % 2 == 0 else pieces[i])
                i += 1
        return "".join(out)

    def _values(self, word: str) -> str:
        """Serials, bare MACs and WWPNs the harvest saw, as alphanumeric runs of a token."""
        return ALNUM_RE.sub(lambda m: self._value(m.group(0)), word)

    def _value(self, run: str) -> str:
        upper = run.upper()
        if upper in self.pmap.serial:
            return self.pmap.serial_of(run)
        if len(run) == 12 and upper in self.pmap.mac:
            return _case(run, self.pmap.mac_of(upper))
        if len(run) == 16 and set(run) <= HEX and f"{int(upper, 16) & ~1:016X}" in self.pmap.wwpn:
            return _case(run, self.pmap.wwpn_of(upper))
        if len(run) == 17 and upper[0] == "W" and set(run[1:]) <= HEX and \
                f"{int(upper[1:], 16) & ~1:016X}" in self.pmap.wwpn:
            return run[0] + _case(run[1:], self.pmap.wwpn_of(upper[1:]))
        if len(run) >= 20:  # a UDID or unique_id: serials embedded in it (storage, enclosure, system)
            for serial in self.pmap.serial:
                if len(serial) >= 7 and serial in upper:
                    run = re.sub(re.escape(serial), self.pmap.serial[serial], run, flags=re.IGNORECASE)
        return run

    def _hexsep(self, value: str) -> str:
        sep = value[2]
        if any(value[i] != sep for i in range(2, len(value), 3)):
            return value
        digits = value.replace(sep, "")
        new = self.pmap.mac_of(digits) if len(digits) == 12 else self.pmap.wwpn_of(digits) if len(digits) == 16 \
            else None
        if new is None:
            return value
        new = _case(digits, new)
        return sep.join(new[i:i + 2] for i in range(0, len(new), 2))


def _case(template: str, hexdigits: str) -> str:
    return hexdigits.lower() if any(c.islower() for c in template) else hexdigits.upper()
