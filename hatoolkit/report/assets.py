"""The report's shared assets, written once per report folder and referenced by every page.

plotly.js (from the plotly wheel, so its version always matches the Python package), the itables
DataTables bundle (from the itables wheel), JupyterLab's page CSS and the house CSS. Nothing is
fetched: the report opens from `file://` with no network. Pages load each file with a plain
`<script src>` / `<link>`, which browsers allow from `file://` (ES module imports would not be).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ASSETS_DIR = "assets"
TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Assets:
    """Paths relative to the report folder (what pages put in `src`/`href`)."""

    plotly_js: str
    itables_js: str
    lab_css: str
    report_css: str


def _plotly_name() -> str:
    import plotly

    return f"{ASSETS_DIR}/plotly-{plotly.__version__}.min.js"


def _itables_name() -> str:
    import itables

    return f"{ASSETS_DIR}/itables-{itables.__version__}.js"


def asset_names() -> Assets:
    return Assets(_plotly_name(), _itables_name(), f"{ASSETS_DIR}/lab.css", f"{ASSETS_DIR}/report.css")


@cache
def itables_loader_js() -> str:
    """itables' own offline initialiser (base64 bundle + CSS injection) as a classic script file.

    In notebooks itables emits this as an inline `<script>`; shipped once as a file instead,
    every page's tables find the same `window._itables_<version>` promise it defines.
    """
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    html = generate_init_offline_itables_html(options.dt_bundle)
    match = re.search(r"<script>(.*?)</script>", html, flags=re.S)
    if match is None:
        raise RuntimeError("itables offline initialiser changed shape: no inline <script> found")
    return match.group(1)


def lab_css() -> str:
    """nbconvert's JupyterLab page CSS (index + light theme), from the installed templates."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    env = exporter.environment
    return "\n".join(env.loader.get_source(env, name)[0]
                     for name in ("static/index.css", "static/theme-light.css"))


def write_assets(folder: Path) -> Assets:
    """Write every shared asset under `folder/assets/`; returns their relative paths."""
    from plotly.offline import get_plotlyjs

    names = asset_names()
    (folder / ASSETS_DIR).mkdir(parents=True, exist_ok=True)
    (folder / names.plotly_js).write_text(get_plotlyjs(), encoding="utf-8")
    (folder / names.itables_js).write_text(itables_loader_js(), encoding="utf-8")
    (folder / names.lab_css).write_text(lab_css(), encoding="utf-8")
    (folder / names.report_css).write_text((TEMPLATES_DIR / "report.css").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    return names
