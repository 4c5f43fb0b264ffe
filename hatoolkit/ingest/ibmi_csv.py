"""IBM i CSV exports: recognition by header, row reading with line numbers, and IBM i local time.

An IBM i export is a CSV whose header names the columns (IBM's own names where IBM defines
them). Each export kind is declared once in `KINDS` with the header columns that identify it; a
file is claimed by the first kind whose required columns its header contains, wherever the file
sits in the bundle. Adding an export (issue 7 adds network and ASP exports) is one `register`.

IBM i writes timestamps in the partition's local time without an offset. `Zone` says how one
host's local times are placed on the UTC axis; `local_to_utc` does it row by row, and says so
(a gap naming file and line) when a local time does not exist (spring forward) or occurs twice
(fall back) in that zone, instead of silently shifting it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import yaml

from hatoolkit.ingest.capture import read_text
from hatoolkit.ingest.gaps import GapLog

_DELIMITERS = (",", ";", "\t")
# IBM i spellings: 2026-11-24-22.00.00.000000 (CPYTOIMPF, ISO-like), 2026-11-24 22:00:00.000000 (ACS).
_TS_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T-](\d{2})[.:](\d{2})[.:](\d{2})(?:[.,](\d{1,6}))?$")
_OFFSET_RE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


@dataclass(frozen=True)
class CsvKind:
    """One export kind: its name, the frame it mainly feeds, and the header columns that identify it."""

    name: str
    required: frozenset[str]
    columns: tuple[str, ...]
    description: str = ""


KINDS: dict[str, CsvKind] = {}


def register(kind: CsvKind) -> CsvKind:
    if kind.name in KINDS:
        raise ValueError(f"IBM i export kind {kind.name!r} registered twice")
    signature = kind.required
    for other in KINDS.values():
        if other.required <= signature or signature <= other.required:
            raise ValueError(f"IBM i export kinds {other.name!r} and {kind.name!r} have overlapping headers")
    KINDS[kind.name] = kind
    return kind


@dataclass
class Export:
    """One IBM i CSV file, read: its kind, its rows as text (upper-case header names), and each row's line."""

    file: str
    kind: str
    rows: pd.DataFrame
    lines: np.ndarray
    unknown_columns: tuple[str, ...] = ()

    @property
    def folder(self) -> str:
        return self.file.rpartition("/")[0]

    def where(self, i: int) -> str:
        return f"{self.file}:{int(self.lines[i])}"

    def column(self, name: str) -> pd.Series:
        """Raw text of a column; absent columns read as all-missing."""
        if name in self.rows.columns:
            return self.rows[name]
        return pd.Series([None] * len(self.rows), dtype="str", index=self.rows.index)


def _header(first_line: str) -> tuple[str, list[str]]:
    delimiter = max(_DELIMITERS, key=first_line.count)
    names = next(csv.reader([first_line], delimiter=delimiter))
    return delimiter, [n.strip().strip('"').strip().upper() for n in names]


def kind_of_header(first_line: str) -> CsvKind | None:
    """The export kind a header line identifies, or None."""
    _, names = _header(first_line)
    present = set(names)
    for kind in KINDS.values():
        if kind.required <= present:
            return kind
    return None


def read_export(path: Path, rel: str, gaps: GapLog) -> Export | None:
    """Read a CSV file if its header is a known IBM i export; None if it is not one (let others try).

    Raises IngestError (via read_text) for binary or unreadable files.
    """
    if path.suffix.lower() != ".csv":
        return None
    decoded = read_text(path, rel)
    text = decoded.text
    first = text.split("\n", 1)[0]
    kind = kind_of_header(first)
    if kind is None:
        return None
    if decoded.encoding != "utf-8":
        gaps.add("encoding", f"not UTF-8 from line {decoded.bad_line}; read as Latin-1 (export with "
                 "STMFCCSID(1208))", file=rel, line=decoded.bad_line)
    delimiter, names = _header(first)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader)
    records: list[list[str]] = []
    lines: list[int] = []
    previous = reader.line_num
    try:
        for fields in reader:
            start, previous = previous + 1, reader.line_num
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) == len(names) + 1 and not fields[-1].strip():
                fields = fields[:-1]  # trailing delimiter
            if len(fields) != len(names):
                gaps.add("unparseable", f"{kind.name} export row has {len(fields)} fields, the header has "
                         f"{len(names)}; row not used", file=rel, line=start)
                continue
            records.append([f.strip() for f in fields])
            lines.append(start)
    except csv.Error as exc:
        gaps.add("truncated", f"CSV breaks off ({exc}); rows after it not used", file=rel, line=previous + 1)
    rows = pd.DataFrame(records, columns=names, dtype="str") if records else pd.DataFrame(
        {n: pd.Series([], dtype="str") for n in names})
    rows = rows.loc[:, ~rows.columns.duplicated()]
    unknown = tuple(n for n in names if n not in kind.columns and n)
    return Export(rel, kind.name, rows.reset_index(drop=True), np.asarray(lines, dtype=np.int64), unknown)


# --------------------------------------------------------------------------- time zones


@dataclass(frozen=True)
class Zone:
    """How one host's local timestamps map to UTC: an IANA zone, a fixed offset, or unknown."""

    name: str | None
    tz: tzinfo | None = field(default=None, compare=False)
    fixed: bool = False

    @classmethod
    def iana(cls, name: str) -> Zone | None:
        try:
            return cls(name, ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            return None

    @classmethod
    def offset(cls, minutes: int) -> Zone:
        sign = "+" if minutes >= 0 else "-"
        label = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return cls(label, timezone(timedelta(minutes=minutes)), fixed=True)

    @property
    def known(self) -> bool:
        return self.tz is not None


def plan_zone(root: Path, gaps: GapLog | None = None, use: str = "local times") -> Zone | None:
    """The estate's zone as the analyst stated it in the bundle's plan.yaml (`timezone`), if any.

    A broken plan is the plan loader's to report; a name that is not an IANA zone is a gap when
    `gaps` is given (saying what it is not used for).
    """
    for name in ("plan.yaml", "plan.yml"):
        plan = root / name
        if not plan.is_file():
            continue
        try:
            data = yaml.safe_load(plan.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return None
        value = data.get("timezone") if isinstance(data, dict) else None
        if not value:
            return None
        zone = Zone.iana(str(value))
        if zone is None and gaps is not None:
            gaps.add("time_zone", f"plan.yaml timezone {value!r} is not an IANA zone; not used for {use}", file=name)
        return zone
    return None


def parse_offset(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """`+0100`, `+01:00`, `-0500` -> minutes east of UTC (Int64) and the mask of unreadable values."""
    text = raw.astype("str").str.strip()
    present = text.notna() & (text != "")
    parts = text.str.extract(_OFFSET_RE)
    minutes = pd.to_numeric(parts[1], errors="coerce") * 60 + pd.to_numeric(parts[2], errors="coerce")
    minutes = minutes.where(parts[0] != "-", -minutes)
    bad = (present & minutes.isna()).to_numpy(dtype=bool)
    return minutes.astype("Int64"), bad


def parse_local(raw: pd.Series) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """IBM i timestamp text -> naive local datetimes (NaT where absent) and the mask of unreadable values."""
    text = raw.astype("str").str.strip()
    present = (text.notna() & (text != "") & ~text.str.lower().isin(("null", "-", "*none"))).to_numpy(dtype=bool)
    parts = text.str.extract(_TS_RE)
    ok = parts[0].notna().to_numpy(dtype=bool)
    frac = parts[6].fillna("0").str.ljust(6, "0")
    joined = parts[0] + "-" + parts[1] + "-" + parts[2] + " " + parts[3] + ":" + parts[4] + ":" + parts[5] + "." + frac
    values = pd.to_datetime(joined.where(ok), format="%Y-%m-%d %H:%M:%S.%f", errors="coerce")
    bad = present & (~ok | values.isna().to_numpy(dtype=bool))
    index = pd.DatetimeIndex(values).as_unit("us")
    return index, bad


TimeProblem = Callable[[int, str], None]


def local_to_utc(naive: pd.DatetimeIndex, zone: Zone, offsets: pd.Series | None, problem: TimeProblem,
                 column: str) -> pd.Series:
    """Place naive local times on the UTC axis.

    A recorded UTC offset (per row) wins: it is what the clock said. Otherwise the zone decides:
    a time that does not exist (spring forward) becomes NaT and a problem; a time that occurs
    twice (fall back) is read as the earlier instant (the summer-time one), which can only make a
    copy look older, never fresher, and is reported as a problem too.
    """
    n = len(naive)
    out = pd.Series(pd.NaT, index=range(n), dtype="datetime64[us, UTC]")
    has_time = ~naive.isna()
    if not has_time.any():
        return out
    recorded = np.zeros(n, dtype=bool)
    if offsets is not None:
        off = offsets.reset_index(drop=True)
        recorded = (off.notna().to_numpy(dtype=bool)) & has_time
        if recorded.any():
            shift = pd.to_timedelta(off[recorded].astype("float64").to_numpy(), unit="min")
            utc = naive[recorded] - shift
            out.iloc[np.flatnonzero(recorded)] = utc.tz_localize("UTC")
    rest = has_time & ~recorded
    if not rest.any():
        return out
    if not zone.known:
        for i in np.flatnonzero(rest):
            problem(int(i), f"{column}: local time without a known time zone; not used")
        return out
    local = naive[rest]
    if zone.fixed:
        out.iloc[np.flatnonzero(rest)] = local.tz_localize(zone.tz).tz_convert("UTC")
        return out
    strict = local.tz_localize(zone.tz, ambiguous="NaT", nonexistent="NaT")
    early = local.tz_localize(zone.tz, ambiguous=np.ones(len(local), dtype=bool), nonexistent="NaT")
    positions = np.flatnonzero(rest)
    for j in np.flatnonzero(early.isna()):
        problem(int(positions[j]), f"{column}={local[j]:%Y-%m-%d %H:%M:%S} does not exist in {zone.name} "
                "(clock moved forward); not used")
    for j in np.flatnonzero(strict.isna() & ~early.isna()):
        problem(int(positions[j]), f"{column}={local[j]:%Y-%m-%d %H:%M:%S} occurs twice in {zone.name} (clock "
                f"moved back); read as the earlier instant {early[j].tz_convert('UTC'):%H:%M} UTC")
    out.iloc[positions] = early.tz_convert("UTC")
    return out


def offset_disagrees(naive: pd.DatetimeIndex, zone: Zone, offsets: pd.Series) -> np.ndarray:
    """Rows whose recorded UTC offset is neither of the zone's offsets at that local time."""
    n = len(naive)
    if not zone.known or zone.fixed or n == 0:
        return np.zeros(n, dtype=bool)
    off = offsets.reset_index(drop=True)
    mask = (~naive.isna()) & off.notna().to_numpy(dtype=bool)
    if not mask.any():
        return np.zeros(n, dtype=bool)
    local = naive[mask]
    candidates = []
    for flag in (True, False):
        loc = local.tz_localize(zone.tz, ambiguous=np.full(len(local), flag), nonexistent="NaT")
        candidates.append(((loc.tz_localize(None) - loc.tz_convert("UTC").tz_localize(None))
                           / pd.Timedelta(minutes=1)).to_numpy())
    recorded = off[mask].astype("float64").to_numpy()
    ok = (candidates[0] == recorded) | (candidates[1] == recorded)
    result = np.zeros(n, dtype=bool)
    result[np.flatnonzero(mask)] = ~ok
    return result
