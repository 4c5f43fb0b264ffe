"""Schemas of observed utilisation: processor samples per partition, and whether collection was on.

`utilization` holds one row per partition sample: the physical processors the partition consumed
on average over the interval that ends at `sampled_at` (from `lslparutil` cycle counters, or an
HMC Scanner usage sheet), with the entitlement and allocated memory it had then. `sampled_at` is
tz-aware UTC; the HMC prints its own local time and ingest places it in the zone of the bundle's
plan.yaml (`time_zone` says which zone was used, "UTC" when none was stated). `origin` says where a
row came from; the finest origin of a partition wins in analyses (lslparutil, then hourly, then
daily sheets). Memory is what the HMC allocated, never memory used inside the partition (the HMC
cannot see that).

`utilization_config` holds `lslparutil -r config`: the sample rate per managed system (0 = off).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from hatoolkit.model.frames import FrameModel

ORIGINS: tuple[str, ...] = ("lslparutil", "hmcscanner_hourly", "hmcscanner_daily")

Str = Series[str]
Int = Series[pd.Int64Dtype]
Float = Series[pd.Float64Dtype]
Ts = Series[pd.DatetimeTZDtype(unit="us", tz="UTC")]


def opt(**kw: object) -> object:
    return pa.Field(nullable=True, **kw)


class Utilization(FrameModel):
    """One row per partition sample: processors consumed over the interval ending at `sampled_at`."""

    system: Str
    lpar_id: Int = pa.Field(ge=1)
    partition: Str = opt()
    sampled_at: Ts
    interval_s: Float = pa.Field(gt=0, description="seconds the sample averages over (since the previous one)")
    proc_units_used: Float = pa.Field(ge=0, description="physical processors consumed, average over the interval")
    proc_units_entitled: Float = opt(ge=0, description="curr_proc_units (shared) or curr_procs (dedicated) then")
    proc_mode: Str = opt(isin=("shared", "ded"))
    mem_mb: Int = opt(ge=0, description="curr_mem: memory allocated to the partition then (not memory used)")
    origin: Str = pa.Field(isin=ORIGINS)
    time_zone: Str = opt(description="zone the HMC's local sample times were read in")


class UtilizationConfig(FrameModel):
    """`lslparutil -r config`: the HMC's utilisation sample rate for a managed system (0: collection off)."""

    system: Str
    hmc: Str = opt()
    sample_rate_s: Int = opt(ge=0)
