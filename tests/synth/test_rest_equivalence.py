"""One estate written as CLI captures and as HMC REST XML must load into the same Inventory.

The CLI bundle is the HMC CLI captures plus the VIOS captures (`lsmap`, `lsdev`, `chkdev`, `lspath`);
the REST bundle is REST XML only, its VIOS side coming from the VirtualIOServer entries. Frames are
compared row for row after sorting by their key, ignoring `source` (file and line differ by nature)
and the columns REST cannot carry (`hmc_rest.SOURCE_GAPS`, each reported as a `source_gap` data gap on
the REST side and checked to be empty there). A few VIOS columns REST fills where the VIOS's own
listing prints nothing (`REST_RICHER`): where both sources have a value it must be the same. Findings
must be identical, except where a documented source gap makes REST say `unknown` (never a pass).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hatoolkit import load_inventory
from hatoolkit.checks import run_checks
from hatoolkit.ingest.bundle import FRAME_KEYS
from hatoolkit.ingest.hmc_rest import ROW_GAPS, SOURCE_GAPS
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import plan_from_text
from hatoolkit.synth import fleet, sample_estate, write_estate
from hatoolkit.synth.hmc_writer import Quirks
from hatoolkit.synth.sample import PLAN_YAML
from hatoolkit.synth.vios_build import SanNet, ViosTweaks, configure_vios

VIOS_FRAMES = ("vios_mappings", "seas", "etherchannels", "disks", "disk_paths")
# Utilisation history is `lslparutil` output (CLI only; REST keeps it in PCM, not in the inventory XML).
CLI_ONLY = ("utilization", "utilization_config")
# Columns REST fills where the VIOS captures print nothing; equal wherever both have a value.
REST_RICHER: dict[str, dict[str, str]] = {
    "vios_mappings": {"client_slot": "lsmap -npiv shows the client's slot (VFC client DRC) only once it logs in"},
    "seas": {"trunk_priority": "lsdev -attr does not list the trunk adapters' priority",
             "vswitch": "lsdev -attr does not name the virtual switch",
             "vlans": "lsdev -attr does not list the bridged VLANs"},
    "disks": {"physloc": "the VIOS readers take no location code from lsdev/chkdev"},
}


def comparable(inv: Inventory, name: str) -> pd.DataFrame:
    gaps = SOURCE_GAPS.get(name, {})
    frame = inv.frame(name)
    drop = ["source", *gaps]
    frame = frame.drop(columns=[c for c in drop if c in frame.columns])
    key = FRAME_KEYS[name]
    return frame.sort_values(key, kind="mergesort").reset_index(drop=True)


def _rows_rest_can_carry(cli: Inventory, name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """ROW_GAPS: REST names only trunk adapters among a VIOS's virtual Ethernet adapters."""
    if name != "vios_mappings":
        return frame
    veth = cli.virtual_eth
    trunks = veth.loc[veth["is_trunk"].fillna(False).astype(bool), ["system", "lpar_id", "slot_num"]].rename(
        columns={"lpar_id": "vios_lpar_id"}).assign(_trunk=True)
    marked = frame.merge(trunks, on=["system", "vios_lpar_id", "slot_num"], how="left")
    keep = (marked["kind"] != "net") | marked["_trunk"].notna()
    return frame[keep.to_numpy()]


def assert_same_vios_frame(cli: Inventory, rest: Inventory, name: str) -> None:
    gaps, richer = SOURCE_GAPS.get(name, {}), REST_RICHER.get(name, {})
    key = FRAME_KEYS[name]
    c = _rows_rest_can_carry(cli, name, comparable(cli, name)).reset_index(drop=True)
    r = comparable(rest, name)
    pd.testing.assert_frame_equal(c[key], r[key], obj=f"frame {name} keys")
    assert not c.empty, f"{name}: nothing to compare"
    for column in gaps:
        assert rest.frame(name)[column].isna().all(), f"{name}.{column} is declared a REST gap but REST filled it"
    for column in c.columns.difference(key):
        if column in richer:
            both = c[column].notna()
            assert r[column].notna().sum() >= both.sum(), f"{name}.{column}"
            pd.testing.assert_series_equal(c.loc[both, column], r.loc[both, column], obj=f"{name}.{column}")
        else:
            pd.testing.assert_series_equal(c[column], r[column], check_exact=False, obj=f"{name}.{column}")


def assert_same_inventory(cli: Inventory, rest: Inventory) -> None:
    for name, _ in cli.frames():
        if name in CLI_ONLY:
            assert rest.frame(name).empty, f"{name}: REST XML carries no utilisation history"
            continue
        if "*" in SOURCE_GAPS.get(name, {}):
            assert rest.frame(name).empty, f"{name} is declared a REST gap but REST filled it"
            if not cli.frame(name).empty:
                assert rest.gaps["message"].str.contains(f"REST cannot fill {name}").any()
            continue
        if name in VIOS_FRAMES and not cli.frame(name).empty:
            assert_same_vios_frame(cli, rest, name)
            continue
        pd.testing.assert_frame_equal(comparable(cli, name), comparable(rest, name), check_exact=False,
                                      obj=f"frame {name}")
    documented = rest.gaps[rest.gaps["code"] == "source_gap"]["message"]
    for name, columns in SOURCE_GAPS.items():
        if not cli.frame(name).empty and "*" not in columns:
            text = documented[documented.str.startswith(f"REST cannot fill {name}:")].iat[0]
            assert all(column in text for column in columns)
            assert name not in ROW_GAPS or ROW_GAPS[name] in text


# Checks whose inputs include fields REST cannot carry (SOURCE_GAPS): HEA ports (HA204, HA402), MPIO paths
# (disk_paths: HA501, HA503), EtherChannels (HA409), adapter cards of VIOS ports (HA601 names them).
GAP_SENSITIVE = {"HA204", "HA402", "HA409", "HA501", "HA503", "HA601"}


def assert_same_findings(f_cli: pd.DataFrame, f_rest: pd.DataFrame) -> None:
    """Identical, except where REST cannot carry a field (SOURCE_GAPS): there REST says `unknown`, never passes."""
    merged = f_cli.merge(f_rest, how="outer", indicator=True)
    only_cli = merged[merged["_merge"] == "left_only"]
    only_rest = merged[merged["_merge"] == "right_only"]
    assert (only_rest["status"] == "unknown").all(), only_rest.to_string()
    assert set(only_rest["check_id"]) <= GAP_SENSITIVE, sorted(set(only_rest["check_id"]))
    assert set(only_cli["check_id"]) <= GAP_SENSITIVE, sorted(set(only_cli["check_id"]))
    unknown_in_rest = set(map(tuple, only_rest[["check_id", "system"]].itertuples(index=False)))
    unknown_systems = set(only_rest["system"])
    for row in only_cli[["check_id", "system", "partition", "resource"]].itertuples(index=False):
        # A component REST cannot even name (the adapter card behind a path it cannot see) surfaces as
        # unknown paths of the same system's guests (HA501), not as an HA601 row of its own.
        said = (row.check_id, row.system) in unknown_in_rest or (row.check_id == "HA601" and row.system in unknown_systems)
        assert said, f"REST lost finding {tuple(row)} without an unknown"


def _both(estate, tmp_path: Path) -> tuple[Inventory, Inventory]:
    write_estate(estate, tmp_path / "cli", {s.name: ("files", Quirks(), None) for s in estate.systems},
                 formats=("cli",), vios_styles="pipe")
    write_estate(estate, tmp_path / "rest", formats=("rest",))
    assert not (tmp_path / "rest" / "vios").exists(), "the REST bundle must carry the VIOS side itself"
    return load_inventory(tmp_path / "cli"), load_inventory(tmp_path / "rest")


def test_sample_estate_cli_and_rest_are_the_same_inventory(tmp_path: Path) -> None:
    cli, rest = _both(sample_estate(), tmp_path)
    assert len(rest.partitions) == 29 and len(rest.virtual_fc) == 32
    assert (len(rest.vios_mappings), len(rest.seas), len(rest.disks)) == (55, 9, 108)
    assert_same_inventory(cli, rest)
    assert not rest.gaps["code"].isin(("schema", "bad_value", "unknown_system", "unparseable")).any()
    # The sample's VIOS weaknesses survive the REST round trip.
    disks = rest.disks.merge(rest.vios_mappings, left_on=["system", "vios_lpar_id", "hdisk"],
                             right_on=["system", "vios_lpar_id", "backing_device"])
    assert set(disks.loc[disks["reserve_policy"] == "single_path", "vtd"]) == {"vtlnxbatch_data"}
    assert rest.vios_mappings.loc[rest.vios_mappings["backing_type"] == "lv", "backing_device"].tolist() == ["devweb_lv01"]
    dr1 = rest.seas[rest.seas["system"] == "DR-1"]
    assert dr1["vlans"].map(set).tolist() == [{10, 20}, {10, 20}]  # VLAN 30 is not bridged on DR-1
    plan = plan_from_text(PLAN_YAML)
    f_cli, cov_cli = run_checks(cli, plan)
    f_rest, cov_rest = run_checks(rest, plan)
    assert_same_findings(f_cli, f_rest)
    assert cov_cli["error"].isna().all() and cov_rest["error"].isna().all()
    # The mobility checks that read VIOS frames found the same weaknesses from REST alone.
    failing = set(f_rest.loc[f_rest["status"] == "fail", "check_id"])
    assert {"HA211", "HA212", "HA213", "HA214"} <= failing, sorted(failing)


@pytest.mark.parametrize("seed", [3, 11])
def test_random_fleet_cli_and_rest_are_the_same_inventory(tmp_path: Path, seed: int) -> None:
    estate = fleet(3, seed=seed, lpars_per_system=14)
    cli, rest = _both(estate, tmp_path)
    assert len(rest.systems) == 3 and len(rest.partitions) == sum(len(s.lpars) for s in estate.systems)
    assert rest.vios_mappings.empty  # no VIOS-side configuration: REST shows a VIOS the HMC could not query
    assert rest.gaps["message"].str.contains("the REST entry has no VIOS-side devices").sum() == 6
    assert_same_inventory(cli, rest)
    f_cli, _ = run_checks(cli, plan_from_text("{}"))
    f_rest, _ = run_checks(rest, plan_from_text("{}"))
    pd.testing.assert_frame_equal(f_cli.reset_index(drop=True), f_rest.reset_index(drop=True))


@pytest.mark.parametrize("seed", [3, 11])
def test_random_fleet_with_vios_side_cli_and_rest_agree(tmp_path: Path, seed: int) -> None:
    estate = fleet(3, seed=seed, lpars_per_system=14)
    nets = {s.name: SanNet(fabric=f"fabric-{i % 2}", ha_mode=("auto", "sharing")[i % 2],
                           real_adapter=("etherchannel", "nib", "ent0")[i % 3]) for i, s in enumerate(estate.systems)}
    first = estate.systems[0]
    client = next(lp for lp in first.lpars if lp.env != "vioserver" and lp.vscsi)
    vios1 = next(lp for lp in first.lpars if lp.env == "vioserver")
    configure_vios(estate, nets, ViosTweaks(reserve={(vios1.name, f"{client.name}/rootvg"): "single_path"}))
    cli, rest = _both(estate, tmp_path)
    assert not rest.vios_mappings.empty and not rest.disks.empty and len(rest.seas) == 6
    assert_same_inventory(cli, rest)
    assert rest.disks["reserve_policy"].eq("single_path").sum() == cli.disks["reserve_policy"].eq("single_path").sum()
    f_cli, _ = run_checks(cli, plan_from_text("{}"))
    f_rest, _ = run_checks(rest, plan_from_text("{}"))
    assert_same_findings(f_cli, f_rest)
    assert f_rest["check_id"].eq("HA213").any()  # the reserving disk is found from REST alone
