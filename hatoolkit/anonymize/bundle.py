"""Anonymise a whole bundle into a new folder, with a reusable pseudonym map.

The flow: load the bundle with the normal ingest (so every name is known with its kind, in
every format), harvest what only the raw text shows, extend the map (never reshuffle it),
rewrite every file and every path, then scan the output for any original identifier that
survived. The output is written to a temporary folder beside `out` and moved in place only when
complete, so a failure never leaves half a bundle that looks finished.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hatoolkit.anonymize import harvest as hv
from hatoolkit.anonymize.formats import (
    WORKBOOK_SUFFIXES,
    YAML_SUFFIXES,
    AnonymizeError,
    Universe,
    decode,
    is_binary,
    open_workbook,
    rewrite_csv,
    rewrite_workbook,
    rewrite_yaml,
    workbook_texts,
    yaml_data,
)
from hatoolkit.anonymize.mapping import PseudonymMap, load_map, save_map
from hatoolkit.anonymize.rewrite import Rewriter


@dataclass
class AnonymizeResult:
    """What was written, what was left out (and why), and any original identifier still present."""

    out: Path
    map_path: Path | None
    files: list[tuple[str, str]] = field(default_factory=list)  # (original rel path, anonymised rel path)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (original rel path, reason)
    added: int = 0
    residue: list[tuple[str, str]] = field(default_factory=list)  # (anonymised rel path, identifier)
    ambiguous: list[str] = field(default_factory=list)


@dataclass
class _File:
    rel: str
    path: Path
    kind: str  # text | csv | yaml | workbook
    text: str = ""
    encoding: str = "utf-8"
    book: object = None  # the loaded workbook (read once, rewritten in place)
    out_rel: str = ""


def anonymize_bundle(bundle: str | Path, out: str | Path, map_path: str | Path | None = None) -> AnonymizeResult:
    """Write an anonymised copy of `bundle` to `out` (must not exist or be empty); extend the map file."""
    from hatoolkit.ingest import load_inventory

    src, dest = Path(bundle), Path(out)
    if not src.is_dir():
        raise AnonymizeError("not a bundle folder", file=str(bundle))
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise AnonymizeError("output folder exists and is not empty (choose a new one)", file=str(out))
    if dest.resolve().is_relative_to(src.resolve()):
        raise AnonymizeError("output folder must not be inside the bundle", file=str(out))
    if map_path is not None:
        where = Path(map_path).resolve()
        if where.is_relative_to(src.resolve()) or where.is_relative_to(dest.resolve()):
            raise AnonymizeError("keep the map outside the bundle and the output: it undoes the anonymisation",
                                 file=str(map_path))
    pmap = load_map(map_path)
    result = AnonymizeResult(dest, Path(map_path) if map_path else None)
    files = _read_files(src, result)
    harvest = hv.Harvest()
    inv = load_inventory(src)
    hv.from_inventory(inv, harvest)
    for f in files:
        hv.from_path(f.rel, harvest)
        if f.kind == "workbook":
            f.book = open_workbook(f.path, f.rel)
        texts = workbook_texts(f.book) if f.kind == "workbook" else [f.text]
        for text in texts:
            hv.from_text(text, harvest)
        if f.kind == "yaml":
            hv.from_yaml(yaml_data(f.text), harvest)
        if f.kind == "csv" and f.text:
            hv.from_header(f.text.split("\n", 1)[0].split(","), harvest)
    _extend(pmap, harvest)
    ambiguous = harvest.ambiguous()
    result.ambiguous = sorted(ambiguous)
    rw = Rewriter(pmap, ambiguous)
    universe = _universe(inv)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))  # same filesystem: rename is atomic
    except OSError as exc:
        raise AnonymizeError(f"cannot create the output folder: {exc.strerror or exc}", file=str(out)) from None
    try:
        for f in files:
            new_rel = rw.path(f.rel)
            if new_rel.lower().endswith(".xls"):
                new_rel += "x"  # written as .xlsx (see formats.rewrite_workbook)
            target = tmp / new_rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                raise AnonymizeError(f"two files map to the same anonymised path {new_rel}", file=f.rel)
            f.out_rel = new_rel
            _write(f, target, rw, universe)
            result.files.append((f.rel, new_rel))
        result.residue = _residue(tmp, files, pmap, harvest, ambiguous)
        if dest.exists():
            dest.rmdir()
        tmp.rename(dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    result.added = pmap.added
    if map_path is not None:
        save_map(pmap, map_path)
    return result


def _read_files(src: Path, result: AnonymizeResult) -> list[_File]:
    files = []
    for path in sorted(p for p in src.rglob("*") if p.is_file()):
        rel = path.relative_to(src).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            result.skipped.append((rel, "hidden file, not part of the bundle"))
            continue
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            files.append(_File(rel, path, "workbook"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise AnonymizeError(f"cannot read: {exc.strerror or exc}", file=rel) from None
        if is_binary(data) or suffix in (".gz", ".zip", ".tar", ".tgz", ".bz2", ".xz", ".7z", ".png", ".jpg"):
            result.skipped.append((rel, "binary file hatoolkit cannot anonymise: not copied"))
            continue
        text, encoding = decode(data)
        if text.lstrip().startswith(("hatoolkit_anonymize_map:", "# hatoolkit anonymisation map")):
            result.skipped.append((rel, "an anonymisation map: never part of a shared bundle"))
            continue
        kind = "csv" if suffix == ".csv" else "yaml" if suffix in YAML_SUFFIXES else "text"
        files.append(_File(rel, path, kind, text, encoding))
    return files


def _extend(pmap: PseudonymMap, harvest: hv.Harvest) -> None:
    """Allocate pseudonyms in a stable order: kinds by priority, names sorted."""
    names = harvest.ordered_names()
    pmap.reserve([name for _, name in names if pmap.lookup(name) is None])
    for kind, name in names:
        pmap.name(name, kind)
    for serial in sorted(harvest.serials):
        pmap.serial_of(serial)
    for mac in sorted(harvest.macs):
        pmap.mac_of(mac)
    for wwpn in sorted(harvest.wwpns):
        pmap.wwpn_of(wwpn)


def _universe(inv) -> Universe:
    pairs: set[tuple[str, str]] = set()
    for frame, col in (("partitions", "name"), ("storage_spaces", "nwsstg"), ("nwsds", "nwsd"),
                       ("ibmi_partitions", "partition")):
        table = getattr(inv, frame)
        if not table.empty and col in table.columns:
            pairs.update((str(s), str(p)) for s, p in zip(table["system"], table[col], strict=True)
                         if isinstance(s, str) and isinstance(p, str))
    systems = set(inv.systems["system"].dropna().astype(str)) if not inv.systems.empty else set()
    return Universe(pairs, systems)


def _write(f: _File, target: Path, rw: Rewriter, universe: Universe) -> None:
    try:
        if f.kind == "workbook":
            rewrite_workbook(f.book, target, rw)
            return
        if f.kind == "csv":
            new = rewrite_csv(f.text, rw)
        elif f.kind == "yaml":
            new = rewrite_yaml(f.text, rw, universe, f.rel)
        else:
            new = rw.capture(f.text)
        target.write_bytes(new.encode(f.encoding, errors="replace"))
    except OSError as exc:
        raise AnonymizeError(f"cannot write: {exc.strerror or exc}", file=str(target)) from None


def _residue(root: Path, files: list[_File], pmap: PseudonymMap, harvest: hv.Harvest,
             ambiguous: set[str]) -> list[tuple[str, str]]:
    """Every original identifier (names that are not ambiguous, serials, MACs, WWPNs) still in the output."""
    needles = {n.upper() for _, n in harvest.ordered_names() if n not in ambiguous and pmap.lookup(n) not in (None, n)}
    needles |= harvest.serials | harvest.macs | harvest.wwpns
    needles = {n for n in needles if not pmap.is_pseudonym(n)}
    by_head: dict[str, list[str]] = {}
    for needle in needles:
        runs = ALNUM.findall(needle)
        if runs:
            by_head.setdefault(runs[0], []).append(needle)
    books = {f.out_rel: f.book for f in files if f.kind == "workbook"}
    found: set[tuple[str, str]] = set()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            texts = workbook_texts(books.get(rel) or open_workbook(path, rel))
        else:
            texts = [decode(path.read_bytes())[0]]
        for text in [*texts, rel]:
            upper = text.upper()
            for head in set(ALNUM.findall(upper)) & by_head.keys():
                for needle in by_head[head]:
                    if re.search(rf"(?<![A-Z0-9]){re.escape(needle)}(?![A-Z0-9])", upper):
                        found.add((rel, needle))
    return sorted(found)


ALNUM = re.compile(r"[A-Za-z0-9]+")
