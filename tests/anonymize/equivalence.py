"""Findings of an anonymised bundle mapped back through the map, for comparison with the original's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hatoolkit.anonymize.mapping import inverse, load_map
from hatoolkit.anonymize.rewrite import SECRET_RE, Rewriter
from hatoolkit.checks import run_checks
from hatoolkit.ingest import load_inventory
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import bundle_plan

TEXT_COLUMNS = ("system", "partition", "resource", "destination", "message", "evidence")


def audit(bundle: Path) -> tuple[Inventory, pd.DataFrame]:
    inv = load_inventory(bundle)
    findings, _ = run_checks(inv, bundle_plan(bundle))
    return inv, findings


def mapped_back(findings: pd.DataFrame, map_file: Path) -> pd.DataFrame:
    rw = Rewriter(inverse(load_map(map_file)), set(), known_ips_only=True)
    out = findings.copy()
    for col in TEXT_COLUMNS:
        out[col] = out[col].map(lambda v: rw.text(v) if isinstance(v, str) else v)
    return out


def canonical(findings: pd.DataFrame) -> pd.DataFrame:
    """Rows as strings in a fixed order (row order follows names, which anonymisation changes)."""
    frame = findings.astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def differences(original: pd.DataFrame, back: pd.DataFrame) -> pd.DataFrame:
    """Rows in one and not the other; captured passwords are blanked on purpose, so not a difference."""
    original = original.copy()
    for col in TEXT_COLUMNS:
        original[col] = original[col].map(lambda v: SECRET_RE.sub(lambda m: m.group(1) + "REDACTED", v)
                                          if isinstance(v, str) else v)
    merged = canonical(original).merge(canonical(back), how="outer", indicator=True)
    return merged[merged["_merge"] != "both"]
