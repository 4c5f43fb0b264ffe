"""Synthetic lslparutil history: the counters written are read back as the loads that made them, in every style."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hatoolkit import load_inventory
from hatoolkit.synth import sample_estate, write_estate
from hatoolkit.synth.estate import Estate
from hatoolkit.synth.hmc_writer import Quirks
from hatoolkit.synth.usage import lpar_usage


@pytest.fixture(scope="module")
def prd2():
    return sample_estate().system("PRD-2")


def _load(prd2, tmp: Path, style: str) -> pd.DataFrame:
    write_estate(Estate([prd2], plan_yaml="timezone: Europe/Warsaw\n"), tmp, {"PRD-2": (style, Quirks(), None)})
    inv = load_inventory(tmp)
    assert not inv.gaps["code"].isin(("usage_gap", "bad_value", "unparseable", "local_time")).any()
    return inv.utilization


def test_every_style_reads_back_the_synthetic_truth(prd2, tmp_path: Path):
    frames = {style: _load(prd2, tmp_path / style, style) for style in ("files", "transcript", "bare")}
    key = ["system", "lpar_id", "sampled_at"]
    ref = frames["files"].drop(columns="source").sort_values(key).reset_index(drop=True)
    for style in ("transcript", "bare"):  # -F delimited and attr=value records alike
        other = frames[style].drop(columns="source").sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(ref, other, obj=style)
    cap = prd2.usage
    for name in ("CRM-DB", "HR-PAY", "MONITOR"):
        lp = prd2.lpar(name)
        utc, used = lpar_usage(prd2, lp, cap)
        got = ref[ref["partition"] == name].set_index("sampled_at")["proc_units_used"].astype(float)
        # The first sample has no interval; every other one is the hour's consumption, to 4 decimals.
        assert list(got.index) == list(utc[1:].as_unit("us"))
        np.testing.assert_allclose(got.to_numpy(), np.round(used[1:], 4), atol=1e-4)
    hr_pay = ref[ref["partition"] == "HR-PAY"]
    assert hr_pay["sampled_at"].min() == pd.Timestamp("2026-11-13 09:00", tz="UTC")  # activated 13 Nov 09:00 CET
    assert set(ref["time_zone"]) == {"Europe/Warsaw"}  # the bundle's plan.yaml


def test_without_a_stated_zone_times_are_read_as_utc_and_said(prd2, tmp_path: Path):
    write_estate(Estate([prd2]), tmp_path, {"PRD-2": ("files", Quirks(), None)})
    inv = load_inventory(tmp_path)
    assert set(inv.utilization["time_zone"]) == {"UTC"}
    zone = inv.gaps[(inv.gaps["code"] == "time_zone") & inv.gaps["message"].str.startswith("lslparutil")]
    assert len(zone) == 1 and "read as UTC" in zone["message"].iat[0] and zone["system"].iat[0] == "PRD-2"


def test_collection_off_writes_only_the_config(tmp_path: Path):
    ibmi = sample_estate().system("IBMI-7")
    write_estate(Estate([ibmi]), tmp_path, {"IBMI-7": ("bare", Quirks(), None)})
    written = sorted(p.name for p in tmp_path.rglob("*lparutil*"))
    assert written == ["IBMI-7_lparutil_config.txt"]
    inv = load_inventory(tmp_path)
    assert inv.utilization.empty and (inv.gaps["code"] == "usage_collection_off").sum() == 1
