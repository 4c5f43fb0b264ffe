"""One fixture per LPM blocker, checkov style: entities named `pass_*` must not be flagged, `fail_*` must be.

Each case builds a small estate (a source and destination system, each with a VIOS pair, an SEA
and a shared SAN fabric), changes one thing, writes it as real HMC and VIOS captures, loads it
back through the parsers and runs only the check under test. The flagged entity is the partition
(partition-level blockers) or the destination system (blockers that depend on the destination).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hatoolkit import load_inventory
from hatoolkit.checks import run_checks
from hatoolkit.model.plan import Plan
from hatoolkit.synth import write_estate
from hatoolkit.synth.build import Wiring, new_system, vios
from hatoolkit.synth.estate import Estate, HeaPort, IoSlot, Lpar, ProcPool, System
from hatoolkit.synth.hmc_writer import Quirks
from hatoolkit.synth.vios_build import SanNet, ViosTweaks, configure_vios

AIX = "AIX 7.3 7300-02-02-2420"


@dataclass
class Lab:
    """A source system SRC and destinations (by default one, DST), with helpers to add partitions."""

    systems: list[System] = field(default_factory=list)
    wirings: dict[str, Wiring] = field(default_factory=dict)
    tweaks: ViosTweaks = field(default_factory=ViosTweaks)
    skip_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    no_vios_data: set[str] = field(default_factory=set)

    def system(self, name: str, type_model: str = "9105-42A", *, vlans: tuple[int, ...] = (10, 20, 30),
               with_vios: bool = True, **kw: object) -> System:
        serial = f"78{len(self.systems):05d}"
        s = new_system(name, type_model, serial, cores=32, mem_gb=1024, hmc="hmc1", **kw)
        w = Wiring(s)
        if with_vios:
            compat = "POWER10" if type_model.startswith("9105") else "POWER9"
            v1, v2 = vios(1, f"{name}-VIOS1", compat=compat), vios(2, f"{name}-VIOS2", compat=compat)
            s.lpars += [v1, v2]
            w.vios_pair(v1, v2, vlans=vlans)
            s.io_slots += [IoSlot(f"2101{len(self.systems):02d}01", "FC adapter", "0C04", phys_loc="C1", owner=1),
                           IoSlot(f"2101{len(self.systems):02d}02", "FC adapter", "0C04", phys_loc="C2", owner=2)]
        self.systems.append(s)
        self.wirings[name] = w
        return s

    def lpar(self, system: str, lpar_id: int, name: str, *, vlan: int = 10, storage: str = "vscsi", **kw: object) -> Lpar:
        s = next(x for x in self.systems if x.name == system)
        fields: dict[str, object] = {"os_version": AIX, "compat_mode": "POWER9", "proc_units": 0.5, "mem_mb": 8192,
                                     "rmc_ip": f"10.9.{lpar_id}.1"}
        fields.update(kw)
        lp = Lpar(lpar_id, name, **fields)  # type: ignore[arg-type]
        s.lpars.append(lp)
        w = self.wirings[system]
        w.lan(lp, vlan)
        servers = [v for v in s.lpars if v.env == "vioserver"]
        if storage == "vscsi" and servers:
            w.vscsi(lp, *servers)
        elif storage == "npiv" and servers:
            w.npiv(lp, *servers)
        return lp

    def load(self, root: Path):
        estate = Estate(self.systems)
        nets = {s.name: SanNet() for s in self.systems if s.name not in self.no_vios_data}
        configure_vios(estate, nets, self.tweaks)
        styles = {s.name: ("files", Quirks(), self.skip_kinds.get(s.name)) for s in self.systems}
        write_estate(estate, root, styles, vios_styles="files")
        return load_inventory(root)


def standard(dest_names: tuple[str, ...] = ("DST",), **dest_kw: object) -> Lab:
    lab = Lab()
    lab.system("SRC")
    for name in dest_names:
        lab.system(name, **dest_kw)
    return lab


@dataclass
class Case:
    check_id: str
    build: Callable[[], Lab]
    by_destination: bool = False
    status: str = "fail"


def _ha201() -> Lab:
    lab = standard(("pass_DST", "fail_DST"))
    next(s for s in lab.systems if s.name == "fail_DST").active_lpm = False
    lab.lpar("SRC", 3, "lp_running")
    return lab


def _ha201_generation() -> Lab:
    lab = standard(("pass_DST",))
    lab.system("fail_P7", "8205-E6C", vlans=(10,))
    lab.lpar("SRC", 3, "lp_running", compat_mode="POWER8")
    return lab


def _ha203_unknown() -> Lab:
    lab = standard()
    lab.lpar("SRC", 3, "fail_unknown")
    lab.skip_kinds["SRC"] = ("sys", "lpar", "prof", "proc_sys", "proc_lpar", "procpool", "mem_sys", "mem_lpar", "veth",
                             "vscsi", "vfc")
    return lab


def _ha206() -> Lab:
    lab = standard(("pass_DST", "fail_DST"))
    for v in next(s for s in lab.systems if s.name == "fail_DST").lpars:
        v.msp = False
    lab.lpar("SRC", 3, "lp_running")
    return lab


def _ha208() -> Lab:
    lab = standard(("pass_P10",))
    lab.system("fail_P9", "9009-42A")
    lab.lpar("SRC", 3, "lp_p10", compat_mode="POWER10")
    return lab


def _ha209() -> Lab:
    lab = standard(("pass_DST",))
    lab.system("fail_LMB", lmb_mb=128)
    lab.lpar("SRC", 3, "lp_any")
    return lab


def _ha211() -> Lab:
    lab = standard(("pass_DST",))
    lab.system("fail_DST", vlans=(10, 20))
    lab.lpar("SRC", 3, "lp_vlan30", vlan=30)
    return lab


IBMI = "IBM i Licensed Internal Code 7.5.0 48 1"


def _partition_lab() -> Lab:
    """Partition-level blockers side by side in one estate; names carry the check they exercise."""
    lab = standard()
    src = lab.systems[0]
    add = lab.lpar
    add("SRC", 3, "pass_ha202")
    add("SRC", 4, "fail_ha202_disabled", migration_disabled=True)
    add("SRC", 5, "pass_ha203_virtual")
    add("SRC", 6, "fail_ha203_physical", io_slots=("21019901",))
    src.io_slots.append(IoSlot("21019901", "PCIe3 2-port 10GbE", "0200", phys_loc="C9", owner=6))
    add("SRC", 7, "pass_ha204_veth")
    add("SRC", 8, "fail_ha204_lhea")
    src.hea_ports.append(HeaPort("23000000", 1, 0, 1, 8))
    host = add("SRC", 9, "pass_ha205_ibmi_host", env="os400", os_version=IBMI, storage="none")
    guest = add("SRC", 10, "fail_ha205_hosted_guest", env="os400", os_version=IBMI, storage="none")
    lab.wirings["SRC"].vscsi(guest, host)
    src.io_slots.append(IoSlot("21019902", "SAS RAID", "0104", phys_loc="C8", owner=9))
    add("SRC", 11, "pass_ha205_vios_guest")
    add("SRC", 12, "pass_ha207_rmc")
    add("SRC", 13, "fail_ha207_rmc", rmc_state="inactive")
    add("SRC", 14, "pass_ha207_ibmi_no_rmc", env="os400", os_version=IBMI, rmc_state="inactive", storage="npiv")
    add("SRC", 15, "pass_ha210_unique")
    add("SRC", 16, "fail_ha210_same_name")
    add("DST", 3, "fail_ha210_same_name")
    add("SRC", 17, "pass_ha212_lun")
    add("SRC", 18, "fail_ha212_lv")
    add("SRC", 19, "pass_ha213_no_reserve")
    add("SRC", 20, "fail_ha213_single_path")
    add("SRC", 21, "pass_ha213_npiv", storage="npiv")
    add("SRC", 22, "pass_ha214_visible")
    add("SRC", 23, "fail_ha214_hidden")
    add("SRC", 24, "pass_ha215_no_huge")
    add("SRC", 25, "fail_ha215_huge", huge_pages=4)
    add("SRC", 26, "pass_ha215_huge_inactive", huge_pages=4, state="Not Activated", rmc_state="inactive")
    add("SRC", 27, "pass_ha216_no_bsr")
    add("SRC", 28, "fail_ha216_bsr", bsr_arrays=1)
    add("SRC", 29, "pass_ha217_no_rep")
    add("SRC", 30, "fail_ha217_rep", rep=True)
    add("SRC", 31, "pass_ha218_aix73")
    add("SRC", 32, "fail_ha218_aix53_tl5", os_version="AIX 5.3 5300-05-01-0000", compat_mode="POWER8")
    add("SRC", 33, "pass_ha218_sles15", os_version="Linux/SuSE 5.14.21-150500 15.5")
    add("SRC", 34, "fail_ha218_ibmi61", env="os400", os_version="IBM i Licensed Internal Code 6.1.0 48 1",
        storage="npiv")
    lab.tweaks = ViosTweaks(
        data_luns=frozenset({"fail_ha212_lv", "pass_ha212_lun"}),
        lv_backed={("SRC-VIOS1", "fail_ha212_lv/data"): "lv_data01"},
        reserve={("SRC-VIOS2", "fail_ha213_single_path/rootvg"): "single_path"},
        hidden={("SRC", "fail_ha214_hidden", "rootvg"): frozenset({"DST"})},
    )
    return lab


PARTITION_CHECKS = ("HA202", "HA203", "HA204", "HA205", "HA207", "HA210", "HA212", "HA213", "HA214", "HA215",
                    "HA216", "HA217", "HA218")


@pytest.fixture(scope="module")
def partition_inventory(tmp_path_factory: pytest.TempPathFactory):
    lab = _partition_lab()
    return lab, lab.load(tmp_path_factory.mktemp("partition_lab"))


@pytest.mark.parametrize("check_id", PARTITION_CHECKS)
def test_partition_blockers(check_id: str, partition_inventory) -> None:
    lab, inv = partition_inventory
    findings, coverage = run_checks(inv, Plan(), select=[check_id])
    assert coverage["error"].isna().all(), coverage["error"].tolist()
    prefix = check_id.lower()
    names = {lp.name for s in lab.systems for lp in s.lpars if lp.env != "vioserver"}
    mine = {n for n in names if n.split("_")[1] == prefix} if names else set()
    flagged = set(findings.loc[findings["status"] == "fail", "partition"].dropna()) & mine
    assert flagged == {n for n in mine if n.startswith("fail_")}, findings[["partition", "message"]].to_string()
    assert int(coverage["evaluated"].iloc[0]) > 0


def _ha212_unknown() -> Lab:
    lab = standard()
    lab.lpar("SRC", 3, "fail_no_vios_data")
    lab.no_vios_data.add("SRC")
    return lab


def _ha218_unknown() -> Lab:
    lab = standard()
    lab.lpar("SRC", 3, "pass_aix")
    lab.lpar("SRC", 4, "fail_unreadable", os_version="Plan 9 from Bell Labs")
    lab.lpar("SRC", 5, "fail_ibmi71", env="os400", os_version="IBM i Licensed Internal Code 7.1.0 48 1", storage="npiv")
    return lab


def _ha206_unknown() -> Lab:
    lab = standard(("pass_DST", "fail_DST_unlisted"))
    lab.skip_kinds["fail_DST_unlisted"] = ("sys", "prof", "proc_sys", "proc_lpar", "procpool", "mem_sys", "mem_lpar",
                                           "veth", "vscsi", "vfc", "io_slot")
    lab.lpar("SRC", 3, "lp_running")
    return lab


def _ha213_unknown() -> Lab:
    lab = standard()
    lab.lpar("SRC", 3, "fail_disks_unknown")
    lab.lpar("SRC", 4, "fail_npiv_unknown_too", storage="npiv")  # without the listing, no one knows it has no vSCSI
    lab.skip_kinds["SRC"] = ("sys", "lpar", "prof", "proc_sys", "proc_lpar", "procpool", "mem_sys", "mem_lpar", "veth",
                             "vfc", "io_slot")
    return lab


def _squeeze(lab: Lab, name: str, *, proc_left: float | None = None, mem_left_mb: int | None = None) -> System:
    """Shrink a system's configurable capacity so that exactly this much stays free."""
    s = next(x for x in lab.systems if x.name == name)
    if proc_left is not None:
        s.configurable_proc_units = round(s.configurable_proc_units - s.avail_proc_units + proc_left, 2)
    if mem_left_mb is not None:
        s.configurable_mem_mb = s.configurable_mem_mb - s.avail_mem_mb + mem_left_mb
    return s


def _ha219() -> Lab:
    # lp_64g runs 0.5 units and 64 GB (max 128 GB: a 1 GB page table at 1:128): 0.5 units and 66560 MB.
    lab = standard(("pass_DST",))
    lab.system("fail_MEM")
    lab.system("fail_CPU")
    lab.system("pass_EXACT")
    lab.lpar("SRC", 3, "lp_64g", mem_mb=65536, max_mem_mb=131072, proc_units=0.5)
    _squeeze(lab, "fail_MEM", mem_left_mb=66560 - 256)
    _squeeze(lab, "fail_CPU", proc_left=0.4)
    _squeeze(lab, "pass_EXACT", proc_left=0.5, mem_left_mb=66560)  # exactly enough is enough
    return lab


def _ha219_pool() -> Lab:
    # The partition runs in pool DB: on fail_POOL it lands in its DB pool, capped at 0.3 units.
    lab = standard(("pass_DST",))
    lab.system("fail_POOL")
    lab.system("pass_BIGPOOL")
    for s in lab.systems:
        s.pools = [ProcPool(0, "DefaultPool", None), ProcPool(1, "DB", {"fail_POOL": 0.3}.get(s.name, 4.0))]
    lab.lpar("SRC", 3, "lp_db", proc_units=0.5, pool_id=1)
    return lab


def _ha219_inactive() -> Lab:
    # Not activated: checked at its profile minimum (64 GB + 1 GB page table), not at its desired memory.
    lab = standard()
    lab.system("SMALL")
    lab.lpar("SRC", 3, "fail_big_minimum", state="Not Activated", rmc_state="inactive", mem_mb=98304,
             min_mem_mb=65536, max_mem_mb=131072)
    lab.lpar("SRC", 4, "pass_small_minimum", state="Not Activated", rmc_state="inactive", mem_mb=98304,
             min_mem_mb=8192, max_mem_mb=131072)
    _squeeze(lab, "SMALL", mem_left_mb=40960)
    return lab


def _ha219_unknown() -> Lab:
    lab = standard(("pass_DST", "fail_DST_no_memory_listing"))
    lab.skip_kinds["fail_DST_no_memory_listing"] = ("mem_sys",)
    lab.lpar("SRC", 3, "lp_running")
    return lab


CASES = {
    "HA201": Case("HA201", _ha201, by_destination=True),
    "HA201-generation": Case("HA201", _ha201_generation, by_destination=True),
    "HA203-unknown": Case("HA203", _ha203_unknown, status="unknown"),
    "HA206": Case("HA206", _ha206, by_destination=True),
    "HA206-unknown": Case("HA206", _ha206_unknown, by_destination=True, status="unknown"),
    "HA208": Case("HA208", _ha208, by_destination=True),
    "HA209": Case("HA209", _ha209, by_destination=True),
    "HA211": Case("HA211", _ha211, by_destination=True),
    "HA212-unknown": Case("HA212", _ha212_unknown, status="unknown"),
    "HA213-unknown": Case("HA213", _ha213_unknown, status="unknown"),
    "HA218-unknown": Case("HA218", _ha218_unknown, status="unknown"),
    "HA219": Case("HA219", _ha219, by_destination=True),
    "HA219-pool": Case("HA219", _ha219_pool, by_destination=True),
    "HA219-inactive": Case("HA219", _ha219_inactive),
    "HA219-unknown": Case("HA219", _ha219_unknown, by_destination=True, status="unknown"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_blocker_case(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    lab = case.build()
    inv = lab.load(tmp_path)
    findings, coverage = run_checks(inv, Plan(), select=[case.check_id])
    assert coverage["error"].isna().all(), coverage["error"].tolist()
    hits = findings[findings["status"] == case.status]
    column = "destination" if case.by_destination else "partition"
    flagged = set(hits[column].dropna())
    names = {lp.name for s in lab.systems for lp in s.lpars if lp.env != "vioserver"} | {s.name for s in lab.systems}
    expected = {n for n in names if n.startswith("fail_")}
    assert flagged & {n for n in names if n.startswith("pass_")} == set()
    assert flagged == expected, hits[["partition", "destination", "message"]].to_string()
    assert int(coverage["evaluated"].iloc[0]) > 0


def test_ha219_on_the_sample_lists_destinations_and_names_the_numbers(sample_inventory) -> None:
    # ERP-DB runs 6 units and 256 GB (max 512 GB: a 4 GB page table at 1:128). Neither DR-1 (201 GB free)
    # nor PRD-2 (192.25 GB free) can take it live: one finding, both destinations, demand and best supply.
    from hatoolkit.model.plan import bundle_plan
    from tests.conftest import SAMPLE

    findings, coverage = run_checks(sample_inventory, bundle_plan(SAMPLE), select=["HA219"])
    assert coverage["error"].isna().all() and int(coverage["evaluated"].iloc[0]) > 0
    erp = findings[findings["partition"] == "ERP-DB"].iloc[0]
    assert (erp["status"], erp["resource"], erp["destination"]) == ("fail", "memory", "DR-1;PRD-2")
    assert "demand_mem_mb=266240 hpt_mb=4096" in erp["evidence"] and "most_free_mem_mb=205824" in erp["evidence"]
    assert "DR-1 (and PRD-2)" in erp["message"] and "preemptible" in erp["message"]  # DEV/TEST on DR-1 would free it
    crm = findings[findings["partition"] == "CRM-DB"].iloc[0]
    assert (crm["resource"], crm["destination"]) == ("processors", "PRD-1")  # 4.0 units, PRD-1 has 3.5
    assert "curr_avail_sys_proc_units" not in crm["evidence"] and "most_free_proc_units=3.5" in crm["evidence"]
