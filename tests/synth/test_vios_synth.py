"""The sample's VIOS captures agree with its HMC captures (slots, clients) and identify LUNs by UDID."""

from __future__ import annotations

import pandas as pd

from hatoolkit.synth import write_sample


def test_every_hmc_server_adapter_has_its_vios_mapping(sample_inventory):
    inv = sample_inventory
    vios = inv.partitions.loc[inv.partitions["lpar_env"] == "vioserver", ["system", "lpar_id"]]
    for frame, kind in ((inv.virtual_scsi, "scsi"), (inv.virtual_fc, "fc")):
        servers = frame[frame["adapter_type"] == "server"].merge(vios, on=["system", "lpar_id"])
        maps = inv.vios_mappings[inv.vios_mappings["kind"] == kind]
        got = set(zip(maps["system"], maps["vios_lpar_id"], maps["slot_num"], maps["client_lpar_id"], strict=True))
        want = set(zip(servers["system"], servers["lpar_id"], servers["slot_num"], servers["remote_lpar_id"], strict=True))
        assert got == want, kind
    # every trunk adapter is bridged by exactly one SEA of its VIOS (one SEA per trunk in the sample)
    veth = inv.virtual_eth.merge(vios, on=["system", "lpar_id"])
    trunks = set(zip(*(veth.loc[veth["is_trunk"].fillna(False).astype(bool), c] for c in ("system", "lpar_id", "slot_num")),
                     strict=True))
    bridged = [(s, v, slot) for s, v, slots in zip(inv.seas["system"], inv.seas["vios_lpar_id"], inv.seas["virt_slots"],
                                                   strict=True) for slot in slots]
    assert sorted(bridged) == sorted(trunks)


def test_sample_vios_weaknesses_are_in_the_captures(sample_inventory):
    inv = sample_inventory
    disks = inv.disks
    assert disks.loc[disks["reserve_policy"] == "single_path", "hdisk"].size >= 1
    single = inv.disks.merge(inv.vios_mappings, left_on=["system", "vios_lpar_id", "hdisk"],
                             right_on=["system", "vios_lpar_id", "backing_device"])
    assert set(single.loc[single["reserve_policy"] == "single_path", "vtd"]) == {"vtlnxbatch_data"}
    assert inv.vios_mappings.loc[inv.vios_mappings["backing_type"] == "lv", "backing_device"].tolist() == ["devweb_lv01"]
    assert set(inv.seas["ha_mode"]) == {"sharing", "auto", "disabled"}  # disabled: standalone and misplaced SEAs
    assert inv.disks["udid"].notna().all()
    assert set(inv.files.loc[inv.files["path"].str.startswith("vios/"), "format"]) == {"vios"}


def test_sample_writer_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_sample(a)
    write_sample(b)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert pd.Series([str(f) for f in files]).str.startswith("vios/").sum() >= 10


def test_committed_sample_vios_captures_are_current(tmp_path):
    from tests.conftest import SAMPLE

    write_sample(tmp_path)
    fresh = sorted(p.relative_to(tmp_path) for p in (tmp_path / "vios").rglob("*") if p.is_file())
    committed = sorted(p.relative_to(SAMPLE) for p in (SAMPLE / "vios").rglob("*") if p.is_file())
    assert fresh == committed, "regenerate: hatoolkit synth --scenario sample --out data/sample"
    assert all((tmp_path / f).read_bytes() == (SAMPLE / f).read_bytes() for f in fresh)
