"""Plain-text and JSON renderings for the terminal: inventory summary, gaps, findings tables.

The CLI only chooses a rendering; what is summarised (and how NA, tuples and dtypes serialise)
is decided here once, so `validate --format json` and `findings --format json` stay stable.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from hatoolkit.model.findings import FINDING_COLUMNS, SEVERITY_ORDER
from hatoolkit.model.inventory import Inventory


def jsonable(value: Any) -> Any:
    """A cell as JSON: NA -> null, tuples -> lists, numpy scalars -> Python, timestamps -> ISO."""
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.isoformat()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts, columns in frame order."""
    cols = list(frame.columns)
    return [{c: jsonable(v) for c, v in zip(cols, row, strict=True)} for row in frame.itertuples(index=False, name=None)]


def inventory_json(inv: Inventory) -> str:
    """`validate --format json`: {"frames": {name: rows}, "gaps": [...], "files": [...]}."""
    payload = {
        "frames": {name: records(frame) for name, frame in inv.frames()},
        "gaps": records(inv.gaps),
        "files": records(inv.files),
        "sources": records(source_summary(inv)),
    }
    return json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=False)


def _fmt_num(value: Any, unit: str = "") -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "?"
    if isinstance(value, float | np.floating):
        return f"{value:g}{unit}"
    return f"{value}{unit}"


def table(frame: pd.DataFrame, columns: list[str], widths: dict[str, int] | None = None) -> str:
    """A fixed-width text table (cells cut to width with an ellipsis)."""
    widths = widths or {}
    cells = [[("" if pd.isna(v) else str(v)) if not isinstance(v, tuple) else ",".join(map(str, v))
              for v in frame[c]] for c in columns]
    sizes = []
    for name, col in zip(columns, cells, strict=True):
        limit = widths.get(name, 40)
        sizes.append(min(limit, max([len(name), *[len(x) for x in col]])))

    def cut(text: str, size: int) -> str:
        return text if len(text) <= size else text[: size - 1] + "…"

    out = ["  ".join(cut(n, s).ljust(s) for n, s in zip(columns, sizes, strict=True)).rstrip()]
    out.append("  ".join("-" * s for s in sizes))
    for i in range(len(frame)):
        out.append("  ".join(cut(col[i], s).ljust(s) for col, s in zip(cells, sizes, strict=True)).rstrip())
    return "\n".join(out)


def system_summary(inv: Inventory) -> pd.DataFrame:
    """Per managed system: model, state, partitions by kind, processors and memory at a glance."""
    parts = inv.partitions
    counts = parts.groupby("system")["lpar_env"].value_counts().unstack(fill_value=0) if not parts.empty else None
    running = parts[parts["state"].astype("str").str.lower().eq("running")].groupby("system").size() \
        if not parts.empty else pd.Series(dtype="int64")
    out = []
    for _, s in inv.systems.iterrows():
        name = s["system"]
        row_counts = counts.loc[name] if counts is not None and name in counts.index else {}
        out.append({
            "system": name,
            "hmc": s["hmc"],
            "model": s["type_model"],
            "state": s["state"],
            "partitions": int(sum(int(v) for v in getattr(row_counts, "values", []))) if len(row_counts) else 0,
            "running": int(running.get(name, 0)),
            "vios": int(row_counts.get("vioserver", 0)) if len(row_counts) else 0,
            "ibmi": int(row_counts.get("os400", 0)) if len(row_counts) else 0,
            "aixlinux": int(row_counts.get("aixlinux", 0)) if len(row_counts) else 0,
            "proc_units": f"{_fmt_num(s['curr_avail_sys_proc_units'])} free / {_fmt_num(s['configurable_sys_proc_units'])}",
            "mem_gb": f"{_gb(s['curr_avail_sys_mem_mb'])} free / {_gb(s['configurable_sys_mem_mb'])}",
        })
    return pd.DataFrame(out, columns=["system", "hmc", "model", "state", "partitions", "running", "vios", "ibmi",
                                      "aixlinux", "proc_units", "mem_gb"])


def _gb(mb: Any) -> str:
    if mb is None or mb is pd.NA or (isinstance(mb, float) and math.isnan(mb)):
        return "?"
    return f"{int(mb) / 1024:.1f}"


MISSING_CODES = ("missing_capture", "source_gap", "unknown_system", "system_not_operating")


def _gap_source(gaps: pd.DataFrame, files: pd.DataFrame) -> pd.Series:
    """Which source (the files' format: hmc_cli, hmc_rest, hmcscanner, ...) each gap is about."""
    by_file = dict(zip(files["path"], files["format"], strict=True))
    out = []
    for file, command, message in zip(gaps["file"], gaps["command"], gaps["message"], strict=True):
        if isinstance(file, str) and file.split(":")[0] in by_file:
            out.append(by_file[file.split(":")[0]])
        elif (isinstance(command, str) and command.startswith("/rest/")) or str(message).startswith("REST "):
            out.append("hmc_rest")
        elif str(message).startswith("HMC Scanner"):
            out.append("hmcscanner")
        else:
            out.append("hmc_cli")
    return pd.Series(out, index=gaps.index, dtype="str")


def source_summary(inv: Inventory) -> pd.DataFrame:
    """Per source (file format): files, records and systems found, and what was missing or unusable."""
    files = inv.files
    gaps = inv.gaps.assign(source=_gap_source(inv.gaps, files)) if not inv.gaps.empty else inv.gaps.assign(source="")
    by_file = dict(zip(files["path"], files["format"], strict=True))
    found = set()
    for frame in (inv.systems, inv.partitions):
        for system, src in zip(frame["system"], frame["source"], strict=True):
            for part in str(src).split(";") if isinstance(src, str) else []:
                found.add((system, part.split(":")[0]))
    rows = []
    for source in sorted(set(files["format"]) | set(gaps["source"])):
        mine = files[files["format"] == source]
        g = gaps[gaps["source"] == source]
        systems = sorted({s for s, f in found if by_file.get(f) == source})
        rows.append({
            "source": source, "files": len(mine), "used": int(mine["status"].isin(("parsed", "partial")).sum()),
            "records": int(mine["records"].fillna(0).sum()), "systems": len(systems),
            "missing": int(g["code"].isin(MISSING_CODES).sum()),
            "problems": int((~g["code"].isin((*MISSING_CODES, "no_results"))).sum()),
        })
    return pd.DataFrame(rows, columns=["source", "files", "used", "records", "systems", "missing", "problems"])


def inventory_text(inv: Inventory) -> str:
    """`validate` default output: frames, systems, then the data gaps worst first."""
    buf = io.StringIO()
    used = inv.files[inv.files["status"].isin(("parsed", "partial"))]
    buf.write(f"Bundle {inv.root}: {len(inv.files)} files, {len(used)} used\n\n")
    buf.write("Frames: " + ", ".join(f"{name} {len(frame)}" for name, frame in inv.frames()) + "\n\n")
    sources = source_summary(inv)
    if not sources.empty:
        buf.write("Sources (what each kind of export gave, and what it lacked; details under Data gaps)\n"
                  + table(sources, list(sources.columns)) + "\n\n")
    summary = system_summary(inv)
    if summary.empty:
        buf.write("No managed systems found.\n")
    else:
        buf.write("Managed systems\n" + table(summary, list(summary.columns), {"system": 28, "hmc": 18}) + "\n")
    gaps = inv.gaps
    buf.write("\n")
    if gaps.empty:
        buf.write("Data gaps: none\n")
    else:
        rank = gaps["severity"].map({s: -i for i, s in enumerate(SEVERITY_ORDER)})
        ordered = gaps.assign(_r=rank).sort_values(["_r", "file", "line"], kind="mergesort").drop(columns="_r")
        where = ordered["file"].fillna("") + ordered["line"].map(lambda n: f":{n}" if pd.notna(n) else "").astype("str")
        shown = ordered.assign(where=where)
        counts = gaps["severity"].value_counts()
        tally = ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITY_ORDER) if s in counts)
        buf.write(f"Data gaps ({tally})\n")
        buf.write(table(shown, ["severity", "code", "system", "where", "message"],
                        {"where": 60, "message": 90, "system": 24}) + "\n")
    return buf.getvalue()


def findings_csv(findings: pd.DataFrame) -> str:
    """The findings contract as CSV: exactly FINDING_COLUMNS, NA as empty."""
    return findings[list(FINDING_COLUMNS)].to_csv(index=False, lineterminator="\n")


def findings_json(findings: pd.DataFrame) -> str:
    """The same content as the CSV, as a JSON list of objects (NA as null)."""
    return json.dumps(records(findings[list(FINDING_COLUMNS)]), indent=1, ensure_ascii=False)


def findings_table(findings: pd.DataFrame) -> str:
    """The terminal table; a `waived` column (owner, until when, why) appears when any finding is waived."""
    if findings.empty:
        return "No findings.\n"
    from hatoolkit.model.findings import waived
    from hatoolkit.model.waivers import waiver_text

    cols = ["check_id", "severity", "status", "system", "partition", "resource", "destination", "message"]
    marked = waived(findings)
    if marked.any():
        findings = findings.assign(waived=waiver_text(findings).where(marked, ""))
        cols.append("waived")
    return table(findings, cols, {"message": 100, "resource": 36, "system": 20, "partition": 20, "waived": 60}) + "\n"
