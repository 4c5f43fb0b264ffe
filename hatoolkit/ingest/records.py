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


def parse_attr_records(text: str, first_line: int = 1) -> RawRecords:
    """All records of a section of default (`attr=value`) output, with line numbers and problems."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    arr = pa.array(lines, type=pa.large_string())
    trimmed = pc.utf8_trim_whitespace(arr)
    blank = pc.equal(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False)
    recordish = pc.match_substring_regex(arr, r'^\s*"?[A-Za-z0-9_][A-Za-z0-9_.]*\s*=').to_numpy(zero_copy_only=False)
    quotes = pc.count_substring(arr, '"').to_numpy(zero_copy_only=False)

    if (quotes % 2).any():
        # A value spans lines (or a line is cut inside quotes): line-aware record-by-record path.
        return _parse_slow(lines, first_line, blank)

    problems: list[Problem] = []
    for i in np.flatnonzero(~blank & ~recordish):
        kind = classify_line(lines[i])
        code = kind if kind in ("no_results", "message") else "unparseable"
        problems.append(Problem(first_line + int(i), code, lines[i].strip()[:300]))

    record_idx = np.flatnonzero(recordish)
    if record_idx.size == 0:
        return RawRecords(pd.DataFrame(index=pd.RangeIndex(0)), np.empty(0, dtype=np.int64), problems)
    commas = pc.count_substring(arr, ",").to_numpy(zero_copy_only=False)
    width = int(commas[record_idx].max()) + 1
    skip = set(np.flatnonzero(~recordish & ~blank).tolist())
    try:
        tokens = pd.read_csv(
            io.BytesIO(text.encode("utf-8")),
            header=None,
            names=range(width),
            dtype=str,
            skiprows=skip or None,
            skip_blank_lines=True,
            skipinitialspace=True,
            na_filter=False,
            quotechar='"',
            doublequote=True,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return _parse_slow(lines, first_line, blank)
    if len(tokens) != record_idx.size:
        return _parse_slow(lines, first_line, blank)
    line_numbers = record_idx.astype(np.int64) + first_line
    frame = _layout_frame(tokens, line_numbers, problems)
    if frame is None:
        return _parse_slow(lines, first_line, blank)
    keep = frame.pop("__row__").to_numpy()
    problems.sort(key=lambda p: p.line)
    return RawRecords(frame.reset_index(drop=True), line_numbers[keep], problems)


def _layout_frame(tokens: pd.DataFrame, line_numbers: np.ndarray, problems: list[Problem]) -> pd.DataFrame | None:
    """Map token columns to attribute columns, grouping rows by attribute layout."""
    keys: list[pa.ChunkedArray] = []
    values: list[pa.ChunkedArray] = []
    n = len(tokens)
    bad_rows = np.zeros(n, dtype=bool)
    for col in tokens.columns:
        raw = _arrow(tokens[col])
        empty = pc.equal(raw, "")
        if pc.all(empty).as_py():
            break
        has_eq = pc.match_substring(raw, "=")
        broken = pc.and_(pc.invert(has_eq), pc.invert(empty)).to_numpy(zero_copy_only=False)
        if broken.any():
            for i in np.flatnonzero(broken):
                problems.append(
                    Problem(int(line_numbers[i]), "truncated", f"field {tokens.iat[i, col]!r} has no '=' (cut off?)")
                )
            bad_rows |= broken
        valid = pc.if_else(has_eq, raw, pa.scalar(None, pa.large_string()))
        parts = pc.split_pattern(valid, "=", max_splits=1)
        keys.append(pc.utf8_trim_whitespace(pc.list_element(parts, 0)))
        values.append(pc.list_element(parts, 1))
    if not keys:
        return pd.DataFrame({"__row__": np.arange(0)})

    distinct = [pc.count_distinct(k).as_py() for k in keys]
    rows = np.arange(n)
    if all(d <= 1 for d in distinct):
        names = [pc.drop_null(k)[0].as_py() if d else None for k, d in zip(keys, distinct, strict=True)]
        if len(set(filter(None, names))) == len([x for x in names if x]):
            data = {name: _to_str(v) for name, v in zip(names, values, strict=True) if name is not None}
            frame = pd.DataFrame(data)
            return _check_names(frame, rows, line_numbers, problems)

    signature = pc.binary_join_element_wise(*keys, pa.scalar("\x1f", keys[0].type), null_handling="skip")
    encoded = pc.dictionary_encode(signature).combine_chunks()
    layouts = encoded.dictionary.to_pylist()
    if len(layouts) > _MAX_LAYOUTS:
        return None
    index = encoded.indices.to_numpy(zero_copy_only=False)
    parts = []
    for code, layout in enumerate(layouts):
        member = np.flatnonzero(index == code)
        take = pa.array(member)
        names = layout.split("\x1f") if layout else []
        data: dict[str, pd.Series] = {}
        # A layout lists only the non-null positions, in order: rebuild the position list.
        positions = [j for j, k in enumerate(keys) if pc.is_valid(k.take([member[0]]))[0].as_py()]
        for name, j in zip(names, positions, strict=True):
            if name in data:
                for i in member:
                    problems.append(Problem(int(line_numbers[i]), "duplicate_attr", f"attribute {name!r} repeated"))
                continue
            data[name] = _to_str(values[j].take(take))
        part = pd.DataFrame(data)
        part["__row__"] = member
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True).sort_values("__row__", kind="mergesort")
    return _check_names(frame.reset_index(drop=True), frame["__row__"].to_numpy(), line_numbers, problems)


def _check_names(frame: pd.DataFrame, rows: np.ndarray, line_numbers: np.ndarray, problems: list[Problem]) -> pd.DataFrame:
    bad = [c for c in frame.columns if c != "__row__" and not ATTR_RE.match(str(c))]
    for name in bad:
        present = frame[name].notna().to_numpy()
        for i in np.flatnonzero(present):
            problems.append(Problem(int(line_numbers[rows[i]]), "unparseable", f"not an attribute name: {name!r}"))
    frame = frame.drop(columns=bad)
    if "__row__" not in frame.columns:
        frame["__row__"] = rows
    return frame


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


def parse_delimited(
    text: str, fields: list[str] | None, delimiter: str, *, header: bool, first_line: int = 1
) -> RawRecords:
    """`-F attr,attr [--header]` output: values only, named by the header line or the command's list."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    problems: list[Problem] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    names = list(fields) if fields else None
    reader_lines = []
    for i, line in enumerate(lines):
        kind = classify_line(line) if "=" not in line else "record"
        number = first_line + i
        if not line.strip():
            continue
        if kind in ("no_results", "message"):
            problems.append(Problem(number, kind, line.strip()[:300]))
            continue
        reader_lines.append((number, line))
    for number, line in reader_lines:
        try:
            values = next(csv.reader([line], delimiter=delimiter, skipinitialspace=False))
        except csv.Error as exc:
            problems.append(Problem(number, "unparseable", str(exc)))
            continue
        if (header and names is None) or (header and values == names):
            if names is None:
                names = [v.strip() for v in values]
            continue
        if names is None:
            problems.append(Problem(number, "unparseable", "values without attribute names (-F list unknown)"))
            continue
        if len(values) != len(names):
            problems.append(
                Problem(number, "unparseable", f"expected {len(names)} fields ({delimiter!r}), found {len(values)}: {line[:120]!r}")
            )
            continue
        rows.append(values)
        numbers.append(number)
    if names is not None and len(set(names)) != len(names):
        raise RecordParseError(f"-F attribute list repeats a name: {names}")
    frame = pd.DataFrame(rows, columns=names, dtype="str") if rows and names else pd.DataFrame(index=pd.RangeIndex(0))
    return RawRecords(frame, np.asarray(numbers, dtype=np.int64), problems)


def _arrow(series: pd.Series) -> pa.ChunkedArray:
    """The pyarrow data behind a string column, without a copy when pandas already holds it in arrow."""
    data = pa.array(series, type=pa.large_string()) if series.dtype == object else pa.array(series)
    return data if isinstance(data, pa.ChunkedArray) else pa.chunked_array([data])
