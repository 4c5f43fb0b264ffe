"""Drift figure: per concern, how many findings appeared, were resolved or changed since the baseline."""

from __future__ import annotations

import plotly.graph_objects as go

from hatoolkit.analysis.drift import CHANGE_KINDS, Drift
from hatoolkit.report import theme
from hatoolkit.report.figures.base import empty_note, figure, key_chart
from hatoolkit.report.scorecard import AREA_TITLES


def changes_by_area(d: Drift | None) -> go.Figure:
    """Grouped horizontal bars per concern: new, resolved, changed (a key chart when there is a baseline)."""
    fig = figure(title="Since the last audit: findings new, resolved and changed", barmode="group",
                 xaxis={"title": {"text": "findings"}, "rangemode": "tozero", "tickformat": ",d"})
    if d is None:
        return empty_note(fig, "No baseline: nothing to compare with")
    areas = list(d.compared)
    labels = [AREA_TITLES.get(a, a) for a in areas]
    counts = d.findings.groupby(["family", "change"]).size() if len(d.findings) else {}
    for kind in CHANGE_KINDS:
        xs = [int(counts.get((a, kind), 0)) for a in areas] if len(d.findings) else [0] * len(areas)
        fig.add_trace(go.Bar(y=labels, x=xs, orientation="h", name=kind, marker={"color": theme.DRIFT_COLORS[kind]},
                             hovertemplate=f"%{{y}}: %{{x}} {kind}<extra></extra>"))
    fig.update_layout(yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels))})
    top = max((max(t.x) for t in fig.data if len(t.x)), default=0)
    if top <= 10:  # whole findings only: no 0, 1, 1, 2, 2 ticks from half steps
        fig.update_xaxes(dtick=1)
    if d.findings.empty:
        empty_note(fig, "No finding changed since the baseline")
    return key_chart(fig, "drift_by_area", f"Since {d.old}: {d.headline()}")
