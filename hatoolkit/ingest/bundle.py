"""Load a bundle (a folder of exports from one estate) into a validated Inventory.

Files are recognised by content and name, not by position: each file goes to the first file
reader that claims it (REST XML, workbooks and IBM i CSVs register here as they land); any other
text file is cut into command sections, and each section goes to the first section reader that
recognises its command. Readers hand back "pieces"; one assembler per reader turns its pieces
into frames. Nothing here raises on bad input except an unreadable bundle path: a bad file or
line becomes a gap with its file and line, and the load carries on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from hatoolkit.errors import HatoolkitError, IngestError
from hatoolkit.ingest import hmc_assemble, hmc_cli, ibmi, vios, vios_assemble
from hatoolkit.ingest.capture import Section, load_sections
from hatoolkit.ingest.gaps import GapLog
from hatoolkit.ingest.ibmi_csv import plan_zone
from hatoolkit.ingest.records import classify_line
from hatoolkit.model import frames as fr
from hatoolkit.model.inventory import FRAME_MODELS, Inventory

SKIP_NAMES = frozenset({"plan.yaml", "plan.yml", "waivers.yaml", "waivers.yml", "manifest.json", "readme",
                        "readme.md", "readme.txt", "sources.md", "license"})
# Shell commands found in transcripts between captures: never data, not worth a gap.
SHELL_COMMANDS = frozenset({"echo", "date", "uname", "hostname", "whoami", "clear", "exit", "logout", "cd", "pwd",
                            "id", "export", "set", "history", "sleep", "true"})
FRAME_KEYS: dict[str, list[str]] = {
    "systems": ["system"],
    "partitions": ["system", "lpar_id"],
    "profiles": ["system", "lpar_id", "profile"],
    "proc_pools": ["system", "shared_proc_pool_id"],
    "io_slots": ["system", "drc_index"],
    "hea_ports": ["system", "adapter_id", "port_group", "logical_port_id"],
    "virtual_eth": ["system", "lpar_id", "slot_num"],
    "virtual_scsi": ["system", "lpar_id", "slot_num"],
    "virtual_fc": ["system", "lpar_id", "slot_num"],
    "ibmi_partitions": ["system", "partition"],
    "nwsds": ["system", "partition", "nwsd"],
    "storage_spaces": ["system", "partition", "nwsstg", "nwsd"],
    "save_events": ["system", "partition", "operation", "nwsstg", "started_at", "saved_at"],
    "vios_mappings": ["system", "vios_lpar_id", "adapter", "vtd"],
    "seas": ["system", "vios_lpar_id", "sea"],
    "etherchannels": ["system", "vios_lpar_id", "device"],
    "disks": ["system", "vios_lpar_id", "hdisk"],
    "disk_paths": ["system", "vios_lpar_id", "hdisk", "parent", "connection"],
    "vios_adapters": ["system", "vios_lpar_id", "device"],
    "interfaces": ["system", "partition", "internet_address"],
    "lines": ["system", "partition", "line_description"],
    "asps": ["system", "partition", "asp_number"],
    "disk_units": ["system", "partition", "resource_name"],
    "utilization": ["system", "lpar_id", "origin", "sampled_at"],
    "utilization_config": ["system"],
}


@dataclass
class LoadContext:
    """Shared state of one bundle load: pieces per reader, gaps, per-file facts."""

    root: Path
    gaps: GapLog = field(default_factory=GapLog)
    pieces: dict[str, list[object]] = field(default_factory=lambda: defaultdict(list))
    hmc_of: dict[str, str] = field(default_factory=dict)
    folder_system: dict[str, str] = field(default_factory=dict)
    files: list[dict[str, object]] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)  # file -> rows it contributed (filled by assemblers)
    assembled: dict[str, pd.DataFrame] = field(default_factory=dict)  # frames from the assemblers run so far


# A file reader returns None when the file is not its format, else (format name, records, commands).
FileReader = Callable[[Path, str, LoadContext], "tuple[str, int, list[str]] | None"]
# A section reader returns None when the section is not its command, else (records, kind label).
SectionReader = Callable[[Section, LoadContext], "tuple[int, str] | None"]
Assembler = Callable[[LoadContext], dict[str, pd.DataFrame]]

FILE_READERS: list[FileReader] = []
SECTION_READERS: list[SectionReader] = []
ASSEMBLERS: list[Assembler] = []


def _hmc_section(section: Section, ctx: LoadContext) -> tuple[int, str] | None:
    """Recognise an HMC section now; it is parsed later with every other section of its kind."""
    pending = hmc_cli.recognise(section, ctx.folder_system.get(section.file))
    if pending.kind is None and section.command:
        return None  # a command that is not an HMC command: let another reader try
    ctx.pieces["hmc_cli"].append(pending)
    if pending.kind is None:
        lines = [(i, line) for i, line in enumerate(section.text.split("\n")) if line.strip()]
        kinds = [classify_line(line) for _, line in lines[:50]]
        if kinds and all(k in ("no_results", "message") for k in kinds):  # only messages: say which
            for (i, line), k in zip(lines, kinds, strict=False):
                ctx.gaps.add("no_results" if k == "no_results" else "hmc_message", line.strip()[:300],
                             file=section.file, line=section.first_line + i, command=section.command)
        else:
            ctx.gaps.add("unrecognised", "text is neither a known command's output nor HMC records",
                         file=section.file, line=section.first_line)
        return 0, "unrecognised"
    return 0, pending.kind


def _hmc_assemble(ctx: LoadContext) -> dict[str, pd.DataFrame]:
    items = [p for p in ctx.pieces.get("hmc_cli", []) if isinstance(p, hmc_cli.Pending)]
    return hmc_assemble.assemble(items, ctx.gaps, ctx.hmc_of, ctx.records, zone=plan_zone(ctx.root))


SECTION_READERS.append(_hmc_section)
ASSEMBLERS.append(_hmc_assemble)

# HMC REST API XML (Atom feeds/entries), recognised by content; objects are resolved bundle-wide.
from hatoolkit.ingest import hmc_rest_reader  # noqa: E402

FILE_READERS.append(hmc_rest_reader.read_file)
ASSEMBLERS.append(hmc_rest_reader.assemble)

# HMC Scanner workbooks (.xls/.xlsx), read in place.
from hatoolkit.ingest import hmcscanner_reader  # noqa: E402

FILE_READERS.append(hmcscanner_reader.read_file)
ASSEMBLERS.append(hmcscanner_reader.assemble)


def _ibmi_file(file: Path, rel: str, ctx: LoadContext) -> tuple[str, int, list[str]] | None:
    export = ibmi.read_file(file, rel, ctx.gaps)
    if export is None:
        return None
    ctx.pieces[ibmi.PIECE].append(export)
    return f"ibmi_{export.kind}", len(export.rows), []


def _ibmi_assemble(ctx: LoadContext) -> dict[str, pd.DataFrame]:
    return ibmi.assemble(ctx.pieces.get(ibmi.PIECE, []), ctx.assembled.get("systems"), ctx.root, ctx.gaps)


FILE_READERS.append(_ibmi_file)
ASSEMBLERS.append(_ibmi_assemble)


def _vios_section(section: Section, ctx: LoadContext) -> tuple[int, str] | None:
    capture = vios.read_section(section)
    if capture is None:
        return None
    ctx.pieces["vios"].append(capture)
    for problem in capture.parsed.problems:
        ctx.gaps.add("hmc_message" if problem.code == "message" else problem.code, problem.text, file=section.file,
                     line=problem.line, system=capture.system_hint, command=capture.command)
    return capture.parsed.count, capture.kind


def _vios_assemble(ctx: LoadContext) -> dict[str, pd.DataFrame]:
    captures = [p for p in ctx.pieces.get("vios", []) if isinstance(p, vios.ViosCapture)]
    if not captures:
        return {}
    return vios_assemble.assemble(captures, ctx.assembled.get("systems", pd.DataFrame()),
                                  ctx.assembled.get("partitions", pd.DataFrame()), ctx.gaps)


# VIOS output without a command line would otherwise be claimed (as unrecognised) by the HMC reader;
# the VIOS reader returns None for anything that is not VIOS output. Its assembler runs after the
# HMC one (and any other estate source) because it places VIOS captures on their systems.
SECTION_READERS.insert(0, _vios_section)
ASSEMBLERS.append(_vios_assemble)


def load_inventory(path: str | Path) -> Inventory:
    """Read every export under `path` (a bundle folder or one capture file) into an Inventory.

    Raises IngestError only when the path itself cannot be read; everything else is a gap.
    """
    root = Path(path)
    if not root.exists():
        raise IngestError("no such bundle (file or folder)", file=str(path))
    ctx = LoadContext(root=root if root.is_dir() else root.parent)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    for file in files:
        rel = file.relative_to(ctx.root).as_posix()
        if _skipped(file, rel):
            continue
        _note_layout(rel, ctx)
        _read_file(file, rel, ctx)
    frames: dict[str, list[pd.DataFrame]] = defaultdict(list)
    for assembler in ASSEMBLERS:  # in order: later ones may use frames the earlier ones built
        for name, frame in assembler(ctx).items():
            frames[name].append(frame)
            ctx.assembled[name] = _combine(name, frames[name])
    combined = {name: _combine(name, parts) for name, parts in frames.items()}
    validated = {name: _sorted(name, _validated(name, frame, ctx.gaps)) for name, frame in combined.items()}
    _file_status(ctx)
    files_frame = pd.DataFrame(ctx.files, columns=["path", "format", "status", "records", "commands", "systems"])
    files_frame = files_frame.astype({"path": "str", "format": "str", "status": "str", "records": "Int64",
                                      "commands": "str", "systems": "str"})
    return Inventory.build(validated, ctx.gaps.frame(), files_frame, root=str(root))


def _skipped(file: Path, rel: str) -> bool:
    parts = rel.split("/")
    return any(p.startswith(".") for p in parts) or file.name.lower() in SKIP_NAMES


def _note_layout(rel: str, ctx: LoadContext) -> None:
    """Folder conventions: hmc/<hmc>/[<system>/]file, vios/<system>/<vios>/file."""
    parts = rel.split("/")
    if parts[0] == "hmc" and len(parts) >= 3:
        ctx.hmc_of[rel] = parts[1]
        if len(parts) >= 4:
            ctx.folder_system[rel] = parts[2]
    elif parts[0] in ("vios", "ibmi") and len(parts) >= 3:
        ctx.folder_system[rel] = parts[1]


def _read_file(file: Path, rel: str, ctx: LoadContext) -> None:
    record = {"path": rel, "format": "unknown", "status": "skipped", "records": 0, "commands": None, "systems": None}
    ctx.files.append(record)
    try:
        for reader in FILE_READERS:
            claimed = reader(file, rel, ctx)
            if claimed is not None:
                record["format"], record["records"], commands = claimed
                record["commands"] = ";".join(commands) or None
                record["status"] = "parsed" if record["records"] else "skipped"
                return
        decoded, sections = load_sections(file, rel)
    except HatoolkitError as exc:
        code = "empty_file" if "empty file" in exc.message else "unreadable_file"
        ctx.gaps.add(code, exc.message, file=rel, line=exc.line)
        record["status"] = "unreadable"
        return
    if decoded.encoding != "utf-8":
        ctx.gaps.add("encoding", f"not UTF-8 from line {decoded.bad_line}; read as Latin-1, accented text may be "
                     "wrong (capture with LANG=en_US.UTF-8)", file=rel, line=decoded.bad_line)
    record["format"] = "text"
    total, kinds = 0, []
    for section in sections:
        for reader in SECTION_READERS:
            result = reader(section, ctx)
            if result is not None:
                total += result[0]
                kinds.append(result[1])
                break
        else:
            if (section.command or "").split(" ", 1)[0] not in SHELL_COMMANDS:
                ctx.gaps.add("unknown_command", f"output of '{section.command}' is not read by hatoolkit",
                             file=rel, line=max(section.first_line - 1, 1), command=section.command)
            kinds.append("-")
    record["records"] = total
    record["commands"] = ";".join(dict.fromkeys(k for k in kinds if k not in ("-", "unrecognised"))) or None
    record["format"] = ("vios" if all(k.startswith("vios") for k in kinds if k not in ("-", "unrecognised"))
                        else "hmc_cli") if record["commands"] else "text"


_HARMLESS = frozenset({"no_results", "unknown_command", "recognition"})


def _file_status(ctx: LoadContext) -> None:
    """After assembly: rows each file contributed, and whether any of its lines had problems."""
    troubled = {r["file"] for r in ctx.gaps.rows if r["file"] and r["code"] not in _HARMLESS}
    for record in ctx.files:
        if record["status"] == "unreadable":
            continue
        record["records"] = int(record["records"] or 0) + ctx.records.get(str(record["path"]), 0)
        if not record["records"] and not record["commands"]:
            record["status"] = "skipped"
        else:
            record["status"] = "partial" if record["path"] in troubled else "parsed"


def _combine(name: str, parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if p is not None and len(p.columns) and not p.empty]  # empty parts carry no dtypes
    if not parts:
        return fr.empty(FRAME_MODELS[name])
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat([fr.conform(FRAME_MODELS[name], p) for p in parts], ignore_index=True)
    key = FRAME_KEYS.get(name)
    return frame.drop_duplicates(key, keep="first").reset_index(drop=True) if key else frame


def _sorted(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in key order: the same estate gives the same frames whatever the source or file order."""
    key = [k for k in FRAME_KEYS.get(name, []) if k in frame.columns]
    if not key or frame.empty:
        return frame
    return frame.sort_values(key, kind="mergesort", na_position="last").reset_index(drop=True)


def _validated(name: str, frame: pd.DataFrame, gaps: GapLog) -> pd.DataFrame:
    """Conform and validate; cells that break the schema become NA (rows, if a key) and a gap each."""
    model = FRAME_MODELS[name]
    if frame.empty:
        return fr.empty(model)
    frame = fr.conform(model, frame)
    for _ in range(3):
        try:
            return fr.validate(model, frame)
        except pa_errors.SchemaErrors as exc:
            frame = _repair(name, model, frame, exc.failure_cases, gaps)
    return fr.validate(model, frame)


def _repair(name: str, model: type, frame: pd.DataFrame, cases: pd.DataFrame, gaps: GapLog) -> pd.DataFrame:
    schema = model.to_schema()
    drop: set[int] = set()
    for _, case in cases.iterrows():
        column, index = case.get("column"), case.get("index")
        if index is None or pd.isna(index) or column not in frame.columns:
            if case.get("check") and "key_unique" in str(case.get("check")):
                key = FRAME_KEYS.get(name, [])
                dups = frame.duplicated(key, keep="first")
                drop.update(int(i) for i in frame.index[dups])
                continue
            if column in frame.columns and column in schema.columns:
                # A whole-column dtype problem is a parser bug: blank the column rather than fail the load.
                gaps.add("schema", f"{name}.{column}: {case.get('check')} ({case.get('failure_case')}); column blanked")
                frame[column] = fr.conform(model, frame.drop(columns=[column]))[column]
            continue
        index = int(index)
        src = str(frame.at[index, "source"]) if "source" in frame.columns else ""
        file, _, line = src.split(";")[0].rpartition(":")
        nullable = schema.columns[column].nullable
        gaps.add("schema", f"{name}.{column}={case.get('failure_case')!r} fails {case.get('check')}; "
                 + ("treated as missing" if nullable else "record not used"),
                 file=file or None, line=int(line) if line.isdigit() else None,
                 system=str(frame.at[index, "system"]) if "system" in frame.columns else None)
        if nullable:
            frame.loc[index, column] = pd.NA if frame[column].dtype != "str" else None
        else:
            drop.add(index)
    if drop:
        frame = frame.drop(index=sorted(drop)).reset_index(drop=True)
    return frame
