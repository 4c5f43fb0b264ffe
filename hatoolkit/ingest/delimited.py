"""`-F attr,attr [--header]` output: values only, named by a header line or the command's `-F` list.

Rows are gathered as value lists first, so the batch parser can put many sections with the same
attribute list into one frame. Values holding the delimiter are quoted (RFC-4180); a row with the
wrong number of fields, or HMC message text, is a problem with its line number, never a row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hatoolkit.ingest.records import Problem, RawRecords, classify_line


@dataclass
class DelimitedRows:
    """`-F` output as value lists, before any frame is built (so many sections can share one frame)."""

    names: list[str] | None
    rows: list[list[str]]
    lines: list[int]
    problems: list[Problem]


def delimited_rows(text: str, fields: list[str] | None, delimiter: str, *, header: bool,
                   first_line: int = 1) -> DelimitedRows:
    """Values of `-F attr,attr [--header]` output, named by the header line or the command's list."""
    problems: list[Problem] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    names = list(fields) if fields else None
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        number = first_line + i
        if "=" not in line:
            kind = classify_line(line)
            if kind in ("no_results", "message"):
                problems.append(Problem(number, kind, line.strip()[:300]))
                continue
        if '"' in line:
            try:
                values = next(csv.reader([line], delimiter=delimiter))
            except csv.Error as exc:
                problems.append(Problem(number, "unparseable", str(exc)))
                continue
        else:
            values = line.split(delimiter)
        if header and (names is None or values == names):
            names = names or [v.strip() for v in values]
            continue
        if names is None:
            problems.append(Problem(number, "unparseable", "values without attribute names (-F list unknown)"))
            continue
        if len(values) != len(names):
            problems.append(Problem(number, "unparseable", f"expected {len(names)} fields ({delimiter!r}), "
                                    f"found {len(values)}: {line[:120]!r}"))
            continue
        rows.append(values)
        numbers.append(number)
    return DelimitedRows(names, rows, numbers, problems)


def delimited_frame(names: list[str], rows: list[list[str]]) -> pd.DataFrame:
    """One string frame from value lists; a repeated -F name keeps its first column."""
    if not rows:
        return pd.DataFrame(index=pd.RangeIndex(0))
    keep = [i for i, n in enumerate(names) if n not in names[:i]]
    if len(keep) != len(names):
        rows = [[r[i] for i in keep] for r in rows]
        names = [names[i] for i in keep]
    return pd.DataFrame(rows, columns=names, dtype="str")


def parse_delimited(
    text: str, fields: list[str] | None, delimiter: str, *, header: bool, first_line: int = 1
) -> RawRecords:
    """`-F attr,attr [--header]` output of one section as a frame."""
    got = delimited_rows(text, fields, delimiter, header=header, first_line=first_line)
    frame = delimited_frame(got.names or [], got.rows)
    return RawRecords(frame, np.asarray(got.lines, dtype=np.int64), got.problems)
