"""HMC Scanner workbooks: the real E1080 workbook of the corpus (read in place), and a small .xlsx."""

from __future__ import annotations

from pathlib import Path

import pytest

from hatoolkit import load_inventory

WORKBOOK = "AnthonyWong1216-hmcscannerdraw/inputfile/E1080S04_192.168.119.200_20250530_165437_scan.xls"


@pytest.fixture
def scanner_bundle(corpus: Path, tmp_path: Path) -> Path:
    source = corpus / WORKBOOK
    if not source.exists():
        pytest.skip(f"{WORKBOOK} not in the corpus")
    folder = tmp_path / "bundle" / "hmcscanner"
    folder.mkdir(parents=True)
    (folder / source.name).symlink_to(source)  # read in place: no licence to copy it
    return tmp_path / "bundle"


@pytest.mark.corpus
def test_real_e1080_workbook(scanner_bundle: Path) -> None:
    inv = load_inventory(scanner_bundle)
    sys = inv.systems.iloc[0]
    assert (sys["system"], sys["type_model"], sys["serial_num"], sys["state"]) == \
        ("E1080S04", "9080-HEX", "78C01E8", "Operating")
    assert (sys["installed_sys_proc_units"], sys["configurable_sys_proc_units"]) == (96.0, 16.0)
    assert sys["configurable_sys_mem_mb"] == 1176 * 1024 and sys["sys_firmware_mem_mb"] == 140032  # 136.75 GB
    assert sys["hmc"] == "192.168.119.200"
    parts = inv.partitions
    assert len(parts) == 209
    assert parts["lpar_env"].value_counts().to_dict() == {"aixlinux": 201, "vioserver": 8}
    vios = parts.set_index("name").loc["P10VIOS044B"]
    assert (vios["lpar_id"], vios["curr_proc_units"], vios["curr_mem_mb"], vios["curr_max_mem_mb"]) == \
        (8, 0.5, 49152, 81920)
    assert vios["curr_sharing_mode"] == "uncap" and vios["curr_uncap_weight"] == 192
    assert vios["curr_lpar_proc_compat_mode"] == "POWER10"
    assert "LPAR_CPU!" in vios["source"] and "LPAR_MEM!" in vios["source"]
    off = parts[parts["state"] == "Not Activated"]
    assert len(off) == 201 and (off["curr_mem_mb"] == 0).all()
    prof = inv.profiles.set_index("lpar_name").loc["P10VIOS044B"]
    assert (prof["desired_mem_mb"], prof["hpt_ratio"], prof["shared_proc_pool_name"]) == (49152, 128, "DefaultPool")
    fc = inv.virtual_fc
    assert len(fc) == 1600 and fc["lpar_id"].notna().all() and fc["remote_lpar_id"].notna().all()
    client = fc[fc["adapter_type"] == "client"].iloc[0]
    assert client["wwpns"] == ("c051aab0c0401001", "c051aab0c0401002") and client["remote_lpar_name"] == "P10VIOS041A"
    assert len(inv.virtual_scsi) == 824
    trunk = inv.virtual_eth[(inv.virtual_eth["lpar_name"] == "P10VIOS041A") & (inv.virtual_eth["slot_num"] == 11)]
    assert trunk.iloc[0]["trunk_priority"] == 1 and 36 in trunk.iloc[0]["addl_vlan_ids"]
    assert trunk.iloc[0]["vswitch"] == "S04VIOS1"  # system named by the sheet's title row
    slot = inv.io_slots.set_index("drc_index").loc["21010111"]
    assert (slot["lpar_name"], slot["lpar_id"]) == ("P10VIOS042B", 4)
    files = inv.files.iloc[0]
    assert files["format"] == "hmcscanner" and files["commands"] == \
        "HMC Scanner 0.11.55; generated 2025-05-30 16:54:40; HMC 192.168.119.200"
    gaps = inv.gaps
    assert gaps[gaps["code"] == "source_gap"]["message"].str.contains("cannot fill partitions:.*curr_hpt_ratio").any()
    assert not gaps["code"].isin(("schema", "bad_value")).any()


def test_small_xlsx_with_title_rows_and_float_ids(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    header = book.active
    header.title = "Header"
    header.append(["HMC Scanner Version", "0.11.40"])
    header.append(["Manager Name", "hmc9"])
    summary = book.create_sheet("System_Summary")
    summary.append(["Managed System", "Status", "Type Model", "Serial", "Act Cores", "Act GB", "Firm GB"])
    summary.append(["S1", "Operating", "9009-42A", "ABC1234", 12.0, 256.0, 8.5])
    lpars = book.create_sheet("LPAR_Summary")
    lpars.append(["A title above the table"])
    lpars.append([])
    lpars.append(["Name", "ID", "Status", "Environment", "Managed System Name"])
    lpars.append(["db1", 3.0, "Running", "aixlinux", "S1"])
    lpars.append(["db2", 4.5, "Running", "aixlinux", "S1"])
    folder = tmp_path / "hmcscanner"
    folder.mkdir()
    book.save(folder / "scan.xlsx")
    inv = load_inventory(tmp_path)
    assert inv.systems.iloc[0]["configurable_sys_mem_mb"] == 262144 and inv.systems.iloc[0]["hmc"] == "hmc9"
    assert inv.partitions["lpar_id"].tolist() == [3]  # 4.5 is not an ID: a gap, row not used
    bad = inv.gaps[inv.gaps["code"] == "bad_value"].iloc[0]
    assert bad["line"] == 5 and "LPAR_Summary" in bad["file"]
    assert inv.gaps["message"].str.contains("without a LPAR_CPU sheet").any()
