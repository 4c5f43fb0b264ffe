"""IBM i CSV exports: recognition by header, local time and DST, malformed rows -> gaps with file:line."""

from __future__ import annotations

import pandas as pd
import pytest

from hatoolkit import load_inventory
from hatoolkit.ingest import ibmi_csv
from tests.ibmi_cases import HISTORY_HEADER, PARTITION_HEADER, csv, hmc_lpars

HOST = "ibmi/PROD/HOST"
PART = csv(PARTITION_HEADER, ["HOST,HOST,1,7,4,SER1,+0100,2026-11-25-05.30.00.000000"])


def _utc(text):
    return pd.Timestamp(text, tz="UTC")


def _gaps(inv, code):
    g = inv.gaps[inv.gaps["code"] == code]
    return list(zip(g["file"], g["line"], strict=True)), list(g["message"])


def test_europe_warsaw_spring_forward_and_fall_back(tmp_path, write):
    write("plan.yaml", "timezone: Europe/Warsaw\n")
    write(f"{HOST}/partition.csv", PART)
    write(f"{HOST}/save_history.csv", csv(HISTORY_HEADER, [
        "SAV,A,,2026-03-29-02.30.00,,,,*SYNC,HOST,COMPLETED",     # line 2: does not exist in Warsaw
        "SAV,A,,2026-03-29-03.30.00,,,,*SYNC,HOST,COMPLETED",     # line 3: 01:30 UTC (CEST)
        "SAV,A,,2026-10-25-02.30.00,,,,*SYNC,HOST,COMPLETED",     # line 4: twice -> earlier (00:30 UTC), gap
        "SAV,A,,2026-10-25-02.30.00,+0100,,,*SYNC,HOST,COMPLETED",  # line 5: recorded offset -> 01:30 UTC exact
        "SAV,A,,2026-10-25 01:59:59.5,,,,*SYNC,HOST,COMPLETED",   # line 6: ACS spelling, CEST, 23:59:59.5 UTC
    ]))
    inv = load_inventory(tmp_path)
    ev = inv.save_events.set_index("source")
    f = f"{HOST}/save_history.csv"
    assert f"{f}:2" not in ev.index  # not silently shifted: dropped, with a gap
    assert ev.loc[f"{f}:3", "saved_at"] == _utc("2026-03-29 01:30")
    assert ev.loc[f"{f}:4", "saved_at"] == _utc("2026-10-25 00:30")
    assert ev.loc[f"{f}:5", "saved_at"] == _utc("2026-10-25 01:30")
    assert ev.loc[f"{f}:6", "saved_at"] == _utc("2026-10-24 23:59:59.5")
    where, messages = _gaps(inv, "local_time")
    assert where == [(f, 2), (f, 4)]
    assert "does not exist in Europe/Warsaw" in messages[0] and "occurs twice" in messages[1]
    assert str(inv.save_events["saved_at"].dtype) == "datetime64[us, UTC]"
    assert set(inv.save_events["time_zone"]) == {"Europe/Warsaw"}


def test_recorded_offset_that_disagrees_with_zone_is_used_and_reported(tmp_path, write):
    write("plan.yaml", "timezone: Europe/Warsaw\n")
    write(f"{HOST}/partition.csv", PART)
    write(f"{HOST}/save_history.csv", csv(HISTORY_HEADER, ["SAV,A,,2026-11-24-22.00.00,+0200,,,*SYNC,HOST,"]))
    inv = load_inventory(tmp_path)
    assert inv.save_events["saved_at"].iat[0] == _utc("2026-11-24 20:00")
    assert _gaps(inv, "time_zone")[0] == [(f"{HOST}/save_history.csv", 2)]


def test_zone_precedence_host_column_then_plan_then_qutcoffset(tmp_path, write):
    header = PARTITION_HEADER + ",IANA_TIME_ZONE"
    write("plan.yaml", "timezone: Europe/Warsaw\n")
    write("ibmi/S/NY/partition.csv", csv(header, ["NY,NY,1,7,4,SER1,-0500,2026-11-25-00.30.00.000000,America/New_York"]))
    write("ibmi/S/WAW/partition.csv", csv(header, ["W,WAW,2,7,4,SER1,+0100,2026-11-25-06.30.00.000000,"]))
    inv = load_inventory(tmp_path)
    zones = dict(zip(inv.ibmi_partitions["partition"], inv.ibmi_partitions["time_zone"], strict=True))
    assert zones == {"NY": "America/New_York", "WAW": "Europe/Warsaw"}
    assert inv.gaps[inv.gaps["code"] == "time_zone"].empty


def test_no_zone_falls_back_to_qutcoffset_with_a_gap(tmp_path, write):
    write(f"{HOST}/partition.csv", PART)
    write(f"{HOST}/save_history.csv", csv(HISTORY_HEADER, ["SAV,A,,2026-07-01-12.00.00,,,,*SYNC,HOST,"]))
    inv = load_inventory(tmp_path)
    assert inv.ibmi_partitions["time_zone"].iat[0] == "UTC+01:00"
    assert inv.save_events["saved_at"].iat[0] == _utc("2026-07-01 11:00")  # fixed +01:00: the gap says why
    assert "fixed QUTCOFFSET" in _gaps(inv, "time_zone")[1][0]


def test_zone_contradicting_qutcoffset_is_a_gap(tmp_path, write):
    write("plan.yaml", "timezone: America/New_York\n")
    write(f"{HOST}/partition.csv", PART)
    inv = load_inventory(tmp_path)
    assert any("QUTCOFFSET" in m for m in _gaps(inv, "time_zone")[1])


def test_no_zone_at_all_leaves_times_unused(tmp_path, write):
    write(f"{HOST}/save_history.csv", csv(HISTORY_HEADER, ["SAV,A,,2026-07-01-12.00.00,,,,*SYNC,HOST,"]))
    inv = load_inventory(tmp_path)
    assert inv.save_events.empty
    assert _gaps(inv, "local_time")[0] == [(f"{HOST}/save_history.csv", 2)]


def test_malformed_rows_become_gaps_with_file_and_line(tmp_path, write):
    write("plan.yaml", "timezone: Europe/Warsaw\n")
    f = f"{HOST}/storage_spaces.csv"
    write(f, "NWSSTG,NWSSIZE,NWSD,DRVSEQNBR,DYNAMIC,DATA_CHANGE_TIMESTAMP\n"
             "A,1000,N1,1,*YES,2026-11-24-20.00.00.000000\n"
             "B,lots,N1,2,*NO,2026-11-24-20.00.00.000000\n"
             "C,1000,N1\n"
             ",1000,N1,4,*NO,\n"
             '"D,1000,N1,5\n')
    inv = load_inventory(tmp_path)
    spaces = inv.storage_spaces.set_index("nwsstg")
    assert list(spaces.index) == ["A", "B"]
    assert bool(spaces.loc["A", "dynamic"]) is True and pd.isna(spaces.loc["B", "size_mb"])
    gaps = inv.gaps[inv.gaps["file"] == f]
    assert list(zip(gaps["code"], gaps["line"], strict=True)) == [
        ("bad_value", 3), ("unparseable", 4), ("unparseable", 5), ("unparseable", 6)]


def test_recognised_by_content_outside_the_layout(tmp_path, write):
    """A folder of exports anywhere: the partition export's serial names the managed system (HMC)."""
    write("plan.yaml", "timezone: Europe/Warsaw\n")
    write("hmc/h/sys.txt", "$ lssyscfg -r sys\nname=PROD,type_model=8286-42A,serial_num=SER1,state=Operating\n")
    write("hmc/h/PROD/lpar.txt", hmc_lpars("PROD", [(1, "HOST", "os400", "Running")]))
    write("dump/from-admin/x1.csv", PART)
    write("dump/from-admin/x2.csv", "NWSSTG,NWSSIZE,NWSD,DRVSEQNBR\nA,1000,N1,1\n")
    write("dump/elsewhere/orphan.csv", "NWSSTG,NWSSIZE,NWSD,DRVSEQNBR\nZ,1000,N1,1\n")
    inv = load_inventory(tmp_path)
    assert list(zip(inv.storage_spaces["system"], inv.storage_spaces["partition"], inv.storage_spaces["nwsstg"],
                    strict=True)) == [("PROD", "HOST", "A")]
    assert "dump/elsewhere/orphan.csv" in set(inv.gaps.loc[inv.gaps["code"] == "unknown_system", "file"])
    formats = dict(zip(inv.files["path"], inv.files["format"], strict=True))
    assert formats["dump/from-admin/x2.csv"] == "ibmi_storage_spaces"


def test_unrelated_csv_is_left_to_other_readers(tmp_path, write):
    write("notes/inventory.csv", "host,owner\na,b\n")
    inv = load_inventory(tmp_path)
    assert inv.storage_spaces.empty and "ibmi" not in inv.files["format"].iloc[0]


def test_kinds_are_one_per_header_signature():
    with pytest.raises(ValueError, match="overlapping"):
        ibmi_csv.register(ibmi_csv.CsvKind("clash", frozenset({"NWSSTG", "DRVSEQNBR", "X"}), ()))
    assert ibmi_csv.kind_of_header('"nwsstg";"drvseqnbr"').name == "storage_spaces"


def test_sample_bundle_ibmi_frames(sample_inventory):
    inv = sample_inventory
    hosts = inv.ibmi_partitions.set_index("partition")
    assert hosts.loc["IBMIHOST", "system"] == "IBMI-7" and hosts.loc["IBMIHOST-DR", "system"] == "DR-1"
    assert (int(hosts.loc["IBMIHOST", "os_version"]), int(hosts.loc["IBMIHOST", "os_release"])) == (7, 2)
    assert set(inv.nwsds["guest_partition"]) == {"IBMI-GUEST1", "LNX-GUEST1"}
    renamed = inv.save_events[inv.save_events["nwsstg"] == "LNXROOTDR"]
    assert set(renamed["saved_nwsstg"]) == {"LNXGST1ROOT"}
    assert inv.gaps[inv.gaps["file"].fillna("").str.startswith("ibmi/")].empty
