"""HMC CLI captures: recognise what each section is, parse its records, type its values.

What a capture holds is taken from its command line when one was recorded, else from the file
name (`9131-52A-6535CCG_proc_lpar.txt`, `lssyscfg_r_sys_F_name_serial_num_state.txt`), else from
its attributes (`curr_proc_mode=` rows are `lshwres -r proc --level lpar`). The managed system
comes from `-m`, a `sys=` attribute, or the file/folder name. Every line that is not a usable
record comes back as a problem with its line number; the bundle loader turns those into gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hatoolkit.ingest import values as conv
from hatoolkit.ingest.capture import Section
from hatoolkit.ingest.commands import Command, parse_command
from hatoolkit.ingest.hmc_specs import KNOWN_UNUSED, SIGNATURES, SPECS, attribute_vocabulary
from hatoolkit.ingest.records import Problem, RawRecords, parse_attr_records, parse_delimited

HMC_COMMANDS = frozenset({"lssyscfg", "lshwres"})
_OPTION_WORDS = {"r": "-r", "m": "-m", "F": "-F", "f": "-F", "level": "--level", "rsubtype": "--rsubtype",
                 "header": "--header", "filter": "--filter", "c": "-c", "p": "-p"}
_KIND_WORDS = frozenset(
    ["virtual", "virtualio", "eth", "veth", "scsi", "vscsi", "fc", "vfc", "io", "slot", "slots", "procpool", "proc", "lpar", "lpars", "mem", "prof", "profile", "profiles", "hea", "sys", "real", "level", "logical", "port", "rsubtype", "serial", "vswitch"]
)
_NAME_RULES: tuple[tuple[frozenset[str], str], ...] = tuple(
    (frozenset(words.split()), kind)
    for words, kind in (
        ("virtual eth", "veth"), ("veth", "veth"), ("virtual scsi", "vscsi"), ("vscsi", "vscsi"),
        ("virtual fc", "vfc"), ("vfc", "vfc"), ("virtual serial", "-"), ("virtual slot", "-"),
        ("virtual vswitch", "-"), ("io slot", "io_slot"), ("io slots", "io_slot"), ("slot", "io_slot"),
        ("procpool", "procpool"), ("proc lpar", "proc_lpar"), ("proc", "proc_sys"), ("mem lpar", "mem_lpar"),
        ("mem", "mem_sys"), ("prof", "prof"), ("profile", "prof"), ("profiles", "prof"), ("hea", "hea_logical"),
        ("lpar", "lpar"), ("lpars", "lpar"), ("sys", "sys"),
    )
)


@dataclass
class Capture:
    """One section of HMC output, recognised and typed."""

    file: str
    kind: str | None
    system: str | None
    command: str | None
    frame: pd.DataFrame  # typed columns of the kind's spec + `source`
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # recognition remarks worth a low gap
    unused: set[str] = field(default_factory=set)
    known_unused: bool = False


def kind_from_command(cmd: Command) -> str | None:
    """The capture kind of an HMC command line, '-' for known-but-unused, None for unknown."""
    if cmd.name in KNOWN_UNUSED:
        return "-"
    r = (cmd.opt("-r") or "").lower()
    level = (cmd.opt("--level") or "").lower()
    sub = (cmd.opt("--rsubtype") or "").lower()
    if cmd.name == "lssyscfg":
        return {"sys": "sys", "lpar": "lpar", "prof": "prof"}.get(r, "-")
    if cmd.name == "lshwres":
        if r == "proc":
            return {"sys": "proc_sys", "lpar": "proc_lpar"}.get(level, "-")
        if r == "mem":
            return {"sys": "mem_sys", "lpar": "mem_lpar"}.get(level, "-")
        if r == "procpool":
            return "procpool"
        if r == "virtualio":
            return {"eth": "veth", "scsi": "vscsi", "fc": "vfc"}.get(sub, "-")
        if r == "io":
            return "io_slot" if sub == "slot" else "-"
        if r == "hea":
            return "hea_logical" if sub == "logical" and level in ("port", "") else "-"
        return "-"
    return None


def command_from_filename(stem: str) -> Command | None:
    """`lssyscfg_r_sys_F_name_serial_num_state` -> `lssyscfg -r sys -F name,serial_num,state`."""
    tokens = [t for t in re.split(r"[_ ]+", stem) if t]
    if not tokens or tokens[0].lower() not in HMC_COMMANDS | set(KNOWN_UNUSED):
        return None
    argv = [tokens[0].lower()]
    option: str | None = None
    value: list[str] = []

    def flush() -> None:
        if option is None:
            return
        if option == "--header":
            argv.append(option)
        elif value:
            joined = "_".join(value)
            argv.extend([option, ",".join(split_attr_list(joined)) if option == "-F" else joined])

    for token in tokens[1:]:
        word = "-F" if token == "F" else _OPTION_WORDS.get(token.lower())
        if word:
            flush()
            option, value = word, []
            if word == "--header":
                flush()
                option = None
        else:
            value.append(token)
    flush()
    return parse_command(" ".join(_shell_quote(a) for a in argv))


def _shell_quote(token: str) -> str:
    return token if re.match(r"^[\w.,:/@*+-]+$", token) else "'" + token.replace("'", "'\\''") + "'"


def split_attr_list(joined: str, vocabulary: set[str] | None = None) -> list[str]:
    """Split `name_serial_num_state` into known attribute names (longest match first)."""
    vocab = vocabulary or attribute_vocabulary()
    tokens = joined.split("_")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            candidate = "_".join(tokens[i:j])
            if candidate in vocab:
                out.append(candidate)
                i = j
                break
        else:
            return [joined]  # cannot split: keep as one name, the parse will report the mismatch
    return out


def kind_from_filename(stem: str) -> tuple[str | None, str | None]:
    """(kind, system prefix) from a `<system>_<kind words>` stem; either may be None."""
    parts = stem.split("_")
    words: list[str] = []
    while parts and parts[-1].lower() in _KIND_WORDS:
        words.insert(0, parts.pop().lower())
    system = "_".join(parts) or None
    if system and any(t.lower() in HMC_COMMANDS | set(KNOWN_UNUSED) for t in system.split("_")):
        system = None  # a command-style name ("hmc_frame_lshwres_io_slots"), not <system>_<kind>
    present = set(words)
    for required, kind in _NAME_RULES:
        if required <= present:
            return kind, system
    return None, system


def kind_from_attrs(attrs: set[str]) -> str | None:
    for kind, required in SIGNATURES:
        if required <= attrs:
            return kind
    return None


def read_section(section: Section, folder_system: str | None = None) -> Capture:
    """Recognise, parse and type one section of HMC CLI output."""
    cmd = parse_command(section.command) if section.command else None
    name = PurePosixPath(section.file)
    notes: list[str] = []
    kind: str | None = None
    if cmd is not None:
        kind = kind_from_command(cmd)
        if kind is None:
            # Not an HMC command (a shell command in a transcript, or a VIOS command): not ours.
            return Capture(section.file, None, None, section.command, pd.DataFrame(), known_unused=False)
    name_cmd = command_from_filename(name.stem) if cmd is None else None
    if name_cmd is not None:
        cmd, kind = name_cmd, kind_from_command(name_cmd)
    name_kind, name_system = kind_from_filename(name.stem)
    if kind == "-":
        return Capture(section.file, "-", cmd.system if cmd else None, section.command, pd.DataFrame(),
                       known_unused=True)

    fields = cmd.field_list if cmd is not None else None
    if fields or (cmd is not None and "--header" in cmd.flags):
        raw = parse_delimited(section.text, fields, cmd.field_delimiter if cmd else ",",
                              header="--header" in (cmd.flags if cmd else ()), first_line=section.first_line)
    else:
        raw = parse_attr_records(section.text, section.first_line)

    attr_kind = kind_from_attrs(raw.attrs) if len(raw.frame.columns) else None
    if kind is None:
        if name_kind == "-":
            return Capture(section.file, "-", name_system, None, pd.DataFrame(), known_unused=True)
        if name_kind and attr_kind and name_kind != attr_kind:
            notes.append(f"file name suggests {name_kind} but its attributes are those of {attr_kind}; read as {attr_kind}")
            kind = attr_kind
        else:
            kind = name_kind or attr_kind

    if kind == "sys":  # each record names its system; `-m` names it when -F left `name` out
        system = cmd.system if cmd is not None else None
    else:
        system = _system_of(cmd, raw, name_system, folder_system) if kind is not None else None
    capture = Capture(section.file, kind, system, cmd.text if cmd else section.command, pd.DataFrame(),
                      problems=list(raw.problems), notes=notes)
    if kind is None or kind not in SPECS:
        return capture
    capture.frame, capture.unused = typed_frame(kind, raw, section.file, capture.problems)
    return capture


def _system_of(cmd: Command | None, raw: RawRecords, name_system: str | None, folder: str | None) -> str | None:
    if cmd is not None and cmd.system:
        return cmd.system
    for column in ("sys", "managed_system", "system"):
        if column in raw.frame.columns:
            found = raw.frame[column].dropna().unique()
            if len(found) == 1:
                return str(found[0])
    return name_system or folder


def source_column(file: str, lines: np.ndarray) -> pd.Series:
    """`file:line` provenance for every row, built in one vectorised step."""
    numbers = pa.array(lines, type=pa.int64()).cast(pa.string())
    joined = pc.binary_join_element_wise(pa.scalar(file + ":"), numbers, pa.scalar(""))
    return pd.Series(pd.array(joined, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))


def typed_frame(kind: str, raw: RawRecords, file: str, problems: list[Problem]) -> tuple[pd.DataFrame, set[str]]:
    """Convert raw strings to the kind's typed columns; unparseable values become problems."""
    spec = SPECS[kind]
    out: dict[str, pd.Series] = {}
    for attr, target in spec.items():
        if attr not in raw.frame.columns or (target.column in out and attr != target.column):
            continue
        parsed = conv.CONVERTERS[target.kind](raw.frame[attr])
        out[target.column] = parsed.values.reset_index(drop=True)
        if parsed.bad.any():
            for i in np.flatnonzero(parsed.bad):
                problems.append(Problem(int(raw.lines[i]), "bad_value",
                                        f"{attr}={raw.frame[attr].iat[i]!r} is not a valid {target.kind}"))
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(raw.frame)))
    frame["source"] = source_column(file, raw.lines)
    unused = set(raw.frame.columns) - set(spec)
    return frame, unused
