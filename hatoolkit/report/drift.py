"""Drift for readers: opening the two sides (report folders, findings.csv, bundles), and the outputs
of `hatoolkit diff` and of `audit --baseline` (terminal table, CSV, JSON, report tables).

A side is what the user points at: a report folder (its saved run state: findings, coverage,
inventory — configuration changes can be compared), a folder or file holding only findings.csv
(findings only; coverage.csv and audit.json beside it are used when present), or a bundle, audited
on the spot with the given plan, time and waivers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from hatoolkit.analysis.drift import CHANGE_KINDS, FINDING_CHANGE_COLUMNS, Drift, Side, drift
from hatoolkit.analysis.drift_config import CONFIG_COLUMNS
from hatoolkit.errors import HatoolkitError
from hatoolkit.model.findings import FAMILY_ORDER, FINDING_COLUMNS, SEVERITY_ORDER, Severity
from hatoolkit.report.tables import Note

DRIFT_CSV_COLUMNS = ["section", "change", "id", *[c for c in FINDING_CHANGE_COLUMNS if c not in ("change",)],
                     "kind", "attribute", "before", "after", "related"]
_NULLABLE = ("system", "partition", "resource", "destination", "evidence")


def open_side(path: str | Path, *, plan: str | None = None, as_of: str | None = None,
              waivers: str | None = None, label: str | None = None) -> Side:
    """One side of a comparison from what the user named (see the module docstring)."""
    from hatoolkit.report.run import STATE_FILE, open_run

    p = Path(path)
    label = label or str(path)
    if p.is_dir() and (p / STATE_FILE).is_file():
        try:
            run = open_run(p)
        except (ValueError, OSError, EOFError) as exc:
            raise HatoolkitError(f"{p / STATE_FILE}: cannot be read ({exc})") from None
        return side_of_run(run, label)
    csv = p / "findings.csv" if p.is_dir() else p if p.suffix.lower() == ".csv" else None
    if csv is not None and csv.is_file():
        return _findings_side(csv, label)
    if p.is_dir() and (p / "audit.json").is_file():
        raise HatoolkitError(f"{p}: a report folder without state.pkl or findings.csv")
    if not p.exists():
        raise HatoolkitError(f"{p}: no such report folder, findings.csv or bundle")
    from hatoolkit.report.run import compute_run

    run = compute_run(p, plan or None, as_of or None, waivers=waivers or None)
    if not run.inventory.files["status"].isin(("parsed", "partial")).any():
        raise HatoolkitError(f"{p}: no usable capture in the bundle (and no findings.csv or state.pkl)")
    return side_of_run(run, label)


def baseline_drift(baseline: Path, run: Any) -> Drift:
    """`audit --baseline`: drift from the previous report folder to this run (read before the new report
    replaces it, so the baseline may be `--out` itself)."""
    from hatoolkit.report.run import STATE_FILE

    if baseline.is_dir() and not any((baseline / n).is_file() for n in (STATE_FILE, "findings.csv")):
        raise HatoolkitError(f"--baseline {baseline}: not a report folder (no {STATE_FILE} or findings.csv)")
    old = open_side(baseline, label=f"{baseline.resolve().name} (baseline)")
    return compare(old, side_of_run(run, Path(run.bundle or "bundle").name), run.plan.timezone)


def side_of_run(run: Any, label: str) -> Side:
    areas = run.extras.get("areas") if run.extras else None
    return Side(label, run.findings, run.coverage, run.inventory, run.plan.at(), tuple(areas) if areas else None)


def _findings_side(csv: Path, label: str) -> Side:
    try:
        frame = pd.read_csv(csv, dtype="str", keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise HatoolkitError(f"{csv}: not a findings file ({exc})") from None
    if list(frame.columns) != list(FINDING_COLUMNS):
        raise HatoolkitError(f"{csv}: not a findings file (columns must be {', '.join(FINDING_COLUMNS)})")
    for col in _NULLABLE:
        frame[col] = frame[col].where(frame[col] != "", None).astype("str")
    folder = csv.parent
    coverage, as_of, areas = None, None, None
    if (folder / "coverage.csv").is_file():
        coverage = pd.read_csv(folder / "coverage.csv", dtype={"error": "str"})
    if (folder / "audit.json").is_file():
        try:
            manifest = json.loads((folder / "audit.json").read_text(encoding="utf-8"))
            as_of = pd.Timestamp(manifest["as_of"]) if manifest.get("as_of") else None
            areas = tuple(manifest["areas"]) if manifest.get("areas") else None
        except (ValueError, KeyError, TypeError):
            pass
    return Side(label, frame, coverage, None, as_of, areas)


def compare(old: Side, new: Side, zone: str = "UTC") -> Drift:
    return drift(old, new, zone)


def regressions(d: Drift, fail_on: str) -> pd.DataFrame:
    """Non-waived findings at or above `fail_on` that are new, got worse, or lost their waiver (`diff --fail-on`)."""
    f = d.findings
    if f.empty:
        return f
    rank = f["severity"].map(SEVERITY_ORDER.index)
    before = f["severity_before"].map(lambda s: SEVERITY_ORDER.index(s) if isinstance(s, str) else -1)
    worse = (f["change"] == "new") | ((f["change"] == "changed") & ((rank > before) | f["waived_before"]))
    keep = worse & ~f["waived"] & (rank >= SEVERITY_ORDER.index(Severity.parse(fail_on).value))
    return f[keep]


# --------------------------------------------------------------------------- outputs


def drift_csv(d: Drift) -> str:
    """Finding changes then configuration changes, one table (`section` says which)."""
    f = d.findings.assign(section="finding", id="", explained_by=d.findings["explained_by"].map(" ".join),
                          kind="", attribute="", before="", after="", related="")
    parts = [f]
    if d.config is not None and not d.config.empty:
        c = d.config.rename(columns={"object": "resource"}).assign(section="config")
        parts.append(c)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else f
    return frame.reindex(columns=DRIFT_CSV_COLUMNS).to_csv(index=False, lineterminator="\n")


def drift_json(d: Drift) -> str:
    from hatoolkit.report.text import records

    findings = d.findings.assign(explained_by=d.findings["explained_by"].map(list))
    payload = {
        "old": {"label": d.old, "as_of": d.old_as_of.isoformat() if d.old_as_of is not None else None},
        "new": {"label": d.new, "as_of": d.new_as_of.isoformat() if d.new_as_of is not None else None},
        "compared": list(d.compared), "notes": list(d.notes), "counts": d.counts(),
        "findings": records(findings),
        "config": records(d.config) if d.config is not None else None,
    }
    return json.dumps(payload, indent=1, ensure_ascii=False)


def when(ts: pd.Timestamp | None, zone: str = "UTC") -> str:
    """`2026-11-25 06:00 CET` in the plan's zone, or "" when unknown."""
    return f"{ts.tz_convert(zone):%Y-%m-%d %H:%M %Z}" if ts is not None else ""


def drift_text(d: Drift) -> str:
    """The terminal view: a headline, the finding changes, the configuration changes."""
    from hatoolkit.report.text import table

    old, new = when(d.old_as_of, d.zone), when(d.new_as_of, d.zone)
    out = [f"Drift {d.old}{f' (as of {old})' if old else ''} -> {d.new}{f' (as of {new})' if new else ''}",
           d.headline() + "."]
    out += [f"note: {n}" for n in d.notes]
    f = d.findings
    if f.empty:
        out.append("\nNo finding changed.")
    else:
        shown = f.assign(severity=_severity_text(f), explained_by=f["explained_by"].map(", ".join),
                         waived=f["waived"].map({True: "waived", False: ""}))
        cols = ["change", "check_id", "severity", "status", "system", "partition", "resource", "destination",
                "message", "detail", "explained_by"]
        out.append("\nFindings\n" + table(shown, cols, {"message": 70, "resource": 30, "detail": 40,
                                                       "explained_by": 24}))
    if d.config is not None:
        if d.config.empty:
            out.append("\nNo configuration change.")
        else:
            out.append("\nConfiguration changes\n" + table(d.config, ["id", "change", "kind", "system", "partition",
                                                                      "detail"], {"detail": 110}))
    return "\n".join(out) + "\n"


def _severity_text(f: pd.DataFrame) -> pd.Series:
    moved = (f["change"] == "changed") & f["severity_before"].notna() & (f["severity_before"] != f["severity"])
    return f["severity"].where(~moved, f["severity_before"].astype("str") + "->" + f["severity"].astype("str"))


# --------------------------------------------------------------------------- report tables


def drift_of(run: Any, baseline: str = "") -> Drift | None:
    """The run's drift (`audit --baseline`), or against `baseline` (a report folder or bundle) now."""
    if baseline:
        return compare(open_side(baseline), side_of_run(run, run.bundle or "this audit"), run.plan.timezone)
    return (run.extras or {}).get("drift")


def by_area(d: Drift | None) -> Any:
    """Per concern: new, resolved, changed, and the severity of the worst new finding."""
    if d is None:
        return no_baseline()
    rows = []
    for area in FAMILY_ORDER:
        mine = d.findings[d.findings["family"] == area]
        counts = mine["change"].value_counts()
        new = mine[mine["change"] == "new"]
        worst = max(new["severity"], key=SEVERITY_ORDER.index) if len(new) else ""
        rows.append({"concern": area, **{k: int(counts.get(k, 0)) for k in CHANGE_KINDS}, "worst new": worst,
                     "compared": "yes" if area in d.compared else "no (not audited in both)"})
    return pd.DataFrame(rows).set_index("concern")


def drift_findings_table(d: Drift | None) -> Any:
    """Finding changes (new first), each with the configuration changes that explain it."""
    from hatoolkit.report.tables import interactive

    if d is None:
        return no_baseline()
    f = d.findings
    frame = pd.DataFrame({
        "change": f["change"], "severity": _severity_text(f), "status": f["status"], "check_id": f["check_id"],
        "system": f["system"], "partition": f["partition"], "resource": f["resource"],
        "destination": f["destination"], "message": f["message"], "detail": f["detail"],
        "explained by": [_explain(ids, d.config) for ids in f["explained_by"]],
    })
    return interactive(frame, page_length=25, search=True, caption=f"{d.headline()} (since {d.old})")


def _explain(ids: tuple[str, ...], config: pd.DataFrame | None) -> str:
    if not ids or config is None:
        return ""
    details = config.set_index("id")["detail"]
    return "; ".join(f"{i}: {details.get(i, '')}" for i in ids)


def drift_config_table(d: Drift | None) -> Any:
    """Every configuration change between the two audits (ids as in `explained by`)."""
    from hatoolkit.report.tables import interactive

    if d is None:
        return no_baseline()
    if d.config is None:
        return Note("Configuration changes are not known: " + "; ".join(d.notes))
    return interactive(d.config[["id", "change", "kind", "system", "partition", "object", "attribute", "before",
                                 "after", "detail"]], page_length=25, search=True)


def since_last_audit(run: Any) -> Any:
    """The summary page's "since last audit": the counts as caption, the finding changes as table."""
    return drift_findings_table(drift_of(run))


def no_baseline() -> Note:
    return Note("No baseline: run `hatoolkit audit BUNDLE --baseline <previous report folder>` (or set the "
                "`baseline` parameter) to see what changed since the last audit.")


__all__ = ["CONFIG_COLUMNS", "DRIFT_CSV_COLUMNS", "Note", "baseline_drift", "compare", "drift_csv", "drift_json", "drift_of",
           "drift_text", "open_side", "regressions", "side_of_run"]
