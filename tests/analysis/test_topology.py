"""The topology's single points of failure against brute force: remove each component in turn, see who is cut.

On the sample and on a random fleet (with random weaknesses and a VIOS left uncaptured), every
need's `certain` components must be exactly those whose removal (all their copies) disconnects it
in the optimistic view, and `certain | possible` exactly those that do in the pessimistic view;
pairs for critical guests likewise against removing every pair. Then the sample's story.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import networkx as nx
import pytest

from hatoolkit import load_inventory
from hatoolkit.analysis import topology as topo_mod
from hatoolkit.analysis.topology_graph import SINK, live_region, reaches
from hatoolkit.model.plan import Plan, bundle_plan, plan_from_text
from hatoolkit.synth import write_estate
from hatoolkit.synth.fleet import fleet
from hatoolkit.synth.hmc_writer import Quirks
from hatoolkit.synth.vios_build import SanNet, ViosTweaks, configure_vios
from tests.conftest import SAMPLE


def _components(g: nx.DiGraph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for n, data in g.nodes(data=True):
        if data.get("failable"):
            out.setdefault(data["component"], []).append(n)
    return out


def brute_force_check(topo) -> int:
    """Compare every need's judgement with removal of every component; returns how many removals were tried."""
    opt, pes = topo.views["opt"], topo.views["pes"]
    comps_opt, comps_pes = _components(opt), _components(pes)
    tried = 0
    for r in topo.needs.itertuples(index=False):
        opt_ok, pes_ok = reaches(opt, r.need), reaches(pes, r.need)
        if not opt_ok:
            assert r.status == "no_path", r
            continue
        region = live_region(opt, r.need)
        relevant = {opt.nodes[n]["component"] for n in region if opt.nodes[n]["failable"]}
        cut_opt = {c for c in relevant if not reaches(opt, r.need, comps_opt[c])}
        tried += len(relevant)
        assert cut_opt == set(r.certain), (r.need, cut_opt, r.certain)
        if pes_ok:
            region_p = live_region(pes, r.need)
            relevant_p = {pes.nodes[n]["component"] for n in region_p if pes.nodes[n]["failable"]}
            cut_pes = {c for c in relevant_p if not reaches(pes, r.need, comps_pes[c])}
            assert cut_pes == set(r.certain) | set(r.possible), (r.need, cut_pes, r.certain, r.possible)
            assert (r.status == "redundant") == (not cut_pes)
        else:
            assert r.status in ("spof", "unknown")
        if r.status == "redundant":
            assert not r.certain and not r.possible
    return tried


def brute_force_pairs(topo, pairs) -> None:
    opt = topo.views["opt"]
    comps = _components(opt)
    crit = topo.guests[topo.guests["critical"]]
    needs = topo.needs.merge(crit[["system", "lpar_id"]], on=["system", "lpar_id"])
    got = {(r.partition, r.need_label, r.component_a, r.component_b) for r in pairs.itertuples(index=False)}
    want = set()
    for r in needs.itertuples(index=False):
        if r.status == "no_path":
            continue
        region = live_region(opt, r.need)
        relevant = sorted({opt.nodes[n]["component"] for n in region if opt.nodes[n]["failable"]} - set(r.certain))
        for a, b in itertools.combinations(relevant, 2):
            if not reaches(opt, r.need, comps[a] + comps[b]):
                want.add((r.partition, r.label, a, b))
    assert got == want


@pytest.fixture(scope="module")
def sample():
    inv = load_inventory(SAMPLE)
    plan = bundle_plan(SAMPLE)
    return inv, plan, topo_mod.topology(inv, plan)


def test_sample_single_points_match_brute_force(sample):
    _, _, topo = sample
    assert brute_force_check(topo) > 50


def test_sample_pairs_match_brute_force(sample):
    inv, plan, topo = sample
    pairs = topo_mod.pairs(inv, plan)
    brute_force_pairs(topo, pairs)
    erp = pairs[pairs["partition"] == "ERP-DB"]
    assert {("PRD-1/PRD-1-VIOS1", "PRD-1/PRD-1-VIOS2")} <= set(zip(erp["label_a"], erp["label_b"], strict=True))


def _random_bundle(root: Path, seed: int) -> Path:
    rng = random.Random(seed)
    estate = fleet(4, seed=seed, lpars_per_system=8)
    nets, reserve, unmapped, paths, lv = {}, {}, set(), {}, {}
    for s in estate.systems:
        nets[s.name] = SanNet(ha_mode=rng.choice(("auto", "sharing")),
                              real_adapter=rng.choice(("etherchannel", "nib", "ent0")))
        clients = [lp for lp in s.lpars if lp.env != "vioserver" and lp.vscsi]
        for lp in rng.sample(clients, min(3, len(clients))):
            tag = f"{lp.name}/rootvg"
            choice = rng.randrange(4)
            if choice == 0:
                reserve[(rng.choice(("vios1", "vios2")), tag)] = "single_path"
            elif choice == 1:
                unmapped.add(("vios2", tag))
            elif choice == 2:
                paths[("vios1", tag)] = (("fscsi0", "Failed"), ("fscsi1", "Enabled"))
            else:
                lv[("vios1", tag)] = f"lv_{lp.id}"
    # configure_vios keys tweaks by VIOS partition name, identical on every fleet system (vios1, vios2)
    configure_vios(estate, nets, ViosTweaks(reserve=reserve, unmapped=frozenset(unmapped), paths=paths, lv_backed=lv))
    victim = estate.systems[rng.randrange(len(estate.systems))]
    blind = rng.choice(("vios1", "vios2"))
    next(lp for lp in victim.lpars if lp.name == blind).vios_config = None
    write_estate(estate, root, {s.name: ("files", Quirks(), None) for s in estate.systems}, vios_styles="files")
    return root


@pytest.mark.parametrize("seed", [3, 11])
def test_random_fleet_single_points_match_brute_force(tmp_path, seed):
    inv = load_inventory(_random_bundle(tmp_path, seed))
    crit = [f"{s}/{n}" for s, n in zip(inv.partitions["system"], inv.partitions["name"], strict=True)][::5]
    plan = plan_from_text("critical: [" + ", ".join(f'"{c}"' for c in crit) + "]\n")
    topo = topo_mod.topology(inv, plan)
    assert set(topo.needs["status"]) >= {"redundant", "spof", "unknown"}, topo.needs["status"].value_counts()
    assert brute_force_check(topo) > 100
    brute_force_pairs(topo, topo_mod.pairs(inv, plan))


def test_sample_story(sample):
    inv, plan, topo = sample
    g = topo.guests.set_index("partition")
    needs = topo.needs
    guest1 = needs[(needs["partition"] == "IBMI-GUEST1") & (needs["kind"] == "lan")].iloc[0]
    assert set(guest1["certain"]) == {"part:IBMI-7/1", "hea_port:IBMI-7/23000000/1/0", "hea:IBMI-7/23000000"}
    pay = needs[needs["partition"] == "HR-PAY"].set_index("label")
    assert pay.loc["ASP 1 unit 1", "status"] == "redundant"
    assert "part:PRD-2/1" in pay.loc["ASP 1 unit 2", "certain"]
    web = needs[(needs["partition"] == "WEB1") & (needs["label"] == "VLAN 30")].iloc[0]
    assert "part:PRD-1/1" in web["certain"]  # both SEAs of VLAN 30 on PRD-1-VIOS1: found through its two copies
    assert g.loc["ERP-DB", "status"] == "redundant" and g.loc["CRM-DB", "status"] == "redundant"
    assert g.loc["IBMI-GUEST1", "critical"] and g.loc["IBMI-GUEST1", "status"] == "spof"
    ranked = topo_mod.components(inv, plan)
    top = ranked.iloc[0]
    assert top["n_guests"] == 2 and set(top["critical"]) == {"IBMI-7/IBMI-GUEST1"}
    batch = needs[(needs["partition"] == "LNX-BATCH") & (needs["status"] == "spof")]
    assert batch["certain"].map(lambda c: "part:PRD-1/2" in c).all()  # PRD-1-VIOS2 holds the reserved LUN


def test_guest_paths_for_the_diagram(sample):
    inv, plan, _ = sample
    nodes, edges = topo_mod.guest_paths(inv, plan, "IBMI-7", "IBMI-GUEST1")
    spof = set(nodes.loc[nodes["spof"] == "certain", "label"])
    assert {"IBMI-7/IBMIHOST", "IBMI-7 HEA 23000000"} <= spof
    assert nodes["layer"].min() == 0 and (nodes["id"] == SINK).sum() == 1
    assert set(edges["source"]) | set(edges["target"]) <= set(nodes["id"])
    # copies of a component collapse into one node
    assert (nodes["label"] == "IBMI-7/IBMIHOST").sum() == 1
    with pytest.raises(KeyError):
        topo_mod.guest_paths(inv, plan, "IBMI-7", "nobody")


def test_empty_and_scoped(sample):
    from hatoolkit.model.inventory import Inventory
    empty = topo_mod.topology(Inventory(), Plan())
    assert empty.needs.empty and empty.guests.empty and topo_mod.components(Inventory(), Plan()).empty
    inv, _, _ = sample
    scoped = topo_mod.topology(inv, plan_from_text('scope:\n  include: ["IBMI-7/*"]\n'))
    assert set(scoped.guests["system"]) == {"IBMI-7"}
