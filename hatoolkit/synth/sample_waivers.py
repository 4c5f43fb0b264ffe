"""The sample bundle's waivers.yaml: one waiver in force, one expired, one stale (see sample.py)."""

from __future__ import annotations

WAIVERS_YAML = """\
# Accepted exceptions: each names a check and what it covers (SYSTEM[/PARTITION[/RESOURCE]], globs),
# who accepted the risk, why, and until when (the waiver holds through that day, in plan.yaml's timezone).
waivers:
  - check: HA203
    resource: PRD-1/NIM
    owner: j.kowalski
    reason: >-
      NIM keeps its own 10GbE adapter for install and mksysb traffic; it is never moved live:
      on a site failover it is rebuilt on DR-1 from its mksysb (runbook DR-07)
    expires: 2027-03-31
  - check: HA207
    resource: PRD-1/MQ
    owner: a.nowak
    reason: RMC port 657 blocked by firewall change CHG-4512; rule fix planned for the October window
    expires: 2026-10-31
  - check: HA208
    resource: PRD-2/HR-OLD
    owner: m.wisniewski
    reason: HR-OLD runs in POWER8 mode for its vendor-certified stack until decommissioning
    expires: 2027-06-30
"""
