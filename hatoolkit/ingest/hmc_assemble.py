"""Assemble recognised HMC captures into Inventory frames, one estate at a time.

Several commands describe one object (a partition is `lssyscfg -r lpar` + `lshwres -r proc` +
`lshwres -r mem`): they are joined on `system` + `lpar_id`, never on names, and a row remembers
every record behind it in `source`. Systems named in `-m` as `type-model*serial` are resolved to
their names. What a system should have and does not is reported as a gap here, because only
the whole bundle knows what is missing.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from hatoolkit.ingest.commands import split_system_spec
from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.hmc_cli import Capture
from hatoolkit.ingest.hmc_specs import CAPTURE_COMMANDS, EXPECTED_KINDS, RECORD_NAMES

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


def assemble(captures: list[Capture], gaps: GapLog, hmc_of: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Frames from HMC captures; `hmc_of` maps a capture file to the HMC folder it came from."""
    by_kind: dict[str, list[Capture]] = defaultdict(list)
    for cap in captures:
        if cap.kind and cap.kind != "-":
            by_kind[cap.kind].append(cap)

    systems = _system_rows(by_kind.get("sys", []), hmc_of)
    resolve = _resolver(systems)
    known = set(systems["system"]) if not systems.empty else set()
    for cap in captures:
        if cap.kind and cap.kind not in ("-", "sys"):
            cap.system = resolve(cap.system)
            if cap.system:
                known.add(cap.system)

    per_folder: dict[str, set[str]] = defaultdict(set)
    for cap in captures:
        if cap.system:
            per_folder[hmc_of.get(cap.file, "")].add(cap.system)
    for cap in captures:
        if cap.kind and cap.kind not in ("-", "sys") and not cap.system:
            candidates = per_folder.get(hmc_of.get(cap.file, ""), set()) or known
            if len(candidates) == 1:
                cap.system = next(iter(candidates))
                gaps.add("recognition", f"managed system not named in the capture; assumed {cap.system}, "
                         "the only system in its folder", file=cap.file, system=cap.system, command=cap.command)
            else:
                gaps.add("unknown_system", f"cannot tell which managed system this {cap.kind} capture is from "
                         "(no -m in the command, no system in the file or folder name); not used",
                         file=cap.file, command=cap.command)

    present: dict[str, set[str]] = defaultdict(set)
    for kind, caps in by_kind.items():
        for cap in caps:
            if kind == "sys":
                for name in cap.frame.get("system", pd.Series(dtype="str")).dropna():
                    present[str(name)].add("sys")
            if cap.system:
                present[cap.system].add(kind)

    frames: dict[str, pd.DataFrame] = {}
    frames["systems"] = _merge_systems(systems, by_kind, known, hmc_of, gaps)
    frames["partitions"] = _merge_partitions(by_kind, gaps)
    ids = _name_index(frames["partitions"], by_kind.get("prof", []))
    for kind, (name, key) in _CHILD_FRAMES.items():
        caps = by_kind.get(kind, [])
        for cap in caps:
            cap.frame = _resolve_lpar_ids(cap, ids)
        frames[name] = _keyed(caps, key, RECORD_NAMES[kind], gaps).reset_index(drop=True)
    _missing_captures(frames["systems"], present, gaps)
    return frames


def _system_rows(caps: list[Capture], hmc_of: dict[str, str]) -> pd.DataFrame:
    parts = []
    for cap in caps:
        if cap.frame.empty:
            continue
        frame = cap.frame
        if "system" not in frame.columns:
            if not cap.system:
                continue
            frame = frame.assign(system=cap.system)
        elif cap.system:
            frame = frame.assign(system=frame["system"].fillna(cap.system))
        parts.append(frame.assign(hmc=hmc_of.get(cap.file) or pd.NA))
    if not parts:
        return pd.DataFrame({"system": pd.Series([], dtype="str")})
    frame = pd.concat(parts, ignore_index=True)
    return frame[frame["system"].notna()].reset_index(drop=True)


def _resolver(systems: pd.DataFrame):
    by_spec: dict[tuple[str, str], str] = {}
    if {"type_model", "serial_num"} <= set(systems.columns):
        for _, row in systems.dropna(subset=["type_model", "serial_num"]).iterrows():
            by_spec[(str(row["type_model"]), str(row["serial_num"]))] = str(row["system"])

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
    data_cols = [c for c in frame.columns if c != "source"]
    for _, group in frame[dup].groupby(key, sort=False, dropna=False):
        distinct = group[data_cols].astype("str").drop_duplicates()
        if len(distinct) > 1:
            first, *rest = group["source"].tolist()
            where = rest[0].rsplit(":", 1) if rest else [None, None]
            gaps.add("duplicate_record", f"{what} {dict(zip(key, group.iloc[0][key].tolist(), strict=True))} "
                     f"captured again with different values; kept {first}",
                     file=where[0], line=int(where[1]) if where[1] and where[1].isdigit() else None,
                     system=str(group.iloc[0]["system"]) if "system" in key else None)
    return frame.drop_duplicates(key, keep="first").reset_index(drop=True)


def _single_rows(caps: list[Capture], what: str, gaps: GapLog) -> pd.DataFrame:
    """lshwres --level sys captures hold one record each: keyed by the capture's system."""
    parts = []
    for cap in caps:
        if cap.frame.empty or not cap.system:
            continue
        if len(cap.frame) > 1:
            gaps.add("unparseable", f"{what} capture holds {len(cap.frame)} records; expected one, used the first",
                     file=cap.file, system=cap.system, command=cap.command)
        parts.append(cap.frame.iloc[:1].assign(system=cap.system))
    if not parts:
        return pd.DataFrame({"system": pd.Series([], dtype="str"), "source": pd.Series([], dtype="str")})
    return _first_per_key(pd.concat(parts, ignore_index=True), ["system"], what, gaps)


def _merge_systems(systems: pd.DataFrame, by_kind: dict[str, list[Capture]], known: set[str],
                   hmc_of: dict[str, str], gaps: GapLog) -> pd.DataFrame:
    base = _first_per_key(systems, ["system"], "system", gaps) if not systems.empty else systems
    names = sorted(known | set(base["system"]) if not base.empty else known)
    frame = pd.DataFrame({"system": pd.Series(names, dtype="str")})
    if not base.empty:
        frame = frame.merge(base, on="system", how="left")
    for kind in ("proc_sys", "mem_sys"):
        rows = _single_rows(by_kind.get(kind, []), CAPTURE_COMMANDS[kind], gaps)
        if not rows.empty:
            frame = frame.merge(rows.rename(columns={"source": f"source_{kind}"}), on="system", how="left")
    if "hmc" not in frame.columns:
        frame["hmc"] = pd.Series([pd.NA] * len(frame), dtype="str")
    missing_hmc = frame["hmc"].isna()
    if missing_hmc.any():
        folder = {}
        for caps in by_kind.values():
            for cap in caps:
                if cap.system and hmc_of.get(cap.file):
                    folder.setdefault(cap.system, hmc_of[cap.file])
        frame.loc[missing_hmc, "hmc"] = frame.loc[missing_hmc, "system"].map(folder)
    frame["hmc"] = frame["hmc"].astype("str")
    return _join_sources(frame)


def _join_sources(frame: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in frame.columns if c == "source" or c.startswith("source_")]
    if not cols:
        frame["source"] = pd.Series([pd.NA] * len(frame), dtype="str")
        return frame
    joined = frame[cols].apply(lambda r: ";".join(str(v) for v in r if isinstance(v, str) and v), axis=1) \
        if len(frame) else pd.Series([], dtype="str")
    frame = frame.drop(columns=cols)
    frame["source"] = joined.astype("str").where(joined.astype("str").str.len() > 0)
    return frame


def _keyed(caps: list[Capture], key: list[str], what: str, gaps: GapLog) -> pd.DataFrame:
    parts = []
    for cap in caps:
        if cap.frame.empty or not cap.system:
            continue
        frame = cap.frame.assign(system=cap.system)
        missing = frame[[k for k in key if k in frame.columns]].isna().any(axis=1) if set(key) <= set(frame.columns) \
            else pd.Series(True, index=frame.index)
        for src in frame.loc[missing, "source"]:
            f, _, ln = str(src).rpartition(":")
            gaps.add("unparseable", f"{what} record without {' / '.join(key)}; not used",
                     file=f, line=int(ln) if ln.isdigit() else None, system=cap.system, command=cap.command)
        parts.append(frame[~missing])
    if not parts:
        return pd.DataFrame({k: pd.Series([], dtype="Int64" if k == "lpar_id" else "str") for k in key})
    return _first_per_key(pd.concat(parts, ignore_index=True), key, what, gaps)


def _merge_partitions(by_kind: dict[str, list[Capture]], gaps: GapLog) -> pd.DataFrame:
    key = ["system", "lpar_id"]
    lpar = _keyed(by_kind.get("lpar", []), key, "partition", gaps)
    frame = lpar.rename(columns={"source": "source_lpar"}) if "source" in lpar.columns else lpar
    for kind in ("proc_lpar", "mem_lpar"):
        part = _keyed(by_kind.get(kind, []), key, RECORD_NAMES[kind], gaps)
        if part.empty:
            continue
        part = part.rename(columns={"name": f"name_{kind}", "source": f"source_{kind}"})
        frame = part if frame.empty and "system" not in frame.columns else frame.merge(part, on=key, how="outer")
    for kind in ("proc_lpar", "mem_lpar"):
        col = f"name_{kind}"
        if col in frame.columns:
            frame["name"] = frame["name"].combine_first(frame[col]) if "name" in frame.columns else frame[col]
            frame = frame.drop(columns=[col])
    if frame.empty:
        return frame
    return _join_sources(frame.sort_values(key, kind="mergesort").reset_index(drop=True))


def _name_index(partitions: pd.DataFrame, profiles: list[Capture]) -> dict[tuple[str, str], int]:
    """(system, partition name) -> lpar_id, for captures that name partitions but omit their IDs."""
    ids: dict[tuple[str, str], int] = {}
    for cap in profiles:
        if cap.system and {"lpar_name", "lpar_id"} <= set(cap.frame.columns):
            for n, i in zip(cap.frame["lpar_name"], cap.frame["lpar_id"], strict=True):
                if isinstance(n, str) and pd.notna(i):
                    ids[(cap.system, n)] = int(i)
    if not partitions.empty and "name" in partitions.columns:
        known = partitions.dropna(subset=["name", "lpar_id"])
        ids.update({(str(s), str(n)): int(i)
                    for s, n, i in zip(known["system"], known["name"], known["lpar_id"], strict=True)})
    return ids


def _resolve_lpar_ids(cap: Capture, ids: dict[tuple[str, str], int]) -> pd.DataFrame:
    """Fill a missing `lpar_id` from `lpar_name` (e.g. `-F lpar_name,slot_num` output): names are unique per system."""
    frame = cap.frame
    if frame.empty or "lpar_name" not in frame.columns or not cap.system or not ids:
        return frame
    current = frame["lpar_id"] if "lpar_id" in frame.columns else pd.Series([pd.NA] * len(frame), dtype="Int64")
    if not current.isna().any():
        return frame
    looked_up = frame["lpar_name"].map(lambda n: ids.get((cap.system, n)) if isinstance(n, str) else None)
    return frame.assign(lpar_id=current.fillna(pd.Series(looked_up.tolist(), index=frame.index, dtype="Int64")))


def _missing_captures(systems: pd.DataFrame, present: dict[str, set[str]], gaps: GapLog) -> None:
    for _, row in systems.iterrows():
        name = str(row["system"])
        state = row.get("state")
        state_text = str(state).strip().lower() if isinstance(state, str) else None
        if state_text is not None and state_text not in OPERATING_STATES:
            gaps.add("system_not_operating", f"managed system {name} is in state '{state}': its capabilities and "
                     "resources cannot be read, so every check that needs them is unknown", system=name,
                     file=str(row["source"]).split(";")[0].rpartition(":")[0] or None)
            continue
        for kind in EXPECTED_KINDS:
            if kind not in present.get(name, set()):
                gaps.add("missing_capture", f"no '{CAPTURE_COMMANDS[kind].replace('SYS', name)}' capture for {name}",
                         system=name, command=CAPTURE_COMMANDS[kind].replace("SYS", name))
