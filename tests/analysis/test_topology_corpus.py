"""Redundancy on real VIOS captures (../shared/corpus): what they prove, and what they leave unknown.

- ziutus (POWER5, HMC + two VIOS, lsmap only): nim1's VLANs 6 and 7 each leave through one VIOS's
  trunk adapter, so each VIOS is a single point for one of them; its disks are mapped through both
  VIOS, but without UDIDs (no chkdev/lsdev) nobody can tell they are the same LUNs: unknown.
- hmcscannerdraw lssea reports (E1080, two VIOS, no HMC data for that frame): SEA failover pairs
  with trunk priorities 1/2 and ha_mode sharing/auto, an 802.3ad EtherChannel with two of four
  members out of sync; the report's card list (lscfg) shows the other five SEAs of each VIOS sit on
  one port each; no control channel, VIOS level unknown.
"""

from __future__ import annotations

import pytest

from hatoolkit import load_inventory
from hatoolkit.analysis import sea, topology
from hatoolkit.checks import run_checks
from hatoolkit.model.plan import Plan

pytestmark = pytest.mark.corpus

ZIUTUS = "ziutus-hmc_vios_aix/data/20180603_1656"
LSSEA = "AnthonyWong1216-hmcscannerdraw/inputfile"


def test_ziutus_vlans_each_through_one_vios_disks_unknown(corpus):
    inv = load_inventory(corpus / ZIUTUS)
    plan = Plan()
    needs = topology.topology(inv, plan).needs
    nim = needs[needs["partition"] == "nim1"].set_index("label")
    system = "9131-52A-6535CCG"
    assert nim.loc["VLAN 6", "certain"] == (f"part:{system}/3",) and nim.loc["VLAN 7", "certain"] == (f"part:{system}/2",)
    disks = nim[nim.index.str.contains("vtscsi")]
    assert len(disks) == 6 and set(disks["status"]) == {"unknown"}
    assert disks["unknown"].map(lambda u: any("UDID" in x for x in u)).all()
    findings, _ = run_checks(inv, plan, select=["HA601", "HA503", "HA501"])
    cut = findings[(findings["check_id"] == "HA601") & (findings["status"] == "fail")]
    assert set(cut["partition"]) == {"vios1", "vios2"}
    assert set(findings.loc[findings["check_id"] == "HA503", "status"]) == {"unknown"}  # no lspath captured
    assert (findings.loc[findings["check_id"] == "HA501", "status"] == "unknown").all()


def test_lssea_pairs_pass_and_unknowns_are_named(corpus):
    inv = load_inventory(corpus / LSSEA)
    frame = "9080-HEX*78C01A8"
    sv = sea.sea_vlans(inv)
    mine = sv[sv["system"] == frame]
    pairs = mine.groupby(["vswitch", "vlan_id"])["vios_lpar_id"].nunique()
    assert len(pairs) > 100 and (pairs == 2).all()  # every VLAN the reports list is bridged on both VIOS
    findings, coverage = run_checks(inv, Plan(), select=["HA405", "HA406", "HA407", "HA408", "HA409", "HA410"])
    on_frame = findings[findings["system"] == frame]
    fails = on_frame[on_frame["status"] == "fail"]
    # priorities 1/2 and modes sharing/auto pass; ent29 has two healthy EtherChannel members; ent30-ent34 one port each
    assert set(fails["check_id"]) == {"HA409"} and set(fails["severity"]) == {"medium"}
    assert sorted(fails["resource"].str.rsplit("/", n=1).str[-1].unique()) == ["ent30", "ent31", "ent32", "ent33", "ent34"]
    assert set(on_frame.loc[on_frame["check_id"] == "HA410", "status"]) == {"unknown"}  # no ctl_chan, level unknown
    ports = sea.sea_real_ports(inv).set_index(["vios_name", "sea"])
    ec = ports.loc[("P10VIOF041A", "ent29")]
    assert ec["real_kind"] == "etherchannel" and ec["ports"] == ("ent0", "ent4") and ec["unhealthy"] == ("ent1", "ent5")
    assert int(coverage.set_index("check_id").loc["HA407", "evaluated"]) > 100
    cards = inv.vios_adapters.set_index(["vios_name", "device"])
    assert cards.loc[("P10VIOF041A", "ent3"), "card_location"] == "U5B61.001.WZS02T0-P0-C2"
    assert len(inv.vios_adapters) == 64 and not inv.vios_adapters["physloc"].str.contains("-V").any()
