"""IBM i networking as exported (interfaces, lines) joined with the HMC: which port carries each interface.

A line description names a hardware resource; the HMC says what that resource is: a virtual
Ethernet adapter (location `-V<id>-C<slot>`, whose VLANs the HMC lists), an HEA/IVE logical port
(matched by MAC address to `hea_ports`, which names its physical port), or a port of a PCIe card
(location `...-P1-C4-T1`: card C4, port T1). Logical ports of one physical IVE port are one
physical port here. A virtual IP (*VIRTUALIP) reaches the network through the first active
interface of its preferred list; an interface on a virtual Ethernet line with an associated local
interface is how a hosting partition bridges that virtual LAN. Shared by the HA4xx checks and
analysis.topology; missing exports stay visible (`port_kind` unknown, `target_kind` not_exported).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from hatoolkit.analysis.vios import DEFAULT_VSWITCH
from hatoolkit.model.ibmi_ha import VIRTUAL_IP_LINE
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.rows import row_tuples

PORT_COLUMNS = ["system", "partition", "lpar_id", "line_description", "port_kind", "port_key", "port_label",
                "adapter_key", "adapter_label", "vswitch", "vlans", "slot_num", "source"]


def ibmi_lpar_ids(inv: Inventory) -> dict[tuple[str, str], int]:
    """(system, IBM i partition name) -> lpar_id: the export's PARTITION_ID, else the HMC's partition of that name."""
    ids: dict[tuple[str, str], int] = {}
    for r in row_tuples(inv.partitions[["system", "name", "lpar_id"]].dropna()):
        ids.setdefault((r.system, r.name), int(r.lpar_id))
    for r in row_tuples(inv.ibmi_partitions[["system", "partition", "lpar_id"]].dropna()):
        ids[(r.system, r.partition)] = int(r.lpar_id)
    return ids


def _veth_vlans(inv: Inventory) -> dict[tuple[str, int, int], tuple[str, tuple[int, ...], str | None]]:
    """(system, lpar_id, slot) -> (vswitch, VLANs, MAC) of every virtual Ethernet adapter."""
    out = {}
    for r in row_tuples(inv.virtual_eth):
        addl = tuple(int(v) for v in r.addl_vlan_ids) if isinstance(r.addl_vlan_ids, tuple) else ()
        pvid = (int(r.port_vlan_id),) if pd.notna(r.port_vlan_id) else ()
        vswitch = r.vswitch if isinstance(r.vswitch, str) else DEFAULT_VSWITCH
        out[(r.system, int(r.lpar_id), int(r.slot_num))] = (vswitch, pvid + addl, r.mac_addr if isinstance(
            r.mac_addr, str) else None)
    return out


@lru_cache(maxsize=8)
def line_ports(inv: Inventory) -> pd.DataFrame:
    """One row per IBM i line: what carries it (PORT_COLUMNS); `port_kind` virtual, hea, card, aggregate or unknown."""
    ids = ibmi_lpar_ids(inv)
    veths = _veth_vlans(inv)
    veth_of_mac = {(s, v[2].upper()): (lp, sl) for (s, lp, sl), v in veths.items() if v[2]}
    hea = {(r.system, str(r.mac_addr).upper()): r for r in row_tuples(inv.hea_ports)
           if isinstance(r.mac_addr, str)}
    rows = []
    for r in row_tuples(inv.lines):
        lpar = ids.get((r.system, r.partition))
        row = {"system": r.system, "partition": r.partition, "lpar_id": lpar, "line_description": r.line_description,
               "port_kind": "unknown", "port_key": None, "port_label": None, "adapter_key": None, "adapter_label": None,
               "vswitch": None, "vlans": None, "slot_num": None, "source": r.source}
        mac = r.mac_address.upper() if isinstance(r.mac_address, str) else None
        slot = int(r.slot_num) if pd.notna(r.slot_num) else None
        if slot is None and mac and (r.system, mac) in veth_of_mac and veth_of_mac[(r.system, mac)][0] == lpar:
            slot = veth_of_mac[(r.system, mac)][1]
        if slot is not None:
            vswitch, vlans, _ = veths.get((r.system, lpar, slot), (None, None, None)) if lpar else (None, None, None)
            row.update(port_kind="virtual", slot_num=slot, vswitch=vswitch, vlans=vlans,
                       port_label=f"{r.partition} virtual slot {slot}")
        elif mac and (r.system, mac) in hea:
            p = hea[(r.system, mac)]
            row.update(port_kind="hea", port_key=f"hea_port:{r.system}/{p.adapter_id}/{p.port_group}/{p.phys_port_id}",
                       port_label=f"{r.system} HEA {p.adapter_id} port group {p.port_group} physical port {p.phys_port_id}",
                       adapter_key=f"hea:{r.system}/{p.adapter_id}", adapter_label=f"{r.system} HEA {p.adapter_id}")
        elif isinstance(r.card_location, str):
            port = r.port if isinstance(r.port, str) else "?"
            row.update(port_kind="card", port_key=f"port:{r.system}/{r.card_location}-{port}",
                       port_label=f"{r.system} {r.card_location}-{port}", adapter_key=f"card:{r.system}/{r.card_location}",
                       adapter_label=f"{r.system} card {r.card_location}")
        elif isinstance(r.aggregate_resources, tuple) and r.aggregate_resources:
            row["port_kind"] = "aggregate"
        rows.append(row)
    frame = pd.DataFrame(rows, columns=PORT_COLUMNS)
    return frame.astype({"lpar_id": "Int64", "slot_num": "Int64"})


@lru_cache(maxsize=8)
def interfaces(inv: Inventory) -> pd.DataFrame:
    """Interfaces with the port of their line (port_kind NA for *VIRTUALIP and lines not exported)."""
    ports = line_ports(inv).drop(columns=["source"])
    out = inv.interfaces.merge(ports, on=["system", "partition", "line_description"], how="left")
    has_lines = {(r.system, r.partition) for r in row_tuples(inv.ibmi_partitions)
                 if isinstance(r.exports, tuple) and "lines" in r.exports}
    known = pd.Series([(s, p) in has_lines for s, p in zip(out["system"], out["partition"], strict=True)],
                      index=out.index, dtype=bool)
    special = out["line_description"].fillna("").str.startswith("*")
    out["port_kind"] = out["port_kind"].where(out["port_kind"].notna() | special,
                                              known.map({True: "missing_line", False: "lines_not_exported"}))
    return out.reset_index(drop=True)


@lru_cache(maxsize=8)
def vipas(inv: Inventory) -> pd.DataFrame:
    """One row per (virtual IP, preferred interface) in priority order; a VIP with an empty list has one row.

    Columns: system, partition, vipa, proxy_arp_allowed, proxy_arp_enabled, status, n_preferred, separator,
    current_proxy_line, rank, preferred, pref_found, pref_status, pref_line, pref_proxy_arp_allowed, port_kind,
    port_key, port_label, adapter_key, adapter_label, source.
    """
    ifc = interfaces(inv)
    vip = ifc[ifc["line_description"] == VIRTUAL_IP_LINE]
    by_addr = {(r.system, r.partition, r.internet_address): r for r in row_tuples(ifc)}
    rows = []
    for v in row_tuples(vip):
        prefs = v.preferred_interfaces if isinstance(v.preferred_interfaces, tuple) else ()
        base = {"system": v.system, "partition": v.partition, "vipa": v.internet_address,
                "proxy_arp_allowed": v.proxy_arp_allowed, "proxy_arp_enabled": v.proxy_arp_enabled, "status": v.status,
                "n_preferred": len(prefs) if isinstance(v.preferred_interfaces, tuple) else None,
                "separator": v.preferred_separator, "current_proxy_line": v.current_proxy_line, "source": v.source}
        if not prefs:
            rows.append({**base, "rank": None, "preferred": None, "pref_found": None})
            continue
        for rank, addr in enumerate(prefs, start=1):
            p = by_addr.get((v.system, v.partition, addr))
            rows.append({**base, "rank": rank, "preferred": addr, "pref_found": p is not None,
                         "pref_status": p.status if p is not None else None,
                         "pref_line": p.line_description if p is not None else None,
                         "pref_proxy_arp_allowed": p.proxy_arp_allowed if p is not None else None,
                         "port_kind": p.port_kind if p is not None else None,
                         "port_key": p.port_key if p is not None else None,
                         "port_label": p.port_label if p is not None else None,
                         "adapter_key": p.adapter_key if p is not None else None,
                         "adapter_label": p.adapter_label if p is not None else None})
    cols = ["system", "partition", "vipa", "proxy_arp_allowed", "proxy_arp_enabled", "status", "n_preferred",
            "separator", "current_proxy_line", "rank", "preferred", "pref_found", "pref_status", "pref_line",
            "pref_proxy_arp_allowed", "port_kind", "port_key", "port_label", "adapter_key", "adapter_label", "source"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.astype({"rank": "Int64", "n_preferred": "Int64", "pref_found": "boolean",
                         "proxy_arp_enabled": "boolean", "proxy_arp_allowed": "boolean",
                         "pref_proxy_arp_allowed": "boolean"})


def _network_owners(inv: Inventory) -> set[tuple[str, int]]:
    """Partitions owning physical network ports: an Ethernet card (pci_class 0200) or HEA logical ports."""
    slots = inv.io_slots
    eth = slots[slots["pci_class"].fillna("").str.startswith("02")][["system", "lpar_id"]].dropna()
    heas = inv.hea_ports[["system", "lpar_id"]].dropna()
    return {(s, int(i)) for s, i in row_tuples(pd.concat([eth, heas]))}


@lru_cache(maxsize=8)
def vlan_bridges(inv: Inventory) -> pd.DataFrame:
    """How IBM i partitions bridge virtual LANs: one row per (partition, virtual line or adapter, VLAN, interface).

    `target_kind`: `vipa` or `interface` (proxied through that interface), `none` (no association: this
    partition does not bridge the VLAN on that interface), `unknown` (association not exported),
    `dangling` (associated with an address the partition does not have), `not_exported` (an IBM i
    partition with physical network ports and a virtual adapter on the VLAN, but no interfaces/lines export).
    """
    cols = ["system", "partition", "lpar_id", "line_description", "vswitch", "vlan_id", "interface", "status",
            "associated", "target_kind", "source"]
    rows = []
    ifc = interfaces(inv)
    addrs = {(r.system, r.partition): set() for r in row_tuples(ifc)}
    for r in row_tuples(ifc):
        addrs[(r.system, r.partition)].add(r.internet_address)
    kinds = {(r.system, r.internet_address, r.partition): r.line_description for r in row_tuples(ifc)}
    virtual = ifc[ifc["port_kind"] == "virtual"]
    for r in row_tuples(virtual):
        assoc = r.associated_local_interface
        if not isinstance(assoc, str):
            kind = "unknown"
        elif assoc == "*NONE":
            kind = "none"
        elif assoc not in addrs.get((r.system, r.partition), set()):
            kind = "dangling"
        else:
            kind = "vipa" if kinds[(r.system, assoc, r.partition)] == VIRTUAL_IP_LINE else "interface"
        for vlan in r.vlans if isinstance(r.vlans, tuple) else ():
            rows.append({"system": r.system, "partition": r.partition, "lpar_id": r.lpar_id,
                         "line_description": r.line_description, "vswitch": r.vswitch, "vlan_id": vlan,
                         "interface": r.internet_address, "status": r.status, "associated": assoc, "target_kind": kind,
                         "source": r.source})
    exported = {(r.system, r.partition) for r in row_tuples(inv.ibmi_partitions)
                if isinstance(r.exports, tuple) and "interfaces" in r.exports and "lines" in r.exports}
    owners = _network_owners(inv)
    parts = inv.partitions[inv.partitions["lpar_env"] == "os400"]
    veths = _veth_vlans(inv)
    for p in row_tuples(parts):
        if (p.system, int(p.lpar_id)) not in owners or (p.system, p.name) in exported:
            continue
        for (s, lp, slot), (vswitch, vlans, _) in veths.items():
            if s == p.system and lp == int(p.lpar_id):
                rows += [{"system": s, "partition": p.name, "lpar_id": lp, "line_description": f"slot {slot}",
                          "vswitch": vswitch, "vlan_id": v, "interface": None, "status": None, "associated": None,
                          "target_kind": "not_exported", "source": None} for v in vlans]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.astype({"lpar_id": "Int64", "vlan_id": "Int64"})
