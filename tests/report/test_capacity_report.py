"""Capacity figures, tables and the what-if widget, driven without a browser."""

from __future__ import annotations

import html

import pytest

from hatoolkit.analysis.failover import failover
from hatoolkit.model.plan import Plan, bundle_plan
from hatoolkit.report import tables, widgets
from hatoolkit.report.figures import capacity as figures
from tests.analysis.builders import build, lpar, system
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def analysis(sample_inventory):
    return failover(sample_inventory, bundle_plan(SAMPLE))


def test_headroom_bars(analysis):
    fig = figures.headroom_bars(analysis)
    scenarios = [s.label for s in analysis.primary()]
    # Per row (processors, memory): three supply layers + demand at current + demand at minimum.
    assert len(fig.data) == 10
    assert [html.unescape(x).replace(":<br>", ": ") for x in fig.data[0].x] == scenarios  # escaped, wrapped
    names = {t.name for t in fig.data}
    assert {"demand at current size", "demand at minimum size"} <= names
    assert any("not allowed" in n for n in names)  # the sample's plan does not allow CoD
    demand = next(t for t in fig.data if t.name == "demand at current size" and t.text is not None)
    assert demand.text[0] == "does not fit"


def test_placement_map_and_tables(analysis):
    worst = analysis.worst()
    fig = figures.placement_map(worst)
    placed = [t for t in fig.data if t.name in set(worst.items["partition"])]
    assert len(placed) == 2 * len(worst.items)  # each partition in the processor and the memory panel
    assert "unplaced" in list(fig.layout.xaxis.categoryarray)
    table = tables.placement_table(worst)
    assert list(table.columns) == tables.PLACEMENT_COLUMNS
    assert (table["to"] == "(unplaced)").sum() == len(worst.unplaced)
    assert table["to"].iloc[-1] == "(unplaced)"  # unplaced last
    head = tables.headroom_table(worst)
    assert list(head["destination"]) == list(worst.scenario.destinations)


def test_figures_and_tables_without_a_scenario():
    inv = build([system("ONLY")], [lpar("ONLY", 2, "APP")])
    fa = failover(inv, Plan())
    assert fa.worst() is None
    assert len(figures.placement_map(None).data) == 0
    assert tables.placement_table(None).empty
    assert len(figures.headroom_bars(fa).data) == 0
    w = widgets.failover_whatif(inv)
    assert "No failure scenario" in w.summary.value


def test_whatif_widget_reruns_the_placement(sample_inventory):
    plan = bundle_plan(SAMPLE)
    w = widgets.failover_whatif(sample_inventory, plan)
    labels = [label for label, _ in w.scenario.options]
    assert w.placement is not None and w.placement.status == "does_not_fit"  # starts on the worst scenario
    w.scenario.value = labels.index("PRD-1 -> DR-1")
    assert w.placement.scenario.label == "PRD-1 -> DR-1"
    assert "does not fit" in w.summary.value
    w.policy.value = "minimum"
    assert w.placement.status == "fits" and "<b>fits</b>" in w.summary.value
    w.preempt.value = False
    assert w.placement.status == "does_not_fit" and "ERP-APP1" in w.summary.value
    w.cod.value = True
    assert w.placement.status == "fits" and w.placement.variant.cod
    # The chart output carries plotly's mimetype; the table escapes names.
    (out,) = w.chart.outputs
    assert "application/vnd.plotly.v1+json" in out["data"]
    assert w.figure is not None and "PRD-1 -&gt; DR-1" in w.summary.value
    assert "<table" in w.table.value
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_whatif_accepts_an_audit_run(sample_inventory):
    from hatoolkit.report.run import AuditRun

    run = AuditRun(sample_inventory, bundle_plan(SAMPLE), findings=None, coverage=None)  # type: ignore[arg-type]
    w = widgets.failover_whatif(run)
    assert w.analysis is failover(sample_inventory, run.plan)


def test_whatif_widget_offers_usage_sizing_when_sampled(sample_inventory):
    plan = bundle_plan(SAMPLE)
    w = widgets.failover_whatif(sample_inventory, plan)
    assert list(w.policy.options) == ["current", "desired", "minimum", "p95_30d", "peak_30d"]
    labels = [label for label, _ in w.scenario.options]
    w.scenario.value = labels.index("PRD-2 -> DR-1")
    w.policy.value = "p95_30d"  # entitlement does not fit; the observed 95th percentile does (dev/test down)
    assert w.placement.variant.sizing == "p95_30d" and w.placement.status == "fits"
    assert "p95_30d observed" in w.table.value


def test_usage_figures(sample_inventory):
    import pandas as pd

    from hatoolkit.analysis.usage_compare import COMPARE_COLUMNS, sizing_comparison, system_usage

    plan = bundle_plan(SAMPLE)
    fig = figures.sizing_bars(sizing_comparison(sample_inventory, plan, "p95_30d"))
    names = [t.name for t in fig.data]
    assert names == ["supply (plan's terms)", "demand at current (entitlement)",
                     "demand at p95_30d (observed usage)", "demand at peak_30d (observed usage)"]
    assert "entitlement for: MQ" in " ".join(fig.data[2].customdata)
    line = figures.usage_timeline(system_usage(sample_inventory, plan))
    assert {t.name for t in line.data} >= {"PRD-1 used", "PRD-1 entitled", "DR-1 used"}
    assert "no failure scenario" in figures.sizing_bars(pd.DataFrame(columns=COMPARE_COLUMNS)).layout.title.text
    empty = system_usage(build([system("S1")], []), plan)
    assert "no utilisation samples" in figures.usage_timeline(empty).layout.title.text
