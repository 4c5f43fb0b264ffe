"""Relative per-core processor performance, so a POWER10 core is not counted as a POWER8 core.

A partition entitled to 4.0 processing units on a Power S1024 needs about 5.2 units on a Power
S924 to do the same work: failover demand must be scaled by the ratio of per-core performance of
the source and the target. IBM publishes rPerf (relative performance, AIX commercial workload)
per model and processor configuration; this table keeps a small selection, as total rPerf per
number of installed cores, taken from the IBM Power Systems Performance Report figures compiled in
N. Griffiths' `rperf` script (github.com/nigelargriffiths/rperf, v44, 2026-05; "numbers taken
from Power Systems Facts and Features"). The configuration is found from the system's installed
cores (`installed_sys_proc_units`), which picks the processor feature (e.g. an S1024 with 32
cores is the 2x16-core 3.1 GHz feature: 1013.4 rPerf, 31.67 per core).

Limits: rPerf models an AIX commercial workload (CPW would be the IBM i measure), clock options
with the same core count differ by up to ~20 %, and SMT/compat modes change real throughput. It
is a sizing ratio, not a promise. Override per system name or type-model in plan.yaml
(`rperf: {DR-1: 24.3, 9105-42A: 31.67}`, per-core rPerf on the same scale).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import median
from typing import Any

# type-model -> (name, generation, {installed cores: total rPerf}); IBM published rPerf figures.
RPERF_TABLE: dict[str, tuple[str, str, dict[int, float]]] = {
    # POWER7 / POWER7+
    "8205-E6C": ("Power 740", "POWER7", {4: 48.33, 6: 76.69, 8: 91.96, 12: 147.24, 16: 176.57}),
    "8205-E6D": ("Power 740", "POWER7", {6: 90.6, 8: 115.5, 12: 176.6, 16: 197.7}),
    "8202-E4C": ("Power 720", "POWER7", {4: 52.93, 6: 76.69, 8: 101.62}),
    "9117-MMD": ("Power 770", "POWER7", {16: 219.3, 32: 410.8, 48: 570.1, 64: 729.3}),
    # POWER8
    "8284-22A": ("Power S822", "POWER8", {6: 120.8, 8: 155.1, 10: 177.8, 12: 235.6, 16: 302.4, 20: 346.7}),
    "8286-41A": ("Power S814", "POWER8", {4: 66.9, 6: 97.5, 8: 143.9}),
    "8286-42A": ("Power S824", "POWER8", {6: 120.8, 8: 166.0, 12: 235.6, 16: 323.6, 24: 421.9}),
    "8408-E8E": ("Power E850", "POWER8", {16: 304.5, 20: 347.8, 24: 383.0, 32: 593.8, 40: 678.3, 48: 746.9}),
    "9119-MME": ("Power E870", "POWER8", {32: 674.5, 40: 856.0, 64: 1349.0, 80: 1711.9}),
    "9119-MHE": ("Power E880", "POWER8", {32: 716.3, 48: 976.4, 64: 1432.5, 96: 1952.9, 192: 3905.8}),
    # POWER9
    "9009-41A": ("Power S914", "POWER9", {4: 80.9, 6: 118.6, 8: 183.2}),
    "9009-22A": ("Power S922", "POWER9", {4: 89.8, 8: 202.3, 10: 218.6, 16: 394.5, 20: 426.4}),
    "9009-42A": ("Power S924", "POWER9", {8: 219.4, 10: 256.1, 12: 299.0, 16: 427.8, 20: 499.5, 24: 583.1}),
    "9040-MR9": ("Power E950", "POWER9", {16: 446.3, 20: 530.2, 24: 587.8, 32: 870.4, 40: 1034.1, 48: 1146.4}),
    "9080-M9S": ("Power E980", "POWER9", {48: 1270.2, 96: 2540.4, 144: 3810.6, 192: 5081.7}),
    # Power10
    "9105-41B": ("Power S1014", "POWER10", {4: 129.4, 8: 254.2}),
    "9105-22B": ("Power S1022s", "POWER10", {4: 129.4, 8: 254.2, 16: 477.8}),
    "9105-22A": ("Power S1022", "POWER10", {12: 358.5, 24: 699.2, 32: 924.1, 40: 1024.1}),
    "9105-42A": ("Power S1024", "POWER10", {12: 415.7, 24: 810.6, 32: 1013.4, 48: 1331.8}),
    "9043-MRX": ("Power E1050", "POWER10", {24: 818.7, 36: 1136.5, 48: 1378.8, 72: 2033.5, 96: 2688.9}),
    "9080-HEX": ("Power E1080", "POWER10", {40: 1366.8, 48: 1680.6, 60: 1999.7, 120: 3999.3, 240: 7998.6}),
    # Power11
    "9824-22A": ("Power S1122", "POWER11", {8: 292.9, 20: 626.7, 32: 1040.3, 48: 1357.8, 60: 1531.9}),
    "9824-42A": ("Power S1124", "POWER11", {16: 572.9, 32: 1117.1, 48: 1529.0, 60: 1736.8}),
    "9043-MRU": ("Power E1150", "POWER11", {32: 1154.3, 48: 1702.5, 64: 2251.3, 96: 3050.3, 120: 3503.9}),
    "9080-HEU": ("Power E1180", "POWER11", {40: 1499.8, 64: 2285.2, 128: 4570.5, 192: 7395.0, 256: 9141.0}),
}

_GEN_RE = re.compile(r"^POWER(\d+)", re.I)


def _generation_medians() -> dict[str, float]:
    per_gen: dict[str, list[float]] = {}
    for _name, gen, configs in RPERF_TABLE.values():
        per_gen.setdefault(gen, []).extend(total / cores for cores, total in configs.items())
    return {gen: round(median(values), 2) for gen, values in per_gen.items()}


# Fallback when the model is not in the table: the median per-core rPerf of the generation.
GENERATION_RPERF: dict[str, float] = _generation_medians()


@dataclass(frozen=True)
class CoreRating:
    """Per-core rPerf of one system and where the number came from (said in evidence)."""

    per_core: float | None
    basis: str  # "plan:DR-1", "table:9009-42A/24c", "generation:POWER9", "unknown"

    @property
    def known(self) -> bool:
        return self.per_core is not None


def generation_of(type_model: Any, compat_modes: Any) -> str | None:
    """POWERn of a system: from the table by model, else the newest mode it can run partitions in."""
    if isinstance(type_model, str) and type_model in RPERF_TABLE:
        return RPERF_TABLE[type_model][1]
    best = None
    if isinstance(compat_modes, tuple | list):
        for mode in compat_modes:
            m = _GEN_RE.match(str(mode))
            if m and (best is None or int(m.group(1)) > best):
                best = int(m.group(1))
    return f"POWER{best}" if best is not None else None


def core_rating(system: str, type_model: Any, installed_cores: Any, compat_modes: Any = None,
                overrides: Mapping[str, float] | None = None) -> CoreRating:
    """Per-core rPerf: plan override (system name, then type-model), table, generation, unknown."""
    overrides = overrides or {}
    if system in overrides:
        return CoreRating(float(overrides[system]), f"plan:{system}")
    if isinstance(type_model, str) and type_model in overrides:
        return CoreRating(float(overrides[type_model]), f"plan:{type_model}")
    if isinstance(type_model, str) and type_model in RPERF_TABLE:
        configs = RPERF_TABLE[type_model][2]
        try:
            cores = round(float(installed_cores))
        except (TypeError, ValueError):
            cores = max(configs)
        # The configuration with the installed core count, else the nearest (ties: the larger).
        chosen = min(configs, key=lambda c: (abs(c - cores), -c))
        return CoreRating(round(configs[chosen] / chosen, 2), f"table:{type_model}/{chosen}c")
    gen = generation_of(type_model, compat_modes)
    if gen in GENERATION_RPERF:
        return CoreRating(GENERATION_RPERF[gen], f"generation:{gen}")
    return CoreRating(None, "unknown")


def scale(source: CoreRating, target: CoreRating) -> float:
    """Factor to multiply source processor demand by on the target (1.0 when either is unknown)."""
    if not source.known or not target.known:
        return 1.0
    return round(source.per_core / target.per_core, 4)  # type: ignore[operator]
