"""Demand and supply in PowerVM terms, each case computed by hand in its comment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hatoolkit.analysis import capacity as cap
from hatoolkit.analysis.demand import hpt_mb, round_up
from hatoolkit.errors import PlanError
from hatoolkit.model.plan import Plan, plan_from_text
from hatoolkit.synth.estate import hpt_mb as synth_hpt_mb
from tests.analysis.builders import build, lpar, pool, profile, system


def _one(frame, name):
    return frame[frame["partition"] == name].iloc[0]


def test_shared_demands_entitlement_dedicated_whole_cores():
    # Shared: 1.5 entitled units with 6 virtual processors uncapped -> 1.5 (VPs and uncapped never count).
    # Dedicated: 3 cores -> 3 whole cores. Same model on both sides -> no scaling.
    inv = build([system("SRC"), system("TGT")], [
        lpar("SRC", 2, "SHR", units=1.5, procs=6, curr_sharing_mode="uncap", curr_uncap_weight=255),
        lpar("SRC", 3, "DED", mode="ded", units=3),
    ])
    d = cap.partition_demand(inv, Plan(), None, "TGT")
    assert _one(d, "SHR")["proc_units_target"] == 1.5
    assert _one(d, "DED")["proc_units_target"] == 3.0
    assert (d["rperf_scale"] == 1.0).all()


def test_memory_rounds_up_to_the_targets_lmb():
    # 1100 MB: LMB 256 -> 1280 (5 blocks); LMB 128 -> 1152 (9 blocks). The source's LMB does not matter.
    inv = build([system("SRC", lmb=16), system("T256", lmb=256), system("T128", lmb=128)],
                [lpar("SRC", 2, "A", mem_mb=1100, max_mem_mb=2048)])
    assert cap.partition_demand(inv, Plan(), None, "T256").iloc[0]["mem_mb_target"] == 1280
    assert cap.partition_demand(inv, Plan(), None, "T128").iloc[0]["mem_mb_target"] == 1152
    assert list(round_up(np.array([1024.0, 1025.0, np.nan]), 256)[:2]) == [1024.0, 1280.0]


@pytest.mark.parametrize(("max_mem_mb", "ratio", "expected"), [
    (65536, 128, 512),      # 64 GB AIX/Linux: 64 GB / 128 = 512 MB (IBM's example)
    (65536, 64, 1024),      # 64 GB IBM i: 1 GB
    (81920, 128, 512),      # 80 GB = 1.25 x 64 GB exactly: not above, stays at 64 GB -> 512 MB
    (81921, 128, 1024),     # just above 1.25 x 64 GB: rounds up to 128 GB -> 1 GB
    (98304, 64, 2048),      # 96 GB IBM i: 96 > 80 -> 128 GB / 64 = 2 GB
    (16, 128, 1),           # tiny: 16 MB / 128 = 128 KB, floor 256 KB, whole MB -> 1
    (65536, 32, 2048),      # a capture saying 1:32
])
def test_hpt_from_maximum_memory(max_mem_mb, ratio, expected):
    assert hpt_mb(max_mem_mb, ratio) == expected


def test_hpt_agrees_with_the_synthetic_estates_formula():
    sizes = np.array([1024, 3000, 8192, 10240, 40960, 81920, 81921, 131072, 200000, 524288])
    for ratio in (64, 128):
        ours = hpt_mb(sizes.astype(float), float(ratio))
        assert list(ours) == [synth_hpt_mb(int(s), ratio) for s in sizes]


def test_hpt_uses_maximum_memory_and_the_partitions_ratio():
    # 8 GB partition with 128 GB maximum: HPT from the maximum, 128 GB / 128 = 1 GB. IBM i default 1:64 doubles it;
    # a capture giving curr_hpt_ratio=1:256 halves the AIX one.
    inv = build([system("SRC"), system("TGT")], [
        lpar("SRC", 2, "AIX", mem_mb=8192, max_mem_mb=131072),
        lpar("SRC", 3, "IBMI", env="os400", mem_mb=8192, max_mem_mb=131072),
        lpar("SRC", 4, "AIX256", mem_mb=8192, max_mem_mb=131072, hpt=256),
    ])
    d = cap.partition_demand(inv, Plan(), None, "TGT")
    assert _one(d, "AIX")["hpt_mb"] == 1024
    assert _one(d, "AIX")["mem_demand_mb"] == 8192 + 1024
    assert _one(d, "IBMI")["hpt_mb"] == 2048
    assert _one(d, "AIX256")["hpt_mb"] == 512


def test_sizing_policies_and_not_activated_partitions():
    # Running: current 2.0/16 GB, minimum 0.5/4 GB (curr_min_*), desired = profile 3.0/24 GB.
    # Not activated: no current values; current and desired use the profile's desired, minimum its minimum.
    inv = build([system("SRC"), system("TGT")], [
        lpar("SRC", 2, "RUN", units=2.0, min_units=0.5, mem_mb=16384, min_mem_mb=4096),
        lpar("SRC", 3, "OFF", state="Not Activated"),
    ], profiles=[profile("SRC", 2, "RUN", units=3.0, mem_mb=24576, max_mem_mb=32768),
                 profile("SRC", 3, "OFF", units=1.25, min_units=0.25, mem_mb=12288, min_mem_mb=4096)])
    cur = cap.partition_demand(inv, Plan(), None, "TGT", "current")
    des = cap.partition_demand(inv, Plan(), None, "TGT", "desired")
    mini = cap.partition_demand(inv, Plan(), None, "TGT", "minimum")
    assert (_one(cur, "RUN")["proc_units_target"], _one(cur, "RUN")["mem_mb_target"]) == (2.0, 16384)
    assert (_one(des, "RUN")["proc_units_target"], _one(des, "RUN")["mem_mb_target"]) == (3.0, 24576)
    assert (_one(mini, "RUN")["proc_units_target"], _one(mini, "RUN")["mem_mb_target"]) == (0.5, 4096)
    assert (_one(cur, "OFF")["proc_units_target"], _one(cur, "OFF")["basis"]) == (1.25, "profile desired")
    assert (_one(mini, "OFF")["proc_units_target"], _one(mini, "OFF")["basis"]) == (0.25, "profile minimum")
    with pytest.raises(PlanError, match="sizing policy"):
        cap.partition_base(inv, "biggest")


def test_missing_values_stay_unknown():
    inv = build([system("SRC"), system("TGT", lmb=None)], [
        lpar("SRC", 2, "NOMEM", curr_mem_mb=None),
        lpar("SRC", 3, "OK"),
    ])
    base = cap.partition_base(inv, "current")
    row = _one(base, "NOMEM")
    assert not row["known_mem"] and row["known_proc"] and row["missing"] == "memory"
    # Without the target's memory block size no memory demand can be computed there.
    d = cap.partition_demand(inv, Plan(), None, "TGT")
    assert not d["known_mem"].any()
    assert "mem_region_size" in cap.system_supply(inv, Plan(), "TGT").missing


def test_supply_preemption_cod_and_what_never_counts():
    # TGT: 16 active of 24 installed cores, 4 free; 512 of 1024 GB active, 100 GB free.
    # DEV-1 (preemptible) frees 3.0 units and 32 GB + its HPT (64 GB max / 128 = 512 MB).
    # VIOS and the IBM i host (it serves vSCSI) match "*" as well but are never supply.
    inv = build(
        [system("TGT", cores=16, installed=24, avail=4.0, mem_gb=512, installed_mem_gb=1024, avail_mem_mb=102400)],
        [lpar("TGT", 1, "VIOS1", env="vioserver", units=1.0, mem_mb=8192),
         lpar("TGT", 2, "DEV-1", units=3.0, mem_mb=32768, max_mem_mb=65536),
         lpar("TGT", 3, "HOST", env="os400", units=1.0, mem_mb=16384)],
        vscsi=[{"system": "TGT", "lpar_id": 3, "slot_num": 10, "adapter_type": "server"}])
    plan = plan_from_text('preemptible: ["TGT/*"]\n')
    s = cap.system_supply(inv, plan, "TGT")
    assert s.preemptible == ("DEV-1",)
    assert set(s.staying) == {"VIOS1", "HOST"}
    assert (s.proc_units, s.mem_mb) == (4.0, 102400)
    s = cap.system_supply(inv, plan, "TGT", preempt=True)
    assert (s.proc_units, s.mem_mb) == (7.0, 102400 + 32768 + 512)
    s = cap.system_supply(inv, plan, "TGT", preempt=True, cod=True)
    assert (s.proc_units, s.mem_mb) == (15.0, 102400 + 32768 + 512 + 512 * 1024)
    with pytest.raises(KeyError):
        cap.system_supply(inv, plan, "NOPE")


def test_cod_not_counted_when_the_system_says_it_cannot():
    inv = build([system("TGT", cores=16, installed=24, cod_proc_capable=False)], [])
    assert cap.system_supply(inv, Plan(), "TGT", cod=True).proc_units == 8.0


def test_pool_caps_on_the_target():
    # TGT has DB (max 4.0, 0.5 reserved) with PROD-X entitled 1.0 and DEV-X (preemptible) 1.0 in it:
    # free = 4.0 - 0.5 - 1.0 - 1.0 = 1.5; with preemption 2.5. DefaultPool is never capped.
    inv = build([system("TGT")], [
        lpar("TGT", 2, "PROD-X", units=1.0, pool_id=1),
        lpar("TGT", 3, "DEV-X", units=1.0, pool_id=1),
    ], pools=[pool("TGT", 0, "DefaultPool", None), pool("TGT", 1, "DB", 4.0, 0.5)])
    plan = plan_from_text('preemptible: ["TGT/DEV-*"]\n')
    s = cap.system_supply(inv, plan, "TGT")
    db = s.pool("DB")
    assert (db.free(False), db.free(True)) == (1.5, 2.5)
    assert s.pool("NOT-THERE").name == "DefaultPool" and s.pool("NOT-THERE").free(True) is None


def test_generation_scaling_by_rperf():
    # S1024 with 32 cores: 1013.4 / 32 = 31.67 per core; S924 with 24 cores: 583.1 / 24 = 24.30.
    # Scale 31.67 / 24.30 = 1.3033: 2.0 shared units -> 2.61 (rounded up to 0.01); 4 dedicated cores -> 6.
    inv = build([system("P10", model="9105-42A", cores=24, installed=32), system("P9", model="9009-42A", cores=16,
                                                                               installed=24)],
                [lpar("P10", 2, "SHR", units=2.0), lpar("P10", 3, "DED", mode="ded", units=4)])
    d = cap.partition_demand(inv, Plan(), None, "P9")
    assert _one(d, "SHR")["rperf_scale"] == pytest.approx(1.3033)
    assert _one(d, "SHR")["proc_units_target"] == 2.61
    assert _one(d, "DED")["proc_units_target"] == 6
    assert "9105-42A" in _one(d, "SHR")["rperf_basis"] and "9009-42A" in _one(d, "SHR")["rperf_basis"]
    # The way back needs fewer cores; the plan can override the ratings.
    back = cap.partition_demand(inv, Plan(), [("P10", 2)], "P10")
    assert back.iloc[0]["rperf_scale"] == 1.0
    plan = plan_from_text("rperf: {P10: 20, 9009-42A: 10}\n")
    d = cap.partition_demand(inv, plan, [("P10", 2)], "P9")
    assert d.iloc[0]["rperf_scale"] == 2.0 and d.iloc[0]["proc_units_target"] == 4.0


def test_fits_on_one_target_names_what_is_short():
    inv = build([system("SRC"), system("TGT", avail=2.0, avail_mem_mb=20480)], [
        lpar("SRC", 2, "BIG", units=3.0, mem_mb=8192, max_mem_mb=16384, pool_id=1),
        lpar("SRC", 3, "SMALL", units=0.5, mem_mb=4096, max_mem_mb=8192),
    ], pools=[pool("SRC", 0, "DefaultPool", None), pool("SRC", 1, "DB", 8.0),
              pool("TGT", 0, "DefaultPool", None), pool("TGT", 1, "DB", 1.0)])
    small = cap.fits_on(inv, Plan(), [("SRC", 3)], "TGT")
    assert small.fits is True and small.short == ()
    big = cap.fits_on(inv, Plan(), [("SRC", 2)], "TGT")
    assert big.fits is False and big.short == ("processors", "pool DB")
    # Together: 3.5 units > 2.0; memory 8192 + 128 + 4096 + 64 = 12480 MB fits in 20 GB.
    both = cap.fits_on(inv, Plan(), [("SRC", 2), ("SRC", 3)], "TGT")
    assert both.proc_units_needed == 3.5 and both.mem_mb_needed == 12480 and "memory" not in both.short


def test_fits_on_is_unknown_without_the_targets_numbers():
    inv = build([system("SRC"), system("TGT", avail_mem_mb=None)], [lpar("SRC", 2, "A")])
    fit = cap.fits_on(inv, Plan(), [("SRC", 2)], "TGT")
    assert fit.fits is None and "curr_avail_sys_mem_mb" in fit.missing


def test_demand_across_an_unrated_system_is_not_known():
    inv = build([system("SRC", model=None), system("TGT")], [lpar("SRC", 2, "A")])
    d = cap.partition_demand(inv, Plan(), None, "TGT")
    assert not d.iloc[0]["known_proc"] and "per-core performance" in d.iloc[0]["missing"]
    assert cap.partition_demand(inv, Plan(), None, "SRC").iloc[0]["known_proc"]  # same system: no scaling
    assert cap.fits_on(inv, Plan(), [("SRC", 2)], "TGT").fits is None


@pytest.mark.corpus
def test_real_capture_demand_and_supply(corpus):
    # ziutus POWER5 9131-52A dump: nim1 runs 0.3 units, 6144 MB, max 10240 MB, curr_hpt_ratio=1:64 ->
    # HPT 8 GB / 64 = 128 MB (10240 is exactly 1.25 x 8192, so no rounding up). `dump` is not
    # activated: sized from its profile (3200 MB desired, 5248 max -> 8 GB / 64 = 128 MB).
    from hatoolkit import load_inventory

    inv = load_inventory(corpus / "ziutus-hmc_vios_aix")
    name = "9131-52A-6535CCG"  # (the folder also holds lsmap doc samples of another machine)
    d = cap.partition_demand(inv, Plan(), None, name)
    nim = _one(d, "nim1")
    assert (nim["proc_units_target"], nim["mem_mb_target"], nim["hpt_mb"]) == (0.3, 6144, 128)
    dump = _one(d, "dump")
    assert not dump["running"] and dump["basis"] == "profile desired" and dump["mem_demand_mb"] == 3200 + 128
    s = cap.system_supply(inv, Plan(), name)
    # The capture's own identity: 2.0 configurable - 0.9 entitled = 1.1 free; VIOS stay.
    assert (s.proc_units, s.mem_mb, s.lmb_mb) == (1.1, 13696, 128)
    assert set(s.staying) == {"vios1", "vios2"}


@pytest.mark.parametrize("rescale", [True, False])
@pytest.mark.parametrize("sizing,preempt,cod", [("current", False, False), ("minimum", True, True)])
def test_pair_fits_is_fits_on_for_one_partition(sample_inventory, rescale, sizing, preempt, cod):
    # The vectorised question (one partition on each of many destinations) and fits_on must agree on
    # every pair of the sample: same demand, same supply, same verdict, same shortfall.
    from hatoolkit.model.plan import bundle_plan
    from tests.conftest import SAMPLE

    inv, plan = sample_inventory, bundle_plan(SAMPLE)
    parts = inv.partitions[["system", "lpar_id"]]
    pairs = parts.merge(inv.systems[["system"]].rename(columns={"system": "destination"}), how="cross")
    got = cap.pair_fits(inv, plan, pairs, sizing, preempt=preempt, cod=cod, rescale=rescale)
    assert len(got) == len(pairs) and set(got["fits"].dropna()) == {True, False}  # both verdicts are exercised
    for r in got.itertuples():
        fit = cap.fits_on(inv, plan, [(r.system, int(r.lpar_id))], r.destination, sizing, preempt=preempt, cod=cod,
                          rescale=rescale)
        one = fit.demand.iloc[0]
        assert (r.proc_units_target, r.mem_demand_mb) == pytest.approx((one["proc_units_target"], one["mem_demand_mb"]),
                                                                       nan_ok=True)
        expected = None if fit.fits is None else fit.fits
        assert (None if pd.isna(r.fits) else bool(r.fits)) == expected, (r, fit)
        if fit.fits is False:
            assert tuple(r.short.split(",")) == fit.short


def test_unscaled_demand_keeps_the_entitlement_across_generations():
    # A live move keeps the partition's 2.0 units on a POWER9 even though a Power10 core does more work.
    inv = build([system("P10", model="9105-42A", cores=32), system("P9", model="9009-42A", cores=24)],
                [lpar("P10", 2, "A", units=2.0)])
    assert cap.partition_demand(inv, Plan(), None, "P9").iloc[0]["proc_units_target"] > 2.0
    assert cap.partition_demand(inv, Plan(), None, "P9", rescale=False).iloc[0]["proc_units_target"] == 2.0


def test_a_named_pool_on_a_target_without_pool_capture_is_unknown():
    inv = build([system("SRC"), system("TGT")], [lpar("SRC", 2, "DB1", units=0.5, pool_id=1)],
                pools=[pool("SRC", 0, "DefaultPool", None), pool("SRC", 1, "DB", 8.0)])
    fit = cap.fits_on(inv, Plan(), [("SRC", 2)], "TGT")
    assert fit.fits is None and "TGT: shared processor pools not captured" in fit.missing
    pair = cap.pair_fits(inv, Plan(), pd.DataFrame({"system": ["SRC"], "lpar_id": [2], "destination": ["TGT"]}))
    assert pd.isna(pair.loc[0, "fits"]) and "shared processor pools" in pair.loc[0, "missing"]


def test_supply_table_numbers_are_the_supply_objects(sample_inventory):
    from hatoolkit.analysis.supply import supply_table
    from hatoolkit.model.plan import bundle_plan
    from tests.conftest import SAMPLE

    plan = bundle_plan(SAMPLE)
    table = supply_table(sample_inventory, plan)
    for preempt in (False, True):
        for cod in (False, True):
            p, m = table.caps(preempt, cod)
            for i, name in enumerate(table.names):
                s = cap.system_supply(sample_inventory, plan, name, preempt=preempt, cod=cod)
                assert (p[i], m[i]) == (s.proc_units, s.mem_mb)
    assert {p.name for p in table.pools} == {"CRMPOOL"} and all(p.max_proc_units for p in table.pools)  # capped only
