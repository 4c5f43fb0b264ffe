"""HMC Scanner workbooks: the real E1080 workbook of the corpus (read in place), and a small .xlsx."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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


@pytest.mark.corpus
def test_real_e1080_workbook_vios_sheets(scanner_bundle: Path) -> None:
    from hatoolkit.checks import run_checks
    from hatoolkit.model.plan import plan_from_text

    inv = load_inventory(scanner_bundle)
    m = inv.vios_mappings
    scsi = m[m["kind"] == "scsi"]
    assert len(scsi) == 414 and scsi["vtd"].notna().sum() == 10  # every VSCSI_Map row; 10 vhosts have a VTD
    first = scsi.set_index(["vios_name", "adapter"]).loc[("P10VIOS044B", "vhost0")]
    assert (first["vios_lpar_id"], first["slot_num"], first["client_lpar_id"], first["client_name"]) == \
        (8, 702, 160, "TEMP151_S044")  # Client `0x000000a0 "TEMP151_S044"`
    lun = scsi.set_index(["vios_name", "vtd"]).loc[("P10VIOS042A", "vtscsi0")]
    assert (lun["adapter"], lun["backing_device"], lun["backing_type"], lun["status"], bool(lun["mirrored"])) == \
        ("vhost53", "hdisk9", "pv", "Available", False)
    assert lun["backing_physloc"] == "U5B61.001.WZS0148-P0-C0-T0-W50050768121691C5-L9000000000000"
    iso = scsi.set_index(["vios_name", "vtd"]).loc[("P10VIOS041A", "dvds04nim")]
    assert iso["backing_type"] == "optical" and iso["backing_device"].endswith("flash_062024.iso")
    assert m["kind"].value_counts().to_dict() == {"scsi": 414, "net": 82}  # no vfchost is named: no kind=fc rows
    seas = inv.seas.set_index(["vios_name", "sea"])
    assert len(seas) == 42 and seas["ha_mode"].value_counts().to_dict() == {"auto": 34, "sharing": 8}
    shared = seas.loc[("P10VIOS044B", "ent28")]
    assert (shared["ha_mode"], shared["real_adapter"], shared["pvid"], shared["pvid_adapter"]) == \
        ("sharing", "ent16", 11, "ent18")
    assert shared["virt_adapters"] == ("ent18", "ent19", "ent20", "ent21", "ent22", "ent23")
    assert shared["virt_slots"] == (11, 12, 13, 14, 15, 16) and bool(shared["jumbo_frames"]) is False
    net = m[(m["kind"] == "net") & (m["vios_name"] == "P10VIOS044B")].set_index("adapter")
    assert net.loc["ent24", ["slot_num", "sea", "backing_device", "backing_physloc"]].tolist() == \
        [17, "ent29", "ent3", "U5B61.001.WZS012N-P1-C2-T3"]
    ec = inv.etherchannels
    assert len(ec) == 8 and ec["adapter_names"].map(lambda t: t == ("ent0", "ent1", "ent4", "ent5")).all()
    assert set(ec["mode"]) == {"8023ad"} and ec["backup_adapter"].isna().all()  # NONE
    disks = inv.disks
    assert len(disks) == 52 and disks.groupby("vios_name").size().to_dict() == {
        "P10VIOS041A": 13, "P10VIOS041B": 2, "P10VIOS042A": 13, "P10VIOS042B": 2, "P10VIOS043A": 9, "P10VIOS043B": 2,
        "P10VIOS044A": 9, "P10VIOS044B": 2}
    # The same LUN is hdisk9 on both VIOS of a pair: the matrix ties them by unique ID.
    shared_lun = disks[disks["udid"] == "33213600507681280048E280000000000002404214503IBMfcp"]
    assert sorted(zip(shared_lun["vios_name"], shared_lun["hdisk"], strict=True)) == [
        ("P10VIOS041A", "hdisk9"), ("P10VIOS042A", "hdisk9")]
    assert disks["reserve_policy"].isna().all()  # not in the workbook: a documented gap
    gaps = inv.gaps[inv.gaps["code"] == "source_gap"]["message"]
    assert gaps.str.startswith("HMC Scanner workbook cannot fill disks: reserve_policy").any()
    assert gaps.str.contains("cannot fill disk_paths").any() and gaps.str.contains("the FC sheet").any()
    findings, coverage = run_checks(inv, plan_from_text("{}"))
    assert coverage["error"].isna().all()
    reserve = findings[findings["check_id"] == "HA213"]
    assert len(reserve) == 8 and (reserve["status"] == "unknown").all()  # unknown, never a pass
    optical = findings[(findings["check_id"] == "HA212") & (findings["status"] == "fail")]
    assert optical["resource"].tolist() == ["E1080S04/P10VIOS041A/dvds04nim"]


def test_small_xlsx_vios_sheets(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    header = book.active
    header.title = "Header"
    header.append(["HMC Scanner Version", "0.11.55"])
    summary = book.create_sheet("System_Summary")
    summary.append(["Managed System", "Status", "Type Model", "Serial", "Act Cores"])
    summary.append(["S1", "Operating", "9009-42A", "ABC1234", 12.0])
    lpars = book.create_sheet("LPAR_Summary")
    lpars.append(["Name", "ID", "Status", "Environment", "Managed System Name"])
    lpars.append(["vio1", 1.0, "Running", "vioserver", "S1"])
    lpars.append(["db1", 3.0, "Running", "aixlinux", "S1"])
    vmap = book.create_sheet("VSCSI_Map")
    vmap.append(["VIOS", "Slot", "Name", "Client", "VTD", "Status", "LUN", "Backing device", "Phys Loc", "Mirrored",
                 "Identifier", "Managed System Name"])
    vmap.append(["vio1", 11.0, "vhost0", '0x00000003 "db1"', "vtscsi0", "Available", "0x8100000000000000", "db1_lv",
                 " ", "false", "", "S1"])
    vmap.append(["vio1", "twelve", "vhost1", "0x00000000", " ", "", " ", " ", " ", "", "", "S1"])
    vmap.append(["ghost", 13.0, "vhost0", "0x00000003", " ", "", " ", " ", " ", "", "", "S1"])
    disks = book.create_sheet("VIOS disks")
    disks.append(["UUID", "SIZE", "S1@vio1"])
    disks.append(["33213600507680000000000000000000000001", 1024.0, "hdisk4"])
    folder = tmp_path / "hmcscanner"
    folder.mkdir()
    book.save(folder / "scan.xlsx")
    inv = load_inventory(tmp_path)
    m = inv.vios_mappings.set_index("adapter")
    assert (m.loc["vhost0", "backing_type"], m.loc["vhost0", "client_lpar_id"]) == ("lv", 3)
    assert pd.isna(m.loc["vhost1", "slot_num"]) and pd.isna(m.loc["vhost1", "client_lpar_id"])  # 0x0: no client
    assert inv.disks[["vios_lpar_id", "hdisk", "udid"]].values.tolist() == [
        [1, "hdisk4", "33213600507680000000000000000000000001"]]
    gaps = inv.gaps
    assert gaps.loc[gaps["code"] == "bad_value", "message"].str.contains("'Slot' = 'twelve'").any()
    ghost = gaps[gaps["code"] == "orphan_record"].iloc[0]
    assert "VIOS 'ghost' of 'S1'" in ghost["message"] and ghost["line"] == 4
