"""HMC REST XML ingest on the real feeds of the corpus (pypowervm test data, hmci lab captures)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hatoolkit import load_inventory
from hatoolkit.ingest import hmc_rest, hmc_rest_adapters, rest_norms
from hatoolkit.ingest.rest_xml import FEED, iter_objects
from tests.ingest.rest_corpus import PYPOWERVM, pypowervm_body, rest_bundle

pytestmark = pytest.mark.corpus


def _objects(corpus: Path, tmp_path: Path, name: str):
    path = tmp_path / f"{name}.xml"
    path.write_text(pypowervm_body(corpus / PYPOWERVM / f"{name}.txt"), encoding="utf-8")
    return [o for o in iter_objects(path, path.name) if o.kind != FEED]


def test_pypowervm_systems_and_partitions(corpus: Path, tmp_path: Path) -> None:
    inv = load_inventory(rest_bundle(corpus, tmp_path, pypowervm=("managedsystem", "lpar")))
    systems = inv.systems.set_index("system")
    assert list(systems.index) == ["HV4", "Server-8246-L1C-SN0604C6A", "Server-8246-L1C-SN0604CAA"]  # key order
    hv4 = systems.loc["HV4"]
    assert (hv4["type_model"], hv4["serial_num"], hv4["state"]) == ("8203-E4A", "ACE0001", "Operating")
    assert hv4["configurable_sys_mem_mb"] == 5242880 and hv4["mem_region_size_mb"] == 64
    assert hv4["default_hpt_ratio"] == 128  # DefaultHardwarePageTableRatio 7 -> 1:128
    assert hv4["lpar_proc_compat_modes"] == ("default", "POWER5", "POWER6", "POWER6_enhanced", "POWER6+_enhanced",
                                             "POWER7")
    caa = systems.loc["Server-8246-L1C-SN0604CAA"]
    assert caa["configurable_sys_proc_units"] == 8.0 and caa["sys_firmware_mem_mb"] == 1280
    assert bool(caa["active_lpar_mobility_capable"]) is True
    assert inv.systems["hmc"].eq("hmc1").all()  # rest/<hmc>/ folder names the HMC

    parts = inv.partitions
    assert len(parts) == 21
    assert parts["state"].value_counts().to_dict() == {"Not Activated": 17, "Running": 4}
    assert set(parts["lpar_env"]) == {"aixlinux"}
    ded = parts[parts["name"] == "z3-9-5-127-7-00000029"].iloc[0]
    assert (ded["system"], ded["lpar_id"], ded["curr_proc_mode"], ded["curr_procs"]) == \
        ("Server-8246-L1C-SN0604CAA", 3, "ded", 1)
    assert ded["curr_sharing_mode"] == "keep_idle_procs" and pd.isna(ded["curr_proc_units"])
    assert ded["curr_hpt_ratio"] == 64 and ded["curr_lpar_proc_compat_mode"] == "POWER7"
    # REST repeats configured amounts for a partition that is not running; the CLI says 0.
    off = parts[parts["name"] == "z3-9-5-126-127-00000001"].iloc[0]
    assert off["state"] == "Not Activated" and off["curr_mem_mb"] == 0 and off["curr_proc_units"] == 0.0
    assert off["run_mem_mb"] == 0 and off["curr_sharing_mode"] == "uncap" and off["rmc_state"] == "inactive"
    assert parts["simplified_remote_restart_capable"].sum() == 1
    # No LastActivatedProfile in these 2013 feeds: profiles are a reported gap, not invented.
    assert inv.profiles.empty
    assert inv.gaps["code"].eq("source_gap").any()
    assert not inv.gaps["code"].isin(("schema", "bad_value", "unknown_system")).any()


def test_hmci_feeds_ibmi_vios_and_adapters(corpus: Path, tmp_path: Path) -> None:
    inv = load_inventory(rest_bundle(corpus, tmp_path, hmci=("managed-systems.xml", "logical-partitions.xml",
                                                              "2-vios.xml")))
    systems = inv.systems.set_index("system")
    p9 = systems.loc["Server-9009-42A-SN21F64EV"]
    assert p9["lpar_proc_compat_modes"] == ("default", "POWER7", "POWER8", "POWER9_base")
    assert (p9["configurable_sys_proc_units"], p9["curr_avail_sys_proc_units"]) == (24.0, 8.5)
    assert p9["sys_firmware_mem_mb"] == 37888 and bool(p9["os400_capable"]) is True
    parts = inv.partitions[inv.partitions["system"] == "Server-9009-42A-SN21F64EV"]
    assert parts["lpar_env"].value_counts().to_dict() == {"os400": 7, "aixlinux": 5, "vioserver": 1}
    ibmi = parts[parts["name"] == "DKIBMASA"].iloc[0]
    assert ibmi["os_version"] == "IBM i Licensed Internal Code 7.4.0 48 1" and ibmi["curr_mem_mb"] == 131072
    assert ibmi["curr_hpt_ratio"] == 64 and ibmi["curr_sharing_mode"] == "uncap"
    vios = parts[parts["lpar_env"] == "vioserver"].iloc[0]
    assert (vios["name"], vios["lpar_id"], bool(vios["msp"])) == ("P924VIO2", 2, False)
    assert vios["curr_sharing_mode"] == "share_idle_procs_always" and vios["curr_lpar_proc_compat_mode"] == "POWER9_base"
    prof = inv.profiles.set_index("lpar_name").loc["P924VIO2"]
    assert prof["profile"] == "default_profile" and prof["desired_mem_mb"] == 4096
    assert "21040015/none/0" in prof["io_slots"]
    # Both ends of every NPIV mapping come from the VIOS entry; names resolved from the partitions.
    fc = inv.virtual_fc
    assert fc["adapter_type"].value_counts().to_dict() == {"server": 34, "client": 34}
    client = fc[(fc["lpar_name"] == "DKIBMASA") & (fc["slot_num"] == 22)].iloc[0]
    assert client["remote_lpar_name"] == "P924VIO2" and client["wwpns"] == ("c050760b1d100002", "c050760b1d100003")
    slots = inv.io_slots.set_index(["system", "drc_index"])
    nic = slots.loc[("S822L-8247-213C1BA", "21010018")]
    assert (nic["lpar_name"], nic["pci_class"], nic["feature_codes"]) == ("VIOS2", "0200", ("EN0S", "EN0T"))
    assert slots.loc[("S822L-8247-213C1BA", "21010010"), "description"] == "Empty slot"


def test_ibmi_entry_without_its_system_is_a_gap(corpus: Path, tmp_path: Path) -> None:
    inv = load_inventory(rest_bundle(corpus, tmp_path, pypowervm=("lpar_ibmi",)))
    assert inv.partitions.empty
    gap = inv.gaps[inv.gaps["code"] == "unknown_system"].iloc[0]
    assert "powervmtest1" in gap["message"] and gap["file"] == "rest/hmc1/lpar_ibmi.xml"
    row = hmc_rest.partition_row(_objects(corpus, tmp_path, "lpar_ibmi")[0])
    assert (row["lpar_env"], row["state"], row["curr_proc_mode"]) == ("os400", "Not Activated", "ded")
    assert row["remote_restart_capable"] == "true" and row["curr_hpt_ratio"] == "1:64"


def test_shared_processor_pools(corpus: Path, tmp_path: Path) -> None:
    pools = _objects(corpus, tmp_path, "shrprocpool")
    assert len(pools) == 64
    default, first = hmc_rest.pool_row(pools[0]), hmc_rest.pool_row(pools[1])
    assert default["name"] == "DefaultPool" and default["max_pool_proc_units"] is None  # CLI: null
    assert first == {"shared_proc_pool_id": "1", "name": "SharedPool01", "max_pool_proc_units": "10.25",
                     "curr_reserved_pool_proc_units": "5.35", "pend_reserved_pool_proc_units": "6.15"}
    assert len(hmc_rest.linked_uuids(pools[0], "AssignedPartitions")) == 5


def test_switch_and_cna_feeds(corpus: Path, tmp_path: Path) -> None:
    switches = [(o.text("SwitchID"), o.text("SwitchName")) for o in _objects(corpus, tmp_path, "vswitch_feed")]
    assert switches == [("0", "ETHERNET0"), ("1", "MGMTSWITCH")]
    veth = hmc_rest_adapters.adapters_of(_objects(corpus, tmp_path, "cna_feed1")[0])["veth"][0]
    assert (veth["lpar_id"], veth["slot_num"], veth["is_trunk"], veth["trunk_priority"]) == ("2", "3", "1", "1")
    assert veth["addl_vlan_ids"] == "2227" and veth["mac_addr"] == "5E372CFD9E6D"


@pytest.mark.parametrize(("rest", "cli"), [
    ("POWER9_Base", "POWER9_base"), ("POWER6_Plus", "POWER6+"), ("POWER6_Plus_Enhanced", "POWER6+_enhanced"),
    ("POWER8_Enhanced", "POWER8_enhanced"), ("POWER10", "POWER10"), ("default", "default"),
])
def test_compat_mode_spellings(rest: str, cli: str) -> None:
    assert rest_norms.compat_mode(rest) == cli


def test_enumerations() -> None:
    assert rest_norms.partition_state("not activated") == "Not Activated"
    assert rest_norms.partition_state("migrating running") == "Migrating - Running"
    assert rest_norms.sharing_mode("sre idle proces") == "share_idle_procs"
    assert rest_norms.sharing_mode("uncapped") == "uncap"
    assert rest_norms.partition_type("Virtual IO Server") == "vioserver"
    assert rest_norms.partition_type("AIX/Linux") == "aixlinux"
    assert rest_norms.hpt_ratio("6") == "1:64" and rest_norms.hpt_exponent(128) == 7
    assert rest_norms.reserve_policy("NoReserve") == "no_reserve"
    assert rest_norms.partition_state("brand new state") == "brand new state"  # passed through, not invented


_MS_HEAD = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="x">'
            '<ManagedSystem:ManagedSystem xmlns:ManagedSystem="http://www.ibm.com/xmlns/systems/power/firmware/uom/'
            'mc/2012_10/" xmlns="http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/">\n')


def test_truncated_and_hostile_xml(write, tmp_path: Path) -> None:
    write("rest/h/cut.xml", _MS_HEAD + "<SystemName>X</SystemName>\n<State>oper")
    write("rest/h/bomb.xml", '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaa">]>\n'
          '<feed xmlns="http://www.w3.org/2005/Atom"><entry>&a;</entry></feed>\n')
    write("rest/h/other.xml", "<config><item>1</item></config>\n")
    inv = load_inventory(tmp_path)
    files = inv.files.set_index("path")
    assert files.loc["rest/h/other.xml", "format"] != "hmc_rest"
    assert files.loc["rest/h/cut.xml", "format"] == "hmc_rest"
    gaps = inv.gaps
    bomb = gaps[gaps["file"] == "rest/h/bomb.xml"].iloc[0]
    assert bomb["code"] == "unreadable_file" and "DTD" in bomb["message"] and bomb["line"] == 2
    cut = gaps[gaps["file"] == "rest/h/cut.xml"].iloc[0]
    assert cut["code"] == "unreadable_file" and cut["line"] == 3
    assert inv.systems.empty


def test_bad_value_is_a_gap_with_line(write, tmp_path: Path) -> None:
    write("rest/h/ms.xml", _MS_HEAD + "<SystemName>X</SystemName>\n<State>operating</State>\n"
          "<AssociatedSystemMemoryConfiguration><ConfigurableSystemMemory>lots</ConfigurableSystemMemory>"
          "</AssociatedSystemMemoryConfiguration>\n</ManagedSystem:ManagedSystem></content></entry></feed>\n")
    inv = load_inventory(tmp_path)
    assert inv.systems["system"].tolist() == ["X"] and pd.isna(inv.systems["configurable_sys_mem_mb"].iat[0])
    bad = inv.gaps[inv.gaps["code"] == "bad_value"].iloc[0]
    assert "ConfigurableSystemMemory" not in bad["message"] and "lots" in bad["message"]
    assert (bad["file"], bad["line"]) == ("rest/h/ms.xml", 1)
