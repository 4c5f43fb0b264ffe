"""Applying waivers to findings, and the two checks that keep waivers honest (HA010, HA011).

The runner (registry.run_checks) calls `apply_waivers` once every check has run, so
`hatoolkit findings`, the audit and every report page see the same marks. A finding covered by
a waiver in force gets `waived_by=<owner> waived_until=<date> waiver_reason="..." waiver=<file:line>`
appended to its evidence and stays in every output; the first waiver in the file that covers it
wins. A finding covered only by an expired waiver stays active and says so
(`waiver_expired=<date> waiver=<file:line>`).
"""

from __future__ import annotations

import pandas as pd

from hatoolkit.checks.registry import REGISTRY, Outcome, check, evidence, outcome, rows
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan
from hatoolkit.model.waivers import Waiver, check_ids_known

STATUS_COLUMNS = ["check", "resource", "destination", "owner", "reason", "expires", "source", "state", "findings"]


def apply_waivers(findings: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Findings with waived (and lapsed) ones marked in `evidence`; rows are never dropped."""
    check_ids_known(plan.waivers, frozenset(REGISTRY))
    if findings.empty or not plan.waivers:
        return findings
    at, zone = plan.at(), plan.zone
    active = [w for w in plan.waivers if not w.expired(at, zone)]
    expired = [w for w in plan.waivers if w.expired(at, zone)]
    marks = pd.Series("", index=findings.index, dtype="str")
    taken = pd.Series(False, index=findings.index, dtype=bool)
    for w in active:
        hit = w.matches(findings) & ~taken
        marks[hit] = " " + evidence(waived_by=w.owner, waived_until=w.expires.isoformat(),
                                    waiver_reason=w.reason.replace('"', "'"), waiver=w.source)
        taken |= hit
    for w in expired:
        hit = w.matches(findings) & ~taken
        marks[hit] = " " + evidence(waiver_expired=w.expires.isoformat(), waiver=w.source)
        taken |= hit
    if not taken.any():
        return findings
    base = findings["evidence"].fillna("").astype("str")
    marked = (base + marks).str.strip().where(taken, findings["evidence"])
    return findings.assign(evidence=marked.astype("str"))


def waiver_status(findings: pd.DataFrame, coverage: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """One row per waiver: who, why, until when, and its state (active, expired, stale, not evaluated).

    `findings` counts the findings it covers (whether or not an earlier waiver took them first).
    A waiver whose check did not run, or crashed, is `not evaluated`: it cannot be called stale.
    """
    ran = set(coverage.loc[coverage["error"].isna(), "check_id"]) if len(coverage) else set()
    at, zone = plan.at(), plan.zone
    out = []
    for w in plan.waivers:
        n = int(w.matches(findings).sum()) if not findings.empty else 0
        if w.expired(at, zone):
            state = "expired"
        elif w.check not in ran:
            state = "not evaluated"
        else:
            state = "active" if n else "stale"
        out.append({"check": w.check, "resource": w.resource, "destination": w.destination, "owner": w.owner,
                    "reason": w.reason, "expires": w.expires.isoformat(), "source": w.source, "state": state,
                    "findings": n})
    frame = pd.DataFrame(out, columns=STATUS_COLUMNS)
    for col in STATUS_COLUMNS[:-1]:
        frame[col] = frame[col].astype("str")
    return frame.astype({"findings": "int64"})


def _waivers(plan: Plan, status: pd.DataFrame, state: str) -> tuple[list[Waiver], pd.DataFrame]:
    keep = (status["state"] == state).to_numpy()
    return [w for w, k in zip(plan.waivers, keep, strict=True) if k], status[keep].reset_index(drop=True)


@check("HA010", Severity.MEDIUM, needs_findings=True,
       remediation="Fix what the waiver covered, or have its owner renew it in waivers.yaml with a new `expires` "
                   "date and a current reason; delete it once the finding is gone.")
def waiver_expired(inv: Inventory, plan: Plan, findings: pd.DataFrame, coverage: pd.DataFrame) -> Outcome:
    """A waiver has expired: the findings it covered count again.

    A waiver is an exception someone accepted for a time (a change window, a budget cycle). On
    the day after its expiry it stops covering anything, so the findings it hid fail the audit
    again; this says which waiver lapsed, in which file and line, and who owns it.
    """
    status = waiver_status(findings, coverage, plan)
    lapsed, st = _waivers(plan, status, "expired")
    if not lapsed:
        return outcome(len(plan.waivers))
    ran = set(coverage["check_id"]) if not coverage.empty else set()
    frame = pd.DataFrame({
        "system": [w.system for w in lapsed],
        "resource": [w.label for w in lapsed],
        "message": [f"waiver of {w.check} for {w.resource} by {w.owner} ({w.source}) expired on "
                    f"{w.expires.isoformat()}; "
                    + (f"{n} finding(s) it covered count again" if w.check in ran else f"{w.check} did not run in this audit")
                    for w, n in zip(lapsed, st["findings"], strict=True)],
        "evidence": [evidence(waiver=w.source, owner=w.owner, expires=w.expires.isoformat(),
                              reason=w.reason.replace('"', "'"), findings=n)
                     for w, n in zip(lapsed, st["findings"], strict=True)],
    })
    return outcome(len(plan.waivers), rows(frame, system=frame["system"], resource=frame["resource"],
                                           message=frame["message"], evidence=frame["evidence"]))


@check("HA011", Severity.LOW, needs_findings=True,
       remediation="Delete the waiver if what it covered was fixed; otherwise correct its check, resource "
                   "(SYSTEM/PARTITION/RESOURCE, globs) or destination so that it names the finding.")
def waiver_stale(inv: Inventory, plan: Plan, findings: pd.DataFrame, coverage: pd.DataFrame) -> Outcome:
    """A waiver matches no finding (stale).

    Either the problem it excused was fixed, and the waiver should go before it silently covers
    a future regression, or it was written wrongly (a typo in a name, the wrong check) and the
    finding it was meant for is not waived at all.
    """
    status = waiver_status(findings, coverage, plan)
    stale, _ = _waivers(plan, status, "stale")
    judged = int(status["state"].isin(("active", "stale")).sum())
    if not stale:
        return outcome(judged)
    systems = set(inv.systems["system"])
    hints = [f" (no system {w.system} in the bundle)" if w.system and systems and w.system not in systems else ""
             for w in stale]
    frame = pd.DataFrame({
        "system": [w.system for w in stale],
        "resource": [w.label for w in stale],
        "message": [f"waiver of {w.check} for {w.resource} by {w.owner} ({w.source}) matches no finding{h}"
                    for w, h in zip(stale, hints, strict=True)],
        "evidence": [evidence(waiver=w.source, owner=w.owner, expires=w.expires.isoformat(), findings=0)
                     for w in stale],
    })
    return outcome(judged, rows(frame, system=frame["system"], resource=frame["resource"],
                                message=frame["message"], evidence=frame["evidence"]))
