"""Shared machinery for the Inventory's frame schemas: a base config, empty frames, validation.

Every frame schema is a strict pandera model that never coerces: parsers hand over exact dtypes
(nullable `Int64`/`Float64`/`boolean`, `str`, tuples for lists, tz-aware datetimes) and the schema
only checks them. A schema failure here is a parser bug or an unexpected capture, and is reported
as a data gap by the loader rather than silently "fixed".
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

# Sentinel spellings meaning "no value" in HMC/VIOS output (reference A.1 rule 6).
SENTINELS: frozenset[str] = frozenset({"", "none", "null", "unavailable", "unknown", "n/a", "na"})


class FrameModel(pa.DataFrameModel):
    """Base of every Inventory frame: strict columns, no coercion, provenance in `source`."""

    source: Series[str] = pa.Field(nullable=True, description="file:line of the record(s) behind the row")

    class Config:
        strict = True
        coerce = False


def _dtype_of(column: pa.Column) -> Any:
    dtype = column.dtype.type if column.dtype is not None else object
    if dtype is str or str(dtype) in ("str", "string"):
        return "str"
    return dtype


def empty(model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """A zero-row frame with the schema's columns and dtypes, so absent data has a shape."""
    schema = model.to_schema()
    return pd.DataFrame({name: pd.Series([], dtype=_dtype_of(col)) for name, col in schema.columns.items()})


def conform(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    """Order and complete a parsed frame to the schema: missing columns become typed NA columns.

    Only columns absent from the capture are added; existing ones are never cast, so a parser
    that produced the wrong dtype still fails validation instead of being silently coerced.
    """
    schema = model.to_schema()
    out = {}
    n = len(frame)
    for name, col in schema.columns.items():
        if name in frame.columns:
            out[name] = frame[name].reset_index(drop=True)
        else:
            dtype = _dtype_of(col)
            if dtype is object:
                out[name] = pd.Series([pd.NA] * n, dtype=object)
            else:
                out[name] = pd.Series([None] * n, dtype=dtype)
    return pd.DataFrame(out, index=pd.RangeIndex(n))


def validate(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    """Validate lazily so every failing column is reported at once (raises pandera SchemaErrors)."""
    return model.validate(frame, lazy=True)


def from_rows(model: type[pa.DataFrameModel], rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows of Python values (None for missing, tuples for lists) -> a frame with the schema's exact dtypes.

    For readers that build rows one object at a time (VIOS listings, REST entries, workbook sheets);
    a value that cannot take its column's dtype raises, as a parser bug should.
    """
    frame = empty(model)
    if not rows:
        return frame
    out = {}
    for col, dtype in frame.dtypes.items():
        values = [r.get(col) for r in rows]
        if pd.api.types.is_object_dtype(dtype):
            out[col] = pd.Series([pd.NA if v is None else v for v in values], dtype=object)
        else:
            out[col] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(out)
