"""Redundancy figures: each guest's paths to its disks and LAN with the single points in red, components ranked.

Inputs are the frames of analysis.topology (`guest_paths`, `components`) and the findings; text
from the inventory is HTML-escaped before it reaches plotly. Nodes are laid out in columns by
their distance from the guest (guest, its disks and VLANs, virtual adapters, hosting partitions,
devices, ports and cards, then "LAN / storage"); within a column each node sits near the nodes
that lead to it, which keeps a dual-VIOS guest's two paths apart on the page.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from hatoolkit.model.findings import SEVERITY_ORDER
from hatoolkit.report.figures.base import key_chart
from hatoolkit.report.theme import (
    COMPONENT_KIND_COLORS,
    FONT_FAMILY,
    PATH_COLORS,
    SEVERITY_COLORS,
    SLIDE_HEIGHT_PX,
    SLIDE_WIDTH_PX,
)

DEVICE_KINDS = frozenset({"vadapter", "hdisk", "sea", "etherchannel", "vlan", "line", "interface", "vipa", "unit",
                          "storage"})
KIND_NAMES = {"vios": "VIOS", "ibmi_host": "IBM i host", "port": "port", "adapter": "adapter card",
              "hea_port": "IVE physical port", "hea_adapter": "IVE adapter", "unknown_adapter": "unidentified adapter"}


def _esc(value: object) -> str:
    return html.escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))


def _layout(fig: go.Figure, title: str, height: int | None = None) -> go.Figure:
    fig.update_layout(title=title, font={"family": FONT_FAMILY, "size": 11}, template="plotly_white",
                      width=SLIDE_WIDTH_PX, height=height or SLIDE_HEIGHT_PX, margin={"l": 10, "r": 10, "t": 70, "b": 10},
                      legend={"orientation": "h", "y": -0.05})
    return fig


def _color(row: pd.Series) -> str:
    if row["spof"]:
        return PATH_COLORS[row["spof"]]
    if row["kind"] in ("unknown",):
        return PATH_COLORS["unknown"]
    if row["kind"] in ("guest", "need", "sink"):
        return PATH_COLORS[row["kind"]]
    return PATH_COLORS["component"] if row["failable"] else PATH_COLORS["device"]


def _positions(nodes: pd.DataFrame, edges: pd.DataFrame, sweeps: int = 3) -> dict[str, tuple[float, float]]:
    """x = layer; y spreads each layer, ordered by the mean rank of neighbours (barycentre sweeps down and up)."""
    preds: dict[str, list[str]] = {}
    succs: dict[str, list[str]] = {}
    for s, t in zip(edges["source"], edges["target"], strict=True):
        preds.setdefault(t, []).append(s)
        succs.setdefault(s, []).append(t)
    layers = {int(k): list(g.sort_values("label")["id"]) for k, g in nodes.groupby("layer")}
    order = sorted(layers)
    rank = {n: float(i) for k in order for i, n in enumerate(layers[k])}

    def sweep(sequence: list[int], neighbours: dict[str, list[str]]) -> None:
        for k in sequence:
            def key(n: str) -> tuple[float, float]:
                near = [rank[m] for m in neighbours.get(n, []) if m in rank]
                return (sum(near) / len(near) if near else rank[n], rank[n])
            layers[k].sort(key=key)
            for i, n in enumerate(layers[k]):
                rank[n] = float(i)

    for _ in range(sweeps):
        sweep(order[1:], preds)
        sweep(order[-2::-1], succs)
    pos: dict[str, tuple[float, float]] = {}
    for k in order:
        n = len(layers[k])
        for i, nid in enumerate(layers[k]):
            pos[nid] = (float(k), (n - 1) / 2 - i)
    return pos


def _short(nodes: pd.DataFrame) -> list[str]:
    """Labels without the guest's own name and the system prefix (the title says both)."""
    guest = nodes.loc[nodes["kind"] == "guest", "label"]
    prefix = str(guest.iat[0]) if len(guest) else ""
    system = prefix.split("/", 1)[0]
    out = []
    for label in nodes["label"].astype("str"):
        text = label
        if prefix and text.startswith(prefix + " "):
            text = text[len(prefix) + 1:]
        elif system and text.startswith((system + "/", system + " ")):
            text = text[len(system) + 1:]
        out.append(text if len(text) <= 30 else text[:28] + "…")
    return out


def _traces(nodes: pd.DataFrame, edges: pd.DataFrame) -> list[go.Scatter]:
    pos = _positions(nodes, edges)
    out = []
    for style, dash, name in (("both", "solid", "path"), ("opt", "dot", "path if the unknown part works"),
                              ("pes", "dash", "worst case for unknown data")):
        part = edges[edges["views"] == style]
        xs, ys = [], []
        for s, t in zip(part["source"], part["target"], strict=True):
            if s in pos and t in pos:
                xs += [pos[s][0], pos[t][0], None]
                ys += [pos[s][1], pos[t][1], None]
        out.append(go.Scatter(x=xs, y=ys, mode="lines", name=name, hoverinfo="skip", showlegend=bool(xs),
                              line={"color": "#9ca3af", "width": 1, "dash": dash}))
    colors = [_color(r) for _, r in nodes.iterrows()]
    hover = [f"<b>{_esc(r['label'])}</b><br>{_esc(KIND_NAMES.get(r['kind'], r['kind']))}"
             + ("<br><b>single point of failure</b>" if r["spof"] == "certain" else "")
             + ("<br>may be a single point (data missing)" if r["spof"] == "possible" else "")
             for _, r in nodes.iterrows()]
    text = [_esc(t) for t in _short(nodes)]
    where = ["top center" if math.floor(pos[n][1]) % 2 == 0 else "bottom center" for n in nodes["id"]]
    out.append(go.Scatter(
        x=[pos[n][0] for n in nodes["id"]], y=[pos[n][1] for n in nodes["id"]], mode="markers+text", text=text,
        textposition=where, textfont={"size": 9}, hovertext=hover, hoverinfo="text", name="component",
        showlegend=False, marker={"size": [16 if f else 9 for f in nodes["failable"]], "color": colors,
                                  "symbol": ["square" if f else "circle" for f in nodes["failable"]],
                                  "line": {"width": 1, "color": "white"}}))
    return out


def path_diagram(nodes: pd.DataFrame, edges: pd.DataFrame, *, title: str = "Paths to disks and LAN") -> go.Figure:
    """One guest's dependency paths (analysis.topology.guest_paths): single points of failure in red."""
    fig = go.Figure()
    if nodes.empty:
        return _layout(fig.add_annotation(text="no paths", showarrow=False), title)
    for trace in _traces(nodes, edges):
        fig.add_trace(trace)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    per_layer = int(nodes.groupby("layer").size().max())
    return _layout(fig, title, height=max(SLIDE_HEIGHT_PX, 80 + 46 * per_layer))


def path_explorer(paths: dict[str, tuple[pd.DataFrame, pd.DataFrame]], *,
                  title: str = "Paths from each guest to its disks and LAN (red: single point of failure)") -> go.Figure:
    """Every guest's path diagram in one figure, chosen from a menu (first guest shown; static exports show it)."""
    fig = go.Figure()
    if not paths:
        return _layout(fig.add_annotation(text="no guests", showarrow=False), title)
    counts, height = [], SLIDE_HEIGHT_PX
    for i, (_, (nodes, edges)) in enumerate(paths.items()):
        traces = _traces(nodes, edges)
        for t in traces:
            t.visible = i == 0
            fig.add_trace(t)
        counts.append(len(traces))
        height = max(height, 80 + 46 * int(nodes.groupby("layer").size().max()))
    buttons, start = [], 0
    total = sum(counts)
    for (label, _), n in zip(paths.items(), counts, strict=True):
        visible = [start <= k < start + n for k in range(total)]
        buttons.append({"label": _esc(label), "method": "update", "args": [{"visible": visible},
                                                                          {"title": f"{title}: {_esc(label)}"}]})
        start += n
    fig.update_layout(updatemenus=[{"buttons": buttons, "direction": "down", "x": 0, "y": 1.08, "xanchor": "left",
                                    "showactive": True}])
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    first = next(iter(paths))
    return _layout(fig, f"{title}: {_esc(first)}", height=min(height, 1400))


def spof_ranking(components: pd.DataFrame, *, top: int = 20,
                 title: str = "Components that alone cut guests off (VIOS maintenance readiness)") -> go.Figure:
    """Components ranked by how many guests depend on them alone; hover lists guests and their disks/VLANs."""
    fig = go.Figure()
    ranked = components[components["n_guests"].fillna(0) > 0].head(top) if not components.empty else components
    if ranked.empty:
        return _layout(fig.add_annotation(text="no single point of failure found", showarrow=False), title)
    ranked = ranked.iloc[::-1]
    for kind in [k for k in COMPONENT_KIND_COLORS if k in set(ranked["kind"])]:
        part = ranked[ranked["kind"] == kind]
        labels = [_esc(x if len(x) <= 60 else x[:58] + "…") for x in part["label"]]
        hover = ["<br>".join(_esc(n) for n in needs[:15]) + ("<br>…" if len(needs) > 15 else "")
                 for needs in part["needs"]]
        text = [f"{n}" + (f" ({c} critical)" if c else "") for n, c in zip(part["n_guests"], part["n_critical"],
                                                                           strict=True)]
        fig.add_trace(go.Bar(y=labels, x=part["n_guests"], orientation="h", name=KIND_NAMES.get(kind, kind),
                             marker={"color": COMPONENT_KIND_COLORS[kind]}, text=text, textposition="outside",
                             hovertext=hover, hoverinfo="text+x"))
    fig.update_traces(cliponaxis=False)
    fig.update_layout(xaxis_title="guests cut off by its loss", barmode="stack", legend={"orientation": "h", "y": -0.25})
    fig.update_xaxes(dtick=1, range=[0, float(ranked["n_guests"].max()) * 1.25 + 0.5])
    fig.update_yaxes(categoryorder="array", categoryarray=[_esc(x if len(x) <= 60 else x[:58] + "…")
                                                           for x in ranked["label"]])
    fig = _layout(fig, title, height=max(SLIDE_HEIGHT_PX // 2, 120 + 30 * len(ranked)))
    worst = ranked.iloc[-1]
    total = int((components["n_guests"].fillna(0) > 0).sum())
    return key_chart(fig, "single_points_of_failure", f"{total} components alone cut guests off; the worst, "
                                                      f"{worst['label']}, cuts off {int(worst['n_guests'])} guest(s)")


def findings_by_family(findings: pd.DataFrame, families: tuple[str, ...] = ("network", "storage", "spof"), *,
                       title: str = "Redundancy findings by family and severity") -> go.Figure:
    """Counts of failing and unknown findings per family, stacked by severity (worst on the left)."""
    fig = go.Figure()
    f = findings[findings["family"].isin(families)]
    for severity in reversed(SEVERITY_ORDER):
        for status, pattern in (("fail", ""), ("unknown", "/")):
            part = f[(f["severity"] == severity) & (f["status"] == status)]
            counts = part.groupby("family").size().reindex(list(families), fill_value=0)
            if not counts.any():
                continue
            fig.add_trace(go.Bar(x=list(families), y=counts.to_numpy(), name=f"{severity} {status}",
                                 marker={"color": SEVERITY_COLORS[severity], "pattern": {"shape": pattern}}))
    if not fig.data:
        fig.add_annotation(text="no findings", showarrow=False)
    fig.update_layout(barmode="stack", yaxis_title="findings")
    return _layout(fig, title, height=SLIDE_HEIGHT_PX * 3 // 4)
