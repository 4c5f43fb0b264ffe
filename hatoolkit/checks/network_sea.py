"""HA4xx (network, VIOS): Shared Ethernet Adapter failover that is missing, misplaced or misconfigured.

IBM's rule for SEA failover: one primary and one backup SEA on *different* VIOS per virtual
switch and VLAN, trunk adapters with different priorities (the lower value is primary), ha_mode
auto (or sharing on both for load sharing), each SEA on a real adapter that is itself redundant.
These checks read analysis.sea (HMC trunk adapters joined with the VIOS's SEA captures); a VLAN
bridged by a VIOS whose SEAs were not captured is `unknown`, never a pass. A missing control
channel is flagged only where the VIOS level predates control-channel-less failover.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from hatoolkit.analysis import sea as seas
from hatoolkit.analysis.vios import DEFAULT_VSWITCH, vios_ids
from hatoolkit.checks._records import findings
from hatoolkit.checks.registry import Outcome, check, evidence, outcome
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan
from hatoolkit.model.rows import row_tuples

FAILOVER_MODES = frozenset({"auto", "standby", "sharing"})


@lru_cache(maxsize=8)
def _groups(inv: Inventory) -> list[tuple[tuple[str, str, int], pd.DataFrame, pd.DataFrame]]:
    """Per (system, vswitch, VLAN): the SEAs bridging it and the trunk adapters of uncaptured VIOS (shared by HA405-410)."""
    sv = seas.sea_vlans(inv)
    keys = ["system", "vswitch", "vlan_id"]
    # Split and de-duplicate once for the whole estate, then only cut per group (thousands of VLANs).
    has_sea = sv["sea"].notna()
    known_all = sv[has_sea].drop_duplicates([*keys, "vios_lpar_id", "sea"])
    known_by = dict(iter(known_all.groupby(keys, sort=False))) if not known_all.empty else {}
    blind_by = dict(iter(sv[~has_sea].groupby(keys, sort=False))) if (~has_sea).any() else {}
    empty = sv.iloc[0:0]
    group_keys = sorted(set(known_by) | set(blind_by))
    return [(key, known_by.get(key, empty), blind_by.get(key, empty)) for key in group_keys]


def _vlan_text(vswitch: str, vlans: list[int]) -> str:
    text = "VLAN " + ",".join(str(v) for v in sorted(set(vlans))) if len(set(vlans)) == 1 else \
        "VLANs " + ",".join(str(v) for v in sorted(set(vlans)))
    return text + ("" if vswitch == DEFAULT_VSWITCH else f" ({vswitch})")


@check("HA405", Severity.HIGH,
       remediation="Create the partner SEA on the other VIOS of the system (same VLANs, trunk priority 2, "
                   "ha_mode=auto) and set ha_mode=auto on this one.")
def sea_no_partner(inv: Inventory, plan: Plan) -> Outcome:
    """A VLAN is bridged by one Shared Ethernet Adapter with no failover partner.

    Without a partner SEA on a second VIOS, the VLAN loses its way out whenever that VIOS is
    rebooted for maintenance or fails, and with it every client partition on the VLAN.
    """
    groups = _groups(inv)
    per_sea: dict[tuple[str, int, str], dict[str, Any]] = {}
    blind_vlans: dict[tuple[str, str, str], list[int]] = {}
    out: list[dict[str, Any]] = []
    for (system, vswitch, vlan), known, blind in groups:
        if len(known) == 1 and blind.empty:
            r = known.iloc[0]
            entry = per_sea.setdefault((system, int(r["vios_lpar_id"]), r["sea"]), {"row": r, "vswitch": vswitch,
                                                                                   "vlans": []})
            entry["vlans"].append(vlan)
        elif len(known) <= 1 and not blind.empty:
            names = ",".join(sorted(set(blind["vios_name"].fillna("?"))))
            blind_vlans.setdefault((system, vswitch, names), []).append(vlan)
    for (system, vswitch, names), vlans in sorted(blind_vlans.items()):
        out.append({"system": system, "partition": names, "resource": f"{system}/{vswitch}/{names}",
                    "status": "unknown", "evidence": evidence(vlans=tuple(sorted(vlans)), vswitch=vswitch,
                                                              uncaptured_vios=names),
                    "message": f"{_vlan_text(vswitch, vlans)} carried by trunk adapters of {names}, whose SEAs were not "
                               "captured: failover partners unknown"})
    for (system, _, sea), e in sorted(per_sea.items()):
        r = e["row"]
        out.append({"system": system, "partition": r["vios_name"], "resource": f"{system}/{r['vios_name']}/{sea}",
                    "status": "fail", "evidence": evidence(sea=sea, ha_mode=r["ha_mode"], vlans=tuple(sorted(e["vlans"])),
                                                           real_adapter=r["real_adapter"]),
                    "message": f"{_vlan_text(e['vswitch'], e['vlans'])} bridged only by SEA {sea} on {r['vios_name']}: "
                               "no failover partner"})
    return outcome(len(groups), findings(out))


@check("HA406", Severity.HIGH,
       remediation="Remove one of the two SEAs and create it on the other VIOS of the system, so the pair spans two VIOS.")
def sea_pair_one_vios(inv: Inventory, plan: Plan) -> Outcome:
    """Both SEAs bridging a VLAN sit on the same VIOS.

    Failover between two SEAs of one VIOS protects against nothing that matters: rebooting or
    losing that VIOS takes both down, and the VLAN's clients with them.
    """
    groups = _groups(inv)
    per_vios: dict[tuple[str, int], dict[str, Any]] = {}
    for (system, vswitch, vlan), known, _ in groups:
        if len(known) >= 2 and known["vios_lpar_id"].nunique() == 1:
            r = known.iloc[0]
            e = per_vios.setdefault((system, int(r["vios_lpar_id"])), {"name": r["vios_name"], "vswitch": vswitch,
                                                                       "vlans": [], "seas": set()})
            e["vlans"].append(vlan)
            e["seas"] |= set(known["sea"])
    out = [{"system": system, "partition": e["name"], "resource": f"{system}/{e['name']}", "status": "fail",
            "evidence": evidence(seas=tuple(sorted(e["seas"])), vlans=tuple(sorted(e["vlans"]))),
            "message": f"{_vlan_text(e['vswitch'], e['vlans'])} bridged by SEAs {', '.join(sorted(e['seas']))}, all on "
                       f"{e['name']}"} for (system, _), e in sorted(per_vios.items())]
    return outcome(sum(1 for _, k, _ in groups if len(k) >= 2), findings(out))


@check("HA407", Severity.HIGH,
       remediation="Give the trunk adapters of the pair different priorities (1 on the primary VIOS, 2 on the "
                   "backup) with chhwres ... trunk_priority, then verify one SEA is PRIMARY and one BACKUP.")
def sea_equal_priorities(inv: Inventory, plan: Plan) -> Outcome:
    """The SEAs of a failover pair have equal trunk priorities.

    SEA failover elects the primary by the lower trunk priority; with equal priorities both sides
    may bridge at once (a loop that floods the VLAN) or neither takes over cleanly.
    """
    groups = _groups(inv)
    merged: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    evaluated = 0
    for (system, vswitch, vlan), known, _ in groups:
        if len(known) < 2:
            continue
        evaluated += 1
        label = tuple(sorted(f"{n}/{s}" for n, s in zip(known["vios_name"].fillna("?"), known["sea"], strict=True)))
        prio = known["trunk_priority"]
        if prio.isna().any():
            out.append({"system": system, "partition": None, "resource": f"{system}/{vswitch}/VLAN {vlan}",
                        "status": "unknown", "evidence": evidence(seas=label, trunk_priority=None),
                        "message": f"trunk priority of an SEA bridging VLAN {vlan} is not captured "
                                   "(lshwres -r virtualio --rsubtype eth)"})
        elif prio.duplicated().any():
            e = merged.setdefault((system, label), {"vswitch": vswitch, "vlans": [], "prio": tuple(prio.astype(int))})
            e["vlans"].append(vlan)
    for (system, label), e in sorted(merged.items()):
        out.append({"system": system, "partition": ",".join(sorted({x.split("/")[0] for x in label})),
                    "resource": f"{system}/" + "+".join(label), "status": "fail",
                    "evidence": evidence(seas=label, trunk_priority=e["prio"], vlans=tuple(sorted(e["vlans"]))),
                    "message": f"SEAs {', '.join(label)} bridge {_vlan_text(e['vswitch'], e['vlans'])} with equal trunk "
                               f"priorities {'/'.join(str(p) for p in e['prio'])}"})
    return outcome(evaluated, findings(out))


@check("HA408", Severity.HIGH,
       remediation="Set ha_mode=auto on the SEA (chdev -dev entX -attr ha_mode=auto), or remove the duplicate SEA.")
def sea_ha_mode_disabled(inv: Inventory, plan: Plan) -> Outcome:
    """An SEA has ha_mode disabled while another SEA bridges the same VLAN.

    An SEA with ha_mode=disabled takes no part in failover: next to another SEA on the same VLAN
    it either bridges at the same time (a loop) or never takes over when the other fails.
    """
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int, str]] = set()
    evaluated = 0
    for (system, _, vlan), known, _ in _groups(inv):
        if len(known) < 2:
            continue
        for r in row_tuples(known):
            key = (system, int(r.vios_lpar_id), r.sea)
            if key in seen:
                continue
            seen.add(key)
            evaluated += 1
            where = {"system": system, "partition": r.vios_name, "resource": f"{system}/{r.vios_name}/{r.sea}"}
            others = sorted(f"{o.vios_name}/{o.sea}" for o in row_tuples(known) if o.sea != r.sea
                            or o.vios_lpar_id != r.vios_lpar_id)
            if not isinstance(r.ha_mode, str):
                out.append({**where, "status": "unknown", "evidence": evidence(sea=r.sea, ha_mode=None),
                            "message": f"ha_mode of SEA {r.sea} on {r.vios_name} not captured (lsdev -dev {r.sea} -attr)"})
            elif r.ha_mode == "disabled":
                out.append({**where, "status": "fail", "evidence": evidence(sea=r.sea, ha_mode="disabled", vlan=vlan,
                                                                            partners=tuple(others)),
                            "message": f"SEA {r.sea} on {r.vios_name} has ha_mode=disabled though {', '.join(others)} "
                                       f"also bridges VLAN {vlan}"})
    return outcome(evaluated, findings(out))


@check("HA409", Severity.MEDIUM,
       remediation="Back the SEA with an EtherChannel (802.3ad or NIB with a backup adapter) over ports of two "
                   "different adapters, so a port, cable or switch port failure does not trigger an SEA failover.")
def sea_single_port(inv: Inventory, plan: Plan) -> Outcome:
    """An SEA is backed by a single physical port.

    The SEA's real adapter is its only way out: one port (or an EtherChannel with one usable
    member) means a cable, port or switch-port failure takes the bridge down; with a partner SEA
    that is a failover, without one an outage (severity high then).
    """
    ports = seas.sea_real_ports(inv)
    partnered = set()
    for _, known, _ in _groups(inv):
        if known["vios_lpar_id"].nunique() >= 2:
            partnered |= {(r.system, int(r.vios_lpar_id), r.sea) for r in row_tuples(known)}
    out: list[dict[str, Any]] = []
    for r in row_tuples(ports):
        where = {"system": r.system, "partition": r.vios_name, "resource": f"{r.system}/{r.vios_name}/{r.sea}"}
        severity = "medium" if (r.system, int(r.vios_lpar_id), r.sea) in partnered else "high"
        if r.real_kind == "unknown":
            out.append({**where, "status": "unknown", "evidence": evidence(sea=r.sea, real_adapter=r.real_adapter),
                        "message": f"whether {r.real_adapter} (real adapter of SEA {r.sea} on {r.vios_name}) is a port or "
                                   "an EtherChannel is not captured (lsdev -dev entX -attr, lsmap -all -net)"})
        elif len(r.ports) < 2:
            what = f"the single port {r.real_adapter}" if r.real_kind == "port" else \
                f"EtherChannel {r.real_adapter} with one usable member ({', '.join(r.ports) or 'none'})"
            out.append({**where, "status": "fail", "severity": severity,
                        "evidence": evidence(sea=r.sea, real_adapter=r.real_adapter, ports=r.ports, unhealthy=r.unhealthy,
                                             physloc=r.physloc),
                        "message": f"SEA {r.sea} on {r.vios_name} is backed by {what}"})
    return outcome(len(ports), findings(out))


@check("HA410", Severity.MEDIUM,
       remediation="Give the SEA pair a control channel (a dedicated virtual Ethernet adapter, ctl_chan) or upgrade "
                   "both VIOS to 2.2.3.0 or later (with firmware 7.8+) for control-channel-less failover.")
def sea_no_control_channel(inv: Inventory, plan: Plan) -> Outcome:
    """An SEA failover pair has no control channel on a VIOS level that needs one.

    Before VIOS 2.2.3.0 the two SEAs of a pair learn of each other's state only over the control
    channel; without it both may become primary. From 2.2.3.0 (firmware 7.8) the partners find each
    other over VLAN 4095 and a missing ctl_chan is fine, so it is not flagged there.
    """
    levels = {(r.system, int(r.lpar_id)): r.name for r in row_tuples(vios_ids(inv))}
    version = {(r.system, int(r.lpar_id)): r.os_version for r in row_tuples(inv.partitions)}
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int, str]] = set()
    for _, known, _ in _groups(inv):
        if known["vios_lpar_id"].nunique() < 2:
            continue
        for r in row_tuples(known):
            key = (r.system, int(r.vios_lpar_id), r.sea)
            if key in seen:
                continue
            seen.add(key)
            if r.ha_mode not in FAILOVER_MODES or isinstance(r.ctl_chan, str):
                continue
            level = seas.vios_level(version.get(key[:2]))
            name = levels.get(key[:2], r.vios_name)
            where = {"system": r.system, "partition": name, "resource": f"{r.system}/{name}/{r.sea}"}
            if level is None:
                out.append({**where, "status": "unknown", "evidence": evidence(sea=r.sea, ctl_chan=None, ioslevel=None),
                            "message": f"SEA {r.sea} on {name} has no control channel and the VIOS level is not captured "
                                       "(needed from below 2.2.3.0)"})
            elif level < seas.CTL_CHAN_OPTIONAL_FROM:
                out.append({**where, "status": "fail", "evidence": evidence(sea=r.sea, ctl_chan=None,
                                                                            ioslevel=".".join(map(str, level))),
                            "message": f"SEA {r.sea} on {name} (VIOS {'.'.join(map(str, level))}) has no control channel"})
    return outcome(len(seen), findings(out))
