"""Figures: pure functions returning plotly figures in the one theme (report/theme.py).

One module per concern (summary, capacity, mobility, backups, redundancy); none of them calls
`.show()` or writes files — notebooks display, the exporter writes PNG/SVG.

Submodules load on first use (`figures.capacity.headroom_bars(...)` works after
`from hatoolkit.report import figures`), so a new concern module needs no registration here.
A figure meant for slides is marked with `base.key_chart(fig, name, takeaway)`: the audit
exports every marked figure to `charts/<name>.png|svg` and gives it a slide.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def __getattr__(name: str) -> ModuleType:
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{name}":
            raise AttributeError(f"module {__name__!r} has no figure module {name!r}") from None
        raise
    globals()[name] = module
    return module
