"""`lslparutil` captures -> utilization frames: counters to processors, time zones, data-quality gaps.

Expected processors are worked out here by hand from the counters (the formula of the domain
reference: shared (dcapped + duncapped) / dtime, dedicated (dcapped - didle) / dtime), not by
calling the reader's own arithmetic.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hatoolkit import load_inventory

CPS = 512_000_000  # proc_cycles_per_second
HOUR = 3600 * CPS
FIELDS = "time,event_type,resource_type,lpar_name,lpar_id,curr_proc_mode,curr_proc_units,curr_procs,curr_mem," \
         "time_cycles,capped_cycles,uncapped_cycles,idle_cycles"


def _rec(time: str, name: str, lpar_id: int, t: float, capped: float, uncapped: float, idle: float,
         mode: str = "shared", units: str = "1.5", procs: int = 3) -> str:
    return (f"time={time},event_type=sample,resource_type=lpar,lpar_name={name},lpar_id={lpar_id},"
            f"curr_proc_mode={mode},curr_proc_units={units},curr_procs={procs},curr_mem=16384,"
            f"time_cycles={t:.0f},capped_cycles={capped:.0f},uncapped_cycles={uncapped:.0f},idle_cycles={idle:.0f}")


def _shared(hours: list[int], used: list[float], ent: float = 1.5, day: str = "11/20/2026",
            start: float = 10**15) -> list[str]:
    """Records of one shared partition sampled at `hours` of a day, consuming used[i] in the interval to hour i."""
    out, capped, uncapped = [], start, 7e12
    for i, (h, u) in enumerate(zip(hours, used, strict=True)):
        step = h - hours[i - 1] if i else 0
        capped += min(u, ent) * step * HOUR
        uncapped += max(u - ent, 0.0) * step * HOUR
        out.append(_rec(f"{day} {h:02d}:00:00", "DB1", 3, start + h * HOUR, capped, uncapped, 0))
    return out


def _bundle(write, lpar: str, *, config: str | None = "sample_rate=3600", sys: str | None = None,
            plan: str | None = None) -> Path:
    root = write("hmc/h1/S1/lslparutil_r_lpar.txt", f"$ lslparutil -r lpar -m S1\n{lpar}").parents[3]
    if config is not None:
        write("hmc/h1/S1/lslparutil_r_config.txt", f"$ lslparutil -r config -m S1\n{config}\n")
    if sys is not None:
        write("hmc/h1/S1/lslparutil_r_sys.txt", f"$ lslparutil -r sys -m S1\n{sys}\n")
    if plan is not None:
        write("plan.yaml", plan)
    return root


def _codes(inv, code: str) -> pd.DataFrame:
    return inv.gaps[inv.gaps["code"] == code]


def test_shared_counters_attr_value_newest_first(write):
    recs = _shared([0, 1, 2], [0.0, 2.25, 0.75])
    inv = load_inventory(_bundle(write, "\n".join(reversed(recs)) + "\n"))  # the HMC lists newest first
    u = inv.utilization
    assert u["sampled_at"].tolist() == [pd.Timestamp("2026-11-20 01:00", tz="UTC"),
                                        pd.Timestamp("2026-11-20 02:00", tz="UTC")]
    # 01:00: 1.5 capped + 0.75 uncapped over one hour = 2.25 processors (above the 1.5 entitlement: uncapped)
    assert u["proc_units_used"].tolist() == [2.25, 0.75]
    assert u["interval_s"].tolist() == [3600.0, 3600.0]
    assert u["proc_units_entitled"].tolist() == [1.5, 1.5] and u["mem_mb"].tolist() == [16384, 16384]
    assert set(u["origin"]) == {"lslparutil"} and set(u["time_zone"]) == {"UTC"}
    assert (u["system"] == "S1").all() and (u["partition"] == "DB1").all() and (u["lpar_id"] == 3).all()
    assert u["source"].iat[0].startswith("hmc/h1/S1/lslparutil_r_lpar.txt:")
    assert inv.utilization_config["sample_rate_s"].tolist() == [3600]
    assert not inv.gaps["code"].str.startswith("usage").any()


def test_dedicated_counters_and_delimited_output(write):
    # Dedicated, 4 cores: capped counts every cycle of the 4 cores, idle the unused ones; 1.0 core busy.
    t0, t1 = 10**15, 10**15 + HOUR
    rows = [f"11/20/2026 01:00:00,sample,lpar,BATCH,5,ded,0.0,4,65536,{t1},{4 * HOUR + 10**14},0,{3 * HOUR + 10**13}",
            f"11/20/2026 00:00:00,sample,lpar,BATCH,5,ded,0.0,4,65536,{t0},{10**14},0,{10**13}"]
    text = f"$ lslparutil -r lpar -m S1 -F {FIELDS} --header\n{FIELDS}\n" + "\n".join(rows) + "\n"
    write("hmc/h1/S1/util.txt", text)
    inv = load_inventory(write("hmc/h1/S1/lslparutil_r_config.txt", "sample_rate=3600\n").parents[3])
    u = inv.utilization
    assert len(u) == 1 and u["proc_units_used"].iat[0] == 1.0
    assert u["proc_mode"].iat[0] == "ded" and u["proc_units_entitled"].iat[0] == 4.0  # cores


def test_without_time_cycles_uses_the_system_cycle_rate(write):
    recs = [r.split(",time_cycles=")[0] + ",capped_cycles=" + r.split(",capped_cycles=")[1]
            for r in _shared([0, 1], [0.0, 1.2])]
    sys = f"time=11/20/2026 01:00:00,event_type=sample,resource_type=sys,proc_cycles_per_second={CPS}"
    inv = load_inventory(_bundle(write, "\n".join(recs) + "\n", sys=sys))
    assert inv.utilization["proc_units_used"].tolist() == [1.2]


def test_without_any_cycle_rate_is_a_gap(write):
    recs = [r.split(",time_cycles=")[0] + ",capped_cycles=" + r.split(",capped_cycles=")[1]
            for r in _shared([0, 1], [0.0, 1.2])]
    inv = load_inventory(_bundle(write, "\n".join(recs) + "\n"))
    assert inv.utilization.empty
    assert _codes(inv, "usage_gap")["message"].str.contains("cannot be computed").any()


def test_hole_between_samples_is_reported(write):
    recs = _shared([0, 1, 2, 7, 8], [0, 1.0, 1.0, 1.0, 1.0])
    inv = load_inventory(_bundle(write, "\n".join(recs) + "\n"))
    u = inv.utilization
    assert u["interval_s"].tolist() == [3600.0, 3600.0, 5 * 3600.0, 3600.0]
    assert u["proc_units_used"].tolist() == [1.0, 1.0, 1.0, 1.0]  # the long interval is still an exact average
    hole = _codes(inv, "usage_gap")
    assert len(hole) == 1 and "1 hole(s)" in hole["message"].iat[0]
    assert "from 2026-11-20 02:00 to 2026-11-20 07:00 UTC" in hole["message"].iat[0]
    assert hole["system"].iat[0] == "S1" and hole["file"].iat[0] == "hmc/h1/S1/lslparutil_r_lpar.txt"


def test_counters_going_backwards_lose_one_interval(write):
    recs = _shared([0, 1, 2], [0, 1.0, 1.0])
    restarted = _rec("11/20/2026 03:00:00", "DB1", 3, 10**15 + 3 * HOUR, HOUR * 0.5, 0, 0)  # counters from zero
    after = _rec("11/20/2026 04:00:00", "DB1", 3, 10**15 + 4 * HOUR, HOUR * 1.0, 0, 0)
    inv = load_inventory(_bundle(write, "\n".join([*recs, restarted, after]) + "\n"))
    u = inv.utilization
    assert u["sampled_at"].dt.hour.tolist() == [1, 2, 4] and u["proc_units_used"].tolist() == [1.0, 1.0, 0.5]
    assert _codes(inv, "usage_gap")["message"].str.contains("went backwards").any()


def test_collection_off_is_a_gap_not_a_pass(write):
    root = write("hmc/h1/S1_lparutil_config.txt", "sample_rate=0\n").parents[2]
    inv = load_inventory(root)
    assert inv.utilization.empty and inv.utilization_config["sample_rate_s"].tolist() == [0]
    off = _codes(inv, "usage_collection_off")
    assert len(off) == 1 and off["system"].iat[0] == "S1" and "sample_rate=0" in off["message"].iat[0]


def test_no_samples_and_hmc_error_text_are_gaps(write):
    write("hmc/h1/S1/lslparutil_r_lpar.txt", "$ lslparutil -r lpar -m S1\nNo results were found.\n")
    root = write("hmc/h1/S2/lslparutil_r_lpar.txt",
                 "$ lslparutil -r lpar -m S2\nHSCL8012 The managed system S2 is not in a valid state.\n").parents[3]
    inv = load_inventory(root)
    assert inv.utilization.empty
    assert (_codes(inv, "no_results")["system"] == "S1").any()
    err = _codes(inv, "hmc_message")
    assert (err["system"] == "S2").any() and err["message"].str.startswith("HSCL8012").any()


def test_running_partition_without_samples_is_named(write):
    lpars = ("$ lssyscfg -r lpar -m S1\nname=DB1,lpar_id=3,lpar_env=aixlinux,state=Running\n"
             "name=MQ,lpar_id=4,lpar_env=aixlinux,state=Running\nname=OLD,lpar_id=5,lpar_env=aixlinux,"
             "state=Not Activated\n")
    write("hmc/h1/S1/lssyscfg_r_lpar.txt", lpars)
    inv = load_inventory(_bundle(write, "\n".join(_shared([0, 1], [0, 1.0])) + "\n"))
    missing = _codes(inv, "usage_missing")
    assert missing["message"].str.startswith("MQ (lpar_id 4)").tolist() == [True]  # not OLD: it is not running


def test_local_times_in_the_plan_zone_across_the_autumn_clock_change(write):
    # Europe/Warsaw, 25 Oct 2026: 03:00 CEST -> 02:00 CET, so local 02:00 occurs twice (00:00 and 01:00 UTC).
    ent = 1.0
    times = ["10/25/2026 01:00:00", "10/25/2026 02:00:00", "10/25/2026 02:00:00", "10/25/2026 03:00:00"]
    recs, capped = [], 10**14
    for k, t in enumerate(times):
        capped += (0 if k == 0 else 0.5 * HOUR)
        recs.append(_rec(t, "DB1", 3, 10**15 + k * HOUR, capped, 0, 0, units=str(ent)))
    inv = load_inventory(_bundle(write, "\n".join(reversed(recs)) + "\n",
                                 plan="timezone: Europe/Warsaw\n"))
    u = inv.utilization
    assert u["sampled_at"].tolist() == [pd.Timestamp(f"2026-10-25 0{h}:00", tz="UTC") for h in (0, 1, 2)]
    assert u["interval_s"].tolist() == [3600.0] * 3 and u["proc_units_used"].tolist() == [0.5] * 3
    assert set(u["time_zone"]) == {"Europe/Warsaw"}


def test_garbled_time_is_a_bad_value(write):
    recs = _shared([0, 1, 2], [0, 1.0, 1.0])
    recs[1] = recs[1].replace("time=11/20/2026 01:00:00", "time=2026-11-20T01:00")
    inv = load_inventory(_bundle(write, "\n".join(recs) + "\n"))
    assert _codes(inv, "bad_value")["message"].str.contains("not MM/DD/YYYY").any()
    assert inv.utilization["interval_s"].tolist() == [7200.0]  # 00:00 -> 02:00, averaged over both hours


@pytest.mark.parametrize("rel", ["hmc/h1/S1_lparutil.txt", "hmc/h1/S1/lparutil.txt"])
def test_bare_output_is_recognised_by_its_attributes(write, rel):
    root = write(rel, "\n".join(_shared([0, 1], [0, 0.8])) + "\n").parents[2 if rel.count("/") == 2 else 3]
    inv = load_inventory(root)
    assert inv.utilization["proc_units_used"].tolist() == [0.8] and (inv.utilization["system"] == "S1").all()


def test_samples_without_lpar_id_are_placed_by_name(write):
    fields = "time,event_type,resource_type,lpar_name,curr_proc_mode,curr_proc_units,time_cycles,capped_cycles," \
             "uncapped_cycles"
    rows = [f"11/20/2026 00:00:00,sample,lpar,{n},shared,1.0,{10**15},{10**14},0" for n in ("DB1", "GONE")]
    rows += [f"11/20/2026 01:00:00,sample,lpar,{n},shared,1.0,{10**15 + HOUR},{10**14 + HOUR // 2},0"
             for n in ("DB1", "GONE")]
    write("hmc/h1/S1/lssyscfg_r_lpar.txt",
          "$ lssyscfg -r lpar -m S1\nname=DB1,lpar_id=3,lpar_env=aixlinux,state=Running\n")
    root = write("hmc/h1/S1/util.txt", f"$ lslparutil -r lpar -m S1 -F {fields}\n" + "\n".join(rows) + "\n").parents[3]
    inv = load_inventory(root)
    u = inv.utilization
    assert u["lpar_id"].tolist() == [3] and u["proc_units_used"].tolist() == [0.5]
    orphan = _codes(inv, "orphan_record")
    assert orphan["message"].str.contains("2 utilisation sample").any()


def test_hourly_capture_of_a_finer_sample_rate_has_no_holes(write):
    # The HMC samples every 5 minutes; `lslparutil -s h` lists the hourly samples: that cadence is not a hole.
    inv = load_inventory(_bundle(write, "\n".join(_shared([0, 1, 2, 3], [0, 1.0, 1.0, 1.0])) + "\n",
                                 config="sample_rate=300"))
    assert len(inv.utilization) == 3 and not (inv.gaps["code"] == "usage_gap").any()
