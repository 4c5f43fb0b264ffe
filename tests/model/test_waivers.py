"""waivers.yaml: parsing, validation errors naming file and line, matching, expiry in the plan's zone."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from hatoolkit.errors import PlanError
from hatoolkit.model.waivers import (
    bundle_waivers,
    load_waivers,
    waiver_columns,
    waiver_text,
    waivers_from_text,
)
from tests.conftest import SAMPLE

GOOD = """\
# a comment line
waivers:
  - check: ha203
    resource: PRD-1/NIM
    owner: j.kowalski
    reason: >-
      NIM is rebuilt
      on DR-1
    expires: 2027-03-31
  - check: HA219
    resource: PRD-*/ERP-APP?
    destination: DR-1
    owner: a.nowak
    reason: accepted
    expires: "2026-12-01"
"""


def test_a_valid_file_gives_waivers_with_their_lines():
    a, b = waivers_from_text(GOOD, "bundle/waivers.yaml")
    assert (a.check, a.resource, a.owner, a.reason, a.expires) == (
        "HA203", "PRD-1/NIM", "j.kowalski", "NIM is rebuilt on DR-1", dt.date(2027, 3, 31))
    assert a.line == 3 and a.source == "waivers.yaml:3" and a.destination is None
    assert b.line == 10 and b.destination == "DR-1" and b.expires == dt.date(2026, 12, 1)
    assert b.label == "HA219 PRD-*/ERP-APP? -> DR-1" and a.system == "PRD-1" and b.system is None


def test_an_empty_file_has_no_waivers():
    assert waivers_from_text("") == () and waivers_from_text("waivers: []\n") == ()


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("waiver:\n  - check: HA203\n", 1, "unknown key (allowed: waivers)"),
        ("waivers:\n  check: HA203\n", 1, "expected a list of waivers"),
        ("waivers:\n  - HA203\n", 2, "expected a mapping"),
        ("waivers:\n  - check: HA203\n    resource: PRD-1\n    owner: x\n    expires: 2027-01-01\n", 2,
         "'reason' is required"),
        ("waivers:\n  - check: HA203\n    resource: PRD-1\n    owner: ''\n    reason: r\n    expires: 2027-01-01\n",
         4, "'owner' is required"),
        ("waivers:\n  - check: HA203\n    resource: PRD-1\n    owner: x\n    reason: '  '\n    expires: 2027-01-01\n",
         5, "'reason' is required"),
        ("waivers:\n  - check: HA203\n    resource: PRD-1\n    owner: x\n    reason: r\n    expires: 2027-01-01\n"
         "    ownr: y\n", 7, "unknown key"),
        ("waivers:\n  - check: HA20\n    resource: PRD-1\n    owner: x\n    reason: r\n    expires: 2027-01-01\n",
         2, "'HA20' is not a check ID"),
        ("waivers:\n  - check: HA010\n    resource: PRD-1\n    owner: x\n    reason: r\n    expires: 2027-01-01\n",
         2, "cannot be waived"),
        ("waivers:\n  - check: HA203\n    resource: PRD-1\n    owner: x\n    reason: r\n    expires: next spring\n",
         6, "is not a date"),
        ("waivers:\n  - check: HA203\n    resource: PRD-1\n    owner: x\n    reason: r\n    expires: 2027-02-30\n",
         6, "'2027-02-30' is not valid"),
        ("waivers:\n  - check: HA203\n    resource: PRD-1\n    owner: x\n    reason: r\n"
         "    expires: 2027-01-01T10:00:00\n", 6, "give a date"),
        ("waivers:\n  - check: HA203\n    resource: /NIM\n    owner: x\n    reason: r\n    expires: 2027-01-01\n",
         3, "SYSTEM[/PARTITION"),
        ("waivers:\n  - check: HA203\n    resource: [a, b]\n    owner: x\n    reason: r\n    expires: 2027-01-01\n",
         3, "expected text"),
        ("waivers:\n  - check: HA203\n    resource: PRD-1\n    owner: x\n    reason: r\n    expires: 2027-01-01\n"
         "  - check: HA203\n    resource: PRD-1\n    owner: y\n    reason: s\n    expires: 2027-06-01\n", 7,
         "same check, resource and destination as the waiver on line 2"),
        ("waivers:\n  - check: HA203\n    resource: PRD-1\n   owner: x\n", 4, ""),  # YAML syntax error
    ],
)
def test_bad_waivers_name_file_and_line(tmp_path, text, line, fragment):
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_waivers(path)
    assert err.value.file == str(path)
    assert err.value.line == line, str(err.value)
    assert fragment in str(err.value)
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_bundle_waivers_reads_the_bundle_root_or_gives_none(tmp_path):
    assert [w.check for w in bundle_waivers(SAMPLE)] == ["HA203", "HA207", "HA208"]
    assert bundle_waivers(tmp_path) == ()
    (tmp_path / "waivers.yml").write_text(GOOD, encoding="utf-8")
    assert len(bundle_waivers(tmp_path)) == 2


def _findings(**cols) -> pd.DataFrame:
    base = {"check_id": "HA203", "system": "PRD-1", "partition": "NIM", "resource": "21010203",
            "destination": None, "evidence": "slot=21010203"}
    rows = [dict(base, **{k: v[i] for k, v in cols.items()}) for i in range(len(next(iter(cols.values()))))]
    return pd.DataFrame(rows).astype("str")


def test_resource_path_and_globs_match_system_partition_resource_and_destination():
    f = _findings(check_id=["HA203", "HA203", "HA203", "HA204", "HA219", "HA219"],
                  partition=["NIM", "NIM2", "WEB1", "NIM", "ERP-APP1", "ERP-APP1"],
                  destination=[None, None, None, None, "DR-1", "DR-2"])
    text = ("waivers:\n"
            "  - {check: HA203, resource: PRD-1/NIM, owner: o, reason: r, expires: 2027-01-01}\n"
            "  - {check: HA203, resource: PRD-1, owner: o, reason: r, expires: 2027-01-01}\n"
            "  - {check: HA203, resource: 'PRD-?/NIM*', owner: o, reason: r, expires: 2027-01-01}\n"
            "  - {check: HA219, resource: '*/ERP-*', destination: DR-1, owner: o, reason: r, expires: 2027-01-01}\n"
            "  - {check: HA203, resource: PRD-1/NIM/2101*, owner: o, reason: r, expires: 2027-01-01}\n"
            "  - {check: HA203, resource: PRD-1/NIM/9999, owner: o, reason: r, expires: 2027-01-01}\n")
    exact, system, glob, dest, res, other = waivers_from_text(text)
    assert exact.matches(f).tolist() == [True, False, False, False, False, False]  # not NIM2: no prefix match
    assert system.matches(f).tolist() == [True, True, True, False, False, False]
    assert glob.matches(f).tolist() == [True, True, False, False, False, False]
    assert dest.matches(f).tolist() == [False, False, False, False, True, False]
    assert res.matches(f).tolist() == [True, False, False, False, False, False]
    assert not other.matches(f).any()
    assert not exact.matches(f.iloc[:0]).any()


def test_expiry_is_the_end_of_the_day_in_the_plan_zone():
    (w,) = waivers_from_text("waivers:\n  - {check: HA203, resource: X, owner: o, reason: r, expires: 2026-11-25}\n")
    # 23:30 UTC on the 25th is already the 26th in Warsaw; 22:30 UTC is still the 25th there.
    assert not w.expired(pd.Timestamp("2026-11-25T22:30Z"), "Europe/Warsaw")
    assert w.expired(pd.Timestamp("2026-11-25T23:30Z"), "Europe/Warsaw")
    assert not w.expired(pd.Timestamp("2026-11-25T23:30Z"), "UTC")


def test_waiver_marks_are_read_back_from_evidence():
    f = _findings(evidence=['slot=1 waived_by=j.k waived_until=2027-03-31 waiver_reason="rebuilt, not moved" '
                            "waiver=waivers.yaml:3", "slot=2 waiver_expired=2026-10-31 waiver=waivers.yaml:9"],
                  partition=["NIM", "MQ"])
    cols = waiver_columns(f)
    assert cols.iloc[0].tolist() == ["j.k", "2027-03-31", "rebuilt, not moved"]
    assert cols.iloc[1].isna().all()
    assert waiver_text(f).tolist() == ["j.k until 2027-03-31: rebuilt, not moved", ""]
