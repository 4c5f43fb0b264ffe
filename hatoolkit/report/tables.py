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

PLACEMENT_COLUMNS = ["partition", "from", "to", "proc_mode", "pool", "proc_units_source", "proc_units_on_target",
                     "mem_gb_on_target", "rperf_scale", "sizing", "critical"]


def placement_table(placement) -> pd.DataFrame:
    """A failover placement for reading: where each partition goes (unplaced last), what it needs there."""
    if placement is None:
        return pd.DataFrame(columns=PLACEMENT_COLUMNS)
    items = placement.items
    frame = pd.DataFrame({
        "partition": items["partition"],
        "from": items["system"],
        "to": items["target"].fillna("(unplaced)"),
        "proc_mode": items["proc_mode"],
        "pool": items["pool_name"],
        "proc_units_source": items["proc_units"],
        "proc_units_on_target": items["proc_units_target"].where(items["target"].notna(), items["proc_units_min"]),
        "mem_gb_on_target": (items["mem_mb_target"].where(items["target"].notna(), items["mem_mb_min"]) / 1024).round(1),
        "rperf_scale": items["rperf_scale"],
        "sizing": items["basis"],
        "critical": items["critical"],
    })
    return frame.assign(_u=items["target"].isna()).sort_values(["_u", "to", "partition"], kind="mergesort") \
        .drop(columns="_u").reset_index(drop=True)


def headroom_table(placement) -> pd.DataFrame:
    """Per destination of a placement: supply, what the failed system's partitions took, what is left."""
    if placement is None:
        return pd.DataFrame(columns=["destination"])
    t = placement.targets
    return pd.DataFrame({
        "destination": t["target"],
        "proc_units_supply": t["proc_units_supply"],
        "proc_units_placed": t["proc_units_placed"],
        "proc_units_free": t["proc_units_free"],
        "mem_gb_supply": (pd.to_numeric(t["mem_mb_supply"], errors="coerce") / 1024).round(1),
        "mem_gb_placed": (pd.to_numeric(t["mem_mb_placed"], errors="coerce") / 1024).round(1),
        "mem_gb_free": (pd.to_numeric(t["mem_mb_free"], errors="coerce") / 1024).round(1),
        "partitions_placed": t["partitions_placed"],
        "preempted": t["preempted"],
        "rperf": t["rperf_basis"],
    })
