"""Schemas of the IBM i exports behind network and storage redundancy: interfaces, lines, ASPs, disk units.

Like the other IBM i frames, every row names the managed `system` and the IBM i `partition` the
export was taken on. `interfaces` and `lines` come from the hosting partition (which virtual LAN
it proxies to which physical port), `asps` from every IBM i host with an IASP (geographic
mirroring), `disk_units` from a *guest* IBM i (how its disk units are mirrored and which virtual
adapter serves each one). Column names are IBM's column names lower-cased where IBM defines them
(`internet_address`, `line_description`, `asp_number`, `unit_number`, `mirrored_unit_status`);
values derived by the parser from a location code (`slot_num`, `client_slot`, `lun`) say so.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from hatoolkit.model.frames import FrameModel

Str = Series[str]
Int = Series[pd.Int64Dtype]
Bool = Series[pd.BooleanDtype]
Obj = Series[object]

# IBM i LINE_DESCRIPTION special values of NETSTAT_INTERFACE_INFO: not lines, no physical resource.
VIRTUAL_IP_LINE = "*VIRTUALIP"
SPECIAL_LINES: tuple[str, ...] = ("*VIRTUALIP", "*LOOPBACK", "*OPC", "*ELAN", "*TRLAN", "*DDI", "*FRLAN")


def opt(**kw: object) -> object:
    return pa.Field(nullable=True, **kw)


class Interfaces(FrameModel):
    """TCP/IP interfaces of an IBM i partition (QSYS2.NETSTAT_INTERFACE_INFO), one row per address.

    A virtual IP (`line_description` *VIRTUALIP) with proxy ARP is reached through the first
    active interface of `preferred_interfaces` (priority order); `current_proxy_line` is the line
    carrying it now. An interface on a virtual Ethernet line whose `associated_local_interface`
    names another interface is proxied through it (transparent subnetting): that is how an IBM i
    hosting partition bridges the virtual LAN of its guests to the outside.
    """

    system: Str
    partition: Str
    internet_address: Str
    line_description: Str = opt(description="line name, or *VIRTUALIP / *LOOPBACK ...")
    line_type: Str = opt(description="INTERFACE_LINE_TYPE: ELAN, VETH, VIRTUALIP ...")
    status: Str = opt(description="INTERFACE_STATUS: ACTIVE, INACTIVE, STARTING, FAILED ...")
    connection_type: Str = opt()
    subnet_mask: Str = opt()
    network_address: Str = opt()
    vlan_id: Int = opt(ge=0, description="VIRTUAL_LAN_ID (NONE -> NA)")
    autostart: Bool = opt()
    alias_name: Str = opt()
    proxy_arp_allowed: Bool = opt()
    proxy_arp_enabled: Bool = opt()
    preferred_interfaces: Obj = opt(description="tuple of addresses in priority order; () when the list is empty")
    preferred_separator: Str = opt(description="how the export separated the list: space, comma (NA: 0-1 entries)")
    preferred_default_route: Bool = opt()
    preferred_lines: Obj = opt(description="tuple, PREFERRED_PHYSICAL_LINE_LIST")
    current_proxy_line: Str = opt(description="CURRENT_PROXY_AGENT_LINE: the line proxying this virtual IP now")
    current_proxy_vlan: Int = opt(ge=0)
    associated_local_interface: Str = opt(description="address of the interface this one is proxied through")
    text: Str = opt()

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "partition", "internet_address"]).any()


class Lines(FrameModel):
    """Ethernet line descriptions of an IBM i partition and the hardware resource each one uses.

    `location_code` is the resource's physical location: `U78D3.001.06C9012-P1-C4-T1` (port T1
    of the card in slot C4), or `U8205.E6C.06C9012-V1-C6-T1` for a virtual Ethernet adapter
    (partition 1, virtual slot 6: `slot_num`). An HEA/IVE logical port is recognised through its
    `mac_address`, which the HMC lists for the logical port and its physical port. An aggregated
    line (`resource_name` *AGG) lists its ports in `aggregate_resources`.
    """

    system: Str
    partition: Str
    line_description: Str
    line_type: Str = opt(description="CRTLIN command type: ETH ...")
    resource_name: Str = opt(description="RSRCNAME: CMNnn, *AGG, *NWID")
    aggregate_resources: Obj = opt(description="tuple, AGGRSCL of an aggregated line")
    resource_type: Str = opt(description="hardware type of the resource, e.g. 268C (virtual Ethernet)")
    resource_status: Str = opt()
    location_code: Str = opt()
    card_location: Str = opt(description="location code of the card (the port's -T<n> removed); NA for virtual")
    port: Str = opt(description="port of the card, e.g. T1")
    slot_num: Int = opt(ge=0, description="virtual slot from -V<id>-C<slot> of a virtual adapter's location")
    mac_address: Str = opt(description="12 upper-case hex digits")

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "partition", "line_description"]).any()


class Asps(FrameModel):
    """Auxiliary storage pools of an IBM i partition (QSYS2.ASP_INFO) with their geographic mirroring.

    `geo_role` says which copy this node holds (PRODUCTION or MIRROR); `mirror_copy_node` names
    the cluster node holding the other copy (resolved to a managed system through that node's own
    exports, or `mirror_copy_serial`). A mirror copy on the same physical system protects nothing
    against the loss of that system.
    """

    system: Str
    partition: Str
    asp_number: Int = pa.Field(ge=1)
    aspdev: Str = opt(description="DEVICE_DESCRIPTION_NAME (IASP device); NA for the system and basic ASPs")
    asp_type: Str = opt()
    asp_state: Str = opt()
    number_of_disk_units: Int = opt(ge=0)
    geo_session: Str = opt(description="geographic mirroring ASP session name; NA = not geographically mirrored")
    geo_role: Str = opt(description="PRODUCTION or MIRROR: the copy this node holds")
    geo_session_state: Str = opt(description="ACTIVE, SUSPENDED, DETACHED ...")
    geo_sync_status: Str = opt(description="GEOGRAPHIC_MIRROR_SYNCHRONIZATION_STATUS")
    geo_delivery: Str = opt(description="GEOGRAPHIC_MIRROR_TRANSMISSION_DELIVERY: SYNC or ASYNC")
    geo_sync_progress_pct: Int = opt(ge=0, le=100)
    mirror_copy_node: Str = opt()
    mirror_copy_serial: Str = opt(description="serial number of the managed system holding the other copy")

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "partition", "asp_number"]).any()


class DiskUnits(FrameModel):
    """Disk units as a (guest) IBM i partition sees them (QSYS2.SYSDISKSTAT + hardware resources).

    One row per disk resource: the two halves of a mirrored pair share `asp_number` and
    `unit_number` with `mirrored_unit_status` set; the paths of a multipath unit share its
    `serial_number` (`multiple_path_unit`). `client_lpar_id`, `client_slot` and `lun` are read
    from the resource's location code (`U8205.E6C.06C9012-V2-C4-T1-L8100000000000000`): the
    partition's own virtual SCSI or Fibre Channel client adapter, which the HMC ties to the
    hosting partition (VIOS or IBM i) that serves the unit.
    """

    system: Str
    partition: Str
    resource_name: Str
    asp_number: Int = opt(ge=1)
    unit_number: Int = opt(ge=0, description="0 = not configured")
    serial_number: Str = opt()
    disk_type: Str = opt()
    disk_model: Str = opt()
    resource_status: Str = opt()
    multiple_path_unit: Bool = opt()
    mirrored_unit_status: Str = opt(description="ACTIVE, RESUMING, SUSPENDED ...; NA = unit not mirrored")
    capacity_mb: Int = opt(ge=0)
    location_code: Str = opt()
    client_lpar_id: Int = opt(ge=1, description="from -V<id> of the location code")
    client_slot: Int = opt(ge=0, description="from -C<slot>: the client adapter serving the unit")
    lun: Str = opt(description="from -L<lun>, upper-case hex")
    wwpn: Str = opt(description="from -W<wwpn> (NPIV), upper-case hex")

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "partition", "resource_name"]).any()
