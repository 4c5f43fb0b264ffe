"""Failover capacity figures: headroom bars per scenario and the placement map of one scenario.

Processors are in the destination's processing units (demand scaled by per-core rPerf); memory
in GB, demand including memory-block rounding and page tables. Pure functions of the analysis
(or one placement); nothing is shown or written here.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hatoolkit.analysis.failover import FailoverAnalysis, Placement
from hatoolkit.model.plan import usage_policy
from hatoolkit.report.figures.base import key_chart, text
from hatoolkit.report.theme import CAPACITY_COLORS, FONT_FAMILY, PARTITION_PALETTE

STATUS_TEXT = {"fits": "fits", "does_not_fit": "does not fit", "unknown": "unknown"}
MAX_TARGETS = 30  # a placement map shows at most this many destinations (those receiving most)


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    top = 100 if "<br>" in title else 70
    fig.update_layout(title=title, font={"family": FONT_FAMILY}, template="plotly_white", height=height,
                      legend={"orientation": "h", "y": -0.18}, margin={"l": 60, "r": 20, "t": top, "b": 60})
    return fig


def headroom_bars(analysis: FailoverAnalysis) -> go.Figure:
    """Per failure scenario: supply (free, + preemptible, + CoD) beside demand at the plan's and minimum size."""
    data = analysis.headroom()
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=("Processors (destination processing units)", "Memory (GB)"))
    if data.empty:
        return _layout(fig, "Failover headroom: no failure scenario", 500)
    policy = analysis.sizing
    first = data[data["sizing"] == policy].reset_index(drop=True)
    mini = data[data["sizing"] == "minimum"].set_index("scenario").reindex(first["scenario"]).reset_index()
    x = first["scenario"].map(_wrap)
    for row, (unit, div) in enumerate((("proc_units", 1.0), ("mem_mb", 1024.0)), start=1):
        base = pd.Series(0.0, index=first.index)
        cod_label = "+ inactive CoD" + ("" if analysis.plan.allow_cod else " (plan: not allowed)")
        for part, label in (("avail", "free now"), ("preemptible", "+ preemptible shut down"), ("cod", cod_label)):
            values = pd.to_numeric(first[f"{part}_{unit}"], errors="coerce").fillna(0.0) / div
            fig.add_trace(go.Bar(x=x, y=values, base=base, name=f"supply: {label}", offsetgroup="supply",
                                 marker_color=CAPACITY_COLORS[part], legendgroup=part, showlegend=row == 1,
                                 hovertemplate=f"%{{x}}<br>{label}: %{{y:.2f}}<extra></extra>"), row=row, col=1)
            base = base + values
        sets = [(first, policy, "demand")]
        if policy != "minimum":
            sets.append((mini, "minimum", "demand_min"))
        for frame, sizing, colour in sets:
            status = frame["status_allowed"].map(STATUS_TEXT).fillna("")
            fig.add_trace(go.Bar(x=x, y=frame[f"demand_{unit}"] / div, name=f"demand at {sizing} size",
                                 offsetgroup=sizing, marker_color=CAPACITY_COLORS[colour], legendgroup=sizing,
                                 showlegend=row == 1, text=status if row == 1 else None, textposition="outside",
                                 cliponaxis=False, constraintext="none", textfont={"size": 11},
                                 hovertemplate=f"%{{x}}<br>demand ({sizing}): %{{y:.2f}}<extra></extra>"),
                          row=row, col=1)
    fig.update_layout(barmode="group", bargap=0.25, uniformtext={"minsize": 10, "mode": "show"})
    fig.update_yaxes(title_text="units", row=1, col=1)
    fig.update_yaxes(title_text="GB", row=2, col=1)
    fig.update_xaxes(tickangle=0)
    fig = _layout(fig, f"Failover headroom per scenario (plan's terms: {policy} size; text = fit on the plan's terms)",
                  620)
    verdicts = first["status_allowed"].value_counts()
    bad = first.loc[first["status_allowed"] == "does_not_fit", "scenario"].tolist()
    takeaway = (f"{verdicts.get('fits', 0)} of {len(first)} failure scenarios fit at {policy} size on the plan's terms"
                + (f"; not: {', '.join(bad[:3])}{' ...' if len(bad) > 3 else ''}" if bad else "")
                + (f"; {verdicts.get('unknown', 0)} unknown (data missing)" if verdicts.get("unknown", 0) else ""))
    return key_chart(fig, "failover_headroom", takeaway)


def _num(value: object) -> float:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(out) else out


def placement_map(placement: Placement | None) -> go.Figure:
    """Where each partition of a failed system lands: per destination what stays, what arrives, what is free."""
    if placement is None:
        return _layout(go.Figure(), "Placement: no failure scenario (fewer than two systems)", 300)
    sc, v = placement.scenario, placement.variant
    items, targets = placement.items, placement.targets
    title = text(f"Placement: {sc.label} ({v.label}) - {STATUS_TEXT[placement.status]}")
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Processors (destination units)", "Memory (GB)"))
    shut = [n for p in targets["preempted"] if isinstance(p, str) and p for n in p.split(",")]
    if shut:
        title += f"<br><sup>shut down first: {text(', '.join(shut))}</sup>"
    if len(targets) > MAX_TARGETS:
        targets = targets.sort_values("partitions_placed", ascending=False, kind="mergesort").head(MAX_TARGETS)
        title += f" - {MAX_TARGETS} of {len(placement.targets)} destinations shown"
    cols = list(targets["target"])
    unplaced = items[items["target"].isna()]
    x_all = cols + (["unplaced"] if len(unplaced) else [])
    for col, (unit, div) in enumerate((("proc_units", 1.0), ("mem_mb", 1024.0)), start=1):
        conf = targets[f"{unit}_configurable"].map(_num)
        avail = targets[f"{unit}_avail"].map(_num)
        pre = targets[f"{unit}_preemptible"].map(_num)
        stays = (conf - avail - pre).clip(lower=0)
        layers = [("stays", "in use, stays", stays)]
        if not v.preempt:
            layers.append(("preemptible", "preemptible, running", pre))
        for key, label, values in layers:
            fig.add_trace(go.Bar(x=cols, y=values / div, name=label, marker_color=CAPACITY_COLORS[key],
                                 legendgroup=key, showlegend=col == 1,
                                 hovertemplate=f"%{{x}}<br>{label}: %{{y:.2f}}<extra></extra>"), row=1, col=col)
        value_col = "proc_units_target" if unit == "proc_units" else "mem_mb_target"
        min_col = "proc_units_min" if unit == "proc_units" else "mem_mb_min"
        for k, r in enumerate(items.itertuples(index=False)):
            colour = PARTITION_PALETTE[k % len(PARTITION_PALETTE)]
            where = r.target if isinstance(r.target, str) else "unplaced"
            if where != "unplaced" and where not in cols:
                continue
            amount = _num(getattr(r, value_col) if where != "unplaced" else getattr(r, min_col)) / div
            fig.add_trace(go.Bar(x=[where], y=[amount], name=r.partition, legendgroup=f"p{k}", showlegend=False,
                                 marker_color=CAPACITY_COLORS["unplaced"] if where == "unplaced" else colour,
                                 marker_line={"color": "white", "width": 1}, text=[text(r.partition)],
                                 textposition="inside", insidetextanchor="middle",
                                 hovertemplate=f"{text(r.partition)} ({r.proc_mode}) -> %{{x}}: %{{y:.2f}}<extra></extra>"),
                          row=1, col=col)
        free = targets[f"{unit}_free"].map(_num).clip(lower=0)
        fig.add_trace(go.Bar(x=cols, y=free / div, name="free after placement", marker_color=CAPACITY_COLORS["free"],
                             legendgroup="free", showlegend=col == 1,
                             hovertemplate="%{x}<br>free after placement: %{y:.2f}<extra></extra>"), row=1, col=col)
        fig.update_xaxes(categoryorder="array", categoryarray=x_all, row=1, col=col)
    fig.update_layout(barmode="stack", uniformtext={"minsize": 8, "mode": "hide"})
    fig = _layout(fig, title, 520)
    verdict = {"fits": "every partition finds a home", "does_not_fit": f"{len(unplaced)} partition(s) find no home",
               "unknown": "the placement cannot be decided (data missing)"}[placement.status]
    return key_chart(fig, "placement_worst_scenario", f"{sc.label} ({v.label}): {verdict}")


SIZING_COLOURS = ("#1d4ed8", "#60a5fa", "#0f766e", "#7c3aed", "#ea580c")


def _wrap(label: str) -> str:
    """`pool site-a: PRD-1 -> PRD-2` on two lines, so long scenario names stay readable on the axis."""
    return text(label).replace(": ", ":<br>", 1)


def sizing_bars(comparison: pd.DataFrame) -> go.Figure:
    """Per failure scenario: processor demand at each sizing basis beside the supply on the plan's terms.

    `comparison` is `analysis.usage_compare.sizing_comparison`: entitlement and observed usage side by
    side, so a reader sees how much the choice of basis decides the verdict.
    """
    fig = go.Figure()
    if comparison.empty:
        return _layout(fig, "Demand by sizing basis: no failure scenario", 420)
    sizings = list(dict.fromkeys(comparison["sizing"]))
    first = comparison[comparison["sizing"] == sizings[0]]
    fig.add_trace(go.Bar(x=first["scenario"].map(_wrap), y=pd.to_numeric(first["supply_proc_units"], errors="coerce"),
                         name="supply (plan's terms)", marker_color=CAPACITY_COLORS["avail"], offsetgroup="supply",
                         hovertemplate="%{x}<br>supply: %{y:.2f}<extra></extra>"))
    for k, sizing in enumerate(sizings):
        rows = comparison[comparison["sizing"] == sizing]
        label = f"demand at {sizing} ({'observed usage' if usage_policy(sizing) else 'entitlement'})"
        status = rows["status"].map(STATUS_TEXT).fillna("")
        fallback = rows["fallback"].map(lambda f: f"<br>entitlement for: {text(f)}" if f else "")
        fig.add_trace(go.Bar(x=rows["scenario"].map(_wrap), y=rows["demand_proc_units"], name=label,
                             offsetgroup=sizing, marker_color=SIZING_COLOURS[k % len(SIZING_COLOURS)], text=status,
                             textposition="outside", cliponaxis=False, constraintext="none", textfont={"size": 10},
                             customdata=fallback,
                             hovertemplate=f"%{{x}}<br>{sizing}: %{{y:.2f}}%{{customdata}}<extra></extra>"))
    fig.update_layout(barmode="group", bargap=0.2)
    fig.update_yaxes(title_text="processing units on the destination")
    return _layout(fig, "Processor demand by sizing basis: entitlement or observed usage (text = fit)", 480)


def usage_timeline(hourly: pd.DataFrame) -> go.Figure:
    """Processors each system's partitions consumed, hour by hour, beside what they are entitled to.

    `hourly` is `analysis.usage_compare.system_usage`. Averages per sample interval: a peak shorter
    than an interval is flattened, which is why usage sizing takes a percentile of intervals.
    """
    fig = go.Figure()
    if hourly.empty:
        return _layout(fig, "Observed processor usage: no utilisation samples in the window", 360)
    for k, (system, rows) in enumerate(hourly.groupby("system", sort=True)):
        # Hours without samples stay empty, so a hole (HMC down) breaks the line instead of bridging it.
        hours = pd.date_range(rows["sampled_at"].min(), rows["sampled_at"].max(), freq="h")
        rows = rows.set_index("sampled_at").reindex(hours).rename_axis("sampled_at").reset_index()
        colour = PARTITION_PALETTE[k % len(PARTITION_PALETTE)]
        fig.add_trace(go.Scatter(x=rows["sampled_at"], y=rows["proc_units_used"], name=f"{text(system)} used",
                                 mode="lines", line={"color": colour, "width": 1.5}, legendgroup=system,
                                 hovertemplate=f"{text(system)}<br>%{{x}}<br>used: %{{y:.2f}}<extra></extra>"))
        entitled = pd.to_numeric(rows["proc_units_entitled"], errors="coerce")
        if entitled.gt(0).any():
            fig.add_trace(go.Scatter(x=rows["sampled_at"], y=entitled, name=f"{text(system)} entitled", mode="lines",
                                     line={"color": colour, "width": 1, "dash": "dash"}, legendgroup=system,
                                     hovertemplate=f"{text(system)}<br>%{{x}}<br>entitled: %{{y:.2f}}<extra></extra>"))
    fig.update_yaxes(title_text="processing units")
    return _layout(fig, "Observed processor usage per system (sum of its partitions; dashed: their entitlement)", 420)
