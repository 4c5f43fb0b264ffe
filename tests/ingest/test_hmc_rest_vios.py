"""REST VIOS side on the real feeds of the corpus: VirtualIOServer entries and NetworkBridges into the VIOS frames.

pypowervm's VIOS feeds come without the ManagedSystem entry of their system; `managed_system_stub` writes
one with the identity their location codes show, so the real VIOS data can be placed on a system.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hatoolkit import load_inventory
from hatoolkit.ingest import hmc_rest_vios, rest_norms
from hatoolkit.ingest.rest_xml import iter_objects
from hatoolkit.model.inventory import Inventory
from tests.ingest.rest_corpus import PYPOWERVM, managed_system_stub, pypowervm_body, rest_bundle

pytestmark = pytest.mark.corpus

NIMBUS = ("e7344c5b-79b5-3e73-8f64-94821424bc25", "NIMBUS", "7895-43X", "21EF9FB")
DREW = ("726e9cb3-6576-3df5-ab60-40893d51d074", "DREW", "8246-L2C", "0604C7A")
SSP = ("e955e11a-6ee0-3e04-987c-6fa319f8cb8c", "SSP", "8246-L1C", "0604CAA")
BRIDGED = ("c5d782c7-44e4-3086-ad15-b16fb039d63b", "BRIDGED", "8247-22L", "2125D4A")


def _load(corpus: Path, tmp_path: Path, feeds: tuple[str, ...], system: tuple[str, str, str, str]) -> Inventory:
    bundle = rest_bundle(corpus, tmp_path, pypowervm=feeds)
    managed_system_stub(bundle, *system)
    return load_inventory(bundle)


def _messages(inv: Inventory, code: str) -> pd.Series:
    return inv.gaps.loc[inv.gaps["code"] == code, "message"]


def test_vios_feed_58_vscsi_and_114_vfc_mappings(corpus: Path, tmp_path: Path) -> None:
    inv = _load(corpus, tmp_path, ("fake_vios_feed",), NIMBUS)
    m = inv.vios_mappings
    assert m.groupby(["vios_name", "kind"]).size().to_dict() == {
        ("nimbus-ch03-p2-vios1", "fc"): 55, ("nimbus-ch03-p2-vios1", "net"): 2, ("nimbus-ch03-p2-vios1", "scsi"): 28,
        ("nimbus-ch03-p2-vios2", "fc"): 57, ("nimbus-ch03-p2-vios2", "net"): 4, ("nimbus-ch03-p2-vios2", "scsi"): 30}
    # 114 vFC mappings: vfchost50 (vios2) and vfchost0 (vios1) are each listed twice, identically: one row each.
    assert (m["kind"] == "scsi").sum() == 58 and (m["kind"] == "fc").sum() == 112
    assert not inv.gaps["code"].isin(("duplicate_record", "schema", "bad_value", "unparseable")).any()
    fc = m[m["kind"] == "fc"].set_index(["vios_name", "adapter"]).loc[("nimbus-ch03-p2-vios2", "vfchost60")]
    assert (fc["vios_lpar_id"], fc["slot_num"], fc["client_lpar_id"], fc["client_slot"]) == (2, 94, 10, 3)
    assert (fc["backing_device"], fc["backing_type"], fc["adapter_physloc"]) == ("fcs1", "fc_port",
                                                                                 "U7895.43X.21EF9FB-V2-C94")
    assert pd.isna(fc["status"]) and pd.isna(fc["client_name"])  # REST has no login view: source gaps
    scsi = m[m["kind"] == "scsi"].set_index(["vios_name", "adapter"]).loc[("nimbus-ch03-p2-vios2", "vhost19")]
    assert (scsi["slot_num"], scsi["client_lpar_id"], scsi["adapter_physloc"]) == (46, 42, "U7895.43X.21EF9FB-V2-C46")
    assert pd.isna(scsi["vtd"])  # this feed's vhosts carry no storage: one row per vhost, vtd NA
    assert m.loc[m["kind"] == "scsi", "vtd"].isna().all() and m.loc[m["kind"] != "net", "client_lpar_id"].notna().all()
    seas = inv.seas.set_index("vios_name")
    vios1 = seas.loc["nimbus-ch03-p2-vios1"]
    assert (vios1["sea"], vios1["ha_mode"], vios1["real_adapter"], vios1["ctl_chan"], vios1["pvid"]) == \
        ("ent6", "auto", "ent0", "ent5", 1)
    assert vios1["virt_adapters"] == ("ent4", "ent8") and vios1["virt_slots"] == (2, 4)
    assert vios1["pvid_adapter"] == "ent4" and vios1["vlans"] == (1, 4093, 2134, 2173)
    assert seas["trunk_priority"].to_dict() == {"nimbus-ch03-p2-vios2": 2, "nimbus-ch03-p2-vios1": 1}
    net = m[m["kind"] == "net"].set_index(["vios_name", "adapter"])
    assert net.loc[("nimbus-ch03-p2-vios1", "ent4"), "adapter_physloc"] == "U7895.43X.21EF9FB-V1-C2-T1"  # AIX's -T1
    assert net.loc[("nimbus-ch03-p2-vios1", "ent4"), "sea"] == "ent6"
    assert pd.isna(net.loc[("nimbus-ch03-p2-vios2", "ent12"), "sea"])  # a trunk adapter in no SEA bridges nothing
    disks = inv.disks.set_index("vios_name")
    assert disks["reserve_policy"].tolist() == ["single_path", "single_path"]  # REST SinglePath
    assert disks.loc["nimbus-ch03-p2-vios1", "udid"] == "332136005076D02810187E00000000000000304214503IBMfcp"
    assert disks["algorithm"].eq("fail_over").all() and disks["pvid"].isna().all()
    documented = " ".join(_messages(inv, "source_gap"))
    for frame in ("vios_mappings", "seas", "disks", "etherchannels", "disk_paths"):
        assert f"REST cannot fill {frame}:" in documented
    assert inv.etherchannels.empty and inv.disk_paths.empty


def test_vios_mappings_with_storage(corpus: Path, tmp_path: Path) -> None:
    inv = _load(corpus, tmp_path, ("fake_vios_mappings",), DREW)
    m = inv.vios_mappings
    assert m.groupby(["kind", "backing_type"]).size().to_dict() == {
        ("fc", "fc_port"): 29, ("net", "ethernet"): 2, ("scsi", "lv"): 1, ("scsi", "optical"): 4}
    assert m.loc[m["kind"] == "scsi", "backing_type"].isna().sum() == 22  # vhosts without a target device
    vopt = m[m["vtd"] == "vtopt0"].iloc[0]
    assert (vopt["adapter"], vopt["lun"], vopt["backing_device"]) == \
        ("vhost0", "0x8100000000000000", "/var/vio/VMLibrary/vopt_2c7aa01349714368a3d040bb0d613a67")
    lv = m[m["backing_type"] == "lv"].iloc[0]
    assert (lv["vtd"], lv["backing_device"], lv["client_lpar_id"]) == ("vtscsi0", "asdfasfdasdf", 15)
    # The fixture splices in a mapping of partition 2 of another machine: not this VIOS's, said so.
    orphan = inv.gaps[inv.gaps["code"] == "orphan_record"].iloc[0]
    assert "vhost1 (U8286.42A.103B264-V2-C3) belongs to partition 2" in orphan["message"]
    assert (orphan["file"], orphan["line"]) == ("rest/hmc1/fake_vios_mappings.xml", 13)
    assert inv.disks[["hdisk", "reserve_policy"]].values.tolist() == [  # frames come in key order
        ["hdisk0", "single_path"], ["hdisk1", "single_path"], ["hdisk2", "single_path"]]
    sea = inv.seas.iloc[0]
    assert (sea["sea"], sea["ha_mode"], sea["real_adapter"], sea["virt_slots"]) == ("ent14", "disabled", "ent6", (2, 3))
    assert sea["vlans"][:3] == (1, 4094, 29) and pd.isna(sea["ctl_chan"])


def test_ssp_and_npiv_vios(corpus: Path, tmp_path: Path) -> None:
    inv = _load(corpus, tmp_path, ("fake_vios_ssp_npiv",), SSP)
    m = inv.vios_mappings
    lus = m[m["backing_type"] == "lu"]
    assert len(lus) == 4 and set(lus["vtd"]) == {"vtscsi0", "vtscsi1", "vtscsi2", "vtscsi3"}
    assert "volume-csky_ssp_vol2_1gb" in set(lus["backing_device"])
    pv = m[m["backing_type"] == "pv"].iloc[0]
    assert (pv["adapter"], pv["vtd"], pv["backing_device"], pv["client_lpar_id"]) == ("vhost55", "vtscsi55", "hdisk8", 55)
    assert pv["backing_physloc"] == "U78AB.001.WZSHPNK-P1-C2-T1-W5005076802232ADE-L7000000000000"
    unmapped = m[(m["kind"] == "fc") & (m["adapter"] == "vfchost1")].iloc[0]
    assert pd.isna(unmapped["backing_device"]) and pd.isna(unmapped["backing_type"])  # no port mapped yet
    disks = inv.disks.set_index("hdisk")
    assert len(disks) == 11 and disks.loc["hdisk6", "reserve_policy"] == "single_path"
    # The VIOS-level list wins over a mapping's copy of the same hdisk (here with another LUN's UDID).
    assert disks.loc["hdisk8", "udid"] == "33213600507630083804130000000000008B204214503IBMfcp"
    assert disks.loc["hdisk0", "udid"] == "2811350000394783A52B809MBF2600RC03IBMsas"


def test_network_bridges_placed_on_their_vios(corpus: Path, tmp_path: Path) -> None:
    inv = _load(corpus, tmp_path, ("vio_multi_vscsi_mapping", "nbbr_network_bridge_failover",
                                   "nbbr_network_bridge_peer", "nbbr_virtual_network"), BRIDGED)
    # VirtualNetwork objects (a VLAN's name on a switch) fill no frame: said, not silently dropped.
    assert _messages(inv, "unknown_command").str.contains("REST VirtualNetwork objects are not read").any()
    # The bridges' SEAs on VIOS 3443DB77-...7089 are the VIOS entry's ent5 again (partition 1, by UUID) ...
    conflict = _messages(inv, "duplicate_record")
    assert conflict.str.startswith("VIOS IOServer - SN2125D4A of BRIDGED: seas row ent5 is listed 4 times").any()
    assert conflict.str.contains("nbbr_network_bridge_peer.xml").any()
    sea = inv.seas.iloc[0]
    assert (len(inv.seas), sea["vios_lpar_id"], sea["sea"], sea["virt_slots"], sea["pvid"]) == (1, 1, "ent5", (2,), 2227)
    # ... its partner ...708A is not in the bundle: a gap, never a guessed VIOS.
    assert _messages(inv, "unknown_system").str.contains("on VIOS 3443DB77-AED1-47ED-9AA5-3DB9C6CF708A").any()
    # The fixture lists five storages under one VTD name: the first is kept, the conflict reported.
    vtd = inv.vios_mappings[inv.vios_mappings["kind"] == "scsi"]
    assert vtd[["adapter", "vtd", "backing_device", "backing_type"]].values.tolist() == \
        [["vhost0", "vtscsi0", "Ubuntu1410", "lv"]]
    assert conflict.str.contains("vios_mappings row vhost0/vtscsi0").any()


def test_bridge_rows_resolve_vios_uuid(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "nb.xml"
    path.write_text(pypowervm_body(corpus / PYPOWERVM / "nbbr_network_bridge_failover.txt"), encoding="utf-8")
    bridge = next(o for o in iter_objects(path, path.name) if o.kind == "NetworkBridge")
    places = {"3443db77-aed1-47ed-9aa5-3db9c6cf7089": ("SYS", 1, "vios1"),
              "3443db77-aed1-47ed-9aa5-3db9c6cf708a": ("SYS", 2, "vios2")}
    facts = hmc_rest_vios.bridge_rows(bridge, places, {"SYS": {"0": "ETHERNET0"}})
    seas = pd.DataFrame(facts.rows["seas"])
    assert seas[["vios_lpar_id", "vios_name", "sea", "ha_mode", "vswitch"]].values.tolist() == [
        [1, "vios1", "ent5", "disabled", "ETHERNET0"], [2, "vios2", "ent5", "disabled", "ETHERNET0"]]
    assert seas["vlans"].tolist() == [(2227, 4094, 1000)] * 2 and not facts.problems
    assert {r["adapter"] for r in facts.rows["vios_mappings"]} == {"ent4", "ent6"}


def test_hmci_vios_entry(corpus: Path, tmp_path: Path) -> None:
    inv = load_inventory(rest_bundle(corpus, tmp_path, hmci=("managed-systems.xml", "logical-partitions.xml",
                                                              "2-vios.xml")))
    m = inv.vios_mappings
    assert m.groupby("kind").size().to_dict() == {"fc": 34, "net": 1, "scsi": 4}
    assert set(m["vios_name"]) == {"P924VIO2"} and set(m["system"]) == {"Server-9009-42A-SN21F64EV"}
    fc = m[m["adapter"] == "vfchost5"].iloc[0]
    assert (fc["client_lpar_id"], fc["client_slot"], fc["backing_device"], fc["backing_physloc"]) == \
        (5, 44, "fcs1", "U78D2.001.WZS0B5H-P1-C4-T2")
    # Every vFC mapping agrees with the HMC-side server adapter of the same slot.
    servers = inv.virtual_fc[(inv.virtual_fc["lpar_id"] == 2) & (inv.virtual_fc["adapter_type"] == "server")]
    got = set(zip(m.loc[m["kind"] == "fc", "slot_num"], m.loc[m["kind"] == "fc", "client_lpar_id"], strict=True))
    assert got == set(zip(servers["slot_num"], servers["remote_lpar_id"], strict=True))
    sea = inv.seas.iloc[0]
    assert (sea["sea"], sea["ha_mode"], sea["real_adapter"], sea["virt_adapters"], sea["trunk_priority"]) == \
        ("ent5", "auto", "ent2", ("ent4",), 2)
    assert pd.isna(sea["ctl_chan"])  # no ControlChannelInterfaceName: no control channel (simplified failover)
    disks = inv.disks.set_index("hdisk")
    assert disks.loc["hdisk0", "udid"] == "1C020110d017009880cf0400nvme"
    assert disks["reserve_policy"].eq("no_reserve").all() and disks["algorithm"].isna().all()  # REST "Unknown"


def test_vios_entry_bad_and_partial(write, tmp_path: Path) -> None:
    ns = "http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/"
    ms = "11111111-2222-3333-4444-555555555555"
    head = (f'<entry xmlns="http://www.w3.org/2005/Atom"><link rel="SELF" href="https://h/rest/api/uom/ManagedSystem/{ms}'
            f'/VirtualIOServer/{{uuid}}"/><content type="x"><VirtualIOServer:VirtualIOServer '
            f'xmlns:VirtualIOServer="{ns}" xmlns="{ns}">')
    write("rest/h/ms.xml", f'<entry xmlns="http://www.w3.org/2005/Atom"><link rel="SELF" '
          f'href="https://h/rest/api/uom/ManagedSystem/{ms}"/><content type="x"><ManagedSystem:ManagedSystem '
          f'xmlns:ManagedSystem="{ns}" xmlns="{ns}"><SystemName>S</SystemName><State>operating</State>'
          '</ManagedSystem:ManagedSystem></content></entry>\n')
    write("rest/h/v1.xml", head.format(uuid="A0000000-0000-0000-0000-000000000001") +
          "<PartitionID>1</PartitionID><PartitionName>v1</PartitionName><PartitionType>Virtual IO Server</PartitionType>"
          "<VirtualSCSIMappings><VirtualSCSIMapping><ServerAdapter><AdapterName>vhost0</AdapterName>"
          "<VirtualSlotNumber>C7</VirtualSlotNumber><RemoteLogicalPartitionID>65535</RemoteLogicalPartitionID>"
          "</ServerAdapter></VirtualSCSIMapping></VirtualSCSIMappings>"
          "</VirtualIOServer:VirtualIOServer></content></entry>\n")
    write("rest/h/v2.xml", head.format(uuid="A0000000-0000-0000-0000-000000000002") +
          "<PartitionID>2</PartitionID><PartitionName>v2</PartitionName><PartitionType>Virtual IO Server</PartitionType>"
          "<VirtualSCSIMappings><VirtualSCSIMapping><ServerAdapter><VirtualSlotNumber>3</VirtualSlotNumber>"
          "</ServerAdapter></VirtualSCSIMapping></VirtualSCSIMappings><VirtualFibreChannelMappings/>"
          "<PhysicalVolumes/><SharedEthernetAdapters/></VirtualIOServer:VirtualIOServer></content></entry>\n")
    inv = load_inventory(tmp_path)
    row = inv.vios_mappings.iloc[0]
    assert (len(inv.vios_mappings), row["adapter"], row["vios_lpar_id"]) == (1, "vhost0", 1)
    assert pd.isna(row["slot_num"]) and pd.isna(row["client_lpar_id"])  # "C7" is bad; 65535 means no partition
    bad = inv.gaps[inv.gaps["code"] == "bad_value"]
    assert bad["message"].str.contains("VIOS v1 of S: VirtualSlotNumber='C7' is not a whole number").any()
    assert (bad["file"] == "rest/h/v1.xml").all()
    assert _messages(inv, "missing_capture").str.contains("VIOS v1 of S: the REST entry lacks the ViosFCMapping, "
                                                          "ViosStorage, ViosNetwork group").any()
    assert _messages(inv, "source_gap").str.contains("VIOS v2 of S: the REST entry has no VIOS-side devices").any()


def test_reserve_policy_and_algorithm_spellings() -> None:
    assert [rest_norms.reserve_policy(v) for v in ("NoReserve", "SinglePath", "PR_Exclusive", "PR_Shared")] == \
        ["no_reserve", "single_path", "PR_exclusive", "PR_shared"]
    assert [rest_norms.path_algorithm(v) for v in ("Failover", "Round_Robin", "Load_Balance", "Unknown", "Odd")] == \
        ["fail_over", "round_robin", "load_balance", None, "Odd"]
    assert hmc_rest_vios.virtual_eth_loc("U8246.L2C.0604C7A-V1-C2") == "U8246.L2C.0604C7A-V1-C2-T1"
    assert hmc_rest_vios.virtual_eth_loc("U8246.L2C.0604C7A-V1-C2-T1") == "U8246.L2C.0604C7A-V1-C2-T1"
