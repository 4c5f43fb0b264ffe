"""The saved run state: it round-trips (Plan holds read-only mappings) and is read once per process."""

from __future__ import annotations

from types import MappingProxyType

from hatoolkit.report.run import compute_run, open_run, save_run
from tests.conftest import SAMPLE


def test_save_and_open_round_trip(tmp_path):
    run = compute_run(SAMPLE, as_of="2026-11-20T00:00:00")
    assert isinstance(run.plan.classes, MappingProxyType)
    save_run(run, tmp_path)
    again = open_run(tmp_path)
    assert again.plan.classes["transactional"].rpo == run.plan.classes["transactional"].rpo
    assert isinstance(again.plan.classes, MappingProxyType)
    assert again.plan.as_of == run.plan.as_of and len(again.findings) == len(run.findings)
    assert open_run(tmp_path) is again, "a saved state is read once per process"


def test_families_limit_the_checks():
    run = compute_run(SAMPLE, families=["capacity"])
    assert run.extras["areas"] == ("capacity",)
    other = run.coverage[run.coverage["family"] != "capacity"]
    assert set(run.coverage["family"]) == {"capacity", "inputs"}  # the sample has waivers.yaml:
    assert set(other["check_id"]) == {"HA010", "HA011"}  # lapsed and stale waivers are always said
