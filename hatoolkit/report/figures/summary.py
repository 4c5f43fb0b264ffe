"""Summary figures: findings by concern and severity, and the data gaps behind the unknowns.

Failing findings are solid bars, unknown ones (data missing) hatched, so "we know it is broken"
and "we could not tell" never blend into one number; waived findings are a grey bar of their own.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hatoolkit.model.findings import FAMILY_ORDER, SEVERITY_ORDER, waived
from hatoolkit.report import theme
from hatoolkit.report.figures.base import empty_note, figure, key_chart, texts
from hatoolkit.report.scorecard import AREA_TITLES, SEVERITIES_WORST_FIRST, headline, scorecard

_PATTERN = {"fail": "", "unknown": "/"}


def findings_by_area(findings: pd.DataFrame, coverage: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bars: one row per concern, segments by severity, unknown hatched."""
    card = scorecard(findings, coverage)
    labels = [AREA_TITLES[a] + ("" if n else " (not audited)") for a, n in zip(card["area"], card["checks"],
                                                                               strict=True)]
    fig = figure(title="Findings by concern and severity", barmode="stack",
                 xaxis={"title": {"text": "findings"}, "rangemode": "tozero"},
                 yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels))})
    marked = waived(findings) if not findings.empty else pd.Series([], dtype=bool)
    active = findings[~marked] if not findings.empty else findings
    counts = (active.groupby(["family", "severity", "status"]).size() if not active.empty
              else pd.Series(dtype="int64"))
    for severity in SEVERITIES_WORST_FIRST:
        for status in ("fail", "unknown"):
            xs = [int(counts.get((a, severity, status), 0)) for a in FAMILY_ORDER]
            if not any(xs):
                continue
            fig.add_trace(go.Bar(
                y=labels, x=xs, orientation="h", name=f"{severity} ({status})", legendgroup=severity,
                marker={"color": theme.SEVERITY_COLORS[severity],
                        "pattern": {"shape": _PATTERN[status], "fillmode": "overlay", "fgcolor": "white"}},
                hovertemplate=f"%{{y}}<br>{severity}, {status}: %{{x}}<extra></extra>",
            ))
    if marked.any():  # waived findings stay visible, apart, in grey
        per_area = findings[marked].groupby("family").size()
        fig.add_trace(go.Bar(y=labels, x=[int(per_area.get(a, 0)) for a in FAMILY_ORDER], orientation="h",
                             name="waived", marker={"color": theme.WAIVED_COLOR},
                             hovertemplate="%{y}<br>waived: %{x}<extra></extra>"))
    _integer_axis(fig, "xaxis", max(card["findings"].max() if len(card) else 0, 1))
    if findings.empty:
        empty_note(fig, "No findings" if len(coverage) else "No checks ran")
    busiest = card.sort_values("findings", ascending=False, kind="mergesort").iloc[0] if len(card) else None
    most = f"; most in {busiest['title'].lower()} ({busiest['findings']})" if busiest is not None and \
        busiest["findings"] else ""
    return key_chart(fig, "findings_by_area", headline(findings) + most)


def gaps_by_system(gaps: pd.DataFrame) -> go.Figure:
    """Data gaps per managed system, stacked by severity: where the audit could not see."""
    fig = figure(title="Data gaps by system", barmode="stack", yaxis={"title": {"text": "data gaps"}})
    if gaps.empty:
        empty_note(fig, "No data gaps: every expected capture was found and read")
        return key_chart(fig, "data_gaps", "No data gaps: every expected capture was found and read")
    frame = gaps.assign(system=gaps["system"].fillna("(bundle)"))
    systems = sorted(frame["system"].unique())
    counts = frame.groupby(["system", "severity"]).size()
    for severity in reversed(SEVERITY_ORDER):
        ys = [int(counts.get((s, severity), 0)) for s in systems]
        if any(ys):
            fig.add_trace(go.Bar(x=texts(systems), y=ys, name=severity,
                                 marker={"color": theme.SEVERITY_COLORS[severity]},
                                 hovertemplate=f"%{{x}}: %{{y}} {severity}<extra></extra>"))
    _integer_axis(fig, "yaxis", int(counts.groupby(level="system").sum().max()))
    serious = frame[frame["severity"].isin(("critical", "high", "medium"))]
    worst = serious.iloc[0] if not serious.empty else frame.iloc[0]
    what = worst["command"] if isinstance(worst["command"], str) else worst["code"]
    takeaway = (f"{len(frame)} data gaps on {len(systems)} system(s); "
                f"e.g. {worst['system']}: {worst['code']} ({what})")
    return key_chart(fig, "data_gaps", takeaway)


def _integer_axis(fig: go.Figure, axis: str, top: int) -> None:
    """Counts are whole: no 0.2 ticks on small charts."""
    fig.update_layout({axis: {"tickformat": ",d", **({"dtick": 1} if top <= 10 else {})}})
