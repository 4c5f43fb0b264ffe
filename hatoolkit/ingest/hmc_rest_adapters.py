"""Virtual Ethernet, SCSI and Fibre Channel adapters from REST, as `lshwres -r virtualio` rows.

REST spreads adapters over several objects: a VIOS entry carries its trunk adapters and, inside
each storage mapping, *both* ends of the vSCSI/vFC connection (server and client adapter); a
partition's own adapters are separate feeds (`LogicalPartition/{uuid}/ClientNetworkAdapter`,
`.../VirtualSCSIClientAdapter`, `.../VirtualFibreChannelClientAdapter`). Every adapter found
anywhere becomes one row keyed by owner partition + slot; the same adapter seen twice (a mapping
per backing device, a trunk adapter listed under its SEA too) is one row.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hatoolkit.ingest import rest_norms as norm
from hatoolkit.ingest.rest_xml import RestObject

Row = dict[str, str | None]
NO_PARTITION = frozenset({"65535", ""})

VETH_KINDS = {
    "lpar_id": "int", "slot_num": "int", "state": "int", "is_required": "bool", "is_trunk": "bool",
    "trunk_priority": "int", "ieee_virtual_eth": "bool", "port_vlan_id": "int", "addl_vlan_ids": "int_list",
    "mac_addr": "text",
}
VSCSI_KINDS = {
    "lpar_id": "int", "slot_num": "int", "adapter_type": "text", "state": "int", "is_required": "bool",
    "remote_lpar_id": "int", "remote_slot_num": "int",
}
VFC_KINDS = VSCSI_KINDS | {"wwpns": "wwpn_list"}


def _t(elem: ET.Element, path: str) -> str | None:
    text = elem.findtext(path)
    return text.strip() if text is not None and text.strip() != "" else None


def _varied_on(elem: ET.Element) -> str | None:
    value = _t(elem, "VariedOn")
    return None if value is None else ("1" if value.lower() == "true" else "0")


def _remote(value: str | None) -> str | None:
    return None if value is None or value in NO_PARTITION else value


def _owner(obj: RestObject, elem: ET.Element, default_id: str | None) -> str | None:
    return _t(elem, "LocalPartitionID") or default_id


def veth_row(obj: RestObject, elem: ET.Element, owner_id: str | None, trunk: bool) -> Row:
    priority = _t(elem, "TrunkPriority")
    is_trunk = trunk or (priority is not None and priority not in ("0", ""))
    return {
        "lpar_id": _owner(obj, elem, owner_id), "slot_num": _t(elem, "VirtualSlotNumber"),
        "state": _varied_on(elem), "is_required": _t(elem, "RequiredAdapter"),
        "is_trunk": "1" if is_trunk else "0", "trunk_priority": priority if is_trunk else None,
        "ieee_virtual_eth": _t(elem, "TaggedVLANSupported"), "port_vlan_id": _t(elem, "PortVLANID"),
        "addl_vlan_ids": norm.vlan_list(_t(elem, "TaggedVLANIDs")) or "",
        "mac_addr": _t(elem, "MACAddress"), "_vswitch_id": _t(elem, "VirtualSwitchID"),
    }


def scsi_row(elem: ET.Element, owner_id: str | None = None) -> Row:
    return {
        "lpar_id": _t(elem, "LocalPartitionID") or owner_id, "slot_num": _t(elem, "VirtualSlotNumber"),
        "adapter_type": (_t(elem, "AdapterType") or "").lower() or None, "state": _varied_on(elem),
        "is_required": _t(elem, "RequiredAdapter"),
        "remote_lpar_id": _remote(_t(elem, "RemoteLogicalPartitionID")),
        "remote_slot_num": _remote(_t(elem, "RemoteSlotNumber")),
    }


def fc_row(elem: ET.Element, owner_id: str | None = None) -> Row:
    kind = (_t(elem, "AdapterType") or "").lower() or None
    return {
        "lpar_id": _t(elem, "LocalPartitionID") or owner_id, "slot_num": _t(elem, "VirtualSlotNumber"),
        "adapter_type": kind, "state": _varied_on(elem), "is_required": _t(elem, "RequiredAdapter"),
        "remote_lpar_id": _remote(_t(elem, "ConnectingPartitionID")),
        "remote_slot_num": _remote(_t(elem, "ConnectingVirtualSlotNumber")),
        "wwpns": norm.vlan_list(_t(elem, "WWPNs")) if kind == "client" else None,
    }


def adapters_of(obj: RestObject) -> dict[str, list[Row]]:
    """Adapter rows (veth, vscsi, vfc) an object holds; each row keeps `source` for provenance."""
    out: dict[str, list[Row]] = {"veth": [], "vscsi": [], "vfc": []}
    own_id = obj.text("PartitionID")
    if obj.kind == "VirtualIOServer":
        for trunk in obj.elem.findall("TrunkAdapters/TrunkAdapter"):
            out["veth"].append(veth_row(obj, trunk, own_id, trunk=True))
        for sea in obj.elem.findall("SharedEthernetAdapters/SharedEthernetAdapter"):
            for trunk in sea.findall("TrunkAdapters/TrunkAdapter"):
                out["veth"].append(veth_row(obj, trunk, own_id, trunk=True))
        for mapping in obj.elem.findall("VirtualSCSIMappings/VirtualSCSIMapping"):
            for side in ("ServerAdapter", "ClientAdapter"):
                adapter = mapping.find(side)
                if adapter is not None:
                    out["vscsi"].append(scsi_row(adapter, own_id if side == "ServerAdapter" else None))
        for mapping in obj.elem.findall("VirtualFibreChannelMappings/VirtualFibreChannelMapping"):
            for side in ("ServerAdapter", "ClientAdapter"):
                adapter = mapping.find(side)
                if adapter is not None:
                    out["vfc"].append(fc_row(adapter, own_id if side == "ServerAdapter" else None))
    elif obj.kind == "ClientNetworkAdapter":
        out["veth"].append(veth_row(obj, obj.elem, None, trunk=False))
    elif obj.kind in ("VirtualSCSIClientAdapter", "VirtualSCSIServerAdapter"):
        out["vscsi"].append(scsi_row(obj.elem))
        server = obj.elem.find("ServerAdapter")
        if server is not None:
            out["vscsi"].append(scsi_row(server))
    elif obj.kind in ("VirtualFibreChannelClientAdapter", "VirtualFibreChannelServerAdapter"):
        out["vfc"].append(fc_row(obj.elem))
        server = obj.elem.find("ServerAdapter")
        if server is not None:
            out["vfc"].append(fc_row(server))
    for rows in out.values():
        for row in rows:
            row["source"] = f"{obj.file}:{obj.line}"
    return out
