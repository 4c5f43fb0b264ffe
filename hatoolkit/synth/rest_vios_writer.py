"""The VIOS side of a synthetic VIOS as REST renders it inside its `VirtualIOServer` entry.

The HMC's REST API asks each VIOS (over RMC) what it has configured and returns it inside the
VIOS's entry: vSCSI mappings with their storage and virtual target devices, vFC mappings with the
physical port, Shared Ethernet Adapters with their trunk adapters, and the VIOS's physical volumes
with reserve policy and unique ID. The same `ViosConfig` that `vios_writer` renders as `lsmap`,
`lsdev` and `chkdev` output is rendered here in REST's words (`SinglePath`, `Failover`,
`PhysicalVolumeVirtualTargetDevice`, slot location codes without the `-T1` port suffix), so a
REST-only bundle and a CLI bundle of one estate load into the same VIOS frames. A VIOS without a
VIOS-side configuration is written as REST shows a VIOS the HMC cannot query: adapters and their
partners, but no device names, storage, SEAs or disks.
"""

from __future__ import annotations

import base64

from hatoolkit.synth import vios_writer as vw
from hatoolkit.synth.estate import Lpar, System, ViosConfig, ViosDisk, Vtd
from hatoolkit.synth.rest_writer import BASE, Node, _b, _fc_nodes, _scsi_nodes, _uuid, _veth_nodes

RESERVE = {"no_reserve": "NoReserve", "single_path": "SinglePath", "PR_exclusive": "PR_Exclusive",
           "PR_shared": "PR_Shared"}
# hdisk `algorithm` -> ReservePolicyAlgorithm. Failover and Round_Robin are REST's own words (real feeds);
# Shortest_Queue follows their spelling (no real feed with it was available).
ALGORITHM = {"fail_over": "Failover", "round_robin": "Round_Robin", "load_balance": "Load_Balance",
             "shortest_queue": "Shortest_Queue"}


def _pv(s: System, cfg: ViosConfig, d: ViosDisk) -> list[Node]:
    encoded = base64.b64encode(f"3IBM{d.udid[:40]}".encode()).decode()  # REST's UniqueDeviceID form (not read)
    return [
        ("Description", "SAS Disk Drive" if d.local else "MPIO IBM 2145 FC Disk"),
        ("LocationCode", vw._disk_loc(s, cfg, d.hdisk) or None), ("ReservePolicy", RESERVE[d.reserve_policy]),
        ("ReservePolicyAlgorithm", ALGORITHM[vw.path_algorithm(d)]), ("UniqueDeviceID", f"01{encoded}"),
        ("AvailableForUsage", "false"), ("VolumeCapacity", 102400), ("VolumeName", d.hdisk), ("VolumeState", "active"),
        ("VolumeUniqueID", d.udid), ("IsFibreChannelBacked", _b(not d.local)),
    ]


def _storage(s: System, cfg: ViosConfig, t: Vtd) -> list[Node]:
    """Storage and TargetDevice of one virtual target device: a whole disk, virtual optical media, a file or
    a logical volume (REST names media and files without their folder)."""
    target = [("LogicalUnitAddress", f"0x{0x80 + t.lun:02x}00000000000000"), ("TargetName", t.name)]
    disk = next((d for d in cfg.disks if d.hdisk == t.backing), None)
    if disk is not None:
        return [("Storage", [("PhysicalVolume", _pv(s, cfg, disk))]),
                ("TargetDevice", [("PhysicalVolumeVirtualTargetDevice", target)])]
    name = t.backing.rsplit("/", 1)[-1]
    if t.backing.startswith("/") and name.lower().endswith((".iso", ".udf")):
        return [("Storage", [("VirtualOpticalMedia", [("MediaName", name), ("MountType", "ro")])]),
                ("TargetDevice", [("VirtualOpticalTargetDevice", target)])]
    kind = "File" if t.backing.startswith("/") else "LogicalVolume"
    return [("Storage", [("VirtualDisk", [("DiskCapacity", "20.0"), ("DiskLabel", "None"), ("DiskName", name),
                                          ("VirtualDiskType", kind)])]),
            ("TargetDevice", [("LogicalVolumeVirtualTargetDevice", target)])]


def _client_link(s: System, client: Lpar) -> Node:
    kind = "VirtualIOServer" if client.env == "vioserver" else "LogicalPartition"
    return ("AssociatedLogicalPartition", {"href": f"{BASE}/ManagedSystem/{_uuid(s.serial)}/{kind}/"
                                                   f"{_uuid(s.serial, client.id)}"})


def _scsi_mappings(s: System, v: Lpar, cfg: ViosConfig | None) -> list[Node]:
    by_id = {lp.id: lp for lp in s.lpars}
    out: list[Node] = []
    servers = sorted((a for a in v.vscsi if a.adapter_type == "server"), key=lambda a: a.slot)
    for n, a in enumerate(servers):
        client = by_id.get(a.remote_id) if a.remote_id else None
        far = next((c for c in client.vscsi if c.slot == a.remote_slot), None) if client else None
        server = _scsi_nodes(v, a) + [("LocationCode", vw._vloc(s, v.id, a.slot))]
        head: list[Node] = []
        if far is not None and client is not None:
            head = [_client_link(s, client), ("ClientAdapter", _scsi_nodes(client, far))]
        if cfg is None:  # the HMC could not ask the VIOS: no device names, no storage
            out.append(("VirtualSCSIMapping", [*head, ("ServerAdapter", server)]))
            continue
        server.append(("AdapterName", f"vhost{n}"))
        targets = cfg.vtds.get(a.slot, [])
        for t in targets or [None]:
            body = _storage(s, cfg, t) if t is not None else []
            out.append(("VirtualSCSIMapping", [*head, ("ServerAdapter", server), *body]))
    return out


def _fc_mappings(s: System, v: Lpar, cfg: ViosConfig | None) -> list[Node]:
    by_id = {lp.id: lp for lp in s.lpars}
    out: list[Node] = []
    servers = sorted((a for a in v.vfc if a.adapter_type == "server"), key=lambda a: a.slot)
    for n, a in enumerate(servers):
        client = by_id.get(a.remote_id) if a.remote_id else None
        far = next((c for c in client.vfc if c.slot == a.remote_slot), None) if client else None
        server = _fc_nodes(v, a) + [("LocationCode", vw._vloc(s, v.id, a.slot))]
        head: list[Node] = []
        if far is not None and client is not None:
            head = [_client_link(s, client), ("ClientAdapter", _fc_nodes(client, far))]
        if cfg is None:
            out.append(("VirtualFibreChannelMapping", [*head, ("ServerAdapter", server)]))
            continue
        port = cfg.fc_ports.get(a.slot, "fcs0")
        number = int(port[3:])
        wwpn = f"10000090fa{s.serial[-4:].lower()}{v.id:02x}{number:02x}"
        port_nodes: list[Node] = [("LocationCode", vw._ploc(s, 1, number + 1)), ("PortName", port), ("WWPN", wwpn),
                                  ("AvailablePorts", 60), ("TotalPorts", 64)]
        server += [("AdapterName", f"vfchost{n}"), ("MapPort", port), ("PhysicalPort", port_nodes)]
        out.append(("VirtualFibreChannelMapping", [*head, ("Port", port_nodes), ("ServerAdapter", server)]))
    return out


def _trunk(s: System, v: Lpar, cfg: ViosConfig | None, slot: int) -> list[Node]:
    a = next(x for x in v.veths if x.slot == slot)
    nodes = _veth_nodes(v, a) + [("LocationCode", vw._vloc(s, v.id, slot))]
    if cfg is not None and slot in cfg.veth_devices:
        nodes.append(("DeviceName", cfg.veth_devices[slot]))
    return nodes


def _seas(s: System, v: Lpar, cfg: ViosConfig, bridge: bool = False) -> list[Node]:
    slot_of = {dev: slot for slot, dev in cfg.veth_devices.items()}
    out: list[Node] = []
    for sea in cfg.seas:
        assigned: list[Node] = []
        if bridge:  # inside a NetworkBridge, each SEA names its VIOS
            href = f"{BASE}/ManagedSystem/{_uuid(s.serial)}/VirtualIOServer/{_uuid(s.serial, v.id)}"
            assigned = [("AssignedVirtualIOServer", {"href": href, "inline": True})]
        channel = any(ec.device == sea.real_adapter for ec in cfg.etherchannels)
        real: list[Node] = [("AdapterID", 1),
                            ("Description", "EtherChannel / IEEE 802.3ad Link Aggregation" if channel
                             else "PCIe3 4-port 10GbE SR Adapter"), ("DeviceName", sea.real_adapter)]
        if not channel:
            real += [("DeviceType", "physicalEthernetAdpter"), ("PhysicalLocation", vw._port_loc(s, v, sea.real_adapter))]
        nodes: list[Node] = [
            *assigned,
            ("BackingDeviceChoice", [("EthernetBackingDevice", real)]), ("HighAvailabilityMode", sea.ha_mode),
            ("DeviceName", sea.sea), ("JumboFramesEnabled", "false"), ("PortVLANID", sea.pvid),
            ("QualityOfServiceMode", "disabled"), ("ThreadModeEnabled", "true"),
            ("TrunkAdapters", [("TrunkAdapter", _trunk(s, v, cfg, slot_of[dev])) for dev in sea.virt_adapters]),
            ("UniqueDeviceID", f"10{_uuid(s.serial, v.id, sea.sea)[:16].lower()}"), ("LargeSend", "true"),
        ]
        if sea.ctl_chan:
            nodes.append(("ControlChannelInterfaceName", sea.ctl_chan))
        if bridge:
            priority = min((a.trunk_priority for a in v.veths if a.trunk_priority), default=0)
            nodes.append(("IsPrimary", _b(priority == 1)))
        out.append(("SharedEthernetAdapter", nodes))
    return out


def network_bridges(s: System) -> list[tuple[str, list[Node]]]:
    """(UUID, body) of one NetworkBridge per port VLAN ID bridged by SEAs of the system's VIOS."""
    groups: dict[int, list[Node]] = {}
    modes: dict[int, set[str]] = {}
    for v in sorted((lp for lp in s.lpars if lp.env == "vioserver" and lp.vios_config), key=lambda x: x.id):
        cfg = v.vios_config
        assert cfg is not None
        for sea, node in zip(cfg.seas, _seas(s, v, cfg, bridge=True), strict=True):
            groups.setdefault(sea.pvid, []).append(node)
            modes.setdefault(sea.pvid, set()).add(sea.ha_mode)
    out = []
    for pvid, seas in sorted(groups.items()):
        body: list[Node] = [("FailoverEnabled", _b(bool(modes[pvid] & {"auto", "sharing"}))),
                            ("LoadBalancingEnabled", _b("sharing" in modes[pvid])), ("PortVLANID", pvid),
                            ("SharedEthernetAdapters", seas)]
        out.append((_uuid(s.serial, "bridge", pvid), body))
    return out


def vios_nodes(s: System, v: Lpar) -> list[Node]:
    """The VIOS-side elements of a VirtualIOServer entry (groups ViosSCSIMapping, ViosFCMapping, ViosNetwork,
    ViosStorage)."""
    cfg = v.vios_config
    trunks = [("TrunkAdapter", _trunk(s, v, cfg, a.slot)) for a in sorted(v.veths, key=lambda x: x.slot)
              if a.trunk_priority]
    nodes: list[Node] = [("PhysicalVolumes", [("PhysicalVolume", _pv(s, cfg, d)) for d in cfg.disks] if cfg else []),
                         ("SharedEthernetAdapters", _seas(s, v, cfg) if cfg else []), ("TrunkAdapters", trunks),
                         ("VirtualFibreChannelMappings", _fc_mappings(s, v, cfg)),
                         ("VirtualSCSIMappings", _scsi_mappings(s, v, cfg))]
    return nodes
