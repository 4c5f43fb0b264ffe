"""index.html: the scorecard per concern, the worst findings, links to every page and file.

Rendered straight from the run (no notebook): Jinja with autoescape, so every string that came
from an inventory is escaped; the one chart and the findings table use the same assets as the
pages (plotly.js and the itables bundle in `assets/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from hatoolkit.report.assets import TEMPLATES_DIR, Assets
from hatoolkit.report.scorecard import SEVERITIES_WORST_FIRST, headline, scorecard, worst_findings

WORST_PER_AREA = 3
WORST_TABLE_ROWS = 50


@dataclass(frozen=True)
class PageEntry:
    href: str
    title: str
    area: str
    notebook: str


def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(default=True),
                       trim_blocks=False, lstrip_blocks=False)


def _plain(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def render_index(run: Any, *, assets: Assets, pages: list[PageEntry], files: list[tuple[str, str]],
                 notes: list[str], subtitle: str, footer: str, since: str | None = None) -> str:
    """The index page's HTML; `since`: the drift headline when the audit had a baseline."""
    import plotly.io as pio

    from hatoolkit.report.figures.summary import findings_by_area
    from hatoolkit.report.html import PLOT_CONFIG
    from hatoolkit.report.tables import FINDING_DISPLAY, interactive_html

    card = scorecard(run.findings, run.coverage)
    by_area = {p.area: p.href for p in pages}
    summary = by_area.get("summary")
    rows = []
    for row in card.to_dict("records"):
        worst = worst_findings(run.findings, row["area"], WORST_PER_AREA)
        row["worst_list"] = [{k: _plain(v) for k, v in f.items()} for f in worst.to_dict("records")]
        row["href"] = by_area.get(row["area"]) or (summary if row["findings"] else None)
        rows.append(row)
    fig = findings_by_area(run.findings, run.coverage)
    chart_html = pio.to_html(fig, include_plotlyjs=False, include_mathjax=False, full_html=False,
                             default_width="100%", default_height=fig.layout.height or 420, config=PLOT_CONFIG)
    top = worst_findings(run.findings, None, WORST_TABLE_ROWS)
    table_html = interactive_html(top[FINDING_DISPLAY] if not top.empty else run.findings[FINDING_DISPLAY],
                                  page_length=25, search=True, with_bundle=False)
    total = len(run.findings)
    findings_note = (f"The {len(top)} worst of {total} findings (all of them: findings.csv)." if total > len(top)
                     else "The only finding." if total == 1 else f"All {total} findings.")
    bundle_name = Path(run.bundle or run.inventory.root or "bundle").name
    return _env().get_template("index.html.j2").render(
        title=f"High-availability audit: {bundle_name}", subtitle=subtitle, headline=headline(run.findings),
        notes=notes, severities=SEVERITIES_WORST_FIRST, card=rows, chart_html=chart_html, table_html=table_html,
        findings_note=findings_note, pages=pages, files=[{"href": h, "label": label} for h, label in files],
        assets=assets, footer=footer, since=since, drift_href=by_area.get("drift"),
    )
