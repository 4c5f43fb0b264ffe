"""Golden tests of the HMC CLI ingest against real captures in ../shared/corpus (read in place).

ziutus: a real POWER5 9131-52A behind a Polish-locale HMC (V7R7.9 / V8R8.2), captured one file
per command and named `<system>_<what>.txt`; randomparity: tokenised V10/V11 captures wrapped in
JSON `{command, stdout}` records.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hatoolkit import load_inventory
from hatoolkit.ingest.capture import load_sections
from hatoolkit.ingest.hmc_parse import read_section

ZIUTUS = "ziutus-hmc_vios_aix"
SYSTEM = "9131-52A-6535CCG"


@pytest.fixture(scope="module")
def ziutus(corpus):
    return load_inventory(corpus / ZIUTUS / "data" / "20180603_1656")


def _by_name(frame: pd.DataFrame, name: str, column: str = "name") -> pd.Series:
    rows = frame[frame[column] == name]
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows.iloc[0]


def test_ziutus_partitions(ziutus):
    parts = ziutus.partitions
    assert len(parts) == 4
    assert set(parts["system"]) == {SYSTEM}
    assert dict(zip(parts["name"], parts["lpar_id"], strict=True)) == {"dump": 1, "vios1": 2, "vios2": 3, "nim1": 5}
    assert dict(zip(parts["name"], parts["lpar_env"], strict=True)) == {
        "dump": "aixlinux", "vios1": "vioserver", "vios2": "vioserver", "nim1": "aixlinux"}
    nim = _by_name(parts, "nim1")
    assert nim["state"] == "Running" and nim["rmc_state"] == "active" and nim["rmc_ipaddr"] == "192.168.200.235"
    assert nim["curr_proc_mode"] == "shared" and nim["curr_proc_units"] == 0.3 and nim["curr_procs"] == 1
    assert nim["curr_mem_mb"] == 6144 and nim["curr_max_mem_mb"] == 10240 and nim["curr_hpt_ratio"] == 64
    assert nim["curr_num_huge_pages"] == 0
    assert _by_name(parts, "vios1")["redundant_err_path_reporting"] == True  # noqa: E712 - pandas boolean
    assert _by_name(parts, "dump")["state"] == "Not Activated"
    # Each partition row remembers every record behind it.
    assert nim["source"].count(";") == 2 and "9131-52A-6535CCG_lpar_real.txt:1" in nim["source"]


def test_ziutus_polish_unknown_os_version_is_missing(ziutus):
    parts = ziutus.partitions.set_index("name")
    assert parts.loc["nim1", "os_version"] == "AIX 6.1 6100-00-01-0748"
    for name in ("vios1", "vios2", "dump"):  # "Nieznane" is Polish for "Unknown"
        assert pd.isna(parts.loc[name, "os_version"])


def test_ziutus_system_capacity_values(ziutus):
    (system,) = ziutus.systems.itertuples(index=False)
    assert system.system == SYSTEM and system.serial_num == "6535CCG" and system.state == "Operating"
    assert system.hmc == "192.168.200.34"
    assert system.curr_avail_sys_mem_mb == 13696 and system.configurable_sys_mem_mb == 32768
    assert system.sys_firmware_mem_mb == 640 and system.mem_region_size_mb == 128 and system.default_hpt_ratio == 64
    assert system.configurable_sys_proc_units == 2.0 and system.curr_avail_sys_proc_units == 1.1


def test_ziutus_capacity_identities_hold_through_the_inventory(ziutus):
    """Reference §A.5/§A.6: the HMC's own accounting, recomputed from parsed frames."""
    system = ziutus.systems.iloc[0]
    parts = ziutus.partitions
    mem = int(parts["curr_mem_mb"].sum()) + int(system["sys_firmware_mem_mb"]) + int(system["curr_avail_sys_mem_mb"])
    assert mem == system["configurable_sys_mem_mb"]
    assigned = round(float(parts["curr_proc_units"].sum()), 6)
    assert round(float(system["configurable_sys_proc_units"]) - assigned, 6) == float(system["curr_avail_sys_proc_units"])


def test_ziutus_quoted_lists_become_elements(ziutus):
    profiles = ziutus.profiles
    assert len(profiles) == 6
    vios2 = _by_name(profiles, "vios2", "lpar_name")
    assert vios2["io_slots"] == ("21010002/none/1", "21050003/none/1")
    nim = profiles[(profiles["lpar_name"] == "nim1") & (profiles["profile"] == "normal")].iloc[0]
    assert nim["virtual_scsi_adapters"] == ("2/client/2/vios1/2/1", "3/client/3/vios2/2/1")
    assert nim["desired_mem_mb"] == 6144 and nim["desired_proc_units"] == 0.3 and nim["hpt_ratio"] == 64
    dump = _by_name(profiles, "dump", "lpar_name")
    assert dump["virtual_eth_adapters"] == ("2/1/1/3,4,5/0/1",)  # doubled quotes inside a quoted pair


def test_ziutus_io_slots_polish_descriptions_and_unassigned(ziutus):
    slots = ziutus.io_slots.set_index("drc_index")
    assert len(slots) == 10
    assert pd.isna(slots.loc["21010003", "lpar_id"]) and pd.isna(slots.loc["21010003", "lpar_name"])
    assert slots.loc["21020003", "lpar_id"] == 2 and slots.loc["21020003", "description"] == "Kontroler dysków SCSI Ultra320"
    assert slots.loc["21030004", "pci_class"] == "0C04"


def test_ziutus_adapters(ziutus):
    veth = ziutus.virtual_eth
    trunk = veth[(veth["lpar_id"] == 2) & (veth["slot_num"] == 7)].iloc[0]
    assert trunk["is_trunk"] == True and trunk["trunk_priority"] == 1 and trunk["port_vlan_id"] == 7  # noqa: E712
    assert veth["trunk_priority"].isna().sum() == (veth["is_trunk"] == False).sum()  # noqa: E712
    scsi = ziutus.virtual_scsi
    client = scsi[(scsi["lpar_id"] == 5) & (scsi["slot_num"] == 3)].iloc[0]
    assert client["adapter_type"] == "client" and client["remote_lpar_id"] == 3 and client["remote_slot_num"] == 2
    assert ziutus.virtual_fc.empty


def test_ziutus_hmc_error_and_foreign_text_are_gaps_with_file_and_line(ziutus):
    gaps = ziutus.gaps
    hscl = gaps[gaps["code"] == "hmc_message"]
    assert len(hscl) == 1
    assert hscl.iloc[0]["message"].startswith("HSCLA4C0") and hscl.iloc[0]["line"] == 1
    assert hscl.iloc[0]["file"].endswith("9131-52A-6535CCG_virtual_fc.txt") and hscl.iloc[0]["system"] == SYSTEM
    garbled = gaps[gaps["code"] == "unparseable"]
    assert garbled["file"].str.endswith("lssyscfg_r_sys_F_name_type_model_serial_num_state.txt").all()
    assert "Wprowadzono niepoprawny atrybut" in garbled.iloc[0]["message"]
    assert (gaps["code"] == "no_results").sum() == 2  # "Nie znaleziono wyników." twice
    assert not (gaps["code"] == "missing_capture").any()


def test_ziutus_english_io_slots_capture(corpus):
    path = corpus / ZIUTUS / "test" / "data" / "hmc_frame_lshwres_io_slots.txt"
    _, sections = load_sections(path, path.name)
    pending, batch = read_section(sections[0], folder_system=SYSTEM)
    assert pending.kind == "io_slot" and pending.system == SYSTEM and not batch.problems
    frame = batch.frame.set_index("drc_index")
    assert frame.loc["21010003", "description"] == "Other Mass Storage Controller"
    assert pd.isna(frame.loc["21010003", "lpar_id"]) and frame.loc["21010002", "lpar_name"] == "vios2"


@pytest.mark.parametrize(
    ("name", "state", "lpm"),
    [("hmc_sys_test__lssyscfg_r_sys.txt", "Operating", False),
     ("hmc_sys_power5_off_test__lssyscfg_r_sys.txt", "Power Off", None)],
)
def test_ziutus_powered_off_capabilities_are_unknown_not_false(corpus, name, state, lpm):
    inv = load_inventory(corpus / ZIUTUS / "extracted_from_tests" / name)
    (system,) = inv.systems.itertuples(index=False)
    assert system.state == state
    if lpm is None:
        assert pd.isna(system.active_lpar_mobility_capable) and pd.isna(system.max_lpars)
        assert (inv.gaps["code"] == "system_not_operating").sum() == 1
    else:
        assert system.active_lpar_mobility_capable == lpm and system.max_lpars == 20


def test_randomparity_json_wrapped_captures(corpus):
    inv = load_inventory(corpus / "randomparity-hmc-mcp" / "tests" / "fixtures" / "live")
    systems = inv.systems.set_index("system")
    r1 = systems.loc["sys-R1"]
    assert r1["type_model"] == "8375-42A" and r1["active_lpar_mobility_capable"] == True  # noqa: E712
    assert r1["lpar_proc_compat_modes"] == ("default", "POWER7", "POWER8", "POWER9", "POWER9_base")
    assert pd.isna(r1["serial_num"]) is False  # tokenised, still text
    assert systems.loc["sys-2", "type_model"] == "9824-42A"  # `-F type_model` named by `-m sys-2`
    profiles = inv.profiles
    assert len(profiles) == 4
    vios = profiles[(profiles["lpar_name"] == "sys-R1-vios1") & (profiles["profile"] == "lpar-93")].iloc[0]
    assert vios["io_slots"] == ("21020013/none/1", "21040015/none/1", "21010020/none/0")
    assert vios["virtual_scsi_adapters"][1] == "5/server/2//3/0" and vios["proc_mode"] == "ded"
    slots = inv.io_slots.set_index("drc_index")
    assert len(slots) == 15 and pd.isna(slots.loc["21010010", "lpar_name"])  # `null` in -F output
    assert slots.loc["21020013", "lpar_id"] == 100  # resolved from the partition name via the profiles
    assert ((inv.gaps["code"] == "no_results") & inv.gaps["file"].str.endswith("cli-vio-fc-default.json")).any()
