"""Drift between two audits of one estate: findings new, resolved and changed, and the configuration
changes that explain them.

A finding's identity is its check and what it is about — `check_id, system, partition, resource,
destination` — not its message, which carries numbers that move every night (a copy's age, a
shortfall in GB). Two findings of one check can share an identity (HA205 names a guest's disks and
its VLAN against the same host); those are paired by message first, then in order, so a second
finding is never mistaken for a change of the first.

Only what both audits looked at is compared: the concerns both audited (`--only`), and checks that
ran without crashing on both sides; a check the baseline did not have yet is compared (its
findings are new, and say so). Each finding change is linked to the configuration changes on
the same system and partition (or its destination, or the partitions it names) that bear on its
concern — a partition resized for capacity, a SEA's mode for network, a copy refreshed for the
storage space it copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from hatoolkit.analysis.drift_config import CONFIG_COLUMNS, config_changes
from hatoolkit.model.findings import FAMILY_ORDER, FINDING_COLUMNS, SEVERITY_ORDER, sort_findings, waived
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.waivers import waiver_columns

IDENTITY = ("check_id", "system", "partition", "resource", "destination")
CHANGE_KINDS = ("new", "resolved", "changed")
FINDING_CHANGE_COLUMNS = ["change", "check_id", "family", "severity", "severity_before", "status", "status_before",
                          "waived", "waived_before", "system", "partition", "resource", "destination", "message", "detail",
                          "explained_by"]

# Which configuration changes can explain a finding of each concern. Partition rows are judged by
# attribute: "" is the partition added or removed; capacity cares about its size, mobility about all of it.
_SIZE = frozenset({"", "state", "lpar_env", "curr_proc_mode", "curr_proc_units", "curr_procs", "curr_mem_mb",
                   "curr_shared_proc_pool_id"})
_PRESENCE = frozenset({"", "state"})
RELEVANT: dict[str, dict[str, frozenset[str] | None]] = {
    "inputs": {},
    "capacity": {"system": None, "proc_pool": None, "partition": _SIZE},
    "mobility": {k: None for k in ("system", "partition", "proc_pool", "io_slot", "virtual_eth", "virtual_scsi",
                                   "virtual_fc", "vios_mapping", "sea", "disk")},
    "backups": {"partition": _PRESENCE, "storage_copy": None, "storage_space": None, "nwsd": None, "asp": None},
    "network": {"partition": _PRESENCE, **{k: None for k in ("io_slot", "virtual_eth", "vios_mapping", "sea",
                                                             "etherchannel", "interface")}},
    "storage": {"partition": _PRESENCE, **{k: None for k in ("virtual_scsi", "virtual_fc", "vios_mapping", "disk",
                                                             "disk_path", "nwsd", "storage_space", "storage_copy",
                                                             "asp", "disk_unit")}},
    "spof": {"partition": _PRESENCE, **{k: None for k in ("io_slot", "virtual_eth", "virtual_scsi", "virtual_fc",
                                                          "vios_mapping", "sea", "etherchannel", "disk", "disk_path",
                                                          "interface", "disk_unit")}},
}
# Checks whose concern differs from their family's: HA219 (LPM destination capacity) is capacity arithmetic.
CHECK_RELEVANT: dict[str, dict[str, frozenset[str] | None]] = {"HA219": RELEVANT["capacity"]}
# Kinds that are about one named object on a host serving many: linked only to findings naming it.
_BY_OBJECT = frozenset({"storage_copy", "storage_space"})


@dataclass(frozen=True)
class Side:
    """One audit to compare: its findings and, when known, coverage, inventory, time and audited concerns."""

    label: str
    findings: pd.DataFrame
    coverage: pd.DataFrame | None = None
    inventory: Inventory | None = None
    as_of: pd.Timestamp | None = None
    areas: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Drift:
    """What changed from `old` to `new`: finding changes (FINDING_CHANGE_COLUMNS) and config changes."""

    old: str
    new: str
    old_as_of: pd.Timestamp | None
    new_as_of: pd.Timestamp | None
    findings: pd.DataFrame
    config: pd.DataFrame | None  # None: a side had no inventory (findings.csv only)
    compared: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    zone: str = "UTC"  # the plan's time zone, for showing times

    def counts(self) -> dict[str, int | None]:
        c = self.findings["change"].value_counts()
        out: dict[str, int | None] = {k: int(c.get(k, 0)) for k in CHANGE_KINDS}
        out["config"] = None if self.config is None else len(self.config)
        return out

    def headline(self) -> str:
        """`3 new, 2 resolved, 1 changed; 5 configuration changes` (the summary line)."""
        n = self.counts()
        text = f"{n['new']} new, {n['resolved']} resolved, {n['changed']} changed"
        if n["config"] is None:
            return text + "; configuration not compared"
        return text + f"; {n['config']} configuration change" + ("" if n["config"] == 1 else "s")


def drift(old: Side, new: Side, zone: str = "UTC") -> Drift:
    """Compare two audits (pure: no files read). `zone` renders the configuration's timestamps."""
    notes: list[str] = []
    families = _compared_families(old, new, notes)
    changes = finding_changes(old, new, families, notes)
    config = None
    if old.inventory is not None and new.inventory is not None:
        config = config_changes(old.inventory, new.inventory, zone)
        systems = set(old.inventory.systems["system"]) | set(new.inventory.systems["system"])
        changes = changes.assign(explained_by=link(changes, config, systems))
    else:
        missing = old.label if old.inventory is None else new.label
        notes.append(f"configuration not compared: {missing} has findings only (no saved run state)")
    return Drift(old.label, new.label, old.as_of, new.as_of, changes, config, families, tuple(notes), zone)


def _compared_families(old: Side, new: Side, notes: list[str]) -> tuple[str, ...]:
    a = set(old.areas) if old.areas else set(FAMILY_ORDER)
    b = set(new.areas) if new.areas else set(FAMILY_ORDER)
    both = tuple(f for f in FAMILY_ORDER if f in a & b)
    if set(both) != set(FAMILY_ORDER):
        notes.append(f"only the concerns both audits covered are compared: {', '.join(both) or 'none'}")
    return both


def _ran(side: Side) -> set[str] | None:
    if side.coverage is None:
        return None
    return set(side.coverage.loc[side.coverage["error"].isna(), "check_id"])


def _errors(side: Side) -> set[str]:
    if side.coverage is None:
        return set()
    return set(side.coverage.loc[side.coverage["error"].notna(), "check_id"])


def finding_changes(old: Side, new: Side, families: tuple[str, ...] = FAMILY_ORDER,
                    notes: list[str] | None = None) -> pd.DataFrame:
    """New, resolved and changed findings by identity, worst first (FINDING_CHANGE_COLUMNS, `explained_by` empty)."""
    notes = notes if notes is not None else []
    a = old.findings[old.findings["family"].isin(families)]
    b = new.findings[new.findings["family"].isin(families)]
    crashed = _errors(old) | _errors(new)
    if crashed:
        notes.append(f"not compared (a check crashed in one audit): {', '.join(sorted(crashed))}")
        a, b = a[~a["check_id"].isin(crashed)], b[~b["check_id"].isin(crashed)]
    ran_old, ran_new = _ran(old), _ran(new)
    if ran_new is not None:  # a check the new audit did not run resolves nothing
        a = a[a["check_id"].isin(ran_new)]
    a, b = _keyed(a), _keyed(b)
    rows = []
    for kind, i, j in _pair(a, b):
        fa = a.loc[i] if i is not None else None
        fb = b.loc[j] if j is not None else None
        cur = fb if fb is not None else fa
        detail = _detail(kind, fa, fb, ran_old)
        if kind == "changed" and not detail:
            continue
        row = {c: cur[c] for c in FINDING_COLUMNS if c not in ("evidence", "remediation")}
        rows.append({**row, "change": kind, "waived": bool(cur["_waived"]), "detail": "; ".join(detail),
                     "waived_before": bool(fa["_waived"]) if fa is not None else False,
                     "severity_before": fa["severity"] if fa is not None else None,
                     "status_before": fa["status"] if fa is not None else None})
    columns = [c for c in FINDING_CHANGE_COLUMNS if c != "explained_by"]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    frame = sort_findings(frame.assign(evidence="", remediation="")).drop(columns=["evidence", "remediation"])
    frame = frame.assign(_c=frame["change"].map(order)).sort_values("_c", kind="mergesort").drop(columns="_c")
    frame = frame.reset_index(drop=True).astype({"waived": bool, "waived_before": bool})
    frame["explained_by"] = pd.Series([() for _ in range(len(frame))], index=frame.index, dtype=object)
    return frame[FINDING_CHANGE_COLUMNS]


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.assign(_waived=waived(frame) if len(frame) else pd.Series([], dtype=bool))
    for col in IDENTITY:
        out[f"_{col}"] = out[col].fillna("").astype("str")
    out["_msg"] = out["message"].fillna("").astype("str")
    return out


def _pair(a: pd.DataFrame, b: pd.DataFrame) -> list[tuple[str, object, object]]:
    """(kind, old index or None, new index or None): exact identity+message first, then identity in order."""
    keys = [f"_{c}" for c in IDENTITY]
    a = a.assign(_i=a.index).sort_values([*keys, "_msg"], kind="mergesort")
    b = b.assign(_j=b.index).sort_values([*keys, "_msg"], kind="mergesort")
    a["_n"] = a.groupby([*keys, "_msg"]).cumcount()
    b["_n"] = b.groupby([*keys, "_msg"]).cumcount()
    exact = a[[*keys, "_msg", "_n", "_i"]].merge(b[[*keys, "_msg", "_n", "_j"]], on=[*keys, "_msg", "_n"])
    rest_a = a[~a["_i"].isin(exact["_i"])].copy()
    rest_b = b[~b["_j"].isin(exact["_j"])].copy()
    rest_a["_n"] = rest_a.groupby(keys).cumcount()
    rest_b["_n"] = rest_b.groupby(keys).cumcount()
    loose = rest_a[[*keys, "_n", "_i"]].merge(rest_b[[*keys, "_n", "_j"]], on=[*keys, "_n"], how="outer")
    out: list[tuple[str, object, object]] = [("changed", i, j) for i, j in zip(exact["_i"], exact["_j"], strict=True)]
    for i, j in zip(loose["_i"], loose["_j"], strict=True):
        i = None if pd.isna(i) else int(i)
        j = None if pd.isna(j) else int(j)
        out.append(("resolved" if j is None else "new" if i is None else "changed", i, j))
    return out


def _detail(kind: str, fa: pd.Series | None, fb: pd.Series | None, ran_old: set[str] | None) -> list[str]:
    if kind == "new":
        out = []
        if ran_old is not None and fb["check_id"] not in ran_old:
            out.append(f"{fb['check_id']} did not run in the baseline")
        if fb["_waived"]:
            w = waiver_columns(fb.to_frame().T).iloc[0]
            out.append(f"waived by {w['waived_by']} until {w['waived_until']}")
        return out
    if kind == "resolved":
        return []
    out = []
    if fa["severity"] != fb["severity"]:
        worse = SEVERITY_ORDER.index(fb["severity"]) > SEVERITY_ORDER.index(fa["severity"])
        out.append(f"severity {fa['severity']} -> {fb['severity']} ({'worse' if worse else 'better'})")
    if fa["status"] != fb["status"]:
        out.append(f"status {fa['status']} -> {fb['status']}")
    if fa["_waived"] != fb["_waived"]:
        if fb["_waived"]:
            w = waiver_columns(fb.to_frame().T).iloc[0]
            out.append(f"now waived by {w['waived_by']} until {w['waived_until']}")
        else:
            lapsed = "waiver_expired=" in str(fb["evidence"])
            out.append("waiver expired: active again" if lapsed else "no longer waived")
    return out


def link(changes: pd.DataFrame, config: pd.DataFrame, systems: set[str]) -> list[tuple[str, ...]]:
    """Per finding change, the ids of the configuration changes that bear on it (see RELEVANT)."""
    if changes.empty or config.empty:
        return [() for _ in range(len(changes))]
    by_part: dict[tuple[str, str], list[dict]] = {}
    by_system: dict[str, list[dict]] = {}
    for c in config.to_dict("records"):
        by_system.setdefault(c["system"], []).append(c)
        by_part.setdefault((c["system"], c["partition"]), []).append(c)
        if c["related"]:
            by_part.setdefault((c["system"], c["related"]), []).append(c)
    out = []
    for f in changes.to_dict("records"):
        relevant = CHECK_RELEVANT.get(f["check_id"], RELEVANT.get(f["family"], {}))
        parts, own, dest = _scope(f, systems)
        whole = own | dest if not _text(f["partition"]) else dest  # a system-level finding, or a destination
        found: dict[str, dict] = {}
        for key in parts:
            found.update({c["id"]: c for c in by_part.get(key, [])})
        for s in own | dest:
            found.update({c["id"]: c for c in by_system.get(s, []) if not c["partition"] or s in whole})
        keep = [c for c in found.values() if _bears(c, f, relevant)]
        out.append(tuple(c["id"] for c in sorted(keep, key=lambda c: int(c["id"][1:]))))
    return out


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _scope(f: dict, systems: set[str]) -> tuple[set[tuple[str, str]], set[str], set[str]]:
    """What a finding is about: (system, partition) pairs (its own, its destination's, those its resource
    names), its own system, and its destination system (whose every change can bear on a move or a failover)."""
    system = _text(f["system"])
    parts = {(system, p) for p in _text(f["partition"]).split(",") if p}
    dest: set[str] = set()
    for target in _text(f["destination"]).split(";"):
        head, _, rest = target.partition("/")
        if head in systems:
            dest.add(head)
            if rest.split("/", 1)[0]:
                parts.add((head, rest.split("/", 1)[0]))
    head, _, rest = _text(f["resource"]).partition("/")
    if head in systems and rest.split("/", 1)[0]:
        parts.add((head, rest.split("/", 1)[0]))
    return parts, ({system} if system else set()), dest


def _bears(c: dict, f: dict, relevant: dict[str, frozenset[str] | None]) -> bool:
    if c["kind"] not in relevant:
        return False
    attrs = relevant[c["kind"]]
    if attrs is not None and c["attribute"] not in attrs:
        return False
    if c["kind"] in _BY_OBJECT:
        return c["object"] == _text(f["resource"]) or c["object"].split("/", 1)[0] == _text(f["resource"])
    return True


__all__ = ["CONFIG_COLUMNS", "Drift", "Side", "drift", "finding_changes", "link"]
