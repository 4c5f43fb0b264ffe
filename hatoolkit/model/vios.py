"""Schemas of the frames that come from Virtual I/O Server captures: mappings, SEAs, EtherChannels, disks, paths.

Every row is keyed by the managed system and the VIOS partition's `vios_lpar_id` (never by the
VIOS host name, which need not match the partition name), plus the device. Column names keep
the VIOS attribute names (`ha_mode`, `real_adapter`, `reserve_policy`, `unique_id`) so evidence
reads in the administrator's terms. Disks are matched across VIOS (dual-VIOS paths, LPM
destination visibility) by `udid`, never by hdisk name: the same LUN is hdisk4 on one VIOS and
hdisk7 on its partner.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from hatoolkit.model.frames import FrameModel

MAPPING_KINDS: tuple[str, ...] = ("scsi", "fc", "net")
# What backs a virtual SCSI target: a whole physical volume (LUN), a logical volume, a file
# (file-backed disk), virtual optical media, a shared storage pool logical unit.
BACKING_TYPES: tuple[str, ...] = ("pv", "lv", "file", "optical", "lu", "fc_port", "ethernet")
HA_MODES: tuple[str, ...] = ("disabled", "auto", "standby", "sharing")

Str = Series[str]
Int = Series[pd.Int64Dtype]
Bool = Series[pd.BooleanDtype]
Obj = Series[object]


def opt(**kw: object) -> object:
    return pa.Field(nullable=True, **kw)


class _ViosFrame(FrameModel):
    """Common identity: the managed system and the VIOS partition the capture was taken on."""

    system: Str
    vios_lpar_id: Int = pa.Field(ge=1)
    vios_name: Str = opt(description="the VIOS partition name (HMC), else its host name")


class ViosMappings(_ViosFrame):
    """One row per virtual server adapter x target (lsmap -all, -npiv, -net; human or -fmt layout).

    `kind=scsi`: a vhost and one virtual target device (VTD) with its backing device; a vhost with
    no VTD is one row with `vtd` NA. `kind=fc`: a vfchost and the physical FC port it is mapped
    to (`backing_device`). `kind=net`: a virtual Ethernet server adapter (SVEA) and the SEA using
    it (`sea`; NA when the adapter is in no SEA). `slot_num` is the server adapter's virtual slot
    (from `-C<n>` of its location code), the join key to the HMC's virtual_scsi/virtual_fc/
    virtual_eth rows of the VIOS.
    """

    kind: Str = pa.Field(isin=MAPPING_KINDS)
    adapter: Str
    slot_num: Int = opt(ge=0)
    adapter_physloc: Str = opt()
    client_lpar_id: Int = opt(ge=1, description="NA when no client is connected (0x00000000)")
    client_name: Str = opt()
    client_os: Str = opt()
    client_slot: Int = opt(ge=0, description="client adapter slot (NPIV: from the VFC client DRC)")
    client_adapter: Str = opt(description="NPIV: the client's fcsN")
    vtd: Str = opt()
    lun: Str = opt()
    status: Str = opt(description="VTD Available/Defined; NPIV LOGGED_IN/NOT_LOGGED_IN; SEA Available")
    backing_device: Str = opt()
    backing_type: Str = opt(isin=BACKING_TYPES)
    backing_physloc: Str = opt()
    mirrored: Bool = opt()
    sea: Str = opt()
    ports_logged_in: Int = opt(ge=0)

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "vios_lpar_id", "adapter", "vtd"]).any()


class Seas(_ViosFrame):
    """One row per Shared Ethernet Adapter (lsdev -dev entX -attr, lssea-style reports, lsmap -net).

    `virt_slots` are the virtual slots of the trunk adapters in `virt_adapters` when the capture
    shows them (lsmap -net, a report, location codes); join them to the HMC's virtual_eth rows of
    the VIOS for trunk priorities and VLANs (hatoolkit.analysis.vios.sea_trunks). `trunk_priority`,
    `vswitch` and `vlans` are filled only when the capture itself states them.
    """

    sea: Str
    ha_mode: Str = opt(isin=HA_MODES)
    state: Str = opt(description="PRIMARY / BACKUP / PRIMARY_SH / BACKUP_SH ... (entstat, reports)")
    real_adapter: Str = opt()
    virt_adapters: Obj = opt(description="tuple of trunk adapter device names")
    virt_slots: Obj = opt(description="tuple of trunk adapter virtual slots, NA when not captured")
    pvid: Int = opt(ge=0)
    pvid_adapter: Str = opt()
    ctl_chan: Str = opt(description="control channel adapter; NA = none (simplified SEA uses VLAN 4095)")
    trunk_priority: Int = opt(ge=0)
    vswitch: Str = opt()
    vlans: Obj = opt(description="tuple of bridged VLAN IDs when the capture lists them")
    jumbo_frames: Bool = opt()
    netaddr: Str = opt()

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "vios_lpar_id", "sea"]).any()


class EtherChannels(_ViosFrame):
    """One row per EtherChannel / link aggregation device (lsdev -dev entX -attr, reports)."""

    device: Str
    adapter_names: Obj = opt(description="tuple of member adapters")
    backup_adapter: Str = opt(description="NIB backup adapter; NA when none")
    mode: Str = opt(description="standard, round_robin, 8023ad, netif_backup")
    hash_mode: Str = opt()
    netaddr: Str = opt()
    use_jumbo_frame: Bool = opt()
    unhealthy_adapters: Obj = opt(description="members with link down or LACP out of sync, when captured")

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "vios_lpar_id", "device"]).any()


class Disks(_ViosFrame):
    """One row per hdisk seen by a VIOS (lsdev -dev hdiskN -attr, reserve_policy listings, chkdev).

    `udid` identifies the LUN across VIOS and systems (chkdev IDENTIFIER/UDID, else the
    `unique_id` attribute); `reserve_policy` must not reserve (single_path, PR_exclusive) for
    dual-VIOS MPIO and for partition mobility.
    """

    hdisk: Str
    udid: Str = opt()
    unique_id: Str = opt()
    pvid: Str = opt()
    reserve_policy: Str = opt()
    algorithm: Str = opt()
    pcm: Str = opt()
    physloc: Str = opt()

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "vios_lpar_id", "hdisk"]).any()


class DiskPaths(_ViosFrame):
    """One row per MPIO path of a disk (lspath): its parent adapter (fscsiN) and state."""

    hdisk: Str
    parent: Str
    status: Str = opt(description="Enabled, Disabled, Failed, Defined, Missing")
    connection: Str = opt()

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "vios_lpar_id", "hdisk", "parent", "connection"]).any()


class ViosAdapters(_ViosFrame):
    """Physical ports of a VIOS and their location codes (lscfg, a report's card list).

    `card_location` is the location of the card the port is on (`U78D3.001.78A1234-P1-C2` for port
    `...-C2-T1`): two ports with one card location fail together with that card.
    """

    device: Str
    physloc: Str = opt()
    card_location: Str = opt()
    description: Str = opt()

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "vios_lpar_id", "device"]).any()
