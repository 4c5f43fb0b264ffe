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
import pyarrow as pa
import pyarrow.compute as pc

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


def _as_arrow(raw: pd.Series) -> pa.ChunkedArray:
    data = pa.array(raw.astype("str"))
    return data if isinstance(data, pa.ChunkedArray) else pa.chunked_array([data])


def _numeric(raw: pd.Series, arrow_type: pa.DataType, integral: bool) -> Parsed:
    """Clean numbers cast in one C kernel; anything else goes through the careful path."""
    try:
        cast = pc.cast(_as_arrow(raw), arrow_type)
        values = pd.Series(cast.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype(),
                                                         pa.float64(): pd.Float64Dtype()}.get),
                           index=raw.index)
        return Parsed(values, np.zeros(len(raw), dtype=bool))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    stripped, present = _present(raw)
    numbers = pd.to_numeric(stripped.where(present), errors="coerce")
    if integral:
        ok = numbers.notna() & (numbers == np.floor(numbers))
        return Parsed(numbers.where(ok).astype("Int64"), present & ~ok.to_numpy(dtype=bool))
    return Parsed(numbers.astype("Float64"), present & numbers.isna().to_numpy(dtype=bool))


def integer(raw: pd.Series) -> Parsed:
    return _numeric(raw, pa.int64(), integral=True)


def decimal(raw: pd.Series) -> Parsed:
    return _numeric(raw, pa.float64(), integral=False)


_BITS = pa.array(["0", "1"])


def boolean(raw: pd.Series) -> Parsed:
    arr = _as_arrow(raw)
    if pc.all(pc.is_in(arr, value_set=_BITS, skip_nulls=True)).as_py() is not False:
        # The HMC's own spelling (0/1) everywhere: one comparison, absent stays NA.
        values = pd.Series(pc.equal(arr, "1").to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get),
                           index=raw.index)
        return Parsed(values, np.zeros(len(raw), dtype=bool))
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
    """A list converter: `none`/empty -> (), `unavailable` -> NA, else CSV elements.

    Lists repeat a lot (most adapters have no additional VLANs), so each distinct value is
    parsed once and the results are fanned out by dictionary index.
    """

    def parse(value: str | None) -> object:
        if value is None:
            return pd.NA
        value = value.strip()
        lower = value.lower()
        if lower in ("", "none", "null"):
            return ()
        if lower in MISSING:
            return pd.NA
        try:
            return tuple(element(e.strip()) for e in next(csv.reader([value])) if e.strip())
        except (csv.Error, ValueError):
            return False

    def convert(raw: pd.Series) -> Parsed:
        encoded = pc.dictionary_encode(_as_arrow(raw)).combine_chunks()
        parsed = [parse(v) for v in encoded.dictionary.to_pylist()]
        table = np.empty(len(parsed) + 1, dtype=object)
        for i, value in enumerate(parsed):
            table[i] = pd.NA if value is False else value
        table[-1] = pd.NA  # absent attribute
        indices = encoded.indices.fill_null(len(parsed)).to_numpy(zero_copy_only=False)
        values = table[indices]
        bad_codes = np.array([v is False for v in parsed] + [False])
        return Parsed(pd.Series(values, index=raw.index, dtype=object), bad_codes[indices])

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
