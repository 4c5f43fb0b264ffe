"""Data gaps: what the loader expected and did not find, or found and could not use.

Gaps are data, not log lines: they travel with the Inventory, the HA0xx checks turn them into
findings, and `hatoolkit validate` prints them. Every gap names the file and line it is about
whenever there is one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# code -> (default severity, meaning). The HA0xx input checks select gaps by code.
GAP_CODES: dict[str, tuple[str, str]] = {
    "unreadable_file": ("high", "a file could not be read as a capture (binary, permissions, too large)"),
    "empty_file": ("medium", "a capture file is empty"),
    "encoding": ("low", "a file is not UTF-8; it was read as Latin-1"),
    "hmc_message": ("medium", "the HMC or VIOS printed an error message instead of output"),
    "no_results": ("info", "the command ran and returned no rows"),
    "unparseable": ("medium", "a line is not a record of the command (garbled or foreign text)"),
    "truncated": ("medium", "a record is cut off (file truncated or line broken)"),
    "duplicate_attr": ("low", "a record repeats an attribute; the first value was kept"),
    "bad_value": ("medium", "an attribute value is not of the expected type; it was treated as missing"),
    "schema": ("high", "a parsed value breaks the inventory schema; it was treated as missing"),
    "unknown_command": ("info", "a captured command is not one hatoolkit reads"),
    "unrecognised": ("low", "a file or section could not be identified as any known export"),
    "recognition": ("low", "a capture was identified with a caveat (file name and content disagree)"),
    "unknown_system": ("medium", "the managed system of a capture could not be determined; it was not used"),
    "missing_capture": ("medium", "an expected capture is missing for a managed system"),
    "system_not_operating": ("medium", "a managed system is not operating; its capabilities are unknown"),
    "duplicate_record": ("low", "the same object was captured twice with different values; the first was kept"),
    "orphan_record": ("low", "a record refers to a partition or system that is not in the inventory"),
    "time_zone": ("medium", "IBM i local times could not be placed exactly: no zone stated, or it disagrees with the host"),
    "local_time": ("medium", "a local timestamp does not exist or occurs twice in its zone (DST change)"),
    "source_gap": ("info", "a field this kind of export cannot carry (REST, HMC Scanner); it is left missing"),
    "usage_collection_off": ("medium", "utilisation data collection is off on the HMC, or an export holds no samples"),
    "usage_gap": ("low", "utilisation samples are missing for part of the captured period (holes, restarts)"),
    "usage_missing": ("medium", "a running partition of a sampled system has no utilisation samples"),
}


@dataclass
class GapLog:
    """Collects gaps while a bundle loads."""

    rows: list[dict[str, object]] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        system: str | None = None,
        command: str | None = None,
        severity: str | None = None,
    ) -> None:
        if code not in GAP_CODES:
            raise KeyError(f"unknown gap code {code!r}")
        self.rows.append(
            {
                "code": code,
                "severity": severity or GAP_CODES[code][0],
                "system": system,
                "file": file,
                "line": line,
                "command": command,
                "message": message,
            }
        )

    def frame(self) -> pd.DataFrame:
        columns = ["code", "severity", "system", "file", "line", "command", "message"]
        if not self.rows:
            return pd.DataFrame({c: pd.Series([], dtype="Int64" if c == "line" else "str") for c in columns})
        df = pd.DataFrame(self.rows, columns=columns)
        for c in columns:
            df[c] = df[c].astype("Int64") if c == "line" else df[c].astype("str")
        df = df.drop_duplicates(ignore_index=True)
        return df.sort_values(["file", "line", "code"], kind="mergesort", na_position="first").reset_index(drop=True)
