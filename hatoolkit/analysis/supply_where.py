"""A scenario's destinations located in the supply table: positions, capped pools, what is unknown there.

Failover scenarios without a plan put every system against the loss of any one other: 1,000
scenarios over 999 destinations each. These helpers keep a scenario's destinations as integer
positions into `analysis.supply.SupplyTable`, so what they offer is read with array look-ups, and
visit a destination in Python only when it has something to report (a missing capture).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hatoolkit.analysis.scenarios import PlacementData
from hatoolkit.analysis.supply import Supply, SupplyTable


@dataclass
class Where:
    """A scenario's destinations as positions in the supply table, and the capped pools on them."""

    idx: np.ndarray  # (m,) table position of each destination, -1 not in the inventory
    pool_k: np.ndarray  # (k,) capped pools on the destinations, in destination order: indices into table.pools
    pool_t: np.ndarray  # (k,) the destination each of them is on
    blind: np.ndarray  # (m,) shared processor pools of the destination not captured


def where(table: SupplyTable, destinations: tuple[str, ...], failed: str | None = None) -> Where:
    idx = table.positions(destinations, failed)
    safe = np.clip(idx, 0, None)
    counts = np.where(idx >= 0, table.pool_count[safe], 0) if len(idx) else np.zeros(0, dtype=np.int64)
    pool_t = np.repeat(np.arange(len(idx)), counts)
    offset = np.arange(len(pool_t)) - np.repeat(np.cumsum(counts) - counts, counts)
    pool_k = table.pool_start[idx[pool_t]] + offset if len(pool_t) else pool_t
    blind = (idx < 0) | ~table.pools_known[safe] if len(idx) else np.zeros(0, dtype=bool)
    return Where(idx, pool_k.astype(np.int64), pool_t.astype(np.int64), blind)


class Supplies(Sequence):
    """The destinations' Supply objects (None: not in the inventory), read from the table on demand."""

    def __init__(self, table: SupplyTable, idx: np.ndarray) -> None:
        self.table, self.idx = table, idx

    def __len__(self) -> int:
        return len(self.idx)

    def __getitem__(self, i):  # type: ignore[override]
        j = self.idx[i]
        return self.table.supplies[j] if j >= 0 else None


def missing_of(table: SupplyTable, w: Where, failed: str, destinations: tuple[str, ...], data: PlacementData,
               unknown_item: np.ndarray, parts_known: bool, use_p: bool, use_m: bool, named_pools: bool) -> tuple[str, ...]:
    """What is unknown for a placement with the constraints in use: the failed system, its partitions
    (`unknown_item`), then destination by destination. `named_pools`: pool caps are in use and some
    partition is in a shared pool other than DefaultPool (so uncaptured pools on a destination matter)."""
    src: Supply | None = table.supplies[table.index[failed]] if failed in table.index else None
    out = []
    if src is None:
        out.append(f"{failed}: not in the inventory")
    if not parts_known:
        out.append(f"{failed}: partitions not captured (lssyscfg -r lpar)")
    if unknown_item.any():
        sub = data.sub
        for name, what, unknown in zip(sub["partition"], sub["missing"], unknown_item, strict=True):
            if unknown:
                out.append(f"{failed}/{name}: {what or 'size on a destination'} unknown")
    safe = np.clip(w.idx, 0, None)
    flagged = w.idx < 0
    if len(w.idx):
        if use_p or use_m:
            flagged = flagged | table.has_missing[safe]
        if use_p and data.size:
            flagged = flagged | (table.rating_code[safe] < 0) | (src is None or not src.rating.known)
        if named_pools:
            flagged = flagged | w.blind
    for i in np.flatnonzero(flagged):
        name, j = destinations[i], w.idx[i]
        if j < 0:
            out.append(f"{name}: not in the inventory")
            continue
        s = table.supplies[j]
        need = [m for m in s.missing if (use_p and "proc" in m) or (use_m and "mem" in m)]
        if need:
            out.append(f"{name}: {', '.join(need)} unknown")
        if use_p and data.size and not (s.rating.known and src is not None and src.rating.known):
            unrated = [x for x, r in ((name, s), (failed, src)) if r is not None and not r.rating.known]
            out.append(f"per-core performance of {', '.join(unrated) or failed} unknown (no type_model in "
                       f"lssyscfg -r sys; or set rperf in plan.yaml)")
        if named_pools and w.blind[i]:
            out.append(f"{name}: shared processor pools not captured")
    return tuple(dict.fromkeys(out))
