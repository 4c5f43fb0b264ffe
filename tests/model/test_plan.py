"""plan.yaml: defaults, a full plan, and errors that name the key and the line."""

from __future__ import annotations

import pandas as pd
import pytest

from hatoolkit.errors import PlanError
from hatoolkit.model.plan import Plan, load_plan, matches, plan_from_text

FULL = """\
as_of: 2026-03-29T02:30:00
timezone: Europe/Warsaw
failover:
  pairs:
    - production: PRD-1
      backup: DR-1
    - PRD-2 -> DR-1
  pools:
    - name: site-a
      systems: [PRD-1, PRD-2]
scope:
  exclude: ["*/NIM*"]
preemptible: ["DR-1/DEV-*"]
sizing: desired
allow_cod: true
rperf: {9009-42A: 1.0}
workloads:
  classes:
    fast: {rpo: 4h, change: high}
    slow: {rpo: 7d}
  assign:
    "*/ERP-*": fast
  default: slow
checks:
  HA301: {grace: 1}
"""


def test_defaults_when_no_plan():
    plan = Plan()
    assert plan.pairs == () and plan.pools == () and plan.sizing == "current" and plan.allow_cod is False
    assert plan.in_scope("S", "anything") and not plan.is_preemptible("S", "x")
    assert load_plan(None).sizing == "current"


def test_full_plan():
    plan = plan_from_text(FULL.replace("2026-03-29T02:30:00", "2026-03-29T03:30:00"))
    assert plan.as_of == pd.Timestamp("2026-03-29T01:30:00Z")  # CEST, after the jump
    assert [(p.production, p.backup) for p in plan.pairs] == [("PRD-1", "DR-1"), ("PRD-2", "DR-1")]
    assert plan.pools[0].systems == ("PRD-1", "PRD-2")
    assert not plan.in_scope("PRD-1", "NIM1") and plan.in_scope("PRD-1", "ERP-DB")
    assert plan.is_preemptible("DR-1", "DEV-ERP") and not plan.is_preemptible("PRD-1", "DEV-ERP")
    assert plan.workload_class("PRD-1", "ERP-DB").rpo == pd.Timedelta(hours=4)
    assert plan.workload_class("PRD-1", "WEB1").name == "slow"
    assert plan.params("HA301") == {"grace": 1} and plan.rperf["9009-42A"] == 1.0
    assert plan.line_of("failover.pairs[1]") == 7


def test_local_as_of_in_a_dst_gap_is_an_error():
    # 02:30 on 2026-03-29 does not exist in Warsaw (clocks jump 02:00 -> 03:00).
    with pytest.raises(PlanError) as err:
        plan_from_text(FULL)  # as written above
    assert err.value.line == 1 and "as_of" in str(err.value)


def test_local_as_of_is_localised_in_the_plan_zone():
    plan = plan_from_text(FULL.replace("2026-03-29T02:30:00", "2026-11-25T06:00:00"))
    assert plan.as_of == pd.Timestamp("2026-11-25T05:00:00Z")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("sizing: biggest\n", 1, "sizing"),
        ("failover:\n  pairs:\n    - production: A\n      backup: A\n", 3, "own backup"),
        ("failover:\n  pairs:\n    - production: A\n", 3, "backup"),
        ("failover:\n  pools:\n    - systems: [A]\n", 3, "at least two"),
        ("workloads:\n  classes:\n    x: {rpo: soon}\n", 3, "duration"),
        ("workloads:\n  assign:\n    '*': nope\n", 3, "unknown workload class"),
        ("colour: red\n", 1, "unknown key"),
        ("allow_cod: yes please\n", 1, "true or false"),
        ("timezone: Mars/Olympus\n", 1, "time zone"),
        ("checks:\n  HA3: {}\n", 2, "check ID"),
        ("a: [1, 2\n", 2, "YAML"),
        ("sizing: current\nsizing: desired\n", 2, "twice"),
    ],
)
def test_bad_plan_is_one_error_with_key_and_line(text, line, fragment):
    with pytest.raises(PlanError) as err:
        plan_from_text(text, "plan.yaml")
    assert err.value.file == "plan.yaml" and err.value.line == line
    assert fragment in str(err.value)
    assert str(err.value).startswith(f"plan.yaml:{line}: ")


def test_patterns():
    assert matches(("DR-1/DEV-*",), "DR-1", "DEV-ERP") and not matches(("DR-1/DEV-*",), "PRD-1", "DEV-ERP")
    assert matches(("TEST*",), "ANY", "TEST-1")
