"""Names that are numbers, keywords or substrings of other names; every capture style; bad input."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from hatoolkit.anonymize import anonymize_bundle, load_map
from hatoolkit.anonymize.formats import Universe
from hatoolkit.anonymize.mapping import PseudonymMap
from hatoolkit.cli import main
from hatoolkit.errors import HatoolkitError
from tests.anonymize.equivalence import audit, differences, mapped_back

SYS = ("name=Alpha,type_model=9009-42A,serial_num=1234ABC,ipaddr=192.168.5.10,state=Operating,"
       "active_lpar_mobility_capable=1,inactive_lpar_mobility_capable=1,os400_capable=1,virtual_io_server_capable=1,"
       "virtual_fc_capable=1,\"lpar_proc_compat_modes=default,POWER8,POWER9\"")
LPARS = [
    "name=1,lpar_id=1,lpar_env=vioserver,state=Running,os_version=VIOS 3.1.4.30,logical_serial_num=1234ABC1,"
    "default_profile=default,curr_profile=default,rmc_state=active,rmc_ipaddr=192.168.5.21",
    "name=default,lpar_id=2,lpar_env=aixlinux,state=Running,os_version=AIX 7.3 7300-02-02-2420,"
    "logical_serial_num=1234ABC2,default_profile=default,curr_profile=default,rmc_state=active,"
    "rmc_ipaddr=192.168.5.22",
    "name=NIM,lpar_id=3,lpar_env=aixlinux,state=Running,os_version=AIX 7.3,logical_serial_num=1234ABC3,"
    "default_profile=default,curr_profile=default,rmc_state=active,rmc_ipaddr=192.168.6.23",
    "name=Alpha-VIOS2,lpar_id=4,lpar_env=vioserver,state=Running,os_version=VIOS 3.1.4.30,"
    "logical_serial_num=1234ABC4,default_profile=default,curr_profile=default,rmc_state=active,"
    "rmc_ipaddr=192.168.5.24",
]
PROF = ('name=default,lpar_name=default,lpar_id=2,lpar_env=aixlinux,min_mem=2048,desired_mem=4096,max_mem=8192,'
        'proc_mode=shared,min_proc_units=0.1,desired_proc_units=0.5,max_proc_units=2.0,min_procs=1,desired_procs=1,'
        'max_procs=2,sharing_mode=uncap,uncap_weight=128,'
        '"virtual_scsi_adapters=""2/client/1/1/11/1"",""3/client/4/Alpha-VIOS2/11/1"""')
ETH = "lpar_name=NIM,lpar_id=3,slot_num=2,state=1,is_trunk=0,port_vlan_id=10,vswitch=ETHERNET0,mac_addr=4A5B6C7D8E01"
FC = ('lpar_name=default,lpar_id=2,slot_num=5,adapter_type=client,state=1,remote_lpar_id=1,remote_lpar_name=1,'
      'remote_slot_num=15,"wwpns=c050760a1b2c0010,c050760a1b2c0011"')


@pytest.fixture
def trap_bundle(tmp_path: Path) -> Path:
    root = tmp_path / "bundle"
    hmc = root / "hmc" / "hmc-a"
    hmc.mkdir(parents=True)
    (hmc / "Alpha_session.log").write_text(
        "Last login: Tue Nov 24 22:58:01 2026 from 10.0.0.5\n"
        f"admin1@hmc-a:~> lssyscfg -r sys -m Alpha\n{SYS}\n"
        "admin1@hmc-a:~> lssyscfg -r lpar -m Alpha\n" + "\n".join(LPARS) + "\n"
        f"admin1@hmc-a:~> lssyscfg -r prof -m Alpha\n{PROF}\n"
        f"admin1@hmc-a:~> lshwres -r virtualio --rsubtype eth --level lpar -m Alpha\n{ETH}\n"
        "admin1@hmc-a:~> echo NIMSRV is not NIM\nNIMSRV is not NIM\n", encoding="utf-8")
    (hmc / "Alpha_fc.json").write_text(json.dumps(
        {"command": "lshwres -r virtualio --rsubtype fc --level lpar -m Alpha", "stdout": FC + "\n",
         "exit_status": 0}), encoding="utf-8")
    (hmc / "Alpha_lpar_F.txt").write_text(
        "$ lssyscfg -r lpar -m Alpha -F name,lpar_id,lpar_env,state --header\n"
        "name,lpar_id,lpar_env,state\n1,1,vioserver,Running\ndefault,2,aixlinux,Running\n", encoding="utf-8")
    (root / "plan.yaml").write_text("# Alpha is ours\n"
                                    "preemptible: [\"Alpha/N*\"]\ncritical: [Alpha/default]\n", encoding="utf-8")
    (root / "waivers.yaml").write_text("waivers:\n  - check: HA101\n    system: Alpha\n    partition: \"Z*\"\n"
                                       "    owner: jan\n    until: 2027-01-01\n", encoding="utf-8")
    return root


def test_ambiguous_names_are_replaced_only_where_a_name_stands(trap_bundle, tmp_path):
    result = anonymize_bundle(trap_bundle, tmp_path / "out", tmp_path / "map.yaml")
    pmap = load_map(tmp_path / "map.yaml")
    one, default, nim, sys_a = (pmap.lookup(n) for n in ("1", "default", "NIM", "Alpha"))
    assert {"1", "default"} <= set(result.ambiguous) and "NIM" not in result.ambiguous
    out = tmp_path / "out" / "hmc" / "hmc-01"
    log = (out / f"{sys_a}_session.log").read_text(encoding="utf-8")
    assert f"name={one},lpar_id=1," in log and f"name={default},lpar_id=2," in log
    assert "default_profile=default" in log and "lpar_proc_compat_modes=default,POWER8" in log  # keywords intact
    assert "os_version=VIOS 3.1.4.30" in log  # a version is not an address
    assert f"NIMSRV is not {nim}" in log and "NIM," not in log
    assert "user01@hmc-01:~>" in log and "admin1" not in log and "10.0.0.5" not in log
    assert f'""3/client/4/{pmap.lookup("Alpha-VIOS2")}/11/1""' in log  # inside nested doubled-quote lists
    delimited = (out / f"{sys_a}_lpar_F.txt").read_text(encoding="utf-8")
    assert f"\n{one},1,vioserver,Running\n{default},2,aixlinux,Running" in delimited
    fc = json.loads((out / f"{sys_a}_fc.json").read_text(encoding="utf-8"))
    assert f"lpar_name={default},lpar_id=2" in fc["stdout"] and f"remote_lpar_name={one}," in fc["stdout"]
    wwpns = fc["stdout"].split("wwpns=")[1].split('"')[0].split(",")
    assert len(wwpns) == 2 and wwpns[0] != wwpns[1] and wwpns[0].startswith("c05076")
    assert int(wwpns[1], 16) == int(wwpns[0], 16) + 1 and "c050760a1b2c0010" not in fc["stdout"]
    plan = (tmp_path / "out" / "plan.yaml").read_text(encoding="utf-8")
    assert "Alpha" not in plan and f"{sys_a}/{nim}" in plan and f"{sys_a}/{default}" in plan
    waivers = (tmp_path / "out" / "waivers.yaml").read_text(encoding="utf-8")
    assert f"system: {sys_a}" in waivers and "NOMATCH" in waivers and "Z*" not in waivers
    assert "owner: user" in waivers and "jan" not in waivers


def test_trap_bundle_same_findings_modulo_names(trap_bundle, tmp_path):
    anonymize_bundle(trap_bundle, tmp_path / "out", tmp_path / "map.yaml")
    (inv1, f1), (inv2, f2) = audit(trap_bundle), audit(tmp_path / "out")
    assert len(inv1.partitions) == 4 and len(inv2.partitions) == 4
    assert sorted(inv1.partitions["lpar_env"]) == sorted(inv2.partitions["lpar_env"])
    assert len(inv1.virtual_fc) == len(inv2.virtual_fc) == 1
    diff = differences(f1, mapped_back(f2, tmp_path / "map.yaml"))
    assert diff.empty, diff.head().to_string()


def test_workbook_cells_rewritten_sheets_kept(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "LPAR_Summary"
    ws.append(["Name", "ID", "Environment", "RMC IP", "OS Version"])
    ws.append(["default", 2, "aixlinux", "10.20.3.4", "VIOS 3.1.4.30"])
    ws.append(["ERP-DB", 3, "os400", "10.20.3.5", "7.4.0.1"])
    wb.create_sheet("Header").append(["Manager Name", "hmc-x.corp.example.com"])
    (tmp_path / "b").mkdir()
    wb.save(tmp_path / "b" / "scan.xlsx")
    pmap = PseudonymMap()
    pmap.name("default", "partition")
    pmap.name("ERP-DB", "partition")
    (tmp_path / "m.yaml").write_text(pmap.to_yaml(), encoding="utf-8")
    result = anonymize_bundle(tmp_path / "b", tmp_path / "o", tmp_path / "m.yaml")
    book = openpyxl.load_workbook(tmp_path / "o" / "scan.xlsx")
    assert book.sheetnames == ["LPAR_Summary", "Header"]
    rows = list(book["LPAR_Summary"].iter_rows(values_only=True))
    assert rows[1][0] == "lpar-0001" and rows[2][0] == "LPAR-0002" and rows[1][1] == 2  # numbers stay numbers
    assert rows[1][3].startswith("10.") and rows[1][3] != "10.20.3.4" and rows[1][3].endswith(".4")
    assert rows[1][3].rsplit(".", 1)[0] == rows[2][3].rsplit(".", 1)[0]  # one subnet stays one subnet
    assert rows[1][4] == "VIOS 3.1.4.30" and rows[2][4] == "7.4.0.1"  # versions, not addresses
    manager = next(iter(book["Header"].iter_rows(values_only=True)))[1]
    assert "corp" not in manager and "example" not in manager and result.residue == []


def test_ip_mac_wwpn_serial_formats():
    pmap = PseudonymMap()
    a, b, c = pmap.ip_of("10.20.3.4"), pmap.ip_of("10.20.3.9"), pmap.ip_of("10.20.4.9")
    assert a.rsplit(".", 1)[0] == b.rsplit(".", 1)[0] and a.endswith(".4")
    assert c.rsplit(".", 2)[0] == a.rsplit(".", 2)[0] and c.rsplit(".", 1)[0] != a.rsplit(".", 1)[0]
    assert pmap.ip_of("172.20.1.1").split(".")[0] == "172" and 16 <= int(pmap.ip_of("172.20.1.1").split(".")[1]) < 32
    assert pmap.ip_of("192.168.7.7").startswith("192.168.")
    import ipaddress

    public = pmap.ip_of("20.10.10.10")
    assert ipaddress.ip_address(public).is_global and public != "20.10.10.10"
    mac = pmap.mac_of("00145E010001")
    assert len(mac) == 12 and mac.startswith("00145E") and mac != "00145E010001"
    assert pmap.serial_of("78A1234") != "78A1234" and len(pmap.serial_of("78A1234")) == 7
    assert pmap.serial_of("21-0G1")[2] == "-" and pmap.serial_of("78A1234") == pmap.serial_of("78a1234".upper())
    w0, w1 = pmap.wwpn_of("C050760A1B2C0010"), pmap.wwpn_of("C050760A1B2C0011")
    assert w0 != w1 and int(w1, 16) == int(w0, 16) + 1 and w0.startswith("C05076")


def test_case_of_each_occurrence_is_kept():
    pmap = PseudonymMap()
    assert pmap.name("NIM", "partition") == "LPAR-0001"
    assert pmap.lookup("nim") == "lpar-0001" and pmap.lookup("Nim") == "LPAR-0001"


def test_glob_expansion():
    uni = Universe({("DR-1", "DEV-ERP"), ("DR-1", "DEV-WEB"), ("PRD-1", "DEV-X"), ("DR-1", "NIM")}, {"DR-1", "PRD-1"})
    assert uni.expand("DR-1/DEV-*") == ["DR-1/DEV-ERP", "DR-1/DEV-WEB"]
    assert uni.expand("*/DEV-*") == ["*/DEV-ERP", "*/DEV-WEB", "*/DEV-X"]
    assert uni.expand("PRD-*") == ["PRD-1"] and uni.expand("DR-1/NIM") is None and uni.expand("X*") == []


def test_bad_inputs_are_one_line_errors(trap_bundle, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("hatoolkit_anonymize_map: 1\nsystem:\n  A: SYS-001\n  B: SYS-001\n", encoding="utf-8")
    with pytest.raises(HatoolkitError) as err:
        anonymize_bundle(trap_bundle, tmp_path / "o1", bad)
    assert err.value.file == str(bad) and err.value.line == 4
    bad.write_text("system: [unclosed\n", encoding="utf-8")
    assert main(["anonymize", str(trap_bundle), "--out", str(tmp_path / "o2"), "--map", str(bad)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "Traceback" not in lines[0]
    bad.write_text("just: a yaml\n", encoding="utf-8")
    assert main(["anonymize", str(trap_bundle), "--out", str(tmp_path / "o3"), "--map", str(bad)]) == 2
    assert "not a hatoolkit anonymisation map" in capsys.readouterr().err
    (trap_bundle / "plan.yaml").write_text("failover: [unclosed\n", encoding="utf-8")
    assert main(["anonymize", str(trap_bundle), "--out", str(tmp_path / "o4")]) == 2
    err_text = capsys.readouterr().err
    assert "plan.yaml:" in err_text and len(err_text.strip().splitlines()) == 1
    assert not (tmp_path / "o4").exists()  # nothing half-written
    unreadable = trap_bundle / "hmc" / "hmc-a" / "locked.txt"
    unreadable.write_text("x", encoding="utf-8")
    unreadable.chmod(0)
    try:
        if not unreadable.stat().st_mode & 0o444 and not _can_read(unreadable):
            assert main(["anonymize", str(trap_bundle), "--out", str(tmp_path / "o5")]) == 2
            assert "locked.txt" in capsys.readouterr().err
    finally:
        unreadable.chmod(0o644)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    assert main(["anonymize", str(trap_bundle), "--out", str(tmp_path / "full")]) == 2
    assert "not empty" in capsys.readouterr().err


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
        return True
    except OSError:
        return False


def test_real_name_equal_to_a_pseudonym_is_not_confused(tmp_path, capsys):
    lpars = "\n".join(line.replace("name=NIM,", "name=LPAR-0001,") for line in LPARS)
    root = tmp_path / "b"
    (root / "hmc" / "h").mkdir(parents=True)
    (root / "hmc" / "h" / "a.log").write_text(f"$ lssyscfg -r lpar -m Alpha\n{lpars}\n", encoding="utf-8")
    assert main(["anonymize", str(root), "--out", str(tmp_path / "o"), "--map", str(tmp_path / "m.yaml")]) == 0
    assert "wrote 1 files" in capsys.readouterr().out
    pmap = load_map(tmp_path / "m.yaml")
    pseudonyms = [pmap.lookup(n) for n in ("1", "default", "LPAR-0001", "Alpha-VIOS2")]
    assert len(set(pseudonyms)) == 4 and "LPAR-0001" not in pseudonyms[2:]
    # lslparutil-style records no reader claims: names in lpar_name= and -m are still found
    (root / "hmc" / "h" / "util.txt").write_text(
        "$ lslparutil -r lpar -m Beta --startyear 2026 -n 2\n"
        "time=11/24/2026 23:00:00,event_type=sample,resource_type=lpar,lpar_name=ZETA-DB,lpar_id=9,"
        "curr_proc_units=1.0,entitled_cycles=100,capped_cycles=0,uncapped_cycles=50\n", encoding="utf-8")
    anonymize_bundle(root, tmp_path / "o2", tmp_path / "m.yaml")
    text = next((tmp_path / "o2" / "hmc").rglob("util.txt")).read_text(encoding="utf-8")
    assert "ZETA-DB" not in text and "Beta" not in text and "lpar_name=LPAR-" in text and "-m SYS-" in text


def test_names_with_spaces_and_xml_escapes():
    from hatoolkit.anonymize.rewrite import Rewriter

    pmap = PseudonymMap()
    pmap.name("ERP DB", "partition")
    pmap.name("R&D", "partition")
    pmap.name("ERP", "partition")
    rw = Rewriter(pmap, set())
    assert rw.text("name=ERP DB,lpar_id=5") == "name=LPAR-0001,lpar_id=5"
    assert rw.text("<PartitionName>R&amp;D</PartitionName>") == "<PartitionName>LPAR-0002</PartitionName>"
    assert rw.text("name=ERP,x=ERPX,y=ERP-DB2") == "name=LPAR-0003,x=ERPX,y=LPAR-0003-DB2"


def test_map_never_travels_with_the_bundle(trap_bundle, tmp_path):
    with pytest.raises(HatoolkitError, match="outside"):
        anonymize_bundle(trap_bundle, tmp_path / "o", trap_bundle / "map.yaml")
    (trap_bundle / "old_map.yaml").write_text(PseudonymMap().to_yaml(), encoding="utf-8")
    result = anonymize_bundle(trap_bundle, tmp_path / "o", tmp_path / "m.yaml")
    assert ("old_map.yaml", "an anonymisation map: never part of a shared bundle") in result.skipped
    assert not (tmp_path / "o" / "old_map.yaml").exists()


WAIVERS = """# who accepted what
waivers:
  - check: HA203
    resource: Alpha/NIM
    owner: j.kowalski
    reason: NIM keeps its own adapter; rebuilt on Alpha from mksysb
    expires: 2027-03-31
  - check: HA207
    resource: Alpha/*-VIOS2/ent*
    owner: a.nowak@example.com
    reason: firewall
    expires: 2026-10-31
  - check: HA208
    resource: "*/[1d]*"
    owner: a.nowak
    reason: both of them
    expires: 2026-10-31
  - check: HA208
    resource: Alpha/GHOST-1
    owner: a.nowak
    reason: GHOST-1 is only named here
    expires: 2026-10-31
"""


def test_waivers_patterns_and_owners(trap_bundle, tmp_path):
    import yaml

    (trap_bundle / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    anonymize_bundle(trap_bundle, tmp_path / "o", tmp_path / "m.yaml")
    pmap = load_map(tmp_path / "m.yaml")
    text = (tmp_path / "o" / "waivers.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)["waivers"]
    sys_a, nim, vios2 = pmap.lookup("Alpha"), pmap.lookup("NIM"), pmap.lookup("Alpha-VIOS2")
    assert data[0]["resource"] == f"{sys_a}/{nim}" and f"{nim} keeps its own adapter; rebuilt on {sys_a}" in \
        data[0]["reason"]
    assert data[1]["resource"] == f"{sys_a}/{vios2}/ent*" and data[1]["owner"].endswith(".example")
    assert "@" in data[1]["owner"] and "nowak" not in text and "kowalski" not in text
    # One waiver whose pattern matched two partitions becomes two waivers, in order, same fields.
    assert [w["resource"] for w in data[2:4]] == [f"*/{pmap.lookup('1')}", f"*/{pmap.lookup('default')}"]
    assert all(w["check"] == "HA208" and w["reason"] == "both of them" for w in data[2:4])
    assert "GHOST" not in text and data[4]["resource"] == f"{sys_a}/{pmap.lookup('GHOST-1')}"  # named only here
    assert data[2]["owner"] == data[3]["owner"] == pmap.lookup("a.nowak") != data[0]["owner"]
