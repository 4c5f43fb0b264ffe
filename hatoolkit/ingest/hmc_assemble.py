"""Assemble recognised HMC captures into Inventory frames, one estate at a time.

Several commands describe one object (a partition is `lssyscfg -r lpar` + `lshwres -r proc` +
`lshwres -r mem`): they are joined on `system` + `lpar_id`, never on names, and a row remembers
every record behind it in `source`. Systems named in `-m` as `type-model*serial` are resolved to
their names. What a system should have and does not is reported as a gap here, because only
the whole bundle knows what is missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
import pandas as pd

from hatoolkit.ingest import lslparutil
from hatoolkit.ingest.commands import split_system_spec
from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.hmc_cli import Pending
from hatoolkit.ingest.hmc_parse import parse_kind
from hatoolkit.ingest.hmc_specs import CAPTURE_COMMANDS, EXPECTED_KINDS, RECORD_NAMES, SPECS
from hatoolkit.ingest.ibmi_csv import Zone

OPERATING_STATES = frozenset({"operating", "standby"})
_CHILD_FRAMES = {
    "prof": ("profiles", ["system", "lpar_id", "profile"]),
    "procpool": ("proc_pools", ["system", "shared_proc_pool_id"]),
    "io_slot": ("io_slots", ["system", "drc_index"]),
    "hea_logical": ("hea_ports", ["system", "adapter_id", "port_group", "logical_port_id"]),
    "veth": ("virtual_eth", ["system", "lpar_id", "slot_num"]),
    "vscsi": ("virtual_scsi", ["system", "lpar_id", "slot_num"]),
    "vfc": ("virtual_fc", ["system", "lpar_id", "slot_num"]),
}


def assemble(items: list[Pending], gaps: GapLog, hmc_of: dict[str, str],
             records: dict[str, int] | None = None, zone: Zone | None = None) -> dict[str, pd.DataFrame]:
    """Frames from recognised HMC sections; `records` (file -> rows used) is filled in as a side result.

    `zone` places the HMC's local utilisation sample times (the plan's timezone; None: UTC, reported)."""
    records = records if records is not None else {}
    for item in items:
        for note in item.notes:
            gaps.add("recognition", note, file=item.file, command=item.command)
    parseable = [p for p in items if p.kind in SPECS]
    by_kind: dict[str, list[Pending]] = defaultdict(list)
    for p in parseable:
        by_kind[p.kind].append(p)  # type: ignore[index]

    def parsed(kind: str) -> pd.DataFrame:
        members = by_kind.get(kind, [])
        if not members:
            return pd.DataFrame({"system": pd.Series([], dtype="str"), "source": pd.Series([], dtype="str")})
        batch = parse_kind(kind, members)
        for k, problem in batch.problems:
            item = members[k]
            code = problem.code if problem.code != "message" else "hmc_message"
            gaps.add(code, problem.text, file=item.file, line=problem.line, system=item.system, command=item.command)
        for item, n in zip(members, batch.records, strict=True):
            records[item.file] = records.get(item.file, 0) + int(n)
        return batch.frame

    systems = parsed("sys")
    systems = systems[systems["system"].notna()].reset_index(drop=True) if "system" in systems else systems
    resolve = _resolver(systems)
    known = set(systems["system"]) if "system" in systems else set()
    for p in parseable:
        if p.kind != "sys":
            p.system = resolve(p.system)
            if p.system:
                known.add(p.system)
    _attribute_orphans(parseable, known, hmc_of, gaps)
    present: dict[str, set[str]] = defaultdict(set)
    for p in parseable:
        if p.system:
            present[p.system].add(p.kind)  # type: ignore[arg-type]
    for name in systems.get("system", pd.Series(dtype="str")):
        present[str(name)].add("sys")

    frames: dict[str, pd.DataFrame] = {}
    frames["systems"] = _merge_systems(systems, parsed, known, parseable, hmc_of, gaps)
    frames["partitions"] = _merge_partitions(parsed, gaps)
    profiles = parsed("prof")
    ids = _name_index(frames["partitions"], profiles)
    for kind, (name, key) in _CHILD_FRAMES.items():
        frame = profiles if kind == "prof" else parsed(kind)
        frames[name] = _keyed(_resolve_lpar_ids(frame, ids), key, RECORD_NAMES[kind], gaps)
    _missing_captures(frames["systems"], present, gaps)
    config = parsed("lparutil_config")
    if "system" in config.columns:
        config = config.assign(system=[resolve(s) if isinstance(s, str) else None for s in config["system"]])
    frames["utilization_config"] = lslparutil.config_frame(config, hmc_of, gaps)
    frames["utilization"] = lslparutil.usage_frame(parsed("lparutil"), frames["partitions"], zone, gaps)
    lslparutil.quality_gaps(frames["utilization"], frames["utilization_config"], frames["partitions"], gaps)
    return frames


def _attribute_orphans(items: list[Pending], known: set[str], hmc_of: dict[str, str], gaps: GapLog) -> None:
    """A capture that names no system: use the only system of its HMC folder, else report it."""
    per_folder: dict[str, set[str]] = defaultdict(set)
    for p in items:
        if p.system:
            per_folder[hmc_of.get(p.file, "")].add(p.system)
    for p in items:
        if p.kind in ("sys", "lparutil_config") or p.system:  # their records name their systems
            continue
        candidates = per_folder.get(hmc_of.get(p.file, ""), set()) or known
        if len(candidates) == 1:
            p.system = next(iter(candidates))
            gaps.add("recognition", f"managed system not named in the capture; assumed {p.system}, the only "
                     "system in its folder", file=p.file, system=p.system, command=p.command)
        else:
            gaps.add("unknown_system", f"cannot tell which managed system this {RECORD_NAMES[p.kind or '']} "  # type: ignore[index]
                     "capture is from (no -m in the command, no system in the file or folder name); not used",
                     file=p.file, command=p.command)


def _resolver(systems: pd.DataFrame) -> Callable[[str | None], str | None]:
    by_spec: dict[tuple[str, str], str] = {}
    if {"type_model", "serial_num"} <= set(systems.columns):
        known = systems.dropna(subset=["type_model", "serial_num"])
        for tm, serial, name in zip(known["type_model"], known["serial_num"], known["system"], strict=True):
            by_spec[(str(tm), str(serial))] = str(name)

    def resolve(value: str | None) -> str | None:
        if not value:
            return None
        spec = split_system_spec(value)
        if spec:
            return by_spec.get((f"{spec[0]}-{spec[1]}", spec[2]), value)
        return value

    return resolve


def _first_per_key(frame: pd.DataFrame, key: list[str], what: str, gaps: GapLog) -> pd.DataFrame:
    """Keep the first record per key; report conflicting duplicates (identical ones are dual-HMC noise)."""
    if frame.empty:
        return frame
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return frame
    data_cols = [c for c in frame.columns if c not in ("source", "_item")]
    for _, group in frame[dup].groupby(key, sort=False, dropna=False):
        distinct = group[data_cols].astype("str").drop_duplicates()
        if len(distinct) > 1:
            first, *rest = group["source"].tolist()
            file, _, line = rest[0].rpartition(":") if rest else (None, "", "")
            ident = dict(zip(key, group.iloc[0][key].tolist(), strict=True))
            gaps.add("duplicate_record", f"{what} {ident} captured again with different values; kept {first}",
                     file=file, line=int(line) if line.isdigit() else None,
                     system=str(group.iloc[0]["system"]) if "system" in key else None)
    return frame.drop_duplicates(key, keep="first").reset_index(drop=True)


def _keyed(frame: pd.DataFrame, key: list[str], what: str, gaps: GapLog) -> pd.DataFrame:
    """Rows with their full key (others reported), first per key."""
    frame = frame.drop(columns=["_item"], errors="ignore")
    if frame.empty or not set(key) <= set(frame.columns):
        if not frame.empty and "system" in frame.columns:
            for src, system in zip(frame["source"], frame["system"], strict=True):
                file, _, line = str(src).rpartition(":")
                gaps.add("unparseable", f"{what} record without {' / '.join(key)}; not used", file=file,
                         line=int(line) if line.isdigit() else None, system=system if isinstance(system, str) else None)
        return frame.iloc[0:0] if not frame.empty else frame
    missing = frame[key].isna().any(axis=1)
    for src, system in zip(frame.loc[missing & frame["system"].notna(), "source"],
                           frame.loc[missing & frame["system"].notna(), "system"], strict=True):
        file, _, line = str(src).rpartition(":")
        gaps.add("unparseable", f"{what} record without {' / '.join(key)}; not used", file=file,
                 line=int(line) if line.isdigit() else None, system=system)
    return _first_per_key(frame[~missing].reset_index(drop=True), key, what, gaps)


def _merge_systems(systems: pd.DataFrame, parsed: Callable[[str], pd.DataFrame], known: set[str],
                   items: list[Pending], hmc_of: dict[str, str], gaps: GapLog) -> pd.DataFrame:
    base = _first_per_key(systems.drop(columns=["_item"], errors="ignore"), ["system"], "managed system", gaps) \
        if not systems.empty else pd.DataFrame({"system": pd.Series([], dtype="str")})
    names = sorted(known | set(base["system"]))
    frame = pd.DataFrame({"system": pd.Series(names, dtype="str")})
    frame = frame.merge(base.rename(columns={"source": "source_sys"}), on="system", how="left")
    for kind in ("proc_sys", "mem_sys"):
        rows = parsed(kind)
        if rows.empty:
            continue
        rows = rows[rows["system"].notna()]
        extra = rows.groupby("system", sort=False).size()
        for name in extra[extra > 1].index:
            gaps.add("unparseable", f"{CAPTURE_COMMANDS[kind]} holds {int(extra[name])} records for {name}; "
                     "expected one, used the first", system=str(name))
        rows = _first_per_key(rows.drop(columns=["_item"]), ["system"], RECORD_NAMES[kind], gaps)
        frame = frame.merge(rows.rename(columns={"source": f"source_{kind}"}), on="system", how="left")
    folder: dict[str, str] = {}
    for p in items:
        if p.system and hmc_of.get(p.file):
            folder.setdefault(p.system, hmc_of[p.file])
    for p in items:  # sys captures name their systems in rows, not in the item
        if p.kind == "sys" and hmc_of.get(p.file):
            for name in names:
                folder.setdefault(name, hmc_of[p.file])
            break
    frame["hmc"] = frame["system"].map(folder).astype("str")
    return _join_sources(frame)


def _join_sources(frame: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in frame.columns if c == "source" or c.startswith("source_")]
    if not cols or frame.empty:
        frame = frame.drop(columns=cols)
        frame["source"] = pd.Series([pd.NA] * len(frame), dtype="str")
        return frame
    joined = frame[cols[0]].astype("str").fillna("")
    for col in cols[1:]:
        other = frame[col].astype("str").fillna("")
        joined = joined + np.where((joined != "") & (other != ""), ";", "") + other
    frame = frame.drop(columns=cols)
    frame["source"] = joined.where(joined != "")
    return frame


def _merge_partitions(parsed: Callable[[str], pd.DataFrame], gaps: GapLog) -> pd.DataFrame:
    key = ["system", "lpar_id"]
    frame = _keyed(parsed("lpar"), key, RECORD_NAMES["lpar"], gaps)
    frame = frame.rename(columns={"source": "source_lpar"})
    for kind in ("proc_lpar", "mem_lpar"):
        part = _keyed(parsed(kind), key, RECORD_NAMES[kind], gaps)
        if part.empty:
            continue
        part = part.rename(columns={"name": f"name_{kind}", "source": f"source_{kind}"})
        frame = part if "lpar_id" not in frame.columns else frame.merge(part, on=key, how="outer")
    for kind in ("proc_lpar", "mem_lpar"):
        col = f"name_{kind}"
        if col in frame.columns:
            frame["name"] = frame["name"].combine_first(frame[col]) if "name" in frame.columns else frame[col]
            frame = frame.drop(columns=[col])
    if frame.empty:
        return frame
    return _join_sources(frame.sort_values(key, kind="mergesort").reset_index(drop=True))


def _name_index(partitions: pd.DataFrame, profiles: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(system, partition name) -> lpar_id, for captures that name partitions but omit their IDs."""
    ids: dict[tuple[str, str], int] = {}
    for frame, name_col in ((profiles, "lpar_name"), (partitions, "name")):
        if frame.empty or not {"system", name_col, "lpar_id"} <= set(frame.columns):
            continue
        known = frame.dropna(subset=["system", name_col, "lpar_id"])
        ids.update({(str(s), str(n)): int(i)
                    for s, n, i in zip(known["system"], known[name_col], known["lpar_id"], strict=True)})
    return ids


def _resolve_lpar_ids(frame: pd.DataFrame, ids: dict[tuple[str, str], int]) -> pd.DataFrame:
    """Fill a missing `lpar_id` from `lpar_name` (e.g. `-F lpar_name,slot_num` output): names are unique per system."""
    if frame.empty or "lpar_name" not in frame.columns or not ids:
        return frame
    current = frame["lpar_id"] if "lpar_id" in frame.columns else pd.Series([pd.NA] * len(frame), dtype="Int64")
    if not current.isna().any():
        return frame
    looked_up = [ids.get((s, n)) if isinstance(s, str) and isinstance(n, str) else None
                 for s, n in zip(frame["system"], frame["lpar_name"], strict=True)]
    return frame.assign(lpar_id=current.fillna(pd.Series(looked_up, index=frame.index, dtype="Int64")))


def _missing_captures(systems: pd.DataFrame, present: dict[str, set[str]], gaps: GapLog) -> None:
    for name, state, source in zip(systems["system"], systems.get("state", pd.Series([None] * len(systems))),
                                   systems["source"], strict=True):
        state_text = str(state).strip().lower() if isinstance(state, str) else None
        if state_text is not None and state_text not in OPERATING_STATES:
            file = str(source).split(";")[0].rpartition(":")[0] if isinstance(source, str) else None
            gaps.add("system_not_operating", f"managed system {name} is in state '{state}': its capabilities and "
                     "resources cannot be read, so every check that needs them is unknown", system=name,
                     file=file or None)
            continue
        for kind in EXPECTED_KINDS:
            if kind not in present.get(name, set()):
                command = CAPTURE_COMMANDS[kind].replace("SYS", name)
                gaps.add("missing_capture", f"no '{command}' capture for {name}", system=name, command=command)
