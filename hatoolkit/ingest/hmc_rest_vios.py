"""VIOS-side facts from REST: storage mappings, SEAs, network bridges, physical volumes (interim frames).

A `VirtualIOServer` entry (group ViosStorage/ViosNetwork) carries what the VIOS itself knows:
which backing device each vhost serves to which client (`VirtualSCSIMappings`), which physical
FC port each vfchost is mapped to (`VirtualFibreChannelMappings`), its Shared Ethernet Adapters
(`SharedEthernetAdapters`) and its disks with reserve policy and unique IDs (`PhysicalVolumes`).
`NetworkBridge` entries pair the SEAs of two VIOS (failover, load sharing, control channel).

The Inventory's VIOS frames (`vios_mappings`, `seas`, `disks`, ...) are defined by the VIOS
capture work (issue 5), which this module predates. Until they are merged, these functions
return **interim** frames with the columns documented in `INTERIM_COLUMNS` (CLI/VIOS attribute
names where one exists: `reserve_policy=no_reserve`, `ha_mode=auto`, `ctl_chan`, `pvid`,
`real_adapter`), keyed by `system` + `vios_id`. The bundle loader keeps them beside the
Inventory (`LoadContext.pieces["rest_vios"]`); wiring them into the final frames is a rename
once those schemas exist. Disks are keyed by unique ID, never by hdisk name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd

from hatoolkit.ingest import rest_norms as norm
from hatoolkit.ingest.rest_xml import RestObject

INTERIM_COLUMNS: dict[str, tuple[str, ...]] = {
    "scsi_mappings": ("system", "vios_id", "vios_name", "server_slot", "server_adapter", "client_lpar_id",
                      "client_slot", "target_device", "lun", "backing_device", "backing_type", "backing_udid",
                      "source"),
    "fc_mappings": ("system", "vios_id", "vios_name", "server_slot", "server_adapter", "client_lpar_id",
                    "client_slot", "fc_port", "fc_port_loc", "fc_port_wwpn", "client_wwpns", "source"),
    "seas": ("system", "vios_id", "vios_name", "sea", "pvid", "ha_mode", "ctl_chan", "real_adapter",
             "real_adapter_loc", "trunk_slots", "trunk_priorities", "vlan_ids", "jumbo_frames", "largesend",
             "source"),
    "disks": ("system", "vios_id", "vios_name", "hdisk", "udid", "unique_id", "reserve_policy", "algorithm",
              "fc_backed", "capacity_mb", "location", "description", "source"),
    "network_bridges": ("system", "bridge", "pvid", "failover", "load_balancing", "control_channel_vlan",
                        "vios_uuid", "sea", "ha_mode", "vlan_ids", "source"),
}
_BACKING = {"PhysicalVolume": ("VolumeName", "pv"), "VirtualDisk": ("DiskName", "lv"),
            "LogicalUnit": ("UnitName", "lu"), "VirtualOpticalMedia": ("MediaName", "vopt"),
            "File": ("FileName", "file")}


def _t(elem: ET.Element | None, path: str) -> str | None:
    if elem is None:
        return None
    text = elem.findtext(path)
    return text.strip() if text is not None and text.strip() != "" else None


def _first_child(elem: ET.Element | None) -> ET.Element | None:
    return None if elem is None else next((c for c in elem if c.tag != "Metadata"), None)


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def _bool(value: str | None) -> bool | None:
    return None if value is None else {"true": True, "false": False}.get(value.lower())


def _vlans(elem: ET.Element) -> tuple[int, ...]:
    ids = []
    for trunk in elem.findall("TrunkAdapters/TrunkAdapter"):
        for value in [_t(trunk, "PortVLANID"), *(_t(trunk, "TaggedVLANIDs") or "").split()]:
            if value and value.isdigit() and int(value) not in ids:
                ids.append(int(value))
    return tuple(ids)


def vios_rows(obj: RestObject, system: str | None) -> dict[str, list[dict[str, object]]]:
    """Interim rows of one VirtualIOServer object (system already resolved by the caller)."""
    vid, name, src = _int(obj.text("PartitionID")), obj.text("PartitionName"), f"{obj.file}:{obj.line}"
    base = {"system": system, "vios_id": vid, "vios_name": name}
    out: dict[str, list[dict[str, object]]] = {k: [] for k in ("scsi_mappings", "fc_mappings", "seas", "disks")}
    for m in obj.elem.findall("VirtualSCSIMappings/VirtualSCSIMapping"):
        server, client, storage = m.find("ServerAdapter"), m.find("ClientAdapter"), m.find("Storage")
        backing = _first_child(storage)
        name_path, btype = _BACKING.get(backing.tag, (None, backing.tag.lower())) if backing is not None else (None, None)
        target = _first_child(m.find("TargetDevice"))
        out["scsi_mappings"].append(base | {
            "server_slot": _int(_t(server, "VirtualSlotNumber")), "server_adapter": _t(server, "AdapterName"),
            "client_lpar_id": _int(_t(client, "LocalPartitionID") or _t(server, "RemoteLogicalPartitionID")),
            "client_slot": _int(_t(client, "VirtualSlotNumber") or _t(server, "RemoteSlotNumber")),
            "target_device": _t(target, "TargetName"), "lun": _t(target, "LogicalUnitAddress"),
            "backing_device": _t(backing, name_path) if name_path else None, "backing_type": btype,
            "backing_udid": _t(backing, "UniqueDeviceID"), "source": src})
    for m in obj.elem.findall("VirtualFibreChannelMappings/VirtualFibreChannelMapping"):
        server, client, port = m.find("ServerAdapter"), m.find("ClientAdapter"), m.find("Port")
        wwpns = _t(client, "WWPNs")
        out["fc_mappings"].append(base | {
            "server_slot": _int(_t(server, "VirtualSlotNumber")), "server_adapter": _t(server, "AdapterName"),
            "client_lpar_id": _int(_t(client, "LocalPartitionID") or _t(server, "ConnectingPartitionID")),
            "client_slot": _int(_t(client, "VirtualSlotNumber") or _t(server, "ConnectingVirtualSlotNumber")),
            "fc_port": _t(port, "PortName") or _t(server, "MapPort"), "fc_port_loc": _t(port, "LocationCode"),
            "fc_port_wwpn": (_t(port, "WWPN") or "").lower() or None,
            "client_wwpns": tuple(w.lower() for w in wwpns.split()) if wwpns else (), "source": src})
    for sea in obj.elem.findall("SharedEthernetAdapters/SharedEthernetAdapter"):
        real = _first_child(sea.find("BackingDeviceChoice"))
        trunks = sea.findall("TrunkAdapters/TrunkAdapter")
        out["seas"].append(base | {
            "sea": _t(sea, "DeviceName"), "pvid": _int(_t(sea, "PortVLANID")),
            "ha_mode": norm.ha_mode(_t(sea, "HighAvailabilityMode")),
            "ctl_chan": _t(sea, "ControlChannelInterfaceName"), "real_adapter": _t(real, "DeviceName"),
            "real_adapter_loc": _t(real, "PhysicalLocation"),
            "trunk_slots": tuple(_int(_t(t, "VirtualSlotNumber")) for t in trunks),
            "trunk_priorities": tuple(_int(_t(t, "TrunkPriority")) for t in trunks), "vlan_ids": _vlans(sea),
            "jumbo_frames": _bool(_t(sea, "JumboFramesEnabled")), "largesend": _bool(_t(sea, "LargeSend")),
            "source": src})
    for pv in obj.elem.findall("PhysicalVolumes/PhysicalVolume"):
        out["disks"].append(base | {
            "hdisk": _t(pv, "VolumeName"), "udid": _t(pv, "UniqueDeviceID"), "unique_id": _t(pv, "VolumeUniqueID"),
            "reserve_policy": norm.reserve_policy(_t(pv, "ReservePolicy")),
            "algorithm": _t(pv, "ReservePolicyAlgorithm"), "fc_backed": _bool(_t(pv, "IsFibreChannelBacked")),
            "capacity_mb": _int(_t(pv, "VolumeCapacity")), "location": _t(pv, "LocationCode"),
            "description": _t(pv, "Description"), "source": src})
    return out


def network_bridge_rows(obj: RestObject, system: str | None) -> list[dict[str, object]]:
    """One row per SEA of a NetworkBridge (the HMC's view of an SEA failover/sharing pair)."""
    rows = []
    for sea in obj.elem.findall("SharedEthernetAdapters/SharedEthernetAdapter"):
        vios = sea.find("AssignedVirtualIOServer")
        href = (vios.get("href") if vios is not None else None) or ""
        rows.append({
            "system": system, "bridge": obj.uuid, "pvid": _int(obj.text("PortVLANID")),
            "failover": _bool(obj.text("FailoverEnabled")), "load_balancing": _bool(obj.text("LoadBalancingEnabled")),
            "control_channel_vlan": _int(obj.text("ControlChannelID")),
            "vios_uuid": href.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or None, "sea": _t(sea, "DeviceName"),
            "ha_mode": norm.ha_mode(_t(sea, "HighAvailabilityMode")), "vlan_ids": _vlans(sea),
            "source": f"{obj.file}:{obj.line}"})
    return rows


def interim_frames(rows: dict[str, list[dict[str, object]]]) -> dict[str, pd.DataFrame]:
    """Frames (columns exactly INTERIM_COLUMNS) from accumulated interim rows."""
    return {name: pd.DataFrame(rows.get(name, []), columns=list(cols)) for name, cols in INTERIM_COLUMNS.items()}
