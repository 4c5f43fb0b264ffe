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
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

UNBOUNDED = np.int64(1) << np.int64(60)
NODE_LIMIT = 20_000  # bound on the best-partial search (deterministic, unlike a time limit)


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
    method: str  # trivial | ffd | milp | sum:<dim> | oversize
    assignment: np.ndarray  # (n,) bin index, -1 unplaced
    optimal: bool = True  # for a partial placement: whether the MILP proved it keeps the most weight


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


def first_fit_decreasing(p: Problem, order: np.ndarray | None = None) -> np.ndarray:
    """Place items largest first, each on the first bin with room in every dimension."""
    n, m = p.shape
    load_p = np.zeros(m, dtype=np.int64)
    load_m = np.zeros(m, dtype=np.int64)
    load_pool = np.zeros(p.pool_cap.size, dtype=np.int64)
    out = np.full(n, -1, dtype=np.int64)
    if order is None:
        tot_p, tot_m = _total(p.proc_cap), _total(p.mem_cap)
        size = np.maximum(p.proc.min(axis=1) / tot_p, p.mem.min(axis=1) / tot_m)
        order = np.argsort(-size, kind="stable")
    for i in order:
        ok = (load_p + p.proc[i] <= p.proc_cap) & (load_m + p.mem[i] <= p.mem_cap) & \
            (p.proc[i] < UNBOUNDED) & (p.mem[i] < UNBOUNDED)
        if p.pool_cap.size:
            g = p.pool[i]
            has = g >= 0
            gi = np.clip(g, 0, None)
            ok &= ~has | (load_pool[gi] + p.proc[i] <= p.pool_cap[gi])
        hits = np.flatnonzero(ok)
        if hits.size:
            t = hits[0]
            out[i] = t
            load_p[t] += p.proc[i, t]
            load_m[t] += p.mem[i, t]
            if p.pool_cap.size and p.pool[i, t] >= 0:
                load_pool[p.pool[i, t]] += p.proc[i, t]
    return out


def _milp(p: Problem, allowed: np.ndarray, *, exact: bool) -> tuple[int, np.ndarray | None]:
    """exact=True: every item placed (feasibility); False: maximise placed weight. -> (status, assignment)."""
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
    options = {"presolve": True, "mip_rel_gap": 0.0}
    if not exact:
        options["node_limit"] = NODE_LIMIT
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
    allowed = _fit_alone(p)
    proof = _sum_bound(p) or ("oversize" if not allowed.any(axis=1).all() else None)
    ffd = first_fit_decreasing(p)
    if proof is None and (ffd >= 0).all():
        return Solution(True, "ffd", ffd)
    if proof is None:
        status, assignment = _milp(p, allowed, exact=True)
        if status == 0 and assignment is not None and (assignment >= 0).all():
            return Solution(True, "milp", assignment)
        if status != 2:  # neither a placement nor a proof: never claim either
            raise RuntimeError(f"MILP ended without a decision (HiGHS status {status})")
        proof = "milp"
    status, best = _milp(p, allowed, exact=False)
    if best is None or _weight(p, best) < _weight(p, ffd):
        return Solution(False, proof, ffd, optimal=False)
    return Solution(False, proof, best, optimal=status == 0)


def _weight(p: Problem, assignment: np.ndarray) -> float:
    return float(p.weight[assignment >= 0].sum())
