"""The merged mobility findings (checks.mobility._merge_destinations): destination lists and message phrasing."""

from __future__ import annotations

import pandas as pd
import pytest

from hatoolkit.checks.mobility import _listing, _mention, _merge_destinations, _replace_first


@pytest.mark.parametrize(("message", "name"), [
    ("not enough memory on DR-1: it has 3 units", "DR-1"),
    ("DR-10 has room, DR-1 has not", "DR-1"),            # first occurrence inside a longer name
    ("XDR-1 and DR-1_old and DR-1", "DR-1"),             # word characters and `_` on either side
    ("DR-1-a then DR-1", "DR-1"),                        # `-` counts as part of a name
    ("no mention here", "DR-1"),
    ("DR-1", "DR-1"),
    ("ÄDR-1 then DR-1é then DR-1.", "DR-1"),             # non-ASCII word characters
    ("name (DR-1) in brackets", "DR-1"),
])
def test_replace_first_is_the_whole_word_regex(message: str, name: str) -> None:
    expected = _mention(name).sub(lambda _: "<X>", message, count=1)
    assert _replace_first(message, name, "<X>") == expected


def test_listing_names_up_to_three_others_then_counts() -> None:
    assert _listing("B", ["A", "B", "C"]) == "B (and A, C)"
    assert _listing("B", ["A", "B", "C", "D"]) == "B (and A, C, D)"
    assert _listing("B", ["A", "B", "C", "D", "E"]) == "B (and 4 other destinations)"
    assert _listing("Z", ["A", "B", "C", "D"]) == "Z (and 4 other destinations)"  # not among them


def test_merge_lists_sorted_destinations_once_per_shortfall() -> None:
    rows = pd.DataFrame({
        "system": ["S1", "S1", "S1", "S1", "S2"], "partition": ["p1", "p1", "p1", "p2", "q"],
        "resource": ["memory"] * 5, "status": ["fail"] * 5,
        "evidence": ["e1", "e1", "e1", "e2", "e1"],
        "destination": ["DR-2", "DR-1", "DR-2", "DR-1", "DR-1"],
        "message": ["short on DR-2 now", "short on DR-1 now", "short on DR-2 now", "short on DR-1", "on DR-1"],
    }, dtype="str")
    out = _merge_destinations(rows)
    assert out["destination"].tolist() == ["DR-1", "DR-1", "DR-1;DR-2"]
    assert out["message"].tolist() == ["short on DR-1", "on DR-1", "short on DR-2 (and DR-1) now"]
