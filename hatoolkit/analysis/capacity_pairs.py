"""One partition on one destination, for many pairs at once: the capacity question of a single move.

Live Partition Mobility moves one partition at a time, and the HMC refuses a move when the
destination lacks the processors or memory to create it there. The readiness matrix asks that for
every (partition, destination) cell — close to a million on a large estate — so it is answered
with arrays. The arithmetic is analysis.demand's (`on_target_numbers`, `hpt_mb`), the supply is
analysis.supply's table (the numbers of `system_supply`), and the landing pool follows
`Supply.pool`: a pool of the same name on the destination, else DefaultPool. For one partition on
one target this is `fits_on`'s answer.

Unknown is never a fit: a partition whose size is not captured, a destination whose free
processors, free memory or memory block size is not captured, or a named shared pool on a
destination whose pools are not captured, gives `fits` NA and says what is missing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from hatoolkit.analysis.demand import DEFAULT_POOL, hpt_mb, on_target_numbers, partition_base, round_up
from hatoolkit.analysis.supply import supply_table
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan

PERF = "per-core performance (type_model; or rperf in plan.yaml)"


def base_positions(base: pd.DataFrame, frame: pd.DataFrame) -> np.ndarray:
    """Row positions in `base` (analysis.demand.partition_base) of frame's (system, lpar_id); -1 unknown."""
    index = pd.MultiIndex.from_arrays([base["system"].astype("str"), base["lpar_id"].astype("int64")])
    keys = pd.MultiIndex.from_arrays([frame["system"].astype("str"),
                                      frame["lpar_id"].astype("Int64").fillna(-1).astype("int64")])
    return index.get_indexer(keys).astype(np.int64)


def pair_fits(inv: Inventory, plan: Plan, pairs: pd.DataFrame, sizing: str | None = None, *, preempt: bool = False,
              cod: bool = False, rescale: bool = True) -> pd.DataFrame:
    """Does each partition fit, alone, on its paired destination? `pairs`: system, lpar_id, destination.

    One row per pair, in order (see `fit_frame` for the columns). `rescale=False` keeps processing
    units as they are (an LPM move keeps the partition's entitlement); True scales them by rPerf
    like failover demand.
    """
    base = partition_base(inv, sizing or plan.sizing, plan.as_of)
    dest = supply_table(inv, plan).positions(list(pairs["destination"].astype("str")))
    out = fit_frame(inv, plan, base, base_positions(base, pairs), dest, preempt=preempt, cod=cod, rescale=rescale)
    out = out.astype({"pool": "str", "short": "str", "missing": "str"})
    return pd.concat([pairs[["system", "lpar_id", "destination"]].reset_index(drop=True), out], axis=1)


def fit_frame(inv: Inventory, plan: Plan, base: pd.DataFrame, rows: np.ndarray, dest: np.ndarray, *,
              preempt: bool = False, cod: bool = False, rescale: bool = True) -> pd.DataFrame:
    """Pairs given as positions: `rows` in `base`, `dest` in the supply table (-1: not in the inventory).

    Columns: proc_units_target, mem_mb_target, hpt_mb, mem_demand_mb (what the partition needs
    there), proc_units_free, mem_mb_free (what the destination offers), pool, pool_free_proc_units
    (the capped pool it lands in), fits (boolean, NA unknown), short ("processors", "memory",
    "pool <name>", comma-joined), missing (what is not captured), partition_unknown (the
    partition's own size is what is missing). Text columns are object arrays (a million cells
    are not converted to strings that nobody reads; `pair_fits` gives them the str dtype).
    """
    t = supply_table(inv, plan)
    n = len(rows)
    have = (rows >= 0) & (dest >= 0)
    r, d = np.clip(rows, 0, None), np.clip(dest, 0, None)

    def part(name: str, dtype: type = float) -> np.ndarray:
        """A column of the partitions (one zero row stands in for an empty base: every `r` is then 0)."""
        return base[name].to_numpy(dtype=dtype) if len(base) else np.zeros(1, dtype=dtype)

    def col(name: str, dtype: type = float) -> np.ndarray:
        return part(name, dtype)[r]

    ded_part = (base["proc_mode"] == "ded").to_numpy(dtype=bool) if len(base) else np.zeros(1, dtype=bool)
    ded = ded_part[r]
    if rescale:
        systems = base["system"].to_numpy(dtype=object)[r] if len(base) else np.zeros(n, dtype=object)
        src = t.positions(list(systems))
        src_code = np.where(src >= 0, t.rating_code[np.clip(src, 0, None)], -1) if len(t.names) else src
        dst_code = t.rating_code[d] if len(t.names) else np.full(n, -1)
        same = src == dest
        rated = same | ((src_code >= 0) & (dst_code >= 0))
        factor = np.where(~same & rated, t.scale_table[np.clip(src_code, 0, None), np.clip(dst_code, 0, None)]
                          if t.scale_table.size else 1.0, 1.0)
    else:
        rated, factor = np.ones(n, dtype=bool), np.ones(n)
    lmb = np.where(dest >= 0, t.lmb_mb[d], np.nan) if len(t.names) else np.full(n, np.nan)
    if rescale:
        proc, mem_t = on_target_numbers(col("proc_units"), ded, col("mem_mb"), factor, lmb)
        need_p = np.round(proc, 2)
    else:  # the units do not depend on the destination: computed once per partition, not once per pair
        need_p = np.round(on_target_numbers(part("proc_units"), ded_part, part("mem_mb"), 1.0, 1.0)[0], 2)[r]
        mem_t = round_up(col("mem_mb"), lmb)
    hpt = hpt_mb(part("max_mem_mb"), part("hpt_ratio"))[r]  # from the partition's maximum memory alone
    need_m = mem_t + hpt
    caps_p, caps_m = t.caps(preempt, cod)
    free_p = np.where(dest >= 0, caps_p[d], np.nan) if len(t.names) else np.full(n, np.nan)
    free_m = np.where(dest >= 0, caps_m[d], np.nan) if len(t.names) else np.full(n, np.nan)
    known_proc, known_mem = col("known_proc", bool), col("known_mem", bool)
    size_known = have & known_proc & known_mem
    known_p = have & known_proc & rated
    known_m = have & known_mem & np.isfinite(need_m)

    # The capped pool it would land in (same name on the destination), or its pools are not captured.
    names = base["pool_name"].to_numpy(dtype=object) if len(base) else np.zeros(0, dtype=object)
    capped = {(s, p.name): k for s, c, start in zip(range(len(t.names)), t.pool_count, t.pool_start, strict=True)
              for k, p in enumerate(t.pools[start:start + c], start=start)}
    capped_names = {name for _, name in capped}
    pool_names = base["pool_name"] if len(base) else pd.Series([], dtype="str")
    in_pool = pool_names.notna().to_numpy(dtype=bool)
    maybe_capped = in_pool & pool_names.isin(capped_names).to_numpy(dtype=bool)
    named = in_pool & pool_names.ne(DEFAULT_POOL).to_numpy(dtype=bool)
    shared = have & ~ded & (in_pool[r] if len(base) else False)
    pool = np.full(n, None, dtype=object)
    pool_free = np.full(n, np.nan)
    free_of = t.pool_free(preempt)
    for i in np.flatnonzero(shared & (maybe_capped[r] if len(base) else False)):
        k = capped.get((int(dest[i]), names[r[i]]))
        if k is not None:
            pool[i], pool_free[i] = names[r[i]], free_of[k]
    blind = shared & named[r] & ~t.pools_known[d] if len(base) and len(t.names) else np.zeros(n, dtype=bool)

    short_p = known_p & ~np.isnan(free_p) & (need_p > free_p + 1e-9)
    short_m = known_m & ~np.isnan(free_m) & (need_m > free_m)
    short_g = known_p & ~np.isnan(pool_free) & (need_p > pool_free + 1e-9)
    pre_missing = np.array([("preemptible partition sizes" in s.missing) for s in t.supplies], dtype=bool)
    pre_unknown = preempt & pre_missing[d] if len(t.names) else np.zeros(n, dtype=bool)
    no_lmb = have & np.isnan(lmb)
    unknown = ~size_known | ~rated | np.isnan(free_p) | np.isnan(free_m) | no_lmb | blind | pre_unknown
    any_short = short_p | short_m | short_g
    fits = pd.array(~any_short, dtype="boolean")
    fits[~any_short & unknown] = pd.NA

    # Texts for the pairs that need them, built once per distinct combination of reasons.
    # Once per distinct text of the partitions (a few), not once per partition.
    codes, uniques = pd.factorize(base["missing"], use_na_sentinel=False)
    part_missing = np.array([f"partition size ({m or 'processors,memory'})" for m in uniques], dtype=object)[codes]
    flags = [(~have, "partition or destination not in the inventory"), (have & ~size_known, None), (~rated, PERF),
             (np.isnan(free_p), "curr_avail_sys_proc_units"), (np.isnan(free_m), "curr_avail_sys_mem_mb"),
             (no_lmb, "mem_region_size"), (pre_unknown, "preemptible partition sizes"),
             (blind, "shared processor pools (lshwres -r procpool)")]
    own = have & ~size_known
    missing = _texts(flags, unknown, lambda at: np.where(own[at], part_missing[r[at]] if len(base) else "", ""))
    short = _texts([(short_p, "processors"), (short_m, "memory"), (short_g, None)], any_short,
                   lambda at: np.array(["pool " + name if isinstance(name, str) else "" for name in pool[at]],
                                       dtype=object), sep=",")
    return pd.DataFrame({
        "proc_units_target": need_p, "mem_mb_target": mem_t, "hpt_mb": hpt, "mem_demand_mb": need_m,
        "proc_units_free": free_p, "mem_mb_free": free_m, "rperf_scale": factor,
        "pool": pd.Series(pool, dtype=object), "pool_free_proc_units": pool_free, "fits": fits,
        "short": pd.Series(short, dtype=object), "missing": pd.Series(missing, dtype=object),
        "partition_unknown": have & ~size_known,
    }, copy=False)


def _texts(flags: list[tuple[np.ndarray, str | None]], wanted: np.ndarray,
           detail: Callable[[np.ndarray], np.ndarray], *, sep: str = ", ") -> np.ndarray:
    """Per pair, the texts of the flags it has, joined; the flag without a text shows the pair's `detail`
    (`detail(positions)`: asked only for the pairs that show it, not built for a million pairs)."""
    n = len(wanted)
    out = np.full(n, "", dtype=object)
    idx = np.flatnonzero(wanted)
    if not idx.size:
        return out
    code = np.zeros(idx.size, dtype=np.int64)
    for bit, (flag, _) in enumerate(flags):
        code |= flag[idx].astype(np.int64) << bit
    # The detail shows only where a flag without a text is set: elsewhere it is not hashed at all.
    shown = np.zeros(idx.size, dtype=bool)
    for flag, text in flags:
        if text is None:
            shown |= flag[idx]
    details = np.zeros(idx.size, dtype=np.int64)
    details[shown], names = pd.factorize(pd.Series(detail(idx[shown]), dtype=object).fillna(""))
    which, uniques = pd.factorize(code * max(len(names), 1) + details)  # hashing, not sorting, a million pairs
    texts = []
    for key in uniques:
        c, extra = divmod(int(key), max(len(names), 1))
        extra = names[extra] if len(names) else ""
        parts = [text if text is not None else extra for bit, (_, text) in enumerate(flags) if c >> bit & 1]
        texts.append(sep.join(parts))
    out[idx] = np.array(texts, dtype=object)[which]
    return out
