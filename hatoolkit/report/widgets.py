"""ipywidgets for analysts in JupyterLab: what-if controls that re-run an analysis and redraw.

Static HTML reports cannot run callbacks (no kernel), so reports rely on plotly's own
interactivity; these widgets serve the explorer notebook. Each is one call returning an object
that displays itself and keeps its latest result (`.placement`, `.figure`, `.summary.value`) so it
can be driven and checked without a browser.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go
import plotly.io as pio

from hatoolkit.analysis.failover import Placement, Variant, failover
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import SIZING_POLICIES, Plan
from hatoolkit.report.figures.capacity import STATUS_TEXT, placement_map
from hatoolkit.report.tables import placement_table


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
        self.policy = w.ToggleButtons(options=list(SIZING_POLICIES), value=self.analysis.sizing,
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
