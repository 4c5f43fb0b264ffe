"""The dependency graph behind analysis.topology, and the graph algorithms that answer it.

Nodes are the things between a guest and its disks and LAN; an edge u -> v means "u can be served
through v". A need (one disk unit, one LUN, one VLAN of a guest) is met while a path from it to
SINK survives: alternatives (mirror halves, MPIO paths, an SEA failover pair, the preferred
interfaces of a virtual IP, EtherChannel members) are several out-edges, a chain is a path.

Missing data is a pair of views of one graph: the optimistic view lets every unknown continue to
SINK, the pessimistic view stops there (and assumes unknown cards are one card). A component that
cuts a need even in the optimistic view certainly cuts it; a need with no cutting component even
in the pessimistic view is certainly redundant; everything between is unknown.

Failable components (partitions, ports, cards, HEA ports) are nodes; a partition appears once per
context it serves (a VIOS once per SEA, per disk) so that a path cannot enter it for one purpose
and leave for another, and `component` names the real component behind each copy. Components whose
copies all lie on every path cut the need: node dominators find single copies in one pass, and a
component with several copies in a need's paths is checked by removing all of them.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

SINK = "SINK"
VIEWS = ("opt", "pes")
# Kinds whose loss is a component failure (the rest are virtual devices, needs, structure).
FAILABLE_KINDS = frozenset({"vios", "ibmi_host", "port", "adapter", "hea_port", "hea_adapter", "unknown_adapter"})


class Builder:
    """Accumulates nodes (with kind, label, component) and edges (with the views they belong to).

    Plain dicts while building, graphs once at the end: a 1,000-system estate has hundreds of
    thousands of edges, and networkx's per-call API (and re-scanning the edges per view) cost
    seconds. Node and edge order are the order of first insertion, as networkx would keep them.
    """

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, object]] = {}
        self.succ: dict[str, dict[str, set[str]]] = {}
        self.order: list[tuple[str, str]] = []  # edges in the order first added (networkx's predecessor order)
        self._graph: nx.DiGraph | None = None
        self.nodes[SINK] = {"kind": "sink", "label": "LAN / storage", "component": SINK, "failable": False,
                            "system": None, "owner": None}
        self.succ[SINK] = {}

    def node(self, nid: str, kind: str, label: str, *, system: str | None = None, component: str | None = None,
             owner: str | None = None) -> str:
        if nid not in self.nodes:
            self.nodes[nid] = {"kind": kind, "label": label, "system": system, "component": component or nid,
                               "owner": owner, "failable": kind in FAILABLE_KINDS}
            self.succ[nid] = {}
        return nid

    def edge(self, u: str, v: str, view: str = "both") -> None:
        out = self.succ[u]
        views = out.get(v)
        if views is None:
            out[v] = {"opt", "pes"} if view == "both" else {view}
            self.order.append((u, v))
        elif view == "both":
            views.update(VIEWS)
        else:
            views.add(view)

    def has_out(self, nid: str) -> bool:
        """Whether `nid` already has an edge (its paths were built once, by an earlier need)."""
        return bool(self.succ[nid])

    def unknown(self, reason: str, system: str | None = None) -> str:
        """A dead end in the pessimistic view, a way through in the optimistic one; labelled with what is missing."""
        nid = self.node(f"unknown:{reason}", "unknown", reason, system=system)
        self.edge(nid, SINK, "opt")
        return nid

    def copy(self, component: str, context: str, kind: str, label: str, system: str | None, owner: str | None = None) -> str:
        """A partition's node for one context it serves; all copies share `component`."""
        return self.node(f"{component}@{context}", kind, label, system=system, component=component, owner=owner)

    @property
    def g(self) -> nx.DiGraph:
        """The whole graph (every edge with its `views`), built once after the builders are done."""
        if self._graph is None:
            succ = {u: {v: {"views": frozenset(vs)} for v, vs in out.items()} for u, out in self.succ.items()}
            pred: dict[str, dict[str, dict[str, object]]] = {n: {} for n in self.nodes}
            for u, v in self.order:  # predecessors in the order the edges were added, as add_edge keeps them
                pred[v][u] = succ[u][v]
            self._graph = _digraph(self.nodes, succ, pred)
        return self._graph

    def views(self) -> dict[str, nx.DiGraph]:
        """One graph per view: its edges, and the whole graph's node attributes (read-only, shared).

        Both in one pass over the edges, in node order (the order the views were once copied in).
        """
        succ: dict[str, dict[str, dict[str, dict[str, object]]]] = {view: {} for view in VIEWS}
        pred = {view: {n: {} for n in self.nodes} for view in VIEWS}
        opt_succ, pes_succ, opt_pred, pes_pred = succ["opt"], succ["pes"], pred["opt"], pred["pes"]
        for u, out in self.succ.items():
            o = opt_succ[u] = {}
            p = pes_succ[u] = {}
            for v, vs in out.items():
                if "opt" in vs:
                    o[v] = opt_pred[v][u] = {}
                if "pes" in vs:
                    p[v] = pes_pred[v][u] = {}
        return {view: _digraph(self.nodes, succ[view], pred[view]) for view in VIEWS}


def _digraph(nodes: dict[str, dict[str, object]], succ: dict[str, dict[str, dict[str, object]]],
             pred: dict[str, dict[str, dict[str, object]]]) -> nx.DiGraph:
    """A DiGraph from its adjacency dicts in one go (what add_nodes_from/add_edges_from build, minus their overhead).

    `succ` and `pred` list every node in node order, each edge's data dict shared between them as
    networkx shares it. Nodes hold the builder's attribute dicts: nothing writes node attributes
    after the build, so the whole graph and its views can share them.
    """
    g = nx.DiGraph()
    g._node.update(nodes)
    g._succ.update(succ)  # _adj is _succ in a DiGraph
    g._pred.update(pred)
    return g


def post_dominators(g: nx.DiGraph) -> dict[str, str]:
    """Immediate post-dominator (towards SINK) of every node that can reach SINK.

    Cooper, Harvey and Kennedy's iteration (networkx's immediate_dominators on the reversed graph)
    on the adjacency dicts: immediate dominators are unique, and the plain loops are several times
    faster than networkx's on a graph of a million edges.
    """
    succ, pred = g._succ, g._pred
    order: list[str] = []
    seen = {SINK}
    stack = [(SINK, iter(pred[SINK]))]
    while stack:  # depth-first postorder from SINK against the edges
        node, children = stack[-1]
        for child in children:
            if child not in seen:
                seen.add(child)
                stack.append((child, iter(pred[child])))
                break
        else:
            stack.pop()
            order.append(node)
    dfn = {u: i for i, u in enumerate(order)}
    order.pop()
    order.reverse()
    idom: dict[str, str | None] = {SINK: None}

    def intersect(u: str, v: str) -> str:
        while u != v:
            while dfn[u] < dfn[v]:
                u = idom[u]  # type: ignore[assignment]
            while dfn[u] > dfn[v]:
                v = idom[v]  # type: ignore[assignment]
        return u

    changed = True
    while changed:
        changed = False
        for u in order:
            new: str | None = None
            for v in succ[u]:
                if v in idom:
                    new = v if new is None else intersect(new, v)
            if u not in idom or idom[u] != new:
                idom[u] = new
                changed = True
    del idom[SINK]
    return idom  # type: ignore[return-value]


def dominator_chain(idom: dict[str, str], node: str) -> list[str]:
    """Every node on all paths from `node` to SINK (its post-dominators), nearest first."""
    out = []
    current = idom.get(node)
    while current is not None and current != SINK:
        out.append(current)
        nxt = idom.get(current)
        if nxt == current:
            break
        current = nxt
    return out


def reaches(g: nx.DiGraph, source: str, removed: Iterable[str] = ()) -> bool:
    """Whether `source` reaches SINK once the `removed` nodes are gone (a plain search on the adjacency)."""
    gone = set(removed)
    if source in gone:
        return False
    succ = g._succ  # plain dict-of-dicts: an order of magnitude faster than the view API in these inner loops
    seen, stack = {source}, [source]
    while stack:
        u = stack.pop()
        for v in succ[u]:
            if v == SINK:
                return True
            if v not in seen and v not in gone:
                seen.add(v)
                stack.append(v)
    return False


def descendants(g: nx.DiGraph, source: str) -> set[str]:
    succ = g._succ
    seen, stack = {source}, [source]
    while stack:
        for v in succ[stack.pop()]:
            if v not in seen:
                seen.add(v)
                stack.append(v)
    seen.discard(source)
    return seen


def live_region(g: nx.DiGraph, source: str) -> set[str]:
    """Nodes on some path from `source` to SINK (descendants that can still reach SINK)."""
    down = descendants(g, source) | {source}
    if SINK not in down:
        return set()
    # Walk back from the region's own edges into SINK, not from SINK's predecessors: SINK is the
    # end of every path in the estate, and scanning all of them per need made this quadratic.
    succ, pred = g._succ, g._pred
    stack = [v for v in down if SINK in succ[v]]
    up = set(stack)
    while stack:
        for v in pred[stack.pop()]:
            if v in down and v not in up:
                up.add(v)
                stack.append(v)
    return up


def cutting_components(g: nx.DiGraph, idom: dict[str, str], source: str, region: set[str] | None = None) -> set[str]:
    """Failable components whose loss disconnects `source` from SINK (in this view of the graph).

    `region`: `live_region(g, source)` when the caller has it already (it is most of the cost).
    """
    if source not in idom:
        return set()
    nodes = g._node  # plain dicts: the NodeView API costs more than the search in these per-need loops
    found = {nodes[n]["component"] for n in dominator_chain(idom, source) if nodes[n]["failable"]}
    if region is None:
        region = live_region(g, source)
    copies: dict[str, list[str]] = {}
    for n in region:
        data = nodes[n]
        if data["failable"]:
            copies.setdefault(data["component"], []).append(n)
    for comp, members in copies.items():
        if comp not in found and len(members) > 1 and not reaches(g, source, members):
            found.add(comp)
    return found


def component_nodes(g: nx.DiGraph, region: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for n in region:
        if g.nodes[n]["failable"]:
            out.setdefault(g.nodes[n]["component"], []).append(n)
    return out


def cutting_pairs(g: nx.DiGraph, source: str, singles: set[str]) -> set[tuple[str, str]]:
    """Pairs of components (neither cutting alone) whose joint loss disconnects `source` from SINK."""
    region = live_region(g, source)
    comps = component_nodes(g, region)
    names = sorted(c for c in comps if c not in singles)
    pairs: set[tuple[str, str]] = set()
    sub = nx.DiGraph(g.subgraph(region | {SINK}))
    for i, a in enumerate(names):
        rest = nx.DiGraph(sub.subgraph(set(sub) - set(comps[a])))
        if source not in rest or not reaches(rest, source):
            continue
        idom = post_dominators(rest)
        for b in cutting_components(rest, idom, source):
            if b in comps and b != a and b not in singles and b in names[i + 1:] + names[:i]:
                pairs.add(tuple(sorted((a, b))))  # type: ignore[arg-type]
    return pairs
