"""The check registry: each check declared once, on its function, and a runner that never hides a crash.

A check is a small pure function `fn(inv, plan, **params) -> Outcome`. Its ID and severity sit in
the decorator, its title and rationale in the docstring (first line, then a paragraph), its
remediation in the decorator. The runner stamps that metadata on the rows the check returns, so
a check body only says which resources fail and why. Every run also yields coverage per check:
how many resources it evaluated, how many failed, how many could not be judged, and the error if
it crashed: "no findings" and "the check never ran" never look alike.

Waivers (waivers.yaml, carried by the Plan) are applied here, after the checks ran, so every
caller sees the same marks; checks declared `needs_findings=True` (HA010 expired waivers, HA011
stale waivers) then run on the marked findings: `fn(inv, plan, findings, coverage, **params)`.
"""

from __future__ import annotations

import inspect
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hatoolkit.checks.lanes import run_lanes
from hatoolkit.errors import CheckDefinitionError
from hatoolkit.model import frames as fr
from hatoolkit.model.findings import (
    FAMILY_BY_DIGIT,
    FINDING_COLUMNS,
    SEVERITY_ORDER,
    STATUSES,
    Coverage,
    Family,
    Findings,
    Severity,
    empty_findings,
    sort_findings,
)
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan

_ID_RE = re.compile(r"^HA\d{3}$")
ROW_COLUMNS = ("system", "partition", "resource", "destination", "status", "message", "evidence", "severity")


@dataclass(frozen=True)
class CheckSpec:
    """Everything known about one check, declared once."""

    id: str
    severity: Severity
    title: str
    rationale: str
    remediation: str
    fn: Callable[..., Outcome]
    slug: str
    params: Mapping[str, Any] = field(default_factory=dict)
    deprecated: bool = False
    needs_findings: bool = False  # runs after the others, on their (waiver-marked) findings and coverage
    lane: str = "main"  # the memoised analysis it shares with other checks; a lane may run on its own core

    @property
    def family(self) -> Family:
        return Family.for_check(self.id)


@dataclass
class Outcome:
    """What a check returns: offending rows (ROW_COLUMNS) and how many resources it evaluated."""

    rows: pd.DataFrame
    evaluated: int


REGISTRY: dict[str, CheckSpec] = {}


def check(id: str, severity: Severity, *, remediation: str, deprecated: bool = False,
          needs_findings: bool = False, lane: str = "main") -> Callable:
    """Register a check; raises CheckDefinitionError on a bad or duplicate ID or missing docs."""

    def register(fn: Callable[..., Outcome]) -> Callable[..., Outcome]:
        if not _ID_RE.match(id) or id[2] not in FAMILY_BY_DIGIT:
            raise CheckDefinitionError(f"bad check id {id!r} (expected HA + 3 digits, family digit 0-6)")
        if id in REGISTRY:
            raise CheckDefinitionError(f"duplicate check id {id}: {fn.__qualname__} and {REGISTRY[id].fn.__qualname__}")
        title, _, rationale = (inspect.getdoc(fn) or "").partition("\n\n")
        title, rationale = " ".join(title.split()), " ".join(rationale.split())
        if not title or not rationale:
            raise CheckDefinitionError(f"{id}: docstring needs a title line, a blank line and a rationale")
        if title.lower().startswith("ensure") or len(title) > 100:
            raise CheckDefinitionError(f"{id}: title states the problem in <= 100 characters, not 'Ensure ...'")
        if not remediation.strip():
            raise CheckDefinitionError(f"{id}: remediation is required")
        signature = inspect.signature(fn)
        params = {
            name: p.default
            for name, p in signature.parameters.items()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        REGISTRY[id] = CheckSpec(id, severity, title, rationale, remediation.strip(), fn, fn.__name__, params, deprecated,
                                 needs_findings, lane)
        return fn

    return register


# --------------------------------------------------------------------------- building rows


def _fmt(value: Any) -> str:
    if value is None or (not isinstance(value, tuple | list) and pd.isna(value)):
        return "unknown"
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, float | np.floating):
        return f"{value:g}"
    if isinstance(value, tuple | list):
        value = ",".join(str(v) for v in value) or "none"
    text = str(value)
    return f'"{text}"' if (" " in text or not text) else text


def evidence(**pairs: Any) -> str:
    """`key=value` text in source attribute names; missing values read `unknown`."""
    return " ".join(f"{k}={_fmt(v)}" for k, v in pairs.items())


def evidence_of(frame: pd.DataFrame, columns: Mapping[str, str] | Iterable[str]) -> pd.Series:
    """Per-row evidence from frame columns; a mapping renames column -> source attribute name."""
    mapping = dict(columns) if isinstance(columns, Mapping) else {c: c for c in columns}
    if frame.empty:
        return pd.Series([], dtype="str", index=frame.index)
    parts = [frame[col].map(lambda v, n=name: f"{n}={_fmt(v)}") for col, name in mapping.items()]
    out = parts[0].astype("str")
    for part in parts[1:]:
        out = out + " " + part.astype("str")
    return out


def rows(frame: pd.DataFrame | None = None, **columns: Any) -> pd.DataFrame:
    """Finding rows: each argument is a Series aligned with `frame`, or a scalar broadcast to it."""
    n = len(frame) if frame is not None else max(
        (len(v) for v in columns.values() if isinstance(v, pd.Series | list | np.ndarray)), default=1
    )
    index = frame.index if frame is not None else pd.RangeIndex(n)
    out = {}
    for name in ROW_COLUMNS:
        value = columns.get(name, "fail" if name == "status" else None)
        if isinstance(value, pd.Series | list | np.ndarray):
            series = pd.Series(value, index=index) if not isinstance(value, pd.Series) else value.reindex(index)
        else:
            series = pd.Series([value] * n, index=index, dtype=object)
        out[name] = series.astype("str")
    unknown = set(columns) - set(ROW_COLUMNS)
    if unknown:
        raise CheckDefinitionError(f"unknown finding fields {sorted(unknown)}")
    return pd.DataFrame(out, index=index).reset_index(drop=True)


def outcome(evaluated: int, *parts: pd.DataFrame) -> Outcome:
    frames = [p for p in parts if p is not None and not p.empty]
    data = pd.concat(frames, ignore_index=True) if frames else rows(pd.DataFrame(index=pd.RangeIndex(0)))
    return Outcome(data, int(evaluated))


# --------------------------------------------------------------------------- running


def run_checks(
    inv: Inventory,
    plan: Plan | None = None,
    select: Iterable[str] | None = None,
    families: Iterable[str] | None = None,
    parallel: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run checks (all, or those selected by ID or family) -> (Findings, Coverage), both validated.

    `parallel` evaluates each lane of checks on its own core (checks.lanes) when the caller needs
    none of the memoised analyses afterwards; the findings are the same either way.
    """
    from hatoolkit import checks as _checks  # noqa: F401 - registers every check module

    plan = plan or Plan()
    chosen = sorted(REGISTRY.values(), key=lambda s: s.id)
    if select:
        wanted = set(select)
        chosen = [s for s in chosen if s.id in wanted]
    if families:
        fams = set(families)
        # A lapsed or stale waiver is reported whatever concerns were asked for (`--only capacity`):
        # the waiver checks judge only the checks that ran, so they never speak for the others.
        chosen = [s for s in chosen if s.family.value in fams or (s.needs_findings and plan.waivers)]
    found: list[pd.DataFrame] = []
    coverage: list[dict[str, Any]] = []
    regular = [s for s in chosen if not s.deprecated and not s.needs_findings]
    lanes = [[s for s in regular if s.lane == name]
             for name in ["main", *sorted({s.lane for s in regular} - {"main"})]]
    by_id = {cid: (stamped, record) for cid, stamped, record in
             run_lanes(lanes, lambda lane: [_evaluate(s, (inv, plan), plan) for s in lane], parallel=parallel)}
    for spec in regular:  # one process's order, whichever core evaluated what
        stamped, record = by_id[spec.id]
        coverage.append(record)
        if stamped is not None:
            found.append(stamped)
    findings = _validated(found)
    if plan.waivers:
        from hatoolkit.checks.inputs_waivers import apply_waivers

        findings = apply_waivers(findings, plan)
    post = [s for s in chosen if not s.deprecated and s.needs_findings]
    if post:
        cov_so_far = _coverage_frame(coverage)
        extra: list[pd.DataFrame] = []
        for spec in post:
            _run_one(spec, (inv, plan, findings, cov_so_far), plan, extra, coverage)
        extra = [e for e in extra if not e.empty]
        if extra:  # only the few new rows need validating; the rest already were
            new_rows = fr.validate(Findings, pd.concat(extra, ignore_index=True)[list(FINDING_COLUMNS)])
            findings = sort_findings(pd.concat([findings, new_rows], ignore_index=True))
    return findings, _coverage_frame(coverage)


def _run_one(spec: CheckSpec, args: tuple, plan: Plan, found: list[pd.DataFrame],
             coverage: list[dict[str, Any]]) -> None:
    """Run one check: its stamped rows go to `found`, its coverage record (or error) to `coverage`."""
    _, stamped, record = _evaluate(spec, args, plan)
    coverage.append(record)
    if stamped is not None:
        found.append(stamped)


def _evaluate(spec: CheckSpec, args: tuple, plan: Plan) -> tuple[str, pd.DataFrame | None, dict[str, Any]]:
    """Run one check -> (its ID, its stamped rows or None if it crashed, its coverage record)."""
    record = {"check_id": spec.id, "family": spec.family.value, "severity": spec.severity.value,
              "title": spec.title, "evaluated": 0, "failing": 0, "unknown": 0, "error": None}
    try:
        params = dict(plan.params(spec.id))
        unknown = set(params) - set(spec.params)
        if unknown:
            raise TypeError(f"unknown parameter(s) {sorted(unknown)} for {spec.id} "
                            f"(accepted: {sorted(spec.params) or 'none'})")
        result = spec.fn(*args, **params)
        stamped = _stamp(spec, result)
    except Exception as exc:  # a crashing check is an error row, never a silent zero
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
        record["error"] = f"{type(exc).__name__}: {exc}{where}"
        return spec.id, None, record
    record["evaluated"] = max(result.evaluated, len(stamped))
    record["failing"] = int((stamped["status"] == "fail").sum())
    record["unknown"] = int((stamped["status"] == "unknown").sum())
    return spec.id, stamped, record


def _validated(found: list[pd.DataFrame]) -> pd.DataFrame:
    findings = pd.concat(found, ignore_index=True) if found else empty_findings()
    return fr.validate(Findings, sort_findings(findings[list(FINDING_COLUMNS)]))


def _coverage_frame(coverage: list[dict[str, Any]]) -> pd.DataFrame:
    cov = pd.DataFrame(sorted(coverage, key=lambda c: c["check_id"]), columns=list(Coverage.to_schema().columns))
    cov = cov.astype({"evaluated": "Int64", "failing": "Int64", "unknown": "Int64"})
    for col in ("check_id", "family", "severity", "title", "error"):
        cov[col] = cov[col].astype("str")
    return fr.validate(Coverage, cov)


def _stamp(spec: CheckSpec, result: Outcome) -> pd.DataFrame:
    if not isinstance(result, Outcome):
        raise TypeError(f"{spec.id} returned {type(result).__name__}, not Outcome")
    data = result.rows
    missing = set(ROW_COLUMNS) - set(data.columns)
    if missing:
        raise ValueError(f"{spec.id} rows lack {sorted(missing)}")
    data = data.copy()
    bad_status = ~data["status"].isin(STATUSES)
    if bad_status.any():
        raise ValueError(f"{spec.id} returned status {sorted(set(data.loc[bad_status, 'status']))}")
    if data["message"].isna().any():
        raise ValueError(f"{spec.id} returned a finding without a message")
    severity = data["severity"].where(data["severity"].isin(SEVERITY_ORDER), spec.severity.value)
    data = data.assign(check_id=spec.id, family=spec.family.value, severity=severity,
                       remediation=spec.remediation)
    for col in FINDING_COLUMNS:
        data[col] = data[col].astype("str")
    return data
