"""HA0xx: the inputs themselves. A check that cannot see its data must say so, and these say why.

Each input check turns one family of data gaps into findings naming file and line, so a reader
of the report learns that "no capacity finding for PRD-2" may mean "PRD-2's memory capture was
an HMC error message", not "PRD-2 is fine".
"""

from __future__ import annotations

import pandas as pd

from hatoolkit.checks.registry import Outcome, check, outcome, rows
from hatoolkit.ingest.hmc_specs import EXPECTED_KINDS
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan


def _gap_rows(inv: Inventory, codes: tuple[str, ...], status: str = "fail") -> pd.DataFrame:
    gaps = inv.gaps[inv.gaps["code"].isin(codes)]
    where = gaps["file"].fillna("") + gaps["line"].map(lambda n: f":{n}" if pd.notna(n) else "").astype("str")
    evidence = ("gap=" + gaps["code"] + where.map(lambda w: f" file={w}" if w else "").astype("str")
                + gaps["command"].map(lambda c: f' command="{c}"' if isinstance(c, str) else "").astype("str"))
    return rows(
        gaps,
        system=gaps["system"],
        resource=where.where(where != "", gaps["command"]),
        status=status,
        message=gaps["message"],
        evidence=evidence,
        severity=gaps["severity"],
    )


def _file_count(inv: Inventory) -> int:
    return max(len(inv.files), 1)


@check("HA001", Severity.HIGH,
       remediation="Re-collect the file as plain UTF-8 text (hatoolkit collect, or the commands in docs/formats.md).")
def unreadable_file(inv: Inventory, plan: Plan) -> Outcome:
    """A bundle file could not be read, or is empty.

    Whatever the file should have shown (a system's partitions, its memory, its adapters) is
    missing from every analysis, so findings for that system are incomplete rather than clean.
    """
    return outcome(_file_count(inv), _gap_rows(inv, ("unreadable_file", "empty_file")))


@check("HA002", Severity.MEDIUM,
       remediation="Read the message, fix the cause (permissions, unsupported option, system state) and re-capture.")
def hmc_error_message(inv: Inventory, plan: Plan) -> Outcome:
    """A capture holds an HMC or VIOS error message instead of output.

    The command failed when the capture was taken; the frame it feeds is empty for that system,
    and checks depending on it report unknown. Some messages only mean "not supported on this
    hardware" (HSCLA4C0: no virtual Fibre Channel), which is still worth knowing.
    """
    return outcome(_file_count(inv), _gap_rows(inv, ("hmc_message",)))


@check("HA003", Severity.HIGH,
       remediation="Capture the missing command for the system (see docs/formats.md) and re-run the audit.")
def capture_missing(inv: Inventory, plan: Plan) -> Outcome:
    """An expected capture is missing for a managed system.

    Without it the partitions, memory, processors or adapters of that system are unknown; every
    check that needs them reports unknown for that system instead of a pass.
    """
    evaluated = max(len(inv.systems), 1) * len(EXPECTED_KINDS)
    return outcome(evaluated, _gap_rows(inv, ("missing_capture",)))


@check("HA004", Severity.HIGH,
       remediation="Power the system on (or restore the HMC connection) and re-capture; until then treat it as down.")
def system_not_operating(inv: Inventory, plan: Plan) -> Outcome:
    """A managed system is powered off or not operating.

    A powered-off system reports its capabilities as `unavailable`: mobility, remote restart and
    capacity cannot be judged, and the system offers no failover capacity today.
    """
    return outcome(max(len(inv.systems), 1), _gap_rows(inv, ("system_not_operating",)))


@check("HA005", Severity.MEDIUM,
       remediation="Re-capture the file; do not edit captures by hand. Check the capture's locale (LANG=en_US).")
def garbled_lines(inv: Inventory, plan: Plan) -> Outcome:
    """A capture has garbled, truncated or invalid lines.

    Records on those lines were dropped or partly blanked, so the objects they describe are
    missing or incomplete; checks on them report unknown.
    """
    codes = ("unparseable", "truncated", "bad_value", "schema", "duplicate_attr")
    return outcome(_file_count(inv), _gap_rows(inv, codes))


@check("HA006", Severity.MEDIUM,
       remediation="Record the managed system: capture with `-m SYS`, name files <system>_<command>.txt, "
                   "or put them under hmc/<hmc>/<system>/.")
def capture_without_system(inv: Inventory, plan: Plan) -> Outcome:
    """A capture cannot be tied to a managed system.

    Resource listings do not name their system; without `-m` or a system in the file or folder
    name hatoolkit cannot tell which system's partitions they describe, so they were not used.
    """
    return outcome(_file_count(inv), _gap_rows(inv, ("unknown_system",)))


@check("HA007", Severity.LOW,
       remediation="Capture with an English UTF-8 locale (export LANG=en_US.UTF-8) so text compares reliably.")
def not_utf8(inv: Inventory, plan: Plan) -> Outcome:
    """A capture is not UTF-8 text.

    It was read as Latin-1: names and descriptions with accented characters may be wrong and may
    not match the same objects in other captures.
    """
    return outcome(_file_count(inv), _gap_rows(inv, ("encoding",)))


@check("HA008", Severity.LOW,
       remediation="Check that the capture is of the intended system; re-capture both sources at the same time.")
def conflicting_records(inv: Inventory, plan: Plan) -> Outcome:
    """The same object was captured twice with different values.

    Two captures disagree (taken at different times, or from different HMCs); hatoolkit used the
    first one, which may be the stale one.
    """
    return outcome(_file_count(inv), _gap_rows(inv, ("duplicate_record",)))


@check("HA009", Severity.INFO,
       remediation="Nothing to fix if the file is not meant for hatoolkit; otherwise see docs/formats.md.")
def unrecognised_input(inv: Inventory, plan: Plan) -> Outcome:
    """A file or command output in the bundle was not recognised.

    It was ignored. If it was meant to feed the audit (a renamed capture, an unsupported
    command), the data it holds is missing from the results.
    """
    return outcome(_file_count(inv), _gap_rows(inv, ("unrecognised", "unknown_command", "recognition")))
