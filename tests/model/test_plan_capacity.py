"""The plan keys failover capacity reads: valid ones parse, mistakes name the key and the line."""

from __future__ import annotations

import pytest

from hatoolkit.errors import PlanError
from hatoolkit.model.plan import load_plan, plan_from_text

GOOD = """\
failover:
  pairs:
    - production: PRD-1
      backup: DR-1
    - PRD-2 -> DR-1
  pools:
    - name: site
      systems: [PRD-1, PRD-2]
scope:
  exclude: ["*/SCRATCH"]
  inactive: true
preemptible: ["DR-1/DEV-*"]
sizing: desired
allow_cod: true
rperf:
  DR-1: 24.3
  9105-42A: 31.67
"""


def test_capacity_keys_parse():
    plan = plan_from_text(GOOD)
    assert [(p.production, p.backup) for p in plan.pairs] == [("PRD-1", "DR-1"), ("PRD-2", "DR-1")]
    assert plan.pools[0].systems == ("PRD-1", "PRD-2")
    assert plan.scope_inactive is True and plan.sizing == "desired" and plan.allow_cod is True
    assert dict(plan.rperf) == {"DR-1": 24.3, "9105-42A": 31.67}
    assert plan.is_preemptible("DR-1", "DEV-ERP") and not plan.is_preemptible("PRD-1", "DEV-ERP")
    assert not plan.in_scope("PRD-1", "SCRATCH")


def test_defaults_without_a_plan():
    plan = load_plan(None)
    assert (plan.pairs, plan.pools, plan.sizing, plan.allow_cod, plan.scope_inactive) == ((), (), "current", False,
                                                                                           False)


@pytest.mark.parametrize(("text", "key", "line"), [
    ("sizing: biggest\n", "sizing", 1),
    ("allow_cod: yes please\n", "allow_cod", 1),
    ("rperf:\n  DR-1: -3\n", "rperf.DR-1", 2),
    ("rperf:\n  DR-1: fast\n", "rperf.DR-1", 2),
    ("scope:\n  inactive: sometimes\n", "scope.inactive", 2),
    ("scope:\n  everything: true\n", "scope.everything", 2),
    ("failover:\n  pairs:\n    - production: PRD-1\n", "failover.pairs[0]", 3),
    ("failover:\n  pairs:\n    - PRD-1 -> PRD-1\n", "failover.pairs[0]", 3),
    ("failover:\n  pools:\n    - name: p\n      systems: [A]\n", "failover.pools[0].systems", 4),
    ("failover:\n  pools:\n    - name: p\n      systems: [A, B, A]\n", "failover.pools[0].systems", 4),
    ("failover:\n  spares: [A]\n", "failover.spares", 2),
])
def test_mistakes_name_key_and_line(text, key, line, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_plan(path)
    assert err.value.line == line
    assert key in err.value.message
    assert str(err.value).startswith(f"{path}:{line}: ")
