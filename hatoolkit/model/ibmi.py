"""Schemas of the frames that come from IBM i exports (hatoolkit/collect/ibmi): hosts, NWSDs, storage spaces, saves.

Every row names the managed `system` and the IBM i `partition` the export was taken on (the
hosting partition), so a row joins the HMC frames on names the HMC also uses. Timestamps are
tz-aware UTC: IBM i exports local time, and ingest localises it with the zone the export states
(see docs/formats.md, "IBM i time zone"); `time_zone` says which zone was used. Sizes are MB.
Column names follow IBM's CL keywords (`nwsstg`, `drvseqnbr`, `rsrcname`, `ptnnbr`) lower-cased.
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
Ts = Series[pd.DatetimeTZDtype(unit="us", tz="UTC")]

SAVE_OPERATIONS: tuple[str, ...] = ("SAV", "RST")
# SAV SAVACT values (IBM i 7.x SAV command); *NO = saved while the server was varied off.
SAVACT_VALUES: tuple[str, ...] = ("*NO", "*YES", "*SYNC", "*SYSDFN")


def opt(**kw: object) -> object:
    return pa.Field(nullable=True, **kw)


class IbmiPartitions(FrameModel):
    """One row per IBM i partition that exported data: identity, release, zone, which exports it gave."""

    system: Str
    partition: Str
    lpar_id: Int = opt(ge=1)
    system_name: Str = opt(description="IBM i system name (network attribute SYSNAME / local RDB)")
    host_name: Str = opt()
    os_version: Int = opt(ge=1)
    os_release: Int = opt(ge=0)
    serial_num: Str = opt()
    type_model: Str = opt()
    qtimzon: Str = opt()
    utc_offset_min: Int = opt(description="QUTCOFFSET at export time, minutes east of UTC")
    time_zone: Str = opt(description="zone used to read this host's local timestamps")
    exported_at: Ts = opt()
    exports: Obj = opt(description="tuple of export kinds found for this host (partition, nwsds, ...)")

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "partition"]).any()


class Nwsds(FrameModel):
    """Network server descriptions (*NWSD) on an IBM i host: which partition each one serves."""

    system: Str
    partition: Str
    nwsd: Str
    nwsd_type: Str = opt(description="CRTNWSD TYPE, e.g. '*GUEST *OPSYS'")
    rsrcname: Str = opt(description="virtual SCSI server adapter resource (CTLxx)")
    guest_partition: Str = opt(description="CRTNWSD PARTITION: the hosted partition's name")
    guest_lpar_id: Int = opt(ge=1, description="CRTNWSD PTNNBR")
    text: Str = opt()
    created_at: Ts = opt()
    changed_at: Ts = opt()
    saved_at: Ts = opt()
    restored_at: Ts = opt()
    time_zone: Str = opt()


class StorageSpaces(FrameModel):
    """Network server storage spaces (/QFPNWSSTG/<name>), one row per storage link (unlinked: nwsd NA)."""

    system: Str
    partition: Str
    nwsstg: Str
    path: Str = opt()
    size_mb: Int = opt(ge=0)
    asp: Int = opt(ge=1)
    aspdev: Str = opt(description="IASP device name; NA in *SYSBAS")
    format: Str = opt()
    nwsd: Str = opt()
    drvseqnbr: Int = opt(ge=1)
    access: Str = opt()
    dynamic: Bool = opt()
    data_changed_at: Ts = opt(description="last change of the disk image (production data changed)")
    created_at: Ts = opt()
    time_zone: Str = opt()


class SaveEvents(FrameModel):
    """Save (SAV) and restore (RST) operations of storage spaces, as logged on the host that ran them."""

    system: Str
    partition: Str
    operation: Str = pa.Field(isin=SAVE_OPERATIONS)
    nwsstg: Str = pa.Field(description="storage space on this host (for RST: the name it was restored as)")
    saved_nwsstg: Str = opt(description="name of the storage space as saved (differs after a rename)")
    object_path: Str = opt()
    started_at: Ts = opt()
    ended_at: Ts = opt()
    saved_at: Ts = opt(description="save point of the copy (for RST: of the copy restored)")
    save_active: Str = opt(isin=SAVACT_VALUES)
    save_active_opt: Str = opt()
    device: Str = opt()
    volume: Str = opt()
    source_system: Str = opt(description="IBM i system name the copy was saved on")
    succeeded: Bool = opt()
    message_id: Str = opt()
    time_zone: Str = opt()
