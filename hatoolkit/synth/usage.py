"""Synthetic utilisation history: what each partition consumed, hour by hour, as `lslparutil` prints it.

A partition's load is a deterministic daily shape in the HMC's local time (`Load`: nights,
working days, weekends, a nightly batch, a month-end close, a weekly test run) with seeded noise,
never above what it could consume (its virtual processors when uncapped, its entitlement when
capped, its cores when dedicated). The writer turns loads into the HMC's cumulative cycle counters
(`time_cycles` at `proc_cycles_per_second`; capped, uncapped, idle and entitled cycles) so ingest
recomputes the same processors from deltas, exactly as from a real HMC. Same estate, same bytes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hatoolkit.ingest.records import format_record
from hatoolkit.synth.estate import Lpar, System

CYCLES_PER_SECOND = 512_000_000
FIELDS = ("time", "event_type", "resource_type", "lpar_name", "lpar_id", "curr_proc_mode", "curr_proc_units",
          "curr_procs", "curr_mem", "time_cycles", "entitled_cycles", "capped_cycles", "uncapped_cycles", "idle_cycles")
FIELDS_HEADER = ",".join(FIELDS) + "\n"


@dataclass(frozen=True)
class Load:
    """Processors a partition consumes by local time of day (averages over an hour)."""

    night: float  # 19:00-07:00, and any hour no rule below covers
    day: float  # 08:00-18:00 on working days (07:00 and 18:00 ramp half-way)
    weekend: float | None = None  # Saturdays and Sundays (default: night)
    batch: tuple[int, int, float] | None = None  # every night from hour, to hour (exclusive), level
    month_end: float | None = None  # 18:00-23:00 on the last two working days of a month
    weekly: tuple[int, int, int, float] | None = None  # (weekday 0=Mon, from hour, to hour, level)
    noise: float = 0.08  # relative standard deviation
    since: str | None = None  # local time of the first sample (a partition newer than the capture)
    restart: str | None = None  # local hour at which it was restarted (its counters start again)

    def level(self, local: pd.DatetimeIndex) -> np.ndarray:
        hour = local.hour.to_numpy()
        weekday = local.day_of_week.to_numpy()
        working = weekday < 5
        out = np.full(len(local), self.night, dtype=float)
        day = working & (hour >= 8) & (hour < 18)
        out = np.where(day, self.day, out)
        ramp = working & ((hour == 7) | (hour == 18))
        out = np.where(ramp, (self.day + self.night) / 2, out)
        if self.weekend is not None:
            out = np.where(~working, self.weekend, out)
        if self.batch is not None:
            start, stop, value = self.batch
            at = (hour >= start) & (hour < stop) if start < stop else (hour >= start) | (hour < stop)
            out = np.where(at, np.maximum(out, value), out)
        if self.weekly is not None:
            wd, start, stop, value = self.weekly
            out = np.where((weekday == wd) & (hour >= start) & (hour < stop), value, out)
        if self.month_end is not None:
            days = pd.DatetimeIndex(local.normalize())
            last = _last_working_days(days)
            out = np.where(last & (hour >= 18) & (hour < 23), self.month_end, out)
        return out


def _last_working_days(days: pd.DatetimeIndex, count: int = 2) -> np.ndarray:
    """Whether each day is one of the last `count` working days of its month."""
    out = np.zeros(len(days), dtype=bool)
    for month in set(zip(days.year, days.month, strict=True)):
        end = pd.Timestamp(year=month[0], month=month[1], day=1) + pd.offsets.MonthEnd(0)
        span = pd.bdate_range(end - pd.Timedelta(days=10), end)[-count:]
        out |= np.isin(days.tz_localize(None).normalize(), span)
    return out


@dataclass
class UsageCapture:
    """How a system's utilisation was captured: the window, the sample rate, what is missing."""

    start: str  # local time of the first hourly sample
    end: str  # local time of the last one
    loads: dict[str, Load] = field(default_factory=dict)  # partition name -> load (others: not sampled)
    sample_rate_s: int = 3600  # lslparutil -r config; 0 = collection off (then nothing else is written)
    zone: str = "Europe/Warsaw"  # the HMC's clock
    holes: tuple[tuple[str, str], ...] = ()  # local [from, to) without samples (HMC down)
    boot: str = "2026-06-01 04:00:00"  # local time the system (and its counters) started


def _seed(*parts: str) -> int:
    return zlib.crc32("/".join(parts).encode())


def _stamp(local: pd.DatetimeIndex) -> list[str]:
    return list(local.strftime("%m/%d/%Y %H:%M:%S"))


def _hours(cap: UsageCapture, since: str | None) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    """(UTC instants, local times) of the hourly samples, holes left out."""
    zone = cap.zone
    first = pd.Timestamp(since or cap.start).tz_localize(zone).tz_convert("UTC")
    last = pd.Timestamp(cap.end).tz_localize(zone).tz_convert("UTC")
    utc = pd.date_range(first, last, freq="h")
    for a, b in cap.holes:
        lo, hi = (pd.Timestamp(t).tz_localize(zone).tz_convert("UTC") for t in (a, b))
        utc = utc[(utc < lo) | (utc >= hi)]
    return utc, utc.tz_convert(zone)


def lpar_usage(s: System, lp: Lpar, cap: UsageCapture) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The truth the counters encode: (UTC sample instants, processors consumed in the hour to each)."""
    load = cap.loads[lp.name]
    utc, local = _hours(cap, load.since)
    rng = np.random.default_rng(_seed(s.name, lp.name))
    used = load.level(local) * (1 + load.noise * rng.standard_normal(len(local)))
    ceiling = lp.procs if lp.proc_mode == "ded" or lp.sharing_mode != "cap" else lp.proc_units
    return utc, np.clip(used, 0.01, ceiling)


def lpar_samples(s: System, lp: Lpar, cap: UsageCapture) -> list[tuple[int, dict[str, str]]]:
    """One partition's hourly samples as (UTC instant in ns, record), oldest first."""
    load = cap.loads[lp.name]
    utc, used = lpar_usage(s, lp, cap)
    local = utc.tz_convert(cap.zone)
    ded = lp.proc_mode == "ded"
    ent = float(lp.procs if ded else lp.proc_units)
    boot = pd.Timestamp(cap.boot).tz_localize(cap.zone).tz_convert("UTC")
    seconds = (utc - boot).total_seconds().to_numpy()
    step = np.diff(seconds, prepend=seconds[0] - 3600)
    cycles = used * step * CYCLES_PER_SECOND
    if ded:
        capped = ent * step * CYCLES_PER_SECOND
        idle, uncapped = capped - cycles, np.zeros(len(used))
    else:
        capped = np.minimum(used, ent) * step * CYCLES_PER_SECOND
        uncapped, idle = cycles - capped, (ent - np.minimum(used, ent)) * step * CYCLES_PER_SECOND
    counters = {"capped_cycles": capped, "uncapped_cycles": uncapped, "idle_cycles": idle,
                "entitled_cycles": np.full(len(used), ent) * step * CYCLES_PER_SECOND}
    offset = _seed(lp.name) % 10**9 * 1000  # counters started long before the window
    restart = pd.Timestamp(load.restart).tz_localize(cap.zone).tz_convert("UTC") if load.restart else None
    k = int(np.searchsorted(utc, restart)) if restart is not None else len(utc)
    sums = {}
    for name, values in counters.items():
        total = np.cumsum(values) + offset
        total[k:] = np.cumsum(values[k:])  # restarted: its counters start from zero again
        sums[name] = total
    time_cycles = seconds * CYCLES_PER_SECOND
    stamps = _stamp(local)
    rows = []
    for i in range(len(utc)):
        rows.append((int(utc[i].value), {
            "time": stamps[i], "event_type": "sample", "resource_type": "lpar", "lpar_name": lp.name,
            "lpar_id": str(lp.id), "curr_proc_mode": lp.proc_mode, "curr_proc_units": "0.0" if ded else f"{ent:.2f}".rstrip("0").rstrip(".") + (".0" if ent == int(ent) else ""),
            "curr_procs": str(lp.procs), "curr_mem": str(lp.mem_mb), "time_cycles": f"{time_cycles[i]:.0f}",
            **{k_: f"{v[i]:.0f}" for k_, v in sums.items()},
        }))
    return rows


def sys_samples(s: System, cap: UsageCapture, hours: int = 24) -> list[list[tuple[str, str]]]:
    """The last `hours` system samples (`lslparutil -r sys`), newest first."""
    utc, local = _hours(cap, None)
    stamps = _stamp(local)
    out = []
    for i in range(len(utc) - 1, max(len(utc) - 1 - hours, -1), -1):
        out.append([("time", stamps[i]), ("event_type", "sample"), ("resource_type", "sys"), ("sys_time", stamps[i]),
                    ("state", "Operating"), ("configurable_sys_proc_units", f"{s.configurable_proc_units:g}"),
                    ("configurable_sys_mem", str(s.configurable_mem_mb)),
                    ("curr_avail_sys_proc_units", f"{s.avail_proc_units:g}"),
                    ("curr_avail_sys_mem", str(s.avail_mem_mb)), ("sys_firmware_mem", str(s.firmware_mem_mb)),
                    ("proc_cycles_per_second", str(CYCLES_PER_SECOND))])
    return out


def lpar_listing(s: System, cap: UsageCapture, delimited: bool) -> str:
    """What `lslparutil -r lpar` prints for the sampled partitions (attr=value, or `-F FIELDS` values)."""
    keyed = [r for lp in sorted(s.lpars, key=lambda x: x.id) if lp.name in cap.loads and lp.running
             for r in lpar_samples(s, lp, cap)]
    keyed.sort(key=lambda r: r[0], reverse=True)  # newest first, as the HMC lists them
    rows = [r for _, r in keyed]
    if delimited:
        return "".join(",".join(r[f] for f in FIELDS) + "\n" for r in rows)
    return "".join(format_record(list(r.items())) + "\n" for r in rows)


def command(kind: str, s: System, cap: UsageCapture, delimited: bool = False) -> str:
    if kind == "config":
        return f"lslparutil -r config -m {s.name}"
    first = pd.Timestamp(cap.start)
    base = (f"lslparutil -r {kind} -m {s.name} -s h --startyear {first.year} --startmonth {first.month} "
            f"--startday {first.day}")
    return base + (" -F " + ",".join(FIELDS) + " --header" if delimited else "")


def write_usage(s: System, root: Path, style: str) -> list[Path]:
    """Write a system's lslparutil captures under root/hmc/<hmc>/ in its capture style."""
    cap: UsageCapture | None = getattr(s, "usage", None)
    if cap is None:
        return []
    base = root / "hmc" / s.hmc
    config = f"sample_rate={cap.sample_rate_s}\n"
    delimited = style != "bare"  # a bare file has no command line to say `-F`: attr=value
    lpars = (FIELDS_HEADER if delimited else "") + lpar_listing(s, cap, delimited) if cap.sample_rate_s else ""
    sys_text = "".join(format_record(r) + "\n" for r in sys_samples(s, cap)) if cap.sample_rate_s else ""
    files: list[tuple[Path, str]] = []
    if style == "bare":
        files.append((base / f"{s.name}_lparutil_config.txt", config))
        if lpars:
            files.append((base / f"{s.name}_lparutil_lpar.txt", lpars))
    elif style == "transcript":
        prompt = f"hscroot@{s.hmc}:~> "
        text = f"{prompt}{command('config', s, cap)}\n{config}"
        if lpars:
            text += f"{prompt}{command('sys', s, cap)} -n 24\n{sys_text}"
            text += f"{prompt}{command('lpar', s, cap, delimited=True)}\n{lpars}"
        files.append((base / f"{s.name}_utilization.log", text + f"{prompt}exit\n"))
    else:
        files.append((base / s.name / "lslparutil_r_config.txt", f"$ {command('config', s, cap)}\n{config}"))
        if lpars:
            files.append((base / s.name / "lslparutil_r_sys.txt", f"$ {command('sys', s, cap)} -n 24\n{sys_text}"))
            files.append((base / s.name / "lslparutil_r_lpar_F.txt",
                          f"$ {command('lpar', s, cap, delimited=True)}\n{lpars}"))
    written = []
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

