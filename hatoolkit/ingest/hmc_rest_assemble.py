"""Assemble REST objects of a whole bundle into Inventory frames, resolving references by UUID.

Only the whole bundle knows that partition `3380A831...` belongs to managed system
`b597e4da...`, that this system is named `Server-9009-42A-SN21F64EV`, or that pool 1 holds the
partitions linked in its `AssignedPartitions`: the readers collect objects, this module resolves
them. Values are typed by the same converters as the CLI reader (`ingest.values`), so a bad value
is a gap naming file and line in both. A reference to an object that is not in the bundle (a
partition whose ManagedSystem feed was not exported) is a gap, never a guessed name.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from hatoolkit.ingest import hmc_rest as spec
from hatoolkit.ingest import hmc_rest_adapters as adapters
from hatoolkit.ingest import hmc_rest_vios as vios
from hatoolkit.ingest import values as conv
from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.rest_xml import FEED, RestObject
from hatoolkit.ingest.vios_assemble import KEYS as VIOS_KEYS
from hatoolkit.model import frames as fr
from hatoolkit.model.inventory import FRAME_MODELS

PARTITION_KINDS = ("LogicalPartition", "VirtualIOServer")
ADAPTER_KINDS = ("ClientNetworkAdapter", "VirtualSCSIClientAdapter", "VirtualSCSIServerAdapter",
                 "VirtualFibreChannelClientAdapter", "VirtualFibreChannelServerAdapter")
READ_KINDS = frozenset({FEED, "ManagedSystem", *PARTITION_KINDS, "SharedProcessorPool", "VirtualSwitch", "NetworkBridge",
                        *ADAPTER_KINDS})
FEED_URI = "/rest/api/uom/ManagedSystem/{uuid}/"


def _where(source: str) -> tuple[str | None, int | None]:
    file, _, line = source.rpartition(":")
    return (file or None), (int(line) if line.isdigit() else None)


def typed(rows: list[dict[str, object]], kinds: dict[str, str], gaps: GapLog, what: str) -> pd.DataFrame:
    """Rows of raw strings -> typed columns (bad values become gaps); other columns pass through."""
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    for column, kind in kinds.items():
        raw = frame[column] if column in frame.columns else pd.Series([None] * len(frame), dtype=object)
        parsed = conv.CONVERTERS[kind](raw.astype(object).where(raw.notna(), None).astype("str"))
        frame[column] = parsed.values.reset_index(drop=True)
        for i in np.flatnonzero(parsed.bad):
            file, line = _where(str(frame.at[i, "source"]))
            gaps.add("bad_value", f"{what} {column}={raw.iat[i]!r} is not a valid {kind}", file=file, line=line,
                     system=str(frame.at[i, "system"]) if "system" in frame.columns else None)
    return frame


class Resolver:
    """UUID -> managed system name, and partition UUID -> (system, lpar_id, name)."""

    def __init__(self, objects: list[RestObject], hmc_of: dict[str, str]) -> None:
        self.systems: dict[str, str] = {}
        self.hmc: dict[str, str | None] = {}
        for obj in objects:
            if obj.kind == "ManagedSystem" and obj.uuid and obj.text("SystemName"):
                self.systems[obj.uuid.lower()] = obj.text("SystemName") or ""
                self.hmc[obj.text("SystemName") or ""] = hmc_of.get(obj.file) or _host(obj.self_href)
        self.partitions: dict[str, tuple[str, int, str | None]] = {}
        for obj in objects:
            if obj.kind in PARTITION_KINDS and obj.uuid:
                system = self.system_of(obj)
                pid = obj.text("PartitionID")
                if system and pid and pid.isdigit():
                    self.partitions[obj.uuid.lower()] = (system, int(pid), obj.text("PartitionName"))

    def ms_uuid(self, obj: RestObject) -> str | None:
        return spec.link_uuid(obj, "AssociatedManagedSystem", "ManagedSystem") or obj.parent_uuid("ManagedSystem")

    def system_of(self, obj: RestObject) -> str | None:
        uuid = self.ms_uuid(obj)
        return self.systems.get(uuid.lower()) if uuid else None

    def owner(self, obj: RestObject) -> tuple[str, int, str | None] | None:
        """The partition owning an adapter feed entry (from its SELF link)."""
        for kind in PARTITION_KINDS:
            uuid = obj.parent_uuid(kind)
            if uuid and uuid.lower() in self.partitions:
                return self.partitions[uuid.lower()]
        return None


def _host(href: str | None) -> str | None:
    return urlparse((href or "").split(" ")[0]).hostname if href else None


def assemble(objects: list[RestObject], gaps: GapLog, hmc_of: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Inventory frames (HMC and VIOS side) from every REST object of a bundle."""
    res = Resolver(objects, hmc_of)
    by_kind: dict[str, list[RestObject]] = defaultdict(list)
    for obj in objects:
        by_kind[obj.kind].append(obj)
    frames: dict[str, pd.DataFrame] = {}
    frames["systems"] = _systems(by_kind["ManagedSystem"], res, gaps)
    frames["partitions"], frames["profiles"] = _partitions(by_kind, res, gaps)
    frames["proc_pools"] = _pools(by_kind["SharedProcessorPool"], res, gaps)
    frames["profiles"] = _pool_names(frames["profiles"], frames["proc_pools"])
    frames["io_slots"] = _io_slots(by_kind["ManagedSystem"], res, gaps)
    switches = _switches(objects, res)
    frames.update(_adapters(objects, res, gaps, switches))
    frames.update(_vios(by_kind, res, gaps, switches))
    _report_gaps(frames, by_kind, res, gaps)
    return {k: v for k, v in frames.items() if not v.empty}


def _systems(objs: list[RestObject], res: Resolver, gaps: GapLog) -> pd.DataFrame:
    rows = []
    for obj in objs:
        row = spec.system_row(obj)
        if not row.get("system"):
            gaps.add("unparseable", "ManagedSystem without SystemName; not used", file=obj.file, line=obj.line)
            continue
        row["hmc"], row["source"] = res.hmc.get(row["system"] or ""), f"{obj.file}:{obj.line}"
        rows.append(row)
    frame = typed(rows, spec.SYSTEM_KINDS, gaps, "ManagedSystem")
    if not frame.empty:
        frame["hmc"] = frame["hmc"].astype("str")
    return frame


def _partitions(by_kind: dict[str, list[RestObject]], res: Resolver, gaps: GapLog) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts, profiles, unsynced = [], [], defaultdict(list)
    for kind in PARTITION_KINDS:
        for obj in by_kind[kind]:
            system = res.system_of(obj)
            if system is None:
                uuid = res.ms_uuid(obj)
                gaps.add("unknown_system", f"{kind} {obj.text('PartitionName')!r} belongs to managed system {uuid}, "
                         "whose ManagedSystem entry is not in the bundle; not used", file=obj.file, line=obj.line)
                continue
            src = {"system": system, "source": f"{obj.file}:{obj.line}"}
            parts.append(spec.partition_row(obj) | src)
            profile = spec.profile_row(obj)
            if profile is None:
                unsynced[system].append(obj.text("PartitionName") or "?")
            else:
                profiles.append(profile | src)
    for system, names in unsynced.items():
        gaps.add("source_gap", f"REST has no profile for {len(names)} partition(s) of {system} "
                 f"({', '.join(names[:5])}{'...' if len(names) > 5 else ''}): their configuration is not kept in sync "
                 "with a named profile (CurrentProfileSync is not On); capture `lssyscfg -r prof` for cold-restart "
                 "sizing", system=system)
    part_frame = typed(parts, spec.PARTITION_KINDS, gaps, "partition")
    prof_frame = typed(profiles, spec.PROFILE_KINDS, gaps, "partition profile")
    return _dedupe(part_frame, ["system", "lpar_id"]), _dedupe(prof_frame, ["system", "lpar_id", "profile"])


def _dedupe(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    if frame.empty:
        return frame
    frame = frame[frame[key].notna().all(axis=1)]
    return frame.drop_duplicates(key, keep="first").sort_values(key, kind="mergesort").reset_index(drop=True)


def _pools(objs: list[RestObject], res: Resolver, gaps: GapLog) -> pd.DataFrame:
    rows = []
    for obj in objs:
        system = res.system_of(obj)
        if system is None:
            gaps.add("unknown_system", f"SharedProcessorPool of managed system {res.ms_uuid(obj)}, whose ManagedSystem "
                     "entry is not in the bundle; not used", file=obj.file, line=obj.line)
            continue
        members = [res.partitions.get(u.lower()) for u in spec.linked_uuids(obj, "AssignedPartitions")]
        known = [m for m in members if m is not None]
        row = spec.pool_row(obj) | {"system": system, "source": f"{obj.file}:{obj.line}"}
        row["lpar_ids"] = ",".join(str(m[1]) for m in known) or "none"
        row["lpar_names"] = ",".join(str(m[2]) for m in known) or "none"
        if len(known) < len(members):
            gaps.add("orphan_record", f"pool {row.get('name')} links {len(members) - len(known)} partition(s) not in "
                     "the bundle; lpar_ids lists only the known ones", file=obj.file, line=obj.line, system=system)
        rows.append(row)
    kinds = spec.POOL_KINDS | {"lpar_ids": "int_list", "lpar_names": "str_list"}
    return _dedupe(typed(rows, kinds, gaps, "shared processor pool"), ["system", "shared_proc_pool_id"])


def _pool_names(profiles: pd.DataFrame, pools: pd.DataFrame) -> pd.DataFrame:
    """Profiles name their pool only by ID in REST; the CLI also gives its name."""
    if profiles.empty or pools.empty or "shared_proc_pool_id" not in profiles.columns:
        return profiles
    names = {(s, int(i)): n for s, i, n in zip(pools["system"], pools["shared_proc_pool_id"], pools["name"],
                                                strict=True)}
    profiles["shared_proc_pool_name"] = _lookup(profiles, "shared_proc_pool_id", names)
    return profiles


def _io_slots(objs: list[RestObject], res: Resolver, gaps: GapLog) -> pd.DataFrame:
    rows = []
    for obj in objs:
        system = obj.text("SystemName")
        rows += [r | {"system": system, "source": f"{obj.file}:{obj.line}"} for r in spec.io_slot_rows(obj)]
    return _dedupe(typed(rows, spec.IO_SLOT_KINDS, gaps, "I/O slot"), ["system", "drc_index"])


def _switches(objects: list[RestObject], res: Resolver) -> dict[str, dict[str, str]]:
    """Virtual switch names by system and switch ID (adapters name their switch by ID only)."""
    switches: dict[str, dict[str, str]] = defaultdict(dict)
    for obj in objects:
        if obj.kind == "VirtualSwitch":
            system, sid = res.system_of(obj), obj.text("SwitchID")
            if system and sid is not None:
                switches[system][sid] = obj.text("SwitchName") or ""
    return switches


def _adapters(objects: list[RestObject], res: Resolver, gaps: GapLog,
              switches: dict[str, dict[str, str]]) -> dict[str, pd.DataFrame]:
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    for obj in objects:
        if obj.kind == "VirtualIOServer":
            system = res.system_of(obj)
        elif obj.kind in ADAPTER_KINDS:
            owner = res.owner(obj)
            system = owner[0] if owner else None
            if owner is None:
                gaps.add("unknown_system", f"{obj.kind} of a partition that is not in the bundle; not used",
                         file=obj.file, line=obj.line)
                continue
        else:
            continue
        if system is None:
            continue
        owner_id = str(owner[1]) if obj.kind in ADAPTER_KINDS and owner else None
        for kind, found in adapters.adapters_of(obj).items():
            for row in found:
                row["lpar_id"] = row.get("lpar_id") or owner_id
                rows[kind].append(row | {"system": system})
    names = {(s, i): n for s, i, n in res.partitions.values()}
    out = {}
    for kind, frame_name, kinds in (("veth", "virtual_eth", adapters.VETH_KINDS),
                                    ("vscsi", "virtual_scsi", adapters.VSCSI_KINDS),
                                    ("vfc", "virtual_fc", adapters.VFC_KINDS)):
        frame = _dedupe(typed(rows[kind], kinds, gaps, f"virtual {kind} adapter"), ["system", "lpar_id", "slot_num"])
        if frame.empty:
            out[frame_name] = frame
            continue
        frame["lpar_name"] = _lookup(frame, "lpar_id", names)
        if kind == "veth":
            frame["vswitch"] = pd.Series([switches.get(s, {}).get(str(v)) if isinstance(v, str) else None
                                          for s, v in zip(frame["system"], frame["_vswitch_id"], strict=True)],
                                         dtype="str")
        else:
            frame["remote_lpar_name"] = _lookup(frame, "remote_lpar_id", names)
        out[frame_name] = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
    return out


def _lookup(frame: pd.DataFrame, column: str, names: dict[tuple[str, int], str | None]) -> pd.Series:
    return pd.Series([names.get((s, int(i))) if pd.notna(i) else None
                      for s, i in zip(frame["system"], frame[column], strict=True)], dtype="str")


def _vios(by_kind: dict[str, list[RestObject]], res: Resolver, gaps: GapLog,
          switches: dict[str, dict[str, str]]) -> dict[str, pd.DataFrame]:
    """VIOS frames from VirtualIOServer entries, then from NetworkBridge SEAs (placed on their VIOS by UUID)."""
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    found: list[tuple[RestObject, vios.ViosFacts]] = []
    for obj in by_kind["VirtualIOServer"]:
        system = res.system_of(obj)
        if system is not None:  # a VIOS of an unknown system is already reported by _partitions
            found.append((obj, vios.vios_rows(obj, system, switches.get(system))))
    for obj in by_kind["NetworkBridge"]:
        found.append((obj, vios.bridge_rows(obj, res.partitions, switches)))
    for obj, facts in found:
        for name, items in facts.rows.items():
            rows[name] += items
        for code, message in facts.problems:
            gaps.add(code, message, file=obj.file, line=obj.line, system=res.system_of(obj))
    return {name: _vios_frame(name, rows[name], gaps) for name in vios.FRAMES}


def _vios_frame(name: str, rows: list[dict[str, object]], gaps: GapLog) -> pd.DataFrame:
    """Rows (Python values) -> the schema's exact dtypes; the same object seen twice is one row (first wins).

    A NetworkBridge repeats the SEAs of its VIOS entries, and a vhost with virtual target devices may
    also be listed by an empty mapping: both are the same object again. The same object listed with
    different values (a VTD name on two backing devices) is a conflict: a `duplicate_record` gap.
    """
    frame = fr.from_rows(FRAME_MODELS[name], rows)
    if frame.empty:
        return frame
    if name == "vios_mappings":
        has_vtd = frame[frame["vtd"].notna()][["system", "vios_lpar_id", "adapter"]].drop_duplicates()
        bare = frame["vtd"].isna() & frame[["system", "vios_lpar_id", "adapter"]].merge(
            has_vtd.assign(_hit=True), how="left")["_hit"].notna().to_numpy()
        frame = frame[~bare]
    key = VIOS_KEYS[name]
    dups = frame[frame.duplicated(key, keep=False)]
    if not dups.empty:
        text = dups.drop(columns="source").astype("str").fillna("")
        for _, grp in text.groupby(key, sort=False, dropna=False):
            if len(grp.drop_duplicates()) > 1:
                first, *others = dups.loc[grp.index, "source"].tolist()
                file, line = _where(str(first))
                what = "/".join(str(v) for v in grp[key[2:]].iloc[0].tolist() if v)
                gaps.add("duplicate_record", f"VIOS {grp['vios_name'].iloc[0]} of {grp['system'].iloc[0]}: {name} row "
                         f"{what} is listed {len(grp)} times with different values "
                         f"(also at {', '.join(dict.fromkeys(others))}); the first was kept", file=file, line=line,
                         system=str(grp["system"].iloc[0]))
    return frame.drop_duplicates(key, keep="first").reset_index(drop=True)


def _report_gaps(frames: dict[str, pd.DataFrame], by_kind: dict[str, list[RestObject]], res: Resolver,
                 gaps: GapLog) -> None:
    """What the REST export lacks: feeds not exported (per system) and fields REST cannot carry."""
    systems = sorted(set(res.systems.values()))
    parts = frames["partitions"]
    for system in systems:
        uuid = next(u for u, s in res.systems.items() if s == system)
        mine = parts[parts["system"] == system] if not parts.empty else parts
        have = {k for k, objs in by_kind.items() for o in objs if k != "ManagedSystem" and res.system_of(o) == system}
        have |= {o.feed_kind for o in by_kind[FEED] if res.system_of(o) == system}
        owners = {res.owner(o)[:2] for k in ADAPTER_KINDS for o in by_kind[k] if res.owner(o)}
        for kind in ("LogicalPartition", "VirtualIOServer", "SharedProcessorPool", "VirtualSwitch"):
            if kind not in have:
                gaps.add("missing_capture", f"no {kind} feed for {system} in the REST export", system=system,
                         command=FEED_URI.format(uuid=uuid) + kind)
        clients = mine[mine["lpar_env"] != "vioserver"] if not mine.empty else mine
        lacking = [n for n, i in zip(clients.get("name", []), clients.get("lpar_id", []), strict=False)
                   if (system, int(i)) not in owners]
        if lacking:
            gaps.add("missing_capture", f"no adapter feeds (ClientNetworkAdapter, VirtualSCSIClientAdapter, "
                     f"VirtualFibreChannelClientAdapter) for {len(lacking)} partition(s) of {system} "
                     f"({', '.join(map(str, lacking[:5]))}{'...' if len(lacking) > 5 else ''}): their virtual "
                     "Ethernet adapters are unknown", system=system,
                     command="/rest/api/uom/LogicalPartition/{uuid}/ClientNetworkAdapter")
    for frame_name, columns in spec.SOURCE_GAPS.items():
        if frame_name in frames and "*" not in columns and not frames[frame_name].empty:
            listed = "; ".join(f"{c} ({why})" for c, why in columns.items())
            rows = f"; and rows: {spec.ROW_GAPS[frame_name]}" if frame_name in spec.ROW_GAPS else ""
            gaps.add("source_gap", f"REST cannot fill {frame_name}: {listed}{rows}")
    if not frames["partitions"].empty:
        gaps.add("source_gap", "REST cannot fill hea_ports: " + spec.SOURCE_GAPS["hea_ports"]["*"])
    if by_kind["VirtualIOServer"]:
        for frame_name in ("etherchannels", "disk_paths"):
            gaps.add("source_gap", f"REST cannot fill {frame_name}: " + spec.SOURCE_GAPS[frame_name]["*"])
    unread = sorted(k for k in by_kind if k not in READ_KINDS)
    for kind in unread:
        first = by_kind[kind][0]
        gaps.add("unknown_command", f"REST {kind} objects are not read by hatoolkit ({len(by_kind[kind])} found)",
                 file=first.file, line=first.line)
