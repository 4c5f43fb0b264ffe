"""Write a synthetic System as HMC REST API XML, the way the HMC serves it (Atom feeds of UOM objects).

The same estate that `hmc_writer` renders as CLI captures is rendered here as the REST exports a
script or PowerVC would pull: `ManagedSystem` (an entry), `LogicalPartition`, `VirtualIOServer`
(with trunk adapters and vSCSI/vFC mappings), `SharedProcessorPool`, `VirtualSwitch`, and each
partition's adapter feeds; the VIOS side (mappings with storage, SEAs, disks) comes from
`rest_vios_writer`. Values are written in REST's own spellings (`not activated`,
`uncapped`, `POWER9_Base`, HPT ratio exponents, decimal DRC indexes, `kb`/`kxe` attributes) and
with REST's habits (a not-activated partition still reports its configured memory), so that
loading both renderings exercises every normalisation. Layout: `rest/<hmc>/<system>/*.xml`.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hatoolkit.ingest.rest_norms import hpt_exponent
from hatoolkit.ingest.rest_xml import ATOM_NS, UOM_NS
from hatoolkit.synth import hmc_records as rec
from hatoolkit.synth.estate import Lpar, System

_STATES = {"Running": "running", "Not Activated": "not activated", "Open Firmware": "open firmware",
           "Starting": "starting", "Shutting Down": "shutting down", "Error": "error"}
_SHARING = {"cap": "capped", "uncap": "uncapped", "share_idle_procs": "sre idle proces",
            "share_idle_procs_active": "sre idle procs active", "share_idle_procs_always": "sre idle procs always",
            "keep_idle_procs": "keep idle procs"}
_TYPES = {"aixlinux": "AIX/Linux", "os400": "OS400", "vioserver": "Virtual IO Server"}
BASE = "https://hmc.example:12443/rest/api/uom"

Node = tuple[str, object]  # (element name, text | list of nodes)


def rest_compat(mode: str) -> str:
    """CLI compat mode -> REST spelling (POWER9_base -> POWER9_Base, POWER6+ -> POWER6_Plus)."""
    out = mode.replace("+", "_Plus")
    for word in ("base", "enhanced"):
        out = out.replace(f"_{word}", f"_{word.capitalize()}")
    return out


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(str(p) for p in parts))).upper()


def _b(value: bool) -> str:
    return "true" if value else "false"


def _xml(nodes: list[Node], depth: int) -> str:
    pad = "    " * depth
    out = []
    for name, value in nodes:
        if isinstance(value, list):
            out.append(f'{pad}<{name} kb="CUD" kxe="false" schemaVersion="V1_0">\n{_xml(value, depth + 1)}{pad}</{name}>\n')
        elif isinstance(value, dict) and value.get("inline"):  # a reference element: <X href=... rel="related"/>
            out.append(f'{pad}<{name} kb="CUD" kxe="false" href={quoteattr(value["href"])} rel="related"/>\n')
        elif isinstance(value, dict):  # a link: {"href": ...}
            out.append(f'{pad}<{name} kb="CUD" kxe="false">\n{pad}    <link href={quoteattr(value["href"])} '
                       f'rel="related"/>\n{pad}</{name}>\n')
        elif value is not None:
            out.append(f'{pad}<{name} kxe="false" kb="CUR">{escape(str(value))}</{name}>\n')
    return "".join(out)


def _entry(kind: str, uid: str, self_href: str, body: list[Node]) -> str:
    nodes = [("Metadata", [("Atom", [("AtomID", uid)])]), *body]
    return (f'<entry>\n    <id>{uid}</id>\n    <title>{kind}</title>\n'
            f'    <link rel="SELF" href={quoteattr(self_href)}/>\n'
            f'    <content type="application/vnd.ibm.powervm.uom+xml; type={kind}">\n'
            f'        <{kind}:{kind} xmlns:{kind}="{UOM_NS}" xmlns="{UOM_NS}" schemaVersion="V1_0">\n'
            f'{_xml(nodes, 3)}        </{kind}:{kind}>\n    </content>\n</entry>\n')


def _feed(entries: list[str], self_href: str) -> str:
    body = "".join(entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="{ATOM_NS}">\n'
            f'<id>{_uuid(self_href)}</id>\n<link rel="SELF" href={quoteattr(self_href)}/>\n'
            f'<generator>IBM Power Systems Management Console</generator>\n{body}</feed>\n')


def _system_nodes(s: System) -> list[Node]:
    on = s.state == "Operating"
    model_type, model = s.type_model.split("-", 1)
    nodes: list[Node] = []
    if on:
        nodes.append(("AssociatedSystemCapabilities", [
            ("ActiveLogicalPartitionMobilityCapable", _b(s.active_lpm)),
            ("ActiveMemorySharingCapable", "true"), ("BarrierSynchronizationRegisterCapable", _b(s.bsr_capable)),
            ("CapacityOnDemandMemoryCapable", "true"), ("CapacityOnDemandProcessorCapable", "true"),
            ("HugePageMemoryCapable", _b(s.huge_page_capable)), ("IBMiCapable", _b(s.os400_capable)),
            ("InactiveLogicalPartitionMobilityCapable", _b(s.inactive_lpm)),
            ("LogicalHostEthernetAdapterCapable", _b(s.lhea_capable)),
            ("LogicalPartitionRemoteRestartCapable", "false"),
            ("PowerVMLogicalPartitionSimplifiedRemoteRestartCapable", _b(s.srr_capable)),
            ("VirtualFiberChannelCapable", _b(s.vfc_capable)), ("VirtualIOServerCapable", "true"),
        ]))
        nodes.append(("AssociatedSystemIOConfiguration", [("IOSlots", [("IOSlot", _slot(s, slot))
                                                                       for slot in s.io_slots])]))
        nodes.append(("AssociatedSystemMemoryConfiguration", [
            ("ConfigurableSystemMemory", s.configurable_mem_mb), ("CurrentAvailableSystemMemory", s.avail_mem_mb),
            ("DeconfiguredSystemMemory", 0), ("DefaultHardwarePageTableRatio", hpt_exponent(128)),
            ("InstalledSystemMemory", s.installed_mem_mb), ("MemoryRegionSize", s.lmb_mb),
            ("MemoryUsedByHypervisor", s.firmware_mem_mb), ("PendingAvailableSystemMemory", s.avail_mem_mb),
        ]))
        nodes.append(("AssociatedSystemProcessorConfiguration", [
            ("ConfigurableSystemProcessorUnits", rec._num(s.configurable_proc_units)),
            ("CurrentAvailableSystemProcessorUnits", rec._num(s.avail_proc_units)),
            ("DeconfiguredSystemProcessorUnits", 0), ("InstalledSystemProcessorUnits", rec._num(s.installed_proc_units)),
            ("MinimumProcessorUnitsPerVirtualProcessor", rec._num(s.min_proc_units_per_vp)),
            ("PendingAvailableSystemProcessorUnits", rec._num(s.avail_proc_units)), ("SharedProcessorPoolCount", 64),
            *[("SupportedPartitionProcessorCompatibilityModes", rest_compat(m)) for m in s.compat_modes],
        ]))
    nodes += [
        ("DetailedState", "None"),
        ("MachineTypeModelAndSerialNumber", [("MachineType", model_type), ("Model", model), ("SerialNumber", s.serial)]),
        ("MaximumPartitions", s.max_lpars if on else None), ("PrimaryIPAddress", s.ipaddr),
        ("State", s.state.lower()), ("SystemName", s.name),
    ]
    return nodes


def _slot(s: System, slot) -> list[Node]:
    unit = f"U78D3.001.{s.serial[:7]}"
    owner = next((lp for lp in s.lpars if lp.id == slot.owner), None)
    return [
        ("BusGroupingRequired", "false"), ("Description", slot.description),
        *[("FeatureCodes", code) for code in slot.feature_codes], ("IOUnitPhysicalLocation", unit),
        ("PCIClass", int(slot.pci_class, 16)), ("RelatedIBMiIOSlot", [("IOP", "false"), ("IOPoolID", 65535)]),
        ("SlotDynamicReconfigurationConnectorIndex", int(slot.drc_index, 16)),
        ("SlotDynamicReconfigurationConnectorName", f"{unit}-P1-{slot.phys_loc}"),
        ("SlotPhysicalLocationCode", slot.phys_loc),
        ("PartitionID", owner.id if owner else None), ("PartitionName", owner.name if owner else None),
        ("PartitionType", _TYPES[owner.env] if owner else None),
    ]


def _partition_nodes(s: System, lp: Lpar, ms: str) -> list[Node]:
    shared = lp.proc_mode == "shared"
    run = lp.running
    if shared:
        proc: list[Node] = [
            ("HasDedicatedProcessors", "false"),
            ("SharedProcessorConfiguration", [
                ("DesiredProcessingUnits", rec._num(lp.profile_proc_units)), ("DesiredVirtualProcessors", lp.profile_procs),
                ("MaximumProcessingUnits", rec._num(lp.max_proc_units)), ("MaximumVirtualProcessors", lp.max_procs),
                ("MinimumProcessingUnits", rec._num(lp.min_proc_units)), ("MinimumVirtualProcessors", lp.min_procs),
                ("SharedProcessorPoolID", lp.pool_id), ("UncappedWeight", lp.uncap_weight)]),
            ("SharingMode", _SHARING[lp.sharing_mode]), ("CurrentHasDedicatedProcessors", "false"),
            ("CurrentSharingMode", _SHARING[lp.sharing_mode]),
            ("CurrentSharedProcessorConfiguration", [
                ("AllocatedVirtualProcessors", lp.procs), ("CurrentMaximumProcessingUnits", rec._num(lp.max_proc_units)),
                ("CurrentMinimumProcessingUnits", rec._num(lp.min_proc_units)),
                ("CurrentProcessingUnits", rec._num(lp.proc_units)), ("CurrentSharedProcessorPoolID", lp.pool_id),
                ("CurrentUncappedWeight", lp.uncap_weight), ("CurrentMinimumVirtualProcessors", lp.min_procs),
                ("CurrentMaximumVirtualProcessors", lp.max_procs),
                # REST keeps a stale runtime value for a partition that is not running.
                ("RuntimeProcessingUnits", rec._num(lp.proc_units) if run else "0.00")])]
    else:
        proc = [
            ("DedicatedProcessorConfiguration", [("DesiredProcessors", lp.profile_procs),
                                                 ("MaximumProcessors", lp.max_procs), ("MinimumProcessors", lp.min_procs)]),
            ("HasDedicatedProcessors", "true"), ("SharingMode", _SHARING[lp.sharing_mode]),
            ("CurrentHasDedicatedProcessors", "true"), ("CurrentSharingMode", _SHARING[lp.sharing_mode]),
            ("CurrentDedicatedProcessorConfiguration", [
                ("CurrentMaximumProcessors", lp.max_procs), ("CurrentMinimumProcessors", lp.min_procs),
                ("CurrentProcessors", lp.procs), ("RunProcessors", lp.procs if run else 0)])]
    memory: list[Node] = [
        ("BarrierSynchronizationRegisterArrayCount", lp.bsr_arrays), ("DesiredHugePageCount", lp.huge_pages),
        ("DesiredMemory", lp.profile_mem_mb), ("HardwarePageTableRatio", hpt_exponent(lp.hpt_ratio)),
        ("MaximumHugePageCount", lp.huge_pages), ("MaximumMemory", lp.max_mem_mb), ("MinimumHugePageCount", 0),
        ("MinimumMemory", lp.min_mem_mb), ("CurrentHardwarePageTableRatio", hpt_exponent(lp.hpt_ratio)),
        ("CurrentHugePageCount", None if lp.env == "vioserver" else (lp.huge_pages if run else 0)),
        ("CurrentMaximumMemory", lp.max_mem_mb), ("CurrentMemory", lp.mem_mb), ("CurrentMinimumMemory", lp.min_mem_mb),
        ("RuntimeMemory", lp.mem_mb if run else 256), ("SharedMemoryEnabled", "false")]
    slots = [("ProfileIOSlot", [("AssociatedIOSlot", [("SlotDynamicReconfigurationConnectorIndex", int(d, 16))]),
                                ("IsRequired", "true")]) for d in lp.io_slots]
    nodes: list[Node] = [
        ("AvailabilityPriority", 127),
        ("CurrentProcessorCompatibilityMode", rest_compat(lp.compat_mode if run else "default")),
        ("CurrentProfileSync", "On"), ("IsRedundantErrorPathReportingEnabled", _b(lp.rep)),
        ("LogicalSerialNumber", f"LS{lp.id:04d}"), ("OperatingSystemVersion", lp.os_version or "Unknown"),
        ("PartitionID", lp.id),
        ("PartitionIOConfiguration", [("MaximumVirtualIOSlots", 200 if lp.env == "vioserver" else 40),
                                      ("ProfileIOSlots", slots)]),
        ("PartitionMemoryConfiguration", memory), ("PartitionName", lp.name), ("PartitionProcessorConfiguration", proc),
        ("PartitionState", _STATES.get(lp.state, lp.state.lower())), ("PartitionType", _TYPES[lp.env]),
        ("PartitionUUID", _uuid(s.serial, lp.id)),
        ("PendingProcessorCompatibilityMode", rest_compat(lp.desired_compat_mode)),
        ("ResourceMonitoringControlState", lp.rmc_state if run else "inactive"),
        ("ResourceMonitoringIPAddress", lp.rmc_ip if run else None),
        ("AssociatedManagedSystem", {"href": f"{BASE}/ManagedSystem/{ms}"}),
        ("LastActivatedProfile", lp.profile), ("AutoStart", "false"), ("BootMode", "Normal"),
        ("RemoteRestartCapable", "false"), ("SimplifiedRemoteRestartCapable", _b(lp.srr_capable)),
        ("SuspendCapable", "false"), ("MigrationDisable", _b(lp.migration_disabled)),
    ]
    if lp.env == "vioserver":
        nodes.append(("MoverServicePartition", _b(bool(lp.msp))))
        from hatoolkit.synth.rest_vios_writer import vios_nodes  # it builds on this module's adapter nodes

        nodes += vios_nodes(s, lp)
    return nodes


def _adapter(lp: Lpar, slot: int, required: bool, extra: list[Node]) -> list[Node]:
    return [("LocalPartitionID", lp.id), ("RequiredAdapter", _b(required)), ("VariedOn", _b(lp.running)),
            ("VirtualSlotNumber", slot), *extra]


def _veth_nodes(lp: Lpar, a) -> list[Node]:
    cli = dict(next(r for r in rec.veth_records(lp) if dict(r)["slot_num"] == str(a.slot)))
    return _adapter(lp, a.slot, a.required, [
        ("MACAddress", cli["mac_addr"]), ("PortVLANID", a.pvid),
        ("TaggedVLANIDs", " ".join(str(v) for v in a.addl_vlans) or None), ("TaggedVLANSupported", _b(a.ieee)),
        ("VirtualSwitchID", 0), ("TrunkPriority", a.trunk_priority or None)])


def _scsi_nodes(lp: Lpar, a) -> list[Node]:
    return _adapter(lp, a.slot, a.required, [
        ("AdapterType", a.adapter_type.capitalize()), ("RemoteLogicalPartitionID", a.remote_id),
        ("RemoteSlotNumber", a.remote_slot)])


def _fc_nodes(lp: Lpar, a) -> list[Node]:
    return _adapter(lp, a.slot, a.required, [
        ("AdapterType", a.adapter_type.capitalize()), ("ConnectingPartitionID", a.remote_id),
        ("ConnectingVirtualSlotNumber", a.remote_slot),
        ("WWPNs", " ".join(a.wwpns) if a.adapter_type == "client" else None)])


def write_system(s: System, root: Path) -> list[Path]:
    """Write one system's REST exports under root/rest/<hmc>/<system>/; returns the files written."""
    s.check()
    ms = _uuid(s.serial)
    base = root / "rest" / s.hmc / s.name
    written: list[Path] = []

    def write(name: str, text: str) -> None:
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    ms_href = f"{BASE}/ManagedSystem/{ms}"
    write("ManagedSystem.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
          + _entry("ManagedSystem", ms, ms_href, _system_nodes(s)).replace("<entry>", f'<entry xmlns="{ATOM_NS}">', 1))
    lpars = sorted(s.lpars, key=lambda lp: lp.id)
    for kind, members in (("LogicalPartition", [lp for lp in lpars if lp.env != "vioserver"]),
                          ("VirtualIOServer", [lp for lp in lpars if lp.env == "vioserver"])):
        entries = [_entry(kind, _uuid(s.serial, lp.id), f"{ms_href}/{kind}/{_uuid(s.serial, lp.id)}",
                          _partition_nodes(s, lp, ms)) for lp in members]
        write(f"{kind}.xml", _feed(entries, f"{ms_href}/{kind}"))
    if s.state != "Operating":
        return written
    pools = []
    for p in s.pools:
        members = [lp for lp in s.lpars if lp.proc_mode == "shared" and lp.pool_id == p.id]
        node: list[Node] = [("PoolID", p.id), ("PoolName", p.name),
                            ("MaximumProcessingUnits", rec._num(p.max_proc_units) if p.max_proc_units else "0.00"),
                            ("CurrentReservedProcessingUnits", rec._num(p.reserved_proc_units)),
                            ("PendingReservedProcessingUnits", rec._num(p.reserved_proc_units))]
        text = _entry("SharedProcessorPool", _uuid(s.serial, "pool", p.id), f"{ms_href}/SharedProcessorPool/{p.id}", node)
        assigned = "".join(
            f'            <link href="{ms_href}/{"VirtualIOServer" if lp.env == "vioserver" else "LogicalPartition"}/'
            f'{_uuid(s.serial, lp.id)}" rel="related"/>\n' for lp in members)
        pools.append(text.replace("<PoolID", f'<AssignedPartitions kb="CUD" kxe="false">\n{assigned}'
                                  "            </AssignedPartitions>\n            <PoolID", 1))
    write("SharedProcessorPool.xml", _feed(pools, f"{ms_href}/SharedProcessorPool"))
    switches = sorted({a.vswitch for lp in s.lpars for a in lp.veths} or {"ETHERNET0"})
    write("VirtualSwitch.xml", _feed([_entry("VirtualSwitch", _uuid(s.serial, "vsw", n), f"{ms_href}/VirtualSwitch/{i}",
                                             [("SwitchID", i), ("SwitchMode", "Veb"), ("SwitchName", n)])
                                      for i, n in enumerate(switches)], f"{ms_href}/VirtualSwitch"))
    from hatoolkit.synth.rest_vios_writer import network_bridges

    bridges = network_bridges(s)
    if bridges:
        write("NetworkBridge.xml", _feed([_entry("NetworkBridge", uid, f"{ms_href}/NetworkBridge/{uid}", nodes)
                                          for uid, nodes in bridges], f"{ms_href}/NetworkBridge"))
    for lp in lpars:
        kind = "VirtualIOServer" if lp.env == "vioserver" else "LogicalPartition"
        owner = f"{BASE}/{kind}/{_uuid(s.serial, lp.id)}"
        feeds = {
            "ClientNetworkAdapter": [_veth_nodes(lp, a) for a in lp.veths if not a.trunk_priority],
            "VirtualSCSIClientAdapter": [_scsi_nodes(lp, a) for a in lp.vscsi if a.adapter_type == "client"],
            "VirtualFibreChannelClientAdapter": [_fc_nodes(lp, a) for a in lp.vfc if a.adapter_type == "client"],
            "VirtualSCSIServerAdapter": [_scsi_nodes(lp, a) for a in lp.vscsi
                                         if a.adapter_type == "server" and lp.env != "vioserver"],
        }
        for feed, items in feeds.items():
            if items:
                entries = [_entry(feed, _uuid(s.serial, lp.id, feed, n), f"{owner}/{feed}/{n}", nodes)
                           for n, nodes in enumerate(items)]
                write(f"adapters/{lp.name}_{feed}.xml", _feed(entries, f"{owner}/{feed}"))
    return written
