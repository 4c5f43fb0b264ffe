"""HA4xx (network, IBM i): a virtual LAN or virtual IP that only one physical interface really carries.

An IBM i hosting partition bridges its guests' virtual LAN by proxy ARP: the interface on the
virtual line is associated with a physical interface, or with a virtual IP whose preferred
interfaces (in priority order) take over from each other. These checks read the partition's own
interface and line exports (analysis.ibmi_net) joined with the HMC (IVE logical ports of one
physical port are that one port). Without the exports the findings are `unknown`. VIOS Shared
Ethernet Adapters are checked in network_sea.py.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hatoolkit.analysis import ibmi_net
from hatoolkit.checks._records import findings
from hatoolkit.checks.registry import Outcome, check, evidence, outcome
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan
from hatoolkit.model.rows import row_tuples


def _vipa_groups(inv: Inventory) -> list[tuple[tuple[str, str, str], pd.DataFrame]]:
    v = ibmi_net.vipas(inv)
    return list(v.groupby(["system", "partition", "vipa"], sort=True)) if not v.empty else []


@check("HA401", Severity.HIGH,
       remediation="Associate the virtual LAN's interface with a virtual IP (proxy ARP) whose preferred interface "
                   "list names at least two active interfaces on different physical ports and adapters "
                   "(CHGTCPIFC ... LCLIFC(<virtual IP>) and PREFIFC(...)), or bridge the VLAN with a VIOS SEA pair.")
def single_bridge_interface(inv: Inventory, plan: Plan) -> Outcome:
    """A virtual LAN (or virtual IP) of an IBM i host reaches the network through one physical interface.

    Guests on a virtual LAN that an IBM i host proxies through one physical interface (directly,
    or through a virtual IP with no preferred list or a single entry) lose the network when that
    interface, its port, cable or switch port fails: nothing takes over.
    """
    bridges = ibmi_net.vlan_bridges(inv)
    vip = {key: grp for key, grp in _vipa_groups(inv)}
    out: list[dict[str, Any]] = []
    evaluated = 0
    for r in row_tuples(bridges):
        if r.target_kind in ("none", "dangling"):
            continue
        evaluated += 1
        where = {"system": r.system, "partition": r.partition, "resource": f"{r.system}/{r.partition}/VLAN {r.vlan_id}"}
        if r.target_kind in ("unknown", "not_exported"):
            missing = "ASSOCIATED_LOCAL_INTERFACE" if r.target_kind == "unknown" else "interfaces.csv and lines.csv"
            out.append({**where, "status": "unknown", "evidence": evidence(vlan=r.vlan_id, line=r.line_description,
                                                                           missing=missing),
                        "message": f"how {r.partition} bridges VLAN {r.vlan_id} to the network is unknown: "
                                   f"{missing} not exported"})
        elif r.target_kind == "interface":
            out.append({**where, "status": "fail", "evidence": evidence(vlan=r.vlan_id, interface=r.interface,
                                                                        associated_local_interface=r.associated),
                        "message": f"VLAN {r.vlan_id} is proxied through the single interface {r.associated} of "
                                   f"{r.partition} (no virtual IP, no preferred list)"})
        else:
            grp = vip.get((r.system, r.partition, r.associated))
            n = int(grp["n_preferred"].iloc[0]) if grp is not None and pd.notna(grp["n_preferred"].iloc[0]) else None
            if n is not None and n <= 1:
                out.append({**where, "status": "fail", "evidence": evidence(
                    vlan=r.vlan_id, associated_local_interface=r.associated, preferred_interface_list=tuple(
                        grp["preferred"].dropna())), "message": f"VLAN {r.vlan_id} is proxied through virtual IP "
                        f"{r.associated}, whose preferred interface list has {n or 'no'} entr{'y' if n == 1 else 'ies'}"})
    groups = _vipa_groups(inv)
    for (system, partition, vipa), grp in groups:
        if bool(grp["proxy_arp_enabled"].fillna(False).iloc[0]) and int(grp["n_preferred"].fillna(0).iloc[0]) <= 1:
            if ((bridges["system"] == system) & (bridges["partition"] == partition) & (bridges["associated"] == vipa)).any():
                continue  # already reported for the VLAN it bridges
            out.append({"system": system, "partition": partition, "resource": f"{system}/{partition}/{vipa}",
                        "status": "fail", "evidence": evidence(internet_address=vipa, proxy_arp_enabled="YES",
                                                               preferred_interface_list=tuple(grp["preferred"].dropna())),
                        "message": f"virtual IP {vipa} of {partition} has "
                                   f"{'one preferred interface' if grp['preferred'].notna().any() else 'no preferred interface list'}"})
    return outcome(evaluated + len(groups), findings(out))


@check("HA402", Severity.HIGH,
       remediation="Move one preferred interface to a line on another physical port and adapter (an IVE port of "
                   "another port group, or a PCIe Ethernet card), so the list mixes independent ports.")
def preferred_share_port(inv: Inventory, plan: Plan) -> Outcome:
    """The preferred interfaces of a virtual IP share one physical port or adapter.

    Proxy ARP fails over only between the preferred interfaces; if they are logical ports of one
    physical IVE (HEA) port, or ports of one adapter, the loss of that port or adapter takes all of
    them at once and the virtual IP, with every guest behind it, is cut off.
    """
    out: list[dict[str, Any]] = []
    evaluated = 0
    for (system, partition, vipa), grp in _vipa_groups(inv):
        prefs = grp[grp["preferred"].notna()]
        if len(prefs) < 2:
            continue
        evaluated += 1
        where = {"system": system, "partition": partition, "resource": f"{system}/{partition}/{vipa}"}
        unresolved = prefs[~prefs["port_kind"].isin(("hea", "card", "virtual"))]
        ports = prefs["port_key"].where(prefs["port_kind"] != "virtual", "virtual:" + prefs["pref_line"].astype("str"))
        cards = prefs["adapter_key"].where(prefs["port_kind"] != "virtual", ports)
        ev = evidence(internet_address=vipa, preferred_interface_list=tuple(prefs["preferred"]),
                      lines=tuple(prefs["pref_line"].fillna("?")), ports=tuple(prefs["port_label"].fillna("?")))
        if not unresolved.empty:
            out.append({**where, "status": "unknown", "evidence": ev,
                        "message": f"the physical port of preferred interface(s) {', '.join(unresolved['preferred'])} "
                                   f"of {vipa} is not known (lines export, HMC HEA listing)"})
        elif ports.nunique() == 1:
            hea = (prefs["port_kind"] == "hea").all()
            out.append({**where, "status": "fail", "evidence": ev,
                        "message": f"all {len(prefs)} preferred interfaces of {vipa} sit on one physical port "
                                   f"({prefs['port_label'].iloc[0]})" + (": IVE logical ports share their physical port"
                                                                         if hea else "")})
        elif cards.nunique() == 1:
            out.append({**where, "status": "fail", "evidence": ev,
                        "message": f"all {len(prefs)} preferred interfaces of {vipa} sit on one adapter "
                                   f"({prefs['adapter_label'].iloc[0]})"})
    return outcome(evaluated, findings(out))


@check("HA403", Severity.MEDIUM,
       remediation="Start the interface (STRTCPIFC) and set it to start automatically, fix its line or cable, or "
                   "remove it from the preferred list and add a working one.")
def preferred_inactive(inv: Inventory, plan: Plan) -> Outcome:
    """A preferred interface of a virtual IP is not active (or not defined).

    The preferred list is the virtual IP's failover plan; an interface in it that is not active
    cannot take over, so the redundancy the list promises is not there today.
    """
    v = ibmi_net.vipas(inv)
    prefs = v[v["preferred"].notna()]
    out: list[dict[str, Any]] = []
    for r in row_tuples(prefs):
        if bool(r.pref_found) and str(r.pref_status).upper() == "ACTIVE":
            continue
        state = "not defined on the partition" if not bool(r.pref_found) else f"{str(r.pref_status).lower()}"
        out.append({"system": r.system, "partition": r.partition, "resource": f"{r.system}/{r.partition}/{r.preferred}",
                    "status": "fail", "evidence": evidence(internet_address=r.vipa, preferred=r.preferred, rank=r.rank,
                                                           interface_status=r.pref_status, line=r.pref_line),
                    "message": f"preferred interface {r.preferred} (#{r.rank}) of virtual IP {r.vipa} is {state}"})
    return outcome(len(prefs), findings(out))


@check("HA404", Severity.HIGH,
       remediation="Enable proxy ARP on the virtual IP and allow it on each preferred interface "
                   "(CHGTCPIFC INTNETADR('<vip>') PROXYARP(*YES) ...), then verify CURRENT_PROXY_AGENT_LINE.")
def proxy_arp_off(inv: Inventory, plan: Plan) -> Outcome:
    """Proxy ARP is not enabled where a virtual IP or a virtual LAN depends on it.

    A virtual IP is reachable only while some interface answers ARP for it: with proxy ARP off on
    the virtual IP its preferred list does nothing, and a preferred (or associated) interface that
    does not allow proxy ARP can never become the agent.
    """
    out: list[dict[str, Any]] = []
    evaluated = 0
    for (system, partition, vipa), grp in _vipa_groups(inv):
        if grp["preferred"].isna().all():
            continue
        evaluated += 1
        where = {"system": system, "partition": partition, "resource": f"{system}/{partition}/{vipa}"}
        enabled = grp["proxy_arp_enabled"].iloc[0]
        if pd.isna(enabled):
            out.append({**where, "status": "unknown", "evidence": evidence(internet_address=vipa, proxy_arp_enabled=None),
                        "message": f"whether proxy ARP is enabled on virtual IP {vipa} is not exported"})
        elif not bool(enabled):
            out.append({**where, "status": "fail", "evidence": evidence(
                internet_address=vipa, proxy_arp_enabled="NO", preferred_interface_list=tuple(grp["preferred"].dropna()),
                current_proxy_agent_line=grp["current_proxy_line"].iloc[0]),
                "message": f"proxy ARP is not enabled on virtual IP {vipa}: its preferred interfaces never proxy it"})
        for r in row_tuples(grp[grp["preferred"].notna() & grp["pref_found"].fillna(False).astype(bool)]):
            if r.pref_proxy_arp_allowed is not pd.NA and pd.notna(r.pref_proxy_arp_allowed) and not r.pref_proxy_arp_allowed:
                out.append({"system": system, "partition": partition,
                            "resource": f"{system}/{partition}/{r.preferred}", "status": "fail",
                            "evidence": evidence(internet_address=r.preferred, proxy_arp_allowed="NO", vipa=vipa),
                            "message": f"preferred interface {r.preferred} of {vipa} does not allow proxy ARP"})
    ifc = ibmi_net.interfaces(inv)
    by_addr = {(r.system, r.partition, r.internet_address): r for r in row_tuples(ifc)}
    for r in row_tuples(ibmi_net.vlan_bridges(inv)):
        if r.target_kind != "interface":
            continue
        evaluated += 1
        target = by_addr.get((r.system, r.partition, r.associated))
        allowed = target.proxy_arp_allowed if target is not None else pd.NA
        if pd.notna(allowed) and not bool(allowed):
            out.append({"system": r.system, "partition": r.partition,
                        "resource": f"{r.system}/{r.partition}/{r.associated}", "status": "fail",
                        "evidence": evidence(internet_address=r.associated, proxy_arp_allowed="NO", vlan=r.vlan_id),
                        "message": f"interface {r.associated} proxies VLAN {r.vlan_id} but does not allow proxy ARP"})
    return outcome(evaluated, findings(out))
