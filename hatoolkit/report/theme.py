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
# Redundancy path diagrams: single points certain (red), possible (amber), unknown data (grey), the rest by role.
PATH_COLORS: dict[str, str] = {"certain": "#dc2626", "possible": "#f59e0b", "unknown": "#9ca3af", "guest": "#111827",
                               "need": "#6b7280", "component": "#2563eb", "device": "#93c5fd", "sink": OK_COLOR}
COMPONENT_KIND_COLORS: dict[str, str] = {"vios": "#2563eb", "ibmi_host": "#7c3aed", "port": "#0891b2",
                                         "adapter": "#0d9488", "hea_port": "#db2777", "hea_adapter": "#be185d",
                                         "unknown_adapter": "#9ca3af"}
