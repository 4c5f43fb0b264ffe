"""HMC CLI records of a synthetic System, attribute for attribute in the HMC's own order.

Each function returns the records one command would print: lists of (attribute, value) pairs,
with the HMC's quirks (attributes present only on some rows, `none`/`null`/`unavailable`
sentinels, list values) so the parser meets what it meets in the field.
"""

from __future__ import annotations

from hatoolkit.ingest.records import format_list
from hatoolkit.synth.estate import Lpar, System, hea_mac, veth_mac

Record = list[tuple[str, str]]


def _b(value: bool | None) -> str:
    return "unavailable" if value is None else ("1" if value else "0")


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"


def sys_record(s: System) -> Record:
    on = s.state == "Operating"

    def cap(v: bool) -> str:
        return _b(v) if on else "unavailable"

    return [
        ("name", s.name), ("type_model", s.type_model), ("serial_num", s.serial), ("ipaddr", s.ipaddr),
        ("state", s.state), ("detailed_state", "None"), ("sys_time", "11/24/2026 23:10:05"),
        ("active_lpar_mobility_capable", cap(s.active_lpm)), ("inactive_lpar_mobility_capable", cap(s.inactive_lpm)),
        ("active_mem_sharing_capable", cap(True)), ("bsr_capable", cap(s.bsr_capable)),
        ("cod_mem_capable", cap(True)), ("cod_proc_capable", cap(True)),
        ("huge_page_mem_capable", cap(s.huge_page_capable)), ("lhea_capable", cap(s.lhea_capable)),
        ("lpar_remote_restart_capable", cap(False)), ("powervm_lpar_remote_restart_capable", cap(False)),
        ("powervm_lpar_simplified_remote_restart_capable", cap(s.srr_capable)),
        ("os400_capable", cap(s.os400_capable)), ("virtual_fc_capable", cap(s.vfc_capable)),
        ("virtual_io_server_capable", cap(True)), ("max_lpars", str(s.max_lpars) if on else "unavailable"),
        ("service_lpar_id", "none"), ("lpar_proc_compat_modes", format_list(s.compat_modes) if on else "unavailable"),
    ]


def proc_sys_record(s: System) -> Record:
    avail = _num(s.avail_proc_units)
    return [
        ("configurable_sys_proc_units", _num(s.configurable_proc_units)), ("curr_avail_sys_proc_units", avail),
        ("pend_avail_sys_proc_units", avail), ("installed_sys_proc_units", _num(s.installed_proc_units)),
        ("deconfig_sys_proc_units", "0"), ("min_proc_units_per_virtual_proc", _num(s.min_proc_units_per_vp)),
        ("max_virtual_procs_per_lpar", "256"), ("max_procs_per_lpar", str(int(s.installed_proc_units))),
        ("max_shared_proc_pools", "64"),
    ]


def mem_sys_record(s: System) -> Record:
    return [
        ("configurable_sys_mem", str(s.configurable_mem_mb)), ("curr_avail_sys_mem", str(s.avail_mem_mb)),
        ("pend_avail_sys_mem", str(s.avail_mem_mb)), ("installed_sys_mem", str(s.installed_mem_mb)),
        ("deconfig_sys_mem", "0"), ("sys_firmware_mem", str(s.firmware_mem_mb)), ("mem_region_size", str(s.lmb_mb)),
        ("configurable_num_sys_huge_pages", "0"), ("huge_page_size", "16384"), ("max_mem_pools", "0"),
        ("default_hpt_ratios", "1:128"), ("possible_hpt_ratios", "1:32,1:64,1:128,1:256,1:512"),
    ]


def lpar_record(lp: Lpar) -> Record:
    rec: Record = [
        ("name", lp.name), ("lpar_id", str(lp.id)), ("lpar_env", lp.env), ("state", lp.state),
        ("resource_config", "1"), ("os_version", lp.os_version or "Unknown"),
        ("logical_serial_num", f"LS{lp.id:04d}"), ("default_profile", lp.profile), ("curr_profile", lp.profile),
        ("work_group_id", lp.work_group or "none"), ("shared_proc_pool_util_auth", "0"),
        ("allow_perf_collection", "1"), ("power_ctrl_lpar_ids", "none"), ("boot_mode", "norm"),
        ("lpar_keylock", "norm"), ("auto_start", "0"), ("redundant_err_path_reporting", _b(lp.rep)),
        ("rmc_state", lp.rmc_state if lp.running else "inactive"),
        ("rmc_ipaddr", (lp.rmc_ip or "") if lp.running else ""), ("time_ref", "0"), ("lpar_avail_priority", "127"),
        ("desired_lpar_proc_compat_mode", lp.desired_compat_mode),
        ("curr_lpar_proc_compat_mode", lp.compat_mode if lp.running else "default"),
        ("suspend_capable", "0"), ("remote_restart_capable", "0"),
        ("simplified_remote_restart_capable", _b(lp.srr_capable)), ("sync_curr_profile", "1"),
        ("affinity_group_id", "none"), ("migration_disabled", _b(lp.migration_disabled)),
    ]
    if lp.env == "vioserver":
        rec.append(("msp", _b(bool(lp.msp))))
    return rec


def proc_lpar_record(lp: Lpar) -> Record:
    run = lp.running
    head: Record = [("lpar_name", lp.name), ("lpar_id", str(lp.id))]
    if lp.proc_mode == "ded":
        procs = str(lp.procs if run else 0)
        return head + [
            ("curr_proc_mode", "ded"), ("curr_min_procs", str(lp.min_procs if run else 0)), ("curr_procs", procs),
            ("curr_max_procs", str(lp.max_procs if run else 0)), ("curr_sharing_mode", lp.sharing_mode),
            ("pend_proc_mode", "ded"), ("pend_min_procs", str(lp.min_procs)), ("pend_procs", procs),
            ("pend_max_procs", str(lp.max_procs)), ("pend_sharing_mode", lp.sharing_mode), ("run_procs", procs),
        ]
    units = _num(lp.proc_units) if run else "0.0"
    return head + [
        ("curr_shared_proc_pool_id", str(lp.pool_id)), ("curr_proc_mode", "shared"),
        ("curr_min_proc_units", _num(lp.min_proc_units) if run else "0.0"), ("curr_proc_units", units),
        ("curr_max_proc_units", _num(lp.max_proc_units) if run else "0.0"),
        ("curr_min_procs", str(lp.min_procs if run else 0)), ("curr_procs", str(lp.procs if run else 0)),
        ("curr_max_procs", str(lp.max_procs if run else 0)), ("curr_sharing_mode", lp.sharing_mode),
        ("curr_uncap_weight", str(lp.uncap_weight if run else 0)), ("pend_shared_proc_pool_id", str(lp.pool_id)),
        ("pend_proc_mode", "shared"), ("pend_proc_units", units), ("run_proc_units", units),
        ("run_procs", str(lp.procs if run else 0)), ("run_uncap_weight", str(lp.uncap_weight if run else 0)),
    ]


def mem_lpar_record(lp: Lpar) -> Record:
    run = lp.running
    mem = str(lp.mem_mb if run else 0)
    rec: Record = [
        ("lpar_name", lp.name), ("lpar_id", str(lp.id)), ("curr_min_mem", str(lp.min_mem_mb if run else 0)),
        ("curr_mem", mem), ("curr_max_mem", str(lp.max_mem_mb if run else 0)),
        ("pend_min_mem", str(lp.min_mem_mb)), ("pend_mem", mem), ("pend_max_mem", str(lp.max_mem_mb)),
        ("run_min_mem", str(lp.min_mem_mb if run else 0)), ("run_mem", mem),
    ]
    if lp.env != "vioserver":  # the HMC omits huge-page attributes for VIOS rows
        rec += [("curr_min_num_huge_pages", "0"), ("curr_num_huge_pages", str(lp.huge_pages if run else 0)),
                ("curr_max_num_huge_pages", str(lp.huge_pages)), ("run_num_huge_pages", str(lp.huge_pages if run else 0))]
    return rec + [("mem_mode", "ded"), ("curr_hpt_ratio", f"1:{lp.hpt_ratio}")]


def veth_element(a) -> str:
    addl = ",".join(str(v) for v in a.addl_vlans)
    return f"{a.slot}/{int(a.ieee)}/{a.pvid}/{addl}/{a.trunk_priority}/{int(a.required)}/{a.vswitch}/{a.mac or ''}/all/none"


def prof_record(s: System, lp: Lpar) -> Record:
    rec: Record = [
        ("name", lp.profile), ("lpar_name", lp.name), ("lpar_id", str(lp.id)), ("lpar_env", lp.env),
        ("all_resources", "0"), ("min_mem", str(lp.min_mem_mb)), ("desired_mem", str(lp.profile_mem_mb)),
        ("max_mem", str(lp.max_mem_mb)), ("min_num_huge_pages", "0"), ("desired_num_huge_pages", str(lp.huge_pages)),
        ("max_num_huge_pages", str(lp.huge_pages)), ("mem_mode", "ded"), ("hpt_ratio", f"1:{lp.hpt_ratio}"),
        ("proc_mode", lp.proc_mode),
    ]
    if lp.proc_mode == "shared":
        rec += [("min_proc_units", _num(lp.min_proc_units)), ("desired_proc_units", _num(lp.profile_proc_units)),
                ("max_proc_units", _num(lp.max_proc_units))]
    rec += [("min_procs", str(lp.min_procs)), ("desired_procs", str(lp.profile_procs)), ("max_procs", str(lp.max_procs)),
            ("sharing_mode", lp.sharing_mode)]
    if lp.proc_mode == "shared":
        pool = next((p for p in s.pools if p.id == lp.pool_id), None)
        rec += [("uncap_weight", str(lp.uncap_weight)), ("shared_proc_pool_id", str(lp.pool_id)),
                ("shared_proc_pool_name", pool.name if pool else "DefaultPool")]
    slots = [f"{d}/none/1" for d in lp.io_slots]
    hea = [f"{p.adapter_id}/{p.port_group}/{p.phys_port}/{p.logical_port}/all" for p in s.hea_ports if p.lpar_id == lp.id]
    scsi = [f"{a.slot}/{a.adapter_type}/{a.remote_id or ''}/{a.remote_name or ''}/{a.remote_slot or ''}/{int(a.required)}"
            for a in lp.vscsi]
    fc = [f"{a.slot}/{a.adapter_type}/{a.remote_id or ''}/{a.remote_name or ''}/{a.remote_slot or ''}/"
          f"{','.join(a.wwpns)}/{int(a.required)}" for a in lp.vfc]
    rec += [
        ("io_slots", format_list(slots) if slots else "none"), ("lpar_io_pool_ids", "none"),
        ("max_virtual_slots", "200" if lp.env == "vioserver" else "40"),
        ("virtual_serial_adapters", "0/server/1/any//any/1,1/server/1/any//any/1"),
        ("virtual_scsi_adapters", format_list(scsi) if scsi else "none"),
        ("virtual_eth_adapters", format_list([veth_element(a) for a in lp.veths]) if lp.veths else "none"),
        ("virtual_fc_adapters", format_list(fc) if fc else "none"),
        ("hca_adapters", "none"), ("boot_mode", "norm"), ("conn_monitoring", "1"), ("auto_start", "0"),
        ("power_ctrl_lpar_ids", "none"), ("work_group_id", lp.work_group or "none"),
        ("redundant_err_path_reporting", _b(lp.rep)), ("bsr_arrays", str(lp.bsr_arrays)),
        ("lhea_logical_ports", format_list(hea) if hea else "none"), ("lhea_capabilities", "none"),
        ("lpar_proc_compat_mode", lp.desired_compat_mode), ("electronic_err_reporting", "null"),
    ]
    return rec


def veth_records(lp: Lpar) -> list[Record]:
    out = []
    for a in lp.veths:
        rec: Record = [("lpar_name", lp.name), ("lpar_id", str(lp.id)), ("slot_num", str(a.slot)),
                       ("state", "1" if lp.running else "0"), ("is_required", _b(a.required)),
                       ("is_trunk", _b(a.trunk_priority > 0))]
        if a.trunk_priority:
            rec.append(("trunk_priority", str(a.trunk_priority)))
        rec += [("ieee_virtual_eth", _b(a.ieee)), ("port_vlan_id", str(a.pvid)),
                ("addl_vlan_ids", ",".join(str(v) for v in a.addl_vlans)), ("vswitch", a.vswitch),
                ("mac_addr", veth_mac(lp, a)), ("allowed_os_mac_addrs", "all"),
                ("qos_priority", "none")]
        out.append(rec)
    return out


def _remote(value: object) -> str:
    return "any" if value is None else str(value)


def vscsi_records(lp: Lpar) -> list[Record]:
    return [[("lpar_name", lp.name), ("lpar_id", str(lp.id)), ("slot_num", str(a.slot)),
             ("state", "1" if lp.running else "0"), ("is_required", _b(a.required)), ("adapter_type", a.adapter_type),
             ("remote_lpar_id", _remote(a.remote_id)), ("remote_lpar_name", a.remote_name or ""),
             ("remote_slot_num", _remote(a.remote_slot))] for a in lp.vscsi]


def vfc_records(lp: Lpar) -> list[Record]:
    out = []
    for a in lp.vfc:
        rec: Record = [("lpar_name", lp.name), ("lpar_id", str(lp.id)), ("slot_num", str(a.slot)),
                       ("adapter_type", a.adapter_type), ("state", "1" if lp.running else "0"),
                       ("is_required", _b(a.required)), ("remote_lpar_id", _remote(a.remote_id)),
                       ("remote_lpar_name", a.remote_name or ""), ("remote_slot_num", _remote(a.remote_slot))]
        if a.adapter_type == "client":
            rec.append(("wwpns", ",".join(a.wwpns)))
        out.append(rec)
    return out


def io_slot_records(s: System) -> list[Record]:
    out = []
    unit = f"U78D3.001.{s.serial[:7]}"
    for slot in s.io_slots:
        rec: Record = [("unit_phys_loc", unit), ("bus_id", str(slot.bus_id)), ("phys_loc", slot.phys_loc),
                       ("drc_index", slot.drc_index)]
        owner = next((lp for lp in s.lpars if lp.id == slot.owner), None)
        if owner is not None:
            rec += [("lpar_name", owner.name), ("lpar_id", str(owner.id))]
        else:
            rec.append(("lpar_id", "none"))
        rec += [("slot_io_pool_id", "none"), ("description", slot.description),
                ("feature_codes", ",".join(slot.feature_codes) or "none"), ("pci_vendor_id", "1014"),
                ("pci_class", slot.pci_class), ("iop", "0"), ("parent_slot_drc_index", "none"),
                ("drc_name", f"{unit}-P1-{slot.phys_loc}")]
        out.append(rec)
    return out


def procpool_records(s: System) -> list[Record]:
    out = []
    for p in s.pools:
        members = [lp for lp in s.lpars if lp.proc_mode == "shared" and lp.pool_id == p.id]
        out.append([("name", p.name), ("shared_proc_pool_id", str(p.id)),
                    ("max_pool_proc_units", "null" if p.max_proc_units is None else _num(p.max_proc_units)),
                    ("curr_reserved_pool_proc_units", _num(p.reserved_proc_units)),
                    ("pend_reserved_pool_proc_units", _num(p.reserved_proc_units)),
                    ("lpar_names", ",".join(lp.name for lp in members) or "none"),
                    ("lpar_ids", ",".join(str(lp.id) for lp in members) or "none")])
    return out


def hea_records(s: System) -> list[Record]:
    out = []
    for p in s.hea_ports:
        owner = next(lp for lp in s.lpars if lp.id == p.lpar_id)
        out.append([("adapter_id", p.adapter_id), ("port_group", str(p.port_group)), ("phys_port_id", str(p.phys_port)),
                    ("logical_port_id", str(p.logical_port)), ("lpar_id", str(owner.id)), ("lpar_name", owner.name),
                    ("drc_index", f"2300{p.port_group:02d}{p.logical_port:02d}"), ("drc_name", f"HEA {p.logical_port}"),
                    ("state", "1"), ("mac_addr", hea_mac(p))])
    return out
