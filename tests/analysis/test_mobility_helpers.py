"""The array helpers of the mobility rules give what the plain pandas/numpy spelling gives (they exist for speed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hatoolkit.analysis.mobility_capacity import _contains, _ranks
from hatoolkit.analysis.mobility_data import arrow_at, in_set, join_texts, map_distinct, text_series


@pytest.mark.parametrize("values", [{"A", "C"}, set(), {"A", np.nan}, {"B", None}, {"Z"}])
def test_in_set_is_isin(values: set[object]) -> None:
    names = pd.Index(["A", "B", None, "C", "A"], dtype="str")
    assert in_set(names, values).tolist() == names.isin(values).tolist()


def test_map_distinct_is_map() -> None:
    values = pd.Series([("a/1", "b/0"), None, np.nan, ("a/1", "b/0"), ("c/0",), ()], dtype=object, name="slots")

    def first(t: object) -> object:
        return None if not isinstance(t, tuple) else ",".join(e.split("/")[0] for e in t)

    for fn in (first, lambda t: bool(t) if isinstance(t, tuple) else False):
        pd.testing.assert_series_equal(map_distinct(values, fn)[0], values.map(fn))
    unhashable = pd.Series([["x"], ["x"], None], dtype=object)
    pd.testing.assert_series_equal(map_distinct(unhashable, str)[0], unhashable.map(str))


def test_ranks_is_unique() -> None:
    codes = np.array([5, 2, 5, 9, 2, 2, 7])
    inverse, first = _ranks(codes)
    u_inverse = np.unique(codes, return_inverse=True)[1].ravel()
    assert inverse.tolist() == u_inverse.tolist()
    assert first.tolist() == np.unique(u_inverse, return_index=True)[1].tolist()


def test_contains_per_distinct_text() -> None:
    texts = np.array(["processors", "pool P1", "memory,pool P2", "processors", None], dtype=object)
    assert _contains(texts, "pool").tolist() == [False, True, True, False, False]


def test_arrow_texts_join_like_pandas_plus() -> None:
    like = pd.DataFrame(index=[10, 11, 12])
    per_group = pd.Series(["a", None, "c"], dtype="str")
    at = np.array([0, 1, -1])
    joined = text_series(join_texts(arrow_at(per_group, at), arrow_at(pd.Series(["x", "y", "z"]), np.array([2, 0, 1]))),
                         like)
    expected = pd.Series(["az", None, None], index=like.index, dtype="str")  # NA anywhere gives NA, as `+`
    pd.testing.assert_series_equal(joined, expected)
