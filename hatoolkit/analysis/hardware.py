"""Facts about Power hardware that exports do not state: processor generation by machine type-model,
which generations can exchange partitions by LPM, and one spelling of processor compatibility modes.

Generations come from IBM's model names (e.g. 9105-42A is the Power S1024, a Power10). The LPM
pairs follow IBM's firmware support matrices for partition mobility (POWER8 doc p8hc3: POWER6,
POWER7 and POWER8 interoperate; Power10/Power11 docs: Power10 accepts POWER9 and later firmware
910+, "source and destination must be POWER8 or later" on Power10; POWER9 accepts POWER7+
firmware 780+), reduced to a minimum partner generation per generation. An unknown model gives
an unknown generation, never a guess.
"""

from __future__ import annotations

import re

import pandas as pd

# Generation ranks: 65 = POWER6+, 75 = POWER7+. Models not listed are unknown.
GENERATIONS: dict[str, int] = {
    # POWER5 (no partition mobility)
    "9131-52A": 50, "9133-55A": 50, "9116-561": 50, "9117-570": 50, "9119-590": 50, "9119-595": 50, "9110-510": 50,
    "9111-520": 50, "9113-550": 50, "9406-520": 50, "9406-550": 50,
    # POWER6 / POWER6+
    "9117-MMA": 60, "9119-FHA": 60, "8203-E4A": 60, "8204-E8A": 60, "8234-EMA": 60, "9406-MMA": 60, "9407-M15": 60,
    "9408-M25": 60, "9409-M50": 60,
    # POWER7 / POWER7+
    "8202-E4B": 70, "8202-E4C": 70, "8205-E6B": 70, "8205-E6C": 70, "8231-E2B": 70, "8231-E2C": 70, "8233-E8B": 70,
    "9117-MMB": 70, "9117-MMC": 70, "9179-MHB": 70, "9179-MHC": 70, "9119-FHB": 70, "8246-L1C": 70, "8246-L2C": 70,
    "8202-E4D": 75, "8205-E6D": 75, "8231-E2D": 75, "8408-E8D": 75, "9109-RMD": 75, "9117-MMD": 75, "9179-MHD": 75,
    # POWER8
    "8247-21L": 80, "8247-22L": 80, "8247-42L": 80, "8284-21A": 80, "8284-22A": 80, "8286-41A": 80, "8286-42A": 80,
    "8408-E8E": 80, "8408-44E": 80, "9119-MME": 80, "9119-MHE": 80, "9080-MME": 80, "9080-MHE": 80, "8348-21C": 80,
    # POWER9
    "9008-22L": 90, "9009-22A": 90, "9009-22G": 90, "9009-41A": 90, "9009-41G": 90, "9009-42A": 90, "9009-42G": 90,
    "9223-22H": 90, "9223-42H": 90, "9040-MR9": 90, "9080-M9S": 90, "9183-22X": 90,
    # Power10
    "9105-22A": 100, "9105-22B": 100, "9105-41B": 100, "9105-42A": 100, "9786-22H": 100, "9786-42H": 100,
    "9043-MRX": 100, "9080-HEX": 100, "9028-21B": 100,
    # Power11
    "9824-22A": 110, "9824-42A": 110, "9856-42H": 110,
}
GENERATION_NAMES = {50: "POWER5", 60: "POWER6", 65: "POWER6+", 70: "POWER7", 75: "POWER7+", 80: "POWER8",
                    90: "POWER9", 100: "Power10", 110: "Power11"}
# The oldest generation each generation exchanges partitions with (the pair must satisfy both sides).
MIN_LPM_PARTNER = {60: 60, 65: 60, 70: 60, 75: 60, 80: 60, 90: 75, 100: 80, 110: 90}
FIRST_LPM_GENERATION = 60


def generation(type_model: object) -> int | None:
    """Generation rank of a `tttt-mmm` type-model, None when unknown."""
    if not isinstance(type_model, str):
        return None
    return GENERATIONS.get(type_model.strip().upper())


def generation_name(rank: int | None) -> str:
    return GENERATION_NAMES.get(rank, "unknown") if rank is not None else "unknown"


def lpm_pair_supported(source: int, destination: int) -> bool:
    """Whether IBM supports partition mobility between the two generations (either direction)."""
    if source < FIRST_LPM_GENERATION or destination < FIRST_LPM_GENERATION:
        return False
    return destination >= MIN_LPM_PARTNER.get(source, source) and source >= MIN_LPM_PARTNER.get(destination, destination)


_COMPAT_RE = re.compile(r"[\s\-]+")


def compat_mode(value: object) -> str | None:
    """One spelling for processor compatibility modes: CLI `POWER9_base`, REST `POWER9_Base`, `POWER6+`,
    `POWER6_Plus`, `Power10` all compare equal (upper case, `+` -> `_PLUS`)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = _COMPAT_RE.sub("_", str(value).strip()).upper().replace("+", "_PLUS")
    return text or None


def compat_modes(values: object) -> frozenset[str] | None:
    if not isinstance(values, tuple | list):
        return None
    return frozenset(m for m in (compat_mode(v) for v in values) if m)
