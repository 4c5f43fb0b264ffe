"""The one theme: severity colours, category orders, slide geometry. Styling constants live only here."""

from __future__ import annotations

from hatoolkit.model.findings import FAMILY_ORDER, SEVERITY_ORDER

SEVERITY_COLORS: dict[str, str] = {
    "critical": "#7f1d1d",
    "high": "#dc2626",
    "medium": "#f59e0b",
    "low": "#3b82f6",
    "info": "#9ca3af",
}
STATUS_COLORS: dict[str, str] = {"fail": "#dc2626", "unknown": "#6b7280"}
OK_COLOR = "#16a34a"
# Worst first, as readers scan them.
SEVERITY_DISPLAY: tuple[str, ...] = tuple(reversed(SEVERITY_ORDER))
FAMILY_DISPLAY: tuple[str, ...] = FAMILY_ORDER
FONT_FAMILY = "Open Sans, DejaVu Sans, Arial, sans-serif"
# Slide-ready static charts: 16:9, exported at 2x -> 1920x1080.
SLIDE_WIDTH_PX, SLIDE_HEIGHT_PX, SLIDE_SCALE = 960, 540, 2
# LPM readiness: a cell is ready, unknown, or coloured by its first blocker (categorical palette).
READINESS_COLORS: dict[str, str] = {"ready": OK_COLOR, "unknown": "#9ca3af"}
CATEGORY_PALETTE: tuple[str, ...] = ("#dc2626", "#ea580c", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#4f46e5",
                                     "#b91c1c", "#65a30d", "#0d9488", "#9333ea", "#c2410c", "#be185d", "#1d4ed8",
                                     "#a16207", "#15803d", "#6d28d9", "#0e7490", "#7f1d1d")
EVACUATION_COLORS: dict[str, str] = {"move": OK_COLOR, "shut down": "#60a5fa", "stays (not activated)": "#d1d5db",
                                     "blocked": "#dc2626", "no capacity": "#f59e0b", "capacity unknown": "#6b7280"}

# Failover capacity charts: what stays on a destination, what may be freed, what arrives, what is left.
CAPACITY_COLORS: dict[str, str] = {
    "stays": "#9ca3af",  # VIOS, hosting and other partitions that keep running
    "preemptible": "#fbbf24",  # dev/test that may be shut down
    "avail": "#16a34a",  # free now
    "cod": "#a78bfa",  # inactive Capacity on Demand
    "demand": "#1d4ed8",  # demand at the plan's sizing
    "demand_min": "#60a5fa",  # demand at minimum size
    "free": "#bbf7d0",  # left after placement
    "unplaced": "#dc2626",
}
# Incoming partitions in a placement map cycle through these.
# (no reds: red marks unplaced partitions)
PARTITION_PALETTE: tuple[str, ...] = ("#1d4ed8", "#0891b2", "#7c3aed", "#0f766e", "#ea580c", "#65a30d", "#4338ca",
                                      "#a16207", "#0369a1", "#6d28d9")
# Pages and slides share these.
INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
ACCENT = "#1d4ed8"
PALETTE: tuple[str, ...] = ("#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#4d7c0f", "#0369a1", "#a16207")
FIGURE_HEIGHT_PX = 420


def plotly_template() -> dict:
    """The one plotly look (as a plain dict: small in the figure JSON, no validation cost)."""
    axis = {"gridcolor": GRID, "linecolor": GRID, "zerolinecolor": GRID, "ticks": "", "automargin": True,
            "title": {"standoff": 8}}
    return {
        "layout": {
            "font": {"family": FONT_FAMILY, "size": 13, "color": INK},
            "title": {"x": 0.0, "xanchor": "left", "font": {"size": 17}},
            "colorway": list(PALETTE),
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "xaxis": axis,
            "yaxis": axis,
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0.0,
                       "title": {"text": ""}},
            "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
            "hoverlabel": {"font": {"family": FONT_FAMILY}},
            "bargap": 0.25,
        }
    }
# Redundancy path diagrams: single points certain (red), possible (amber), unknown data (grey), the rest by role.
PATH_COLORS: dict[str, str] = {"certain": "#dc2626", "possible": "#f59e0b", "unknown": "#9ca3af", "guest": "#111827",
                               "need": "#6b7280", "component": "#2563eb", "device": "#93c5fd", "sink": OK_COLOR}
COMPONENT_KIND_COLORS: dict[str, str] = {"vios": "#2563eb", "ibmi_host": "#7c3aed", "port": "#0891b2",
                                         "adapter": "#0d9488", "hea_port": "#db2777", "hea_adapter": "#be185d",
                                         "unknown_adapter": "#9ca3af"}
# Drift between two audits: what appeared, what went away, what moved; waived findings in grey.
DRIFT_COLORS: dict[str, str] = {"new": "#dc2626", "resolved": OK_COLOR, "changed": "#f59e0b"}
WAIVED_COLOR = "#d1d5db"
