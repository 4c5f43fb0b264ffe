"""Per-format reading and writing of bundle files for anonymisation.

Text captures, REST XML and JSON go through the token rewriter as text (the pseudonyms need no
escaping). CSV exports are rewritten cell by cell so a name column gives its cells a name
context. Workbooks are rewritten cell by cell with openpyxl, sheets, styles and formulas kept.
plan.yaml / waivers.yaml are rewritten as data: a glob such as `DR-1/DEV-*` cannot be
anonymised as text (`DEV-*` would leak and the pseudonyms do not share the prefix), so it is
expanded into the explicit names it matches in this bundle, in the same place and order: the
anonymised plan selects exactly the same partitions.
"""

from __future__ import annotations

import csv
import fnmatch
import io
from pathlib import Path
from typing import Any

import yaml

from hatoolkit.anonymize.rewrite import Rewriter
from hatoolkit.errors import HatoolkitError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
YAML_SUFFIXES = (".yaml", ".yml")
GLOB_CHARS = frozenset("*?[")
PERSON_KEYS = frozenset({"owner", "owners", "approved_by", "approver", "granted_by", "requested_by", "contact",
                         "author", "by"})


class AnonymizeError(HatoolkitError):
    """A bundle file that cannot be anonymised (names the file)."""


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding to write it back in (UTF-8, else Latin-1 which never fails)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def is_binary(data: bytes) -> bool:
    return b"\x00" in data[:65536]


def workbook_texts(wb) -> list[str]:
    """Every string cell and sheet title of a loaded workbook."""
    out = []
    for ws in wb.worksheets:
        out.append(ws.title)
        out.extend(c.value for c in _cells(ws) if isinstance(c.value, str))
    return out


def _cells(ws) -> list:
    # Only the cells that exist: iter_rows() would create every cell of the used rectangle.
    return list(ws._cells.values())  # openpyxl has no public "existing cells only" iterator


def rewrite_workbook(wb, out: Path, rw: Rewriter) -> None:
    """Cell by cell, sheets and styles kept; an old `.xls` (loaded by xlrd) is written as `.xlsx`."""
    titles: dict[str, str] = {}
    for ws in wb.worksheets:
        headers = _headers(ws)
        for c in _cells(ws):
            if isinstance(c.value, str) and not c.value.startswith("="):
                new = rw.cell(c.value, headers.get(c.column, ""))
                if new != c.value:
                    c.value = new
        title = rw.text(ws.title)[:31]
        if title != ws.title and title not in titles.values():
            titles[ws.title] = title
            ws.title = title
    try:
        wb.save(out)
    except OSError as exc:
        raise AnonymizeError(f"cannot write: {exc.strerror or exc}", file=str(out)) from None


def open_workbook(path: Path, display: str):
    """An openpyxl workbook for `.xlsx`/`.xlsm`, or one converted from a BIFF `.xls` (values, not styles)."""
    import openpyxl

    try:
        if path.suffix.lower() == ".xls":
            return _from_xls(path)
        return openpyxl.load_workbook(path)
    except Exception as exc:  # openpyxl raises many types on a damaged workbook
        raise AnonymizeError(f"cannot open the workbook: {type(exc).__name__}: {exc}", file=display) from None


def _from_xls(path: Path):
    import openpyxl
    import xlrd

    book = xlrd.open_workbook(str(path))
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets():
        ws = wb.create_sheet(sheet.name)
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                value = sheet.cell_value(r, c)
                if value != "":
                    ws.cell(row=r + 1, column=c + 1, value=value)
    return wb


def _headers(ws) -> dict[int, str]:
    """Column -> header text: the first of the top rows that is mostly text."""
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 8)):
        values = [c.value for c in row if c.value is not None]
        if values and sum(isinstance(v, str) for v in values) >= 0.8 * len(values) and len(values) >= 2:
            return {c.column: str(c.value) for c in row if c.value is not None}
    return {}


def rewrite_csv(text: str, rw: Rewriter) -> str:
    """Cell by cell with the column header as context; quoting as the csv module writes it."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return rw.text(text)
    if not rows:
        return text
    header = rows[0]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if "\r\n" in text else "\n")
    writer.writerow([rw.text(h) for h in header])
    for row in rows[1:]:
        writer.writerow([rw.cell(v, header[i] if i < len(header) else "") for i, v in enumerate(row)])
    result = buf.getvalue()
    return result if text.endswith(("\n", "\r")) else result.rstrip("\r\n")


# ---------------------------------------------------------------------------------------- YAML


class _Loader(yaml.SafeLoader):
    """Safe loader that keeps timestamps as the strings the analyst wrote."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Universe:
    """What a glob can match in this bundle: (system, partition-or-object) pairs and system names."""

    def __init__(self, pairs: set[tuple[str, str]], systems: set[str]) -> None:
        self.pairs = sorted(pairs)
        self.systems = sorted(systems)

    def expand(self, pattern: str) -> list[str] | None:
        """Concrete `SYS/PART[/REST]` (or `PART`, `SYS`) entries a glob matches; None if not a glob.

        A part that is exactly `*` stays `*` (it also matches findings with no partition); a rest after
        the second `/` (a resource such as `ent*`) is kept as written.
        """
        if not GLOB_CHARS & set(pattern):
            return None
        parts = pattern.split("/", 2)
        if len(parts) == 1:
            if pattern == "*":
                return ["*"]
            found = [p for _, p in self.pairs if fnmatch.fnmatchcase(p, pattern)]
            found += [s for s in self.systems if fnmatch.fnmatchcase(s, pattern)]
            return list(dict.fromkeys(found))
        sys_pat, part_pat = parts[0], parts[1]
        rest = "/" + parts[2] if len(parts) == 3 else ""
        systems = [sys_pat] if sys_pat == "*" or not GLOB_CHARS & set(sys_pat) else \
            [s for s in sorted(set(self.systems) | {s for s, _ in self.pairs}) if fnmatch.fnmatchcase(s, sys_pat)]
        out = []
        for system in systems:
            if part_pat == "*" or not GLOB_CHARS & set(part_pat):
                out.append(f"{system}/{part_pat}{rest}")
                continue
            out += [f"{system}/{p}{rest}" for s, p in self.pairs
                    if (system == "*" or s == system) and fnmatch.fnmatchcase(p, part_pat)]
        return list(dict.fromkeys(out))


def yaml_data(text: str) -> Any:
    """Parsed YAML for the harvest (None when it does not parse: rewriting reports that with its line)."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def rewrite_yaml(text: str, rw: Rewriter, universe: Universe, display: str) -> str:
    """plan.yaml / waivers.yaml (and any YAML): globs expanded, names rewritten; comments dropped."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AnonymizeError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=display,
                             line=mark.line + 1 if mark else None) from None
    counter = [0]
    new = _unmarked(_walk(data, rw, universe, counter))
    head = "# anonymised by hatoolkit: names replaced, name patterns expanded to the names they matched\n"
    return head + yaml.safe_dump(new, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _walk(node: Any, rw: Rewriter, universe: Universe, counter: list[int]) -> Any:
    if isinstance(node, dict):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            if isinstance(key, str) and key.lower() in PERSON_KEYS and isinstance(value, str) and value.strip():
                out[key] = _person(value, rw)
                continue
            new_value = _walk(value, rw, universe, counter)
            if isinstance(value, str) and isinstance(new_value, list):
                out.setdefault(_EXPANDED, set()).add(key)
            for new_key in _expand_scalar(key, rw, universe, counter) if isinstance(key, str) else [key]:
                out[new_key] = new_value
        return out
    if isinstance(node, list):
        items: list[Any] = []
        for item in node:
            if isinstance(item, str):
                items.extend(_expand_scalar(item, rw, universe, counter))
            elif isinstance(item, dict):
                items.extend(_variants(_walk(item, rw, universe, counter)))
            else:
                items.append(_walk(item, rw, universe, counter))
        return items
    if isinstance(node, str):
        expanded = _expand_scalar(node, rw, universe, counter)
        return expanded[0] if len(expanded) == 1 else expanded
    return node


def _unmarked(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _unmarked(v) for k, v in node.items() if k is not _EXPANDED}
    if isinstance(node, list):
        return [_unmarked(v) for v in node]
    return node


def _variants(entry: dict[Any, Any]) -> list[dict[Any, Any]]:
    """A list entry (a waiver) whose pattern matched several names becomes one entry per name."""
    for key, value in entry.items():
        if isinstance(value, list) and isinstance(entry.get(_EXPANDED), set) and key in entry[_EXPANDED]:
            base = {k: v for k, v in entry.items() if k != _EXPANDED}
            return [v for one in value for v in _variants({**base, key: one, _EXPANDED: entry[_EXPANDED] - {key}})]
    return [{k: v for k, v in entry.items() if k != _EXPANDED}]


_EXPANDED = object()  # marks, inside a walked mapping, the keys whose single pattern became a list


def _expand_scalar(text: str, rw: Rewriter, universe: Universe, counter: list[int]) -> list[str]:
    matches = universe.expand(text)
    if matches is None:  # a name, a SYS/PART pair, or any other text: names stand in every part
        if "/" in text and " " not in text.strip():
            return ["/".join(rw.pmap.lookup(p) or rw.text(p) for p in text.split("/"))]
        hit = rw.pmap.lookup(text.strip())
        return [hit] if hit is not None else [rw.text(text)]
    if not matches:
        counter[0] += 1  # a pattern that matches nothing still matches nothing, and says nothing
        prefix = text.partition("/")[0] + "/" if "/" in text else ""
        return [f"{_name(prefix[:-1], rw)}/NOMATCH-{counter[0]}" if prefix else f"NOMATCH-{counter[0]}"]
    return ["/".join(_name(part, rw) if i < 2 else rw.text(part) for i, part in enumerate(m.split("/")))
            for m in matches]


def _person(value: str, rw: Rewriter) -> str:
    """Who granted a waiver is personal data: a user pseudonym (an e-mail keeps its shape)."""
    local, at, domain = value.strip().partition("@")
    pseudo = rw.pmap.name(local, "user")
    if at:
        return f"{pseudo}@{rw.pmap.lookup(domain) or rw.pmap.name(domain, 'domain').lower() + '.example'}"
    return pseudo


def _name(part: str, rw: Rewriter) -> str:
    if part == "*" or GLOB_CHARS & set(part):
        return part if part == "*" else "NOMATCH"
    return rw.pmap.lookup(part) or rw.text(part)
