"""HA4xx/HA5xx/HA6xx fixtures, checkov style: entities named `pass_*` must not be flagged, `fail_*` must be.

Three estates, each written as real HMC, VIOS and IBM i exports and loaded back (tests/redundancy_lab.py):
- network: IBM i hosts bridging a VLAN each by proxy ARP (HA401-HA404), one system per SEA case
  (HA405-HA410, HA503, HA601);
- storage: VIOS-served guests (HA501, HA502, HA504);
- ibmi: two IBM i hosts serving a mirrored guest, storage spaces in IASPs (HA505, HA506).
A case's entities carry its check id in the name (`fail_ha406`); a check is asked only about the
entities named for it (plus `pass_all`), and must flag exactly the `fail_` ones.
"""

from __future__ import annotations

import pytest

from hatoolkit.checks import run_checks
from hatoolkit.model.plan import Plan, plan_from_text
from hatoolkit.synth.estate import Asp, DiskUnit, IbmiHost, Nwsd, SaveOp, StorageSpace, VEth
from hatoolkit.synth.vios_build import SanNet
from tests.redundancy_lab import RLab


def _flagged(findings, column: str, status: str = "fail") -> set[str]:
    return set(findings.loc[findings["status"] == status, column].dropna())


def _mine(names: set[str], check_id: str) -> set[str]:
    tag = check_id.lower()
    return {n for n in names if f"_{tag}" in n or n == "pass_all"}


# --------------------------------------------------------------------------- network


def _network_lab() -> RLab:
    lab = RLab()
    lab.system("SRC", type_model="8205-E6C")
    hosts = [  # (name, kwargs) — one VLAN each
        ("pass_ha401_vipa", {}), ("fail_ha401_direct", {"mode": "direct"}), ("fail_ha401_onepref", {"prefs": 1}),
        ("pass_ha402_cards", {}), ("fail_ha402_hea", {"layout": "hea"}), ("fail_ha402_card", {"layout": "card"}),
        ("pass_ha403_active", {}), ("fail_ha403_inactive", {"inactive": True}),
        ("pass_ha404_proxy", {}), ("fail_ha404_noproxy", {"proxy": False}),
    ]
    for n, (name, kw) in enumerate(hosts):
        lab.ibmi_host("SRC", 3 + n, name, vlan=11 + n, **kw)
    # SEA cases: one system each.
    lab.system("pass_all")
    lab.system("fail_ha405")
    v2 = lab.sys("fail_ha405").lpar("fail_ha405-VIOS2")
    v2.veths.append(VEth(lab.wirings["fail_ha405"].slot(v2), 60, trunk_priority=1, ieee=True))
    lab.system("fail_ha406_ha408")
    v1 = lab.sys("fail_ha406_ha408").lpar("fail_ha406_ha408-VIOS1")
    web = [lab.wirings["fail_ha406_ha408"].slot(v1) for _ in (1, 2)]
    for prio, slot in zip((1, 2), web, strict=True):
        v1.veths.append(VEth(slot, 30, trunk_priority=prio, ieee=True))
    lab.system("fail_ha407")
    next(a for a in lab.sys("fail_ha407").lpar("fail_ha407-VIOS2").veths if a.trunk_priority).trunk_priority = 1
    lab.system("fail_ha409", net=SanNet(real_adapter="ent0"))
    lab.system("pass_ha409_nib", net=SanNet(real_adapter="nib"))
    lab.system("fail_ha410_old")
    lab.system("pass_ha410_new")
    for v in lab.sys("fail_ha410_old").lpars:
        if v.env == "vioserver":
            v.os_version = "VIOS 2.2.2.1"
    lab.system("fail_ha503")
    lab.system("fail_ha601")
    for s in lab.systems[1:]:
        lab.guest(s.name, 10, "g1")
    single = lab.guest("fail_ha601", 11, "g2", servers=("fail_ha601-VIOS1",))
    assert single.vscsi
    lab.tweaks.sea_ha_mode = {("fail_ha405-VIOS2", v2.veths[-1].slot): "disabled",
                              ("fail_ha406_ha408-VIOS1", web[0]): "auto",
                              ("fail_ha406_ha408-VIOS1", web[1]): "disabled"}
    lab.tweaks.sea_real = {("fail_ha405-VIOS2", v2.veths[-1].slot): "ent3", ("fail_ha406_ha408-VIOS1", web[0]): "ent2",
                           ("fail_ha406_ha408-VIOS1", web[1]): "ent3"}
    lab.tweaks.no_ctl_chan = frozenset({"fail_ha410_old-VIOS1", "fail_ha410_old-VIOS2", "pass_ha410_new-VIOS1",
                                        "pass_ha410_new-VIOS2"})
    lab.tweaks.paths = {("fail_ha503-VIOS2", "g1/rootvg"): (("fscsi0", "Enabled"), ("fscsi1", "Failed"))}
    return lab


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    lab = _network_lab()
    return lab, lab.load(tmp_path_factory.mktemp("network"))


@pytest.mark.parametrize("check_id", ["HA401", "HA402", "HA403", "HA404"])
def test_ibmi_network_checks(check_id: str, network) -> None:
    lab, inv = network
    findings, coverage = run_checks(inv, Plan(), select=[check_id])
    assert coverage["error"].isna().all(), coverage["error"].tolist()
    names = _mine({lp.name for lp in lab.sys("SRC").lpars}, check_id)
    flagged = _flagged(findings, "partition") & names
    assert flagged == {n for n in names if n.startswith("fail_")}, findings[["partition", "message"]].to_string()
    assert int(coverage["evaluated"].iloc[0]) >= len(names)


@pytest.mark.parametrize("check_id", ["HA405", "HA406", "HA407", "HA408", "HA409", "HA410", "HA503", "HA601"])
def test_system_level_checks(check_id: str, network) -> None:
    lab, inv = network
    findings, coverage = run_checks(inv, Plan(), select=[check_id])
    assert coverage["error"].isna().all(), coverage["error"].tolist()
    names = _mine({s.name for s in lab.systems}, check_id)
    flagged = _flagged(findings, "system") & names
    assert flagged == {n for n in names if n.startswith("fail_")}, findings[["system", "message"]].to_string()
    assert int(coverage["evaluated"].iloc[0]) > 0


def test_sea_details(network) -> None:
    _, inv = network
    findings, _ = run_checks(inv, Plan(), select=["HA409", "HA601", "HA402"])
    single = findings[(findings["check_id"] == "HA409") & (findings["system"] == "fail_ha409")]
    assert set(single["severity"]) == {"medium"}  # a pair on single ports: failover still covers the port
    hea = findings[(findings["check_id"] == "HA402") & (findings["partition"] == "fail_ha402_hea")]
    assert "IVE logical ports share their physical port" in hea["message"].iat[0]
    cut = findings[(findings["check_id"] == "HA601") & (findings["system"] == "fail_ha601")]
    assert set(cut["resource"]) >= {"fail_ha601/fail_ha601-VIOS1"} and cut["message"].str.contains("g2").all()


def test_ibmi_bridge_unknown_when_association_not_exported(tmp_path) -> None:
    lab = RLab()
    lab.system("SRC", type_model="8205-E6C")
    lab.ibmi_host("SRC", 3, "fail_unknown", vlan=11, assoc_known=False)
    lab.guest("SRC", 4, "guest", vlan=11, storage="none")
    inv = lab.load(tmp_path)
    findings, _ = run_checks(inv, Plan(), select=["HA401"])
    assert _flagged(findings, "partition", "unknown") == {"fail_unknown"} and not _flagged(findings, "partition")
    from hatoolkit.analysis import topology
    guest = topology.topology(inv, Plan()).guests.set_index("partition").loc["guest"]
    assert guest["status"] == "spof"  # the host itself is certain; its ports are the unknown part
    assert guest["unknown"] and "associated local interface not exported" in guest["unknown"][0]


# --------------------------------------------------------------------------- storage on VIOS


def _storage_lab() -> RLab:
    lab = RLab()
    lab.system("SRC")
    lab.guest("SRC", 3, "pass_ha501_dual")
    lab.guest("SRC", 4, "fail_ha501_single", servers=("SRC-VIOS1",))
    lab.guest("SRC", 5, "pass_ha501_npiv", storage="npiv")
    lab.guest("SRC", 6, "fail_ha504_zoned")
    lab.guest("SRC", 7, "pass_ha504_clean")
    lab.guest("SRC", 8, "pass_ha504_ha213")
    good = lab.guest("SRC", 9, "pass_ha502_pair", env="os400", os_version="IBM i Licensed Internal Code 7.5.0 48 1")
    bad = lab.guest("SRC", 10, "fail_ha502_pair", env="os400", os_version="IBM i Licensed Internal Code 7.5.0 48 1")
    for lp in (good, bad):
        s1, s2 = (a.slot for a in lp.vscsi)
        second = (s2, 1) if lp is good else (s1, 2)
        lab.ibmi_guest_units(lp, [DiskUnit(1, 1, "DD001", f"{lp.id}-A", s1, 1, mirrored=True),
                                  DiskUnit(1, 1, "DD002", f"{lp.id}-B", second[0], second[1], mirrored=True)])
    lab.tweaks.split = {"pass_ha502_pair": (("a", "SRC-VIOS1"), ("b", "SRC-VIOS2")),
                        "fail_ha502_pair": (("a", "SRC-VIOS1"), ("b", "SRC-VIOS1"))}
    lab.tweaks.unmapped = frozenset({("SRC-VIOS2", "fail_ha504_zoned/rootvg")})
    lab.tweaks.reserve = {("SRC-VIOS2", "fail_ha504_zoned/rootvg"): "single_path",
                          ("SRC-VIOS2", "pass_ha504_ha213/rootvg"): "PR_exclusive"}
    return lab


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    lab = _storage_lab()
    return lab, lab.load(tmp_path_factory.mktemp("storage"))


@pytest.mark.parametrize("check_id", ["HA501", "HA502", "HA504"])
def test_vios_storage_checks(check_id: str, storage) -> None:
    lab, inv = storage
    findings, coverage = run_checks(inv, Plan(), select=[check_id])
    assert coverage["error"].isna().all(), coverage["error"].tolist()
    names = _mine({lp.name for lp in lab.sys("SRC").lpars}, check_id)
    flagged = _flagged(findings, "partition") & names
    assert flagged == {n for n in names if n.startswith("fail_")}, findings[["partition", "message"]].to_string()


def test_ha504_leaves_mobility_reservations_to_ha213(storage) -> None:
    _, inv = storage
    findings, _ = run_checks(inv, Plan(), select=["HA213", "HA504"])
    assert "pass_ha504_ha213" in set(findings.loc[findings["check_id"] == "HA213", "partition"])
    assert "pass_ha504_ha213" not in set(findings.loc[findings["check_id"] == "HA504", "partition"])


def test_single_vios_guest_is_unknown_not_redundant_when_a_vios_is_not_captured(tmp_path) -> None:
    lab = RLab()
    lab.system("SRC")
    lab.guest("SRC", 3, "fail_unknown")
    lab.uncaptured_vios = {"SRC-VIOS2"}
    inv = lab.load(tmp_path)
    from hatoolkit.analysis import topology
    plan = Plan()
    guest = topology.topology(inv, plan).guests.set_index("partition").loc["fail_unknown"]
    assert guest["status"] == "unknown" and "part:SRC/1" in guest["possible"]
    assert any("no lsmap -all capture for SRC/SRC-VIOS2" in u for u in guest["unknown"])
    findings, _ = run_checks(inv, plan, select=["HA501", "HA601"])
    assert _flagged(findings, "partition", "unknown") >= {"fail_unknown", "SRC-VIOS1"}
    assert not _flagged(findings, "partition")


# --------------------------------------------------------------------------- IBM i storage spaces


IBMI_PLAN = """\
as_of: 2026-11-25T06:00:00
timezone: Europe/Warsaw
failover:
  pairs:
    - production: PROD
      backup: BACK
"""


def _ibmi_lab() -> RLab:
    lab = RLab(plan_yaml=IBMI_PLAN)
    prod = lab.system("PROD", with_vios=False)
    back = lab.system("BACK", with_vios=False)
    from hatoolkit.synth.estate import Lpar
    h1 = Lpar(1, "HOST1", env="os400", os_version="IBM i Licensed Internal Code 7.4.0 48 1", mem_mb=8192)
    h2 = Lpar(2, "HOST2", env="os400", os_version="IBM i Licensed Internal Code 7.4.0 48 1", mem_mb=8192)
    guest = Lpar(3, "GMIR", env="os400", os_version="IBM i Licensed Internal Code 7.5.0 48 1", mem_mb=8192)
    dr = Lpar(1, "HOSTDR", env="os400", os_version="IBM i Licensed Internal Code 7.4.0 48 1", mem_mb=8192)
    prod.lpars += [h1, h2, guest]
    back.lpars.append(dr)
    w = lab.wirings["PROD"]
    w.vscsi(guest, h1)
    w.vscsi(guest, h2)
    slot1, slot2 = (a.slot for a in guest.vscsi)
    spaces1 = [("pass_ha506_mirror", None), ("fail_ha506_nothing", None), ("pass_ha505_sync", "IASPA"),
               ("fail_ha505_suspended", "IASPB"), ("fail_ha505_same", "IASPC"), ("pass_ha506_saved", None)]
    h1.ibmi = IbmiHost(
        "HOST1", 7, 4, "2026-11-25 05:00:00", nwsds=[Nwsd("GMIR1", "GMIR", 3, "CTL01")],
        spaces=[StorageSpace(n, 10240, "GMIR1", i + 1, "2026-11-25 04:00:00", aspdev=dev, asp=33 + i if dev else 1)
                for i, (n, dev) in enumerate(spaces1)],
        history=[SaveOp("SAV", "pass_ha506_saved", "2026-11-24 22:00:00")],
        asps=[Asp(1), Asp(34, "IASPA", "PRIMARY", "AVAILABLE", session="SA", role="PRODUCTION", session_state="ACTIVE",
                  sync_status="SYNCHRONIZED", copy_node="HOSTDR"),
              Asp(35, "IASPB", "PRIMARY", "AVAILABLE", session="SB", role="PRODUCTION", session_state="SUSPENDED",
                  sync_status="SUSPENDED", copy_node="HOSTDR"),
              Asp(36, "IASPC", "PRIMARY", "AVAILABLE", session="SC", role="PRODUCTION", session_state="ACTIVE",
                  sync_status="SYNCHRONIZED", copy_node="HOST2")])
    h2.ibmi = IbmiHost("HOST2", 7, 4, "2026-11-25 05:00:00", nwsds=[Nwsd("GMIR2", "GMIR", 3, "CTL01")],
                       spaces=[StorageSpace("pass_ha506_mirror_b", 10240, "GMIR2", 1, "2026-11-25 04:00:00")])
    dr.ibmi = IbmiHost("HOSTDR", 7, 4, "2026-11-25 05:00:00")
    guest.ibmi = IbmiHost("GMIR", 7, 5, "2026-11-25 05:00:00", disk_units=[
        DiskUnit(1, 1, "DD001", "M-1A", slot1, 1, mirrored=True), DiskUnit(1, 1, "DD002", "M-1B", slot2, 1, mirrored=True),
        *[DiskUnit(1, n, f"DD0{n + 1:02d}", f"M-{n}", slot1, n) for n in range(2, 7)]])
    return lab


@pytest.fixture(scope="module")
def ibmi(tmp_path_factory):
    lab = _ibmi_lab()
    root = tmp_path_factory.mktemp("ibmi")
    return lab, lab.load(root), plan_from_text(IBMI_PLAN)


@pytest.mark.parametrize("check_id", ["HA505", "HA506"])
def test_storage_space_checks(check_id: str, ibmi) -> None:
    _, inv, plan = ibmi
    findings, coverage = run_checks(inv, plan, select=[check_id])
    assert coverage["error"].isna().all(), coverage["error"].tolist()
    names = _mine(set(inv.storage_spaces["nwsstg"]), check_id)
    flagged = _flagged(findings, "resource") & names
    assert flagged == {n for n in names if n.startswith("fail_")}, findings[["resource", "message"]].to_string()
    assert not _flagged(findings, "resource", "unknown") & names


def test_mirrored_ibmi_guest_across_two_hosts(ibmi) -> None:
    _, inv, plan = ibmi
    from hatoolkit.analysis import topology
    needs = topology.topology(inv, plan).needs.set_index("label")
    assert needs.loc["ASP 1 unit 1", "status"] == "redundant"
    assert needs.loc["ASP 1 unit 2", "status"] == "spof" and needs.loc["ASP 1 unit 2", "certain"] == ("part:PROD/1",)
    findings, _ = run_checks(inv, plan, select=["HA502"])
    assert findings.empty


def test_storage_spaces_unknown_without_guest_or_asp_exports(tmp_path) -> None:
    lab = _ibmi_lab()
    prod = lab.sys("PROD")
    prod.lpar("GMIR").ibmi = None  # the guest did not export its disk units
    prod.lpar("HOST1").ibmi.asps = []  # and the host no ASP list
    inv = lab.load(tmp_path)
    findings, _ = run_checks(inv, plan_from_text(IBMI_PLAN), select=["HA505", "HA506"])
    ha506 = findings[findings["check_id"] == "HA506"]
    assert _flagged(ha506, "resource", "unknown") == {"fail_ha506_nothing", "pass_ha506_mirror", "pass_ha506_mirror_b",
                                                      "pass_ha505_sync", "fail_ha505_suspended", "fail_ha505_same"}
    assert not _flagged(ha506, "resource")  # nothing is called unprotected on missing data
    ha505 = findings[findings["check_id"] == "HA505"]
    assert set(ha505["status"]) == {"unknown"} and len(ha505) == 3
    from hatoolkit.analysis import topology
    needs = topology.topology(inv, plan_from_text(IBMI_PLAN)).needs
    gmir = needs[needs["partition"] == "GMIR"]
    assert set(gmir["status"]) == {"unknown"}  # two hosts, mirroring not exported: never redundant
