"""Figures: key-chart marking, escaped labels, honest empty states, takeaways from the data."""

from __future__ import annotations

import pandas as pd
import pytest

from hatoolkit.model.findings import waived
from hatoolkit.report import figures
from hatoolkit.report.figures.base import chart_meta, figure, key_chart, text
from hatoolkit.report.run import compute_run
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def run():
    return compute_run(SAMPLE)


def test_key_chart_meta_survives_json(run):
    fig = figures.summary.findings_by_area(run.findings, run.coverage)
    meta = chart_meta(fig.to_plotly_json())
    n = int((~waived(run.findings)).sum())  # waived findings are counted apart ("; 1 waived")
    assert n < len(run.findings) and "; 1 waived;" in meta["takeaway"]
    assert meta["chart"] == "findings_by_area" and meta["takeaway"].startswith(f"{n} finding{'s' if n != 1 else ''} ")
    assert chart_meta(figure(title="x").to_plotly_json()) is None
    with pytest.raises(ValueError):
        key_chart(figure(title="x"), "Bad Name", "t")


def test_labels_are_escaped_for_plotly():
    assert text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert text(None) == "" and text(pd.NA) == ""


def test_empty_inputs_say_so(run):
    empty = run.findings.iloc[0:0]
    fig = figures.summary.findings_by_area(empty, run.coverage)
    assert any("No findings" in a.text for a in fig.layout.annotations)
    assert "No data gaps" in chart_meta(figures.summary.gaps_by_system(run.inventory.gaps.iloc[0:0])
                                        .to_plotly_json())["takeaway"]


def test_inventory_figures_on_the_sample(run):
    glance = chart_meta(figures.inventory.capacity_glance(run.inventory).to_plotly_json())
    assert glance["chart"] == "capacity_at_a_glance" and "least free" in glance["takeaway"]
    hosting = figures.inventory.hosting_map(run.inventory)
    meta = chart_meta(hosting.to_plotly_json())
    # IBMI-7's guests hang on one IBM i host; DR-1's LNX-GUEST1 on IBMIHOST-DR. Names clash across systems.
    assert meta["takeaway"].startswith("3 of 21 guests depend on a single hosting partition")
    assert "IBMI-GUEST1 (IBMI-7)" in meta["takeaway"]
    labels = hosting.data[0].labels
    assert labels.count("LNX-GUEST1") == 2 and labels.count("NIM") == 4  # two NIMs, each under two VIOS
    gaps = chart_meta(figures.summary.gaps_by_system(run.inventory.gaps).to_plotly_json())
    assert "DR-1" in gaps["takeaway"] and "lshwres -r io" in gaps["takeaway"]


def test_unknown_figure_module_is_an_attribute_error():
    with pytest.raises(AttributeError):
        figures.no_such_concern  # noqa: B018
