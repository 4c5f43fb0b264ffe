"""Tie VIOS captures to their managed system and VIOS partition, then build the VIOS frames.

A VIOS does not print which managed system or partition it is. The evidence, strongest first:
`viosvrcmd -m SYS -p VIOS` options; the `vios/<system>/<vios>/` folder the analyst filed it
under; the virtual adapters' location codes (`U9080.HEX.78C01A8-V1-C401`: the system's
type-model and serial, and `-V<lpar id>`); a report's machine serial (`IBM,0278C01A8`); the
host name (`uname -n`), which often but not always equals the partition name. Evidence is
checked against the HMC frames; conflicts are reported; a capture that cannot be placed is a
gap (`unknown_system`) and is not used, because rows filed under the wrong VIOS would make a
VLAN look bridged, or a LUN look visible, where it is not.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from hatoolkit.ingest.commands import split_system_spec
from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.vios import ViosCapture
from hatoolkit.ingest.vios_lsmap import VIRTUAL_LOC_RE
from hatoolkit.model import frames as fr
from hatoolkit.model.vios import DiskPaths, Disks, EtherChannels, Seas, ViosAdapters, ViosMappings

MODELS = {"vios_mappings": ViosMappings, "seas": Seas, "etherchannels": EtherChannels, "disks": Disks,
          "disk_paths": DiskPaths, "vios_adapters": ViosAdapters}
KEYS = {
    "vios_mappings": ["system", "vios_lpar_id", "adapter", "vtd"],
    "seas": ["system", "vios_lpar_id", "sea"],
    "etherchannels": ["system", "vios_lpar_id", "device"],
    "disks": ["system", "vios_lpar_id", "hdisk"],
    "disk_paths": ["system", "vios_lpar_id", "hdisk", "parent", "connection"],
    "vios_adapters": ["system", "vios_lpar_id", "device"],
}


@dataclass
class Evidence:
    """Everything a group of captures says about where it was taken."""

    files: list[str] = field(default_factory=list)
    systems: list[tuple[str, str]] = field(default_factory=list)  # (how, name)
    names: list[tuple[str, str]] = field(default_factory=list)  # (how, VIOS partition or host name)
    locations: Counter = field(default_factory=Counter)  # (type-model, serial, lpar id) -> count
    serials: set[str] = field(default_factory=set)


@dataclass
class Identity:
    system: str
    lpar_id: int
    name: str | None
    notes: list[str] = field(default_factory=list)


def _group_key(cap: ViosCapture, host: str | None) -> tuple:
    if cap.explicit:
        return ("viosvrcmd", cap.system_hint, cap.vios_hint)
    if cap.vios_hint:
        return ("folder", cap.system_hint, cap.vios_hint)
    return ("file", cap.file, cap.system_hint, host)


def group(captures: list[ViosCapture]) -> dict[tuple, list[ViosCapture]]:
    """Captures of one VIOS together: by viosvrcmd target, by vios/<system>/<vios>/ folder, else by file + host name."""
    names_in_file: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for cap in captures:
        names_in_file[cap.file].extend(cap.hostnames)
    groups: dict[tuple, list[ViosCapture]] = defaultdict(list)
    for cap in captures:
        seen = sorted(names_in_file[cap.file])
        if cap.hostnames:
            host = cap.hostnames[0][1]
        else:
            before = [h for ln, h in seen if ln <= cap.line]
            host = before[-1] if before else (seen[0][1] if seen else None)
        groups[_group_key(cap, host)].append(cap)
        cap.hostnames = cap.hostnames or ([(cap.line, host)] if host else [])
    return groups


def evidence(caps: list[ViosCapture]) -> Evidence:
    ev = Evidence()
    for cap in caps:
        ev.files.append(cap.file)
        how = "viosvrcmd" if cap.explicit else "folder"
        if cap.system_hint:
            ev.systems.append((how, cap.system_hint))
        if cap.vios_hint:
            ev.names.append((how, cap.vios_hint))
        for _, host in cap.hostnames:
            ev.names.append(("hostname", host))
        if cap.serial:
            ev.serials.add(cap.serial)
        for row in cap.parsed.rows.get("vios_mappings", []):
            m = VIRTUAL_LOC_RE.match(str(row.get("adapter_physloc") or ""))
            if m:
                ev.locations[(f"{m.group('type')}-{m.group('model')}", m.group("serial"), int(m.group("lpar")))] += 1
    ev.files = sorted(set(ev.files))
    ev.systems = list(dict.fromkeys(ev.systems))
    ev.names = list(dict.fromkeys(ev.names))
    return ev


class Directory:
    """The estate as the HMC frames describe it: systems by name/serial, partitions by name/id."""

    def __init__(self, systems: pd.DataFrame, partitions: pd.DataFrame) -> None:
        self.systems = systems if "system" in systems.columns else pd.DataFrame({"system": []})
        self.partitions = partitions if {"system", "lpar_id"} <= set(partitions.columns) else pd.DataFrame(
            {"system": [], "lpar_id": []})

    def system_by(self, text: str) -> str | None:
        s = self.systems
        if s.empty:
            return None
        if (s["system"] == text).any():
            return text
        spec = split_system_spec(text)
        serials = s.get("serial_num", pd.Series(dtype="str"))
        if spec and "serial_num" in s.columns:
            hit = s[(serials == spec[2]) & (s.get("type_model") == f"{spec[0]}-{spec[1]}")]
            if len(hit) == 1:
                return str(hit["system"].iloc[0])
        hit = s[serials == text] if "serial_num" in s.columns else s.iloc[:0]
        return str(hit["system"].iloc[0]) if len(hit) == 1 else None

    def system_by_serial(self, serial: str, type_model: str | None = None) -> str | None:
        s = self.systems
        if s.empty or "serial_num" not in s.columns:
            return None
        hit = s[s["serial_num"] == serial]
        if type_model and len(hit) > 1 and "type_model" in s.columns:
            hit = hit[hit["type_model"] == type_model]
        return str(hit["system"].iloc[0]) if len(hit) == 1 else None

    def serial_of(self, system: str) -> str | None:
        s = self.systems
        if "serial_num" not in s.columns:
            return None
        hit = s.loc[s["system"] == system, "serial_num"].dropna()
        return str(hit.iloc[0]) if len(hit) else None

    def lpars(self, system: str | None = None, name: str | None = None) -> pd.DataFrame:
        p = self.partitions
        if system is not None:
            p = p[p["system"] == system]
        if name is not None and "name" in p.columns:
            exact = p[p["name"] == name]
            p = exact if len(exact) else p[p["name"].astype("str").str.lower() == name.lower()]
        return p

    def env(self, system: str, lpar_id: int) -> str | None:
        p = self.partitions
        if "lpar_env" not in p.columns:
            return None
        hit = p.loc[(p["system"] == system) & (p["lpar_id"] == lpar_id), "lpar_env"].dropna()
        return str(hit.iloc[0]) if len(hit) else None

    def name(self, system: str, lpar_id: int) -> str | None:
        p = self.partitions
        if "name" not in p.columns:
            return None
        hit = p.loc[(p["system"] == system) & (p["lpar_id"] == lpar_id), "name"].dropna()
        return str(hit.iloc[0]) if len(hit) else None


def _vios_only(frame: pd.DataFrame) -> pd.DataFrame:
    if "lpar_env" not in frame.columns:
        return frame
    return frame[frame["lpar_env"].isna() | (frame["lpar_env"] == "vioserver")]


def resolve(ev: Evidence, d: Directory) -> Identity | str:
    """The (system, VIOS lpar id) the evidence points to, or the reason it cannot be told."""
    notes: list[str] = []
    loc = ev.locations.most_common(1)[0][0] if ev.locations else None
    system: str | None = None
    for how, text in ev.systems:
        system = d.system_by(text) or (text if d.systems.empty else None)
        if system is None:
            return f"{how} names system {text!r}, which is not in the inventory"
        break
    if system is None and loc is not None:
        system = d.system_by_serial(loc[1], loc[0])
    if system is None:
        for serial in sorted(ev.serials):
            system = d.system_by_serial(serial) or system
    if system is None:
        matches = {str(s) for how, n in ev.names for s in _vios_only(d.lpars(name=n))["system"]}
        if len(matches) == 1:
            system = matches.pop()
            notes.append(f"system {system} taken from the VIOS name (the only system with such a VIOS)")
    if system is None and loc is not None:
        system = f"{loc[0]}*{loc[1]}"
        notes.append(f"no HMC data for this machine: system recorded as {system} from the location codes"
                     if not d.systems.empty else f"no HMC data: system recorded as {system} from the location codes")
    if system is None:
        return "cannot tell which managed system (no viosvrcmd -m, no vios/<system>/ folder, no matching location codes)"
    loc_matches = loc is not None and (d.serial_of(system) == loc[1] or system == f"{loc[0]}*{loc[1]}")
    if ev.locations and not loc_matches:
        seen = ", ".join(sorted({f"{t}*{s}" for t, s, _ in ev.locations}))
        notes.append(f"its location codes ({seen}) do not match {system}'s serial; placed by "
                     + ("its name" if not ev.systems else ev.systems[0][0]))
    lpar_id, name = None, None
    for how, text in ev.names:
        hit = _vios_only(d.lpars(system, text))
        if len(hit) == 1:
            lpar_id, name = int(hit["lpar_id"].iloc[0]), str(hit["name"].iloc[0])
            if loc_matches and loc is not None and loc[2] != lpar_id:
                if how == "hostname":
                    notes.append(f"host name {text} matches partition {lpar_id}, but the location codes say "
                                 f"partition {loc[2]}; used the location codes")
                    lpar_id, name = loc[2], d.name(system, loc[2])
                else:
                    notes.append(f"{how} names {text} (partition {lpar_id}) but the location codes say partition {loc[2]}")
            break
        if how != "hostname" and len(d.lpars(system)):
            notes.append(f"{how} names VIOS {text!r}, which is not a VIOS partition of {system}")
    if lpar_id is None and loc_matches and loc is not None:
        lpar_id, name = loc[2], d.name(system, loc[2])
    if lpar_id is None:
        names = ", ".join(sorted({n for _, n in ev.names})) or "none"
        return f"cannot tell which VIOS partition of {system} this is (names seen: {names}; no location codes of {system})"
    env = d.env(system, lpar_id)
    if env is not None and env != "vioserver":
        return f"partition {lpar_id} of {system} is {env}, not a VIOS"
    if name is None:
        name = next((n for how, n in ev.names if how != "hostname"), None) or next((n for _, n in ev.names), None)
    return Identity(system, lpar_id, name, notes)


def assemble(captures: list[ViosCapture], systems: pd.DataFrame, partitions: pd.DataFrame,
             gaps: GapLog) -> dict[str, pd.DataFrame]:
    """VIOS frames of every capture that can be placed; the rest become gaps."""
    directory = Directory(systems, partitions)
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    machines: dict[str, dict[str, object]] = {}  # systems known only from VIOS location codes
    for caps in group(captures).values():
        if not any(cap.parsed.rows for cap in caps):
            continue
        ev = evidence(caps)
        ident = resolve(ev, directory)
        if isinstance(ident, str):
            for file in ev.files:
                gaps.add("unknown_system", f"VIOS capture not used: {ident}", file=file,
                         system=next((s for _, s in ev.systems), None))
            continue
        for note in ident.notes:
            gaps.add("recognition", f"VIOS {ident.name or ident.lpar_id} of {ident.system}: {note}",
                     file=ev.files[0], system=ident.system)
        spec = split_system_spec(ident.system)
        if spec and ident.system not in machines and (systems.empty or ident.system not in set(systems["system"])):
            machines[ident.system] = {"system": ident.system, "type_model": f"{spec[0]}-{spec[1]}",
                                      "serial_num": spec[2], "source": f"{ev.files[0]}"}
            gaps.add("missing_capture", f"only VIOS captures of managed system {ident.system}: its HMC captures "
                     "(partitions, processors, memory, adapters) are missing", file=ev.files[0], system=ident.system)
        for cap in caps:
            for frame, items in cap.parsed.rows.items():
                for item in items:
                    row = {k: v for k, v in item.items() if k != "line"}
                    row.update(system=ident.system, vios_lpar_id=ident.lpar_id, vios_name=ident.name,
                               source=f"{cap.file}:{item['line']}")
                    rows[frame].append(row)
    frames = {name: fr.from_rows(MODELS[name], rows.get(name, [])) for name in MODELS}
    frames["seas"] = _seas_from_net(frames["seas"], frames["vios_mappings"])
    frames = {name: _combined(name, frame) for name, frame in frames.items()}
    ports = frames["vios_adapters"]
    if not ports.empty:
        frames["vios_adapters"] = ports.assign(card_location=ports["physloc"].str.upper().str.replace(
            r"-T\d+$", "", regex=True))
    disks = frames["disks"]
    if not disks.empty:
        frames["disks"] = disks.assign(udid=disks["udid"].fillna(disks["unique_id"]))
    if machines:
        frames["systems"] = pd.DataFrame(list(machines.values())).astype("str")
    return frames


def _combined(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The same object captured several ways (lsmap human and -fmt, lsdev and chkdev): one row, first value wins."""
    if frame.empty:
        return frame
    key = KEYS[name]
    if not frame.duplicated(key, keep=False).any():
        return frame.reset_index(drop=True)
    first = frame.groupby(key, sort=False, dropna=False).first()
    sources = frame.groupby(key, sort=False, dropna=False)["source"].agg(lambda s: ";".join(dict.fromkeys(s)))
    merged = first.assign(source=sources).reset_index()
    return merged[list(frame.columns)].astype(frame.dtypes.to_dict())


def _seas_from_net(seas: pd.DataFrame, mappings: pd.DataFrame) -> pd.DataFrame:
    """Add what `lsmap -net` knows: trunk adapter slots of each SEA, and SEAs known only from lsmap -net."""
    net = mappings[(mappings["kind"] == "net") & mappings["sea"].notna()] if not mappings.empty else mappings
    if net.empty:
        return seas
    key = ["system", "vios_lpar_id"]
    slot_of = {(r.system, r.vios_lpar_id, r.adapter): r.slot_num for r in net.itertuples()}
    by_sea = net.groupby([*key, "sea"], sort=False)
    known = set(map(tuple, seas[[*key, "sea"]].itertuples(index=False))) if not seas.empty else set()
    extra = []
    for (system, vios, sea), grp in by_sea:
        if (system, vios, sea) in known:
            continue
        extra.append({"system": system, "vios_lpar_id": vios, "vios_name": grp["vios_name"].iloc[0], "sea": sea,
                      "real_adapter": grp["backing_device"].dropna().iloc[0] if grp["backing_device"].notna().any()
                      else None, "virt_adapters": tuple(grp["adapter"]), "source": ";".join(grp["source"])})
    if extra:
        seas = pd.concat([seas, fr.from_rows(MODELS["seas"], extra)], ignore_index=True) if not seas.empty else fr.from_rows(MODELS["seas"], extra)
    slots = []
    for r in seas.itertuples():
        adapters = r.virt_adapters if isinstance(r.virt_adapters, tuple) else None
        current = r.virt_slots if isinstance(r.virt_slots, tuple) else None
        if current is None and adapters:
            found = [slot_of.get((r.system, r.vios_lpar_id, a)) for a in adapters]
            current = tuple(int(s) for s in found) if all(s is not None and not pd.isna(s) for s in found) else None
        slots.append(pd.NA if current is None else current)
    return seas.assign(virt_slots=pd.Series(slots, index=seas.index, dtype=object))
