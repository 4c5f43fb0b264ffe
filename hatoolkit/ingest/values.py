"""Vectorised parsing of attribute values into real dtypes: parsers parse, schemas only validate.

Each converter takes the raw string column (NaN where the attribute was absent) and returns the
typed column plus a mask of values that were present, not a sentinel, and still not parseable:
those become data gaps naming file and line, never silent NaNs and never coerced guesses
(`"false"` must not become True).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

from hatoolkit.model.frames import SENTINELS

# "Unknown" as HMCs in other locales print it (the corpus has a Polish HMC: `Nieznane`).
LOCALISED_UNKNOWN = frozenset(
    {
        "unknown", "nieznane", "inconnu", "unbekannt", "sconosciuto", "desconocido", "desconhecido",
        "neznámý", "ismeretlen", "okänd", "onbekend", "неизвестно", "不明", "未知", "알 수 없음",
    }
)
MISSING = SENTINELS | LOCALISED_UNKNOWN
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "enabled", "active"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "disabled", "inactive"})


class Parsed(NamedTuple):
    values: pd.Series
    bad: np.ndarray  # bool mask: present, not a sentinel, not parseable


def _present(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Stripped text and the mask of cells that carry a real (non-sentinel) value."""
    text = raw.astype("str").str.strip()
    absent = text.isna() | text.str.lower().isin(MISSING)
    return text, (~absent).to_numpy(dtype=bool)


def text(raw: pd.Series) -> Parsed:
    """Free text; sentinels and localised 'Unknown' are missing."""
    stripped, present = _present(raw)
    return Parsed(stripped.where(present), np.zeros(len(raw), dtype=bool))


def name(raw: pd.Series) -> Parsed:
    """Identifiers (partition, profile, system names): only empty and `null` (-F output) are missing.

    Names are not mapped through the sentinel list: `none` or `Unknown` could be a real name.
    """
    stripped = raw.astype("str").str.strip()
    present = (stripped.str.len() > 0) & (stripped != "null")
    return Parsed(stripped.where(present), np.zeros(len(raw), dtype=bool))


def integer(raw: pd.Series) -> Parsed:
    stripped, present = _present(raw)
    numbers = pd.to_numeric(stripped.where(present), errors="coerce")
    integral = numbers.notna() & (numbers == np.floor(numbers))
    bad = present & ~integral.to_numpy(dtype=bool)
    return Parsed(numbers.where(integral).astype("Int64"), bad)


def decimal(raw: pd.Series) -> Parsed:
    stripped, present = _present(raw)
    numbers = pd.to_numeric(stripped.where(present), errors="coerce")
    bad = present & numbers.isna().to_numpy(dtype=bool)
    return Parsed(numbers.astype("Float64"), bad)


def boolean(raw: pd.Series) -> Parsed:
    stripped, present = _present(raw)
    lower = stripped.str.lower()
    is_true = lower.isin(TRUE_WORDS).to_numpy(dtype=bool)
    is_false = lower.isin(FALSE_WORDS).to_numpy(dtype=bool)
    out = pd.array(np.where(is_true, True, False), dtype="boolean")
    out[~(is_true | is_false)] = pd.NA
    return Parsed(pd.Series(out, index=raw.index), present & ~(is_true | is_false))


def hex_or_int(raw: pd.Series) -> Parsed:
    """`0x0000000b` (VIOS client IDs) or decimal."""
    stripped, present = _present(raw)
    out = np.full(len(raw), np.nan)
    bad = np.zeros(len(raw), dtype=bool)
    for i in np.flatnonzero(present):
        value = stripped.iat[i]
        try:
            out[i] = int(value, 16) if value.lower().startswith("0x") else int(value)
        except ValueError:
            bad[i] = True
    return Parsed(pd.Series(out, index=raw.index).astype("Int64"), bad)


def hpt_ratio(raw: pd.Series) -> Parsed:
    """`1:64` -> 64 (the HMC's 1:N hardware page table ratio)."""
    stripped, present = _present(raw)
    denominator = stripped.str.extract(r"^1:(\d+)$", expand=False)
    numbers = pd.to_numeric(denominator, errors="coerce")
    bad = present & numbers.isna().to_numpy(dtype=bool)
    return Parsed(numbers.astype("Int64"), bad)


def _list_parser(element: Callable[[str], object]) -> Callable[[pd.Series], Parsed]:
    """A list converter: `none`/empty -> (), `unavailable` -> NA, else CSV elements (cached per value)."""

    def convert(raw: pd.Series) -> Parsed:
        stripped = raw.astype("str").str.strip()
        lower = stripped.str.lower()
        empty_list = lower.isin(("", "none", "null")).to_numpy(dtype=bool)
        unknown = (stripped.isna() | lower.isin(MISSING - {"", "none", "null"})).to_numpy(dtype=bool)
        cache: dict[str, object] = {}
        bad = np.zeros(len(raw), dtype=bool)
        values: list[object] = [()] * len(raw)
        for i in np.flatnonzero(~empty_list & ~unknown):
            value = stripped.iat[i]
            parsed = cache.get(value)
            if parsed is None:
                try:
                    elements = next(csv.reader([value]))
                    parsed = tuple(element(e.strip()) for e in elements if e.strip())
                except (csv.Error, ValueError):
                    parsed = False
                cache[value] = parsed
            if parsed is False:
                bad[i] = True
                values[i] = pd.NA
            else:
                values[i] = parsed
        for i in np.flatnonzero(unknown):
            values[i] = pd.NA
        return Parsed(pd.Series(values, index=raw.index, dtype=object), bad)

    return convert


str_list = _list_parser(str)
int_list = _list_parser(int)
wwpn_list = _list_parser(lambda e: e.lower())


CONVERTERS: dict[str, Callable[[pd.Series], Parsed]] = {
    "text": text,
    "name": name,
    "int": integer,
    "float": decimal,
    "bool": boolean,
    "hex": hex_or_int,
    "hpt": hpt_ratio,
    "str_list": str_list,
    "int_list": int_list,
    "wwpn_list": wwpn_list,
}
