"""Live Partition Mobility readiness: every partition against every candidate destination, offline.

The HMC validates one partition and one destination at a time, live (`migrlpar -o v`). This
answers it for the whole estate from exports: `blockers` lists every blocking or undecidable
prerequisite (rules in mobility_rules / mobility_io), `readiness_matrix` turns them into one cell
per (partition, destination) — `ready`, `blocked` (all blockers, first one first) or `unknown`
(naming the missing data) — and `fixes` ranks single changes by how many moves they unblock
("set msp=1 on a VIOS of PRD-2: unblocks 5 migrations").

Destination capacity is the last rule (mobility_capacity, on analysis.capacity's arithmetic): each
cell alone, as one `migrlpar -o v` would judge it; evacuation adds moves up. Not evaluated: what
no export shows (NPIV zoning of the second WWPN, HMC-to-HMC SSH keys, firmware level pairs,
PowerVM edition); cells carry those as `caveats`.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from hatoolkit.analysis import mobility_io as io
from hatoolkit.analysis import mobility_os as os_rules
from hatoolkit.analysis import mobility_rules as r
from hatoolkit.analysis.mobility_capacity import capacity
from hatoolkit.analysis.mobility_data import (
    BLOCKER_COLUMNS,
    MobilityData,
    destinations,
    empty_blockers,
    prepare,
)
from hatoolkit.analysis.mobility_rules import Rule
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan
from hatoolkit.model.rows import row_tuples

# Order = the order an architect reads them in; the first failing rule colours a matrix cell.
RULES: list[Rule] = [
    Rule("system_capability", "system not LPM-capable", r.system_capability),
    Rule("partition_state", "partition state", r.partition_state),
    Rule("physical_io", "physical I/O", r.physical_io),
    Rule("hea", "HEA/LHEA ports", r.hea),
    Rule("ibmi_hosted", "hosted by IBM i", io.ibmi_hosted),
    Rule("msp", "no mover service partition", r.msp),
    Rule("rmc", "RMC inactive", r.rmc),
    Rule("compat_mode", "compatibility mode", r.compat_mode),
    Rule("lmb", "LMB size differs", r.lmb),
    Rule("name_clash", "name in use", r.name_clash),
    Rule("vlan", "VLAN not bridged", io.vlan),
    Rule("backing", "disk not a whole LUN", io.backing),
    Rule("reserve", "reserve policy", io.reserve),
    Rule("lun_visibility", "LUN not visible", io.lun_visibility),
    Rule("huge_pages", "huge pages", r.huge_pages),
    Rule("bsr", "BSR arrays", r.bsr),
    Rule("error_path", "redundant error path", r.error_path),
    Rule("os_level", "OS level", os_rules.os_level),
]
RULES.append(Rule("capacity", "destination capacity", capacity))  # HA219, on analysis.capacity's arithmetic
CAPACITY_CAVEAT = "destination processor/memory capacity not evaluated in this matrix (see the capacity page)"
NPIV_CAVEAT = "NPIV: zoning of each client adapter's second WWPN is not visible in exports (HMC validation HSCLA319)"
STATUSES = ("ready", "unknown", "blocked")


def rule_labels() -> dict[str, str]:
    return {rule.slug: rule.label for rule in RULES}


@lru_cache(maxsize=8)
def rule_blockers(inv: Inventory, plan: Plan) -> dict[str, pd.DataFrame]:
    """Each rule's blockers (BLOCKER_COLUMNS), computed once per (Inventory, Plan): what its check reports."""
    data = prepare(inv, plan)
    out = {}
    for rule in RULES:
        rows = rule.fn(data)
        rows = rows.assign(rule=rule.slug)[list(BLOCKER_COLUMNS)] if not rows.empty else empty_blockers()
        rows["destination"] = rows["destination"].where(rows["destination"] != "None")
        out[rule.slug] = _distinct(rows)
    return out


def _distinct(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows without repeats of (partition, destination, rule, status, message). Most rules give one row per
    cell: when the shorter key (no message) is already unique, the long messages are not hashed."""
    if not rows.duplicated(["system", "lpar_id", "destination", "status"]).any():
        return rows.reset_index(drop=True)
    return rows.drop_duplicates(["system", "lpar_id", "destination", "rule", "status", "message"]).reset_index(drop=True)


@lru_cache(maxsize=8)
def blockers(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """Every blocker (`fail`) and undecidable prerequisite (`unknown`); `destination` NA = all destinations."""
    parts = [rows for rows in rule_blockers(inv, plan).values() if not rows.empty]
    if not parts:
        return empty_blockers()
    return pd.concat(parts, ignore_index=True)


def cell_blockers(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """Blockers spread over the matrix: one row per (partition, destination, blocker)."""
    data = prepare(inv, plan)
    b = blockers(inv, plan)
    cells = data.cells[["system", "lpar_id", "destination"]]
    every = b[b["destination"].isna()].drop(columns="destination").merge(cells, on=["system", "lpar_id"])
    some = b[b["destination"].notna()].merge(cells, on=["system", "lpar_id", "destination"])
    out = pd.concat([every[list(BLOCKER_COLUMNS)], some[list(BLOCKER_COLUMNS)]], ignore_index=True)
    rank = {rule.slug: i for i, rule in enumerate(RULES)}
    out = out.assign(_rank=out["rule"].map(rank), _fail=(out["status"] != "fail").astype(int))
    out = out.sort_values(["system", "lpar_id", "destination", "_fail", "_rank"], kind="mergesort")
    return out.drop(columns=["_rank", "_fail"]).reset_index(drop=True)


@lru_cache(maxsize=8)
def readiness_matrix(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """One row per (partition, candidate destination): status, first blocker, all blockers, missing data."""
    data = prepare(inv, plan)
    cells = data.cells.copy()
    if cells.empty:
        return _empty_matrix()
    cb = cell_blockers(inv, plan)
    labels = rule_labels()
    key = ["system", "lpar_id", "destination"]
    fails = cb[cb["status"] == "fail"].groupby(key, sort=False)
    unknowns = cb[cb["status"] == "unknown"].groupby(key, sort=False)
    fail_labels = fails["rule"].agg(lambda s: tuple(dict.fromkeys(labels[x] for x in s)))
    unk_labels = unknowns["rule"].agg(lambda s: tuple(dict.fromkeys(labels[x] for x in s)))
    detail = cb.assign(line=cb["status"].map({"fail": "✗ ", "unknown": "? "}) + cb["rule"].map(labels) + ": "
                       + cb["message"]).groupby(key, sort=False)["line"].agg("\n".join)
    idx = pd.MultiIndex.from_frame(cells[key])
    cells["blockers"] = _tuples(fail_labels.reindex(idx))
    cells["unknowns"] = _tuples(unk_labels.reindex(idx))
    cells["n_blockers"] = pd.Series(fails.size().reindex(idx).fillna(0).to_numpy(), dtype="Int64")
    cells["n_unknown"] = pd.Series(unknowns.size().reindex(idx).fillna(0).to_numpy(), dtype="Int64")
    cells["status"] = pd.Series(["blocked" if b else ("unknown" if u else "ready")
                                 for b, u in zip(cells["n_blockers"], cells["n_unknown"], strict=True)], dtype="str")
    cells["first_blocker"] = pd.Series([b[0] if b else (f"? {u[0]}" if u else None)
                                        for b, u in zip(cells["blockers"], cells["unknowns"], strict=True)], dtype="str")
    cells["detail"] = pd.Series(detail.reindex(idx).to_numpy(), dtype="str")
    cells["caveats"] = pd.Series(_caveats(data, cells), dtype="str")
    cols = ["system", "lpar_id", "partition", "lpar_env", "mode", "destination", "status", "first_blocker", "blockers",
            "unknowns", "n_blockers", "n_unknown", "detail", "caveats"]
    return cells[cols].sort_values(["system", "lpar_id", "destination"], kind="mergesort").reset_index(drop=True)


def _tuples(series: pd.Series) -> pd.Series:
    return pd.Series([v if isinstance(v, tuple) else () for v in series], dtype=object)


def _caveats(data: MobilityData, cells: pd.DataFrame) -> list[str | None]:
    vfc = data.inv.virtual_fc
    npiv = set(map(tuple, row_tuples(vfc.loc[vfc["adapter_type"] == "client", ["system", "lpar_id"]])))
    capacity = not any(rule.slug == "capacity" for rule in RULES)
    out = []
    for system, lpar in zip(cells["system"], cells["lpar_id"], strict=True):
        notes = ([CAPACITY_CAVEAT] if capacity else []) + ([NPIV_CAVEAT] if (system, lpar) in npiv else [])
        out.append("; ".join(notes) or None)
    return out


def _empty_matrix() -> pd.DataFrame:
    cols = {"system": "str", "lpar_id": "Int64", "partition": "str", "lpar_env": "str", "mode": "str",
            "destination": "str", "status": "str", "first_blocker": "str", "blockers": object, "unknowns": object,
            "n_blockers": "Int64", "n_unknown": "Int64", "detail": "str", "caveats": "str"}
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in cols.items()})


def readiness_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """Moves per (source system, destination): how many are ready, unknown, blocked."""
    if matrix.empty:
        return pd.DataFrame(columns=["system", "destination", *STATUSES])
    counts = matrix.pivot_table(index=["system", "destination"], columns="status", values="lpar_id", aggfunc="count",
                                fill_value=0)
    return counts.reindex(columns=list(STATUSES), fill_value=0).reset_index().rename_axis(columns=None)


def fixes(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """Single changes ranked by the moves they unblock: `unblocks` = moves that become ready (it was their
    only blocker and nothing else is unknown), `blocks` = moves it blocks at all."""
    cb = cell_blockers(inv, plan)
    fails = cb[(cb["status"] == "fail") & cb["fix"].notna() & (cb["fix"] != "None")]
    if fails.empty:
        return pd.DataFrame({"fix": pd.Series([], dtype="str"), "rule": pd.Series([], dtype="str"),
                             "label": pd.Series([], dtype="str"), "blocks": pd.Series([], dtype="Int64"),
                             "unblocks": pd.Series([], dtype="Int64"), "moves": pd.Series([], dtype=object)})
    key = ["system", "lpar_id", "destination"]
    per_cell = fails.groupby(key)["fix"].nunique().rename("n_fixes").reset_index()
    m = readiness_matrix(inv, plan)[[*key, "n_unknown"]]
    fails = fails.merge(per_cell, on=key).merge(m, on=key)
    fails = fails.assign(move=fails["system"] + "/" + fails["partition"] + " -> " + fails["destination"],
                         sole=(fails["n_fixes"] == 1) & (fails["n_unknown"] == 0))
    labels = rule_labels()
    g = fails.drop_duplicates([*key, "fix"]).groupby("fix", sort=False)
    out = pd.DataFrame({
        "rule": g["rule"].first(), "blocks": g.size().astype("Int64"), "unblocks": g["sole"].sum().astype("Int64"),
        "moves": g["move"].agg(tuple),
    }).reset_index()
    out["label"] = out["rule"].map(labels)
    out = out[["fix", "rule", "label", "blocks", "unblocks", "moves"]]
    return out.sort_values(["unblocks", "blocks", "fix"], ascending=[False, False, True], kind="mergesort").reset_index(
        drop=True)


__all__ = ["CAPACITY_CAVEAT", "RULES", "Rule", "blockers", "cell_blockers", "destinations", "fixes",
           "readiness_counts", "readiness_matrix", "rule_blockers", "rule_labels"]
