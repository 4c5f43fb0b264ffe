"""Executed notebook -> report page: nbconvert without code cells, plotly figures kept, no CDN.

Stock nbconvert silently drops plotly's mimetype output (`application/vnd.plotly.v1+json`) and
loads require.js, MathJax and mermaid from CDNs. The kernel keeps plotly's default mimetype (small
.ipynb, renders in JupyterLab); `PlotlyToHTML` turns each figure into a `<div>` + `Plotly.newPlot`
call here, and the `hatoolkit` template (templates/hatoolkit) loads plotly.js and the itables
bundle once per page from the report's `assets/` folder. Figure JSON is embedded by plotly's own
encoder, which escapes `<`, so inventory strings cannot close the script element.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor

from hatoolkit.report.assets import TEMPLATES_DIR, Assets

PLOTLY_MIME = "application/vnd.plotly.v1+json"
ITABLES_MARKER = "new ITable("
PLOT_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True)
class PageLink:
    href: str
    title: str
    current: bool = False


class PlotlyToHTML(Preprocessor):
    """Replace plotly mimetype outputs with HTML that expects plotly.js already on the page."""

    def preprocess(self, nb, resources):
        resources.setdefault("hatoolkit", {})
        self.found = 0
        self.tables = 0
        nb, resources = super().preprocess(nb, resources)
        resources["hatoolkit"]["plotly"] = self.found > 0
        resources["hatoolkit"]["itables"] = self.tables > 0
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        import plotly.io as pio

        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                fig = data.pop(PLOTLY_MIME)
                height = (fig.get("layout") or {}).get("height") or 500
                config = {**PLOT_CONFIG, **(fig.get("config") or {})}
                data["text/html"] = pio.to_html(fig, include_plotlyjs=False, include_mathjax=False, full_html=False,
                                                default_width="100%", default_height=height, validate=False,
                                                config=config)
                self.found += 1
            html = data.get("text/html", "")
            if ITABLES_MARKER in (html if isinstance(html, str) else "".join(html)):
                self.tables += 1
        return cell, resources


_lock = threading.Lock()
_exporter: Any = None


def _get_exporter():
    """One configured exporter per process (building one costs ~0.3 s); guarded by `_lock`."""
    global _exporter
    if _exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(template_name="hatoolkit", extra_template_basedirs=[str(TEMPLATES_DIR)],
                                exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
        exporter.register_preprocessor(PlotlyToHTML(), enabled=True)
        _exporter = exporter
    return _exporter


def render_page(nb: Any, *, title: str, assets: Assets, pages: list[PageLink], subtitle: str,
                footer: str = "") -> str:
    """HTML of one executed notebook: no code cells, a navigation bar back to the index and siblings."""
    resources = {
        "metadata": {"name": title},
        "hatoolkit": {"assets": assets, "pages": pages, "index": "index.html", "subtitle": subtitle,
                      "footer": footer},
    }
    with _lock:
        body, _ = _get_exporter().from_notebook_node(nb, resources=resources)
    return body


def write_page(nb: Any, path: Path, **kwargs: Any) -> Path:
    path.write_text(render_page(nb, **kwargs), encoding="utf-8")
    return path


def warm_up() -> None:
    """Build the exporter and render an empty page once (templates, markdown, pygments load ~0.5 s),
    while the notebooks are still running."""
    import nbformat

    from hatoolkit.report.assets import asset_names

    render_page(nbformat.v4.new_notebook(), title="warm-up", assets=asset_names(), pages=[], subtitle="")
