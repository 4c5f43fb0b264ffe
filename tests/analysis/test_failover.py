"""Failure scenarios from the plan, placements per variant, and unknowns that never pass."""

from __future__ import annotations

from hatoolkit.analysis.failover import FailoverAnalysis, Variant, failover, scenarios_of
from hatoolkit.model.plan import Plan, bundle_plan, plan_from_text
from tests.analysis.builders import build, lpar, system
from tests.conftest import SAMPLE

PLAN = """
failover:
  pairs: [PRD -> DR]
  pools:
    - {name: site, systems: [A, B, C]}
"""


def test_scenarios_from_pairs_pools_and_the_default():
    inv = build([system(s) for s in ("PRD", "DR", "A", "B", "C")], [])
    got = [(s.kind, s.failed, s.destinations) for s in scenarios_of(inv, plan_from_text(PLAN))]
    assert got == [("pair", "PRD", ("DR",)), ("pool", "A", ("B", "C")), ("pool", "B", ("A", "C")),
                   ("pool", "C", ("A", "B")), ("reverse", "DR", ("PRD",))]
    # No pairs and no pools: every system must survive the loss of any one other.
    got = [(s.kind, s.failed, s.destinations) for s in scenarios_of(inv, Plan())]
    assert got[0] == ("any", "A", ("B", "C", "DR", "PRD")) and len(got) == 5  # systems in name order
    # A pair declared both ways needs no reverse scenario.
    both = plan_from_text("failover: {pairs: [PRD -> DR, DR -> PRD]}\n")
    assert [s.kind for s in scenarios_of(inv, both)] == ["pair", "pair"]


def _pool_inventory(sizes, free):
    systems = [system("FAILED")] + [system(f"S{i}", avail=f) for i, f in enumerate(free, start=1)]
    lpars = [lpar("FAILED", 1, "VIOS", env="vioserver", units=1.0)]
    lpars += [lpar("FAILED", i + 2, f"P{i}", units=float(u), mem_mb=1024, max_mem_mb=1024)
              for i, u in enumerate(sizes)]
    names = ", ".join(s["system"] for s in systems)
    return build(systems, lpars), plan_from_text(f"failover: {{pools: [{{name: p, systems: [{names}]}}]}}\n")


def test_milp_finds_the_placement_first_fit_decreasing_misses():
    # FAILED's partitions 5,5,4,4,3,3 on two survivors with 12 units free each (see test_placement).
    inv, plan = _pool_inventory([5, 5, 4, 4, 3, 3], [12, 12])
    fa = FailoverAnalysis(inv, plan)
    sc = fa.scenarios[0]
    p = fa.placement(sc, fa.allowed(sc))
    assert p.status == "fits" and p.method == "milp" and p.unplaced == []
    assert set(p.targets["proc_units_placed"]) == {12.0}
    assert "VIOS" not in set(p.items["partition"])  # VIOS never moves


def test_sum_fits_but_no_placement_is_a_shortfall():
    inv, plan = _pool_inventory([6, 6, 6], [10, 10])
    fa = FailoverAnalysis(inv, plan)
    p = fa.placement(fa.scenarios[0], fa.allowed(fa.scenarios[0]))
    assert p.status == "does_not_fit" and p.method == "milp"
    assert (p.demand_proc_units, p.supply_proc_units) == (18.0, 20.0)
    assert len(p.unplaced) == 1


def test_demand_excludes_vios_preemptible_and_out_of_scope_partitions():
    inv = build([system("PRD"), system("DR")], [
        lpar("PRD", 1, "VIOS", env="vioserver"), lpar("PRD", 2, "APP"), lpar("PRD", 3, "DEV-1"),
        lpar("PRD", 4, "SCRATCH"), lpar("PRD", 5, "SPARE", state="Not Activated"),
    ])
    plan = plan_from_text('failover: {pairs: [PRD -> DR]}\npreemptible: ["DEV-*"]\nscope: {exclude: ["PRD/SCRATCH"]}\n')
    fa = FailoverAnalysis(inv, plan)
    assert list(fa.demand(fa.scenarios[0], "current").items["partition"]) == ["APP"]
    plan = plan_from_text('failover: {pairs: [PRD -> DR]}\nscope: {inactive: true}\n')
    fa = FailoverAnalysis(inv, plan)
    assert "SPARE" in set(fa.demand(fa.scenarios[0], "current").items["partition"])


def test_missing_destination_memory_is_unknown_unless_the_rest_already_fails():
    inv = build([system("PRD"), system("DR", avail_mem_mb=None)], [lpar("PRD", 2, "APP", units=2.0)])
    fa = FailoverAnalysis(inv, plan_from_text("failover: {pairs: [PRD -> DR]}\n"))
    sc = fa.scenarios[0]
    p = fa.placement(sc, fa.allowed(sc))
    assert p.status == "unknown" and any("curr_avail_sys_mem_mb" in m for m in p.missing)
    assert fa.placement(sc, fa.allowed(sc), dims=("proc",)).status == "fits"
    # Processors alone already too short: a proof, whatever the memory is.
    inv = build([system("PRD"), system("DR", avail=1.0, avail_mem_mb=None)], [lpar("PRD", 2, "APP", units=2.0)])
    fa = FailoverAnalysis(inv, plan_from_text("failover: {pairs: [PRD -> DR]}\n"))
    assert fa.placement(fa.scenarios[0], fa.allowed(fa.scenarios[0])).status == "does_not_fit"


def test_a_partition_of_unknown_size_cannot_be_shown_to_fit():
    inv = build([system("PRD"), system("DR")], [lpar("PRD", 2, "APP", curr_proc_units=None)])
    fa = FailoverAnalysis(inv, plan_from_text("failover: {pairs: [PRD -> DR]}\n"))
    p = fa.placement(fa.scenarios[0], fa.allowed(fa.scenarios[0]))
    assert p.status == "unknown" and any("PRD/APP" in m for m in p.missing)


def test_a_failed_system_without_partition_capture_is_unknown_not_empty():
    inv = build([system("PRD"), system("DR")], [])
    fa = FailoverAnalysis(inv, plan_from_text("failover: {pairs: [PRD -> DR]}\n"))
    p = fa.placement(fa.scenarios[0], fa.allowed(fa.scenarios[0]))
    assert p.status == "unknown" and any("partitions not captured" in m for m in p.missing)


def test_variants_preemption_and_cod():
    # DR: 2 units free, DEV frees 2, 8 dark cores. APP needs 5: fits only with preemption and CoD.
    inv = build([system("PRD"), system("DR", cores=16, installed=24, avail=2.0)],
                [lpar("PRD", 2, "APP", units=5.0), lpar("DR", 2, "DEV-1", units=2.0)])
    fa = FailoverAnalysis(inv, plan_from_text('failover: {pairs: [PRD -> DR]}\npreemptible: ["DR/DEV-*"]\n'))
    sc = fa.scenarios[0]
    status = {(pre, cod): fa.placement(sc, Variant("current", pre, cod)).status
              for pre in (False, True) for cod in (False, True)}
    assert status == {(False, False): "does_not_fit", (True, False): "does_not_fit",
                      (False, True): "fits", (True, True): "fits"}
    assert fa.allowed(sc) == Variant("current", True, False)


def test_memoised_per_inventory_and_plan_and_deterministic():
    inv, plan = _pool_inventory([6, 6, 6], [10, 10])
    assert failover(inv, plan) is failover(inv, plan)
    assert failover(inv, plan) is not failover(inv, plan, "minimum")
    a = FailoverAnalysis(inv, plan).placement(failover(inv, plan).scenarios[0], Variant("current", False, False))
    b = FailoverAnalysis(inv, plan).placement(failover(inv, plan).scenarios[0], Variant("current", False, False))
    assert a.items.equals(b.items) and a.targets.equals(b.targets)


def test_sample_story(sample_inventory):
    from hatoolkit.model.plan import bundle_plan
    from tests.conftest import SAMPLE

    fa = failover(sample_inventory, bundle_plan(SAMPLE))
    by = {s.label: s for s in fa.scenarios}
    prd1 = by["PRD-1 -> DR-1"]
    assert fa.placement(prd1, fa.allowed(prd1)).status == "does_not_fit"
    assert fa.placement(prd1, fa.allowed(prd1, "minimum")).status == "fits"
    assert fa.placement(prd1, Variant("minimum", False, False)).status == "does_not_fit"
    assert fa.worst().status == "does_not_fit"
    head = fa.headroom()
    assert set(head["sizing"]) == {"current", "minimum"}
    assert len(head) == 2 * len(fa.primary())


def test_an_undecided_exact_placement_is_unknown(monkeypatch):
    import numpy as np

    from hatoolkit.analysis import failover as module
    from hatoolkit.analysis.placement import Solution

    def undecided(problem):
        return Solution(False, "undecided", np.full(problem.shape[0], -1), optimal=False, decided=False)

    inv, plan = _pool_inventory([6, 6, 6], [10, 10])
    monkeypatch.setattr(module, "solve", undecided)
    fa = FailoverAnalysis(inv, plan)
    p = fa.placement(fa.scenarios[0], fa.allowed(fa.scenarios[0]))
    assert p.status == "unknown" and any("work limit" in m for m in p.missing)


def test_an_unrated_system_makes_processors_unknown_across_systems():
    # Without a type-model (no lssyscfg -r sys) the destination could be any generation.
    inv = build([system("PRD"), system("DR", model=None)], [lpar("PRD", 2, "APP", units=1.0)])
    fa = FailoverAnalysis(inv, plan_from_text("failover: {pairs: [PRD -> DR]}\n"))
    sc = fa.scenarios[0]
    p = fa.placement(sc, fa.allowed(sc), dims=("proc",))
    assert p.status == "unknown" and any("per-core performance of DR unknown" in m for m in p.missing)
    assert fa.placement(sc, fa.allowed(sc), dims=("mem",)).status == "fits"
    # A plan override resolves it.
    fa = FailoverAnalysis(inv, plan_from_text("failover: {pairs: [PRD -> DR]}\nrperf: {DR: 24.3}\n"))
    assert fa.placement(fa.scenarios[0], fa.allowed(fa.scenarios[0])).status == "fits"


def test_variants_table_covers_every_sizing_preemption_and_cod():
    inv = build([system("PRD"), system("DR", cores=16, installed=24, avail=2.0)],
                [lpar("PRD", 2, "APP", units=5.0, min_units=1.0), lpar("DR", 2, "DEV-1", units=2.0)],
                profiles=[])
    # (S924 with 16 or 24 installed cores differ in rPerf per core: pin it so the numbers stay round.)
    plan = plan_from_text('failover: {pairs: [PRD -> DR]}\npreemptible: ["DR/DEV-*"]\nrperf: {9009-42A: 25}\n')
    table = FailoverAnalysis(inv, plan).variants()
    assert len(table) == 3 * 2 * 2  # one destination
    cur = table[table["sizing"] == "current"].set_index(["preempt", "cod"])
    assert cur.loc[(False, False), "status"] == "does_not_fit" and cur.loc[(False, False), "unplaced"] == "APP"
    assert cur.loc[(True, True), "proc_units_free"] == 2.0 + 2.0 + 8.0 - 5.0
    # Desired needs the profile, which this inventory does not have: unknown, never a pass.
    assert set(table.loc[table["sizing"] == "desired", "status"]) == {"unknown"}
    assert set(table.loc[table["sizing"] == "minimum", "status"]) == {"fits"}


def test_a_fitting_placement_witnesses_its_relaxations(sample_inventory, tmp_path):
    # Relaxations (one dimension, or only the dedicated partitions) reuse the full placement when it fits;
    # solved on their own they must come to the same verdict, and the shared placement must hold.
    from hatoolkit import load_inventory
    from hatoolkit.synth import write_fleet

    write_fleet(tmp_path / "fleet", 12, seed=7, lpars_per_system=12)
    cases = [(sample_inventory, bundle_plan(SAMPLE)), (load_inventory(tmp_path / "fleet"), Plan())]
    relaxations = ((("proc",), False), (("mem",), False), (("pool",), False), (("proc", "mem"), False),
                   (("proc",), True))
    for inv, plan in cases:
        fa = FailoverAnalysis(inv, plan)
        for sc in fa.scenarios:
            for v in (fa.allowed(sc), Variant("minimum", False, False)):
                for dims, ded in relaxations:
                    shared = fa.placement(sc, v, dims=dims, dedicated_only=ded)
                    alone = fa._place(sc, v, dims, ded)
                    assert shared.status == alone.status, (sc.label, v, dims, ded)
                    assert shared.missing == alone.missing
                    assert shared.demand_proc_units == alone.demand_proc_units
                    if shared.status == "fits":
                        t = shared.targets
                        if "proc" in dims:
                            assert (t["proc_units_placed"] <= t["proc_units_supply"].fillna(float("inf")) + 1e-9).all()
                        if "mem" in dims:
                            assert (t["mem_mb_placed"] <= t["mem_mb_supply"].fillna(float("inf"))).all()
