"""Tables shown in reports and notebooks (findings, coverage, inventory views).

Functions return DataFrames shaped for reading (columns in reading order, worst first); the
HTML report renders them as sortable, filterable tables.
"""

from __future__ import annotations

import pandas as pd

from hatoolkit.model.findings import FINDING_COLUMNS, sort_findings

FINDING_DISPLAY = ["severity", "status", "check_id", "system", "partition", "resource", "destination", "message",
                   "evidence", "remediation"]


def findings_table(findings: pd.DataFrame, *, limit: int | None = None) -> pd.DataFrame:
    """Findings worst first, in reading order (all contract columns but `family`)."""
    frame = sort_findings(findings[list(FINDING_COLUMNS)])[FINDING_DISPLAY]
    return frame.head(limit) if limit else frame


def backup_copies_table(status: pd.DataFrame, zone: str = "UTC") -> pd.DataFrame:
    """One row per production storage space: its newest save, the copy on the backup, age against RPO."""
    cols = {"system": "system", "host": "host", "nwsstg": "storage space", "guest": "guest",
            "last_save_at": "newest save", "copy_saved_at": "copy on backup (saved)", "copy_restored_at": "restored",
            "backup_nwsstg": "name on backup", "copy_age": "copy age", "rpo": "RPO", "workload_class": "class",
            "breach_at": "breaches RPO at"}
    frame = status[list(cols)].copy()
    for col in ("last_save_at", "copy_saved_at", "copy_restored_at", "breach_at"):
        frame[col] = frame[col].dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M")
    for col in ("copy_age", "rpo"):
        frame[col] = (frame[col] / pd.Timedelta(hours=1)).round(1).map(lambda h: f"{h:g} h" if pd.notna(h) else "")
    return frame.rename(columns=cols).reset_index(drop=True)


def components_table(components: pd.DataFrame, *, limit: int | None = None) -> pd.DataFrame:
    """Components ranked by how many guests depend on them alone (analysis.topology.components)."""
    frame = components[components["n_guests"].fillna(0) > 0] if not components.empty else components
    out = pd.DataFrame({
        "component": frame["label"], "kind": frame["kind"], "system": frame["system"],
        "guests cut off": frame["n_guests"], "critical": frame["critical"].map(", ".join),
        "guests": frame["guests"].map(lambda g: ", ".join(x.split("/", 1)[-1] for x in g)),
        "what they lose": frame["needs"].map("; ".join),
    })
    out = out.reset_index(drop=True)
    return out.head(limit) if limit else out
