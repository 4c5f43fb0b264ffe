"""What each HMC CLI command's attributes mean: target column and value type, per capture kind.

One table per kind, declared once, used by the CLI ingest (and by the synthetic writer's tests to
know what round-trips). Attributes not listed are ignored (reported per file as unused, not as
errors: new HMC releases add attributes all the time).
"""

from __future__ import annotations

from dataclasses import dataclass

# kind -> canonical command (for messages, docs and the collector's command set)
CAPTURE_COMMANDS: dict[str, str] = {
    "sys": "lssyscfg -r sys",
    "lpar": "lssyscfg -r lpar -m SYS",
    "prof": "lssyscfg -r prof -m SYS",
    "proc_sys": "lshwres -r proc --level sys -m SYS",
    "proc_lpar": "lshwres -r proc --level lpar -m SYS",
    "procpool": "lshwres -r procpool -m SYS",
    "mem_sys": "lshwres -r mem --level sys -m SYS",
    "mem_lpar": "lshwres -r mem --level lpar -m SYS",
    "veth": "lshwres -r virtualio --rsubtype eth --level lpar -m SYS",
    "vscsi": "lshwres -r virtualio --rsubtype scsi --level lpar -m SYS",
    "vfc": "lshwres -r virtualio --rsubtype fc --level lpar -m SYS",
    "io_slot": "lshwres -r io --rsubtype slot -m SYS",
    "hea_logical": "lshwres -r hea --rsubtype logical --level port -m SYS",
    "lparutil": "lslparutil -r lpar -m SYS",
    "lparutil_config": "lslparutil -r config -m SYS",
}

# What one record of each kind is, for messages.
RECORD_NAMES: dict[str, str] = {
    "sys": "managed system", "lpar": "partition", "prof": "partition profile", "proc_sys": "system processors",
    "proc_lpar": "partition processors", "procpool": "shared processor pool", "mem_sys": "system memory",
    "mem_lpar": "partition memory", "veth": "virtual Ethernet adapter", "vscsi": "virtual SCSI adapter",
    "vfc": "virtual Fibre Channel adapter", "io_slot": "I/O slot", "hea_logical": "HEA logical port",
    "lparutil": "utilisation sample", "lparutil_config": "utilisation collection setting",
}

# Captures every managed system is expected to have; a missing one is a data gap (HA003).
EXPECTED_KINDS: tuple[str, ...] = (
    "sys", "lpar", "prof", "proc_sys", "proc_lpar", "mem_sys", "mem_lpar", "veth", "vscsi", "vfc", "io_slot",
)


@dataclass(frozen=True)
class Attr:
    column: str
    kind: str  # a key of hatoolkit.ingest.values.CONVERTERS


def _spec(**attrs: tuple[str, str] | str) -> dict[str, Attr]:
    """attr=type (column named like the attribute) or attr=(column, type)."""
    out = {}
    for attr, spec in attrs.items():
        column, kind = (attr, spec) if isinstance(spec, str) else spec
        out[attr] = Attr(column, kind)
    return out


_CAPS = {
    cap: "bool"
    for cap in (
        "active_lpar_mobility_capable", "inactive_lpar_mobility_capable", "os400_capable", "lhea_capable",
        "huge_page_mem_capable", "bsr_capable", "virtual_fc_capable", "virtual_io_server_capable",
        "active_mem_sharing_capable", "cod_proc_capable", "cod_mem_capable", "lpar_remote_restart_capable",
        "powervm_lpar_remote_restart_capable", "powervm_lpar_simplified_remote_restart_capable",
    )
}

SPECS: dict[str, dict[str, Attr]] = {
    "sys": _spec(
        name=("system", "name"), type_model="text", serial_num="text", state="text", ipaddr="text",
        lpar_proc_compat_modes="str_list", max_lpars="int", service_lpar_id="int", **_CAPS,
    ),
    "proc_sys": _spec(
        configurable_sys_proc_units="float", curr_avail_sys_proc_units="float", pend_avail_sys_proc_units="float",
        installed_sys_proc_units="float", deconfig_sys_proc_units="float",
        min_proc_units_per_virtual_proc="float", max_shared_proc_pools="int",
    ),
    "mem_sys": _spec(
        configurable_sys_mem=("configurable_sys_mem_mb", "int"), curr_avail_sys_mem=("curr_avail_sys_mem_mb", "int"),
        pend_avail_sys_mem=("pend_avail_sys_mem_mb", "int"), installed_sys_mem=("installed_sys_mem_mb", "int"),
        deconfig_sys_mem=("deconfig_sys_mem_mb", "int"), sys_firmware_mem=("sys_firmware_mem_mb", "int"),
        mem_region_size=("mem_region_size_mb", "int"), default_hpt_ratios=("default_hpt_ratio", "hpt"),
    ),
    "lpar": _spec(
        name="name", lpar_id="int", lpar_env="text", state="text", os_version="text", rmc_state="text",
        rmc_ipaddr="text", curr_profile="name", default_profile="name", logical_serial_num="text",
        curr_lpar_proc_compat_mode="text", desired_lpar_proc_compat_mode="text",
        redundant_err_path_reporting="bool", work_group_id="text", msp="bool", migration_disabled="bool",
        remote_restart_capable="bool", simplified_remote_restart_capable="bool", suspend_capable="bool",
        lpar_avail_priority="int",
    ),
    "proc_lpar": _spec(
        lpar_name=("name", "name"), lpar_id="int", curr_proc_mode="text", curr_shared_proc_pool_id="int",
        curr_min_proc_units="float", curr_proc_units="float", curr_max_proc_units="float",
        curr_min_procs="int", curr_procs="int", curr_max_procs="int", curr_sharing_mode="text",
        curr_uncap_weight="int", run_proc_units="float", run_procs="int",
    ),
    "mem_lpar": _spec(
        lpar_name=("name", "name"), lpar_id="int", curr_min_mem=("curr_min_mem_mb", "int"),
        curr_mem=("curr_mem_mb", "int"), curr_max_mem=("curr_max_mem_mb", "int"), run_mem=("run_mem_mb", "int"),
        mem_mode="text", curr_hpt_ratio="hpt", curr_num_huge_pages="int",
    ),
    "prof": _spec(
        name=("profile", "name"), lpar_name="name", lpar_id="int", lpar_env="text",
        min_mem=("min_mem_mb", "int"), desired_mem=("desired_mem_mb", "int"), max_mem=("max_mem_mb", "int"),
        mem_mode="text", hpt_ratio="hpt", proc_mode="text", min_proc_units="float",
        desired_proc_units="float", max_proc_units="float", min_procs="int", desired_procs="int",
        max_procs="int", sharing_mode="text", uncap_weight="int", shared_proc_pool_id="int",
        shared_proc_pool_name="text", min_num_huge_pages="int", desired_num_huge_pages="int",
        max_num_huge_pages="int", bsr_arrays="int", redundant_err_path_reporting="bool",
        lpar_proc_compat_mode="text", max_virtual_slots="int", work_group_id="text", auto_start="bool",
        boot_mode="text", io_slots="str_list", lhea_logical_ports="str_list",
        virtual_scsi_adapters="str_list", virtual_eth_adapters="str_list", virtual_fc_adapters="str_list",
    ),
    "procpool": _spec(
        shared_proc_pool_id="int", name="name", max_pool_proc_units="float",
        curr_reserved_pool_proc_units="float", pend_reserved_pool_proc_units="float",
        lpar_ids="int_list", lpar_names="str_list",
    ),
    "io_slot": _spec(
        drc_index="name", drc_name="text", unit_phys_loc="text", phys_loc="text", bus_id="int",
        description="text", feature_codes="str_list", pci_class="text", slot_io_pool_id="text",
        lpar_id="int", lpar_name="name", iop="bool", parent_slot_drc_index="text",
    ),
    "hea_logical": _spec(
        adapter_id="name", port_group="int", phys_port_id="int", logical_port_id="int",
        lhea_port_id=("logical_port_id", "int"), lpar_id="int", lpar_name="name", drc_index="text",
        drc_name="text", mac_addr="text", state="int",
    ),
    "veth": _spec(
        lpar_name="name", lpar_id="int", slot_num="int", state="int", is_required="bool", is_trunk="bool",
        trunk_priority="int", ieee_virtual_eth="bool", port_vlan_id="int", addl_vlan_ids="int_list",
        vswitch="text", mac_addr="text",
    ),
    "vscsi": _spec(
        lpar_name="name", lpar_id="int", slot_num="int", adapter_type="text", state="int", is_required="bool",
        remote_lpar_id="int", remote_lpar_name="text", remote_slot_num="int",
    ),
    "vfc": _spec(
        lpar_name="name", lpar_id="int", slot_num="int", adapter_type="text", state="int", is_required="bool",
        remote_lpar_id="int", remote_lpar_name="text", remote_slot_num="int", wwpns="wwpn_list",
    ),
    # lslparutil -r lpar|sys|all (ingest/lslparutil.py turns cycle counters into processors consumed).
    "lparutil": _spec(
        time="text", event_type="text", resource_type="text", time_cycles="int", lpar_name=("name", "name"),
        lpar_id="int", curr_proc_mode="text", curr_proc_units="float", curr_procs="int",
        curr_mem=("curr_mem_mb", "int"), entitled_cycles="int", capped_cycles="int", uncapped_cycles="int",
        idle_cycles="int", proc_cycles_per_second="int",
    ),
    "lparutil_config": _spec(sample_rate=("sample_rate_s", "int"), name=("system", "name")),
}

# Attributes that identify a kind when neither command line nor file name does (first match wins).
SIGNATURES: tuple[tuple[str, frozenset[str]], ...] = (
    ("lparutil", frozenset({"event_type", "time_cycles"})),  # before proc_sys: -r sys samples carry its attributes
    ("lparutil", frozenset({"event_type", "capped_cycles"})),
    ("lparutil_config", frozenset({"sample_rate"})),
    ("proc_sys", frozenset({"configurable_sys_proc_units"})),
    ("mem_sys", frozenset({"configurable_sys_mem"})),
    ("proc_lpar", frozenset({"curr_proc_mode", "lpar_id"})),
    ("mem_lpar", frozenset({"curr_mem", "lpar_id"})),
    ("prof", frozenset({"lpar_env", "desired_mem"})),
    ("prof", frozenset({"lpar_env", "all_resources"})),
    ("sys", frozenset({"type_model", "serial_num"})),
    ("procpool", frozenset({"shared_proc_pool_id", "max_pool_proc_units"})),
    ("io_slot", frozenset({"drc_index", "pci_class"})),
    ("io_slot", frozenset({"drc_index", "unit_phys_loc"})),
    ("vfc", frozenset({"adapter_type", "remote_slot_num", "wwpns"})),
    ("vscsi", frozenset({"adapter_type", "remote_slot_num"})),
    ("veth", frozenset({"port_vlan_id", "slot_num"})),
    ("hea_logical", frozenset({"adapter_id", "port_group", "lpar_id"})),
    ("lpar", frozenset({"lpar_env", "lpar_id", "state"})),
)

# Commands recognised but not (yet) turned into frames: their files are "known, unused", not unknown.
KNOWN_UNUSED: tuple[str, ...] = (
    "lshmc", "lslic", "lscod", "lscodpool", "lslparmigr", "lssvcevents", "lshmcusr",
    "lsaccfg", "lssysconn", "lsrefcode", "lsled", "lssacfg", "lsmediadev", "ldap",
)


def attribute_vocabulary() -> set[str]:
    """Every attribute name hatoolkit reads (used to split `-F` lists encoded in file names)."""
    vocab = {attr for spec in SPECS.values() for attr in spec}
    return vocab | {"name", "state", "serial_num", "type_model", "lpar_env", "uuid", "msp", "vswitch"}
