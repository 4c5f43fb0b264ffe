"""HMC Scanner's VIOS sheets as the VIOS frames: VSCSI_Map, SEA (SEAs and EtherChannels), VIOS disks.

HMC Scanner runs `lsmap`, `lsdev` and `chkdev` on every VIOS through the HMC and writes:
`VSCSI_Map` (one row per vhost x VTD, the client as `0x000000a0 "NAME"`, the backing disk's UDID in
`Identifier`), `SEA` (a table of SEA attributes with `Virt#N`/`Virt#N slot` trunk columns, a table of
EtherChannel attributes with `Adapter#N` members, and a table of per-trunk statistics that lists only
some trunks, which is not read), `VIOS disks` (a LUN x VIOS matrix: one row per disk unique ID, one
column per `<managed system>@<VIOS>`, each cell the hdisk name that VIOS gives the LUN) and `FC`
(physical FC port attributes and error counters, which no Inventory frame holds). Rows are placed on
the VIOS by managed system + VIOS partition name (its ID from LPAR_Summary), in the words of the VIOS
capture readers. What these sheets do not carry is listed in `SOURCE_GAPS` and reported once per
workbook, never defaulted: notably reserve policies (so reserve-policy checks say unknown) and every
NPIV mapping (the workbook names no vfchost).
"""

from __future__ import annotations

import re

import pandas as pd

from hatoolkit.ingest import hmcscanner as hs
from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.vios_assemble import KEYS
from hatoolkit.ingest.vios_lsmap import backing_type, client_id
from hatoolkit.model import frames as fr
from hatoolkit.model.inventory import FRAME_MODELS

Ids = dict[tuple[str, str], object]  # (managed system, partition name) -> lpar_id
_CLIENT_RE = re.compile(r'^\s*(?P<id>\S+)\s*(?:"(?P<name>[^"]*)")?\s*$')
_NUMBERED = re.compile(r"^(Virt|Adapter)#(\d+)$")

SOURCE_GAPS: dict[str, dict[str, str]] = {
    "vios_mappings": {
        "adapter_physloc": "VSCSI_Map gives the vhost's slot, not its location code",
        "client_os": "VSCSI_Map names the client partition but not its OS",
        "client_slot": "VSCSI_Map has no client adapter slot",
        "rows kind=fc": "no sheet maps vfchost adapters to physical FC ports (lsmap -npiv): NPIV mappings are unknown",
        "rows kind=net": "only the SEAs' trunk adapters are listed (SEA sheet), not the other virtual Ethernet adapters",
    },
    "seas": {
        "state": "the SEA sheet has no failover state (PRIMARY/BACKUP)",
        "trunk_priority": "trunk priorities are in the per-trunk statistics table, which lists only some trunks",
        "vswitch": "the virtual switch is in the per-trunk statistics table, which lists only some trunks",
        "vlans": "bridged VLANs are in the per-trunk statistics table, which lists only some trunks",
    },
    "etherchannels": {"unhealthy_adapters": "the SEA sheet has no link or LACP state of EtherChannel members"},
    "disks": {
        "reserve_policy": "no sheet lists the disks' reserve_policy",
        "pvid": "no sheet lists PVIDs", "algorithm": "no sheet lists the MPIO algorithm",
        "pcm": "no sheet lists the path control module", "physloc": "VIOS disks has no location codes",
    },
    "disk_paths": {"*": "no sheet lists MPIO paths (lspath)"},
}
FC_NOTE = ("the FC sheet (physical FC ports: attributes, speed, error counters) has no Inventory frame and is not read")


def _bool(text: str) -> bool | None:
    return {"true": True, "false": False, "yes": True, "no": False}.get(text.strip().lower())


class _Sheet:
    """Cells of one table by title, with the row's source and conversions that report bad values."""

    def __init__(self, book: hs.Workbook, sheet: str, titles: list[str], gaps: GapLog) -> None:
        self.book, self.sheet, self.gaps = book, sheet, gaps
        self.index = {t: n for n, t in enumerate(titles) if t}
        self.cells: list[str] = []
        self.line = 0

    def row(self, line: int, cells: list[str]) -> _Sheet:
        self.line, self.cells = line, cells
        return self

    def get(self, title: str) -> str | None:
        n = self.index.get(title)
        text = self.cells[n].strip() if n is not None and n < len(self.cells) else ""
        return None if text in ("", "N/A", "null") else text

    def int(self, title: str) -> int | None:
        text = self.get(title)
        if text is None:
            return None
        if text.isdigit():
            return int(text)
        self.gaps.add("bad_value", f"{self.sheet} column '{title}' = {text!r} is not a whole number",
                      file=f"{self.book.file}:{self.sheet}", line=self.line)
        return None

    @property
    def source(self) -> str:
        return f"{self.book.file}:{self.sheet}!{self.line}"

    def numbered(self, word: str) -> list[tuple[str, str | None]]:
        """(`Virt#N` value, `Virt#N slot` value) for N = 1, 2, ... while the value is set."""
        numbers = sorted(int(m.group(2)) for t in self.index if (m := _NUMBERED.match(t)) and m.group(1) == word)
        out = []
        for n in numbers:
            value = self.get(f"{word}#{n}")
            if value is not None:
                out.append((value, self.get(f"{word}#{n} slot")))
        return out


class _Placer:
    """Managed system + VIOS name -> the identity columns of a row; unknown VIOS are reported once each."""

    def __init__(self, book: hs.Workbook, ids: Ids, gaps: GapLog) -> None:
        self.book, self.ids, self.gaps = book, ids, gaps
        self.reported: set[tuple[str, str]] = set()
        systems = {s for s, _ in ids}
        self.only = systems.pop() if len(systems) == 1 else None  # a one-system workbook needs no system column

    def __call__(self, system: str | None, vios: str | None, sheet: str, line: int) -> dict[str, object] | None:
        system = system or self.only
        lpar_id = self.ids.get((system or "", vios or ""))
        if system and vios and lpar_id is not None and not pd.isna(lpar_id):  # type: ignore[call-overload]
            return {"system": system, "vios_lpar_id": int(lpar_id), "vios_name": vios}  # type: ignore[call-overload]
        if (system or "", vios or "") not in self.reported:
            self.reported.add((system or "", vios or ""))
            self.gaps.add("orphan_record", f"{sheet}: VIOS {vios!r} of {system!r} is not a partition in LPAR_Summary; "
                          "its rows are not used", file=f"{self.book.file}:{sheet}", line=line, system=system)
        return None


def _vscsi_map(book: hs.Workbook, place: _Placer, gaps: GapLog, out: dict[str, list[dict[str, object]]]) -> None:
    for _, titles, body, _ in hs.tables(book, "VSCSI_Map", ("VIOS", "VTD")):
        s = _Sheet(book, "VSCSI_Map", titles, gaps)
        for line, cells in body:
            s.row(line, cells)
            base = place(s.get("Managed System Name"), s.get("VIOS"), "VSCSI_Map", line)
            if base is None or s.get("Name") is None:
                continue
            match = _CLIENT_RE.match(s.get("Client") or "")
            cid, ok = client_id(match.group("id") if match else None)
            if not ok:
                gaps.add("bad_value", f"VSCSI_Map column 'Client' = {s.get('Client')!r} is not a partition ID",
                         file=f"{book.file}:VSCSI_Map", line=line)
            device, physloc = s.get("Backing device"), s.get("Phys Loc")
            vtd = s.get("VTD")
            out["vios_mappings"].append(base | {
                "kind": "scsi", "adapter": s.get("Name"), "slot_num": s.int("Slot"), "client_lpar_id": cid,
                "client_name": (match.group("name") or None) if match and cid else None, "vtd": vtd,
                "status": s.get("Status"), "lun": s.get("LUN"), "backing_device": device, "backing_physloc": physloc,
                "backing_type": backing_type(device, physloc) if vtd else None, "mirrored": _bool(s.get("Mirrored") or ""),
                "source": s.source})
            udid = s.get("Identifier")
            if udid and device and backing_type(device, physloc) == "pv":
                out["disks"].append(base | {"hdisk": device, "udid": " ".join(udid.split()), "unique_id": udid,
                                            "source": s.source})


def _vios_disks(book: hs.Workbook, place: _Placer, gaps: GapLog, out: dict[str, list[dict[str, object]]]) -> None:
    for _, titles, body, _ in hs.tables(book, "VIOS disks", ("UUID", "SIZE")):
        columns = [(n, t.rsplit("@", 1)) for n, t in enumerate(titles) if "@" in t]
        for line, cells in body:
            unique = cells[0].strip() if cells else ""
            if not unique:
                continue
            for n, (system, vios) in columns:
                hdisk = cells[n].strip() if n < len(cells) else ""
                base = place(system, vios, "VIOS disks", line) if hdisk else None
                if base is not None:
                    out["disks"].append(base | {"hdisk": hdisk, "udid": " ".join(unique.split()), "unique_id": unique,
                                                "source": f"{book.file}:VIOS disks!{line}"})


def _sea(book: hs.Workbook, place: _Placer, gaps: GapLog, out: dict[str, list[dict[str, object]]]) -> None:
    for _, titles, body, _ in hs.tables(book, "SEA", ("SEA", "ha_mode")):
        s = _Sheet(book, "SEA", titles, gaps)
        for line, cells in body:
            s.row(line, cells)
            base = place(s.get("Managed System Name"), s.get("VIOS"), "SEA", line)
            sea = s.get("SEA")
            if base is None or sea is None:
                continue
            trunks = s.numbered("Virt")
            slots = [int(slot) if slot and slot.isdigit() else None for _, slot in trunks]
            real, real_loc = s.get("real_adapter"), s.get("real_adapter slot")
            ctl = s.get("ctl_chan")
            out["seas"].append(base | {
                "sea": sea, "ha_mode": (s.get("ha_mode") or "").lower() or None, "real_adapter": real,
                "virt_adapters": tuple(d for d, _ in trunks) or None,
                "virt_slots": tuple(slots) if trunks and None not in slots else None,  # type: ignore[arg-type]
                "pvid": s.int("pvid"), "pvid_adapter": s.get("pvid_adapter"),
                "ctl_chan": ctl if ctl and ctl.startswith("ent") else None,
                "jumbo_frames": _bool(s.get("jumbo_frames") or ""),
                "netaddr": None if s.get("netaddr") in (None, "0", "0.0.0.0") else s.get("netaddr"), "source": s.source})
            for (device, _), slot in zip(trunks, slots, strict=True):
                out["vios_mappings"].append(base | {
                    "kind": "net", "adapter": device, "slot_num": slot, "sea": sea, "backing_device": real,
                    "backing_type": "ethernet" if real else None, "backing_physloc": real_loc, "source": s.source})
    for _, titles, body, _ in hs.tables(book, "SEA", ("Etherchannel", "mode")):
        s = _Sheet(book, "SEA", titles, gaps)
        for line, cells in body:
            s.row(line, cells)
            base = place(s.get("Managed System Name"), s.get("VIOS"), "SEA", line)
            device = s.get("Etherchannel")
            if base is None or device is None:
                continue
            backup = s.get("backup_adapter")
            out["etherchannels"].append(base | {
                "device": device, "adapter_names": tuple(d for d, _ in s.numbered("Adapter")),
                "backup_adapter": None if (backup or "NONE").upper() == "NONE" else backup, "mode": s.get("mode"),
                "hash_mode": s.get("hash_mode"),
                "netaddr": None if s.get("netaddr") in (None, "0", "0.0.0.0") else s.get("netaddr"),
                "use_jumbo_frame": _bool(s.get("use_jumbo_frame") or ""), "source": s.source})


_TABLES = (("VSCSI_Map", ("VIOS", "VTD")), ("VIOS disks", ("UUID", "SIZE")), ("SEA", ("SEA", "ha_mode")),
           ("SEA", ("Etherchannel", "mode")))


def record_count(book: hs.Workbook) -> int:
    """Rows of the VIOS tables hatoolkit reads (for the bundle's file listing)."""
    return sum(len(body) for sheet, keys in _TABLES for _, _, body, _ in hs.tables(book, sheet, keys))


def vios_frames(book: hs.Workbook, ids: Ids, gaps: GapLog) -> dict[str, pd.DataFrame]:
    """The VIOS frames one workbook can fill, and a source_gap per frame for what it cannot."""
    if not any(sheet in book.sheets for sheet in hs.VIOS_SHEETS[:3]):
        return {}
    rows: dict[str, list[dict[str, object]]] = {"vios_mappings": [], "seas": [], "etherchannels": [], "disks": []}
    place = _Placer(book, ids, gaps)
    _vios_disks(book, place, gaps, rows)  # the LUN list first: VSCSI_Map adds only disks it lacks
    _vscsi_map(book, place, gaps, rows)
    _sea(book, place, gaps, rows)
    frames = {name: fr.from_rows(FRAME_MODELS[name], items).drop_duplicates(KEYS[name]).reset_index(drop=True)
              for name, items in rows.items() if items}
    for name, columns in SOURCE_GAPS.items():
        if name in frames or "*" in columns:
            listed = columns.get("*") or "; ".join(f"{c} ({why})" for c, why in columns.items())
            gaps.add("source_gap", f"HMC Scanner workbook cannot fill {name}: {listed}", file=book.file)
    if "FC" in book.sheets:
        gaps.add("source_gap", f"HMC Scanner workbook: {FC_NOTE}", file=book.file)
    return frames
