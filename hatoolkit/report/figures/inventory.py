"""Inventory figures: capacity at a glance per system, and what hosts what.

These show the estate as captured, before any failover arithmetic (that is figures/capacity.py):
how much of each system is handed out, and which hosting partitions the guests depend on.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hatoolkit.analysis.hosting import hosting_links
from hatoolkit.report import theme
from hatoolkit.report.figures.base import empty_note, figure, key_chart, text, texts

USED_COLOR, FREE_COLOR = "#1d4ed8", "#cbd5e1"


def capacity_glance(inv) -> go.Figure:
    """Per system: processor units and memory handed out vs free (configurable totals)."""
    s = inv.systems.sort_values("system", kind="mergesort")
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("Processor units", "Memory (GB)"))
    fig.update_layout(template=theme.plotly_template(), barmode="stack", height=max(260, 70 * len(s) + 140),
                      title={"text": "Capacity at a glance: assigned and free"},
                      margin={"l": 10, "r": 10, "t": 110, "b": 10}, legend={"y": 1.14},
                      yaxis={"categoryorder": "array", "categoryarray": texts(reversed(s["system"].tolist()))})
    if s.empty:
        empty_note(fig, "No managed systems in the bundle")
        return key_chart(fig, "capacity_at_a_glance", "No managed systems in the bundle")
    names = texts(s["system"])
    proc_total = s["configurable_sys_proc_units"].astype("Float64")
    proc_free = s["curr_avail_sys_proc_units"].astype("Float64")
    mem_total = s["configurable_sys_mem_mb"].astype("Float64") / 1024
    mem_free = s["curr_avail_sys_mem_mb"].astype("Float64") / 1024
    for col, total, free, unit in ((1, proc_total, proc_free, "units"), (2, mem_total, mem_free, "GB")):
        used = (total - free).clip(lower=0)
        for label, values, color in (("assigned", used, USED_COLOR), ("free", free, FREE_COLOR)):
            fig.add_trace(go.Bar(
                y=names, x=_plain(values), orientation="h", name=label, legendgroup=label, showlegend=col == 1,
                marker={"color": color}, customdata=_plain(total),
                hovertemplate=f"%{{y}}: %{{x:.1f}} {unit} {label} of %{{customdata:.1f}}<extra></extra>",
            ), row=1, col=col)
    missing = s["system"][proc_total.isna() | mem_total.isna()].tolist()
    if missing:
        fig.add_annotation(text="not captured: " + ", ".join(texts(missing)), showarrow=False, xref="paper",
                           yref="paper", x=0, y=-0.12, font={"color": theme.MUTED})
    return key_chart(fig, "capacity_at_a_glance", _capacity_takeaway(s, proc_total, proc_free, mem_total, mem_free))


def _plain(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v), 2) for v in values]


def _capacity_takeaway(s, proc_total, proc_free, mem_total, mem_free) -> str:
    proc_pct = (proc_free / proc_total.where(proc_total > 0)).astype("Float64")
    mem_pct = (mem_free / mem_total.where(mem_total > 0)).astype("Float64")
    parts = []
    for label, pct, free, unit in (("processor units", proc_pct, proc_free, ""), ("memory", mem_pct, mem_free, " GB")):
        if pct.notna().any():
            i = pct.idxmin()
            parts.append(f"{s.loc[i, 'system']} has the least free {label}: {float(free[i]):.1f}{unit} "
                         f"({float(pct[i]):.0%})")
    return "; ".join(parts) or "Processor and memory totals were not captured"


def hosting_map(inv) -> go.Figure:
    """Sunburst system -> hosting partition -> guest; guests served by a single host are red."""
    links = hosting_links(inv)
    fig = figure(title="What hosts what: virtual storage served by hosting partitions", height=560)
    if links.empty:
        empty_note(fig, "No virtual SCSI or virtual Fibre Channel links in the bundle")
        return key_chart(fig, "what_hosts_what", "No hosting partitions: no virtual storage links were captured")
    hosts_per_guest = links.groupby(["system", "guest_id"])["host_id"].nunique()
    ids, labels, parents, colors, hover = [], [], [], [], []
    for system, group in links.groupby("system", sort=True):
        ids.append(f"s:{system}")
        labels.append(text(system))
        parents.append("")
        colors.append("#e5e7eb")
        hover.append(f"{text(system)}: {group['guest_id'].nunique()} guests")
        for (host_id, host), hosted in group.groupby(["host_id", "host"], sort=True, dropna=False):
            hid = f"h:{system}:{host_id}"
            ids.append(hid)
            labels.append(text(host if isinstance(host, str) else f"lpar {host_id}"))
            parents.append(f"s:{system}")
            colors.append(theme.ACCENT)
            hover.append(f"{labels[-1]} ({text(hosted['host_env'].iloc[0])}): serves {len(hosted)} guest(s)")
            for _, row in hosted.iterrows():
                single = hosts_per_guest[(system, row["guest_id"])] == 1
                name = row["guest"] if isinstance(row["guest"], str) else f"lpar {row['guest_id']}"
                ids.append(f"g:{system}:{host_id}:{row['guest_id']}")
                labels.append(text(name))
                parents.append(hid)
                colors.append(theme.SEVERITY_COLORS["high"] if single else "#93c5fd")
                hover.append(f"{text(name)}: {row['vscsi_paths']} vSCSI, {row['vfc_paths']} vFC path(s)"
                             + (" - only hosting partition" if single else ""))
    fig.add_trace(go.Sunburst(ids=ids, labels=labels, parents=parents, marker={"colors": colors},
                              hovertext=hover, hoverinfo="text", insidetextorientation="radial",
                              branchvalues="remainder", maxdepth=3))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 10})
    singles = hosts_per_guest[hosts_per_guest == 1]
    names = links.drop_duplicates(["system", "guest_id"]).set_index(["system", "guest_id"])["guest"]
    if singles.empty:
        takeaway = f"Every one of {len(hosts_per_guest)} guests is served by two or more hosting partitions"
    else:
        shown = ", ".join(f"{names.get(k, k[1])} ({k[0]})" for k in list(singles.index)[:4])
        more = f" and {len(singles) - 4} more" if len(singles) > 4 else ""
        takeaway = f"{len(singles)} of {len(hosts_per_guest)} guests depend on a single hosting partition: {shown}{more}"
    return key_chart(fig, "what_hosts_what", takeaway)
