"""Redundancy figures: single points red, copies collapsed, names escaped, empty inputs handled."""

from __future__ import annotations

import pandas as pd

from hatoolkit.analysis import topology
from hatoolkit.model.plan import bundle_plan
from hatoolkit.report import tables
from hatoolkit.report.figures import redundancy as fig
from hatoolkit.report.theme import PATH_COLORS
from tests.conftest import SAMPLE


def test_path_diagram_marks_single_points_red(sample_inventory):
    plan = bundle_plan(SAMPLE)
    nodes, edges = topology.guest_paths(sample_inventory, plan, "IBMI-7", "IBMI-GUEST1")
    f = fig.path_diagram(nodes, edges, title="IBMI-GUEST1")
    markers = f.data[-1]
    red = [t for t, c in zip(markers.text, markers.marker.color, strict=True) if c == PATH_COLORS["certain"]]
    assert {"IBMIHOST", "HEA 23000000"} <= set(red)
    assert all(not t.startswith("IBMI-7/IBMI-GUEST1 ") for t in markers.text)  # the guest's own prefix is dropped
    explorer = fig.path_explorer(topology.all_guest_paths(sample_inventory, plan))
    menu = explorer.layout.updatemenus[0].buttons
    assert menu[0].label.startswith("IBMI-7/IBMI-GUEST1") and len(menu) == 22
    assert sum(bool(t.visible) for t in explorer.data) == len(fig._traces(nodes, edges))


def test_ranking_and_tables(sample_inventory):
    plan = bundle_plan(SAMPLE)
    comps = topology.components(sample_inventory, plan)
    f = fig.spof_ranking(comps, top=5)
    assert sum(len(t.y) for t in f.data) == 5
    table = tables.components_table(comps)
    assert table.iloc[0]["critical"] == "IBMI-7/IBMI-GUEST1" and (table["guests cut off"] > 0).all()


def test_escaping_and_empty_inputs():
    nodes = pd.DataFrame({"id": ["guest:S/1", "need", "SINK"], "label": ["S/<script>", "S/<script> VLAN 1", "LAN"],
                          "kind": ["guest", "need", "sink"], "layer": [0, 1, 2], "failable": [False, False, False],
                          "spof": ["", "", ""]})
    edges = pd.DataFrame({"source": ["guest:S/1", "need"], "target": ["need", "SINK"], "views": ["both", "opt"]})
    f = fig.path_diagram(nodes, edges)
    assert "&lt;script&gt;" in "".join(f.data[-1].hovertext) and "<script>" not in "".join(f.data[-1].text)
    assert fig.path_diagram(nodes.iloc[0:0], edges.iloc[0:0]).layout.annotations
    assert fig.path_explorer({}).layout.annotations
    from hatoolkit.model.inventory import Inventory
    from hatoolkit.model.plan import Plan
    assert fig.spof_ranking(topology.components(Inventory(), Plan())).layout.annotations
    findings = pd.DataFrame(columns=["family", "severity", "status"])
    assert fig.findings_by_family(findings).layout.annotations
