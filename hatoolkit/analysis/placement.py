"""Exact multi-dimensional bin packing: can these partitions be placed on these systems?

A partition cannot span systems, so comparing sums is not enough: 10 free cores split 5 + 5 do
not hold an 8-core partition. The problem is an assignment of items (partitions) to bins
(target systems) under per-bin capacities in several dimensions: processing units, memory, and
shared processor pool caps (a partition entering a capped pool also draws from that pool).

Decision procedure, cheapest first; every "does not fit" is a proof:
1. a sum bound: each item needs at least its smallest demand over all bins, so if those minimums
   exceed the total capacity of a dimension, nothing can work;
2. an item that fits in no bin on its own;
3. first-fit decreasing: a placement found is a witness that it fits;
4. otherwise an exact MILP (`scipy.optimize.milp`, HiGHS) decides feasibility.
When it does not fit, a second MILP finds the placement that keeps the most weight (critical
partitions first), so the report can name what would be left without a home.

Quantities are integers (processors in hundredths of a unit, memory in MB), so comparisons are
exact and the solver works on integral data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UNBOUNDED = np.int64(1) << np.int64(60)
# Work limits of the exact solver, in branch-and-bound nodes (deterministic, unlike a time limit).
# A feasibility question still open at the limit is reported as undecided, never as fit or no fit.
DECIDE_NODE_LIMIT = 1_000
BEST_NODE_LIMIT = 300


@dataclass(frozen=True)
class Problem:
    """Items x bins demands and capacities (integers; pool index -1 = no pool cap)."""

    proc: np.ndarray  # (n, m) hundredths of a processing unit
    mem: np.ndarray  # (n, m) MB
    pool: np.ndarray  # (n, m) index into pool_cap, -1 for none
    proc_cap: np.ndarray  # (m,)
    mem_cap: np.ndarray  # (m,)
    pool_cap: np.ndarray  # (k,)
    weight: np.ndarray  # (n,) value of placing each item (for the best partial placement)

    @property
    def shape(self) -> tuple[int, int]:
        return self.proc.shape  # type: ignore[return-value]


@dataclass(frozen=True)
class Solution:
    fits: bool
    method: str  # trivial | ffd | bfd | milp | sum:<dim> | oversize | undecided
    assignment: np.ndarray  # (n,) bin index, -1 unplaced
    optimal: bool = True  # for a partial placement: whether the MILP proved it keeps the most weight
    decided: bool = True  # False: neither a placement nor a proof within the work limit


def _fit_alone(p: Problem) -> np.ndarray:
    ok = (p.proc <= p.proc_cap[None, :]) & (p.mem <= p.mem_cap[None, :]) & (p.proc < UNBOUNDED) & (p.mem < UNBOUNDED)
    if p.pool_cap.size:
        caps = np.where(p.pool >= 0, p.pool_cap[np.clip(p.pool, 0, None)], UNBOUNDED)
        ok &= p.proc <= caps
    return ok


def _sum_bound(p: Problem) -> str | None:
    for name, demand, cap in (("processors", p.proc, p.proc_cap), ("memory", p.mem, p.mem_cap)):
        if np.any(cap >= UNBOUNDED):
            continue
        if float(demand.min(axis=1).sum(dtype=float)) > float(cap.sum(dtype=float)):
            return f"sum:{name}"
    return None


def _total(cap: np.ndarray) -> float:
    """Total capacity for scaling sizes; unbounded bins count as the largest bounded one (or 1)."""
    bounded = cap[cap < UNBOUNDED]
    top = float(bounded.max()) if bounded.size else 1.0
    return max(float(np.where(cap < UNBOUNDED, cap, top).astype(float).sum()), 1.0)


def _orders(p: Problem) -> list[np.ndarray]:
    """Item orders for the heuristics: by the larger normalised dimension, by processors, by memory."""
    tot_p, tot_m = _total(p.proc_cap), _total(p.mem_cap)
    rel_p, rel_m = p.proc.min(axis=1) / tot_p, p.mem.min(axis=1) / tot_m
    return [np.argsort(-np.maximum(rel_p, rel_m), kind="stable"), np.argsort(-rel_p, kind="stable"),
            np.argsort(-rel_m, kind="stable"), np.argsort(-(rel_p + rel_m), kind="stable")]


def heuristic(p: Problem, first: np.ndarray | None = None) -> tuple[str, np.ndarray]:
    """First-fit decreasing, then cheap variants (other orders, best fit); the first complete placement wins."""
    first = first_fit_decreasing(p) if first is None else first
    if (first >= 0).all():
        return "ffd", first
    for order in _orders(p):
        for best_fit in (False, True):
            got = first_fit_decreasing(p, order, best_fit=best_fit)
            if (got >= 0).all():
                return ("bfd" if best_fit else "ffd"), got
    return "ffd", first


def _symmetric(p: Problem, allowed: np.ndarray) -> np.ndarray:
    """Break the symmetry of interchangeable bins: among identical bins, item i may use only the first i+1.

    Bins are interchangeable when their capacities and every item's demand and pool on them are
    equal. Any placement can be relabelled so this holds, so it removes no solution, only repeats.
    """
    m = p.shape[1]
    key: dict[bytes, list[int]] = {}
    for t in range(m):
        sig = b"".join(a.tobytes() for a in (p.proc[:, t], p.mem[:, t], p.pool[:, t], p.proc_cap[t:t + 1],
                                            p.mem_cap[t:t + 1], allowed[:, t]))
        key.setdefault(sig, []).append(t)
    out = allowed.copy()
    for group in key.values():
        if len(group) > 1 and not (p.pool[:, group] >= 0).any():
            for j, t in enumerate(group):
                out[:j, t] = False
    return out


def first_fit_decreasing(p: Problem, order: np.ndarray | None = None, *, best_fit: bool = False) -> np.ndarray:
    """Place items largest first, each on the first bin with room in every dimension.

    `best_fit`: on the bin that room is tightest in instead (least normalised room left). First fit
    looks at the bins a block at a time (growing), so an estate with room everywhere costs a few
    bins per item, not all of them; the bin chosen is the same.
    """
    n, m = p.shape
    room_p = p.proc_cap.astype(np.int64, copy=True)
    room_m = p.mem_cap.astype(np.int64, copy=True)
    load_pool = np.zeros(p.pool_cap.size, dtype=np.int64)
    pooled = (p.pool >= 0).any(axis=1) if p.pool_cap.size else np.zeros(n, dtype=bool)
    out = np.full(n, -1, dtype=np.int64)
    scale_p, scale_m = _total(p.proc_cap), _total(p.mem_cap)
    if order is None:
        order = _orders(p)[0]

    def fits(i: int, a: int, b: int) -> np.ndarray:
        proc, mem = p.proc[i, a:b], p.mem[i, a:b]
        ok = (proc <= room_p[a:b]) & (mem <= room_m[a:b]) & (proc < UNBOUNDED) & (mem < UNBOUNDED)
        if pooled[i]:
            g = p.pool[i, a:b]
            gi = np.clip(g, 0, None)
            ok &= (g < 0) | (load_pool[gi] + proc <= p.pool_cap[gi])
        return ok

    for i in order:
        t = -1
        if best_fit:
            hits = np.flatnonzero(fits(i, 0, m))
            if hits.size:
                room = np.maximum((room_p[hits] - p.proc[i, hits]) / scale_p, (room_m[hits] - p.mem[i, hits]) / scale_m)
                t = int(hits[int(np.argmin(room))])
        else:
            a, block = 0, 32
            while a < m and t < 0:
                ok = fits(i, a, min(a + block, m))
                if ok.any():
                    t = a + int(ok.argmax())
                a, block = a + block, block * 4
        if t >= 0:
            out[i] = t
            room_p[t] -= p.proc[i, t]
            room_m[t] -= p.mem[i, t]
            if p.pool_cap.size and p.pool[i, t] >= 0:
                load_pool[p.pool[i, t]] += p.proc[i, t]
    return out


def _milp(p: Problem, allowed: np.ndarray, *, exact: bool) -> tuple[int, np.ndarray | None]:
    """exact=True: every item placed (feasibility); False: maximise placed weight. -> (status, assignment)."""
    # Imported here: most estates are decided by first fit, and scipy.optimize costs a quarter second to import.
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    n = p.shape[0]
    pairs = np.argwhere(allowed)
    nv = len(pairs)
    if nv == 0:
        return (2 if exact else 0), np.full(n, -1, dtype=np.int64)
    items, bins = pairs[:, 0], pairs[:, 1]
    cols = np.arange(nv)
    constraints = [LinearConstraint(coo_array((np.ones(nv), (items, cols)), shape=(n, nv)),
                                    1.0 if exact else 0.0, 1.0)]
    for demand, cap in ((p.proc, p.proc_cap), (p.mem, p.mem_cap)):
        bounded = cap < UNBOUNDED
        if bounded.any():
            sel = bounded[bins]
            rows = np.cumsum(bounded) - 1
            constraints.append(LinearConstraint(
                coo_array((demand[items[sel], bins[sel]].astype(float), (rows[bins[sel]], cols[sel])),
                          shape=(int(bounded.sum()), nv)), -np.inf, cap[bounded].astype(float)))
    if p.pool_cap.size:
        g = p.pool[items, bins]
        sel = g >= 0
        if sel.any():
            constraints.append(LinearConstraint(
                coo_array((p.proc[items[sel], bins[sel]].astype(float), (g[sel], cols[sel])),
                          shape=(p.pool_cap.size, nv)), -np.inf, p.pool_cap.astype(float)))
    c = np.zeros(nv) if exact else -p.weight[items].astype(float)
    options = {"presolve": True, "mip_rel_gap": 0.0, "node_limit": DECIDE_NODE_LIMIT if exact else BEST_NODE_LIMIT}
    res = milp(c, constraints=constraints, integrality=np.ones(nv), bounds=Bounds(0, 1), options=options)
    if res.x is None:
        return int(res.status), None
    chosen = res.x > 0.5
    out = np.full(n, -1, dtype=np.int64)
    out[items[chosen]] = bins[chosen]
    return int(res.status), out


def solve(p: Problem) -> Solution:
    """Decide whether all items fit; return a witness placement, or the best partial one."""
    n, m = p.shape
    if n == 0:
        return Solution(True, "trivial", np.zeros(0, dtype=np.int64))
    if m == 0:
        return Solution(False, "oversize", np.full(n, -1, dtype=np.int64))
    first = first_fit_decreasing(p)
    if (first >= 0).all():  # a witness: no bound or proof can say otherwise
        return Solution(True, "ffd", first)
    allowed = _fit_alone(p)
    proof = _sum_bound(p) or ("oversize" if not allowed.any(axis=1).all() else None)
    method, ffd = heuristic(p, first) if proof is None else ("ffd", first)
    if proof is None and (ffd >= 0).all():
        return Solution(True, method, ffd)
    allowed = _symmetric(p, allowed)
    if proof is None:
        status, assignment = _milp(p, allowed, exact=True)
        if assignment is not None and (assignment >= 0).all():
            return Solution(True, "milp", assignment)
        # Infeasible is a proof; a work limit without a placement is not: say undecided.
        if status != 2:
            return Solution(False, "undecided", ffd, optimal=False, decided=False)
        proof = "milp"
    status, best = _milp(p, allowed, exact=False)
    if best is None or _weight(p, best) < _weight(p, ffd):
        return Solution(False, proof, ffd, optimal=False)
    return Solution(False, proof, best, optimal=status == 0)


def _weight(p: Problem, assignment: np.ndarray) -> float:
    return float(p.weight[assignment >= 0].sum())
