"""HMC utilisation history (`lslparutil`) into the utilization frames: cycles -> processors consumed.

The HMC samples each partition's cumulative processor cycle counters at its configured sample rate
(`lslparutil -r config`; 0 = collection off) and also hourly. What a partition consumed between
two samples is, per IBM, the cycles it used divided by the cycles that elapsed:

    shared:    proc_units_used = (d capped_cycles + d uncapped_cycles) / d time_cycles
    dedicated: proc_units_used = (d capped_cycles - d idle_cycles) / d time_cycles

`time_cycles` counts at the system's `proc_cycles_per_second`; where a record lacks it the
denominator is proc_cycles_per_second (from the `-r sys` samples) x the seconds between samples.
A sample row is the average over the interval that ends at its time; the first sample of a
partition has no interval. Counters that go backwards (a restart) end an interval unused.

Times: `time=MM/DD/YYYY HH:MM:SS` is the HMC's local time and carries no zone. It is placed in the
zone the analyst stated for the estate (plan.yaml `timezone`), else read as UTC and reported (the
HMC's own zone cannot be read from the capture). Samples are put in order by their cycle counter,
so the hour an autumn clock change repeats is told apart (first the summer-time instant, then the
winter-time one); a local time that does not exist (spring forward) is dropped and reported.

Data quality goes to gaps: collection off, holes in the samples (longer than twice the sample
rate), counters that went backwards, running partitions of a sampled system without samples.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.ibmi_csv import Zone

TIME_FORMAT = "%m/%d/%Y %H:%M:%S"
HOLE_FACTOR = 2.0  # an interval longer than this many sample periods is a hole in the samples
DEFAULT_ZONE = "UTC"


def _where(source: object) -> tuple[str | None, int | None]:
    file, _, line = str(source).rpartition(":")
    return (file or None), (int(line) if line.isdigit() else None)


def config_frame(config: pd.DataFrame, hmc_of: dict[str, str], gaps: GapLog) -> pd.DataFrame:
    """`lslparutil -r config` rows -> utilization_config; a rate of 0 is a gap (collection off)."""
    if config.empty or "system" not in config.columns:
        return pd.DataFrame()
    rows = config[config["system"].notna()].drop_duplicates("system", keep="first").reset_index(drop=True)
    rate = rows["sample_rate_s"] if "sample_rate_s" in rows.columns else pd.Series([pd.NA] * len(rows), dtype="Int64")
    files = [_where(s)[0] for s in rows["source"]]
    out = pd.DataFrame({
        "system": rows["system"].astype("str"),
        "hmc": pd.Series([hmc_of.get(f or "") or None for f in files], dtype="str"),
        "sample_rate_s": rate.astype("Int64").reset_index(drop=True),
        "source": rows["source"].astype("str"),
    })
    for system, value, src in zip(out["system"], out["sample_rate_s"], out["source"], strict=True):
        if pd.notna(value) and int(value) == 0:
            file, line = _where(src)
            gaps.add("usage_collection_off", f"utilisation data collection is off for {system} (sample_rate=0): "
                     "no samples to size partitions by observed usage", file=file, line=line, system=system)
    return out


def _ordered(lp: pd.DataFrame) -> pd.DataFrame:
    """Samples in true order per partition: by cycle counter (monotonic across clock changes), then line."""
    line = pd.to_numeric(lp["source"].str.rpartition(":")[2], errors="coerce").fillna(0)
    lp = lp.assign(_line=line.to_numpy(dtype=np.int64))
    # Without a counter, newest-first HMC output is reversed by its line numbers.
    counter = lp["time_cycles"].astype("Float64") if "time_cycles" in lp.columns else pd.Series(np.nan, index=lp.index)
    lp = lp.assign(_ord=counter.fillna(-1.0).astype(float), _neg_line=-lp["_line"])
    return lp.sort_values(["system", "lpar_id", "_naive", "_ord", "_neg_line"], kind="mergesort")


def _to_utc(lp: pd.DataFrame, zone: Zone, gaps: GapLog) -> pd.Series:
    """Local sample times -> UTC; the first of two equal local times is the summer-time instant."""
    naive = pd.DatetimeIndex(lp["_naive"]).as_unit("us")
    if not zone.known:
        return pd.Series(naive.tz_localize("UTC"), index=lp.index)
    first = ~lp.duplicated(["system", "lpar_id", "_naive"], keep="first").to_numpy(dtype=bool)
    placed = naive.tz_localize(zone.tz, ambiguous=first, nonexistent="NaT")
    for i in np.flatnonzero(placed.isna() & ~naive.isna()):
        file, line = _where(lp["source"].iat[i])
        gaps.add("local_time", f"time={naive[i]:%m/%d/%Y %H:%M:%S} does not exist in {zone.name} (clock moved "
                 "forward); sample not used", file=file, line=line, system=str(lp["system"].iat[i]))
    return pd.Series(placed.tz_convert("UTC"), index=lp.index)


def _cycles_per_second(sysrows: pd.DataFrame) -> dict[str, float]:
    if sysrows.empty or "proc_cycles_per_second" not in sysrows.columns:
        return {}
    rate = sysrows.dropna(subset=["proc_cycles_per_second"]).groupby("system")["proc_cycles_per_second"].median()
    return {str(k): float(v) for k, v in rate.items() if v and v > 0}


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    return frame[col].to_numpy(dtype=float, na_value=np.nan) if col in frame.columns else np.full(len(frame), np.nan)


def usage_frame(util: pd.DataFrame, partitions: pd.DataFrame, zone: Zone | None, gaps: GapLog) -> pd.DataFrame:
    """`lslparutil` records (all resource types) -> one utilization row per partition interval."""
    if util.empty or "system" not in util.columns:
        return pd.DataFrame()
    util = _ids_by_name(util[util["system"].notna()].reset_index(drop=True), partitions, gaps)
    event = util["event_type"].str.lower() if "event_type" in util.columns else pd.Series(None, index=util.index,
                                                                                          dtype="str")
    kind = util["resource_type"].str.lower() if "resource_type" in util.columns else pd.Series(None, index=util.index,
                                                                                              dtype="str")
    sample = (event.eq("sample") | event.isna()).to_numpy(dtype=bool)
    has_lpar = util["lpar_id"].notna().to_numpy(dtype=bool) if "lpar_id" in util.columns else np.zeros(len(util), bool)
    lpar_rows = sample & (kind.eq("lpar").fillna(False).to_numpy(dtype=bool) | (kind.isna().to_numpy(dtype=bool)
                                                                                 & has_lpar))
    rates = _cycles_per_second(util[sample & kind.eq("sys").fillna(False).to_numpy(dtype=bool)])
    lp = util[lpar_rows & has_lpar].reset_index(drop=True)
    if lp.empty:
        return pd.DataFrame()
    raw_time = lp["time"] if "time" in lp.columns else pd.Series(None, index=lp.index, dtype="str")
    naive = pd.to_datetime(raw_time, format=TIME_FORMAT, errors="coerce")
    for i in np.flatnonzero(naive.isna().to_numpy()):
        file, line = _where(lp["source"].iat[i])
        gaps.add("bad_value", f"time={raw_time.iat[i]!r} is not MM/DD/YYYY HH:MM:SS; sample not used", file=file,
                 line=line, system=str(lp["system"].iat[i]))
    lp = _ordered(lp.assign(_naive=naive)[naive.notna().to_numpy()])
    if zone is None:
        first = _where(lp["source"].iat[0])
        gaps.add("time_zone", "lslparutil times are the HMC's local time and plan.yaml states no timezone: read "
                 "as UTC (usage windows may be off by the HMC's offset)", file=first[0], line=first[1],
                 system=str(lp["system"].iat[0]))
    zone = zone if zone is not None else Zone.iana(DEFAULT_ZONE)
    lp = lp.assign(sampled_at=_to_utc(lp, zone, gaps)).dropna(subset=["sampled_at"])
    lp = lp.sort_values(["system", "lpar_id", "sampled_at"], kind="mergesort")
    lp = lp.drop_duplicates(["system", "lpar_id", "sampled_at"], keep="first").reset_index(drop=True)
    group = lp.groupby(["system", "lpar_id"], sort=False)
    d = {c: group[c].diff().to_numpy(dtype=float, na_value=np.nan) if c in lp.columns else np.full(len(lp), np.nan)
         for c in ("capped_cycles", "uncapped_cycles", "idle_cycles", "time_cycles")}
    dt = group["sampled_at"].diff().dt.total_seconds().to_numpy(dtype=float, na_value=np.nan)
    cps = np.array([rates.get(s, np.nan) for s in lp["system"]], dtype=float)
    denom = np.where(d["time_cycles"] > 0, d["time_cycles"], cps * dt)
    ded = (lp["curr_proc_mode"].eq("ded").fillna(False).to_numpy(dtype=bool)
           if "curr_proc_mode" in lp.columns else np.zeros(len(lp), bool))
    busy = np.where(ded, d["capped_cycles"] - np.nan_to_num(d["idle_cycles"]),
                    d["capped_cycles"] + np.nan_to_num(d["uncapped_cycles"]))
    backwards = (d["capped_cycles"] < 0) | (d["uncapped_cycles"] < 0) | (d["time_cycles"] < 0) | (busy < 0)
    used = busy / denom
    ok = (dt > 0) & (denom > 0) & np.isfinite(used) & ~backwards
    _report_resets(lp, backwards, gaps)
    if not np.isfinite(cps).all() and (np.isnan(d["time_cycles"]) & ~np.isnan(dt)).any():
        for system in sorted(set(lp.loc[np.isnan(cps) & np.isnan(d["time_cycles"]) & ~np.isnan(dt), "system"])):
            gaps.add("usage_gap", f"lslparutil samples of {system} carry no time_cycles and no -r sys sample gives "
                     "proc_cycles_per_second: processors consumed cannot be computed", system=system)
    entitled = np.where(ded, _num(lp, "curr_procs"), _num(lp, "curr_proc_units"))
    names = lp["name"] if "name" in lp.columns else pd.Series(None, index=lp.index, dtype="str")
    if not partitions.empty and {"system", "lpar_id", "name"} <= set(partitions.columns):
        known = partitions[["system", "lpar_id", "name"]].dropna(subset=["lpar_id"]).drop_duplicates(["system", "lpar_id"])
        looked = lp[["system", "lpar_id"]].merge(known.rename(columns={"name": "_known"}), on=["system", "lpar_id"],
                                                 how="left")["_known"]
        names = names.fillna(pd.Series(looked.to_numpy(dtype=object), index=lp.index, dtype="str"))
    out = pd.DataFrame({
        "system": lp["system"].astype("str"),
        "lpar_id": lp["lpar_id"].astype("Int64"),
        "partition": names.astype("str"),
        "sampled_at": lp["sampled_at"].astype("datetime64[us, UTC]"),
        "interval_s": pd.array(dt, dtype="Float64"),
        "proc_units_used": pd.array(np.round(used, 4), dtype="Float64"),
        "proc_units_entitled": pd.array(entitled, dtype="Float64"),
        "proc_mode": (lp["curr_proc_mode"] if "curr_proc_mode" in lp.columns
                      else pd.Series(None, index=lp.index)).astype("str"),
        "mem_mb": lp["curr_mem_mb"].astype("Int64") if "curr_mem_mb" in lp.columns else pd.array([pd.NA] * len(lp),
                                                                                                  dtype="Int64"),
        "origin": "lslparutil",
        "time_zone": zone.name,
        "source": lp["source"].astype("str"),
    })
    return out[ok].reset_index(drop=True)


def _ids_by_name(util: pd.DataFrame, partitions: pd.DataFrame, gaps: GapLog) -> pd.DataFrame:
    """`-F` output without lpar_id: the ID from the partition listing by name; samples still without one -> gap."""
    if "name" not in util.columns:
        return util
    ids = util["lpar_id"] if "lpar_id" in util.columns else pd.Series(pd.NA, index=util.index, dtype="Int64")
    lpar = util["resource_type"].str.lower().eq("lpar").fillna(False) if "resource_type" in util.columns else \
        util["name"].notna()
    need = (ids.isna() & lpar & util["name"].notna()).to_numpy(dtype=bool)
    if not need.any():
        return util
    if not partitions.empty and {"system", "name", "lpar_id"} <= set(partitions.columns):
        known = partitions.dropna(subset=["lpar_id"]).drop_duplicates(["system", "name"])
        looked = util[["system", "name"]].merge(known[["system", "name", "lpar_id"]], on=["system", "name"],
                                                how="left")["lpar_id"]
        ids = ids.astype("Int64").fillna(pd.Series(looked.to_numpy(dtype=object), index=util.index).astype("Int64"))
    left = need & ids.isna().to_numpy(dtype=bool)
    for system, count in pd.Series(util.loc[left, "system"]).value_counts(sort=False).items():
        file, line = _where(util.loc[left & (util["system"] == system).to_numpy(dtype=bool), "source"].iat[0])
        gaps.add("orphan_record", f"{count} utilisation sample(s) of {system} carry no lpar_id and name no partition "
                 "of the partition listing: not used", file=file, line=line, system=str(system))
    return util.assign(lpar_id=ids.astype("Int64"))


def _report_resets(lp: pd.DataFrame, backwards: np.ndarray, gaps: GapLog) -> None:
    for i in np.flatnonzero(backwards):
        file, line = _where(lp["source"].iat[i])
        name = lp["name"].iat[i] if "name" in lp.columns and isinstance(lp["name"].iat[i], str) else \
            f"lpar_id {lp['lpar_id'].iat[i]}"
        gaps.add("usage_gap", f"{name}: cycle counters went backwards (partition or system restarted): the "
                 "interval before this sample is not used", file=file, line=line,
                 system=str(lp["system"].iat[i]))


def quality_gaps(usage: pd.DataFrame, config: pd.DataFrame, partitions: pd.DataFrame, gaps: GapLog) -> None:
    """Holes in each partition's samples, and running partitions of a sampled system without samples."""
    if usage.empty:
        return
    rate = dict(zip(config["system"], config["sample_rate_s"], strict=True)) if not config.empty else {}
    for (system, lpar_id), series in usage.groupby(["system", "lpar_id"], sort=True):
        # The cadence captured (`-s h`: hourly, whatever the HMC's finer sample rate), never below the rate.
        step = rate.get(system)
        cadence = float(series["interval_s"].median())
        step = max(float(step), cadence) if step is not None and pd.notna(step) and step > 0 else cadence
        holes = series[series["interval_s"].to_numpy(dtype=float) > HOLE_FACTOR * step]
        if holes.empty:
            continue
        longest = holes.loc[holes["interval_s"].idxmax()]
        start = longest["sampled_at"] - pd.Timedelta(seconds=float(longest["interval_s"]))
        name = series["partition"].dropna().iat[0] if series["partition"].notna().any() else f"lpar_id {lpar_id}"
        file, line = _where(longest["source"])
        gaps.add("usage_gap", f"{name}: {len(holes)} hole(s) in the utilisation samples (sample period {step:g} s); "
                 f"the longest has no samples from {start:%Y-%m-%d %H:%M} to {longest['sampled_at']:%Y-%m-%d %H:%M} "
                 "UTC", file=file, line=line, system=str(system))
    if partitions.empty or "state" not in partitions.columns:
        return
    sampled = set(usage["system"])
    have = set(zip(usage["system"], usage["lpar_id"].astype("int64"), strict=True))
    running = partitions[partitions["system"].isin(sampled)
                         & partitions["state"].str.lower().isin(("running", "open firmware")).fillna(False)]
    for system, lpar_id, name in zip(running["system"], running["lpar_id"], running["name"], strict=True):
        if pd.notna(lpar_id) and (system, int(lpar_id)) not in have:
            gaps.add("usage_missing", f"{name} (lpar_id {lpar_id}) is running but has no utilisation samples; sized by "
                     "entitlement wherever usage sizing is asked for", system=str(system))
