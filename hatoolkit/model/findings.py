"""The findings contract every output uses, and the per-check coverage that goes with it.

A run of the checks yields two frames: `Findings` (one row per problem found, or per question the
data could not answer) and `Coverage` (one row per check: how much it looked at and whether it
crashed). Keeping coverage beside findings is what lets a reader tell "no problems" from "the
check never ran" or "the data was missing".
"""

from __future__ import annotations

from enum import StrEnum

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


class Severity(StrEnum):
    """Finding severity; `rank` orders them so the worst sorts first."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return SEVERITY_ORDER.index(self.value)

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            allowed = ", ".join(SEVERITY_ORDER)
            raise ValueError(f"unknown severity {text!r} (one of: {allowed})") from None


# Ascending: an ordered categorical listed this way makes max() the worst severity.
SEVERITY_ORDER: tuple[str, ...] = ("info", "low", "medium", "high", "critical")


class Family(StrEnum):
    """The concern a check belongs to; the hundreds digit of its ID picks it (HA2xx -> mobility)."""

    INPUTS = "inputs"
    CAPACITY = "capacity"
    MOBILITY = "mobility"
    BACKUPS = "backups"
    NETWORK = "network"
    STORAGE = "storage"
    SPOF = "spof"

    @classmethod
    def for_check(cls, check_id: str) -> Family:
        return FAMILY_BY_DIGIT[check_id[2]]


FAMILY_BY_DIGIT: dict[str, Family] = {
    "0": Family.INPUTS,
    "1": Family.CAPACITY,
    "2": Family.MOBILITY,
    "3": Family.BACKUPS,
    "4": Family.NETWORK,
    "5": Family.STORAGE,
    "6": Family.SPOF,
}
FAMILY_ORDER: tuple[str, ...] = tuple(f.value for f in Family)

STATUSES: tuple[str, ...] = ("fail", "unknown")

# The contract: exactly these columns, in this order, in findings.csv / findings.json / stdout.
FINDING_COLUMNS: tuple[str, ...] = (
    "check_id",
    "family",
    "severity",
    "status",
    "system",
    "partition",
    "resource",
    "destination",
    "message",
    "evidence",
    "remediation",
)


class Findings(pa.DataFrameModel):
    """One row per failed or unanswerable question; `evidence` is `key=value` text in source terms."""

    check_id: Series[str] = pa.Field(str_matches=r"^HA\d{3}$")
    family: Series[str] = pa.Field(isin=FAMILY_ORDER)
    severity: Series[str] = pa.Field(isin=SEVERITY_ORDER)
    status: Series[str] = pa.Field(isin=STATUSES)
    system: Series[str] = pa.Field(nullable=True)
    partition: Series[str] = pa.Field(nullable=True)
    resource: Series[str] = pa.Field(nullable=True)
    destination: Series[str] = pa.Field(nullable=True)
    message: Series[str]
    evidence: Series[str] = pa.Field(nullable=True)
    remediation: Series[str]

    class Config:
        strict = True
        ordered = True
        coerce = False


class Coverage(pa.DataFrameModel):
    """Per check: resources evaluated, rows failing, rows unknown, and the error if it crashed."""

    check_id: Series[str] = pa.Field(str_matches=r"^HA\d{3}$", unique=True)
    family: Series[str] = pa.Field(isin=FAMILY_ORDER)
    severity: Series[str] = pa.Field(isin=SEVERITY_ORDER)
    title: Series[str]
    evaluated: Series[pd.Int64Dtype] = pa.Field(ge=0)
    failing: Series[pd.Int64Dtype] = pa.Field(ge=0)
    unknown: Series[pd.Int64Dtype] = pa.Field(ge=0)
    error: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        ordered = True
        coerce = False


def empty_findings() -> pd.DataFrame:
    """A zero-row frame with the contract's columns and dtypes."""
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in FINDING_COLUMNS})


def sort_findings(frame: pd.DataFrame) -> pd.DataFrame:
    """Worst first, then a total order on identity columns: same input gives byte-identical output."""
    if frame.empty:
        return frame.reset_index(drop=True)
    rank = frame["severity"].map({s: -i for i, s in enumerate(SEVERITY_ORDER)})
    keyed = frame.assign(_rank=rank, _status=(frame["status"] != "fail").astype(int))
    keys = ["_rank", "_status", "check_id", "system", "partition", "resource", "destination", "message"]
    keyed = keyed.sort_values(keys, kind="mergesort", na_position="first")
    return keyed.drop(columns=["_rank", "_status"]).reset_index(drop=True)


def worst_severity(frame: pd.DataFrame) -> str | None:
    """The highest severity present, or None for an empty frame."""
    if frame.empty:
        return None
    return max(frame["severity"], key=SEVERITY_ORDER.index)


WAIVED_RE = r"(?:^| )waived_by="


def waived(frame: pd.DataFrame) -> pd.Series:
    """Rows marked waived (evidence carries `waived_by=...`); waived findings stay in every output."""
    return frame["evidence"].fillna("").str.contains(WAIVED_RE, regex=True).astype(bool)


def at_or_above(frame: pd.DataFrame, severity: str, *, include_waived: bool = False) -> pd.DataFrame:
    """Findings at or above `severity` (the scheduler's `--fail-on` test); waived ones left out by default."""
    if frame.empty:
        return frame
    threshold = SEVERITY_ORDER.index(Severity.parse(severity).value)
    keep = frame["severity"].map(SEVERITY_ORDER.index) >= threshold
    if not include_waived:
        keep &= ~waived(frame)
    return frame[keep]
