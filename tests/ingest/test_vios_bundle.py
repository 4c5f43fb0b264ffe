"""VIOS captures in a bundle: which VIOS each belongs to, and bad input becoming gaps (never a traceback)."""

from __future__ import annotations

import pandas as pd

from hatoolkit import load_inventory
from hatoolkit.ingest import vios_devices as dev

HMC_SYS = "$ lssyscfg -r sys\nname=SYS1,type_model=9105-42A,serial_num=78A0001,state=Operating\n"
HMC_LPAR = ("$ lssyscfg -r lpar -m SYS1\n"
            "name=VIOS-A,lpar_id=1,lpar_env=vioserver,state=Running,msp=1\n"
            "name=VIOS-B,lpar_id=2,lpar_env=vioserver,state=Running,msp=1\n"
            "name=app1,lpar_id=3,lpar_env=aixlinux,state=Running\n")


def lsmap(vios_id: int, client: int = 3, serial: str = "78A0001") -> str:
    return (f"SVSA            Physloc                                      Client Partition ID\n"
            f"--------------- -------------------------------------------- ------------------\n"
            f"vhost0          U9105.42A.{serial}-V{vios_id}-C20                   0x{client:08x}\n\n"
            "VTD                   vtapp1\nStatus                Available\nLUN                   0x8100000000000000\n"
            "Backing device        hdisk4\nPhysloc               U78D3.001.78A0001-P1-C1-T1-W500507680C110A12-L4000000000000\n"
            "Mirrored              false\n")


def _estate(write) -> None:
    write("hmc/h1/SYS1/sys.txt", HMC_SYS)
    write("hmc/h1/SYS1/lpar.txt", HMC_LPAR)


def test_viosvrcmd_transcript_names_system_and_vios(write, tmp_path):
    _estate(write)
    write("hmc/h1/viosvrcmd.log",
          f'hscroot@h1:~> viosvrcmd -m SYS1 -p VIOS-A -c "lsmap -all"\n{lsmap(1)}'
          f'hscroot@h1:~> viosvrcmd -m SYS1 -p VIOS-B -c "lsmap -all"\n{lsmap(2)}hscroot@h1:~> exit\n')
    inv = load_inventory(tmp_path)
    m = inv.vios_mappings
    assert sorted(zip(m["vios_lpar_id"], m["vios_name"], strict=True)) == [(1, "VIOS-A"), (2, "VIOS-B")]
    assert set(m["client_lpar_id"]) == {3} and set(m["system"]) == {"SYS1"}
    assert m["source"].str.startswith("hmc/h1/viosvrcmd.log:").all()
    assert not inv.gaps["code"].isin(["unknown_system", "unparseable", "truncated"]).any()


def test_folder_layout_and_location_codes(write, tmp_path):
    _estate(write)
    write("vios/SYS1/VIOS-B/lsmap_all.txt", f"$ lsmap -all\n{lsmap(2)}")
    write("collected/anonymous_lsmap.txt", f"$ lsmap -all\n{lsmap(1)}")  # placed by V1 + serial 78A0001
    inv = load_inventory(tmp_path)
    got = inv.vios_mappings.set_index("vios_lpar_id")["source"].str.split(":").str[0].to_dict()
    assert got == {1: "collected/anonymous_lsmap.txt", 2: "vios/SYS1/VIOS-B/lsmap_all.txt"}


def test_host_name_places_capture_case_insensitively(write, tmp_path):
    _estate(write)
    write("misc/a.txt", "uname -n| |vios-a\n" + "".join(f"lsmap -all| |{ln}\n" for ln in lsmap(1, serial="XXXXXXX").split("\n")))
    inv = load_inventory(tmp_path)
    assert inv.vios_mappings["vios_lpar_id"].tolist() == [1]
    assert inv.gaps["message"].str.contains("do not match SYS1's serial").any()


def test_location_codes_beat_a_misleading_host_name(write, tmp_path):
    _estate(write)
    write("misc/b.txt", "uname -n| |vios-a\n" + "".join(f"lsmap -all| |{ln}\n" for ln in lsmap(2).split("\n")))
    inv = load_inventory(tmp_path)
    assert inv.vios_mappings["vios_lpar_id"].tolist() == [2]
    assert inv.gaps["message"].str.contains("used the location codes").any()


def test_capture_of_a_machine_the_hmc_data_lacks_is_kept_under_its_own_identity(write, tmp_path):
    """Location codes name the machine (type-model*serial): never filed under another system, never dropped."""
    _estate(write)
    write("misc/c.txt", "$ lsmap -all\n" + lsmap(7, serial="0000000"))
    inv = load_inventory(tmp_path)
    assert set(inv.vios_mappings["system"]) == {"9105-42A*0000000"}
    note = inv.gaps[(inv.gaps["code"] == "recognition") & (inv.gaps["file"] == "misc/c.txt")]
    assert note["message"].str.contains("no HMC data for this machine").any()
    assert "9105-42A*0000000" in set(inv.systems["system"])  # and its missing HMC captures are reported


def test_unplaceable_capture_is_a_gap_not_data(write, tmp_path):
    _estate(write)
    write("misc/c.txt", "$ lsmap -all\nSVSA            Physloc                                      Client Partition ID\n"
          "--------------- -------------------------------------------- ------------------\n"
          "vhost0          -                                            0x00000003\n")
    inv = load_inventory(tmp_path)
    assert inv.vios_mappings.empty
    gap = inv.gaps[inv.gaps["code"] == "unknown_system"]
    assert gap["file"].tolist() == ["misc/c.txt"] and gap["message"].str.contains("VIOS capture not used").all()


def test_capture_naming_a_partition_that_is_not_a_vios(write, tmp_path):
    _estate(write)
    write("vios/SYS1/app1/lsmap.txt", "$ lsmap -all\n" + lsmap(3))
    inv = load_inventory(tmp_path)
    assert inv.vios_mappings.empty
    assert inv.gaps["message"].str.contains("aixlinux, not a VIOS").any()


def test_truncated_lsmap_keeps_the_row_with_unknown_backing(write, tmp_path):
    _estate(write)
    cut = lsmap(1).split("Backing device")[0]
    write("vios/SYS1/VIOS-A/lsmap.txt", "$ lsmap -all\n" + cut)
    inv = load_inventory(tmp_path)
    row = inv.vios_mappings.iloc[0]
    assert row["vtd"] == "vtapp1" and pd.isna(row["backing_device"]) and pd.isna(row["backing_type"])
    gap = inv.gaps[inv.gaps["code"] == "truncated"]
    assert gap["file"].tolist() == ["vios/SYS1/VIOS-A/lsmap.txt"] and gap["line"].tolist() == [6]


def test_truncated_fmt_line_and_vios_error_text(write, tmp_path):
    _estate(write)
    write("vios/SYS1/VIOS-A/fmt.txt", "$ lsmap -all -fmt :\n"
          "vhost0:U9105.42A.78A0001-V1-C20:0x00000003:vtapp1:Available:0x81\n"
          "vhost1:U9105.42A.78A0001-V1-C21:0x00000004:vtapp2:Available:0x8100000000000000:hdisk5: :false\n")
    write("vios/SYS1/VIOS-A/hdisk99.txt", "$ lsdev -dev hdisk99 -attr\n"
          "VIOSE01040120-0013 Device hdisk99 is not in AVAILABLE state.\n")
    inv = load_inventory(tmp_path)
    gaps = inv.gaps.set_index("code")
    assert gaps.loc["truncated", "line"] == 2 and "vhost0" in gaps.loc["truncated", "message"]
    assert gaps.loc["hmc_message", "file"] == "vios/SYS1/VIOS-A/hdisk99.txt" and gaps.loc["hmc_message", "line"] == 2
    m = inv.vios_mappings.set_index("adapter")
    assert m.loc["vhost1", "backing_device"] == "hdisk5" and pd.isna(m.loc["vhost0", "vtd"])
    assert inv.disks.empty


def test_garbage_in_an_lsmap_block_is_reported_with_its_line(write, tmp_path):
    _estate(write)
    body = lsmap(1).replace("LUN ", "#@!%$ garbled ~~\nLUN ", 1)
    write("vios/SYS1/VIOS-A/lsmap.txt", "$ lsmap -all\n" + body)
    inv = load_inventory(tmp_path)
    gap = inv.gaps[inv.gaps["code"] == "unparseable"]
    assert gap["line"].tolist() == [8]
    assert inv.vios_mappings["backing_device"].tolist() == ["hdisk4"]


def test_padmin_transcript_with_colour_escapes(write, tmp_path):
    _estate(write)
    write("vios/SYS1/VIOS-A/session.log", "\x1b[1m$\x1b[0m hostname\nvioshost1\n\x1b[1m$\x1b[0m lsmap -all\n" + lsmap(1)
          + "\x1b[1m$\x1b[0m ioslevel\n3.1.4.30\n")
    inv = load_inventory(tmp_path)
    assert inv.vios_mappings["vtd"].tolist() == ["vtapp1"]
    assert not inv.gaps["code"].isin(["unknown_command", "unparseable"]).any()


def test_lsdev_attribute_table_with_empty_value_and_collapsed_spacing():
    table = ("attribute     value       description                                   user_settable\n\n"
             "accounting    disabled    Enable per-client accounting                  True\n"
             "ctl_chan                  Control Channel adapter for SEA failover      True\n"
             "ha_mode       auto        High Availability Mode                        True\n"
             "pvid          1           PVID to use for the SEA device                True\n"
             "real_adapter  ent0        Physical adapter associated with the SEA      True\n"
             "virt_adapters ent2,ent3   List of virtual adapters associated with the SEA (comma separated) True\n")
    attrs, problems = dev.parse_attr_table(table.split("\n"), 2)
    rows = dev.device_rows("ent5", attrs, problems).rows["seas"]
    assert rows[0]["ctl_chan"] is None and rows[0]["ha_mode"] == "auto" and rows[0]["virt_adapters"] == ("ent2", "ent3")
    assert rows[0]["pvid"] == 1 and not problems
    collapsed = "reserve_policy  no_reserve  Reserve Policy  True\nunique_id  3321360050768ABC04214503IBMfcp  Unique device identifier  False\n"
    attrs, problems = dev.parse_attr_table(collapsed.split("\n"), 1)
    disk = dev.device_rows("hdisk3", attrs, problems).rows["disks"][0]
    assert disk["reserve_policy"] == "no_reserve" and disk["unique_id"].endswith("IBMfcp")


def test_chkdev_and_lspath_layouts():
    verbose = ("NAME:                hdisk2\nIDENTIFIER:          3E213600A0B8000291B0800 FAStT03IBMfcp\n"
               "PHYS2VIRT_CAPABLE:   NA\nPVID:                00c7e9a0ba3a79340000000000000000\nUDID:   x\n\n"
               "NAME:                hdisk3\nIDENTIFIER:          3E213600A0B8000291B0801 FAStT03IBMfcp\n")
    rows = dev.parse_chkdev(verbose.split("\n"), 1).rows["disks"]
    assert [(r["hdisk"], r["udid"]) for r in rows] == [("hdisk2", "3E213600A0B8000291B0800 FAStT03IBMfcp"),
                                                        ("hdisk3", "3E213600A0B8000291B0801 FAStT03IBMfcp")]
    fmt = dev.parse_chkdev(["hdisk4:33213600507680C8:YES"], 1, ":", ["name", "identifier", "phys2virt_capable"])
    assert fmt.rows["disks"][0]["udid"] == "33213600507680C8"
    paths = dev.parse_lspath(["status  name    parent  connection", "", "Enabled hdisk0  fscsi0  5005076801403b2e,0",
                              "Failed  hdisk0  fscsi1  5005076801403b2f,0", "Enabled wat"], 1)
    assert [(r["status"], r["parent"]) for r in paths.rows["disk_paths"]] == [("Enabled", "fscsi0"), ("Failed", "fscsi1")]
    assert [p.line for p in paths.problems] == [5]


def test_reserve_policy_listing_over_all_disks(write, tmp_path):
    _estate(write)
    write("vios/SYS1/VIOS-A/rp.txt", "$ lsdev -type disk -attr reserve_policy\nname     value\n\nhdisk0   single_path\n"
          "hdisk4   no_reserve\nwhat is this\n")
    write("vios/SYS1/VIOS-A/lsmap.txt", "$ lsmap -all\n" + lsmap(1))
    inv = load_inventory(tmp_path)
    assert dict(zip(inv.disks["hdisk"], inv.disks["reserve_policy"], strict=True)) == {"hdisk0": "single_path",
                                                                                      "hdisk4": "no_reserve"}
    assert inv.gaps.loc[inv.gaps["code"] == "unparseable", "line"].tolist() == [6]


def test_root_captures_through_ioscli(write, tmp_path):
    _estate(write)
    write("vios/SYS1/VIOS-A/root.txt", "$ /usr/ios/cli/ioscli lsmap -all\n" + lsmap(1))
    inv = load_inventory(tmp_path)
    assert inv.vios_mappings["vtd"].tolist() == ["vtapp1"]
    assert not inv.gaps["code"].isin(["unknown_command"]).any()
