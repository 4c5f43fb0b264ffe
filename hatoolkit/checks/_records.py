"""Finding rows from plain records: the redundancy checks (network, storage, spof) build their rows this way."""

from __future__ import annotations

from typing import Any

import pandas as pd

from hatoolkit.checks.registry import rows

FINDING_KEYS = ("system", "partition", "resource", "status", "message", "evidence", "severity")


def findings(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Finding rows from plain dicts (system, partition, resource, status, message, evidence[, severity])."""
    frame = pd.DataFrame([{k: r.get(k) for k in FINDING_KEYS} for r in records], columns=list(FINDING_KEYS))
    if frame.empty:
        return rows(pd.DataFrame(index=pd.RangeIndex(0)))
    return rows(frame, **{k: frame[k] for k in FINDING_KEYS})
