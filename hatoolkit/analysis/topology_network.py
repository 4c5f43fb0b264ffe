"""LAN needs of a guest and the bridges that carry each virtual LAN to a physical port.

A guest needs every VLAN its virtual Ethernet adapters carry (PVID and tagged VLANs), on its
virtual switch. A VLAN reaches the outside through:
- a VIOS Shared Ethernet Adapter whose trunk adapter carries it (an SEA failover pair = two
  alternatives, on two VIOS); the SEA's real adapter is a port, or an EtherChannel whose members
  (and NIB backup adapter) are alternatives, each on its card;
- an IBM i hosting partition whose interface on that virtual LAN is proxied through another
  interface (associated local interface): a physical interface, or a virtual IP whose preferred
  interfaces are alternatives (only active ones, and only while proxy ARP is enabled). Logical
  ports of one physical IVE port are that one port; a preferred interface on a virtual line is
  itself carried by whatever bridges that line's VLAN.
A VLAN nothing bridges has no path (an internal LAN). A VIOS without captures, an IBM i partition
without its interface export, an EtherChannel not described: unknown branches.
"""

from __future__ import annotations

from hatoolkit.analysis import ibmi_net
from hatoolkit.analysis import vios as vio
from hatoolkit.analysis.topology_context import Context
from hatoolkit.analysis.topology_graph import SINK
from hatoolkit.model.ibmi_ha import VIRTUAL_IP_LINE
from hatoolkit.model.rows import present, row_tuples

Need = tuple[str, str, str]


class Network:
    """Builds VLAN hubs on demand (each once) for one Context."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        inv = ctx.inv
        self.wired: set[str] = set()
        trunks = vio.trunk_bridging(inv)
        self.trunks: dict[tuple[str, str, int], list[object]] = {}
        for r in row_tuples(trunks):
            addl = tuple(r.addl_vlan_ids) if isinstance(r.addl_vlan_ids, tuple) else ()
            vswitch = r.vswitch if isinstance(r.vswitch, str) else vio.DEFAULT_VSWITCH
            for vlan in ((int(r.port_vlan_id),) if present(r.port_vlan_id) else ()) + addl:
                self.trunks.setdefault((r.system, vswitch, int(vlan)), []).append(r)
        self.seas = {(r.system, int(r.vios_lpar_id), r.sea): r for r in row_tuples(inv.seas)}
        self.ecs = {(r.system, int(r.vios_lpar_id), r.device): r for r in row_tuples(inv.etherchannels)}
        bridges = ibmi_net.vlan_bridges(inv)
        self.bridges: dict[tuple[str, str, int], list[object]] = {}
        for r in row_tuples(bridges):
            self.bridges.setdefault((r.system, r.vswitch, int(r.vlan_id)), []).append(r)
        self.bridged_by = {(r.system, int(r.lpar_id), r.vswitch, int(r.vlan_id)) for r in row_tuples(bridges)
                           if r.target_kind in ("vipa", "interface") and present(r.lpar_id)}
        ifc = ibmi_net.interfaces(inv)
        self.ifc = {(r.system, r.partition, r.internet_address): r for r in row_tuples(ifc)}
        self.clients: dict[tuple[str, int], list[object]] = {}
        for r in row_tuples(vio.client_vlans(inv)):
            self.clients.setdefault((r.system, int(r.lpar_id)), []).append(r)

    # ------------------------------------------------------------------ needs

    def lan_needs(self, system: str, lpar_id: int) -> list[Need]:
        ctx = self.ctx
        out: dict[str, Need] = {}
        for r in self.clients.get((system, lpar_id), []):
            vlan = int(r.vlan_id)
            if (system, lpar_id, r.vswitch, vlan) in self.bridged_by:
                continue  # this partition is the bridge of that VLAN, not a client of it
            label = f"VLAN {vlan}" + ("" if r.vswitch == vio.DEFAULT_VSWITCH else f" ({r.vswitch})")
            nid = ctx.b.node(f"need:{system}/{lpar_id}/lan:{r.vswitch}/{vlan}", "need",
                             f"{ctx.label(system, lpar_id)} {label}", system=system, owner=ctx.label(system, lpar_id))
            va = ctx.vadapter(system, lpar_id, int(r.slot_num), "vEth")
            ctx.b.edge(nid, va)
            ctx.b.edge(va, self.hub(system, r.vswitch, vlan))
            out[nid] = (nid, "lan", label)
        return list(out.values())

    # ------------------------------------------------------------------ VLAN bridges

    def hub(self, system: str, vswitch: str, vlan: int) -> str:
        ctx = self.ctx
        nid = ctx.b.node(f"vlan:{system}/{vswitch}/{vlan}", "vlan", f"{system} VLAN {vlan} ({vswitch})", system=system)
        if nid in self.wired:
            return nid
        self.wired.add(nid)
        for t in self.trunks.get((system, vswitch, vlan), []):
            vios_id = int(t.vios_lpar_id)
            if t.basis == "sea" and isinstance(t.sea, str):
                gate = ctx.partition(system, vios_id, f"sea:{t.sea}")
                ctx.b.edge(nid, gate)
                sea = ctx.b.node(f"sea:{system}/{vios_id}/{t.sea}", "sea", f"{ctx.label(system, vios_id)} SEA {t.sea}",
                                 system=system, owner=ctx.label(system, vios_id))
                ctx.b.edge(gate, sea)
                self._real_adapter(system, vios_id, t.sea, sea)
            elif t.basis == "trunk":
                gate = ctx.partition(system, vios_id, f"trunk:{t.slot_num}")
                ctx.b.edge(nid, gate)
                ctx.b.edge(gate, ctx.b.unknown(f"SEA of {ctx.label(system, vios_id)} not captured (lsmap -all -net, "
                                               "lsdev -dev entX -attr)", system))
        for r in self.bridges.get((system, vswitch, vlan), []):
            self._ibmi_bridge(nid, r)
        return nid

    def _real_adapter(self, system: str, vios_id: int, sea_name: str, sea: str) -> None:
        ctx = self.ctx
        row = self.seas.get((system, vios_id, sea_name))
        real = row.real_adapter if row is not None and isinstance(row.real_adapter, str) else None
        if real is None:
            ctx.b.edge(sea, ctx.b.unknown(f"real adapter of SEA {sea_name} on {ctx.label(system, vios_id)} not captured",
                                          system))
            return
        ec = self.ecs.get((system, vios_id, real))
        if ec is not None:
            node = ctx.b.node(f"ec:{system}/{vios_id}/{real}", "etherchannel",
                              f"{ctx.label(system, vios_id)} EtherChannel {real} ({ec.mode})", system=system,
                              owner=ctx.label(system, vios_id))
            ctx.b.edge(sea, node)
            bad = set(ec.unhealthy_adapters) if isinstance(ec.unhealthy_adapters, tuple) else set()
            members = [m for m in (ec.adapter_names if isinstance(ec.adapter_names, tuple) else ()) if m not in bad]
            if isinstance(ec.backup_adapter, str) and ec.backup_adapter not in bad:
                members.append(ec.backup_adapter)
            if not isinstance(ec.adapter_names, tuple):
                ctx.b.edge(node, ctx.b.unknown(f"members of {real} on {ctx.label(system, vios_id)} not captured", system))
            for m in members:
                ctx.b.edge(node, ctx.vios_port(system, vios_id, m, "ethernet"))
            return
        if (system, vios_id, real) in ctx.net_physloc or (system, vios_id, real) in ctx.port_physloc:
            ctx.b.edge(sea, ctx.vios_port(system, vios_id, real, "ethernet"))
            return
        ctx.b.edge(sea, ctx.b.unknown(f"{real} (real adapter of {sea_name} on {ctx.label(system, vios_id)}): a port or an "
                                      "EtherChannel? not captured (lsdev -dev entX -attr, lsmap -all -net)", system))

    # ------------------------------------------------------------------ IBM i bridges

    def _ibmi_bridge(self, hub: str, r: object) -> None:
        ctx = self.ctx
        system, lpar_id = r.system, int(r.lpar_id) if present(r.lpar_id) else None
        if lpar_id is None or r.target_kind in ("none", "dangling"):
            return
        gate = ctx.partition(system, lpar_id, f"line:{r.line_description}")
        ctx.b.edge(hub, gate)
        if r.target_kind == "not_exported":
            ctx.b.edge(gate, ctx.b.unknown(f"IBM i interfaces and lines of {ctx.label(system, lpar_id)} not exported "
                                           "(interfaces.csv, lines.csv)", system))
            return
        if r.target_kind == "unknown":
            ctx.b.edge(gate, ctx.b.unknown(f"{ctx.label(system, lpar_id)} {r.interface}: associated local interface not "
                                           "exported", system))
            return
        if str(r.status).upper() != "ACTIVE":
            return
        inner = ctx.b.node(f"ifc:{system}/{r.partition}/{r.interface}", "interface",
                           f"{ctx.label(system, lpar_id)} {r.interface} on {r.line_description}", system=system)
        ctx.b.edge(gate, inner)
        ctx.b.edge(inner, self._target(system, r.partition, r.associated, lpar_id))

    def _target(self, system: str, partition: str, address: str, lpar_id: int) -> str:
        """The node for an IBM i interface (virtual IP or real) and its way to a port."""
        ctx = self.ctx
        ifc = self.ifc[(system, partition, address)]
        nid = f"ifc:{system}/{partition}/{address}"
        if ifc.line_description == VIRTUAL_IP_LINE:
            node = ctx.b.node(nid, "vipa", f"{ctx.label(system, lpar_id)} virtual IP {address}", system=system)
            if ctx.b.has_out(node):
                return node
            prefs = ifc.preferred_interfaces if isinstance(ifc.preferred_interfaces, tuple) else None
            if not present(ifc.proxy_arp_enabled):
                ctx.b.edge(node, ctx.b.unknown(f"proxy ARP of {address} on {ctx.label(system, lpar_id)} not exported",
                                               system))
            elif not bool(ifc.proxy_arp_enabled):
                pass  # proxy ARP off: nobody answers ARP for the virtual IP, so it reaches no network
            elif not prefs:
                ctx.b.edge(node, ctx.b.unknown(f"{address} on {ctx.label(system, lpar_id)}: no preferred interface list "
                                               "(IBM i chooses the proxy agent)", system))
            else:
                for pref in prefs:
                    p = self.ifc.get((system, partition, pref))
                    if p is not None and str(p.status).upper() == "ACTIVE":
                        ctx.b.edge(node, self._target(system, partition, pref, lpar_id))
            return node
        node = ctx.b.node(nid, "interface", f"{ctx.label(system, lpar_id)} {address} on {ifc.line_description}",
                          system=system)
        if not ctx.b.has_out(node) and str(ifc.status).upper() == "ACTIVE":
            ctx.b.edge(node, self._line(system, partition, ifc, lpar_id))
        return node

    def _line(self, system: str, partition: str, ifc: object, lpar_id: int) -> str:
        ctx = self.ctx
        nid = ctx.b.node(f"line:{system}/{partition}/{ifc.line_description}", "line",
                         f"{ctx.label(system, lpar_id)} line {ifc.line_description}", system=system)
        if ctx.b.has_out(nid):
            return nid
        kind = ifc.port_kind
        owner = ctx.label(system, lpar_id)
        if kind == "hea" or kind == "card":
            port = ctx.b.node(ifc.port_key, "hea_port" if kind == "hea" else "port", ifc.port_label, system=system,
                              owner=owner)
            card = ctx.b.node(ifc.adapter_key, "hea_adapter" if kind == "hea" else "adapter", ifc.adapter_label,
                              system=system, owner=owner)
            ctx.b.edge(nid, port)
            ctx.b.edge(port, card)
            ctx.b.edge(card, SINK)
        elif kind == "virtual" and isinstance(ifc.vlans, tuple):
            vlans = (int(ifc.vlan_id),) if present(ifc.vlan_id) else ifc.vlans[:1]
            for vlan in vlans:
                ctx.b.edge(nid, self.hub(system, ifc.vswitch, vlan))
        else:
            # Which port carries the line is not known: in the pessimistic view every such line of the
            # partition shares one port (the worst case), in the optimistic view each has its own.
            what = {"aggregate": "aggregated line, member ports not exported", "lines_not_exported": "lines not exported",
                    "missing_line": "line not in the lines export"}.get(str(kind), "port not identified (no HMC HEA "
                                                                                 "port or card location matches)")
            shared = ctx.b.node(f"uport:{system}/{lpar_id}", "unknown_adapter", f"{owner} network port(s) of "
                                f"{ifc.line_description}: {what}", system=system, owner=owner)
            ctx.b.edge(nid, shared, "pes")
            ctx.b.edge(shared, SINK, "pes")
            ctx.b.edge(nid, SINK, "opt")
        return nid
