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
