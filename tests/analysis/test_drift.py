"""Drift: finding identity (new, resolved, changed in severity/status/waiver) and the configuration
changes that explain them, on hand-made findings and on two bundles of the sample a night apart."""

from __future__ import annotations

import pandas as pd
import pytest

from hatoolkit.analysis.drift import FINDING_CHANGE_COLUMNS, Side, drift, finding_changes
from hatoolkit.analysis.drift_config import CONFIG_COLUMNS, config_changes
from hatoolkit.model.findings import FINDING_COLUMNS
from tests.analysis.drift_bundles import write_pair


def F(check="HA207", severity="medium", status="fail", system="PRD-1", partition="MQ", resource="PRD-1/MQ",
      destination=None, message="RMC connection to the HMC is inactive", evidence="rmc_state=inactive",
      family=None) -> dict:
    family = family or {"0": "inputs", "1": "capacity", "2": "mobility", "3": "backups", "4": "network",
                        "5": "storage", "6": "spof"}[check[2]]
    return {"check_id": check, "family": family, "severity": severity, "status": status, "system": system,
            "partition": partition, "resource": resource, "destination": destination, "message": message,
            "evidence": evidence, "remediation": "fix it"}


def frame(*rows: dict) -> pd.DataFrame:
    out = pd.DataFrame(list(rows), columns=list(FINDING_COLUMNS))
    return out.astype("str")


def coverage(*checks: str, crashed: tuple[str, ...] = ()) -> pd.DataFrame:
    return pd.DataFrame({"check_id": [*checks, *crashed],
                         "error": [None] * len(checks) + ["ValueError: boom"] * len(crashed)})


def changes(old: list[dict], new: list[dict], **sides) -> pd.DataFrame:
    a = Side("old", frame(*old), sides.get("cov_old"))
    b = Side("new", frame(*new), sides.get("cov_new"))
    return finding_changes(a, b)


def test_identity_is_check_and_what_it_is_about_not_the_message():
    old = [F(), F("HA303", "high", resource="LNXGST1DATA", partition="IBMIHOST", system="IBMI-7",
                 message="backup copy is 17d old")]
    new = [F(message="RMC connection to the HMC is inactive (since 2 days)"),
           F("HA303", "high", resource="LNXGST1DATA", partition="IBMIHOST", system="IBMI-7",
             message="backup copy is 18d old")]
    out = changes(old, new)
    assert out.empty and list(out.columns) == FINDING_CHANGE_COLUMNS


def test_new_resolved_and_changed_in_severity_and_status():
    old = [F(), F("HA203", "high", partition="NIM", resource="21010203", message="owns slot"),
           F("HA303", "critical", system="IBMI-7", partition="IBMIHOST", resource="LNXGST1DATA", message="old")]
    new = [F("HA203", "high", partition="NIM", resource="21010203", status="unknown", message="slots not captured"),
           F("HA303", "high", system="IBMI-7", partition="IBMIHOST", resource="LNXGST1DATA", message="old"),
           F("HA408", "high", partition="PRD-1-VIOS1", resource="PRD-1/PRD-1-VIOS1/ent11", message="SEA disabled")]
    out = changes(old, new)
    shown = out[["change", "check_id", "severity", "severity_before", "status", "status_before"]].fillna("")
    assert shown.values.tolist() == [
        ["new", "HA408", "high", "", "fail", ""],
        ["resolved", "HA207", "medium", "medium", "fail", "fail"],
        ["changed", "HA303", "high", "critical", "fail", "fail"],  # fail before unknown at one severity
        ["changed", "HA203", "high", "high", "unknown", "fail"],
    ]
    detail = dict(zip(out["check_id"], out["detail"], strict=True))
    assert detail["HA203"] == "status fail -> unknown"
    assert detail["HA303"] == "severity critical -> high (better)"
    assert out.loc[out["check_id"] == "HA207", "message"].item() == "RMC connection to the HMC is inactive"


def test_destination_is_part_of_identity():
    old = [F("HA219", partition="ERP-DB", resource="memory", destination="DR-1;PRD-2", message="m")]
    new = [F("HA219", partition="ERP-DB", resource="memory", destination="PRD-2", message="m")]
    assert changes(old, new)["change"].tolist() == ["new", "resolved"]


def test_findings_sharing_an_identity_are_paired_by_message_then_in_order():
    a1 = F("HA205", partition="GUEST", resource="IBMIHOST", message="disks served by one host")
    a2 = F("HA205", partition="GUEST", resource="IBMIHOST", message="VLAN 30 bridged by one host")
    out = changes([a1, a2], [a2, a1])
    assert out.empty  # same two findings in another order: nothing changed
    a3 = F("HA205", partition="GUEST", resource="IBMIHOST", message="VLAN 40 bridged by one host")
    out = changes([a1, a2], [a2, a3])  # one message moved: a change of nothing that counts, not new + resolved
    assert out.empty
    out = changes([a1], [a1, a2])  # a second finding of the same identity is new, not a change of the first
    assert out["change"].tolist() == ["new"] and out["message"].item() == a2["message"]


def test_waiver_changes_are_changes():
    mark = 'rmc_state=inactive waived_by=ops waived_until=2027-01-01 waiver_reason="fw" waiver=waivers.yaml:3'
    out = changes([F()], [F(evidence=mark)])
    assert out[["change", "waived", "waived_before", "detail"]].values.tolist() == [
        ["changed", True, False, "now waived by ops until 2027-01-01"]]
    out = changes([F(evidence=mark)], [F(evidence="rmc_state=inactive waiver_expired=2027-01-01 waiver=w:3")])
    assert out[["waived", "waived_before", "detail"]].values.tolist() == [[False, True, "waiver expired: active again"]]
    out = changes([F(evidence=mark)], [F()])
    assert out["detail"].tolist() == ["no longer waived"]
    out = changes([], [F(evidence=mark)])
    assert out[["change", "waived", "detail"]].values.tolist() == [["new", True, "waived by ops until 2027-01-01"]]


def test_a_check_that_crashed_or_did_not_run_resolves_nothing():
    old = [F(), F("HA203", "high", partition="NIM", resource="21010203", message="owns slot")]
    notes: list[str] = []
    out = finding_changes(Side("old", frame(*old), coverage("HA207", "HA203")),
                          Side("new", frame(), coverage("HA207", crashed=("HA203",))), notes=notes)
    assert out[["change", "check_id"]].values.tolist() == [["resolved", "HA207"]]
    assert notes == ["not compared (a check crashed in one audit): HA203"]
    out = finding_changes(Side("old", frame(*old), coverage("HA207", "HA203")),
                          Side("new", frame(), coverage("HA207")))  # HA203 not run (--only, or removed)
    assert out["check_id"].tolist() == ["HA207"]


def test_a_check_new_since_the_baseline_says_so():
    out = finding_changes(Side("old", frame(), coverage("HA207")),
                          Side("new", frame(F("HA011", "low", partition=None, resource="HA208 PRD-2/HR-OLD",
                                              message="stale")), coverage("HA207", "HA011")))
    assert out[["change", "detail"]].values.tolist() == [["new", "HA011 did not run in the baseline"]]


def test_only_concerns_both_audits_covered_are_compared():
    old = Side("old", frame(F(), F("HA303", system="IBMI-7", partition="H", resource="S", message="m")),
               areas=("inputs", "mobility", "backups"))
    new = Side("new", frame(), areas=("mobility",))
    d = drift(old, new)
    assert d.findings[["change", "check_id"]].values.tolist() == [["resolved", "HA207"]]
    assert d.compared == ("mobility",)
    assert "only the concerns both audits covered are compared: mobility" in d.notes
    assert d.config is None and any("configuration not compared" in n for n in d.notes)
    assert d.counts() == {"new": 0, "resolved": 1, "changed": 0, "config": None}
    assert d.headline() == "0 new, 1 resolved, 0 changed; configuration not compared"


# --------------------------------------------------------------------------- two bundles a night apart


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    from hatoolkit.report.run import compute_run

    old, new = write_pair(tmp_path_factory.mktemp("drift"))
    return compute_run(old), compute_run(new)


@pytest.fixture(scope="module")
def night(pair):
    from hatoolkit.report.drift import side_of_run

    a, b = pair
    return drift(side_of_run(a, "old"), side_of_run(b, "new"), "Europe/Warsaw")


def _config(d, kind, partition):
    rows = d.config[(d.config["kind"] == kind) & (d.config["partition"] == partition)]
    assert len(rows) == 1, d.config
    return rows.iloc[0]


def test_configuration_changes_between_the_two_bundles(night):
    c = night.config
    assert list(c.columns) == CONFIG_COLUMNS and c["id"].tolist() == [f"C{i}" for i in range(1, len(c) + 1)]
    resized = _config(night, "partition", "ERP-DB")
    assert (resized["change"], resized["attribute"], resized["before"], resized["after"]) == (
        "changed", "curr_mem_mb", "262144", "196608")
    assert resized["detail"] == "partition ERP-DB on PRD-1 resized: curr_mem_mb 262144 -> 196608"
    removed = _config(night, "partition", "MQ")
    assert removed["change"] == "removed"
    assert removed["detail"].startswith("partition MQ (aixlinux, 1 proc units, 32 GB) removed from PRD-1 (and ")
    sea = _config(night, "sea", "PRD-1-VIOS1")
    assert (sea["object"], sea["before"], sea["after"]) == ("ent11", "disabled", "auto")
    assert sea["detail"] == "SEA ent11 of PRD-1/PRD-1-VIOS1: mode (ha_mode) disabled -> auto"
    copy = _config(night, "storage_copy", "IBMIHOST-DR")
    assert copy["detail"] == ("copy of LNXGST1DATA on DR-1/IBMIHOST-DR refreshed: restored save of "
                              "2026-10-18 02:00 -> 2026-11-08 02:00")
    # MQ's adapters and mappings are folded into its row, not listed one by one
    assert not ((c["partition"] == "MQ") & (c["kind"] != "partition")).any()
    assert not (c["related"] == "MQ").any()
    assert len(c) == 5


def test_finding_changes_are_explained_by_the_configuration_changes(night):
    f = night.findings.set_index(["change", "check_id", "partition"])
    ids = night.config.set_index(["kind", "partition"])["id"]
    assert f.loc[("resolved", "HA207", "MQ"), "explained_by"] == (ids[("partition", "MQ")],)
    assert f.loc[("resolved", "HA408", "PRD-1-VIOS1"), "explained_by"] == (ids[("sea", "PRD-1-VIOS1")],)
    copy = f.loc[("changed", "HA303", "IBMIHOST")]
    assert copy["severity_before"] == "critical" and copy["severity"] == "high"
    assert ids[("storage_copy", "IBMIHOST-DR")] in copy["explained_by"]
    # a capacity finding on ERP-DB is explained by its resize, never by the SEA or the copy
    new = f.loc[("new", "HA219", "ERP-DB")]
    assert new["explained_by"] == (ids[("partition", "ERP-DB")],)
    assert night.counts() == {"new": 1, "resolved": 5, "changed": 1, "config": 5}


def test_the_same_bundle_twice_has_no_drift(pair):
    from hatoolkit.report.drift import side_of_run

    a, _ = pair
    d = drift(side_of_run(a, "x"), side_of_run(a, "y"))
    assert d.findings.empty and d.config.empty and d.headline() == "0 new, 0 resolved, 0 changed; " \
                                                                     "0 configuration changes"


def test_adapter_and_mapping_changes(pair):
    old = pair[0].inventory
    veth = old.virtual_eth
    web = veth.index[(veth["lpar_name"] == "WEB1") & (veth["port_vlan_id"] == 30)][0]
    maps = old.vios_mappings
    vscsi = maps.index[(maps["kind"] == "scsi") & maps["backing_device"].notna()][0]
    new_veth = veth.copy()
    new_veth.loc[web, "port_vlan_id"] = 31
    new_maps = maps.copy()
    new_maps.loc[vscsi, "backing_device"] = "hdisk99"
    new = old.replace(virtual_eth=new_veth, vios_mappings=new_maps)
    c = config_changes(old, new, "UTC").set_index("kind")
    assert sorted(c.index) == ["vios_mapping", "virtual_eth"] and set(c["change"]) == {"changed"}
    eth = c.loc["virtual_eth"]
    assert (eth["system"], eth["partition"], eth["object"], eth["attribute"], eth["before"], eth["after"]) == (
        "PRD-1", "WEB1", "4", "port_vlan_id", "30", "31")
    assert eth["detail"] == "virtual Ethernet adapter 4 of PRD-1/WEB1: port_vlan_id 30 -> 31"
    m, mapping = maps.loc[vscsi], c.loc["vios_mapping"]
    assert (mapping["partition"], mapping["attribute"], mapping["after"]) == (m["vios_name"], "backing", "hdisk99")
    assert mapping["before"] not in ("", "hdisk99")  # the LUN's identity (UDID), not a renumbered hdisk name


def test_data_missing_on_one_side_is_uncompared_not_removed(pair):
    old = pair[0].inventory
    seas = old.seas
    new = old.replace(seas=seas[seas["system"] != "PRD-2"])
    c = config_changes(old, new, "UTC")
    assert set(c["change"]) == {"uncompared"} and set(c["kind"]) == {"sea"}
    assert all("only in OLD: not compared (capture missing?)" in d for d in c["detail"])


def test_a_mapping_change_explains_storage_findings_of_its_client_not_capacity_ones(pair):
    old = pair[0].inventory
    maps = old.vios_mappings
    i = maps.index[(maps["kind"] == "scsi") & maps["backing_device"].notna() & (maps["system"] == "PRD-1")
                   & maps["client_lpar_id"].notna()][0]
    parts = old.partitions
    client = parts.loc[(parts["system"] == "PRD-1") & (parts["lpar_id"] == maps.loc[i, "client_lpar_id"]), "name"].item()
    new_maps = maps.copy()
    new_maps.loc[i, "backing_device"] = "hdisk99"
    new = old.replace(vios_mappings=new_maps)
    storage = F("HA501", "high", partition=client, resource=f"PRD-1/{client}/rootvg", message="one path")
    capacity = F("HA101", "high", partition=client, resource="memory", message="short")
    d = drift(Side("old", frame(), inventory=old), Side("new", frame(storage, capacity), inventory=new))
    assert len(d.config) == 1 and d.config["related"].item() == client
    by_check = dict(zip(d.findings["check_id"], d.findings["explained_by"], strict=True))
    assert by_check == {"HA501": ("C1",), "HA101": ()}


def test_kinds_absent_on_one_or_both_sides(pair):
    old = pair[0].inventory
    bare = old.replace(vios_mappings=old.vios_mappings.iloc[:0], seas=old.seas.iloc[:0])
    assert config_changes(bare, bare, "UTC").empty  # e.g. a fleet captured without VIOS data, twice
    c = config_changes(old, bare, "UTC")
    assert set(c["change"]) == {"uncompared"} and set(c["kind"]) == {"vios_mapping", "sea"}
    assert set(c["partition"]) == set(old.seas["vios_name"]) | set(old.vios_mappings["vios_name"])
