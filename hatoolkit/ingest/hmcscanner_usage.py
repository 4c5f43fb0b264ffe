"""HMC Scanner usage sheets into the utilization frame: processors consumed per hour (or per day).

With performance data, HMC Scanner writes `LPAR_Hourly_Usage_N<k>` and `LPAR_Daily_Usage_N<k>`
sheets (k = 1.. as the partitions fill columns): a title row ("Average LPAR Usage"), a row of
partition names, summary rows (Hours/Days, Reds %, Max, Avg, 90% <=, ...), then a `Date` row and
one row per hour (`2025/5/30 23`) or day (`2025/5/30`) holding the average physical processors each
partition consumed, blank where there is no sample. Names are joined to partitions through the
workbook's own LPAR_Summary (a name that is on two systems is ambiguous and not used).

A row is stored as a sample that ends at the end of its hour or day (like an `lslparutil`
interval), in the zone of the bundle's plan.yaml (HMC Scanner writes the HMC's local time), UTC if
none is stated. Hourly sheets win over daily ones; monthly sheets (LPAR_CPU_Usage) are too coarse
for a percentile and are not read. A workbook whose usage sheets hold no value at all (the real
E1080 workbook of the corpus) says so as a gap: utilisation was not collected.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.ibmi_csv import Zone

if TYPE_CHECKING:
    from hatoolkit.ingest.hmcscanner import Workbook

SHEET_PREFIXES = ("LPAR_Hourly_Usage_N", "LPAR_Daily_Usage_N")
_ORIGIN = {"LPAR_Hourly_Usage_N": ("hmcscanner_hourly", 3600.0, "%Y/%m/%d %H"),
           "LPAR_Daily_Usage_N": ("hmcscanner_daily", 86400.0, "%Y/%m/%d")}
_SHEET_RE = re.compile(r"^(LPAR_(?:Hourly|Daily)_Usage_N)(\d+)$")


def is_usage_sheet(name: str) -> bool:
    return _SHEET_RE.match(name) is not None


def _table(rows: list[list[str]]) -> tuple[list[str], int, list[tuple[int, list[str]]]] | None:
    """(partition names by column, header row number, [(row number, cells)]) of one usage sheet."""
    date_at = next((i for i, r in enumerate(rows) if r and r[0].strip().lower() == "date"), None)
    if date_at is None:
        return None
    names_at = next((i for i in range(date_at - 1, -1, -1) if rows[i] and not rows[i][0] and any(rows[i][1:])), None)
    if names_at is None:
        return None
    body = []
    for j in range(date_at + 1, len(rows)):
        if not rows[j] or not rows[j][0].strip():
            break
        body.append((j + 1, rows[j]))
    return rows[names_at], names_at + 1, body


def usage_frames(book: Workbook, lpars: pd.DataFrame, zone: Zone | None, gaps: GapLog) -> dict[str, pd.DataFrame]:
    """The workbook's usage sheets -> {"utilization": frame} (nothing when it has none)."""
    sheets = sorted((n for n in book.sheets if is_usage_sheet(n)), key=lambda n: (n.startswith("LPAR_Daily"), n))
    if not sheets:
        return {}
    where: dict[str, list[tuple[str, int]]] = {}
    if not lpars.empty and {"system", "name", "lpar_id"} <= set(lpars.columns):
        for system, name, lpar_id in zip(lpars["system"], lpars["name"], lpars["lpar_id"], strict=True):
            if isinstance(name, str) and pd.notna(lpar_id):
                where.setdefault(name, []).append((str(system), int(lpar_id)))
    stated = zone
    zone = zone if zone is not None else Zone.iana("UTC")
    parts: list[pd.DataFrame] = []
    hourly_names: set[str] = set()
    ambiguous: set[str] = set()
    for sheet in sheets:
        m = _SHEET_RE.match(sheet)
        origin, seconds, fmt = _ORIGIN[m.group(1)]  # type: ignore[union-attr]
        table = _table(book.sheets[sheet])
        if table is None:
            gaps.add("unrecognised", f"{sheet}: no partition-name row and Date column found; sheet not read",
                     file=book.file)
            continue
        names, _, body = table
        for col, name in enumerate(names):
            if col == 0 or not name:
                continue
            if origin == "hmcscanner_daily" and name in hourly_names:
                continue  # the hourly sheet of this partition is finer
            values = [(line, r[0].strip(), r[col] if col < len(r) else "") for line, r in body]
            got = [(line, stamp, float(v)) for line, stamp, v in values if _number(v)]
            if not got:
                continue
            targets = where.get(name, [])
            if len(targets) != 1:
                if name not in ambiguous:
                    ambiguous.add(name)
                    gaps.add("orphan_record", f"{sheet}: partition {name!r} is " + ("on several systems" if targets
                             else "not in LPAR_Summary") + "; its usage is not used", file=book.file)
                continue
            if origin == "hmcscanner_hourly":
                hourly_names.add(name)
            parts.append(_samples(book.file, sheet, targets[0], name, got, origin, seconds, fmt, zone, gaps))
    if not parts:
        gaps.add("usage_collection_off", "HMC Scanner usage sheets hold no samples: the HMC was not collecting "
                 "utilisation data (lslparutil sample rate 0), or HMC Scanner ran without performance data",
                 file=book.file)
        return {}
    if stated is None:
        gaps.add("time_zone", "HMC Scanner usage times are the HMC's local time and plan.yaml states no timezone: "
                 "read as UTC (usage windows may be off by the HMC's offset)", file=book.file)
    gaps.add("source_gap", "HMC Scanner usage sheets carry processors consumed only: utilization.proc_units_entitled, "
             "proc_mode and mem_mb are left missing", file=book.file)
    return {"utilization": pd.concat(parts, ignore_index=True)}


def _number(text: str) -> bool:
    try:
        return np.isfinite(float(text)) and float(text) >= 0
    except (TypeError, ValueError):
        return False


def _samples(file: str, sheet: str, target: tuple[str, int], name: str, got: list[tuple[int, str, float]],
             origin: str, seconds: float, fmt: str, zone: Zone, gaps: GapLog) -> pd.DataFrame:
    lines = [g[0] for g in got]
    starts = pd.to_datetime(pd.Series([g[1] for g in got]), format=fmt, errors="coerce")
    for line, stamp, bad in zip(lines, [g[1] for g in got], starts.isna(), strict=True):
        if bad:
            gaps.add("bad_value", f"{sheet}: date {stamp!r} is not {fmt}", file=f"{file}:{sheet}", line=line)
    naive = pd.DatetimeIndex(starts).as_unit("us")
    # An hour repeated by an autumn clock change: the first of two equal local hours is the summer one.
    first = ~pd.Series(naive).duplicated(keep="first").to_numpy(dtype=bool)
    if seconds < 86400:  # an hour ends one real hour after it starts
        placed = naive.tz_localize(zone.tz, ambiguous=first, nonexistent="NaT").tz_convert("UTC") \
            + pd.Timedelta(seconds=seconds)
    else:  # a day ends at the next local midnight (23 or 25 hours on clock-change days)
        placed = (naive + pd.Timedelta(days=1)).tz_localize(zone.tz, ambiguous=first, nonexistent="NaT").tz_convert("UTC")
    for line, stamp, bad in zip(lines, [g[1] for g in got], placed.isna() & ~naive.isna(), strict=True):
        if bad:
            gaps.add("local_time", f"{sheet}: {stamp} does not exist in {zone.name} (clock moved forward); not used",
                     file=f"{file}:{sheet}", line=line)
    keep = ~placed.isna()
    n = int(keep.sum())
    return pd.DataFrame({
        "system": pd.Series([target[0]] * n, dtype="str"),
        "lpar_id": pd.array([target[1]] * n, dtype="Int64"),
        "partition": pd.Series([name] * n, dtype="str"),
        "sampled_at": pd.Series(placed[keep], dtype="datetime64[us, UTC]"),
        "interval_s": pd.array([seconds] * n, dtype="Float64"),
        "proc_units_used": pd.array(np.array([g[2] for g in got])[keep], dtype="Float64"),
        "proc_units_entitled": pd.array([pd.NA] * n, dtype="Float64"),
        "proc_mode": pd.Series([None] * n, dtype="str"),
        "mem_mb": pd.array([pd.NA] * n, dtype="Int64"),
        "origin": pd.Series([origin] * n, dtype="str"),
        "time_zone": pd.Series([zone.name] * n, dtype="str"),
        "source": pd.Series([f"{file}:{sheet}!{line}" for line, k in zip(lines, keep, strict=True) if k], dtype="str"),
    })
