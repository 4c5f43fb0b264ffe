"""The bin-packing engine: first-fit decreasing, then an exact MILP; "does not fit" must be a proof."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from hatoolkit.analysis.placement import UNBOUNDED, Problem, first_fit_decreasing, solve


def problem(sizes, caps, mem=None, mem_caps=None, pools=None, pool_caps=(), weight=None):
    n, m = len(sizes), len(caps)
    proc = np.array([[s * 100] * m for s in sizes], dtype=np.int64).reshape(n, m)
    memory = np.array([[x] * m for x in (mem or [0] * n)], dtype=np.int64).reshape(n, m)
    pool = np.array(pools if pools is not None else [[-1] * m] * n, dtype=np.int64).reshape(n, m)
    return Problem(proc, memory, pool,
                   np.array([c * 100 for c in caps], dtype=np.int64),
                   np.array(mem_caps or [UNBOUNDED] * m, dtype=np.int64),
                   np.array([c * 100 for c in pool_caps], dtype=np.int64),
                   np.array(weight or [1.0] * n))


def check_assignment(p: Problem, assignment: np.ndarray) -> None:
    """A returned placement must respect every capacity (a witness, not a claim)."""
    for t in range(p.shape[1]):
        mine = assignment == t
        assert p.proc[mine, t].sum() <= p.proc_cap[t]
        assert p.mem[mine, t].sum() <= p.mem_cap[t]
    for k, c in enumerate(p.pool_cap):
        used = sum(p.proc[i, t] for i, t in enumerate(assignment) if t >= 0 and p.pool[i, t] == k)
        assert used <= c


def brute_force_fits(sizes, caps) -> bool:
    for combo in itertools.product(range(len(caps)), repeat=len(sizes)):
        load = [0.0] * len(caps)
        for s, t in zip(sizes, combo, strict=True):
            load[t] += s
        if all(load[t] <= caps[t] + 1e-9 for t in range(len(caps))):
            return True
    return False


def test_first_fit_decreasing_fails_where_a_placement_exists_and_the_milp_finds_it():
    # Two systems with 12 free units; partitions 5,5,4,4,3,3 (sum 24). FFD puts 5+5 on the first
    # (2 left), 4+4+3 on the second (1 left) and has no room for the last 3. But 5+4+3 | 5+4+3 fits.
    p = problem([5, 5, 4, 4, 3, 3], [12, 12])
    assert (first_fit_decreasing(p) == -1).any()
    sol = solve(p)
    assert sol.fits and sol.method == "milp"
    assert (sol.assignment >= 0).all()
    check_assignment(p, sol.assignment)


def test_sum_fits_but_no_placement_does():
    # Two systems with 10 free units (20 in total); three partitions of 6 (18 in total). Each
    # system holds one 6 only: the MILP proves it, and the best partial placement keeps two.
    p = problem([6, 6, 6], [10, 10])
    sol = solve(p)
    assert not sol.fits and sol.method == "milp"
    assert (sol.assignment >= 0).sum() == 2 and sol.optimal
    check_assignment(p, sol.assignment)


def test_proof_by_sum_and_by_oversize():
    sol = solve(problem([6, 6], [5, 5]))
    assert not sol.fits and sol.method == "sum:processors"
    sol = solve(problem([1, 8], [7, 7]))
    assert not sol.fits and sol.method == "oversize"
    assert list(sol.assignment) == [0, -1]


def test_memory_and_processors_must_fit_on_the_same_system():
    # A: 4 units/10 GB, B: 1 unit/40 GB. S1: 5 units/20 GB, S2: 1 unit/45 GB. A must go to S1 and B to S2.
    p = problem([4, 1], [5, 1], mem=[10, 40], mem_caps=[20, 45])
    sol = solve(p)
    assert sol.fits and list(sol.assignment) == [0, 1]
    # With S2 at 39 GB, B fits nowhere although memory (59 GB) and processors (6) sum up fine.
    sol = solve(problem([4, 1], [5, 1], mem=[10, 40], mem_caps=[20, 39]))
    assert not sol.fits


def test_pool_caps_limit_partitions_entering_the_pool():
    # One system with 10 free units, but both partitions enter a pool capped at 5: 3 + 3 > 5.
    p = problem([3, 3], [10], pools=[[0], [0]], pool_caps=(5,))
    assert not solve(p).fits
    assert solve(problem([3, 3], [10], pools=[[0], [-1]], pool_caps=(5,))).fits


def test_best_partial_placement_keeps_critical_partitions():
    # Room for 6 units: either the critical 6 or the 3 + 3. The weight keeps the critical one.
    p = problem([6, 3, 3], [6], weight=[100.0, 1.0, 1.0])
    sol = solve(p)
    assert not sol.fits and list(sol.assignment) == [0, -1, -1]


def test_empty_and_no_destination():
    assert solve(problem([], [5])).fits
    sol = solve(problem([1], []))
    assert not sol.fits and list(sol.assignment) == [-1]


@pytest.mark.parametrize("seed", range(60))
def test_agrees_with_brute_force(seed):
    rng = np.random.default_rng(seed)
    sizes = [int(x) for x in rng.integers(1, 9, size=int(rng.integers(2, 7)))]
    # Capacities from a small set, so identical (interchangeable) systems are common: symmetry breaking
    # must not lose a placement.
    caps = [int(x) for x in rng.choice([5, 8, 8, 11], size=int(rng.integers(1, 5)))]
    p = problem(sizes, caps)
    sol = solve(p)
    assert sol.fits == brute_force_fits(sizes, caps)
    check_assignment(p, sol.assignment)


def reference_first_fit(p: Problem, order: np.ndarray) -> np.ndarray:
    """First fit as plainly as it can be written: every bin, in order, for every item."""
    load_p, load_m = np.zeros(p.shape[1], dtype=np.int64), np.zeros(p.shape[1], dtype=np.int64)
    load_g = np.zeros(p.pool_cap.size, dtype=np.int64)
    out = np.full(p.shape[0], -1, dtype=np.int64)
    for i in order:
        for t in range(p.shape[1]):
            g = p.pool[i, t]
            if (p.proc[i, t] < UNBOUNDED and p.mem[i, t] < UNBOUNDED and load_p[t] + p.proc[i, t] <= p.proc_cap[t]
                    and load_m[t] + p.mem[i, t] <= p.mem_cap[t]
                    and (g < 0 or load_g[g] + p.proc[i, t] <= p.pool_cap[g])):
                out[i] = t
                load_p[t] += p.proc[i, t]
                load_m[t] += p.mem[i, t]
                if g >= 0:
                    load_g[g] += p.proc[i, t]
                break
    return out


@pytest.mark.parametrize("seed", range(40))
def test_first_fit_scanning_bins_by_blocks_chooses_the_same_bins(seed):
    # Hundreds of bins, some nearly full, some capped pools: the block-wise scan must pick the bin a
    # plain scan of every bin picks, item after item.
    rng = np.random.default_rng(seed)
    n, m, k = int(rng.integers(1, 30)), int(rng.integers(1, 400)), int(rng.integers(0, 4))
    proc = rng.integers(1, 400, (n, m)).astype(np.int64)
    mem = rng.integers(1, 4000, (n, m)).astype(np.int64)
    proc[rng.random((n, m)) < 0.02] = UNBOUNDED
    pool = np.where(rng.random((n, m)) < 0.3, rng.integers(0, max(k, 1), (n, m)), -1) if k else np.full((n, m), -1)
    p = Problem(proc, mem, pool.astype(np.int64), rng.integers(0, 900, m).astype(np.int64),
                rng.integers(0, 9000, m).astype(np.int64), rng.integers(100, 1500, k).astype(np.int64), np.ones(n))
    order = rng.permutation(n)
    assert (first_fit_decreasing(p, order) == reference_first_fit(p, order)).all()
    got = solve(p)
    if got.fits:
        check_assignment(p, got.assignment)
