"""Synthetic estates written in the real export formats: the sample bundle, test and benchmark fleets."""

from __future__ import annotations

import shutil
from pathlib import Path

from hatoolkit.synth import rest_writer
from hatoolkit.synth.estate import Estate
from hatoolkit.synth.fleet import fleet
from hatoolkit.synth.hmc_writer import STYLES, Quirks, write_system
from hatoolkit.synth.ibmi_writer import write_ibmi
from hatoolkit.synth.sample import SAMPLE_VIOS_CAPTURE, sample_estate
from hatoolkit.synth.usage import write_usage
from hatoolkit.synth.vios_writer import write_vios

FORMATS = ("cli", "rest")  # `hatoolkit synth --format`: HMC CLI captures, HMC REST XML (or both)

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
                 formats: tuple[str, ...] = ("cli",), vios_styles: dict[str, str] | None = None,
                 vios_captures: bool | None = None) -> list[Path]:
    """Write every system of the estate: CLI captures (style per system, rotating through STYLES by
    default) and/or REST XML (`formats`), both rendered from the same estate; VIOS captures for VIOS
    that have a VIOS-side configuration (vios/<system>/, style per VIOS) with the CLI captures (REST
    XML carries the VIOS side itself; `vios_captures` overrides); IBM i exports."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s) {sorted(unknown)}; one of {FORMATS}")
    written: list[Path] = []
    for i, system in enumerate(estate.systems):
        style, quirks, kinds = (styles or {}).get(system.name, (STYLES[i % len(STYLES)], Quirks(), None))
        if "cli" in formats:
            written += write_system(system, out, style, quirks, kinds)
            written += write_usage(system, out, style)  # lslparutil history, if the system has one
        if "rest" in formats:
            written += rest_writer.write_system(system, out)
        with_vios = "cli" in formats if vios_captures is None else vios_captures
        if with_vios and any(lp.vios_config for lp in system.lpars):
            written += write_vios(system, out, vios_styles or "files")
        written += write_ibmi(system, out, estate.ibmi_zone)  # IBM i exports are the same either way
    if estate.plan_yaml:
        plan = out / "plan.yaml"
        plan.write_text(estate.plan_yaml, encoding="utf-8")
        written.append(plan)
    if estate.waivers_yaml:
        waivers = out / "waivers.yaml"
        waivers.write_text(estate.waivers_yaml, encoding="utf-8")
        written.append(waivers)
    return written


def _fresh(out: Path) -> None:
    """Remove what a previous synth run wrote (only hatoolkit's own folders), keep anything else."""
    for name in ("hmc", "ibmi", "rest", "vios"):
        if (out / name).is_dir():
            shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)


def write_fleet(out: Path, systems: int, seed: int = 1, lpars_per_system: int = 20,
                formats: tuple[str, ...] = ("cli",)) -> list[Path]:
    _fresh(out)
    return write_estate(fleet(systems, seed, lpars_per_system), out, formats=formats)


def write_sample(out: Path, formats: tuple[str, ...] = ("cli",)) -> list[Path]:
    _fresh(out)
    return write_estate(sample_estate(), out, SAMPLE_CAPTURE, formats=formats, vios_styles=SAMPLE_VIOS_CAPTURE)


__all__ = ["FORMATS", "Estate", "fleet", "sample_estate", "write_estate", "write_fleet", "write_sample"]
