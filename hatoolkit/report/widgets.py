"""ipywidgets for analysts in JupyterLab (the explorer notebook); reports use plotly's own interactivity.

Each builder returns one widget, so the notebook stays a one-line call; the filtering itself is
a pure function (`filter_findings`) that tests and other code can call without a kernel.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hatoolkit.model.findings import FAMILY_ORDER, SEVERITY_ORDER, waived

ALL = "(all)"


def filter_findings(findings: pd.DataFrame, *, system: str = ALL, family: str = ALL, min_severity: str = "info",
                    status: str = ALL, include_waived: bool = True) -> pd.DataFrame:
    """Findings of one system / family / status, at or above a severity."""
    keep = findings["severity"].map(SEVERITY_ORDER.index) >= SEVERITY_ORDER.index(min_severity)
    if system != ALL:
        keep &= findings["system"] == system
    if family != ALL:
        keep &= findings["family"] == family
    if status != ALL:
        keep &= findings["status"] == status
    if not include_waived:
        keep &= ~waived(findings)
    return findings[keep.fillna(False).astype(bool)]


def findings_explorer(run: Any) -> Any:
    """Dropdowns for system, family, minimum severity and status over an interactive findings table."""
    import ipywidgets as w
    from IPython.display import display

    from hatoolkit.report.tables import display_bundle, findings_table

    findings = run.findings
    systems = sorted(set(run.inventory.systems["system"]) | set(findings["system"].dropna()))
    system = w.Dropdown(options=[ALL, *systems], value=ALL, description="System")
    family = w.Dropdown(options=[ALL, *FAMILY_ORDER], value=ALL, description="Family")
    severity = w.Dropdown(options=list(reversed(SEVERITY_ORDER)), value="info", description="At least")
    status = w.Dropdown(options=[ALL, "fail", "unknown"], value=ALL, description="Status")
    show_waived = w.Checkbox(value=True, description="include waived")
    count = w.HTML()
    out = w.Output()

    def refresh(_change: Any = None) -> None:
        shown = filter_findings(findings, system=system.value, family=family.value, min_severity=severity.value,
                                status=status.value, include_waived=show_waived.value)
        count.value = f"<b>{len(shown)}</b> of {len(findings)} findings"
        out.clear_output()
        with out:
            display(findings_table(shown))

    display_bundle()
    for control in (system, family, severity, status, show_waived):
        control.observe(refresh, names="value")
    refresh()
    return w.VBox([w.HBox([system, family]), w.HBox([severity, status, show_waived]), count, out])
