"""The bundle loader's hooks for HMC Scanner workbooks: claim `.xls`/`.xlsx`, join sheets into frames.

Sheets describe one partition in several places (LPAR_Summary has the ID, LPAR_CPU and LPAR_MEM
only the name), and adapters name their partner partition by name: rows are joined on managed
system + partition name *within one workbook* (names are unique per system), and every frame is
keyed by `system` + `lpar_id` like the CLI's. A workbook is read in place; nothing is copied.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from hatoolkit.errors import IngestError
from hatoolkit.ingest import hmcscanner as hs
from hatoolkit.ingest import hmcscanner_usage as hsu
from hatoolkit.ingest import hmcscanner_vios as hsv
from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.hmc_rest import NOT_ACTIVATED_ZERO
from hatoolkit.ingest.ibmi_csv import Zone, plan_zone

if TYPE_CHECKING:
    from hatoolkit.ingest.bundle import LoadContext

PIECES = "hmcscanner"
_NOT_FROM_SHEETS = {"system", "source", "hmc"}


def read_file(path: Path, rel: str, ctx: LoadContext) -> tuple[str, int, list[str]] | None:
    if path.suffix.lower() not in (".xls", ".xlsx"):
        return None
    try:
        book = hs.read_workbook(path, rel)
    except IngestError as exc:
        ctx.gaps.add("unreadable_file", exc.message, file=rel)
        return "workbook", 0, []
    if not hs.is_scanner(book):
        ctx.gaps.add("unrecognised", "a workbook without HMC Scanner sheets (System_Summary, LPAR_Summary)", file=rel)
        return "workbook", 0, []
    ctx.pieces[PIECES].append(book)
    records = sum(len(body) for sheet in hs.SHEETS for _, _, body, _ in hs.tables(book, sheet)) + hsv.record_count(book)
    return "hmcscanner", records, [book.provenance]


def assemble(ctx: LoadContext) -> dict[str, pd.DataFrame]:
    frames: dict[str, list[pd.DataFrame]] = {}
    zone = plan_zone(ctx.root)
    for book in ctx.pieces.get(PIECES, []):
        if isinstance(book, hs.Workbook):
            for name, frame in workbook_frames(book, ctx.gaps, zone).items():
                frames.setdefault(name, []).append(frame)
    return {k: pd.concat(v, ignore_index=True) if len(v) > 1 else v[0] for k, v in frames.items()}


def _sheet(book: hs.Workbook, sheet: str, gaps: GapLog) -> pd.DataFrame:
    return hs.typed(hs.sheet_rows(book, sheet, gaps), sheet)


def workbook_frames(book: hs.Workbook, gaps: GapLog, zone: Zone | None = None) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    systems = _sheet(book, "System_Summary", gaps)
    if not systems.empty:
        systems["hmc"] = pd.Series([book.header.get("Manager Name")] * len(systems), dtype="str")
        out["systems"] = systems
    lpars = _sheet(book, "LPAR_Summary", gaps)
    if lpars.empty:
        gaps.add("missing_capture", "HMC Scanner workbook without an LPAR_Summary sheet", file=book.file)
    else:
        for sheet in ("LPAR_CPU", "LPAR_MEM"):
            extra = _sheet(book, sheet, gaps)
            if extra.empty:
                gaps.add("missing_capture", f"HMC Scanner workbook without a {sheet} sheet", file=book.file)
                continue
            extra = extra.drop_duplicates(["system", "name"]).rename(columns={"source": f"source_{sheet}"})
            lpars = lpars.merge(extra, on=["system", "name"], how="left")
        sources = [c for c in lpars.columns if c.startswith("source")]
        lpars["source"] = lpars[sources].apply(lambda r: ";".join(v for v in r if isinstance(v, str)), axis=1)
        lpars = lpars.drop(columns=[c for c in sources if c != "source"])
        # As for REST: a partition that is not activated holds nothing, whatever "Curr" columns show.
        off = lpars["state"].eq("Not Activated").fillna(False).to_numpy(dtype=bool)
        for column in NOT_ACTIVATED_ZERO:
            if column in lpars.columns and off.any():
                lpars.loc[off, column] = 0
        out["partitions"] = lpars
    ids = {(s, n): i for s, n, i in zip(lpars.get("system", []), lpars.get("name", []), lpars.get("lpar_id", []),
                                          strict=True)} if not lpars.empty else {}
    profiles = _sheet(book, "LPAR_Profiles", gaps)
    if not profiles.empty:
        out["profiles"] = profiles
    slots = _sheet(book, "Physical_Slots", gaps)
    if not slots.empty:
        slots["lpar_id"] = _ids(slots, "lpar_name", ids)
        out["io_slots"] = slots
    for sheet, name in (("Virtual_SCSI", "virtual_scsi"), ("Virtual_Fibre", "virtual_fc"),
                        ("Virtual_Ethernet", "virtual_eth")):
        frame = _sheet(book, sheet, gaps)
        if frame.empty:
            continue
        frame["lpar_id"] = _ids(frame, "lpar_name", ids)
        if "remote_lpar_name" in frame.columns:
            frame["remote_lpar_id"] = _ids(frame, "remote_lpar_name", ids)
        if name == "virtual_fc":
            wwpns = [tuple(w.lower() for w in (a, b) if isinstance(w, str) and w) for a, b in
                     zip(frame.get("_wwpn1", [None] * len(frame)), frame.get("_wwpn2", [None] * len(frame)), strict=True)]
            frame["wwpns"] = pd.Series([w if w else pd.NA for w in wwpns], dtype=object)
        out[name] = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
    out.update(hsv.vios_frames(book, ids, gaps))  # complete frames; their gaps are reported with reasons there
    out.update(hsu.usage_frames(book, lpars, zone, gaps))  # complete frames (usage sheets, if any)
    for name, frame in out.items():
        missing = [c for c in hs.frame_columns(name) if c not in frame.columns and c not in _NOT_FROM_SHEETS]
        if missing:
            gaps.add("source_gap", f"HMC Scanner workbook cannot fill {name}: {', '.join(missing)}", file=book.file)
    return out


def _ids(frame: pd.DataFrame, column: str, ids: dict[tuple[str, str], object]) -> pd.Series:
    values = [ids.get((s, n)) if isinstance(n, str) else None for s, n in zip(frame["system"], frame[column], strict=True)]
    return pd.Series([v if v is not None and not pd.isna(v) else None for v in values], dtype="Int64")
