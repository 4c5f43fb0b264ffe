"""Backup staleness charts: a timeline per storage space and copy age against RPO (pure plotly figures)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hatoolkit.report.figures.base import key_chart
from hatoolkit.report.theme import FONT_FAMILY, OK_COLOR, SEVERITY_COLORS, SLIDE_HEIGHT_PX, SLIDE_WIDTH_PX

SAVE_COLOR, RESTORE_COLOR, RPO_COLOR = "#2563eb", "#16a34a", "#dc2626"


def _layout(fig: go.Figure, title: str, rows: int) -> go.Figure:
    fig.update_layout(title=title, font={"family": FONT_FAMILY}, width=SLIDE_WIDTH_PX,
                      height=max(SLIDE_HEIGHT_PX, 140 + 36 * rows), template="plotly_white",
                      legend={"orientation": "h", "y": -0.15}, margin={"l": 220, "r": 30, "t": 60, "b": 80})
    return fig


def _label(status: pd.DataFrame) -> pd.Series:
    return (status["host"] + "/" + status["nwsstg"]).astype("str")


def timeline(status: pd.DataFrame, events: pd.DataFrame, *, zone: str = "UTC") -> go.Figure:
    """Per storage space: saves (production) and restores (backup, joined to the save they restored), the
    instant the backup copy breaches its RPO, and the audit time `as_of`."""
    fig = go.Figure()
    if status.empty:
        return _layout(fig.add_annotation(text="No storage spaces on production IBM i hosts", showarrow=False),
                       "Backup copies of storage spaces", 1)
    labels = dict(zip(status["system"] + "/" + status["host"] + "/" + status["nwsstg"], _label(status), strict=True))
    ev = events.assign(y=events["space"].map(labels))

    def local(s: pd.Series) -> pd.Series:
        return s.dt.tz_convert(zone).dt.tz_localize(None)

    saves, restores = ev[ev["kind"] == "save"], ev[ev["kind"] == "restore"]
    fig.add_trace(go.Scatter(x=local(saves["at"]), y=saves["y"], mode="markers", name="save (production)",
                             marker={"symbol": "circle", "size": 9, "color": SAVE_COLOR}))
    xs, ys = [], []
    for row in restores.itertuples(index=False):
        if pd.notna(row.saved_at) and pd.notna(row.at):
            xs += [local(pd.Series([row.saved_at])).iat[0], local(pd.Series([row.at])).iat[0], None]
            ys += [row.y, row.y, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="save restored on backup",
                             line={"color": RESTORE_COLOR, "width": 2, "dash": "dot"}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=local(restores["at"]), y=restores["y"], mode="markers", name="restore (backup)",
                             marker={"symbol": "triangle-up", "size": 11, "color": RESTORE_COLOR}))
    breach = status[status["breach_at"].notna()]
    fig.add_trace(go.Scatter(x=local(breach["breach_at"]), y=_label(breach), mode="markers",
                             name="copy breaches RPO", marker={"symbol": "line-ns-open", "size": 18,
                                                                "color": RPO_COLOR, "line": {"width": 3}}))
    as_of = local(status["as_of"].head(1)).iat[0]
    fig.add_vline(x=as_of, line={"color": "#111827", "dash": "dash"})
    fig.add_annotation(x=as_of, y=1.02, yref="paper", text="as_of", showarrow=False)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(_label(status).tolist())))
    fig.update_xaxes(title=f"time ({zone})")
    return _layout(fig, "Saves, restores and RPO per storage space", len(status))


def age_vs_rpo(status: pd.DataFrame) -> go.Figure:
    """Age of each backup copy against its RPO, in hours; colour by how far past (as HA303 bands it)."""
    fig = go.Figure()
    data = status[status["copy_age"].notna()]
    if data.empty:
        return _layout(fig.add_annotation(text="No restored copies to age", showarrow=False),
                       "Backup copy age vs RPO", 1)
    age_h = data["copy_age"] / pd.Timedelta(hours=1)
    rpo_h = data["rpo"] / pd.Timedelta(hours=1)
    ratio = data["age_rpo_ratio"].astype("float64")
    colors = [OK_COLOR if not (r > 1) else SEVERITY_COLORS["critical" if r > 4 else "high" if r > 2 else "medium"]
              for r in ratio.fillna(0)]
    labels = _label(data)
    fig.add_trace(go.Bar(y=labels, x=age_h, orientation="h", name="copy age (h)", marker={"color": colors},
                         text=[f"{a:.0f} h" for a in age_h], textposition="outside"))
    fig.add_trace(go.Scatter(y=labels, x=rpo_h, mode="markers", name="RPO (h)",
                             marker={"symbol": "line-ns-open", "size": 22, "color": RPO_COLOR, "line": {"width": 3}}))
    fig.update_xaxes(title="hours", type="log")
    fig = _layout(fig, "Backup copy age vs RPO", len(data))
    past = data[ratio > 1]
    worst = data.loc[ratio.idxmax()] if ratio.notna().any() else None
    takeaway = (f"{len(past)} of {len(data)} backup copies are older than their RPO"
                + (f"; worst: {worst['nwsstg']} at {float(ratio.max()):.1f}x its RPO" if worst is not None and len(past)
                   else ""))
    return key_chart(fig, "backup_age_vs_rpo", takeaway)
