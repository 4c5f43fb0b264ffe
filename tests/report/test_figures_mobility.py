"""LPM figures build from small frames, keep one trace per category, and escape inventory text."""

from __future__ import annotations

import pandas as pd

from hatoolkit.report.figures import mobility as figs


def _matrix() -> pd.DataFrame:
    return pd.DataFrame({
        "system": ["S1", "S1", "S1", "S1"], "lpar_id": [3, 3, 4, 5], "partition": ["<script>", "<script>", "b", "c"],
        "lpar_env": ["aixlinux"] * 4, "mode": ["active"] * 4, "destination": ["D1", "D2", "D1", "D2"],
        "status": ["ready", "blocked", "unknown", "blocked"],
        "first_blocker": [None, "VLAN not bridged", "? physical I/O", "VLAN not bridged"],
        "blockers": [(), ("VLAN not bridged", "huge pages"), (), ("VLAN not bridged",)], "unknowns": [(), (), ("x",), ()],
        "n_blockers": [0, 2, 0, 1], "n_unknown": [0, 0, 1, 0],
        "detail": [None, "✗ VLAN not bridged: VLAN 30 <b>\n✗ huge pages: 4 huge pages", "? physical I/O: not captured",
                   "✗ VLAN not bridged: VLAN 30"],
        "caveats": [None] * 4,
    })


def test_heatmap_traces_and_escaping():
    fig = figs.readiness_heatmap(_matrix())
    assert [t.name for t in fig.data] == ["ready", "unknown", "VLAN not bridged"]
    blocked = fig.data[2]
    assert len(blocked.x) == 2
    text = " ".join(blocked.hovertext)
    assert "&lt;script&gt;" in text and "<script>" not in text and "huge pages" in text and "&lt;b&gt;" in text
    assert "S1/&lt;script&gt;" in fig.layout.yaxis.categoryarray


def test_empty_inputs_give_a_titled_figure():
    assert figs.readiness_heatmap(_matrix().iloc[:0]).layout.annotations
    assert figs.blocker_ranking(pd.DataFrame(columns=["fix", "rule", "label", "blocks", "unblocks", "moves"])).layout.annotations
    assert figs.evacuation_bars(pd.DataFrame(columns=["system", "partition", "action", "lpar_id"])).layout.annotations


def test_ranking_and_evacuation_bars():
    fixes = pd.DataFrame({"fix": ["DR-1: bridge VLAN 30 on a VIOS SEA", "x" * 90], "rule": ["vlan", "rmc"],
                          "label": ["VLAN not bridged", "RMC inactive"], "blocks": [3, 1], "unblocks": [2, 0],
                          "moves": [("a -> b", "c -> d", "e -> f"), ("g -> h",)]})
    fig = figs.blocker_ranking(fixes)
    assert len(fig.data) == 2 and list(fig.data[1].text) == ["unblocks 0 of 1", "unblocks 2 of 3"]
    assert all(len(label) <= 71 for label in fig.data[0].y)
    plan = pd.DataFrame({"system": ["S1", "S1", "S2"], "partition": ["a", "b", "c"], "lpar_id": [1, 2, 3],
                         "action": ["move", "blocked", "shut down"]})
    bars = figs.evacuation_bars(plan)
    by_name = {t.name: list(t.x) for t in bars.data}
    assert by_name["move"] == [1, 0] and by_name["blocked"] == [1, 0] and by_name["shut down"] == [0, 1]
