"""LPM prerequisite on the destination: free processors, memory and shared-pool room for the partition.

The HMC creates the moving partition on the destination and refuses the move when the destination
cannot give it its resources. A running partition moves with what it runs with (current
entitlement, or whole dedicated cores, and current memory) — a live move keeps its entitlement, so
processing units are not rescaled by rPerf; a partition not activated is checked at its profile's
minimum (what it needs to start there). Memory is rounded up to the destination's memory block and
the destination's hypervisor must also find the partition's page table (sized from its maximum
memory). A shared partition lands in the destination's pool of the same name, if any, whose cap
must leave room. Nothing here is new arithmetic: it is analysis.capacity's (`fit_frame`, the
vectorised `fits_on`), against what is free now (no preemption, no Capacity on Demand).

Each cell is judged alone, as `migrlpar -o v` judges one move; evacuation (analysis.evacuation)
adds the moves up. A size or free capacity that is not captured makes the cell `unknown`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from hatoolkit.analysis.capacity_pairs import base_positions, fit_frame
from hatoolkit.analysis.demand import partition_base
from hatoolkit.analysis.mobility_data import (
    MobilityData,
    arrow_at,
    blocker_rows,
    empty_blockers,
    join_texts,
    text_series,
)
from hatoolkit.analysis.supply import supply_table

SIZING = {"active": "current", "inactive": "minimum"}
_PICKED = ("system", "lpar_id", "partition", "destination", "dst_i", "mover_i")
PREEMPT = "; shutting down its preemptible partitions (plan.yaml) first would free enough"


def _num(values: pd.Series, fmt: str) -> pd.Series:
    """Numbers as text, each distinct value formatted once (a large estate repeats a few sizes a lot)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = np.array([fmt.format(v) for v in uniques] + ["unknown"], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype="str")


def capacity(d: MobilityData) -> pd.DataFrame:
    """The destination lacks free processors, memory or capped-pool room for the partition (alone)."""
    table = supply_table(d.inv, d.plan)
    table_pos = table.positions(list(d.systems.index))
    pre_p, pre_m = table.caps(True, False)
    movable = d.movable.index.to_numpy()  # positions in d.cells
    parts = []
    for moving, sizing in SIZING.items():
        at = movable[d.active if moving == "active" else ~d.active]
        if not at.size:
            continue
        base = partition_base(d.inv, sizing)
        rows = base_positions(base, d.movers)[d.cells["mover_i"].to_numpy()[at]]
        dst = d.cells["dst_i"].to_numpy()[at]
        dest = np.where(dst >= 0, table_pos[np.clip(dst, 0, None)], -1) if len(table_pos) else dst
        f = fit_frame(d.inv, d.plan, base, rows, dest, rescale=False)
        fail = f["fits"].eq(False).fillna(False).to_numpy(bool)
        unknown = f["fits"].isna().to_numpy(bool)
        own = unknown & f["partition_unknown"].to_numpy(bool)
        safe = np.clip(dest, 0, None)
        # What shutting the destination's preemptible partitions (plan.yaml) would make free, for the message.
        fi = np.flatnonzero(fail)
        helps = np.zeros(len(f), dtype=bool)
        helps[fi] = ((dest[fi] >= 0) & table.has_preemptible[safe[fi]]
                     & ~_contains(f["short"].to_numpy()[fi], "pool")
                     & (f["proc_units_target"].to_numpy()[fi] <= pre_p[safe[fi]] + 1e-9)
                     & (f["mem_demand_mb"].to_numpy()[fi] <= pre_m[safe[fi]]))
        f["preempt_helps"] = helps
        parts += [_fail_rows(*_pick(d, at, f, fail), sizing, moving),
                  _unknown_rows(*_pick(d, at, f, unknown & ~own), sizing, destination=True),
                  _unknown_rows(*_pick(d, at, f, own), sizing, destination=False)]
    frames = [p for p in parts if not p.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty_blockers()


def _pick(d: MobilityData, at: np.ndarray, f: pd.DataFrame, mask: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cells (and their fit rows) selected by `mask` among the cells at positions `at` (only the columns
    the rows are built from: each other text column would be copied for every selected cell)."""
    cells = d.cells[list(_PICKED)].iloc[at[mask]]
    return cells, f[mask].set_index(cells.index)


def _fail_rows(c: pd.DataFrame, f: pd.DataFrame, sizing: str, mode: str) -> pd.DataFrame:
    """One row per cell (the matrix shows each destination's numbers); the evidence names the partition's
    demand and the most that any destination short of the same thing has free, so the findings list
    the destinations of one shortfall together (checks.mobility.rule_outcome)."""
    if c.empty:
        return empty_blockers()
    # Shortfalls of one partition alike (what is short, what it needs): texts built once per group.
    key = pd.DataFrame({"m": c["mover_i"].to_numpy(), "s": pd.factorize(f["short"])[0],
                        "p": f["proc_units_target"].to_numpy(), "mm": f["mem_demand_mb"].to_numpy(),
                        "g": pd.factorize(f["pool"])[0]})
    gid = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
    first = np.flatnonzero(~pd.Series(gid).duplicated().to_numpy())  # ids number groups in order of appearance
    most = pd.DataFrame({"p": f["proc_units_free"].to_numpy(), "m": f["mem_mb_free"].to_numpy(),
                         "g": f["pool_free_proc_units"].to_numpy()}).groupby(gid).max()
    g = f.iloc[first]
    has_pool = g["pool"].notna().to_numpy(bool)
    need_p, need_m = _num(g["proc_units_target"], "{:g}"), _num(g["mem_demand_mb"], "{:.0f}")
    mem, hpt = _num(g["mem_mb_target"], "{:.0f}"), _num(g["hpt_mb"], "{:.0f}")
    moving = "moving live" if mode == "active" else "at its minimum size"
    need_p, need_m, mem, hpt = (pa.array(x) for x in (need_p, need_m, mem, hpt))
    mid = join_texts(_lit(f": {moving} the partition needs "), need_p, _lit(" processing units and "), need_m,
                     _lit(" MB ("), mem, _lit(" MB memory + "), hpt, _lit(" MB page table), "))
    evidence = join_texts(
        _lit(f"sizing={sizing} demand_proc_units="), need_p, _lit(" demand_mem_mb="), need_m, _lit(" hpt_mb="), hpt,
        pa.array((" pool=" + g["pool"]).where(has_pool, "").astype("str")),
        _lit(" most_free_proc_units="), pa.array(_num(most["p"].set_axis(g.index), "{:g}")),
        _lit(" most_free_mem_mb="), pa.array(_num(most["m"].set_axis(g.index), "{:.0f}")),
        pa.array((" most_free_pool_proc_units=" + _num(most["g"].set_axis(g.index), "{:g}")).where(has_pool, "")
                 .astype("str")))
    short = g["short"].astype("str").str.replace(",", " and ", regex=False).str.replace(
        "pool ", "room in shared pool ", regex=False)
    # What each destination has free is the same for every partition: its text is built once per destination.
    dst = c["dst_i"].to_numpy()
    where, first_of = _ranks(dst)
    fd = f.iloc[first_of]
    has = (c["destination"].iloc[first_of].reset_index(drop=True) + " has "
           + _num(fd["proc_units_free"].reset_index(drop=True), "{:g}") + " units and "
           + _num(fd["mem_mb_free"].reset_index(drop=True), "{:.0f}") + " MB free")
    # Rows are joined from per-group and per-destination texts in one pass each (pyarrow), not by a
    # chain of whole-column concatenations: a large estate has hundreds of thousands of short cells.
    destination = pa.array(c["destination"])
    pieces = [arrow_at("not enough " + short + " on ", gid), destination, arrow_at(mid, gid), arrow_at(has, where)]
    if f["pool"].notna().any():
        pieces.append(pa.array(("; its shared pool " + f["pool"].astype("str") + " there has "
                                + _num(f["pool_free_proc_units"], "{:g}") + " units left under its cap").fillna("")))
    if f["preempt_helps"].any():
        pieces.append(pa.array(np.where(f["preempt_helps"].to_numpy(bool), PREEMPT, ""), type=pa.large_string()))
    return blocker_rows(c, destination=c["destination"], resource=text_series(arrow_at(g["short"].astype("str"), gid), c),
                        message=text_series(join_texts(*pieces), c), evidence=text_series(arrow_at(evidence, gid), c),
                        fix=text_series(join_texts(destination, arrow_at(": free or add " + short, gid)), c))


def _lit(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


def _contains(texts: np.ndarray, part: str) -> np.ndarray:
    """`part in text` for each text, decided once per distinct text (the shortfall texts are a handful)."""
    codes, uniques = pd.factorize(texts)
    return np.array([part in x for x in uniques] + [False], dtype=bool)[codes]


def _ranks(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(codes, return_inverse=True)[1]` and, per distinct code in ascending order, the position of
    its first row — by hashing and a look-up table instead of sorting every row (codes are system positions)."""
    firsts = np.flatnonzero(~pd.Series(codes).duplicated().to_numpy())
    firsts = firsts[np.argsort(codes[firsts], kind="stable")]
    lookup = np.zeros(int(codes.max()) - int(codes.min()) + 1, dtype=np.int64)
    lookup[codes[firsts] - codes.min()] = np.arange(len(firsts))
    return lookup[codes - codes.min()], firsts


def _unknown_rows(c: pd.DataFrame, f: pd.DataFrame, sizing: str, *, destination: bool) -> pd.DataFrame:
    if not destination:  # the partition's own size is unknown: one row for every destination
        if c.empty:
            return empty_blockers()
        keep = ~c.duplicated(["system", "lpar_id"]).to_numpy()
        c, f = c[keep], f[keep]
        return blocker_rows(c, status="unknown", resource=f["missing"],
                            message=f["missing"] + " not captured: whether the partition fits a destination is unknown",
                            evidence=f'sizing={sizing} missing="' + f["missing"] + '"')
    return blocker_rows(c, status="unknown", destination=c["destination"], resource=f["missing"],
                        message=f["missing"] + " of " + c["destination"] + " not captured: whether the partition "
                        "fits there is unknown",
                        evidence=f'sizing={sizing} missing="' + f["missing"] + '"')
