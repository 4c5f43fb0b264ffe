"""LPM readiness figures: the partition x destination matrix, blockers ranked by moves unblocked, evacuation.

Inputs are the frames of analysis.mobility / analysis.evacuation; text from the inventory is
HTML-escaped before it reaches plotly (a partition named `<script>` shows as text).
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from hatoolkit.analysis.mobility import rule_labels
from hatoolkit.report.figures.base import key_chart
from hatoolkit.report.theme import (
    CATEGORY_PALETTE,
    EVACUATION_COLORS,
    FONT_FAMILY,
    READINESS_COLORS,
    SLIDE_HEIGHT_PX,
)


def _esc(value: object) -> str:
    return html.escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))


def _layout(fig: go.Figure, title: str, height: int | None = None) -> go.Figure:
    fig.update_layout(title=title, font={"family": FONT_FAMILY, "size": 12}, template="plotly_white",
                      width=None, height=height or SLIDE_HEIGHT_PX, margin={"l": 10, "r": 10, "t": 60, "b": 10},
                      legend={"orientation": "v", "x": 1.02, "y": 1})
    return fig


def _category(row_status: str, first: object) -> str:
    if row_status == "ready":
        return "ready"
    if row_status == "unknown" or not isinstance(first, str):
        return "unknown"
    return first


def readiness_heatmap(matrix: pd.DataFrame, *, title: str = "LPM readiness: partition × destination") -> go.Figure:
    """Squares coloured by the first blocker (green = ready, grey = unknown); hover lists every blocker."""
    fig = go.Figure()
    if matrix.empty:
        return _layout(fig.add_annotation(text="no partitions to move", showarrow=False), title)
    m = matrix.assign(row=matrix["system"] + "/" + matrix["partition"],
                      category=[_category(s, f) for s, f in zip(matrix["status"], matrix["first_blocker"], strict=True)])
    rows = list(dict.fromkeys(m["row"]))
    cols = sorted(m["destination"].unique())
    present = set(m["category"])
    blockers = [label for label in rule_labels().values() if label in present]
    blockers += sorted(present - set(blockers) - {"ready", "unknown"})
    colors = {**READINESS_COLORS, **{b: CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i, b in enumerate(blockers)}}
    size = max(8, min(30, int(420 / max(len(rows), len(cols), 1))))
    for category in ["ready", "unknown", *blockers]:
        part = m[m["category"] == category]
        if part.empty:
            continue
        hover = [f"<b>{_esc(r)}</b> → {_esc(d)} ({_esc(mode)})<br>{_esc(s)}"
                 + (("<br>" + "<br>".join(_esc(x) for x in str(det).split("\n"))) if isinstance(det, str) else "")
                 for r, d, mode, s, det in zip(part["row"], part["destination"], part["mode"], part["status"],
                                               part["detail"], strict=True)]
        fig.add_trace(go.Scatter(
            x=part["destination"].map(_esc), y=part["row"].map(_esc), mode="markers", name=_esc(category),
            marker={"symbol": "square", "size": size, "color": colors[category], "line": {"width": 1, "color": "white"}},
            hovertext=hover, hoverinfo="text"))
    fig.update_xaxes(categoryorder="array", categoryarray=[_esc(c) for c in cols], side="top", title="destination")
    fig.update_yaxes(categoryorder="array", categoryarray=[_esc(r) for r in reversed(rows)], title=None)
    fig = _layout(fig, title, height=max(SLIDE_HEIGHT_PX, 140 + 22 * len(rows)))
    counts = m["status"].value_counts()
    top = m.loc[m["status"] == "blocked", "category"].value_counts()
    takeaway = (f"{counts.get('ready', 0)} of {len(m)} partition moves are ready, {counts.get('blocked', 0)} blocked, "
                f"{counts.get('unknown', 0)} unknown" + (f"; most often blocked by {top.index[0]}" if len(top) else ""))
    return key_chart(fig, "lpm_readiness", takeaway)


def blocker_ranking(fixes: pd.DataFrame, *, top: int = 15,
                    title: str = "Fix one thing, unblock these migrations") -> go.Figure:
    """Single fixes ranked by the moves they make ready (dark) out of the moves they block (light)."""
    fig = go.Figure()
    if fixes.empty:
        return _layout(fig.add_annotation(text="no blocker found", showarrow=False), title)
    f = fixes.head(top).iloc[::-1]
    labels = [(_esc(t) if len(t) <= 70 else _esc(t[:67]) + "…") for t in f["fix"]]
    moves = ["<br>".join(_esc(m) for m in ms[:12]) + ("<br>…" if len(ms) > 12 else "") for ms in f["moves"]]
    fig.add_trace(go.Bar(y=labels, x=f["blocks"], orientation="h", name="moves it blocks",
                         marker={"color": "#fecaca"}, hovertext=moves, hoverinfo="text+x"))
    fig.add_trace(go.Bar(y=labels, x=f["unblocks"], orientation="h", name="moves it alone unblocks",
                         marker={"color": "#dc2626"}, text=[f"unblocks {u} of {b}" for u, b in
                                                            zip(f["unblocks"], f["blocks"], strict=True)],
                         textposition="outside", hovertext=moves, hoverinfo="text+x"))
    fig.update_layout(barmode="overlay", xaxis_title="migrations (partition → destination)")
    fig = _layout(fig, title, height=max(SLIDE_HEIGHT_PX, 120 + 28 * len(f)))
    best = fixes.iloc[0]
    return key_chart(fig, "lpm_fixes", f"Fix first: {best['fix']} (unblocks {best['unblocks']} of the "
                                       f"{best['blocks']} moves it blocks)")


def evacuation_bars(plan_rows: pd.DataFrame, *, title: str = "Can each system be emptied by LPM?") -> go.Figure:
    """Per system, what happens to each partition when it is evacuated alone."""
    fig = go.Figure()
    if plan_rows.empty:
        return _layout(fig.add_annotation(text="no system", showarrow=False), title)
    systems = sorted(plan_rows["system"].unique())
    for action, color in EVACUATION_COLORS.items():
        part = plan_rows[plan_rows["action"] == action]
        counts = part.groupby("system").size().reindex(systems, fill_value=0)
        names = part.groupby("system")["partition"].agg(lambda s: "<br>".join(_esc(x) for x in s)).reindex(systems)
        fig.add_trace(go.Bar(y=[_esc(s) for s in systems], x=counts.to_numpy(), orientation="h", name=action,
                             marker={"color": color}, hovertext=names.fillna("").to_numpy(), hoverinfo="text+x+name"))
    fig.update_layout(barmode="stack", xaxis_title="partitions")
    return _layout(fig, title, height=max(SLIDE_HEIGHT_PX // 2, 120 + 40 * len(systems)))

