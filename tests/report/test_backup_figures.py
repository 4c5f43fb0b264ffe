"""Backup figures build from the sample status and from an empty one."""

from __future__ import annotations

from hatoolkit.analysis.backups import STATUS_COLUMNS, backup_status, timeline
from hatoolkit.model.plan import bundle_plan
from hatoolkit.report.figures import backups as charts
from hatoolkit.report.tables import backup_copies_table
from tests.conftest import SAMPLE


def test_figures_on_sample(sample_inventory):
    plan = bundle_plan(SAMPLE)
    status = backup_status(sample_inventory, plan)
    fig = charts.timeline(status, timeline(sample_inventory, plan), zone=plan.timezone)
    assert [t.name for t in fig.data] == ["save (production)", "save restored on backup", "restore (backup)",
                                          "copy breaches RPO"]
    bars = charts.age_vs_rpo(status)
    assert len(bars.data[0].y) == 3  # the three storage spaces that have a copy on DR-1
    table = backup_copies_table(status, zone=plan.timezone)
    assert table.loc[table["storage space"] == "IBMIGST1A", "copy age"].iat[0] == "32 h"


def test_figures_on_empty_status():
    import pandas as pd

    empty = pd.DataFrame(columns=STATUS_COLUMNS)
    assert charts.timeline(empty, pd.DataFrame(columns=["space", "kind", "at", "saved_at"])).layout.annotations
    assert charts.age_vs_rpo(empty.assign(copy_age=pd.Series([], dtype="timedelta64[us]"))).layout.annotations
