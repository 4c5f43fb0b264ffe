"""HMC REST API (K2/UOM) XML: managed systems, partitions, pools and I/O slots, in the CLI's terms.

A REST export holds the same facts as the CLI captures under other names (reference §B):
`ConfigurableSystemMemory` is `configurable_sys_mem`, `PartitionType AIX/Linux` is
`lpar_env=aixlinux`, `HardwarePageTableRatio 7` is `hpt_ratio=1:128`. Each table below maps a
REST element path to the Inventory column, the value type and the spelling normaliser
(`rest_norms`), so the REST reader fills exactly the frames and words the CLI reader fills.

Objects refer to each other by UUID (a partition names its managed system in the
`AssociatedManagedSystem` link, a pool lists its partitions as links); those references are
resolved in `hmc_rest_assemble` once every file of the bundle has been read. What REST does not
carry at all is listed in `SOURCE_GAPS` and reported as a data gap, never filled with a default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hatoolkit.ingest import rest_norms as norm
from hatoolkit.ingest.rest_xml import RestObject

Norm = Callable[[str | None], str | None]


@dataclass(frozen=True)
class Field:
    path: str  # ElementTree path of local names under the object
    kind: str  # a key of hatoolkit.ingest.values.CONVERTERS
    norm: Norm | None = None


def _f(path: str, kind: str = "text", fn: Norm | None = None) -> Field:
    return Field(path, kind, fn)


_CAP = "AssociatedSystemCapabilities/"
_PROC = "AssociatedSystemProcessorConfiguration/"
_MEM = "AssociatedSystemMemoryConfiguration/"

SYSTEM_FIELDS: dict[str, Field] = {
    "system": _f("SystemName", "name"),
    "serial_num": _f("MachineTypeModelAndSerialNumber/SerialNumber"),
    "state": _f("State", "text", norm.system_state),
    "ipaddr": _f("PrimaryIPAddress"),
    "active_lpar_mobility_capable": _f(_CAP + "ActiveLogicalPartitionMobilityCapable", "bool"),
    "inactive_lpar_mobility_capable": _f(_CAP + "InactiveLogicalPartitionMobilityCapable", "bool"),
    "os400_capable": _f(_CAP + "IBMiCapable", "bool"),
    "lhea_capable": _f(_CAP + "LogicalHostEthernetAdapterCapable", "bool"),
    "huge_page_mem_capable": _f(_CAP + "HugePageMemoryCapable", "bool"),
    "bsr_capable": _f(_CAP + "BarrierSynchronizationRegisterCapable", "bool"),
    "virtual_fc_capable": _f(_CAP + "VirtualFiberChannelCapable", "bool"),
    "virtual_io_server_capable": _f(_CAP + "VirtualIOServerCapable", "bool"),
    "active_mem_sharing_capable": _f(_CAP + "ActiveMemorySharingCapable", "bool"),
    "cod_proc_capable": _f(_CAP + "CapacityOnDemandProcessorCapable", "bool"),
    "cod_mem_capable": _f(_CAP + "CapacityOnDemandMemoryCapable", "bool"),
    "lpar_remote_restart_capable": _f(_CAP + "LogicalPartitionRemoteRestartCapable", "bool"),
    "powervm_lpar_simplified_remote_restart_capable":
        _f(_CAP + "PowerVMLogicalPartitionSimplifiedRemoteRestartCapable", "bool"),
    "max_lpars": _f("MaximumPartitions", "int"),
    "configurable_sys_proc_units": _f(_PROC + "ConfigurableSystemProcessorUnits", "float"),
    "curr_avail_sys_proc_units": _f(_PROC + "CurrentAvailableSystemProcessorUnits", "float"),
    "pend_avail_sys_proc_units": _f(_PROC + "PendingAvailableSystemProcessorUnits", "float"),
    "installed_sys_proc_units": _f(_PROC + "InstalledSystemProcessorUnits", "float"),
    "deconfig_sys_proc_units": _f(_PROC + "DeconfiguredSystemProcessorUnits", "float"),
    "min_proc_units_per_virtual_proc": _f(_PROC + "MinimumProcessorUnitsPerVirtualProcessor", "float"),
    "max_shared_proc_pools": _f(_PROC + "SharedProcessorPoolCount", "int"),
    "configurable_sys_mem_mb": _f(_MEM + "ConfigurableSystemMemory", "int"),
    "curr_avail_sys_mem_mb": _f(_MEM + "CurrentAvailableSystemMemory", "int"),
    "pend_avail_sys_mem_mb": _f(_MEM + "PendingAvailableSystemMemory", "int"),
    "installed_sys_mem_mb": _f(_MEM + "InstalledSystemMemory", "int"),
    "deconfig_sys_mem_mb": _f(_MEM + "DeconfiguredSystemMemory", "int"),
    "sys_firmware_mem_mb": _f(_MEM + "MemoryUsedByHypervisor", "int"),
    "mem_region_size_mb": _f(_MEM + "MemoryRegionSize", "int"),
    "default_hpt_ratio": _f(_MEM + "DefaultHardwarePageTableRatio", "hpt", norm.hpt_ratio),
}

_PC = "PartitionProcessorConfiguration/"
_CSPC = _PC + "CurrentSharedProcessorConfiguration/"
_CDPC = _PC + "CurrentDedicatedProcessorConfiguration/"
_SPC = _PC + "SharedProcessorConfiguration/"
_DPC = _PC + "DedicatedProcessorConfiguration/"
_PM = "PartitionMemoryConfiguration/"

PARTITION_FIELDS: dict[str, Field] = {
    "name": _f("PartitionName", "name"),
    "lpar_id": _f("PartitionID", "int"),
    "lpar_env": _f("PartitionType", "text", norm.partition_type),
    "state": _f("PartitionState", "text", norm.partition_state),
    "os_version": _f("OperatingSystemVersion"),
    "rmc_state": _f("ResourceMonitoringControlState"),
    "rmc_ipaddr": _f("ResourceMonitoringIPAddress"),
    "curr_profile": _f("LastActivatedProfile", "name"),
    "logical_serial_num": _f("LogicalSerialNumber"),
    "curr_lpar_proc_compat_mode": _f("CurrentProcessorCompatibilityMode", "text", norm.compat_mode),
    "desired_lpar_proc_compat_mode": _f("PendingProcessorCompatibilityMode", "text", norm.compat_mode),
    "redundant_err_path_reporting": _f("IsRedundantErrorPathReportingEnabled", "bool"),
    "msp": _f("MoverServicePartition", "bool"),
    "migration_disabled": _f("MigrationDisable", "bool"),
    "remote_restart_capable": _f("RemoteRestartCapable", "bool"),
    "simplified_remote_restart_capable": _f("SimplifiedRemoteRestartCapable", "bool"),
    "suspend_capable": _f("SuspendCapable", "bool"),
    "lpar_avail_priority": _f("AvailabilityPriority", "int"),
    "curr_proc_mode": _f(_PC + "CurrentHasDedicatedProcessors", "text", norm.dedicated),
    "curr_sharing_mode": _f(_PC + "CurrentSharingMode", "text", norm.sharing_mode),
    "curr_min_mem_mb": _f(_PM + "CurrentMinimumMemory", "int"),
    "curr_mem_mb": _f(_PM + "CurrentMemory", "int"),
    "curr_max_mem_mb": _f(_PM + "CurrentMaximumMemory", "int"),
    "run_mem_mb": _f(_PM + "RuntimeMemory", "int"),
    "mem_mode": _f(_PM + "SharedMemoryEnabled", "text", norm.memory_mode),
    "curr_hpt_ratio": _f(_PM + "CurrentHardwarePageTableRatio", "hpt", norm.hpt_ratio),
    "curr_num_huge_pages": _f(_PM + "CurrentHugePageCount", "int"),
}
# Read only for shared-processor partitions (the CLI omits them for dedicated ones) ...
PARTITION_SHARED: dict[str, Field] = {
    "curr_shared_proc_pool_id": _f(_CSPC + "CurrentSharedProcessorPoolID", "int"),
    "curr_min_proc_units": _f(_CSPC + "CurrentMinimumProcessingUnits", "float"),
    "curr_proc_units": _f(_CSPC + "CurrentProcessingUnits", "float"),
    "curr_max_proc_units": _f(_CSPC + "CurrentMaximumProcessingUnits", "float"),
    "curr_min_procs": _f(_CSPC + "CurrentMinimumVirtualProcessors", "int"),
    "curr_procs": _f(_CSPC + "AllocatedVirtualProcessors", "int"),
    "curr_max_procs": _f(_CSPC + "CurrentMaximumVirtualProcessors", "int"),
    "curr_uncap_weight": _f(_CSPC + "CurrentUncappedWeight", "int"),
    "run_proc_units": _f(_CSPC + "RuntimeProcessingUnits", "float"),
}
# ... and these only for dedicated ones.
PARTITION_DEDICATED: dict[str, Field] = {
    "curr_min_procs": _f(_CDPC + "CurrentMinimumProcessors", "int"),
    "curr_procs": _f(_CDPC + "CurrentProcessors", "int"),
    "curr_max_procs": _f(_CDPC + "CurrentMaximumProcessors", "int"),
    "run_procs": _f(_CDPC + "RunProcessors", "int"),
}
# A partition that is not activated holds no resources: the CLI reports its current and runtime
# amounts as 0, while REST repeats the configured amounts (or stale runtime values). These columns
# are set to 0 for `Not Activated` partitions so both sources mean the same thing.
NOT_ACTIVATED_ZERO: tuple[str, ...] = (
    "curr_min_proc_units", "curr_proc_units", "curr_max_proc_units", "curr_min_procs", "curr_procs",
    "curr_max_procs", "curr_uncap_weight", "run_proc_units", "run_procs", "curr_min_mem_mb", "curr_mem_mb",
    "curr_max_mem_mb", "run_mem_mb", "curr_num_huge_pages",
)

PROFILE_FIELDS: dict[str, Field] = {
    "profile": _f("LastActivatedProfile", "name"),
    "lpar_name": _f("PartitionName", "name"),
    "lpar_id": _f("PartitionID", "int"),
    "lpar_env": _f("PartitionType", "text", norm.partition_type),
    "min_mem_mb": _f(_PM + "MinimumMemory", "int"),
    "desired_mem_mb": _f(_PM + "DesiredMemory", "int"),
    "max_mem_mb": _f(_PM + "MaximumMemory", "int"),
    "mem_mode": _f(_PM + "SharedMemoryEnabled", "text", norm.memory_mode),
    "hpt_ratio": _f(_PM + "HardwarePageTableRatio", "hpt", norm.hpt_ratio),
    "proc_mode": _f(_PC + "HasDedicatedProcessors", "text", norm.dedicated),
    "sharing_mode": _f(_PC + "SharingMode", "text", norm.sharing_mode),
    "min_num_huge_pages": _f(_PM + "MinimumHugePageCount", "int"),
    "desired_num_huge_pages": _f(_PM + "DesiredHugePageCount", "int"),
    "max_num_huge_pages": _f(_PM + "MaximumHugePageCount", "int"),
    "bsr_arrays": _f(_PM + "BarrierSynchronizationRegisterArrayCount", "int"),
    "redundant_err_path_reporting": _f("IsRedundantErrorPathReportingEnabled", "bool"),
    "lpar_proc_compat_mode": _f("PendingProcessorCompatibilityMode", "text", norm.compat_mode),
    "max_virtual_slots": _f("PartitionIOConfiguration/MaximumVirtualIOSlots", "int"),
    "auto_start": _f("AutoStart", "bool"),
    "boot_mode": _f("BootMode", "text", norm.boot_mode),
}
PROFILE_SHARED: dict[str, Field] = {
    "min_proc_units": _f(_SPC + "MinimumProcessingUnits", "float"),
    "desired_proc_units": _f(_SPC + "DesiredProcessingUnits", "float"),
    "max_proc_units": _f(_SPC + "MaximumProcessingUnits", "float"),
    "min_procs": _f(_SPC + "MinimumVirtualProcessors", "int"),
    "desired_procs": _f(_SPC + "DesiredVirtualProcessors", "int"),
    "max_procs": _f(_SPC + "MaximumVirtualProcessors", "int"),
    "uncap_weight": _f(_SPC + "UncappedWeight", "int"),
    "shared_proc_pool_id": _f(_SPC + "SharedProcessorPoolID", "int"),
}
PROFILE_DEDICATED: dict[str, Field] = {
    "min_procs": _f(_DPC + "MinimumProcessors", "int"),
    "desired_procs": _f(_DPC + "DesiredProcessors", "int"),
    "max_procs": _f(_DPC + "MaximumProcessors", "int"),
}

POOL_FIELDS: dict[str, Field] = {
    "shared_proc_pool_id": _f("PoolID", "int"),
    "name": _f("PoolName", "name"),
    "max_pool_proc_units": _f("MaximumProcessingUnits", "float"),
    "curr_reserved_pool_proc_units": _f("CurrentReservedProcessingUnits", "float"),
    "pend_reserved_pool_proc_units": _f("PendingReservedProcessingUnits", "float"),
}

IO_SLOT_FIELDS: dict[str, Field] = {
    "drc_name": _f("SlotDynamicReconfigurationConnectorName"),
    "unit_phys_loc": _f("IOUnitPhysicalLocation"),
    "phys_loc": _f("SlotPhysicalLocationCode"),
    "description": _f("Description"),
    "lpar_id": _f("PartitionID", "int"),
    "lpar_name": _f("PartitionName", "name"),
    "iop": _f("RelatedIBMiIOSlot/IOP", "bool"),
}

# Inventory columns the REST API does not carry (or carries only as links without the value).
# Each is a documented data gap: the reader leaves them missing and says so once per bundle.
SOURCE_GAPS: dict[str, dict[str, str]] = {
    "systems": {
        "powervm_lpar_remote_restart_capable": "REST has only the simplified remote restart capability",
        "service_lpar_id": "REST names the service partition only as a link",
    },
    "partitions": {
        "default_profile": "REST links the default profile but does not name it",
        "work_group_id": "REST has no workload group",
        "run_procs": "REST has no runtime virtual-processor count for shared-processor partitions",
    },
    "profiles": {
        "work_group_id": "REST has no workload group",
        "lhea_logical_ports": "REST lists HEA logical ports as links",
        "virtual_scsi_adapters": "REST describes adapters as objects, not as the profile's adapter list",
        "virtual_eth_adapters": "REST describes adapters as objects, not as the profile's adapter list",
        "virtual_fc_adapters": "REST describes adapters as objects, not as the profile's adapter list",
    },
    "io_slots": {
        "bus_id": "REST I/O slots do not carry the bus number",
    },
    "hea_ports": {
        "*": "REST lists a partition's HEA (IVE) logical ports without adapter, port group and physical port",
    },
    # VIOS side (VirtualIOServer and NetworkBridge entries, hmc_rest_vios): what the VIOS prints and REST does not.
    "vios_mappings": {
        "status": "REST has no virtual target device status (Available/Defined) nor NPIV login status",
        "mirrored": "REST does not say whether a virtual target device is mirrored",
        "client_name": "REST names no NPIV client as the VIOS sees it logged in (lsmap -npiv ClntName)",
        "client_os": "REST has no NPIV client OS (lsmap -npiv ClntOS)",
        "client_adapter": "REST does not name the NPIV client's fcsN device",
        "ports_logged_in": "REST has no count of logged-in NPIV ports",
    },
    "seas": {
        "state": "REST has no SEA failover state (PRIMARY/BACKUP: entstat)",
        "netaddr": "REST has no SEA netaddr (the address the SEA pings to decide failover)",
    },
    "etherchannels": {
        "*": "REST VIOS entries list no EtherChannel / link aggregation devices (members, mode, backup adapter): "
             "an SEA's real adapter is named but not described",
    },
    "disks": {
        "pvid": "REST PhysicalVolume has no PVID",
        "pcm": "REST has no path control module (PCM) of a disk",
    },
    "disk_paths": {
        "*": "REST has no MPIO paths of VIOS disks (lspath)",
    },
}
# Rows (not columns) a source cannot give: reported in the same source_gap message as the columns.
ROW_GAPS: dict[str, str] = {
    "vios_mappings": "kind=net rows of virtual Ethernet adapters that are not trunk adapters (control channel, the "
                     "VIOS's own interfaces): REST names only trunk adapters' devices",
}


def field_values(obj: RestObject, fields: dict[str, Field]) -> dict[str, str | None]:
    """Raw (normalised) text of each field; absent elements are None."""
    out: dict[str, str | None] = {}
    for column, spec in fields.items():
        value = obj.text(spec.path)
        out[column] = spec.norm(value) if spec.norm is not None and value is not None else value
    return out


def field_kinds(*tables: dict[str, Field]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for table in tables:
        kinds.update({column: spec.kind for column, spec in table.items()})
    return kinds


def link_uuid(obj: RestObject, element: str, kind: str) -> str | None:
    """UUID of the `kind` object an element's <link href=...> points at (e.g. AssociatedManagedSystem)."""
    holders = obj.elem.findall(element)
    for link in holders + [lk for h in holders for lk in h.findall("link")]:
        href = link.get("href", "")
        marker = f"/{kind}/"
        if marker in href:
            return href.split(marker, 1)[1].split("/", 1)[0].split("?", 1)[0]
    return None


def linked_uuids(obj: RestObject, element: str) -> list[str]:
    """UUIDs at the end of every link inside `element`, in document order."""
    out = []
    for link in obj.elem.findall(f"{element}/link"):
        href = link.get("href", "").split("?", 1)[0].rstrip("/")
        if href:
            out.append(href.rsplit("/", 1)[-1])
    return out


def hex_drc(value: str | None) -> str | None:
    """REST DRC indexes are decimal (553713687); the CLI prints them as hex (21010017)."""
    if value is None or not value.strip().isdigit():
        return value
    return f"{int(value):08X}"


def system_row(obj: RestObject) -> dict[str, str | None]:
    row = field_values(obj, SYSTEM_FIELDS)
    mtype = obj.text("MachineTypeModelAndSerialNumber/MachineType")
    model = obj.text("MachineTypeModelAndSerialNumber/Model")
    row["type_model"] = f"{mtype}-{model}" if mtype and model else None
    modes = [norm.compat_mode(e.text) for e in
             obj.elem.findall(_PROC + "SupportedPartitionProcessorCompatibilityModes") if e.text]
    row["lpar_proc_compat_modes"] = ",".join(m for m in modes if m) if modes else None
    return row


def partition_row(obj: RestObject) -> dict[str, str | None]:
    row = field_values(obj, PARTITION_FIELDS)
    extra = PARTITION_DEDICATED if row.get("curr_proc_mode") == "ded" else PARTITION_SHARED
    row.update(field_values(obj, extra))
    if (row.get("state") or "") == "Not Activated":
        for column in NOT_ACTIVATED_ZERO:
            if row.get(column) is not None or column in extra:
                row[column] = "0"
    return row


def profile_row(obj: RestObject) -> dict[str, str | None] | None:
    """The partition's configuration as the profile it was activated with, when REST says they agree.

    REST carries the partition's desired/minimum/maximum configuration, not the profile objects. With
    `CurrentProfileSync` On (the HMC keeps the last activated profile in step with the configuration)
    that configuration *is* the profile named in `LastActivatedProfile`; otherwise it is not, and no
    profile row is made (the caller reports the gap).
    """
    sync = (obj.text("CurrentProfileSync") or "on").strip().lower()
    if not obj.text("LastActivatedProfile") or sync != "on":
        return None
    row = field_values(obj, PROFILE_FIELDS)
    extra = PROFILE_DEDICATED if row.get("proc_mode") == "ded" else PROFILE_SHARED
    row.update(field_values(obj, extra))
    slots = []
    for slot in obj.elem.findall("PartitionIOConfiguration/ProfileIOSlots/ProfileIOSlot"):
        drc = hex_drc(slot.findtext("AssociatedIOSlot/SlotDynamicReconfigurationConnectorIndex"))
        required = (slot.findtext("IsRequired") or "").strip().lower() == "true"
        if drc:
            slots.append(f"{drc}/none/{int(required)}")
    row["io_slots"] = ",".join(slots) if slots else "none"
    return row


def pool_row(obj: RestObject) -> dict[str, str | None]:
    row = field_values(obj, POOL_FIELDS)
    if row.get("shared_proc_pool_id") == "0":
        # The default pool is bounded only by the system; the CLI reports max_pool_proc_units=null.
        row["max_pool_proc_units"] = None
    return row


def io_slot_rows(obj: RestObject) -> list[dict[str, str | None]]:
    rows = []
    for slot in obj.elem.findall("AssociatedSystemIOConfiguration/IOSlots/IOSlot"):
        sub = RestObject("IOSlot", slot, obj.file, obj.line, obj.self_href)
        row = field_values(sub, IO_SLOT_FIELDS)
        row["drc_index"] = hex_drc(sub.text("SlotDynamicReconfigurationConnectorIndex"))
        pci = sub.text("PCIClass")
        row["pci_class"] = f"{int(pci):04X}" if pci and pci.isdigit() else pci
        codes = [e.text.strip() for e in slot.findall("FeatureCodes") if e.text and e.text.strip() not in ("", "0")]
        row["feature_codes"] = ",".join(dict.fromkeys(codes)) if codes else "none"
        pool = sub.text("RelatedIBMiIOSlot/IOPoolID")
        row["slot_io_pool_id"] = None if pool in (None, "65535") else pool
        parent = sub.text("ParentSlotDynamicReconfigurationConnectorIndex")
        row["parent_slot_drc_index"] = hex_drc(parent) if parent and parent != sub.text(
            "SlotDynamicReconfigurationConnectorIndex") else None
        if row.get("lpar_id") in ("65535", "0"):
            row["lpar_id"], row["lpar_name"] = None, None
        rows.append(row)
    return rows


IO_SLOT_KINDS = field_kinds(IO_SLOT_FIELDS) | {
    "drc_index": "name", "pci_class": "text", "feature_codes": "str_list", "slot_io_pool_id": "text",
    "parent_slot_drc_index": "text",
}
SYSTEM_KINDS = field_kinds(SYSTEM_FIELDS) | {"type_model": "text", "lpar_proc_compat_modes": "str_list"}
PARTITION_KINDS = field_kinds(PARTITION_FIELDS, PARTITION_SHARED, PARTITION_DEDICATED)
PROFILE_KINDS = field_kinds(PROFILE_FIELDS, PROFILE_SHARED, PROFILE_DEDICATED) | {"io_slots": "str_list"}
POOL_KINDS = field_kinds(POOL_FIELDS)
