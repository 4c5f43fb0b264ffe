"""Relative per-core performance: the published table, the fallbacks and the plan's overrides."""

from __future__ import annotations

import pytest

from hatoolkit.analysis.rperf import (
    GENERATION_RPERF,
    RPERF_TABLE,
    CoreRating,
    core_rating,
    generation_of,
    scale,
)


def test_table_picks_the_configuration_by_installed_cores():
    # S924 with 24 installed cores is the 2x12-core 2.75 GHz feature: 583.1 / 24 = 24.30 per core;
    # with 16 cores the 3.3 GHz feature: 427.8 / 16 = 26.74.
    assert core_rating("X", "9009-42A", 24).per_core == 24.3
    assert core_rating("X", "9009-42A", 16.0).per_core == 26.74
    assert core_rating("X", "9009-42A", 24).basis == "table:9009-42A/24c"
    # 20 installed cores on an S1022 (offered with 12, 24, 32, 40): nearest is 24 -> 699.2 / 24.
    assert core_rating("X", "9105-22A", 20).per_core == 29.13
    # Unknown core count: the model's largest configuration.
    assert core_rating("X", "9105-42A", None).basis == "table:9105-42A/48c"


def test_fallbacks_and_overrides():
    gen = core_rating("X", "9999-ZZZ", 8, ("default", "POWER8", "POWER9_base", "POWER9"))
    assert gen.basis == "generation:POWER9" and gen.per_core == GENERATION_RPERF["POWER9"]
    assert core_rating("X", None, None, None) == CoreRating(None, "unknown")
    assert core_rating("DR-1", "9009-42A", 24, overrides={"DR-1": 30.0}).basis == "plan:DR-1"
    assert core_rating("DR-1", "9009-42A", 24, overrides={"9009-42A": 20.0}).per_core == 20.0


def test_generations_are_ordered_as_published():
    # Per-core rPerf grows with each generation (medians of the table).
    order = [GENERATION_RPERF[g] for g in ("POWER7", "POWER8", "POWER9", "POWER10", "POWER11")]
    assert order == sorted(order)
    assert all(gen in GENERATION_RPERF for _n, gen, _c in RPERF_TABLE.values())
    assert generation_of("9105-42A", None) == "POWER10"
    assert generation_of(None, ("default", "POWER6", "POWER7")) == "POWER7"


def test_scale_is_a_ratio_and_one_when_unknown():
    p10, p9 = CoreRating(31.67, "a"), CoreRating(24.3, "b")
    assert scale(p10, p9) == pytest.approx(1.3033)
    assert scale(p9, p10) == pytest.approx(0.7673)
    assert scale(p10, CoreRating(None, "unknown")) == 1.0
