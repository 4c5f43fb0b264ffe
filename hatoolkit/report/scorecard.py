"""The scorecard: per concern, how many findings of each severity and status, and the worst ones.

One computation feeds the index page, the summary notebook and the scorecard slide, so the three
can never disagree. Coverage travels with the counts: an area with zero findings whose checks
never ran (not selected, or crashed) must not read as clean.
"""

from __future__ import annotations

import pandas as pd

from hatoolkit.model.findings import FAMILY_ORDER, SEVERITY_ORDER, sort_findings, waived

AREA_TITLES: dict[str, str] = {
    "inputs": "Inputs and data gaps",
    "capacity": "Failover capacity",
    "mobility": "Live Partition Mobility",
    "backups": "Backup staleness (SAV/RST)",
    "network": "Network redundancy",
    "storage": "Storage redundancy",
    "spof": "Single points of failure",
}
SEVERITIES_WORST_FIRST: tuple[str, ...] = tuple(reversed(SEVERITY_ORDER))
SCORECARD_COLUMNS = ["area", "title", *SEVERITIES_WORST_FIRST, "fail", "unknown", "waived", "findings",
                     "checks", "check_errors", "worst", "verdict"]


def scorecard(findings: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """One row per concern (FAMILY_ORDER), counts by severity and status; `verdict` in words."""
    rows = []
    marked = waived(findings) if not findings.empty else pd.Series([], dtype=bool)
    for area in FAMILY_ORDER:
        mine = findings[findings["family"] == area]
        is_waived = marked[mine.index] if not mine.empty else pd.Series([], dtype=bool)
        active = mine[~is_waived]
        cov = coverage[coverage["family"] == area]
        n_checks = len(cov)
        errors = int(cov["error"].notna().sum())
        counts = active["severity"].value_counts()
        row = {"area": area, "title": AREA_TITLES.get(area, area)}
        row.update({s: int(counts.get(s, 0)) for s in SEVERITIES_WORST_FIRST})
        row["fail"] = int((active["status"] == "fail").sum())
        row["unknown"] = int((active["status"] == "unknown").sum())
        row["waived"] = int(is_waived.sum())
        row["findings"] = len(active)
        row["checks"] = n_checks
        row["check_errors"] = errors
        row["worst"] = next((s for s in SEVERITIES_WORST_FIRST if row[s]), "")
        row["verdict"] = _verdict(row)
        rows.append(row)
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


def _verdict(row: dict) -> str:
    if row["checks"] == 0:
        return "not audited"
    if row["check_errors"]:
        return f"{row['check_errors']} check(s) crashed"
    if row["fail"]:
        return f"{row['fail']} failing, worst {row['worst']}"
    if row["unknown"]:
        return f"{row['unknown']} unknown (data missing)"
    return "no findings"


def worst_findings(findings: pd.DataFrame, area: str | None = None, limit: int = 3) -> pd.DataFrame:
    """The first `limit` non-waived findings, worst first (of one area, or of all)."""
    frame = findings if area is None else findings[findings["family"] == area]
    if frame.empty:
        return frame
    frame = frame[~waived(frame)]
    return sort_findings(frame).head(limit)


def totals(findings: pd.DataFrame) -> dict[str, int]:
    """Counts over all areas: by severity, fail, unknown, waived (the headline line)."""
    if findings.empty:
        return {**dict.fromkeys(SEVERITIES_WORST_FIRST, 0), "fail": 0, "unknown": 0, "waived": 0, "findings": 0}
    marked = waived(findings)
    active = findings[~marked]
    counts = active["severity"].value_counts()
    out = {s: int(counts.get(s, 0)) for s in SEVERITIES_WORST_FIRST}
    out.update(fail=int((active["status"] == "fail").sum()), unknown=int((active["status"] == "unknown").sum()),
               waived=int(marked.sum()), findings=len(active))
    return out


def headline(findings: pd.DataFrame) -> str:
    """`12 findings (9 failing, 3 unknown): 1 critical, 4 high, ...` — the title-slide line."""
    t = totals(findings)
    if not t["findings"]:
        return "No findings" + (f" ({t['waived']} waived)" if t["waived"] else "")
    parts = ", ".join(f"{t[s]} {s}" for s in SEVERITIES_WORST_FIRST if t[s])
    waived_note = f"; {t['waived']} waived" if t["waived"] else ""
    noun = "finding" if t["findings"] == 1 else "findings"
    return f"{t['findings']} {noun} ({t['fail']} failing, {t['unknown']} unknown): {parts}{waived_note}"
