"""Schemas of the frames that come from the HMC: systems, partitions, profiles, pools, I/O.

Column names keep the HMC CLI attribute names (so evidence reads in the user's own terms) with a
unit suffix where the HMC leaves it implicit: memory is `_mb`, processors are `proc_units`
(decimal processing units) or `procs` (whole processors / virtual processors). List attributes
are tuples. Keys are `system` + `lpar_id`; names alone are never keys.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from hatoolkit.model.frames import FrameModel

LPAR_ENVS: tuple[str, ...] = ("aixlinux", "vioserver", "os400")
PROC_MODES: tuple[str, ...] = ("shared", "ded")
ADAPTER_TYPES: tuple[str, ...] = ("client", "server")

Str = Series[str]
Int = Series[pd.Int64Dtype]
Float = Series[pd.Float64Dtype]
Bool = Series[pd.BooleanDtype]
Obj = Series[object]


def opt(**kw: object) -> object:
    """A nullable field: most HMC attributes are absent on some releases or some records."""
    return pa.Field(nullable=True, **kw)


class Systems(FrameModel):
    """One row per managed system (lssyscfg -r sys + lshwres -r proc|mem --level sys)."""

    system: Str = pa.Field(unique=True)
    hmc: Str = opt()
    type_model: Str = opt()
    serial_num: Str = opt()
    state: Str = opt()
    ipaddr: Str = opt()
    active_lpar_mobility_capable: Bool = opt()
    inactive_lpar_mobility_capable: Bool = opt()
    lpar_proc_compat_modes: Obj = opt()
    os400_capable: Bool = opt()
    lhea_capable: Bool = opt()
    huge_page_mem_capable: Bool = opt()
    bsr_capable: Bool = opt()
    virtual_fc_capable: Bool = opt()
    virtual_io_server_capable: Bool = opt()
    active_mem_sharing_capable: Bool = opt()
    cod_proc_capable: Bool = opt()
    cod_mem_capable: Bool = opt()
    lpar_remote_restart_capable: Bool = opt()
    powervm_lpar_remote_restart_capable: Bool = opt()
    powervm_lpar_simplified_remote_restart_capable: Bool = opt()
    max_lpars: Int = opt(ge=0)
    service_lpar_id: Int = opt(ge=0)
    configurable_sys_proc_units: Float = opt(ge=0)
    curr_avail_sys_proc_units: Float = opt(ge=0)
    pend_avail_sys_proc_units: Float = opt(ge=0)
    installed_sys_proc_units: Float = opt(ge=0)
    deconfig_sys_proc_units: Float = opt(ge=0)
    min_proc_units_per_virtual_proc: Float = opt(ge=0)
    max_shared_proc_pools: Int = opt(ge=0)
    configurable_sys_mem_mb: Int = opt(ge=0)
    curr_avail_sys_mem_mb: Int = opt(ge=0)
    pend_avail_sys_mem_mb: Int = opt(ge=0)
    installed_sys_mem_mb: Int = opt(ge=0)
    deconfig_sys_mem_mb: Int = opt(ge=0)
    sys_firmware_mem_mb: Int = opt(ge=0)
    mem_region_size_mb: Int = opt(ge=0)
    default_hpt_ratio: Int = opt(ge=1, description="1:N hardware page table ratio, stored as N")


class Partitions(FrameModel):
    """One row per partition, VIOS and IBM i hosting partitions included (lssyscfg -r lpar + lshwres)."""

    system: Str
    lpar_id: Int = pa.Field(ge=1)
    name: Str = opt()
    lpar_env: Str = opt(isin=LPAR_ENVS)
    state: Str = opt()
    os_version: Str = opt()
    rmc_state: Str = opt()
    rmc_ipaddr: Str = opt()
    curr_profile: Str = opt()
    default_profile: Str = opt()
    logical_serial_num: Str = opt()
    curr_lpar_proc_compat_mode: Str = opt()
    desired_lpar_proc_compat_mode: Str = opt()
    redundant_err_path_reporting: Bool = opt()
    work_group_id: Str = opt()
    msp: Bool = opt()
    migration_disabled: Bool = opt()
    remote_restart_capable: Bool = opt()
    simplified_remote_restart_capable: Bool = opt()
    suspend_capable: Bool = opt()
    lpar_avail_priority: Int = opt(ge=0)
    curr_proc_mode: Str = opt(isin=PROC_MODES)
    curr_shared_proc_pool_id: Int = opt(ge=0)
    curr_min_proc_units: Float = opt(ge=0)
    curr_proc_units: Float = opt(ge=0)
    curr_max_proc_units: Float = opt(ge=0)
    curr_min_procs: Int = opt(ge=0)
    curr_procs: Int = opt(ge=0)
    curr_max_procs: Int = opt(ge=0)
    curr_sharing_mode: Str = opt()
    curr_uncap_weight: Int = opt(ge=0)
    run_proc_units: Float = opt(ge=0)
    run_procs: Int = opt(ge=0)
    curr_min_mem_mb: Int = opt(ge=0)
    curr_mem_mb: Int = opt(ge=0)
    curr_max_mem_mb: Int = opt(ge=0)
    run_mem_mb: Int = opt(ge=0)
    mem_mode: Str = opt()
    curr_hpt_ratio: Int = opt(ge=1)
    curr_num_huge_pages: Int = opt(ge=0)

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "lpar_id"]).any()


class Profiles(FrameModel):
    """One row per partition profile (lssyscfg -r prof): what a cold restart activates."""

    system: Str
    lpar_id: Int = pa.Field(ge=1)
    lpar_name: Str = opt()
    profile: Str
    lpar_env: Str = opt(isin=LPAR_ENVS)
    min_mem_mb: Int = opt(ge=0)
    desired_mem_mb: Int = opt(ge=0)
    max_mem_mb: Int = opt(ge=0)
    mem_mode: Str = opt()
    hpt_ratio: Int = opt(ge=1)
    proc_mode: Str = opt(isin=PROC_MODES)
    min_proc_units: Float = opt(ge=0)
    desired_proc_units: Float = opt(ge=0)
    max_proc_units: Float = opt(ge=0)
    min_procs: Int = opt(ge=0)
    desired_procs: Int = opt(ge=0)
    max_procs: Int = opt(ge=0)
    sharing_mode: Str = opt()
    uncap_weight: Int = opt(ge=0)
    shared_proc_pool_id: Int = opt(ge=0)
    shared_proc_pool_name: Str = opt()
    min_num_huge_pages: Int = opt(ge=0)
    desired_num_huge_pages: Int = opt(ge=0)
    max_num_huge_pages: Int = opt(ge=0)
    bsr_arrays: Int = opt(ge=0)
    redundant_err_path_reporting: Bool = opt()
    lpar_proc_compat_mode: Str = opt()
    max_virtual_slots: Int = opt(ge=0)
    work_group_id: Str = opt()
    auto_start: Bool = opt()
    boot_mode: Str = opt()
    io_slots: Obj = opt(description="tuple of drc_index")
    lhea_logical_ports: Obj = opt(description="tuple of adapter/port_group/phys_port/logical_port/vlans")
    virtual_scsi_adapters: Obj = opt()
    virtual_eth_adapters: Obj = opt()
    virtual_fc_adapters: Obj = opt()

    @pa.dataframe_check
    @classmethod
    def key_unique(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["system", "lpar_id", "profile"]).any()


class ProcPools(FrameModel):
    """Shared processor pools (lshwres -r procpool); DefaultPool (id 0) has no max."""

    system: Str
    shared_proc_pool_id: Int = pa.Field(ge=0)
    name: Str = opt()
    max_pool_proc_units: Float = opt(ge=0)
    curr_reserved_pool_proc_units: Float = opt(ge=0)
    pend_reserved_pool_proc_units: Float = opt(ge=0)
    lpar_ids: Obj = opt()
    lpar_names: Obj = opt()


class IoSlots(FrameModel):
    """Physical I/O slots (lshwres -r io --rsubtype slot); `lpar_id` NA when unassigned."""

    system: Str
    drc_index: Str
    drc_name: Str = opt()
    unit_phys_loc: Str = opt()
    phys_loc: Str = opt()
    bus_id: Int = opt(ge=0)
    description: Str = opt()
    feature_codes: Obj = opt()
    pci_class: Str = opt()
    slot_io_pool_id: Str = opt()
    lpar_id: Int = opt(ge=1)
    lpar_name: Str = opt()
    iop: Bool = opt()
    parent_slot_drc_index: Str = opt()


class HeaPorts(FrameModel):
    """Host Ethernet Adapter (IVE) logical ports and the physical port each one rides on."""

    system: Str
    adapter_id: Str
    port_group: Int = opt(ge=0)
    phys_port_id: Int = opt(ge=0)
    logical_port_id: Int = opt(ge=0)
    lpar_id: Int = opt(ge=1)
    lpar_name: Str = opt()
    drc_index: Str = opt()
    drc_name: Str = opt()
    mac_addr: Str = opt()
    state: Int = opt()


class VirtualEth(FrameModel):
    """Virtual Ethernet adapters (lshwres -r virtualio --rsubtype eth --level lpar)."""

    system: Str
    lpar_id: Int = pa.Field(ge=1)
    lpar_name: Str = opt()
    slot_num: Int = pa.Field(ge=0)
    state: Int = opt()
    is_required: Bool = opt()
    is_trunk: Bool = opt()
    trunk_priority: Int = opt(ge=0)
    ieee_virtual_eth: Bool = opt()
    port_vlan_id: Int = opt(ge=0)
    addl_vlan_ids: Obj = opt()
    vswitch: Str = opt()
    mac_addr: Str = opt()


class VirtualScsi(FrameModel):
    """Virtual SCSI adapters, client and server (lshwres -r virtualio --rsubtype scsi)."""

    system: Str
    lpar_id: Int = pa.Field(ge=1)
    lpar_name: Str = opt()
    slot_num: Int = pa.Field(ge=0)
    adapter_type: Str = opt(isin=ADAPTER_TYPES)
    state: Int = opt()
    is_required: Bool = opt()
    remote_lpar_id: Int = opt(ge=1)
    remote_lpar_name: Str = opt()
    remote_slot_num: Int = opt(ge=0)


class VirtualFc(FrameModel):
    """Virtual Fibre Channel (NPIV) adapters; client `wwpns` is the active + LPM spare pair."""

    system: Str
    lpar_id: Int = pa.Field(ge=1)
    lpar_name: Str = opt()
    slot_num: Int = pa.Field(ge=0)
    adapter_type: Str = opt(isin=ADAPTER_TYPES)
    state: Int = opt()
    is_required: Bool = opt()
    remote_lpar_id: Int = opt(ge=1)
    remote_lpar_name: Str = opt()
    remote_slot_num: Int = opt(ge=0)
    wwpns: Obj = opt()
