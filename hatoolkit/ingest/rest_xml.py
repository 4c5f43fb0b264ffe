"""Stream HMC REST (K2/UOM) Atom documents into small per-object trees, with their line numbers.

An HMC REST export is an Atom `<feed>` of `<entry>` elements (or one bare `<entry>`), each
holding one UOM object (`<ManagedSystem:ManagedSystem>`, `<LogicalPartition:LogicalPartition>`,
...). Feeds can be large (a VIOS feed with its storage mappings runs to megabytes), so the file
is parsed with expat in a streaming way: only the current object's subtree is built, handed
over, and dropped. Namespaces are stripped to local names and every attribute (`kb`, `kxe`,
`ksv`, `schemaVersion`) is ignored, except `href`/`rel`, which carry the references between
objects (a partition's managed system, a pool's partitions). Documents with
a DTD or entity declarations are refused: REST exports never have them, and they are the door
to entity-expansion attacks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from hatoolkit.errors import IngestError

UOM_NS = "http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/"
ATOM_NS = "http://www.w3.org/2005/Atom"
_SNIFF_BYTES = 4096
_CHUNK = 1 << 20
FEED = "Feed"  # pseudo-kind: one per Atom feed, carrying the feed's SELF link (what was listed)
_UUID = re.compile(r"/(ManagedSystem|LogicalPartition|VirtualIOServer)/([0-9A-Fa-f-]{36})")


@dataclass
class RestObject:
    """One UOM object of a REST document: its kind (local element name) and its subtree."""

    kind: str
    elem: ET.Element  # local names; only href/rel attributes are kept (references), kb/kxe/... dropped
    file: str
    line: int
    self_href: str | None  # the entry's SELF link(s), space-separated (else the feed's)

    @property
    def feed_kind(self) -> str | None:
        """For a Feed pseudo-object: the kind of object the feed lists (last word of its SELF link)."""
        path = (self.self_href or "").split("?", 1)[0].rstrip("/")
        return path.rsplit("/", 1)[-1] if self.kind == FEED and path else None

    @property
    def uuid(self) -> str | None:
        atom = self.elem.findtext("Metadata/Atom/AtomID")
        if atom:
            return atom.strip()
        href = (self.self_href or "").split(" ")[0]
        return href.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or None

    def text(self, path: str) -> str | None:
        """Stripped text of the first element at `path` (ElementTree path of local names)."""
        found = self.elem.find(path)
        if found is None or found.text is None:
            return None
        return found.text.strip()

    def parent_uuid(self, kind: str) -> str | None:
        """UUID of the enclosing `kind` (ManagedSystem, LogicalPartition...) named in the SELF link."""
        for found_kind, uuid in _UUID.findall(self.self_href or ""):
            if found_kind == kind:
                return uuid
        return None


def sniff(head: bytes) -> bool:
    """True when the first bytes look like an HMC REST Atom feed/entry or a bare UOM object."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not text.startswith("<"):
        return False
    return (ATOM_NS in text and ("<feed" in text or "<entry" in text)) or UOM_NS in text


def is_rest_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return sniff(fh.read(_SNIFF_BYTES))
    except OSError:
        return False


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


class _Stream:
    """expat callbacks that build one UOM object at a time (entries inside feeds, or a bare object)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.chars
        self.parser.StartDoctypeDeclHandler = self.refuse
        self.parser.EntityDeclHandler = self.refuse
        self.path: list[str] = []
        self.stack: list[ET.Element] = []  # the object being built
        self.object_line = 0
        self.entry_self: str | None = None
        self.feed_self: str | None = None
        self.done: list[RestObject] = []
        self.in_content = False

    def refuse(self, *_args: object) -> None:
        raise IngestError("XML with a DTD or entity declarations is not an HMC REST export (refused)",
                          file=self.file, line=self.parser.CurrentLineNumber)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = local(tag)
        parent = self.path[-1] if self.path else None
        self.path.append(name)
        if self.stack:
            attrib = {k: v for k, v in attrs.items() if k in ("href", "rel")}
            self.stack.append(ET.SubElement(self.stack[-1], name, attrib))
            return
        if name == "link" and attrs.get("rel") == "SELF":
            href = attrs.get("href") or ""
            if parent == "entry":  # an entry may have several SELF links (with and without its system)
                self.entry_self = f"{self.entry_self} {href}" if self.entry_self else href
            elif parent == "feed" and self.feed_self is None:
                self.feed_self = href
                # The feed itself is a fact: an empty feed says "there are none", not "not exported".
                self.done.append(RestObject(FEED, ET.Element(FEED), self.file, self.parser.CurrentLineNumber, href))
            return
        if name == "entry":
            self.entry_self = None
        elif name == "content" and parent == "entry":
            self.in_content = True
        elif self.in_content or (tag.startswith(UOM_NS) and parent in (None, "feed")):
            self.stack.append(ET.Element(name))
            self.object_line = self.parser.CurrentLineNumber

    def end(self, tag: str) -> None:
        self.path.pop()
        if not self.stack:
            if local(tag) == "content":
                self.in_content = False
            return
        elem = self.stack.pop()
        if elem.text is not None:
            elem.text = elem.text.strip() or None
        if not self.stack:
            self.done.append(RestObject(elem.tag, elem, self.file, self.object_line, self.entry_self or self.feed_self))

    def chars(self, data: str) -> None:
        if self.stack:
            top = self.stack[-1]
            top.text = (top.text or "") + data


def iter_objects(path: Path, rel: str) -> Iterator[RestObject]:
    """Every UOM object of a REST document, streamed; raises IngestError naming file and line."""
    stream = _Stream(rel)
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                stream.parser.Parse(chunk, False)
                yield from stream.done
                stream.done.clear()
            stream.parser.Parse(b"", True)
            yield from stream.done
    except expat.ExpatError as exc:
        raise IngestError(f"not well-formed XML ({expat.ErrorString(exc.code)}); objects before it were read",
                          file=rel, line=exc.lineno) from None
