"""HMC Scanner usage sheets (LPAR_Hourly_Usage_N*, LPAR_Daily_Usage_N*) -> utilization rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hatoolkit import load_inventory
from tests.ingest.test_hmcscanner import scanner_bundle  # noqa: F401 - fixture: the real E1080 workbook


def _usage_sheet(book, title: str, names: list[str], rows: list[list]) -> None:
    """A usage sheet laid out as HMC Scanner writes it: legend, title, names, summary rows, Date, values."""
    sheet = book.create_sheet(title)
    sheet.append(["Red", "Usage >= 90% of max allowed size"])
    sheet.append([])
    sheet.append(["Average LPAR Usage"])
    sheet.append(["", *names])
    for label in ("Hours", "Max", "Avg", "95% <="):
        sheet.append([label, *[0.0] * len(names)])
    sheet.append([])
    sheet.append(["Date"])
    for row in rows:
        sheet.append(row)


def _workbook(tmp_path: Path, *, plan: str | None = None, empty: bool = False) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Header"
    book.active.append(["Manager Name", "hmc9"])
    summary = book.create_sheet("System_Summary")
    summary.append(["Managed System", "Status", "Type Model", "Serial"])
    summary.append(["S1", "Operating", "9009-42A", "ABC1234"])
    summary.append(["S2", "Operating", "9009-42A", "ABC1235"])
    lpars = book.create_sheet("LPAR_Summary")
    lpars.append(["Name", "ID", "Status", "Environment", "Managed System Name"])
    lpars.append(["db1", 3.0, "Running", "aixlinux", "S1"])
    lpars.append(["app1", 4.0, "Running", "aixlinux", "S1"])
    lpars.append(["nim", 2.0, "Running", "aixlinux", "S1"])
    lpars.append(["nim", 2.0, "Running", "aixlinux", "S2"])  # the same name on two systems: ambiguous
    value = (lambda v: "") if empty else (lambda v: v)
    _usage_sheet(book, "LPAR_Hourly_Usage_N1", ["db1", "nim", "ghost"], [
        ["2026/10/25 1", value(1.25), value(0.1), value(0.3)],
        ["2026/10/25 2", value(2.5), "", ""],  # local 02:00 twice (autumn clock change in Warsaw)
        ["2026/10/25 2", value(3.0), "", ""],
        ["2026/10/25 3", "", "", ""],  # no sample
        ["2026/10/25 4", value(0.75), "", ""],
    ])
    _usage_sheet(book, "LPAR_Daily_Usage_N1", ["db1", "app1"], [
        ["2026/10/24", value(9.9), value(0.4)],  # db1 has hourly rows: its daily ones are not used
        ["2026/10/25", value(9.9), value(0.6)],
    ])
    folder = tmp_path / "hmcscanner"
    folder.mkdir()
    book.save(folder / "scan.xlsx")
    if plan is not None:
        (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    return tmp_path


def test_hourly_and_daily_sheets(tmp_path: Path) -> None:
    inv = load_inventory(_workbook(tmp_path, plan="timezone: Europe/Warsaw\n"))
    u = inv.utilization
    db1 = u[u["partition"] == "db1"].sort_values("sampled_at")
    # An hour's row ends one real hour after it starts; local 01:00 CEST = 23:00 UTC the day before.
    assert db1["sampled_at"].tolist() == [pd.Timestamp(t, tz="UTC") for t in
                                          ("2026-10-25 00:00", "2026-10-25 01:00", "2026-10-25 02:00",
                                           "2026-10-25 04:00")]
    assert db1["proc_units_used"].tolist() == [1.25, 2.5, 3.0, 0.75]
    assert set(db1["origin"]) == {"hmcscanner_hourly"} and (db1["interval_s"] == 3600).all()
    assert (db1["system"] == "S1").all() and (db1["lpar_id"] == 3).all()
    assert db1["proc_units_entitled"].isna().all()  # not in the sheets: a source gap, not a default
    assert db1["source"].iat[0].endswith("scan.xlsx:LPAR_Hourly_Usage_N1!11")
    app = u[u["partition"] == "app1"].sort_values("sampled_at")
    # A day ends at the next local midnight: 25 Oct 2026 in Warsaw has 25 hours.
    assert app["sampled_at"].tolist() == [pd.Timestamp("2026-10-24 22:00", tz="UTC"),
                                          pd.Timestamp("2026-10-25 23:00", tz="UTC")]
    assert set(app["origin"]) == {"hmcscanner_daily"} and app["proc_units_used"].tolist() == [0.4, 0.6]
    assert set(u["partition"]) == {"db1", "app1"}
    orphans = inv.gaps[inv.gaps["code"] == "orphan_record"]["message"]
    assert orphans.str.contains("'nim' is on several systems").any()
    assert orphans.str.contains("'ghost' is not in LPAR_Summary").any()
    assert inv.gaps["message"].str.contains("usage sheets carry processors consumed only").any()


def test_empty_usage_sheets_mean_collection_was_off(tmp_path: Path) -> None:
    inv = load_inventory(_workbook(tmp_path, empty=True))
    assert inv.utilization.empty
    assert (inv.gaps["code"] == "usage_collection_off").sum() == 1


@pytest.mark.corpus
def test_real_e1080_workbook_has_no_usage_samples(scanner_bundle: Path) -> None:  # noqa: F811
    inv = load_inventory(scanner_bundle)
    assert inv.utilization.empty
    off = inv.gaps[inv.gaps["code"] == "usage_collection_off"]
    assert len(off) == 1 and "HMC Scanner usage sheets hold no samples" in off["message"].iat[0]
