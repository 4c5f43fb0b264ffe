"""docs/checks.md, generated from the check registry (a test fails when the committed file is stale)."""

from __future__ import annotations

from hatoolkit.checks.registry import REGISTRY
from hatoolkit.model.findings import Family

_FAMILY_TITLES = {
    Family.INPUTS: "HA0xx — inputs and data gaps",
    Family.CAPACITY: "HA1xx — failover capacity",
    Family.MOBILITY: "HA2xx — Live Partition Mobility",
    Family.BACKUPS: "HA3xx — SAV/RST backup staleness",
    Family.NETWORK: "HA4xx — network redundancy",
    Family.STORAGE: "HA5xx — storage redundancy",
    Family.SPOF: "HA6xx — single points of failure",
}


def render_checks_doc() -> str:
    """Markdown for every registered check, grouped by family, in ID order."""
    from hatoolkit import checks as _checks  # noqa: F401 - fills the registry

    out = [
        "# Checks",
        "",
        "Generated from the check registry by `hatoolkit docs` — do not edit by hand.",
        "",
        "Every finding carries `check_id, family, severity, status, system, partition, resource, destination,",
        "message, evidence, remediation`. `status` is `fail` (the problem is there) or `unknown` (the data needed",
        "to decide was missing — never counted as a pass). Parameters can be set per check in `plan.yaml` under",
        "`checks: {HAxxx: {name: value}}`.",
        "",
    ]
    specs = sorted(REGISTRY.values(), key=lambda s: s.id)
    for family in Family:
        members = [s for s in specs if s.family is family]
        if not members:
            continue
        out += [f"## {_FAMILY_TITLES[family]}", ""]
        out += ["| ID | severity | title |", "|---|---|---|"]
        out += [f"| [{s.id}](#{s.id.lower()}) | {s.severity.value} | {s.title} |" for s in members]
        out.append("")
        for s in members:
            out += [f"### {s.id}", "", f"**{s.title}** — severity `{s.severity.value}`, function `{s.slug}`"
                    + (" (deprecated)" if s.deprecated else ""), "", s.rationale, "", f"*Remediation:* {s.remediation}"]
            if s.params:
                params = ", ".join(f"`{k}` (default `{v}`)" for k, v in s.params.items())
                out += ["", f"*Parameters:* {params}"]
            out.append("")
    return "\n".join(out).rstrip() + "\n"
