"""Backup staleness of SAV/RST copies of storage spaces: what copy each production storage space has on its backup.

A storage space copied with SAV on production and RST on the backup is only as current as the
save that was last restored. For every storage space of an IBM i hosting partition on a
production system (a `failover.pairs` production), `backup_status` finds its newest save, the
copy the backup restored last (matched by the save point the restore log records, so a rename on
the backup does not lose it), that copy's age at `as_of` against the RPO of its workload class,
whether production changed after the copy's save point, and whether the backup could run the
guest at all (storage space present and linked to an NWSD, NWSD and guest LPAR defined).

Missing exports give NA, never False: checks turn NA into `unknown`, not into a pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan

_RELEASE_RE = re.compile(r"(?:IBM i|OS/400|i5/OS)?.*?\b[Vv]?(\d+)[.Rr](\d+)")
# Export kinds only a hosting partition writes; an IBM i export with none of them (a guest's disk units,
# a partition's network or ASP exports) does not make that partition a host.
HOSTING_EXPORTS = frozenset({"nwsds", "storage_spaces", "save_history"})
# Release from which IBM i saves storage spaces of an active server (SAV SAVACTOPT(*NWSSTG)).
SAVE_WHILE_ACTIVE_RELEASE = (6, 1)

HOST_COLUMNS = ["system", "partition", "lpar_id", "backup_system", "exports", "os_version", "os_release",
                "release_from", "guests"]
STATUS_COLUMNS = [
    "system", "host", "nwsstg", "size_mb", "aspdev", "nwsd", "drvseqnbr", "guest", "guest_lpar_id",
    "data_changed_at", "saves", "last_save_at", "last_save_active", "backup_system", "backup_host", "backup_nwsstg",
    "restores", "copy_saved_at", "copy_restored_at", "copy_is_latest", "unrestored_saves", "copy_age",
    "workload_class", "change", "rpo", "age_rpo_ratio", "breach_at", "changed_since_copy", "backup_space_present",
    "backup_linked", "backup_drvseqnbr", "backup_nwsd", "backup_nwsd_present", "backup_lpar_present",
    "backup_lpar_state", "has_save_history", "has_backup_history", "as_of", "source",
]


def backup_of(plan: Plan) -> dict[str, str]:
    """Production system -> its backup system, from the plan's failover pairs (the first pair wins)."""
    out: dict[str, str] = {}
    for pair in plan.pairs:
        out.setdefault(pair.production, pair.backup)
    return out


def parse_release(text: Any) -> tuple[int, int] | None:
    """`IBM i Licensed Internal Code 7.2.0 48 1` / `V7R2M0` / `7.2` -> (7, 2)."""
    if not isinstance(text, str):
        return None
    m = _RELEASE_RE.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


@lru_cache(maxsize=16)
def ibmi_hosts(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """IBM i hosting partitions on production systems: from the HMC (os400 with vSCSI server adapters) and
    from IBM i exports; `exports` is the tuple of export kinds found for the host (empty: none)."""
    backups = backup_of(plan)
    parts = inv.partitions
    hosts: dict[tuple[str, str], dict[str, Any]] = {}
    if not parts.empty:
        scsi = inv.virtual_scsi
        servers = scsi[scsi["adapter_type"] == "server"] if not scsi.empty else scsi
        serving = servers.groupby(["system", "lpar_id"])["remote_lpar_id"].nunique() if not servers.empty else {}
        ibmi = parts[(parts["lpar_env"] == "os400") & parts["system"].isin(list(backups))]
        for row in ibmi.itertuples(index=False):
            guests = int(serving.get((row.system, row.lpar_id), 0)) if len(serving) else 0
            if guests == 0:
                continue
            rel = parse_release(row.os_version)
            hosts[(row.system, row.name)] = {
                "system": row.system, "partition": row.name, "lpar_id": row.lpar_id, "exports": (),
                "os_version": rel[0] if rel else None, "os_release": rel[1] if rel else None,
                "release_from": "hmc" if rel else None, "guests": guests}
    for row in inv.ibmi_partitions.itertuples(index=False):
        if row.system not in backups:
            continue
        kinds = set(row.exports) if isinstance(row.exports, tuple) else set()
        if (row.system, row.partition) not in hosts and not kinds & HOSTING_EXPORTS and kinds - {"partition"}:
            continue  # a guest (disk units) or a network-only export: not a hosting partition

        entry = hosts.setdefault((row.system, row.partition), {
            "system": row.system, "partition": row.partition, "lpar_id": row.lpar_id, "os_version": None,
            "os_release": None, "release_from": None, "guests": None})
        entry["exports"] = tuple(row.exports) if isinstance(row.exports, tuple) else ()
        if pd.notna(row.os_version) and pd.notna(row.os_release):
            entry.update(os_version=int(row.os_version), os_release=int(row.os_release), release_from="export")
    frame = pd.DataFrame(list(hosts.values()), columns=[c for c in HOST_COLUMNS if c != "backup_system"])
    frame["backup_system"] = frame["system"].map(backups)
    frame = frame.astype({"system": "str", "partition": "str", "backup_system": "str", "release_from": "str",
                          "lpar_id": "Int64", "os_version": "Int64", "os_release": "Int64", "guests": "Int64"})
    return frame[HOST_COLUMNS].sort_values(["system", "partition"]).reset_index(drop=True)


def _ok_events(events: pd.DataFrame, operation: str) -> pd.DataFrame:
    ev = events[(events["operation"] == operation) & (events["succeeded"].fillna(True).astype(bool))]
    return ev


@lru_cache(maxsize=16)
def backup_status(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """One row per storage space of a production IBM i host (STATUS_COLUMNS), judged at `plan.at()`."""
    as_of = plan.at()
    hosts = ibmi_hosts(inv, plan)
    spaces, nwsds, events = inv.storage_spaces, inv.nwsds, inv.save_events
    exports = {(r.system, r.partition): set(r.exports or ()) for r in inv.ibmi_partitions.itertuples(index=False)}
    saves = _ok_events(events, "SAV")
    saves = saves[saves["saved_at"].notna()]
    restores = _ok_events(events, "RST")
    # Grouped once, looked up per storage space: the loop below stays linear in spaces + events.
    empty_ev = events.iloc[0:0]
    save_of = {k: g for k, g in saves.groupby(["system", "partition", "nwsstg"], sort=False)}
    restores_of = {k: g for k, g in restores.groupby(["system", "saved_nwsstg"], sort=False)}
    lookup = _Lookup(
        saves=lambda key: save_of.get(key, empty_ev), restores=lambda key: restores_of.get(key, empty_ev),
        spaces={k: g for k, g in spaces.groupby(["system", "nwsstg"], sort=False)},
        nwsds={k: g for k, g in nwsds.groupby("system", sort=False)},
        partitions={k: g for k, g in inv.partitions[inv.partitions["system"].isin(set(hosts["backup_system"].dropna()))]
                    .groupby("system", sort=False)},  # only backups' partitions are looked up
        empty_spaces=spaces.iloc[0:0], empty_nwsds=nwsds.iloc[0:0], empty_parts=inv.partitions.iloc[0:0])
    rows: list[dict[str, Any]] = []
    for host in hosts.itertuples(index=False):
        key = (host.system, host.partition)
        mine = spaces[(spaces["system"] == host.system) & (spaces["partition"] == host.partition)]
        if mine.empty:
            continue
        backup = host.backup_system
        b_hosts = {p for (s, p) in exports if s == backup}
        b_kinds = set().union(*(exports[(backup, p)] for p in b_hosts)) if b_hosts else set()
        my_nwsds = nwsds[(nwsds["system"] == host.system) & (nwsds["partition"] == host.partition)]
        system_name = inv.ibmi_partitions.loc[(inv.ibmi_partitions["system"] == host.system)
                                              & (inv.ibmi_partitions["partition"] == host.partition), "system_name"]
        system_name = system_name.iat[0] if len(system_name) and pd.notna(system_name.iat[0]) else None
        for nwsstg, links in mine.sort_values("drvseqnbr", na_position="last").groupby("nwsstg", sort=True):
            link = links[links["nwsd"].notna()].head(1)
            first = (link if not link.empty else links.head(1)).iloc[0]
            row = _space_row(host, nwsstg, first, my_nwsds, lookup, system_name, plan, as_of,
                             "save_history" in exports.get(key, set()), "save_history" in b_kinds, b_kinds)
            rows.append(row)
    frame = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    return _typed(frame).sort_values(["system", "host", "nwsstg"]).reset_index(drop=True)


@dataclass
class _Lookup:
    saves: Callable[[tuple[str, str, str]], pd.DataFrame]
    restores: Callable[[tuple[str, str]], pd.DataFrame]
    spaces: dict[Any, pd.DataFrame]
    nwsds: dict[Any, pd.DataFrame]
    partitions: dict[Any, pd.DataFrame]
    empty_spaces: pd.DataFrame
    empty_nwsds: pd.DataFrame
    empty_parts: pd.DataFrame


def _space_row(host: Any, nwsstg: str, first: pd.Series, my_nwsds: pd.DataFrame, lookup: _Lookup,
               system_name: str | None, plan: Plan, as_of: pd.Timestamp,
               has_history: bool, has_backup_history: bool, b_kinds: set[str]) -> dict[str, Any]:
    backup = host.backup_system
    nwsd = first["nwsd"] if pd.notna(first["nwsd"]) else None
    served = my_nwsds[my_nwsds["nwsd"] == nwsd] if nwsd else my_nwsds.iloc[0:0]
    guest = served["guest_partition"].iat[0] if len(served) and pd.notna(served["guest_partition"].iat[0]) else None
    guest_id = served["guest_lpar_id"].iat[0] if len(served) else pd.NA
    my_saves = lookup.saves((host.system, host.partition, nwsstg))
    last_save = my_saves.sort_values("saved_at").tail(1)
    cand = lookup.restores((backup, nwsstg))
    if system_name:
        cand = cand[cand["source_system"].isna() | (cand["source_system"].str.upper() == system_name.upper())]
    copy = cand.sort_values(["started_at", "saved_at"], na_position="first").tail(1)
    copy_saved = copy["saved_at"].iat[0] if len(copy) else pd.NaT
    last_save_at = last_save["saved_at"].iat[0] if len(last_save) else pd.NaT
    wclass = plan.storage_class(host.system, nwsstg) or plan.workload_class(host.system, guest or nwsstg)
    rpo = wclass.rpo if wclass else pd.NaT
    age = as_of - copy_saved if pd.notna(copy_saved) else pd.NaT
    b_name = copy["nwsstg"].iat[0] if len(copy) else nwsstg
    b_host = copy["partition"].iat[0] if len(copy) else None
    present, linked, b_drive, b_nwsd, b_nwsd_present = _backup_side(lookup, backup, b_name, nwsd, guest, b_kinds)
    b_parts = lookup.partitions.get(backup, lookup.empty_parts)
    lpar = b_parts[b_parts["name"] == guest] if guest else b_parts.iloc[0:0]
    changed = first["data_changed_at"]
    return {
        "system": host.system, "host": host.partition, "nwsstg": nwsstg, "size_mb": first["size_mb"],
        "aspdev": first["aspdev"], "nwsd": nwsd, "drvseqnbr": first["drvseqnbr"], "guest": guest,
        "guest_lpar_id": guest_id, "data_changed_at": changed, "saves": len(my_saves) if has_history else pd.NA,
        "last_save_at": last_save_at, "last_save_active": last_save["save_active"].iat[0] if len(last_save) else None,
        "backup_system": backup, "backup_host": b_host, "backup_nwsstg": b_name,
        "restores": len(cand) if has_backup_history else pd.NA, "copy_saved_at": copy_saved,
        "copy_restored_at": copy["started_at"].iat[0] if len(copy) else pd.NaT,
        "copy_is_latest": (copy_saved >= last_save_at) if pd.notna(copy_saved) and pd.notna(last_save_at) else pd.NA,
        "unrestored_saves": int((my_saves["saved_at"] > copy_saved).sum()) if pd.notna(copy_saved) else pd.NA,
        "copy_age": age, "workload_class": wclass.name if wclass else None, "change": wclass.change if wclass else None,
        "rpo": rpo, "age_rpo_ratio": age / rpo if pd.notna(age) and pd.notna(rpo) and rpo > pd.Timedelta(0) else np.nan,
        "breach_at": copy_saved + rpo if pd.notna(copy_saved) and pd.notna(rpo) else pd.NaT,
        "changed_since_copy": (changed > copy_saved) if pd.notna(changed) and pd.notna(copy_saved) else pd.NA,
        "backup_space_present": present, "backup_linked": linked, "backup_drvseqnbr": b_drive, "backup_nwsd": b_nwsd,
        "backup_nwsd_present": b_nwsd_present,
        "backup_lpar_present": (not lpar.empty) if guest and not b_parts.empty else pd.NA,
        "backup_lpar_state": lpar["state"].iat[0] if not lpar.empty else None,
        "has_save_history": has_history, "has_backup_history": has_backup_history, "as_of": as_of,
        "source": first["source"],
    }


def _backup_side(lookup: _Lookup, backup: str, name: str, prod_nwsd: str | None, guest: str | None,
                 kinds: set[str]) -> tuple[Any, Any, Any, Any, Any]:
    """(storage space present, linked to the guest's NWSD, its drive, that NWSD, NWSD present) on the backup."""
    b_nwsds = lookup.nwsds.get(backup, lookup.empty_nwsds)
    serving = b_nwsds[(b_nwsds["guest_partition"] == guest) if guest else (b_nwsds["nwsd"] == prod_nwsd)]
    if serving.empty and prod_nwsd:
        serving = b_nwsds[b_nwsds["nwsd"] == prod_nwsd]
    nwsd_present = (not serving.empty) if "nwsds" in kinds and (guest or prod_nwsd) else pd.NA
    b_nwsd = serving["nwsd"].iat[0] if not serving.empty else None
    if "storage_spaces" not in kinds:
        return pd.NA, pd.NA, pd.NA, b_nwsd, nwsd_present
    b_spaces = lookup.spaces.get((backup, name), lookup.empty_spaces)
    if b_spaces.empty:
        return False, False, pd.NA, b_nwsd, nwsd_present
    links = b_spaces[b_spaces["nwsd"].notna()]
    if not serving.empty:
        links = links[links["nwsd"].isin(set(serving["nwsd"]))]
    elif "nwsds" in kinds:
        links = links.iloc[0:0]  # the backup has no NWSD for this guest: nothing it is linked to can serve it
    drive = links["drvseqnbr"].iat[0] if not links.empty else pd.NA
    return True, not links.empty, drive, b_nwsd, nwsd_present


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    ts = ["data_changed_at", "last_save_at", "copy_saved_at", "copy_restored_at", "breach_at"]
    for col in ts:
        stamps = [v if isinstance(v, pd.Timestamp) and pd.notna(v) else None for v in frame[col]]
        frame[col] = pd.Series(pd.to_datetime(stamps, utc=True), index=frame.index).astype("datetime64[us, UTC]")
    frame["as_of"] = pd.to_datetime(frame["as_of"], utc=True).astype("datetime64[us, UTC]")
    for col in ("copy_age", "rpo"):
        deltas = [v if isinstance(v, pd.Timedelta) and pd.notna(v) else None for v in frame[col]]
        frame[col] = pd.Series(pd.to_timedelta(deltas), index=frame.index).astype("timedelta64[us]")
    for col in ("size_mb", "drvseqnbr", "guest_lpar_id", "saves", "restores", "unrestored_saves", "backup_drvseqnbr"):
        frame[col] = frame[col].astype("Int64")
    for col in ("copy_is_latest", "changed_since_copy", "backup_space_present", "backup_linked",
                "backup_nwsd_present", "backup_lpar_present", "has_save_history", "has_backup_history"):
        frame[col] = frame[col].astype("boolean")
    frame["age_rpo_ratio"] = frame["age_rpo_ratio"].astype("Float64")
    for col in ("system", "host", "nwsstg", "aspdev", "nwsd", "guest", "last_save_active", "backup_system",
                "backup_host", "backup_nwsstg", "workload_class", "change", "backup_nwsd", "backup_lpar_state", "source"):
        frame[col] = frame[col].astype("str")
    return frame


@lru_cache(maxsize=16)
def timeline(inv: Inventory, plan: Plan) -> pd.DataFrame:
    """Events per production storage space for the timeline chart: `space`, `kind` (save|restore), `at`, `saved_at`."""
    status = backup_status(inv, plan)
    cols = ["space", "kind", "at", "saved_at", "system", "partition", "save_active"]
    if status.empty:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in cols})
    ev = inv.save_events
    parts = []
    for row in status.itertuples(index=False):
        label = f"{row.system}/{row.host}/{row.nwsstg}"
        s = ev[(ev["operation"] == "SAV") & (ev["system"] == row.system) & (ev["partition"] == row.host)
               & (ev["nwsstg"] == row.nwsstg)]
        r = ev[(ev["operation"] == "RST") & (ev["system"] == row.backup_system) & (ev["saved_nwsstg"] == row.nwsstg)]
        parts.append(pd.DataFrame({"space": label, "kind": "save", "at": s["saved_at"], "saved_at": s["saved_at"],
                                   "system": s["system"], "partition": s["partition"], "save_active": s["save_active"]}))
        parts.append(pd.DataFrame({"space": label, "kind": "restore", "at": r["started_at"], "saved_at": r["saved_at"],
                                   "system": r["system"], "partition": r["partition"], "save_active": r["save_active"]}))
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["space", "at"], kind="mergesort").reset_index(drop=True)
