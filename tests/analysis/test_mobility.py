"""The LPM readiness matrix, fix ranking and evacuation on the sample estate (its story is in synth/sample.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from hatoolkit.analysis import evacuation as ev
from hatoolkit.analysis import hardware as hw
from hatoolkit.analysis import mobility
from hatoolkit.analysis import vios as vio
from hatoolkit.model.plan import bundle_plan
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def plan():
    return bundle_plan(SAMPLE)


@pytest.fixture(scope="module")
def matrix(sample_inventory, plan):
    return mobility.readiness_matrix(sample_inventory, plan).set_index(["system", "partition", "destination"])


def test_matrix_covers_every_non_vios_partition_and_plan_target(sample_inventory, plan, matrix):
    p = sample_inventory.partitions
    movers = set(zip(p.loc[p["lpar_env"] != "vioserver", "system"], p.loc[p["lpar_env"] != "vioserver", "name"],
                     strict=True))
    assert {(s, n) for s, n, _ in matrix.index} == movers
    dests = matrix.reset_index().groupby("system")["destination"].agg(lambda s: sorted(set(s))).to_dict()
    assert dests == {"PRD-1": ["DR-1", "PRD-2"], "PRD-2": ["DR-1", "PRD-1"], "IBMI-7": ["DR-1"],
                     "DR-1": ["IBMI-7", "PRD-1", "PRD-2"]}  # DR-1 is no plan source: every other system
    assert set(matrix["status"]) == {"ready", "blocked", "unknown"}


@pytest.mark.parametrize("cell,status,first,also", [
    (("PRD-1", "ERP-DB", "DR-1"), "blocked", "compatibility mode", ()),
    (("PRD-1", "ERP-DB", "PRD-2"), "blocked", "destination capacity", ()),  # 256 GB + page table > 192 GB free
    (("PRD-1", "ERP-APP1", "PRD-2"), "ready", None, ()),
    (("PRD-1", "WEB1", "DR-1"), "blocked", "VLAN not bridged", ()),
    (("PRD-1", "WEB2", "PRD-2"), "ready", None, ()),
    (("PRD-1", "MQ", "DR-1"), "blocked", "RMC inactive", ("LUN not visible",)),
    (("PRD-1", "NIM", "DR-1"), "blocked", "physical I/O", ("name in use",)),
    (("PRD-1", "LNX-BATCH", "PRD-2"), "blocked", "reserve policy", ()),
    (("PRD-2", "DB2-BATCH", "DR-1"), "blocked", "huge pages", ()),
    (("PRD-2", "HR-APP", "PRD-1"), "blocked", "redundant error path", ()),
    (("IBMI-7", "IBMI-GUEST1", "DR-1"), "blocked", "system not LPM-capable",
     ("hosted by IBM i", "no mover service partition", "LMB size differs")),
    (("DR-1", "DEV-WEB", "PRD-1"), "blocked", "disk not a whole LUN", ()),
    (("DR-1", "DEV-ERP", "PRD-2"), "unknown", "? physical I/O", ()),
    (("DR-1", "LNX-GUEST1", "PRD-1"), "blocked", "hosted by IBM i", ()),
])
def test_sample_cells(matrix, cell, status, first, also):
    row = matrix.loc[cell]
    assert row["status"] == status
    assert (row["first_blocker"] if isinstance(row["first_blocker"], str) else None) == first
    assert set(also) <= set(row["blockers"])
    if status == "unknown":
        assert "physical I/O" in row["unknowns"] and "not captured" in row["detail"]


def test_cells_carry_caveats_for_what_no_export_shows(matrix):
    assert "NPIV" in matrix.loc[("PRD-1", "ERP-APP1", "DR-1"), "caveats"]
    # Destination capacity is a rule now (HA219): no cell says it was not evaluated.
    assert not matrix["caveats"].fillna("").str.contains(mobility.CAPACITY_CAVEAT, regex=False).any()
    assert pd.isna(matrix.loc[("PRD-1", "WEB1", "PRD-2"), "caveats"])  # vSCSI only: nothing left unseen


def test_fixes_are_ranked_by_moves_they_unblock(sample_inventory, plan):
    f = mobility.fixes(sample_inventory, plan).set_index("fix")
    vlan = f.loc["DR-1: bridge VLAN 30 (ETHERNET0) on a VIOS SEA"]
    assert (vlan["blocks"], vlan["unblocks"]) == (2, 2)
    assert set(vlan["moves"]) == {"PRD-1/WEB1 -> DR-1", "PRD-1/WEB2 -> DR-1"}
    assert f.loc["PRD-1/MQ: restore RMC (rsct, network to the HMC)", "unblocks"] == 1  # DR-1 also needs the LUN
    assert f["unblocks"].is_monotonic_decreasing
    assert not f.index.isna().any()


def test_counts(matrix):
    counts = mobility.readiness_counts(matrix.reset_index()).set_index(["system", "destination"])
    assert counts.loc[("PRD-1", "PRD-2")].to_dict() == {"ready": 4, "unknown": 0, "blocked": 4}


def test_compat_mode_spellings_and_generations():
    assert hw.compat_mode("POWER9_base") == hw.compat_mode("POWER9_Base") == "POWER9_BASE"
    assert hw.compat_mode("POWER6+") == hw.compat_mode("POWER6_Plus") == "POWER6_PLUS"
    assert hw.compat_mode(None) is None and hw.compat_mode(pd.NA) is None
    assert hw.generation("9105-42A") == 100 and hw.generation("9999-XXX") is None
    assert hw.lpm_pair_supported(90, 100) and hw.lpm_pair_supported(80, 100)
    assert not hw.lpm_pair_supported(70, 90) and hw.lpm_pair_supported(75, 90)
    assert not hw.lpm_pair_supported(50, 60) and not hw.lpm_pair_supported(80, 110)


def test_vios_views_on_sample(sample_inventory):
    trunks = vio.trunk_bridging(sample_inventory)
    assert set(trunks["basis"]) == {"sea"}
    bridged = vio.bridged_vlans(sample_inventory)
    dr1 = set(bridged.loc[bridged["system"] == "DR-1", "vlan_id"])
    assert dr1 == {10, 20}
    storage = vio.client_storage(sample_inventory)
    devweb = storage[(storage["system"] == "DR-1") & (storage["lpar_id"] == 5)]
    assert set(devweb["backing_type"].dropna()) == {"pv", "lv"} and devweb["vios_data"].all()
    # the same LUN through both VIOS has one UDID but different hdisk names
    web1 = storage[(storage["system"] == "PRD-1") & (storage["lpar_id"] == 6)]
    assert web1["udid"].nunique() == 1 and web1["backing_device"].nunique() == 2


def test_evacuation_with_capacity_sizer(sample_inventory, plan):
    plan_rows = ev.evacuation(sample_inventory, plan)
    prd1 = plan_rows[plan_rows["system"] == "PRD-1"].set_index("partition")
    # ERP-DB: POWER10 mode keeps it off DR-1; 256 GB + 4 GB page table does not fit PRD-2's 192.25 GB free.
    assert prd1.loc["ERP-DB", "action"] == "no capacity" and "PRD-2" in prd1.loc["ERP-DB", "reason"]
    assert prd1.loc[["ERP-APP1", "ERP-APP2", "WEB1", "WEB2"], "action"].eq("move").all()
    assert prd1.loc["WEB1", "destination"] == "PRD-2"  # VLAN 30 is not bridged on DR-1
    assert prd1.loc["NIM", "action"] == "blocked" and "physical I/O" in prd1.loc["NIM", "reason"]
    # 64 GB of memory plus the 1 GB page table (max 128 GB at 1:128) the destination's hypervisor allocates.
    assert prd1.loc["ERP-APP1", "mem_mb"] == 65536 + 1024
    prd2 = plan_rows[plan_rows["system"] == "PRD-2"].set_index("partition")
    # CRM-DB (4.0 units) does not fit PRD-1's 3.5 free units, but DR-1 has room once DEV/TEST shut down.
    assert prd2.loc["CRM-DB", "destination"] == "DR-1" and prd2.loc["CRM-DB", "proc_units"] == 4.0
    dr1 = plan_rows[plan_rows["system"] == "DR-1"].set_index("partition")
    assert dr1.loc["DEV-ERP", "action"] == "shut down" and dr1.loc["LNX-GUEST1", "action"] == "stays (not activated)"
    summary = ev.evacuation_summary(plan_rows).set_index("system")
    assert not summary["evacuable"].any()
    assert summary.loc["PRD-1", "move"] == 4


class Unlimited:
    """A stand-in for analysis.capacity: every destination has room."""

    def demand(self, inv, plan, cells):
        return cells[["system", "lpar_id", "destination"]].assign(proc_units=1.0, mem_mb=1.0)

    def supply(self, inv, plan):
        return inv.systems[["system"]].assign(proc_units=1e9, mem_mb=1e12)


def test_sizer_hook_replaces_the_capacity_sizer(sample_inventory, plan):
    plan_rows = ev.evacuation(sample_inventory, plan, sizer=Unlimited())
    assert plan_rows.set_index(["system", "partition"]).loc[("PRD-1", "ERP-DB"), "action"] == "move"


def test_consolidation_empties_a_system_whose_partitions_are_all_ready(tmp_path):
    from tests.checks.test_mobility_cases import standard

    lab = standard(("BIG",))
    lab.lpar("SRC", 3, "a1")
    lab.lpar("SRC", 4, "a2")
    lab.lpar("BIG", 3, "b1", proc_units=4.0, mem_mb=65536, os_version="IBM i 7.1", env="os400", storage="npiv")
    inv = lab.load(tmp_path)
    from hatoolkit.model.plan import Plan

    night = ev.consolidation(inv, Plan())
    assert set(night["system"]) == {"SRC"} and set(night["destination"]) == {"BIG"}
    assert night["action"].eq("move").all()


@pytest.mark.parametrize("cap,action", [(4.0, "move"), (0.3, "no capacity")])
def test_evacuation_respects_the_destinations_shared_pool_cap(tmp_path, cap, action):
    # lp_db runs 0.5 units in pool DB; on ONLY it would land in ONLY's DB pool, capped at `cap` units.
    from hatoolkit.model.plan import Plan
    from hatoolkit.synth.estate import ProcPool
    from tests.checks.test_mobility_cases import standard

    lab = standard(("ONLY",))
    for s in lab.systems:
        s.pools = [ProcPool(0, "DefaultPool", None), ProcPool(1, "DB", cap if s.name == "ONLY" else 4.0)]
    lab.lpar("SRC", 3, "lp_db", proc_units=0.5, pool_id=1)
    inv = lab.load(tmp_path)
    rows = ev.evacuation(inv, Plan()).set_index(["system", "partition"])
    assert rows.loc[("SRC", "lp_db"), "action"] == action
