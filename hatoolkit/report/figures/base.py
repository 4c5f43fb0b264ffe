"""What every figure module shares: the theme applied once, key-chart marking, safe labels.

A *key chart* is a figure a reviewer expects on a slide. Marking is data on the figure itself
(`layout.meta.hatoolkit`), so it survives the trip through the executed notebook: the audit runner
finds marked figures in the notebook outputs and exports exactly those, with the one-line
takeaway computed by the figure function from the same data it drew.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from hatoolkit.report import theme

META_KEY = "hatoolkit"


def figure(*, title: str, height: int | None = None, **layout: Any) -> go.Figure:
    """An empty figure in the house theme (template passed as a dict: no per-figure validation cost)."""
    fig = go.Figure()
    fig.update_layout(template=theme.plotly_template(), title={"text": text(title)},
                      height=height or theme.FIGURE_HEIGHT_PX, **layout)
    return fig


def key_chart(fig: go.Figure, name: str, takeaway: str) -> go.Figure:
    """Mark `fig` for export as `charts/<name>.png|svg` and a slide whose one line is `takeaway`."""
    if not name.replace("_", "").isalnum() or not name.islower():
        raise ValueError(f"key chart name {name!r}: use lower_snake_case (it becomes a file name)")
    fig.update_layout(meta={META_KEY: {"chart": name, "takeaway": takeaway}})
    return fig


def chart_meta(fig: dict[str, Any]) -> dict[str, str] | None:
    """{chart, takeaway} of a figure dict (as stored in a notebook output), or None if not a key chart."""
    meta = (fig.get("layout") or {}).get("meta")
    if isinstance(meta, dict) and isinstance(meta.get(META_KEY), dict) and meta[META_KEY].get("chart"):
        return {"chart": str(meta[META_KEY]["chart"]), "takeaway": str(meta[META_KEY].get("takeaway", ""))}
    return None


def text(value: object) -> str:
    """A label for plotly: inventory strings escaped, since plotly.js reads `<b>`, `<a href>` as markup."""
    return html.escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value),
                       quote=False)


def texts(values: Iterable[object]) -> list[str]:
    return [text(v) for v in values]


def empty_note(fig: go.Figure, message: str) -> go.Figure:
    """Say in the plot area that there is nothing to draw (and why), instead of an empty frame."""
    fig.add_annotation(text=text(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": 15, "color": theme.MUTED})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
