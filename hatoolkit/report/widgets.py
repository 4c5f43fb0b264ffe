"""ipywidgets for analysts in JupyterLab (the explorer notebook); reports use plotly's own interactivity.

Static HTML reports cannot run callbacks (no kernel), so these widgets serve JupyterLab only. Each
builder is one call returning an object that displays itself; the filtering behind the findings
explorer is a pure function (`filter_findings`), and the failover what-if keeps its latest result
(`.placement`, `.figure`, `.summary.value`), so both can be driven and checked without a browser.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from hatoolkit.analysis.failover import Placement, Variant, failover
from hatoolkit.model.findings import FAMILY_ORDER, SEVERITY_ORDER, waived
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import SIZING_POLICIES, Plan
from hatoolkit.report.figures.capacity import STATUS_TEXT, placement_map
from hatoolkit.report.tables import placement_table

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


def _figure_output(fig: go.Figure) -> dict[str, Any]:
    """A display_data output with plotly's own mimetype (what JupyterLab renders), set on an Output widget."""
    bundle = pio.renderers["plotly_mimetype"].to_mimebundle(fig.to_dict())
    return {"output_type": "display_data", "data": bundle, "metadata": {}}


class FailoverWhatIf:
    """Pick a failure scenario, a sizing policy, preemption and CoD: the placement and its map update."""

    def __init__(self, inv: Inventory, plan: Plan) -> None:
        self.analysis = failover(inv, plan)
        self.scenarios = self.analysis.scenarios
        worst = self.analysis.worst()
        start = self.scenarios.index(worst.scenario) if worst is not None else 0
        self.scenario = w.Dropdown(options=[(s.label, i) for i, s in enumerate(self.scenarios)],
                                   value=start if self.scenarios else None, description="Failure",
                                   layout=w.Layout(width="420px"))
        observed = ("p95_30d", "peak_30d") if not inv.utilization.empty else ()  # usage sizing, if sampled
        self.policy = w.ToggleButtons(options=list(dict.fromkeys((*SIZING_POLICIES, self.analysis.sizing, *observed))),
                                      value=self.analysis.sizing,
                                      description="Sizing")
        self.preempt = w.Checkbox(value=True, description="shut down preemptible partitions", indent=False)
        self.cod = w.Checkbox(value=plan.allow_cod, description="activate inactive CoD", indent=False)
        self.summary = w.HTML()
        self.chart = w.Output()
        self.table = w.HTML()
        self.placement: Placement | None = None
        self.figure: go.Figure | None = None
        for control in (self.scenario, self.policy, self.preempt, self.cod):
            control.observe(self._update, names="value")
        self.box = w.VBox([w.HBox([self.scenario, self.policy]), w.HBox([self.preempt, self.cod]),
                           self.summary, self.chart, self.table])
        self._update()

    def _update(self, _change: object = None) -> None:
        if not self.scenarios:
            self.summary.value = "<p>No failure scenario: the inventory has fewer than two systems.</p>"
            return
        sc = self.scenarios[self.scenario.value]
        variant = Variant(self.policy.value, bool(self.preempt.value), bool(self.cod.value))
        p = self.analysis.placement(sc, variant)
        self.placement = p
        self.figure = placement_map(p)
        self.chart.outputs = (_figure_output(self.figure),)
        self.summary.value = self._summary(p)
        self.table.value = placement_table(p).to_html(index=False, escape=True, na_rep="", float_format="{:g}".format)

    @staticmethod
    def _summary(p: Placement) -> str:
        def num(value: float | None, unit: str, div: float = 1.0) -> str:
            return "unknown" if value is None else f"{value / div:.2f} {unit}"

        parts = [f"<b>{html.escape(p.scenario.label)}</b> at {html.escape(p.variant.label)}: "
                 f"<b>{STATUS_TEXT[p.status]}</b>",
                 f"processors {num(p.demand_proc_units, 'units')} needed / {num(p.supply_proc_units, 'units')} "
                 f"available; memory {num(p.demand_mem_mb, 'GB', 1024)} / {num(p.supply_mem_mb, 'GB', 1024)}"]
        if p.unplaced:
            parts.append("unplaced: " + html.escape(", ".join(p.unplaced)))
        if p.missing:
            parts.append("missing: " + html.escape("; ".join(p.missing)))
        return "<p>" + "<br>".join(parts) + "</p>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)


def failover_whatif(run: Any, plan: Plan | None = None) -> FailoverWhatIf:
    """The failover what-if for an audit run (or an Inventory and a Plan): one call in a notebook."""
    if isinstance(run, Inventory):
        return FailoverWhatIf(run, plan or Plan())
    return FailoverWhatIf(run.inventory, plan or run.plan)
