"""Synthetic estates written in every capture style load back to exactly what was written."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from hatoolkit import load_inventory
from hatoolkit.checks import run_checks
from hatoolkit.synth import fleet, sample_estate, write_estate, write_fleet, write_sample
from hatoolkit.synth.estate import Estate
from hatoolkit.synth.hmc_writer import STYLES, Quirks

ROOT = Path(__file__).resolve().parents[2]


def assert_matches_estate(inv, estate: Estate) -> None:
    systems = inv.systems.set_index("system")
    assert set(systems.index) == {s.name for s in estate.systems}
    for s in estate.systems:
        row = systems.loc[s.name]
        assert row["type_model"] == s.type_model and row["serial_num"] == s.serial
        assert row["curr_avail_sys_mem_mb"] == s.avail_mem_mb
        assert row["curr_avail_sys_proc_units"] == pytest.approx(s.avail_proc_units)
        assert row["installed_sys_proc_units"] == s.installed_proc_units
        assert row["mem_region_size_mb"] == s.lmb_mb
        assert row["lpar_proc_compat_modes"] == s.compat_modes
        parts = inv.partitions[inv.partitions["system"] == s.name].set_index("lpar_id")
        assert set(parts.index) == {lp.id for lp in s.lpars}
        for lp in s.lpars:
            p = parts.loc[lp.id]
            assert (p["name"], p["lpar_env"], p["state"]) == (lp.name, lp.env, lp.state)
            if lp.running:
                assert p["curr_mem_mb"] == lp.mem_mb and p["curr_max_mem_mb"] == lp.max_mem_mb
                if lp.proc_mode == "shared":
                    assert p["curr_proc_units"] == pytest.approx(lp.proc_units)
                else:
                    assert pd.isna(p["curr_proc_units"]) and p["curr_procs"] == lp.procs
        veth = inv.virtual_eth[inv.virtual_eth["system"] == s.name]
        assert len(veth) == sum(len(lp.veths) for lp in s.lpars)
        scsi = inv.virtual_scsi[inv.virtual_scsi["system"] == s.name]
        assert len(scsi) == sum(len(lp.vscsi) for lp in s.lpars)
        fc = inv.virtual_fc[inv.virtual_fc["system"] == s.name]
        assert len(fc) == sum(len(lp.vfc) for lp in s.lpars)
        clients = fc[fc["adapter_type"] == "client"]
        assert all(len(w) == 2 for w in clients["wwpns"])


@pytest.mark.parametrize("style", STYLES)
def test_every_capture_style_round_trips(tmp_path, style):
    estate = fleet(3, seed=7, lpars_per_system=8)
    styles = {s.name: (style, Quirks(stray_spaces=True, crlf=style == "bare"), None) for s in estate.systems}
    write_estate(estate, tmp_path, styles)
    inv = load_inventory(tmp_path)
    assert_matches_estate(inv, estate)
    assert inv.gaps[~inv.gaps["code"].isin(["no_results"])].empty, inv.gaps


def test_sample_loads_validates_and_tells_its_story():
    inv = load_inventory(ROOT / "data" / "sample")
    estate = sample_estate()
    assert_matches_estate(inv, estate)
    assert 25 <= len(inv.partitions) <= 35
    assert set(inv.partitions["lpar_env"]) == {"aixlinux", "vioserver", "os400"}
    # The one deliberate collection gap of the sample: DR-1's physical I/O listing.
    missing = inv.gaps[inv.gaps["code"] == "missing_capture"]
    assert missing["message"].tolist() == ["no 'lshwres -r io --rsubtype slot -m DR-1' capture for DR-1"]
    _findings, coverage = run_checks(inv)
    assert coverage["error"].isna().all()


def test_committed_sample_is_what_synth_writes(tmp_path):
    """data/sample is generated: regenerate it with `hatoolkit synth --scenario sample --out data/sample`."""
    write_sample(tmp_path)
    committed = ROOT / "data" / "sample"
    ours = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file())
    assert ours == theirs
    stale = [rel for rel in ours if not filecmp.cmp(tmp_path / rel, committed / rel, shallow=False)]
    assert not stale, f"data/sample is stale: {stale}"


def test_fleet_of_50_systems_loads_and_validates(tmp_path):
    write_fleet(tmp_path, systems=50, seed=3, lpars_per_system=12)
    inv = load_inventory(tmp_path)
    assert len(inv.systems) == 50
    assert_matches_estate(inv, fleet(50, seed=3, lpars_per_system=12))
    _findings, coverage = run_checks(inv)
    assert coverage["error"].isna().all()


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_fleet(a, systems=4, seed=11)
    write_fleet(b, systems=4, seed=11)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files and all(filecmp.cmp(a / f, b / f, shallow=False) for f in files)
