"""Single points of failure between each guest and its disks and LAN: "if I take this down, who loses what?"

`topology(inv, plan)` builds one dependency graph for the estate (analysis.topology_graph: needs,
alternatives, components; topology_storage and topology_network: what the exports say serves each
need) and judges every need of every guest in scope:

- `spof`: some component's loss cuts it off even if every unknown part worked (`certain`);
- `redundant`: no single loss cuts it off even if every unknown part failed;
- `unknown`: in between — `possible` names the components that may cut it, `unknown` what is missing;
- `no_path`: nothing serves it even optimistically (an internal VLAN, every path already failed).

A guest is as weak as its weakest need. `components` ranks components by how many guests depend
on them alone (VIOS maintenance readiness for every component at once, as IBM's
ValidateMaintenanceReadiness answers it for one VIOS); `pairs` lists, for the plan's critical
workloads, the pairs of components whose joint loss cuts them off. The managed system itself is
not a component here: every guest depends on its own server (failover capacity, HA1xx, is that
question).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import networkx as nx
import pandas as pd

from hatoolkit.analysis.topology_context import Context
from hatoolkit.analysis.topology_graph import (
    SINK,
    VIEWS,
    cutting_components,
    cutting_pairs,
    descendants,
    live_region,
    post_dominators,
)
from hatoolkit.analysis.topology_network import Network
from hatoolkit.analysis.topology_storage import storage_needs
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan
from hatoolkit.model.rows import row_tuples

STATUS_ORDER = ("spof", "unknown", "no_path", "redundant", "none")  # worst first: a guest takes its worst need's
NEED_COLUMNS = ["system", "lpar_id", "partition", "need", "kind", "label", "status", "certain", "possible", "unknown"]
GUEST_COLUMNS = ["system", "lpar_id", "partition", "lpar_env", "state", "critical", "status", "needs", "certain",
                 "possible", "unknown"]


@dataclass(frozen=True, eq=False)
class Topology:
    """The graph (all views), each view, and the judgement of every need and guest."""

    graph: nx.DiGraph
    views: dict[str, nx.DiGraph]
    needs: pd.DataFrame
    guests: pd.DataFrame
    meta: dict[str, dict[str, object]]

    def component_info(self, component: str) -> dict[str, object]:
        """kind, label, system, owner of a component (from any of its nodes)."""
        return self.meta.get(component, {"kind": None, "label": component, "system": None, "owner": None})


def _guests(inv: Inventory, plan: Plan) -> pd.DataFrame:
    p = inv.partitions
    g = p[p["lpar_env"].fillna("") != "vioserver"]
    keep = pd.Series([plan.in_scope(str(s), str(n)) for s, n in zip(g["system"], g["name"].fillna(""), strict=True)],
                     index=g.index, dtype=bool)
    return g[keep].sort_values(["system", "lpar_id"]).reset_index(drop=True)


def _unknowns(g: nx.DiGraph, need: str) -> tuple[str, ...]:
    nodes = g._node
    return tuple(sorted({nodes[n]["label"] for n in descendants(g, need)
                         if nodes[n]["kind"] in ("unknown", "unknown_adapter")}))


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building: the build allocates millions of small
    containers (nodes, edges, rows) and frees almost none, so the collections their allocation
    triggers only re-walk a growing heap (a quarter of the topology's time at 1,000 systems)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@lru_cache(maxsize=8)
def topology(inv: Inventory, plan: Plan) -> Topology:
    """Build the graph and judge every need of every guest in the plan's scope (memoised per Inventory and Plan)."""
    with _no_gc():
        return _topology(inv, plan)


def _topology(inv: Inventory, plan: Plan) -> Topology:
    ctx = Context(inv, plan)
    net = Network(ctx)
    guests = _guests(inv, plan)
    owned: list[tuple[object, list[tuple[str, str, str]]]] = []
    for r in row_tuples(guests):
        lpar_id = int(r.lpar_id)
        needs = storage_needs(ctx, r.system, lpar_id) + net.lan_needs(r.system, lpar_id)
        node = ctx.b.node(f"guest:{r.system}/{lpar_id}", "guest", ctx.label(r.system, lpar_id), system=r.system)
        for nid, _, _ in needs:
            ctx.b.edge(node, nid)
        owned.append((r, needs))
    views = ctx.b.views()
    idom = {v: post_dominators(views[v]) for v in VIEWS}
    rows = []
    for r, needs in owned:
        for nid, kind, label in needs:
            rows.append({"system": r.system, "lpar_id": int(r.lpar_id), "partition": r.name, "need": nid, "kind": kind,
                         "label": label, **_judge(views, idom, nid), "unknown": _unknowns(ctx.b.g, nid)})
    need_frame = pd.DataFrame(rows, columns=NEED_COLUMNS).astype({"lpar_id": "Int64"})
    meta: dict[str, dict[str, object]] = {}
    for _, data in ctx.b.g.nodes(data=True):
        meta.setdefault(data["component"], {k: data[k] for k in ("kind", "label", "system", "owner")})
    return Topology(ctx.b.g, views, need_frame, _guest_frame(guests, need_frame, plan), meta)


def _judge(views: dict[str, nx.DiGraph], idom: dict[str, dict[str, str]], need: str) -> dict[str, object]:
    opt, pes = views["opt"], views["pes"]
    if need not in idom["opt"]:
        return {"status": "no_path", "certain": (), "possible": ()}
    region = live_region(opt, need)
    certain = cutting_components(opt, idom["opt"], need, region)
    if need in idom["pes"]:
        possible = cutting_components(pes, idom["pes"], need) - certain
    else:  # nothing is sure to work: any component on a path may matter
        nodes = opt._node
        possible = {nodes[n]["component"] for n in region if nodes[n]["failable"]} - certain
    status = "spof" if certain else ("redundant" if need in idom["pes"] and not possible else "unknown")
    return {"status": status, "certain": tuple(sorted(certain)), "possible": tuple(sorted(possible))}


def _guest_frame(guests: pd.DataFrame, needs: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    acc: dict[tuple[str, int], dict[str, object]] = {}
    cols = ("system", "lpar_id", "status", "certain", "possible", "unknown")
    for system, lpar_id, status, certain, possible, unknown in zip(*(needs[c].tolist() for c in cols), strict=True):
        a = acc.setdefault((system, int(lpar_id)), {"statuses": set(), "certain": set(), "possible": set(),
                                                    "unknown": set(), "n": 0})
        a["statuses"].add(status)  # type: ignore[union-attr]
        a["certain"].update(certain)  # type: ignore[union-attr]
        a["possible"].update(possible)  # type: ignore[union-attr]
        a["unknown"].update(unknown)  # type: ignore[union-attr]
        a["n"] += 1  # type: ignore[operator]
    rows = []
    for r in row_tuples(guests):
        a = acc.get((r.system, int(r.lpar_id)))
        statuses = a["statuses"] if a else set()
        rows.append({"system": r.system, "lpar_id": int(r.lpar_id), "partition": r.name, "lpar_env": r.lpar_env,
                     "state": r.state, "critical": plan.is_critical(str(r.system), str(r.name)),
                     "status": next((x for x in STATUS_ORDER if x in statuses), "none"), "needs": a["n"] if a else 0,
                     "certain": tuple(sorted(a["certain"])) if a else (),  # type: ignore[arg-type]
                     "possible": tuple(sorted(a["possible"])) if a else (),  # type: ignore[arg-type]
                     "unknown": tuple(sorted(a["unknown"])) if a else ()})  # type: ignore[arg-type]
    frame = pd.DataFrame(rows, columns=GUEST_COLUMNS)
    return frame.astype({"lpar_id": "Int64", "needs": "Int64", "critical": bool})


# --------------------------------------------------------------------------- views for checks and reports


@lru_cache(maxsize=8)
def single_points(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """One row per (component, guest need) the component alone cuts off (`certainty` certain) or may cut (possible)."""
    topo = topology(inv, plan)
    rows = []
    info: dict[str, dict[str, object]] = {}
    for r in row_tuples(topo.needs):
        for certainty, comps in (("certain", r.certain), ("possible", r.possible)):
            for comp in comps:
                meta = info.get(comp)
                if meta is None:
                    meta = info[comp] = topo.component_info(comp)
                rows.append({"component": comp, "component_kind": meta["kind"], "component_label": meta["label"],
                             "component_system": meta["system"], "component_owner": meta["owner"],
                             "system": r.system, "lpar_id": r.lpar_id, "partition": r.partition, "need": r.need,
                             "need_kind": r.kind, "need_label": r.label, "certainty": certainty,
                             "unknown": r.unknown if certainty == "possible" else ()})
    cols = ["component", "component_kind", "component_label", "component_system", "component_owner", "system",
            "lpar_id", "partition", "need", "need_kind", "need_label", "certainty", "unknown"]
    return pd.DataFrame(rows, columns=cols).astype({"lpar_id": "Int64"})


@lru_cache(maxsize=8)
def components(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """Components ranked by how many guests depend on them alone (certainly), then by how many may.

    Columns: component, kind, label, system, owner, guests (tuple of system/partition), n_guests, needs
    (tuple of "partition: need"), critical (tuple of critical guests cut off), n_critical, possible_guests,
    n_possible. Ties go to the component cutting off more critical workloads.
    """
    sp = single_points(inv, plan)
    cols = ["component", "kind", "label", "system", "owner", "guests", "n_guests", "needs", "critical", "n_critical",
            "possible_guests", "n_possible"]
    ints = {"n_guests": "Int64", "n_critical": "Int64", "n_possible": "Int64"}
    if sp.empty:
        return pd.DataFrame(columns=cols).astype(ints)
    # One pass over the rows (tens of thousands of components in a large estate: no frame per component).
    acc: dict[str, dict[str, Any]] = {}
    critical_of: dict[tuple[str, str], bool] = {}
    columns = ("component", "component_kind", "component_label", "component_system", "component_owner", "system",
               "partition", "need_label", "certainty")
    for comp, kind, label, csys, owner, system, part, need, certainty in zip(*(sp[c].tolist() for c in columns), strict=True):
        a = acc.get(comp)
        if a is None:
            a = acc[comp] = {"component": comp, "kind": kind, "label": label, "system": csys, "owner": owner,
                             "guests": set(), "needs": set(), "critical": set(), "possible_guests": set()}
        guest = f"{system}/{part}"
        if certainty == "certain":
            a["guests"].add(guest)
            a["needs"].add(f"{part}: {need}")
            key = (system, part)
            if key not in critical_of:
                critical_of[key] = plan.is_critical(str(system), str(part))
            if critical_of[key]:
                a["critical"].add(guest)
        else:
            a["possible_guests"].add(guest)
    rows = []
    for a in acc.values():
        guests = tuple(sorted(a["guests"]))
        possible = tuple(sorted(a["possible_guests"] - a["guests"]))
        critical = tuple(sorted(a["critical"]))
        rows.append({**a, "guests": guests, "n_guests": len(guests), "needs": tuple(sorted(a["needs"])),
                     "critical": critical, "n_critical": len(critical), "possible_guests": possible,
                     "n_possible": len(possible)})
    frame = pd.DataFrame(rows, columns=cols).astype(ints)
    return frame.sort_values(["n_guests", "n_critical", "n_possible", "label"],
                             ascending=[False, False, False, True]).reset_index(drop=True)


@lru_cache(maxsize=8)
def pairs(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """For the plan's critical guests: pairs of components (neither cutting alone) whose joint loss cuts a need."""
    topo = topology(inv, plan)
    crit = topo.guests[topo.guests["critical"]]
    cols = ["system", "partition", "need_label", "component_a", "label_a", "component_b", "label_b"]
    rows = []
    needs = topo.needs.merge(crit[["system", "lpar_id"]], on=["system", "lpar_id"])
    opt = topo.views["opt"]
    for r in row_tuples(needs):
        if r.status == "no_path":
            continue
        for a, b in sorted(cutting_pairs(opt, r.need, set(r.certain))):
            rows.append({"system": r.system, "partition": r.partition, "need_label": r.label, "component_a": a,
                         "label_a": topo.component_info(a)["label"], "component_b": b,
                         "label_b": topo.component_info(b)["label"]})
    return pd.DataFrame(rows, columns=cols)


def _layers(h: nx.DiGraph, start: str) -> dict[str, int]:
    """Longest-path layers from `start` (back edges of cycles ignored), SINK alone in the last layer."""
    dag = nx.DiGraph()
    dag.add_nodes_from(h)
    seen: set[str] = set()
    on_stack: set[str] = set()
    stack = [(start, iter(sorted(h.successors(start))))]
    seen.add(start)
    on_stack.add(start)
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            on_stack.discard(node)
            stack.pop()
            continue
        if child in on_stack:
            continue  # a back edge (IBM i line -> the VLAN it bridges -> ...): drop it for layering
        dag.add_edge(node, child)
        if child not in seen:
            seen.add(child)
            on_stack.add(child)
            stack.append((child, iter(sorted(h.successors(child)))))
    layer = {start: 0}
    for n in nx.topological_sort(dag):
        for m in dag.successors(n):
            layer[m] = max(layer.get(m, 0), layer.get(n, 0) + 1)
    if SINK in layer:
        layer[SINK] = max(v for k, v in layer.items() if k != SINK) + 1 if len(layer) > 1 else 1
    return layer


def guest_paths(inv: Inventory, plan: Plan, system: str, partition: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of one guest's dependency paths for a diagram; copies of a component are one node.

    nodes: id, label, kind, layer (longest path from the guest; SINK last), failable, spof (certain, possible or '').
    edges: source, target, views (both, opt: only if unknowns work, pes).
    """
    topo = topology(inv, plan)
    g = topo.graph
    match = topo.guests[(topo.guests["system"] == system) & (topo.guests["partition"] == partition)]
    if match.empty:
        raise KeyError(f"no guest {system}/{partition} in the topology")
    guest = match.iloc[0]
    start = f"guest:{system}/{int(guest['lpar_id'])}"
    reach = descendants(g, start) | {start}

    def display(n: str) -> str:
        return g.nodes[n]["component"] if g.nodes[n]["failable"] else n

    edges: dict[tuple[str, str], set[str]] = {}
    for u, v, views in g.subgraph(reach).edges(data="views"):
        du, dv = display(u), display(v)
        if du != dv:
            edges.setdefault((du, dv), set()).update(views)
    h = nx.DiGraph(list(edges))
    h.add_node(start)
    layer = _layers(h, start)
    certain, possible = set(guest["certain"]), set(guest["possible"])
    nodes = []
    for n in h.nodes:
        data = g.nodes[n] if n in g else topo.component_info(n)
        failable = n not in g or bool(g.nodes[n]["failable"])
        nodes.append({"id": n, "label": data["label"], "kind": data["kind"], "layer": layer.get(n, 0),
                      "failable": failable,
                      "spof": "certain" if n in certain else ("possible" if n in possible else "")})
    node_frame = pd.DataFrame(nodes, columns=["id", "label", "kind", "layer", "failable", "spof"])
    edge_frame = pd.DataFrame([{"source": u, "target": v, "views": "both" if len(vs) == 2 else next(iter(vs))}
                               for (u, v), vs in edges.items()], columns=["source", "target", "views"])
    return node_frame.sort_values(["layer", "label"]).reset_index(drop=True), edge_frame


def all_guest_paths(inv: Inventory, plan: Plan) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """`guest_paths` of every guest with virtual I/O, worst first (critical, then single points, then unknown)."""
    g = topology(inv, plan).guests
    g = g[g["needs"] > 0].assign(_rank=g["status"].map({s: i for i, s in enumerate(STATUS_ORDER)}))
    g = g.sort_values(["critical", "_rank", "system", "partition"], ascending=[False, True, True, True])
    return {f"{r.system}/{r.partition} ({r.status})": guest_paths(inv, plan, r.system, r.partition)
            for r in g.itertuples(index=False)}


def guest_summary(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """One readable row per guest: its status and the components it depends on alone (labels, not ids)."""
    topo = topology(inv, plan)
    label = {}

    def names(comps: tuple[str, ...]) -> str:
        return ", ".join(sorted(label.setdefault(c, str(topo.component_info(c)["label"])) for c in comps))

    g = topo.guests
    frame = pd.DataFrame({
        "system": g["system"], "partition": g["partition"], "critical": g["critical"], "state": g["state"],
        "status": g["status"], "disks and VLANs": g["needs"], "single points of failure": g["certain"].map(names),
        "may also depend on": g["possible"].map(names), "missing data": g["unknown"].map("; ".join)})
    rank = frame["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    return frame.assign(_r=rank).sort_values(["_r", "system", "partition"]).drop(columns="_r").reset_index(drop=True)
