"""Configuration changes between two inventories of one estate: what was added, removed or changed.

Each kind of object is compared by its identity (a partition by system and name, a virtual
adapter by its partition and slot, a VIOS mapping by its VIOS, server adapter and target, a SEA by
its VIOS and device, a storage space's copies by host and name) on a few attributes that the
checks read — never on values that move by themselves (free capacity, data-change times).

Data that is present on one side only is not called a change: a system whose VIOS captures are
missing in the new bundle gives one `uncompared` row, not "every mapping removed". Objects under
a partition that was added or removed (its adapters, its slots, the mappings serving it) are
folded into that partition's row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hatoolkit.model.inventory import Inventory

CONFIG_COLUMNS = ["id", "change", "kind", "system", "partition", "object", "attribute", "before", "after",
                  "related", "detail"]
CHANGES = ("added", "removed", "changed", "uncompared")


@dataclass(frozen=True)
class ObjectKind:
    """How one kind of object is found, identified and compared."""

    kind: str
    noun: str                                  # in sentences: "virtual SCSI adapter"
    frame: str | Callable[[Inventory, str], pd.DataFrame]
    partition: str | None                      # column naming the partition it belongs to
    key: tuple[str, ...]                       # identity within the partition (or system)
    attrs: tuple[str, ...]                     # compared
    related: str | None = None                 # a second partition it ties to (client, remote end)
    per_partition: bool = False                # compared only where the partition's data exists on both sides


def _storage_copies(inv: Inventory, zone: str) -> pd.DataFrame:
    """Per IBM i host and storage space: newest successful save, and save point of the newest copy restored."""
    ev = inv.save_events
    cols = ["system", "partition", "nwsstg", "last_save", "restored_save", "restored_as"]
    if ev.empty:
        return pd.DataFrame(columns=cols)
    ok = ev[ev["succeeded"].fillna(True).astype(bool)]
    when = ok["saved_at"].fillna(ok["ended_at"]).fillna(ok["started_at"])
    ok = ok.assign(_when=when, _name=ok["saved_nwsstg"].fillna(ok["nwsstg"]))
    saves = ok[ok["operation"] == "SAV"].groupby(["system", "partition", "_name"])["_when"].max()
    rst = ok[ok["operation"] == "RST"].sort_values("_when", kind="mergesort")
    rst = rst.groupby(["system", "partition", "_name"]).agg(restored_save=("_when", "last"),
                                                            restored_as=("nwsstg", "last"))
    out = pd.concat([saves.rename("last_save"), rst], axis=1).reset_index()
    out = out.rename(columns={"_name": "nwsstg"})
    for col in ("last_save", "restored_save"):
        out[col] = _stamp(out[col], zone)
    return out[cols]


def _luns(inv: Inventory) -> pd.Series:
    """hdisk -> LUN identity per (system, VIOS): UDID, else unique_id, else the hdisk name itself."""
    d = inv.disks
    lun = d["udid"].fillna(d["unique_id"]).fillna(d["hdisk"])
    return pd.Series(lun.to_numpy(), index=pd.MultiIndex.from_arrays([d["system"], d["vios_lpar_id"], d["hdisk"]]))


def _lookup(inv: Inventory, frame: pd.DataFrame, column: str) -> pd.Series:
    luns = _luns(inv)
    keys = pd.MultiIndex.from_arrays([frame["system"], frame["vios_lpar_id"], frame[column]])
    found = luns[~luns.index.duplicated()].reindex(keys)
    return pd.Series(found.to_numpy(), index=frame.index).fillna(frame[column])


def _mappings(inv: Inventory, zone: str) -> pd.DataFrame:
    """VIOS mappings keyed by server slot (device names renumber), clients by name, disks by LUN (UDID)."""
    m = inv.vios_mappings
    parts = inv.partitions.drop_duplicates(["system", "lpar_id"]).set_index(["system", "lpar_id"])["name"]
    ids = pd.MultiIndex.from_arrays([m["system"], m["client_lpar_id"]])
    client = pd.Series(parts.reindex(ids).to_numpy(), index=m.index)
    server = ("slot " + m["slot_num"].astype("str")).where(m["slot_num"].notna(), m["adapter"])
    return m.assign(client=m["client_name"].fillna(client), server=server, backing=_lookup(inv, m, "backing_device"))


def _disks(inv: Inventory, zone: str) -> pd.DataFrame:
    return inv.disks.assign(lun=_lookup(inv, inv.disks, "hdisk"))


def _paths(inv: Inventory, zone: str) -> pd.DataFrame:
    return inv.disk_paths.assign(lun=_lookup(inv, inv.disk_paths, "hdisk"))


def _stamp(values: pd.Series, zone: str) -> pd.Series:
    times = pd.to_datetime(values, utc=True)
    return times.dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M").astype("str")


KINDS: tuple[ObjectKind, ...] = (
    ObjectKind("system", "managed system", "systems", None, (),
               ("state", "configurable_sys_proc_units", "configurable_sys_mem_mb", "active_lpar_mobility_capable")),
    ObjectKind("partition", "partition", "partitions", "name", (),
               ("state", "lpar_env", "curr_proc_mode", "curr_proc_units", "curr_procs", "curr_mem_mb",
                "curr_shared_proc_pool_id", "curr_lpar_proc_compat_mode", "rmc_state", "msp", "os_version")),
    ObjectKind("proc_pool", "shared processor pool", "proc_pools", None, ("name",), ("max_pool_proc_units",)),
    ObjectKind("io_slot", "physical I/O slot", "io_slots", "lpar_name", ("drc_index",), ("description",)),
    ObjectKind("virtual_eth", "virtual Ethernet adapter", "virtual_eth", "lpar_name", ("slot_num",),
               ("port_vlan_id", "addl_vlan_ids", "vswitch", "is_trunk", "trunk_priority")),
    ObjectKind("virtual_scsi", "virtual SCSI adapter", "virtual_scsi", "lpar_name", ("slot_num",),
               ("adapter_type", "remote_lpar_name", "remote_slot_num"), related="remote_lpar_name"),
    ObjectKind("virtual_fc", "virtual Fibre Channel adapter", "virtual_fc", "lpar_name", ("slot_num",),
               ("adapter_type", "remote_lpar_name", "remote_slot_num"), related="remote_lpar_name"),
    ObjectKind("vios_mapping", "VIOS mapping", _mappings, "vios_name", ("kind", "server", "vtd"),
               ("client", "client_slot", "backing", "backing_type", "status", "mirrored", "sea"),
               related="client", per_partition=True),
    ObjectKind("sea", "SEA", "seas", "vios_name", ("sea",),
               ("ha_mode", "real_adapter", "ctl_chan", "pvid", "trunk_priority", "vlans", "virt_adapters"),
               per_partition=True),
    ObjectKind("etherchannel", "EtherChannel", "etherchannels", "vios_name", ("device",),
               ("adapter_names", "backup_adapter", "mode", "unhealthy_adapters"), per_partition=True),
    ObjectKind("disk", "disk (LUN)", _disks, "vios_name", ("lun",), ("reserve_policy",), per_partition=True),
    ObjectKind("disk_path", "disk path", _paths, "vios_name", ("lun", "parent", "connection"), ("status",),
               per_partition=True),
    ObjectKind("nwsd", "network server description", "nwsds", "partition", ("nwsd",),
               ("guest_partition", "rsrcname"), related="guest_partition", per_partition=True),
    ObjectKind("storage_space", "storage space", "storage_spaces", "partition", ("nwsstg", "nwsd"),
               ("size_mb", "aspdev", "drvseqnbr"), per_partition=True),
    ObjectKind("storage_copy", "storage space copy", _storage_copies, "partition", ("nwsstg",),
               ("last_save", "restored_save"), per_partition=True),
    ObjectKind("interface", "TCP/IP interface", "interfaces", "partition", ("internet_address",),
               ("line_description", "status", "proxy_arp_enabled", "preferred_interfaces",
                "associated_local_interface"), per_partition=True),
    ObjectKind("asp", "ASP", "asps", "partition", ("asp_number",),
               ("aspdev", "asp_state", "geo_role", "geo_session_state", "geo_sync_status"), per_partition=True),
    ObjectKind("disk_unit", "disk unit", "disk_units", "partition", ("resource_name",),
               ("asp_number", "unit_number", "mirrored_unit_status", "client_slot"), per_partition=True),
)
CHILD_KINDS = frozenset(k.kind for k in KINDS) - {"system", "partition", "proc_pool"}


def show(value: object) -> str:
    """A cell as text for comparing and reading: NA empty, tuples comma-joined, floats without noise."""
    if isinstance(value, tuple | list):
        return ",".join(show(v) for v in value) or "none"
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        return f"{value:g}"
    return str(value)


def _texts(series: pd.Series) -> pd.Series:
    return series.map(show).astype("str") if len(series) else series.astype("str")


def _frame(inv: Inventory, spec: ObjectKind, zone: str) -> pd.DataFrame:
    """The objects of one kind as text: system, partition, key, attrs (+ related)."""
    raw = spec.frame(inv, zone) if callable(spec.frame) else inv.frame(spec.frame)
    cols = ["system", *([spec.partition] if spec.partition else []), *spec.key, *spec.attrs]
    if spec.related and spec.related not in cols:
        cols.append(spec.related)
    out = pd.DataFrame({c: _texts(raw[c]) for c in dict.fromkeys(cols)}, index=raw.index)
    out["_partition"] = out[spec.partition] if spec.partition else ""
    out["_related"] = out[spec.related] if spec.related else ""
    if spec.kind == "partition":
        out["_object"] = out["name"]
    elif not spec.key:
        out["_object"] = out["system"]
    else:
        obj = out[spec.key[0]]
        for col in spec.key[1:]:
            obj = obj + "/" + out[col]
        out["_object"] = obj.str.rstrip("/")
    return out.drop_duplicates(["system", "_partition", "_object"]).reset_index(drop=True)


def config_changes(old: Inventory, new: Inventory, zone: str = "UTC") -> pd.DataFrame:
    """Every configuration change from `old` to `new` (CONFIG_COLUMNS), in a stable order with ids C1, C2, ..."""
    found: list[dict[str, str]] = []
    sys_old, sys_new = set(old.systems["system"]), set(new.systems["system"])
    part_old = set(zip(old.partitions["system"], old.partitions["name"].fillna(""), strict=True))
    part_new = set(zip(new.partitions["system"], new.partitions["name"].fillna(""), strict=True))
    gone_parts = {p for p in part_old ^ part_new if p[0] in sys_old & sys_new}
    gone_systems = sys_old ^ sys_new
    folded: dict[tuple[str, str], int] = {}
    for spec in KINDS:
        a, b = _frame(old, spec, zone), _frame(new, spec, zone)
        found += _compare(spec, a, b, gone_systems, gone_parts, folded)
    frame = pd.DataFrame(found, columns=CONFIG_COLUMNS[1:])
    if frame.empty:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in CONFIG_COLUMNS})
    kind_order = {k.kind: i for i, k in enumerate(KINDS)}
    frame = frame.assign(_k=frame["kind"].map(kind_order)).sort_values(
        ["system", "_k", "partition", "object", "attribute"], kind="mergesort").drop(columns="_k")
    for i, row in enumerate(frame.itertuples()):
        if row.kind == "partition" and row.change in ("added", "removed") and folded.get((row.system, row.partition)):
            frame.iat[i, frame.columns.get_loc("detail")] += f" (and {folded[(row.system, row.partition)]} " \
                                                            "objects under it: adapters, slots, mappings)"
    frame.insert(0, "id", [f"C{i + 1}" for i in range(len(frame))])
    return frame.reset_index(drop=True).astype("str")


def _compare(spec: ObjectKind, a: pd.DataFrame, b: pd.DataFrame, gone_systems: set[str],
             gone_parts: set[tuple[str, str]], folded: dict[tuple[str, str], int]) -> list[dict[str, str]]:
    unit = ["system", "_partition"] if spec.per_partition else ["system"]
    units_a, units_b = set(map(tuple, a[unit].to_numpy())), set(map(tuple, b[unit].to_numpy()))
    out: list[dict[str, str]] = []
    for u in sorted(units_a ^ units_b):
        if u[0] in gone_systems or (len(u) > 1 and (u[0], u[1]) in gone_parts):
            continue
        side = "OLD" if u in units_a else "NEW"
        where = "/".join(x for x in u if x)
        out.append(_row("uncompared", spec, u[0], u[1] if len(u) > 1 else "", spec.kind, "", "", "", "",
                        f"{spec.noun} data of {where} only in {side}: not compared (capture missing?)"))
    if not units_a & units_b:  # nothing on both sides (also: merging empty Arrow-backed frames fails)
        return out
    both = pd.DataFrame(sorted(units_a & units_b), columns=unit)
    a, b = a.merge(both, on=unit), b.merge(both, on=unit)
    merged = a.merge(b, on=["system", "_partition", "_object"], how="outer", suffixes=("_a", "_b"), indicator=True)
    merged["_rel"] = merged["_related_a"].fillna(merged["_related_b"]).fillna("")
    if spec.kind in CHILD_KINDS and gone_parts and len(merged):
        own = pd.Series(list(zip(merged["system"], merged["_partition"], strict=True)), index=merged.index)
        rel = pd.Series(list(zip(merged["system"], merged["_rel"], strict=True)), index=merged.index)
        fold = own.isin(gone_parts) | rel.isin(gone_parts)
        for key in own[fold].where(own[fold].isin(gone_parts), rel[fold]):
            folded[key] = folded.get(key, 0) + 1
        merged = merged[~fold]
    for r in merged[merged["_merge"] != "both"].to_dict("records"):
        change = "added" if r["_merge"] == "right_only" else "removed"
        out.append(_row(change, spec, r["system"], r["_partition"], r["_object"], "", "", "", r["_rel"],
                        _sentence(spec, change, r["system"], r["_partition"], r["_object"], r)))
    same = merged[merged["_merge"] == "both"]
    for attr in spec.attrs:
        differ = same[same[f"{attr}_a"] != same[f"{attr}_b"]]
        for r in differ.to_dict("records"):
            out.append(_row("changed", spec, r["system"], r["_partition"], r["_object"], attr, r[f"{attr}_a"],
                            r[f"{attr}_b"], r["_rel"], _changed(spec, r["system"], r["_partition"], r["_object"],
                                                                 attr, r[f"{attr}_a"], r[f"{attr}_b"])))
    return out


def _row(change: str, spec: ObjectKind, system: str, partition: str, obj: str, attribute: str, before: str,
         after: str, related: str, detail: str) -> dict[str, str]:
    return {"change": change, "kind": spec.kind, "system": system, "partition": partition, "object": obj,
            "attribute": attribute, "before": before, "after": after, "related": related, "detail": detail}


def _sentence(spec: ObjectKind, change: str, system: str, partition: str, obj: str, r: dict) -> str:
    side = "b" if change == "added" else "a"
    if spec.kind == "system":
        return f"managed system {system} {change}"
    if spec.kind == "partition":
        procs = (f"{r.get(f'curr_procs_{side}') or '?'} dedicated cores" if r.get(f"curr_proc_mode_{side}") == "ded"
                 else f"{r.get(f'curr_proc_units_{side}') or '?'} proc units")
        mem = r.get(f"curr_mem_mb_{side}")
        gb = f"{int(mem) / 1024:g} GB" if isinstance(mem, str) and mem.isdigit() else "? GB"
        prep = "on" if change == "added" else "from"
        return f"partition {partition} ({r.get(f'lpar_env_{side}') or '?'}, {procs}, {gb}) {change} {prep} {system}"
    where = f"{system}/{partition}" if partition else system
    return f"{spec.noun} {obj} of {where} {change}"


_ATTR_WORDS = {"ha_mode": "mode (ha_mode)", "restored_save": "copy on the backup", "last_save": "newest save"}


def _changed(spec: ObjectKind, system: str, partition: str, obj: str, attr: str, before: str, after: str) -> str:
    where = f"{system}/{partition}" if partition else system
    was, now = before or "none", after or "none"
    if spec.kind == "storage_copy" and attr == "restored_save":
        verb = "refreshed" if after > before else "replaced by an older save" if after else "no longer restored"
        return f"copy of {obj} on {where} {verb}: restored save of {was} -> {now}"
    if spec.kind == "storage_copy":
        return f"{obj} saved again on {where}: newest save {was} -> {now}"
    if spec.kind == "partition" and attr in ("curr_proc_units", "curr_procs", "curr_mem_mb"):
        return f"partition {partition} on {system} resized: {attr} {was} -> {now}"
    if spec.kind == "partition":
        return f"partition {partition} on {system}: {attr} {was} -> {now}"
    if spec.kind == "system":
        return f"managed system {system}: {attr} {was} -> {now}"
    return f"{spec.noun} {obj} of {where}: {_ATTR_WORDS.get(attr, attr)} {was} -> {now}"
