"""Page rendering: figures kept (stock nbconvert drops them), no code, no CDN, assets by reference."""

from __future__ import annotations

import nbformat
import plotly.graph_objects as go
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from hatoolkit.report.assets import asset_names, write_assets
from hatoolkit.report.html import PLOTLY_MIME, PageLink, render_page
from tests.conftest import HOSTILE_NAME


def _executed_notebook():
    fig = go.Figure(go.Bar(x=[HOSTILE_NAME], y=[1])).to_plotly_json()
    cell = new_code_cell("figures.x()", execution_count=1)
    cell.outputs = [new_output("display_data", data={PLOTLY_MIME: fig, "text/plain": "Figure"})]
    nb = new_notebook(cells=[new_markdown_cell("# Title"), cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_page_keeps_figures_and_drops_code():
    html = render_page(_executed_notebook(), title="Capacity", assets=asset_names(),
                       pages=[PageLink("capacity.html", "Capacity", True)], subtitle="sample")
    assert "Plotly.newPlot" in html and "figures.x()" not in html
    assert f'src="{asset_names().plotly_js}"' in html and 'href="index.html"' in html
    assert "cdn" not in html.lower().replace("cdnjs", "cdn") or "cdn." not in html
    assert "require.js" not in html and "MathJax" not in html.replace("MathJaxConfig", "")
    assert HOSTILE_NAME not in html, "figure JSON must not be able to close the script element"
    assert len(html) < 200_000, "plotly.js is referenced, not inlined"
    assert 'aria-current="page"' in html


def test_page_title_and_nav_are_escaped():
    html = render_page(nbformat.v4.new_notebook(), title="<i>t</i>", assets=asset_names(),
                       pages=[PageLink("x.html", HOSTILE_NAME)], subtitle=HOSTILE_NAME)
    assert HOSTILE_NAME not in html and "<i>t</i>" not in html


def test_assets_written_once(tmp_path):
    names = write_assets(tmp_path)
    plotly_js = (tmp_path / names.plotly_js).read_text()
    assert len(plotly_js) > 1_000_000 and "https://cdn" not in plotly_js[:2000]
    loader = (tmp_path / names.itables_js).read_text()
    assert "injectModule" in loader and "<script" not in loader
    assert (tmp_path / names.lab_css).stat().st_size > 10_000
