"""analysis.backups: copy age across DST, pairing renamed copies, the sample story, missing data as NA."""

from __future__ import annotations

import pandas as pd

from hatoolkit import load_inventory
from hatoolkit.analysis.backups import backup_status, parse_release
from hatoolkit.model.plan import bundle_plan
from tests.conftest import SAMPLE
from tests.ibmi_cases import rst, sav, standard


def _status(root, as_of=None):
    plan = bundle_plan(root).with_as_of(as_of)
    return backup_status(load_inventory(root), plan).set_index("nwsstg")


def _space(name, drive):
    return f"{name},1000,GNWSD,{drive},2026-10-24-20.00.00.000000"


def test_copy_age_across_fall_back_is_elapsed_time_not_wall_clock(tmp_path, write):
    # Saved 2026-10-24 22:00 CEST (20:00 UTC). On 25 Oct clocks go back, so 21:00 CET is exactly 24h later
    # although the wall clock moved 23h: RPO 24h holds at 21:00 and is breached by one minute at 21:01.
    root = standard(write, prod_spaces=[_space("A", 1)], prod_history=[sav("A", "2026-10-24-22.00.00", "+0200")],
                    bkp_spaces=[_space("A", 1)],
                    bkp_history=[rst("A", "2026-10-24-23.00.00", "2026-10-24-22.00.00", offset="+0200",
                                     saved_offset="+0200")])
    at = _status(root, "2026-10-25T21:00:00").loc["A"]
    assert at["copy_age"] == pd.Timedelta(hours=24) and at["breach_at"] == pd.Timestamp("2026-10-25 20:00", tz="UTC")
    late = _status(root, "2026-10-25T21:01:00").loc["A"]
    assert late["copy_age"] == pd.Timedelta(hours=24, minutes=1) and late["age_rpo_ratio"] > 1


def test_renamed_copy_pairs_by_save_point_and_latest_restore_wins(tmp_path, write):
    root = standard(write, prod_spaces=[_space("A", 1)],
                    prod_history=[sav("A", "2026-11-23-22.00.00"), sav("A", "2026-11-24-22.00.00")],
                    bkp_spaces=[_space("A_DR", 1)],
                    bkp_history=[rst("A_DR", "2026-11-24-03.00.00", "2026-11-23-22.00.00", saved_name="A")])
    row = _status(root).loc["A"]
    assert row["backup_nwsstg"] == "A_DR" and row["backup_host"] == "BHOST"
    assert row["copy_saved_at"] == pd.Timestamp("2026-11-23 21:00", tz="UTC")
    assert not row["copy_is_latest"] and row["unrestored_saves"] == 1
    assert row["backup_space_present"] and row["backup_linked"]


def test_missing_backup_exports_are_na_not_false(tmp_path, write):
    root = standard(write, prod_spaces=[_space("A", 1)], prod_history=[sav("A", "2026-11-24-22.00.00")],
                    bkp_spaces=None, bkp_history=None)
    row = _status(root).loc["A"]
    assert pd.isna(row["backup_space_present"]) and pd.isna(row["restores"]) and pd.isna(row["copy_age"])
    assert not row["has_backup_history"]


def test_sample_story(sample_inventory):
    st = backup_status(sample_inventory, bundle_plan(SAMPLE)).set_index("nwsstg")
    assert st.loc["IBMIGST1A", "copy_age"] == pd.Timedelta(hours=32)  # 23 Nov 22:00 -> 25 Nov 06:00
    assert not st.loc["IBMIGST1A", "copy_is_latest"]
    assert st.loc["IBMIGST1B", "restores"] == 0 and st.loc["IBMIGST1C", "saves"] == 0
    assert st.loc["LNXGST1ROOT", "backup_nwsstg"] == "LNXROOTDR" and st.loc["LNXGST1ROOT", "age_rpo_ratio"] < 1
    assert st.loc["LNXGST1DATA", "age_rpo_ratio"] > 4
    assert st.loc["IBMIGST1B", "change"] == "high" and st.loc["IBMIGST1A", "workload_class"] == "business"


def test_parse_release():
    assert parse_release("IBM i Licensed Internal Code 7.2.0 48 1") == (7, 2)
    assert parse_release("V5R4M0") == (5, 4)
    assert parse_release(None) is None
