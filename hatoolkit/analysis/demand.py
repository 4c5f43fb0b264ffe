"""Each partition's processors and memory at a sizing policy, read from the captures.

`current` uses the running values (`curr_*`); `desired` the profile's desired values (what a
cold restart activates); `minimum` the minimums (what an activation settles for when desired is
not available). A partition that is not activated has no current values: it is sized from its
profile (desired, or minimum). The profile is the partition's current one, else its default,
else its only one. Nothing is guessed: a value the captures do not give stays NaN and the row
says what is missing. Also here: IBM's hardware page table sizing and memory-block rounding.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from hatoolkit.errors import PlanError
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import SIZING_POLICIES, USAGE_POLICY_HELP, usage_policy

RUNNING_STATES = frozenset({"running", "open firmware", "starting", "migrating - running"})
DEFAULT_HPT_RATIO = {"os400": 64}  # 1:64 for IBM i, 1:128 otherwise (IBM hpt-for-vpmem)
AIXLINUX_HPT_RATIO = 128
DEFAULT_POOL = "DefaultPool"


def hpt_mb(max_mem_mb: np.ndarray | float, ratio: np.ndarray | float) -> np.ndarray:
    """Hardware page table size in MB (IBM `compute_hpt_size`): the power of two at or below the
    maximum memory, doubled when memory exceeds 1.25x that power, divided by the ratio, at least
    256 KB; rounded up to whole MB. NaN where the maximum memory is unknown."""
    mx = np.asarray(max_mem_mb, dtype=float)
    rt = np.asarray(ratio, dtype=float)
    safe = np.where(np.isfinite(mx) & (mx >= 1), mx, 1.0)
    _, exp = np.frexp(safe)  # safe = m * 2**exp with 0.5 <= m < 1: floor(log2) = exp - 1 (exact)
    p2 = np.ldexp(1.0, exp - 1)
    p2 = np.where(4 * safe > 5 * p2, p2 * 2, p2)
    size = np.maximum(0.25, p2 / np.where(rt > 0, rt, AIXLINUX_HPT_RATIO))
    return np.where(np.isfinite(mx), np.ceil(size), np.nan)


def round_up(values: np.ndarray, step: np.ndarray | float) -> np.ndarray:
    """Round memory up to whole logical memory blocks (NaN stays NaN)."""
    st = np.asarray(step, dtype=float)
    return np.ceil(np.asarray(values, dtype=float) / st - 1e-9) * st


def on_target_numbers(units: np.ndarray, dedicated: np.ndarray, mem_mb: np.ndarray, factor: np.ndarray | float,
                      lmb_mb: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """What a partition needs on a target: (processing units, memory rounded to the target's LMB).

    Processing units are scaled by the rPerf factor and rounded up: whole cores for dedicated
    partitions, hundredths for shared ones. Add `hpt_mb` (from the maximum memory) for the memory
    the target's hypervisor must find. Arrays broadcast: one partition on many targets, many on one.
    """
    scaled = np.asarray(units, dtype=float) * factor
    proc = np.where(dedicated, np.ceil(scaled - 1e-9), np.ceil(np.round(scaled * 100, 6)) / 100)
    return proc, round_up(mem_mb, lmb_mb)


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    return frame[col].to_numpy(dtype=float, na_value=np.nan)


def _pick(*candidates: np.ndarray) -> np.ndarray:
    out = candidates[0].copy()
    for other in candidates[1:]:
        out = np.where(np.isnan(out), other, out)
    return out


# --------------------------------------------------------------------------- demand on the source


def _profiles_chosen(inv: Inventory) -> pd.DataFrame:
    """One profile per partition: the current one, else the default one, else the only one."""
    parts = inv.partitions[["system", "lpar_id", "curr_profile", "default_profile"]]
    prof = inv.profiles
    if prof.empty:
        return prof.iloc[0:0]
    merged = prof.merge(parts, on=["system", "lpar_id"], how="left")
    count = merged.groupby(["system", "lpar_id"])["profile"].transform("size")
    rank = np.select(
        [merged["profile"].eq(merged["curr_profile"]).fillna(False).to_numpy(dtype=bool),
         merged["profile"].eq(merged["default_profile"]).fillna(False).to_numpy(dtype=bool),
         (count == 1).to_numpy()],
        [0, 1, 2], 3)
    merged = merged.assign(_rank=rank)
    merged = merged[merged["_rank"] < 3].sort_values(["system", "lpar_id", "_rank"], kind="mergesort")
    return merged.drop_duplicates(["system", "lpar_id"]).drop(columns=["_rank", "curr_profile", "default_profile"])


def hosting_keys(inv: Inventory) -> set[tuple[str, int]]:
    """(system, lpar_id) of partitions that serve others: VIOS, or any partition with server adapters."""
    keys = set()
    parts = inv.partitions
    vios = parts[parts["lpar_env"].eq("vioserver").fillna(False)]
    keys.update(zip(vios["system"], vios["lpar_id"].astype("int64"), strict=True))
    for frame in (inv.virtual_scsi, inv.virtual_fc):
        servers = frame[frame["adapter_type"].eq("server").fillna(False)]
        keys.update(zip(servers["system"], servers["lpar_id"].astype("int64"), strict=True))
    return keys


@functools.lru_cache(maxsize=32)
def partition_base(inv: Inventory, sizing: str, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every partition's processor and memory at a sizing policy, on its own system (no target yet).

    Columns: system, lpar_id, partition, lpar_env, running, is_vios, is_hosting, proc_mode,
    proc_units (entitlement, or dedicated cores), mem_mb, max_mem_mb, hpt_ratio, pool_id,
    pool_name, basis, known_proc, known_mem, missing. Cached per Inventory (identity).
    A usage policy (`p95_30d`) sizes processors by observed usage in the window before `as_of`
    (default: now) and adds the columns of `analysis.usage.observed_base`.
    """
    if usage_policy(sizing) is not None:
        from hatoolkit.analysis.usage import observed_base, usage_end

        return observed_base(inv, sizing, usage_end(as_of))
    if sizing not in SIZING_POLICIES:
        raise PlanError(f"sizing policy {sizing!r} is not one of: {', '.join(SIZING_POLICIES)}; or {USAGE_POLICY_HELP}")
    p = inv.partitions.reset_index(drop=True)
    prof = _profiles_chosen(inv)
    prof_cols = ["proc_mode", "desired_proc_units", "min_proc_units", "desired_procs", "min_procs",
                 "desired_mem_mb", "min_mem_mb", "max_mem_mb", "hpt_ratio", "shared_proc_pool_id",
                 "shared_proc_pool_name"]
    p = p.merge(prof[["system", "lpar_id", *prof_cols]].rename(columns={c: f"prof_{c}" for c in prof_cols}),
                on=["system", "lpar_id"], how="left")
    running = p["state"].str.lower().isin(RUNNING_STATES).to_numpy(dtype=bool)

    curr_mode = p["curr_proc_mode"].to_numpy(dtype=object, na_value=None)
    prof_mode = p["prof_proc_mode"].to_numpy(dtype=object, na_value=None)
    use_profile = ~running | (sizing == "desired")
    mode = np.where(use_profile, np.where(pd.isna(prof_mode), curr_mode, prof_mode),
                    np.where(pd.isna(curr_mode), prof_mode, curr_mode))
    ded = mode == "ded"

    def by_mode(shared: np.ndarray, dedicated: np.ndarray) -> np.ndarray:
        return np.where(ded, dedicated, shared)

    nan = np.full(len(p), np.nan)
    prof_desired = by_mode(_num(p, "prof_desired_proc_units"), _num(p, "prof_desired_procs"))
    prof_min = by_mode(_num(p, "prof_min_proc_units"), _num(p, "prof_min_procs"))
    curr = by_mode(_num(p, "curr_proc_units"), _num(p, "curr_procs"))
    curr_min = by_mode(_num(p, "curr_min_proc_units"), _num(p, "curr_min_procs"))
    if sizing == "current":
        units = np.where(running, curr, prof_desired)
        mem = np.where(running, _num(p, "curr_mem_mb"), _num(p, "prof_desired_mem_mb"))
    elif sizing == "desired":
        units, mem = prof_desired, _num(p, "prof_desired_mem_mb")
    else:
        units = np.where(running, _pick(curr_min, prof_min), prof_min)
        mem = np.where(running, _pick(_num(p, "curr_min_mem_mb"), _num(p, "prof_min_mem_mb")), _num(p, "prof_min_mem_mb"))
    units = np.where(pd.isna(mode), nan, units)
    max_mem = np.where(running & (sizing != "desired"),
                       _pick(_num(p, "curr_max_mem_mb"), _num(p, "prof_max_mem_mb")),
                       _pick(_num(p, "prof_max_mem_mb"), np.where(running, _num(p, "curr_max_mem_mb"), nan)))
    env = p["lpar_env"].to_numpy(dtype=object, na_value=None)
    default_ratio = np.array([DEFAULT_HPT_RATIO.get(e, AIXLINUX_HPT_RATIO) for e in env], dtype=float)
    ratio = _pick(np.where(running, _num(p, "curr_hpt_ratio"), nan), _num(p, "prof_hpt_ratio"), default_ratio)

    pool_id = np.where(running & (sizing != "desired"),
                       _pick(_num(p, "curr_shared_proc_pool_id"), _num(p, "prof_shared_proc_pool_id")),
                       _pick(_num(p, "prof_shared_proc_pool_id"), _num(p, "curr_shared_proc_pool_id")))
    pool_id = np.where(ded, np.nan, np.where(np.isnan(pool_id), 0, pool_id))
    names = inv.proc_pools.set_index(["system", "shared_proc_pool_id"])["name"].to_dict() \
        if not inv.proc_pools.empty else {}
    prof_pool_names = p["prof_shared_proc_pool_name"].to_numpy(dtype=object, na_value=None)
    pool_name = []
    for system, pid, pname, is_ded in zip(p["system"], pool_id, prof_pool_names, ded, strict=True):
        if is_ded or np.isnan(pid):
            pool_name.append(None)
        elif int(pid) == 0:
            pool_name.append(DEFAULT_POOL)
        else:
            pool_name.append(names.get((system, int(pid))) or pname or f"pool{int(pid)}")

    known_proc = ~np.isnan(units)
    known_mem = ~np.isnan(mem) & ~np.isnan(max_mem)
    missing = np.where(known_proc, "", "processors") + np.where(known_proc | known_mem, "", ",") + \
        np.where(known_mem, "", "memory")
    hosting = hosting_keys(inv)
    keys = list(zip(p["system"], p["lpar_id"].astype("int64"), strict=True))
    basis = np.where(running, sizing if sizing != "desired" else "profile desired",
                     np.where(sizing == "minimum", "profile minimum", "profile desired"))
    return pd.DataFrame({
        "system": p["system"].astype("str"),
        "lpar_id": p["lpar_id"].astype("int64"),
        "partition": p["name"].astype("str"),
        "lpar_env": p["lpar_env"].astype("str"),
        "running": running,
        "is_vios": p["lpar_env"].eq("vioserver").fillna(False).to_numpy(dtype=bool),
        "is_hosting": np.array([k in hosting for k in keys], dtype=bool),
        "proc_mode": pd.Series(mode, dtype="str"),
        "proc_units": units,
        "mem_mb": mem,
        "max_mem_mb": max_mem,
        "hpt_ratio": ratio,
        "pool_id": pool_id,
        "pool_name": pd.Series(pool_name, dtype="str"),
        "basis": pd.Series(basis, dtype="str"),
        "known_proc": known_proc,
        "known_mem": known_mem,
        "missing": pd.Series(missing, dtype="str"),
    })
