"""Golden tests of the VIOS parsers on real captures (../shared/corpus): ziutus vios1/vios2 and lsmap edge
cases, the hmcscannerdraw lssea reports (ANSI escapes, `!` sections, SEA blocks, -fmt listings)."""

from __future__ import annotations

import pytest

from hatoolkit import load_inventory
from hatoolkit.ingest.capture import load_sections
from hatoolkit.ingest.vios import read_section

pytestmark = pytest.mark.corpus

ZIUTUS = "ziutus-hmc_vios_aix"
LSSEA = "AnthonyWong1216-hmcscannerdraw/inputfile"


def _captures(corpus, rel):
    _, sections = load_sections(corpus / rel, rel)
    return [c for c in (read_section(s) for s in sections) if c is not None]


def _rows(captures, frame):
    return [r for c in captures for r in c.parsed.rows.get(frame, [])]


def test_ziutus_vios1_pipe_style(corpus):
    caps = _captures(corpus, f"{ZIUTUS}/data/20180603_1656/vios/vios1.txt")
    assert [c.command for c in caps] == ["uname -n", "lsmap -npiv -all -fmt :", "lsmap -all"]
    assert caps[0].hostnames == [(1, "vios1")]
    rows = _rows(caps, "vios_mappings")
    fc = [r for r in rows if r["kind"] == "fc"]
    scsi = [r for r in rows if r["kind"] == "scsi"]
    assert len(fc) == 6 and len(scsi) == 9
    assert fc[0] == {**fc[0], "adapter": "vfchost0", "slot_num": 1, "client_lpar_id": 5, "client_name": "nim1",
                     "client_os": "AIX", "status": "LOGGED_IN", "backing_device": "fcs0", "ports_logged_in": 5,
                     "client_adapter": "fcs0", "client_slot": 5, "backing_type": "fc_port"}
    first = scsi[0]
    assert (first["adapter"], first["slot_num"], first["client_lpar_id"], first["vtd"], first["lun"],
            first["backing_device"], first["backing_type"], first["status"]) == \
        ("vhost0", 5, 5, "c5_vtscsi1", "0x8100000000000000", "hdisk2", "pv", "Available")
    assert {r["client_lpar_id"] for r in scsi} == {5, 6, 7}
    assert not [p for c in caps for p in c.parsed.problems]


def test_ziutus_lsmap_edge_cases(corpus):
    """Doc pastes: collapsed whitespace, tabs, a VTD without Status, Mirrored lines, hex client IDs, LV backing."""
    caps = _captures(corpus, f"{ZIUTUS}/test/vios_lsmap_data.txt")
    rows = _rows(caps, "vios_mappings")
    assert len(rows) == 18
    assert not [p for c in caps for p in c.parsed.problems]
    empty = [r for r in rows if r.get("vtd") is None]
    assert [r["adapter"] for r in empty] == ["vhost0", "vhost2", "vhost4", "vhost6"]
    assert [r["client_lpar_id"] for r in empty] == [None, 28, None, 28]  # 0x00000000 = no client; 0x1c = 28
    lv = [r for r in rows if r.get("backing_type") == "lv"]
    assert {r["backing_device"] for r in lv} == {"vtd0-1", "vtd0-2"}
    no_status = next(r for r in rows if r["adapter"] == "vhost1" and r["vtd"] == "vtscsi1")
    assert no_status.get("status") is None and no_status["lun"] == "0x8200000000000000"
    mirrored = next(r for r in rows if r["adapter"] == "vhost1" and r["vtd"] == "vtscsi2")
    assert mirrored["mirrored"] is False and mirrored["backing_physloc"] == "U787A.001.0397658-P1-T16-L5-L0"
    san = next(r for r in rows if r["adapter"] == "vhost3" and r["vtd"] == "r7u1_lpar1")
    assert san["backing_device"] == "hdisk27" and san["backing_type"] == "pv" and san["slot_num"] == 8


@pytest.mark.parametrize("which,lpar,seas", [("A", 1, 6), ("B", 2, 6)])
def test_lssea_reports(corpus, which, lpar, seas):
    caps = _captures(corpus, f"{LSSEA}/lssea_P10VIOF041{which}.log")
    assert len(caps) == 1
    cap = caps[0]
    assert cap.hostnames[0] == (4, f"P10VIOF041{which}") and cap.serial == "78C01A8"
    sea_rows = cap.parsed.rows["seas"]
    assert len(sea_rows) == seas
    first = sea_rows[0]
    assert first["sea"] == "ent29" and first["ha_mode"] == "sharing" and first["real_adapter"] == "ent16"
    assert first["virt_adapters"] == ("ent18", "ent19", "ent20", "ent21") and first["virt_slots"] == (11, 12, 13, 14)
    assert first["trunk_priority"] == (1 if which == "A" else 2)
    assert first["state"] == ("PRIMARY_SH" if which == "A" else "BACKUP_SH")
    assert first["vswitch"] == "F04VIOS1" and 820 in first["vlans"] and first["ctl_chan"] is None
    assert {s["ha_mode"] for s in sea_rows[1:]} == {"auto"}
    assert next(s for s in sea_rows if s["sea"] == "ent31")["vswitch"] == "UAT-F04VIOS1"
    ec = cap.parsed.rows["etherchannels"]
    assert len(ec) == 1 and ec[0]["device"] == "ent16" and ec[0]["mode"] == "8023ad"
    assert ec[0]["adapter_names"] == ("ent0", "ent1", "ent4", "ent5")
    assert ec[0]["unhealthy_adapters"] == ("ent1", "ent5")  # LACP partner OUT_OF_SYNC
    maps = cap.parsed.rows["vios_mappings"]
    fc = [r for r in maps if r["kind"] == "fc"]
    assert len(fc) == 100 and all(r["status"] == "NOT_LOGGED_IN" for r in fc)
    assert fc[0]["client_lpar_id"] == 10 and fc[0]["backing_device"] == "fcs1"
    assert sum(1 for r in fc if r.get("backing_device")) == 50  # vfchost50-99 are not mapped to a port
    scsi = [r for r in maps if r["kind"] == "scsi"]
    assert scsi[1]["client_lpar_id"] == 0x0B
    assert all(r["adapter_physloc"].startswith(f"U9080.HEX.78C01A8-V{lpar}-") for r in maps)
    assert not cap.parsed.problems


def test_lssea_a_vhost50_targets(corpus):
    cap = _captures(corpus, f"{LSSEA}/lssea_P10VIOF041A.log")[0]
    v50 = [r for r in cap.parsed.rows["vios_mappings"] if r["adapter"] == "vhost50"]
    assert [(r["vtd"], r["backing_type"]) for r in v50] == [("dvdf04nim", "optical"), ("vtscsi0", "pv"), ("vtscsi1", "pv"),
                                                             ("vtscsi2", "pv"), ("vtscsi3", "pv")]
    assert v50[0]["client_lpar_id"] == 9 and v50[1]["mirrored"] is False


def test_lssea_bundle_places_both_vios_on_one_system(corpus):
    """Without HMC data the location codes name the system (type-model*serial) and the VIOS id."""
    inv = load_inventory(corpus / LSSEA)
    # The folder also holds the E1080S04 HMC Scanner workbook (another machine), whose VIOS sheets are read too.
    assert set(inv.seas["system"]) == {"9080-HEX*78C01A8", "E1080S04"}
    seas = inv.seas[inv.seas["system"] == "9080-HEX*78C01A8"]
    assert sorted(seas.groupby("vios_lpar_id").size().to_dict().items()) == [(1, 6), (2, 6)]
    assert set(seas["vios_name"]) == {"P10VIOF041A", "P10VIOF041B"}
    pair = seas[seas["sea"] == "ent29"].sort_values("vios_lpar_id")
    assert pair["trunk_priority"].tolist() == [1, 2] and pair["ha_mode"].tolist() == ["sharing", "sharing"]
    assert (inv.vios_mappings["system"] == "9080-HEX*78C01A8").sum() == 155 + 150


def test_ziutus_bundle_places_vios_by_host_name(corpus):
    inv = load_inventory(corpus / ZIUTUS / "data/20180603_1656")
    assert sorted(inv.vios_mappings.groupby(["system", "vios_lpar_id"]).size().items()) == \
        [(("9131-52A-6535CCG", 2), 15), (("9131-52A-6535CCG", 3), 15)]
    notes = inv.gaps[inv.gaps["file"].fillna("").str.startswith("vios/")]
    assert set(notes["code"]) == {"recognition"}
    assert notes["message"].str.contains("do not match 9131-52A-6535CCG's serial").any()
