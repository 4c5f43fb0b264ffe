"""What hosts what, from both ends of the virtual adapters; keys, never names."""

from __future__ import annotations

import pandas as pd

from hatoolkit.analysis.hosting import host_summary, hosting_links


def test_sample_links(sample_inventory):
    links = hosting_links(sample_inventory)
    ibmi = links[links["system"] == "IBMI-7"]
    assert set(ibmi["guest"]) == {"IBMI-GUEST1", "LNX-GUEST1"} and set(ibmi["host"]) == {"IBMIHOST"}
    assert (links["seen_from"] == "both").all()
    erp = links[(links["system"] == "PRD-1") & (links["guest"] == "ERP-DB")]
    assert erp["vfc_paths"].tolist() == [1, 1] and erp["vscsi_paths"].tolist() == [0, 0]


def test_one_side_is_enough(sample_inventory):
    scsi = sample_inventory.virtual_scsi
    only_servers = sample_inventory.replace(virtual_scsi=scsi[scsi["adapter_type"] == "server"])
    links = hosting_links(only_servers)
    row = links[(links["system"] == "IBMI-7") & (links["guest_id"] == 2)].iloc[0]
    assert row["seen_from"] == "server only" and row["vscsi_paths"] == 1


def test_slots_unknown_when_not_captured(sample_inventory):
    hosts = host_summary(sample_inventory).set_index(["system", "host"])
    assert pd.isna(hosts.loc[("DR-1", "DR-1-VIOS1"), "physical_slots"])  # DR-1's slot capture is missing
    assert hosts.loc[("PRD-1", "PRD-1-VIOS1"), "physical_slots"] == 2
