"""Synthetic estates written in the real export formats: the sample bundle, test and benchmark fleets."""

from __future__ import annotations

import shutil
from pathlib import Path

from hatoolkit.synth.estate import Estate
from hatoolkit.synth.fleet import fleet
from hatoolkit.synth.hmc_writer import STYLES, Quirks, write_system
from hatoolkit.synth.sample import SAMPLE_VIOS_CAPTURE, sample_estate
from hatoolkit.synth.vios_writer import write_vios

# How each sample system is captured: every capture style and quirk appears at least once.
SAMPLE_CAPTURE = {
    "PRD-1": ("transcript", Quirks(), None),
    "PRD-2": ("files", Quirks(stray_spaces=True), None),
    "IBMI-7": ("bare", Quirks(), None),
    # DR-1's physical I/O listing was never captured: a realistic collection gap.
    "DR-1": ("delimited", Quirks(crlf=True),
             ("sys", "lpar", "prof", "proc_sys", "proc_lpar", "procpool", "mem_sys", "mem_lpar", "veth", "vscsi",
              "vfc")),
}


def write_estate(estate: Estate, out: Path, styles: dict[str, tuple[str, Quirks, tuple[str, ...] | None]] | None = None,
                 vios_styles: dict[str, str] | None = None) -> list[Path]:
    """Write every system of the estate (style per system, rotating through STYLES by default).

    VIOS that have a VIOS-side configuration are written under vios/<system>/ (style per VIOS).
    """
    written: list[Path] = []
    for i, system in enumerate(estate.systems):
        style, quirks, kinds = (styles or {}).get(system.name, (STYLES[i % len(STYLES)], Quirks(), None))
        written += write_system(system, out, style, quirks, kinds)
        if any(lp.vios_config for lp in system.lpars):
            written += write_vios(system, out, vios_styles or "files")
    if estate.plan_yaml:
        plan = out / "plan.yaml"
        plan.write_text(estate.plan_yaml, encoding="utf-8")
        written.append(plan)
    return written


def _fresh(out: Path) -> None:
    """Remove what a previous synth run wrote (only hatoolkit's own folders), keep anything else."""
    for name in ("hmc", "vios"):
        if (out / name).is_dir():
            shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)


def write_fleet(out: Path, systems: int, seed: int = 1, lpars_per_system: int = 20) -> list[Path]:
    _fresh(out)
    return write_estate(fleet(systems, seed, lpars_per_system), out)


def write_sample(out: Path) -> list[Path]:
    _fresh(out)
    return write_estate(sample_estate(), out, SAMPLE_CAPTURE, SAMPLE_VIOS_CAPTURE)


__all__ = ["Estate", "fleet", "sample_estate", "write_estate", "write_fleet", "write_sample"]
