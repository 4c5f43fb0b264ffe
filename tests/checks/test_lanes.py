"""Checks in lanes: the same findings whichever core evaluates what, and a dead child costs nothing."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from hatoolkit.checks import REGISTRY, run_checks
from hatoolkit.checks.lanes import FORK_SAFE, cores, run_lanes
from hatoolkit.model.plan import bundle_plan
from tests.conftest import SAMPLE

needs_two = pytest.mark.skipif(not FORK_SAFE or cores() < 2, reason="one core, or not Linux: lanes run here")


def test_topology_checks_declare_their_lane():
    assert {s.id for s in REGISTRY.values() if s.lane == "topology"} == {"HA501", "HA601"}


def test_parallel_run_gives_the_serial_findings_and_coverage(sample_inventory):
    plan = bundle_plan(SAMPLE)
    serial = run_checks(sample_inventory, plan)
    parallel = run_checks(sample_inventory, plan, parallel=True)
    pd.testing.assert_frame_equal(parallel[0], serial[0])
    pd.testing.assert_frame_equal(parallel[1], serial[1])
    assert (serial[0]["check_id"] == "HA501").any() and (serial[0]["check_id"] == "HA601").any()


@needs_two
def test_later_lanes_run_in_a_child_and_come_back_in_order():
    parent = os.getpid()
    out = run_lanes([[1, 2], [3], [], [4, 5]], lambda lane: [(x, os.getpid() != parent, {}) for x in lane],
                    parallel=True)
    assert [x for x, _, _ in out] == [1, 2, 3, 4, 5]
    assert [child for _, child, _ in out] == [False, False, True, True, True]


def test_without_parallel_everything_runs_here():
    parent = os.getpid()
    out = run_lanes([[1], [2]], lambda lane: [(x, os.getpid() != parent, {}) for x in lane], parallel=False)
    assert out == [(1, False, {}), (2, False, {})]


@needs_two
def test_a_child_that_dies_is_replaced_by_evaluating_its_lane_here():
    parent = os.getpid()

    def evaluate(lane):
        if os.getpid() != parent:
            os._exit(9)  # killed for memory, a crash in native code
        return [(x, False, {"n": x}) for x in lane]

    assert run_lanes([[1], [2, 3]], evaluate, parallel=True) == [(1, False, {"n": 1}), (2, False, {"n": 2}),
                                                               (3, False, {"n": 3})]


@needs_two
def test_an_exception_in_the_child_lane_also_falls_back():
    parent = os.getpid()

    def evaluate(lane):
        if os.getpid() != parent:
            raise MemoryError("child")
        return [(x, False, {}) for x in lane]

    assert [x for x, _, _ in run_lanes([[1], [2]], evaluate, parallel=True)] == [1, 2]


def test_findings_cli_jobs_1_equals_default(capsys):
    from hatoolkit.cli import main

    assert main(["findings", str(SAMPLE), "--format", "csv", "--jobs", "1"]) == 0
    one = capsys.readouterr().out
    assert main(["findings", str(SAMPLE), "--format", "csv"]) == 0
    assert capsys.readouterr().out == one and one.count("\n") > 100


def test_findings_cli_refuses_jobs_below_one(capsys):
    from hatoolkit.cli import main

    assert main(["findings", str(SAMPLE), "--jobs", "0"]) == 2
    out, err = capsys.readouterr()
    assert not out and err.count("\n") == 1 and "--jobs must be at least 1" in err
