"""VIOS-side facts from REST, in the VIOS frames' terms: mappings, SEAs, trunk adapters, disks.

A `VirtualIOServer` entry carries what the VIOS itself reports: which backing device each vhost
serves through which virtual target device (`VirtualSCSIMappings`), which physical FC port each
vfchost is mapped to (`VirtualFibreChannelMappings`), its Shared Ethernet Adapters with their
trunk adapters (`SharedEthernetAdapters`, `TrunkAdapters`) and its disks with reserve policy and
unique ID (`PhysicalVolumes`). A `NetworkBridge` entry holds the SEAs of a failover or
load-sharing pair again, each naming its VIOS by a link (`AssignedVirtualIOServer`), which the
assembler resolves to the VIOS's partition ID.

Rows use the words the VIOS capture readers use (`vios_lsmap`, `vios_devices`): REST's
`SinglePath` is `reserve_policy=single_path`, `Failover` is `algorithm=fail_over`, a
`VirtualDisk` is `backing_type=lv`, virtual optical media live in `/var/vio/VMLibrary/`, a virtual
Ethernet adapter's location code ends in `-T1`, and `udid` is `VolumeUniqueID` (the value `chkdev`
and the hdisk's `unique_id` attribute print), never REST's encoded `UniqueDeviceID`, so the same LUN
matches across VIOS and across sources. What REST does not carry (VTD status, NPIV login view,
PVIDs, MPIO paths, EtherChannels) is listed in `hmc_rest.SOURCE_GAPS`, not defaulted.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from hatoolkit.ingest import rest_norms as norm
from hatoolkit.ingest.rest_xml import RestObject
from hatoolkit.ingest.vios_lsmap import VIRTUAL_LOC_RE

# Storage element -> (element holding the device name, backing_type). A VirtualDisk of type File is a file.
BACKING: dict[str, tuple[str, str]] = {
    "PhysicalVolume": ("VolumeName", "pv"), "VirtualDisk": ("DiskName", "lv"),
    "LogicalUnit": ("UnitName", "lu"), "VirtualOpticalMedia": ("MediaName", "optical"),
}
MEDIA_REPOSITORY = "/var/vio/VMLibrary/"  # where the VIOS keeps virtual optical media (lsmap prints the path)
NO_PARTITION = frozenset({"0", "65535"})
FRAMES = ("vios_mappings", "seas", "disks")

Row = dict[str, object]


@dataclass
class ViosFacts:
    """Rows (frame name -> row dicts) of one REST object, and what could not be used (code, message)."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in FRAMES})
    problems: list[tuple[str, str]] = field(default_factory=list)
    nameless: int = 0  # mappings whose server adapter has no device name (the HMC could not ask the VIOS)


def _t(elem: ET.Element | None, path: str) -> str | None:
    if elem is None:
        return None
    text = elem.findtext(path)
    return text.strip() if text is not None and text.strip() != "" else None


def _first_child(elem: ET.Element | None) -> ET.Element | None:
    return None if elem is None else next((c for c in elem if c.tag != "Metadata"), None)


class _Values:
    """Typed values from text; a value that is not what it should be is a problem, and NA."""

    def __init__(self, facts: ViosFacts, where: str) -> None:
        self.facts, self.where = facts, where

    def int(self, value: str | None, what: str) -> int | None:
        if value is None:
            return None
        if value.isdigit():
            return int(value)
        self.facts.problems.append(("bad_value", f"{self.where}: {what}={value!r} is not a whole number"))
        return None

    def partition(self, value: str | None, what: str) -> int | None:
        return None if value is None or value in NO_PARTITION else self.int(value, what)

    @staticmethod
    def bool(value: str | None) -> bool | None:
        return None if value is None else {"true": True, "false": False}.get(value.lower())


def virtual_eth_loc(location: str | None) -> str | None:
    """A virtual Ethernet adapter's port location as AIX prints it: REST's slot location + `-T1`."""
    if location and VIRTUAL_LOC_RE.match(location) and "-T" not in location.rsplit("-C", 1)[-1]:
        return f"{location}-T1"
    return location


def _backing(storage: ET.Element | None) -> tuple[str | None, str | None, str | None, ET.Element | None]:
    """(backing_device, backing_type, backing_physloc, the PhysicalVolume element) of a mapping's Storage."""
    elem = _first_child(storage)
    if elem is None:
        return None, None, None, None
    name_path, kind = BACKING.get(elem.tag, ("", elem.tag.lower()))
    name = _t(elem, name_path) if name_path else None
    if elem.tag == "VirtualDisk" and (_t(elem, "VirtualDiskType") or "").lower() == "file":
        kind = "file"
    if kind == "optical" and name and not name.startswith("/"):
        name = MEDIA_REPOSITORY + name
    physloc = _t(elem, "LocationCode") if elem.tag == "PhysicalVolume" else None
    return name, kind, physloc, (elem if elem.tag == "PhysicalVolume" else None)


def disk_row(pv: ET.Element, base: Row, src: str) -> Row | None:
    """A `disks` row from a PhysicalVolume; udid is VolumeUniqueID with runs of spaces collapsed (as chkdev)."""
    name = _t(pv, "VolumeName")
    if name is None:
        return None
    unique = _t(pv, "VolumeUniqueID")
    return base | {"hdisk": name, "udid": " ".join(unique.split()) if unique else None, "unique_id": unique,
                   "reserve_policy": norm.reserve_policy(_t(pv, "ReservePolicy")),
                   "algorithm": norm.path_algorithm(_t(pv, "ReservePolicyAlgorithm")),
                   "physloc": _t(pv, "LocationCode"), "source": src}


def _own(server: ET.Element | None, base: Row, adapter: str, facts: ViosFacts, v: _Values) -> bool:
    """A mapping listed under a VIOS whose server adapter names another partition as its owner is not this VIOS's."""
    owner = _t(server, "LocalPartitionID")
    if owner is None or owner == str(base["vios_lpar_id"]):
        return True
    facts.problems.append(("orphan_record", f"{v.where}: mapping of {adapter} ({_t(server, 'LocationCode')}) belongs to "
                           f"partition {owner}, not to this VIOS (partition {base['vios_lpar_id']}); not used"))
    return False


def _scsi(m: ET.Element, base: Row, src: str, facts: ViosFacts, v: _Values) -> None:
    server, client = m.find("ServerAdapter"), m.find("ClientAdapter")
    adapter = _t(server, "AdapterName")
    if adapter is None:
        facts.nameless += 1
        return
    if not _own(server, base, adapter, facts, v):
        return
    device, kind, physloc, pv = _backing(m.find("Storage"))
    target = _first_child(m.find("TargetDevice"))
    facts.rows["vios_mappings"].append(base | {
        "kind": "scsi", "adapter": adapter, "slot_num": v.int(_t(server, "VirtualSlotNumber"), "VirtualSlotNumber"),
        "adapter_physloc": _t(server, "LocationCode"),
        "client_lpar_id": v.partition(_t(server, "RemoteLogicalPartitionID") or _t(client, "LocalPartitionID"),
                                      "RemoteLogicalPartitionID"),
        "vtd": _t(target, "TargetName"), "lun": _t(target, "LogicalUnitAddress"), "backing_device": device,
        "backing_type": kind, "backing_physloc": physloc, "source": src})
    if pv is not None:
        row = disk_row(pv, base, src)
        if row is not None:
            facts.rows["disks"].append(row)


def _fc(m: ET.Element, base: Row, src: str, facts: ViosFacts, v: _Values) -> None:
    server, client, port = m.find("ServerAdapter"), m.find("ClientAdapter"), m.find("Port")
    adapter = _t(server, "AdapterName")
    if adapter is None:
        facts.nameless += 1
        return
    if not _own(server, base, adapter, facts, v):
        return
    fc = _t(port, "PortName") or _t(server, "MapPort")
    facts.rows["vios_mappings"].append(base | {
        "kind": "fc", "adapter": adapter, "slot_num": v.int(_t(server, "VirtualSlotNumber"), "VirtualSlotNumber"),
        "adapter_physloc": _t(server, "LocationCode"),
        "client_lpar_id": v.partition(_t(server, "ConnectingPartitionID") or _t(client, "LocalPartitionID"),
                                      "ConnectingPartitionID"),
        "client_slot": v.partition(_t(server, "ConnectingVirtualSlotNumber") or _t(client, "VirtualSlotNumber"),
                                   "ConnectingVirtualSlotNumber"),
        "backing_device": fc, "backing_type": "fc_port" if fc else None,
        "backing_physloc": _t(port, "LocationCode") or _t(server, "PhysicalPort/LocationCode"), "source": src})


def _trunk_vlans(trunks: list[ET.Element]) -> tuple[int, ...]:
    ids: list[int] = []
    for trunk in trunks:
        for value in [_t(trunk, "PortVLANID"), *(_t(trunk, "TaggedVLANIDs") or "").split()]:
            if value and value.isdigit() and int(value) not in ids:
                ids.append(int(value))
    return tuple(ids)


def sea_rows(sea: ET.Element, base: Row, src: str, facts: ViosFacts, v: _Values, switches: dict[str, str]) -> None:
    """An SEA (`seas` row) and its trunk adapters (`vios_mappings` kind=net rows)."""
    name = _t(sea, "DeviceName")
    if name is None:
        facts.problems.append(("unparseable", f"{v.where}: a Shared Ethernet Adapter without a device name; not used"))
        return
    real = _first_child(sea.find("BackingDeviceChoice"))
    trunks = sea.findall("TrunkAdapters/TrunkAdapter")
    devices = [_t(t, "DeviceName") for t in trunks]
    slots = [v.int(_t(t, "VirtualSlotNumber"), "VirtualSlotNumber") for t in trunks]
    pvid = v.int(_t(sea, "PortVLANID"), "PortVLANID")
    pvid_adapter = next((d for d, t in zip(devices, trunks, strict=True) if pvid is not None
                         and _t(t, "PortVLANID") == str(pvid)), None)
    priorities = {_t(t, "TrunkPriority") for t in trunks}
    switch_ids = {_t(t, "VirtualSwitchID") for t in trunks}
    facts.rows["seas"].append(base | {
        "sea": name, "ha_mode": norm.ha_mode(_t(sea, "HighAvailabilityMode")), "real_adapter": _t(real, "DeviceName"),
        "virt_adapters": tuple(devices) if trunks and all(devices) else None,  # type: ignore[arg-type]
        "virt_slots": tuple(slots) if trunks and all(s is not None for s in slots) else None,  # type: ignore[arg-type]
        "pvid": pvid, "pvid_adapter": pvid_adapter, "ctl_chan": _t(sea, "ControlChannelInterfaceName"),
        "trunk_priority": v.int(priorities.pop(), "TrunkPriority") if len(priorities) == 1 else None,
        "vswitch": switches.get(switch_ids.pop() or "") if len(switch_ids) == 1 else None,
        "vlans": _trunk_vlans(trunks) or None, "jumbo_frames": v.bool(_t(sea, "JumboFramesEnabled")), "source": src})
    for trunk, device, slot in zip(trunks, devices, slots, strict=True):
        if device is not None:
            facts.rows["vios_mappings"].append(base | _net_row(trunk, device, slot) | {
                "sea": name, "backing_device": _t(real, "DeviceName"), "backing_type": "ethernet" if real else None,
                "backing_physloc": _t(real, "PhysicalLocation"), "source": src})


def _net_row(trunk: ET.Element, device: str, slot: int | None) -> Row:
    return {"kind": "net", "adapter": device, "slot_num": slot, "adapter_physloc": virtual_eth_loc(_t(trunk, "LocationCode"))}


def vios_rows(obj: RestObject, system: str, switches: dict[str, str] | None = None) -> ViosFacts:
    """Rows of one VirtualIOServer entry on `system` (resolved by the caller)."""
    facts = ViosFacts()
    name, src = obj.text("PartitionName"), f"{obj.file}:{obj.line}"
    v = _Values(facts, f"VIOS {name or '?'} of {system}")
    vid = v.int(obj.text("PartitionID"), "PartitionID")
    if vid is None:
        facts.problems.append(("unparseable", f"VIOS {name!r} of {system} without a partition ID; its VIOS data is not used"))
        return facts
    base: Row = {"system": system, "vios_lpar_id": vid, "vios_name": name}
    for m in obj.elem.findall("VirtualSCSIMappings/VirtualSCSIMapping"):
        _scsi(m, base, src, facts, v)
    for m in obj.elem.findall("VirtualFibreChannelMappings/VirtualFibreChannelMapping"):
        _fc(m, base, src, facts, v)
    for sea in obj.elem.findall("SharedEthernetAdapters/SharedEthernetAdapter"):
        sea_rows(sea, base, src, facts, v, switches or {})
    in_sea = {r["adapter"] for r in facts.rows["vios_mappings"] if r["kind"] == "net"}
    for trunk in obj.elem.findall("TrunkAdapters/TrunkAdapter"):
        device = _t(trunk, "DeviceName")
        if device is not None and device not in in_sea:  # a trunk adapter no SEA uses: it bridges nothing
            facts.rows["vios_mappings"].append(base | _net_row(trunk, device, v.int(
                _t(trunk, "VirtualSlotNumber"), "VirtualSlotNumber")) | {"source": src})
            in_sea.add(device)
    listed = [r for pv in obj.elem.findall("PhysicalVolumes/PhysicalVolume") if (r := disk_row(pv, base, src))]
    seen = {r["hdisk"] for r in listed}
    # Disks named only inside a mapping's Storage (the VIOS-level list is absent or partial) are disks too.
    facts.rows["disks"] = listed + [r for r in facts.rows["disks"] if r["hdisk"] not in seen]
    if facts.nameless and not any(facts.rows.values()):
        facts.problems.append(("source_gap", f"VIOS {name} of {system}: the REST entry has no VIOS-side devices "
                               f"(none of its {facts.nameless} mappings names its server adapter; no SEAs, no disks): "
                               "the HMC could not query the VIOS (RMC down?) when it was exported"))
    elif facts.nameless:
        facts.problems.append(("unparseable", f"VIOS {name} of {system}: {facts.nameless} mapping(s) without the server "
                               "adapter's device name (AdapterName); not used"))
    missing = [group for group, element in (("ViosSCSIMapping", "VirtualSCSIMappings"),
                                            ("ViosFCMapping", "VirtualFibreChannelMappings"),
                                            ("ViosStorage", "PhysicalVolumes"), ("ViosNetwork", "SharedEthernetAdapters"))
               if obj.elem.find(element) is None]
    if missing:
        facts.problems.append(("missing_capture", f"VIOS {name} of {system}: the REST entry lacks the "
                               f"{', '.join(missing)} group(s) (exported with ?group=...): what they hold is unknown"))
    return facts


def bridge_seas(obj: RestObject) -> list[tuple[str | None, ET.Element]]:
    """(UUID of the VIOS, SEA element) for every SEA of a NetworkBridge entry."""
    out = []
    for sea in obj.elem.findall("SharedEthernetAdapters/SharedEthernetAdapter"):
        link = sea.find("AssignedVirtualIOServer")
        href = "" if link is None else (link.get("href") or next(
            (lk.get("href") or "" for lk in link.findall("link")), ""))
        out.append((href.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or None, sea))
    return out


def bridge_rows(obj: RestObject, vios: dict[str, tuple[str, int, str | None]],
                switches: dict[str, dict[str, str]]) -> ViosFacts:
    """SEA rows of a NetworkBridge, each placed on the VIOS its link names (UUID -> system, partition ID, name)."""
    facts = ViosFacts()
    src = f"{obj.file}:{obj.line}"
    for uuid, sea in bridge_seas(obj):
        place = vios.get((uuid or "").lower())
        if place is None:
            facts.problems.append(("unknown_system", f"NetworkBridge {obj.uuid}: SEA {_t(sea, 'DeviceName')} is on VIOS "
                                   f"{uuid}, which is not in the bundle; not used"))
            continue
        system, vid, name = place
        base: Row = {"system": system, "vios_lpar_id": vid, "vios_name": name}
        sea_rows(sea, base, src, facts, _Values(facts, f"NetworkBridge SEA of VIOS {name} of {system}"),
                 switches.get(system, {}))
    return facts
