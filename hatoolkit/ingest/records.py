"""The HMC record format: RFC-4180 CSV of `attr=value` pairs, applied twice for list values.

Reading is vectorised: pandas' C tokenizer splits fields (quotes and doubled quotes included),
pyarrow kernels split each field at its first `=`, and rows are grouped by their attribute
layout so a command whose rows share an order (the usual case) becomes a frame in a few column
operations. Sections the fast path cannot map line-for-line (values spanning lines, pathological
layouts) go through the record-by-record parser, which is also the reference implementation the
property tests compare against. Writing lives here too, so synthetic captures and the parser
agree on one definition of the format.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hatoolkit.errors import RecordParseError

ATTR_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.]*$")
# Lines the HMC or VIOS print instead of records: error/message codes and "no results" text.
MESSAGE_RE = re.compile(r"^\s*(HSC[A-Z]?\w*|VIOSE\w*|ERRLOG\w*)\b")
NO_RESULTS = frozenset(
    {
        "no results were found.",
        "no results were found",
        "nie znaleziono wyników.",  # Polish HMC (corpus)
        "es wurden keine ergebnisse gefunden.",
        "aucun résultat n'a été trouvé.",
        "non è stato trovato alcun risultato.",
        "no se han encontrado resultados.",
    }
)
_MAX_LAYOUTS = 2000  # beyond this many distinct attribute layouts, the per-record path is cheaper
_SAW_RE = re.compile(r"saw (\d+)")  # pandas: "Expected N fields in line L, saw M"


@dataclass
class Problem:
    """A line that could not be used as a record, with the reason."""

    line: int
    code: str  # "message", "no_results", "unparseable", "truncated", "duplicate_attr"
    text: str


@dataclass
class RawRecords:
    """Records of one section as strings: columns are attribute names, NaN where absent."""

    frame: pd.DataFrame
    lines: np.ndarray
    problems: list[Problem] = field(default_factory=list)

    @property
    def attrs(self) -> set[str]:
        return set(self.frame.columns)


# --------------------------------------------------------------------------- writing


def _quote(text: str) -> str:
    if any(ch in text for ch in ',"\n\r') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


def format_list(elements: Iterable[str]) -> str:
    """A list value as the HMC writes it: elements joined by commas, quoted when they hold commas."""
    return ",".join(_quote(str(e)) for e in elements)


def format_record(pairs: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """One record line; a pair whose value holds a comma or quote is quoted whole (doubled quotes)."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    out = []
    for key, value in items:
        if not ATTR_RE.match(key):
            raise RecordParseError(f"not an attribute name: {key!r}")
        pair = f"{key}={value}"
        out.append('"' + pair.replace('"', '""') + '"' if any(c in pair for c in ',"\n\r') else pair)
    return ",".join(out)


# --------------------------------------------------------------------------- reading, one record


def parse_record(line: str) -> dict[str, str]:
    """Reference parser for one record line (raises RecordParseError on anything else)."""
    try:
        fields = next(csv.reader([line], skipinitialspace=True), [])
    except csv.Error as exc:
        raise RecordParseError(f"not an HMC record: {exc}") from None
    return _pairs_to_dict(fields)


def _pairs_to_dict(fields: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if not fields:
        raise RecordParseError("empty record")
    for pair in fields:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not ATTR_RE.match(key):
            raise RecordParseError(f"not an attr=value pair: {pair[:60]!r}")
        if key in out:
            raise RecordParseError(f"attribute {key!r} repeated")
        out[key] = value
    return out


def parse_list(value: str | None) -> list[str]:
    """Elements of a list value (`none`/empty is the empty list)."""
    if value is None or value.strip().lower() in ("", "none", "null"):
        return []
    try:
        return next(csv.reader([value], skipinitialspace=False), [])
    except csv.Error as exc:
        raise RecordParseError(f"not a list value: {exc}") from None


# --------------------------------------------------------------------------- reading, a section


def classify_line(text: str) -> str:
    """'blank', 'no_results', 'message', 'record' or 'unparseable' for one physical line."""
    stripped = text.strip()
    if not stripped:
        return "blank"
    if stripped.lower() in NO_RESULTS:
        return "no_results"
    if MESSAGE_RE.match(stripped):
        return "message"
    head = stripped.lstrip('"').split("=", 1)
    if len(head) == 2 and ATTR_RE.match(head[0].strip()):
        return "record"
    return "unparseable"


def _line_offsets(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offset of every physical line (one C pass over the newlines)."""
    b = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(b == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(b)]))
    if starts[-1] == len(b):  # text ends with a newline: no line after it
        starts, ends = starts[:-1], ends[:-1]
    return starts, ends


def _whitespace_only(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Lines holding only spaces or tabs (the tokenizer skips them like empty lines)."""
    b = np.frombuffer(data, dtype=np.uint8)
    blanks = np.flatnonzero((b == 32) | (b == 9))
    return np.searchsorted(blanks, ends) - np.searchsorted(blanks, starts) == ends - starts


def _width(lines_sample: list[str]) -> int:
    return max((line.count(",") for line in lines_sample), default=0) + 3


def _tokens(data: bytes, width: int) -> pd.DataFrame | None:
    """pandas' C tokenizer over the whole section; None when the text is not CSV-shaped."""
    for _ in range(4):
        try:
            return pd.read_csv(
                io.BytesIO(data), header=None, names=range(width), dtype=str, skip_blank_lines=True,
                skipinitialspace=True, na_filter=False, quotechar='"', doublequote=True, engine="c",
            )
        except pd.errors.ParserError as exc:
            m = _SAW_RE.search(str(exc))
            if not m:
                return None
            width = int(m.group(1)) + 3
        except ValueError:
            return None
    return None


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_attr_records(text: str, first_line: int = 1) -> RawRecords:
    """All records of a section of default (`attr=value`) output, with line numbers and problems.

    The tokenizer's rows map one-to-one onto the non-blank physical lines unless a quoted value
    spans lines (or a quote is cut off); the row count tells, and such sections take the
    line-aware record-by-record path instead.
    """
    data = text.encode("utf-8")
    if not data or data.isspace():
        return RawRecords(pd.DataFrame(index=pd.RangeIndex(0)), np.empty(0, dtype=np.int64), [])
    starts, ends = _line_offsets(data)
    blank = ends == starts
    head, tail = text[:65536].split("\n"), text[-65536:].split("\n")
    tokens = _tokens(data, _width(head + tail))
    if tokens is not None and len(tokens) != int((~blank).sum()):
        blank |= _whitespace_only(data, starts, ends)
    physical = np.flatnonzero(~blank)
    if tokens is None or len(tokens) != physical.size:
        return _parse_slow(_lines(text), first_line, blank)
    line_numbers = physical.astype(np.int64) + first_line

    def line_text(row: int) -> str:
        i = physical[row]
        return data[starts[i]:ends[i]].decode("utf-8", "replace").strip()

    problems: list[Problem] = []
    columns = [_arrow(tokens[c]) for c in tokens.columns]
    first = columns[0]
    record = pc.and_(pc.match_substring_regex(first, r"^\s*[A-Za-z0-9_][A-Za-z0-9_.]*\s*="),
                     pc.invert(pc.match_substring_regex(first, r"^\s*(HSC[A-Z]?\w*|VIOSE\w*|ERRLOG\w*)\b")))
    record_mask = record.to_numpy(zero_copy_only=False)
    if not record_mask.all():
        for row in np.flatnonzero(~record_mask):
            kind = classify_line(line_text(row))
            code = kind if kind in ("no_results", "message") else "unparseable"
            problems.append(Problem(int(line_numbers[row]), code, line_text(row)[:300]))
        keep = pa.array(record_mask)
        columns = [c.filter(keep) for c in columns]
        line_numbers = line_numbers[record_mask]
    if not len(line_numbers):
        return RawRecords(pd.DataFrame(index=pd.RangeIndex(0)), line_numbers, problems)
    frame = _by_attribute(columns, line_numbers, problems)
    if frame is None:
        return _parse_slow(_lines(text), first_line, blank)
    problems.sort(key=lambda p: p.line)
    return RawRecords(frame, line_numbers, problems)


def _column_keys(col: pa.ChunkedArray, lines: np.ndarray) -> tuple[list[tuple[str, np.ndarray, pa.ChunkedArray]],
                                                                    list[Problem]] | None:
    """The attribute names one token column holds, each with its row mask and values."""
    found: list[tuple[str, np.ndarray, pa.ChunkedArray]] = []
    problems: list[Problem] = []
    pending = pc.not_equal(col, "").to_numpy(zero_copy_only=False)
    while pending.any():
        row = int(np.argmax(pending))
        cell = col[row].as_py()
        key, sep, _ = cell.partition("=")
        if not sep:
            problems.append(Problem(int(lines[row]), "truncated", f"field {cell!r} has no '=' (cut off?)"))
            pending[row] = False
            continue
        if len(found) > _MAX_LAYOUTS:
            return None
        prefix = key + "="
        match = pc.starts_with(col, prefix).to_numpy(zero_copy_only=False) & pending
        pending &= ~match
        key = key.strip()
        if not ATTR_RE.match(key):
            problems.extend(Problem(int(lines[r]), "unparseable", f"not an attribute name: {key!r}")
                            for r in np.flatnonzero(match))
            continue
        values = pc.utf8_slice_codeunits(col, len(prefix))
        if not match.all():
            values = pc.if_else(pa.array(match), values, pa.scalar(None, values.type))
        found.append((key, match, values))
    return found, problems


def _by_attribute(columns: list[pa.ChunkedArray], lines: np.ndarray, problems: list[Problem]) -> pd.DataFrame | None:
    """Token columns -> one column per attribute, matching each cell by its `attr=` prefix.

    Rows of one command mostly share attribute order, so each token column holds one or a few
    attribute names: for each (column, name) a prefix test and a fixed-width slice extract the
    values, and a name found in several columns (rows with an extra attribute before it) is
    merged. Every non-empty cell is accounted for: matched to a name, or reported. Columns are
    independent, so they are scanned on two threads (pyarrow kernels release the GIL).
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        per_column = list(pool.map(lambda c: _column_keys(c, lines), columns))
    if any(result is None for result in per_column):
        return None
    out: dict[str, pa.ChunkedArray] = {}
    seen: dict[str, np.ndarray] = {}
    for found, column_problems in per_column:  # type: ignore[misc]
        problems.extend(column_problems)
        for key, match, values in found:
            if key in seen:
                dup = match & seen[key]
                if dup.any():
                    problems.extend(Problem(int(lines[r]), "duplicate_attr", f"attribute {key!r} repeated")
                                    for r in np.flatnonzero(dup))
                    values = pc.if_else(pa.array(~dup), values, pa.scalar(None, values.type))
                out[key] = pc.coalesce(out[key], values)
                seen[key] = seen[key] | match
            else:
                out[key], seen[key] = values, match
    return pd.DataFrame({key: _to_str(values) for key, values in out.items()}, index=pd.RangeIndex(len(lines)))


def _to_str(values: pa.ChunkedArray) -> pd.Series:
    return pd.Series(pd.array(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))


def _parse_slow(lines: list[str], first_line: int, blank: np.ndarray) -> RawRecords:
    """Record-by-record: joins quoted values across lines and reports each bad record by line."""
    problems: list[Problem] = []
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    i = 0
    n = len(lines)
    while i < n:
        number = first_line + i
        if blank[i]:
            i += 1
            continue
        kind = classify_line(lines[i])
        if kind in ("no_results", "message") or (kind == "unparseable" and lines[i].count('"') % 2 == 0):
            problems.append(Problem(number, kind if kind != "unparseable" else "unparseable", lines[i].strip()[:300]))
            i += 1
            continue
        record = lines[i]
        j = i
        while record.count('"') % 2 and j + 1 < n:
            j += 1
            record += "\n" + lines[j]
        if record.count('"') % 2:
            problems.append(Problem(number, "truncated", f"unbalanced quote, record cut off: {record[:120]!r}"))
            break
        try:
            fields = next(csv.reader([record], skipinitialspace=True), [])
            rows.append(_pairs_to_dict(fields))
            numbers.append(number)
        except (csv.Error, RecordParseError) as exc:
            problems.append(Problem(number, "unparseable", f"{exc}: {record[:120]!r}"))
        i = j + 1
    frame = pd.DataFrame(rows, dtype="str") if rows else pd.DataFrame(index=pd.RangeIndex(0))
    return RawRecords(frame, np.asarray(numbers, dtype=np.int64), problems)


def _arrow(series: pd.Series) -> pa.ChunkedArray:
    """The pyarrow data behind a string column, without a copy when pandas already holds it in arrow."""
    data = pa.array(series, type=pa.large_string()) if series.dtype == object else pa.array(series)
    return data if isinstance(data, pa.ChunkedArray) else pa.chunked_array([data])
