"""`hatoolkit validate` reports per source what it found and what was missing."""

from __future__ import annotations

from pathlib import Path

from hatoolkit import load_inventory
from hatoolkit.cli import main
from hatoolkit.report.text import source_summary
from hatoolkit.synth import fleet, write_estate


def test_sources_per_kind_of_export(tmp_path: Path, capsys) -> None:
    estate = fleet(2, seed=5, lpars_per_system=6)
    write_estate(type(estate)([estate.systems[0]]), tmp_path, {estate.systems[0].name: ("files", __import__(
        "hatoolkit.synth.hmc_writer", fromlist=["Quirks"]).Quirks(), ("sys", "lpar"))}, formats=("cli",))
    write_estate(type(estate)([estate.systems[1]]), tmp_path, formats=("rest",))
    for extra in (tmp_path / "rest").rglob("*ClientNetworkAdapter.xml"):
        extra.unlink()  # an export without the adapter feeds: reported as missing, per source
    summary = source_summary(load_inventory(tmp_path)).set_index("source")
    assert summary.loc["hmc_cli", "systems"] == 1 and summary.loc["hmc_rest", "systems"] == 1
    assert summary.loc["hmc_cli", "missing"] >= 9  # proc, mem, adapters... of the CLI system not captured
    assert summary.loc["hmc_rest", "missing"] >= 2  # adapter feeds + fields REST cannot carry
    assert main(["validate", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Sources" in out and "hmc_rest" in out and "hmc_cli" in out
