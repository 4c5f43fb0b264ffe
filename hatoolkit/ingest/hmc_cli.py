"""HMC CLI captures: recognise what each section is and which managed system it belongs to.

What a capture holds is taken from its command line when one was recorded, else from the file
name (`9131-52A-6535CCG_proc_lpar.txt`, `lssyscfg_r_sys_F_name_serial_num_state.txt`), else from
its attributes (`curr_proc_mode=` rows are `lshwres -r proc --level lpar`). The managed system
comes from `-m`, a `sys=` attribute, or the file/folder name. Parsing and typing happen later,
in batches per kind (hmc_parse.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from hatoolkit.errors import RecordParseError
from hatoolkit.ingest.capture import Section
from hatoolkit.ingest.commands import Command, parse_command
from hatoolkit.ingest.hmc_specs import KNOWN_UNUSED, SIGNATURES, attribute_vocabulary
from hatoolkit.ingest.records import classify_line, parse_record

HMC_COMMANDS = frozenset({"lssyscfg", "lshwres", "lslparutil"})
_OPTION_WORDS = {"r": "-r", "m": "-m", "F": "-F", "f": "-F", "level": "--level", "rsubtype": "--rsubtype",
                 "header": "--header", "filter": "--filter", "c": "-c", "p": "-p"}
_KIND_WORDS = frozenset(
    ["virtual", "virtualio", "eth", "veth", "scsi", "vscsi", "fc", "vfc", "io", "slot", "slots", "procpool", "proc", "lpar", "lpars", "mem", "prof", "profile", "profiles", "hea", "sys", "real", "level", "logical", "port", "rsubtype", "serial", "vswitch", "lparutil", "util", "config"]
)
_NAME_RULES: tuple[tuple[frozenset[str], str], ...] = tuple(
    (frozenset(words.split()), kind)
    for words, kind in (
        ("lparutil config", "lparutil_config"), ("lparutil", "lparutil"), ("util", "lparutil"),
        ("virtual eth", "veth"), ("veth", "veth"), ("virtual scsi", "vscsi"), ("vscsi", "vscsi"),
        ("virtual fc", "vfc"), ("vfc", "vfc"), ("virtual serial", "-"), ("virtual slot", "-"),
        ("virtual vswitch", "-"), ("io slot", "io_slot"), ("io slots", "io_slot"), ("slot", "io_slot"),
        ("procpool", "procpool"), ("proc lpar", "proc_lpar"), ("proc", "proc_sys"), ("mem lpar", "mem_lpar"),
        ("mem", "mem_sys"), ("prof", "prof"), ("profile", "prof"), ("profiles", "prof"), ("hea", "hea_logical"),
        ("lpar", "lpar"), ("lpars", "lpar"), ("sys", "sys"),
    )
)


@dataclass
class Pending:
    """One section of HMC output, recognised (kind, system, layout) but not yet parsed.

    Parsing is deferred so that every section of one kind across the whole bundle is parsed in
    one vectorised batch (see hmc_parse.py): an estate of a thousand systems is a dozen batches,
    not ten thousand small parses.
    """

    section: Section
    kind: str | None  # None: not recognised; "-": a known command hatoolkit does not read
    system: str | None
    command: str | None
    fields: tuple[str, ...] | None = None  # -F attribute names (None: attr=value records)
    delimiter: str = ","
    header: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.section.file


def kind_from_command(cmd: Command) -> str | None:
    """The capture kind of an HMC command line, '-' for known-but-unused, None for unknown."""
    if cmd.name in KNOWN_UNUSED:
        return "-"
    r = (cmd.opt("-r") or "").lower()
    level = (cmd.opt("--level") or "").lower()
    sub = (cmd.opt("--rsubtype") or "").lower()
    if cmd.name == "lssyscfg":
        return {"sys": "sys", "lpar": "lpar", "prof": "prof"}.get(r, "-")
    if cmd.name == "lslparutil":
        # lpar/sys/all samples are one kind (rows carry resource_type); pools and the HMC are not read.
        return {"lpar": "lparutil", "sys": "lparutil", "all": "lparutil", "config": "lparutil_config"}.get(r, "-")
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


def _fits(kind: str, attrs: set[str]) -> bool:
    """Whether records with these attributes can be of `kind` (most of them are its attributes)."""
    from hatoolkit.ingest.hmc_specs import SPECS

    spec = SPECS.get(kind, {})
    return bool(attrs) and len(attrs & set(spec)) >= 0.5 * len(attrs)


def _peek_attrs(text: str, limit: int = 5) -> dict[str, str]:
    """Attributes of the first few record lines (to recognise a capture that names nothing)."""
    attrs: dict[str, str] = {}
    seen = 0
    for line in text.split("\n", 200)[:200]:
        if classify_line(line) != "record":
            continue
        try:
            attrs.update(parse_record(line))
        except RecordParseError:
            continue
        seen += 1
        if seen >= limit:
            break
    return attrs


def _header_line(text: str, delimiter: str) -> tuple[str, ...] | None:
    for line in text.split("\n", 50)[:50]:
        if line.strip() and classify_line(line) not in ("no_results", "message"):
            return tuple(v.strip() for v in line.split(delimiter))
    return None


def recognise(section: Section, folder_system: str | None = None) -> Pending:
    """What a section is (command line, else file name, else attributes) and which system it is of."""
    cmd = parse_command(section.command) if section.command else None
    name = PurePosixPath(section.file)
    kind: str | None = None
    if cmd is not None:
        kind = kind_from_command(cmd)
        if kind is None:
            # Not an HMC command (a shell or VIOS command): not ours.
            return Pending(section, None, None, section.command)
    name_cmd = command_from_filename(name.stem) if cmd is None else None
    if name_cmd is not None:
        cmd, kind = name_cmd, kind_from_command(name_cmd)
    name_kind, name_system = kind_from_filename(name.stem)
    if kind == "-" or (kind is None and name_kind == "-"):
        return Pending(section, "-", cmd.system if cmd else name_system, section.command)

    fields = tuple(cmd.field_list) if cmd is not None and cmd.field_list else None
    header = cmd is not None and "--header" in cmd.flags
    delimiter = cmd.field_delimiter if cmd is not None else ","
    if header and fields is None:
        fields = _header_line(section.text, delimiter)
    needs_peek = fields is None and (kind is None or (kind != "sys" and not (cmd is not None and cmd.system)))
    peek = _peek_attrs(section.text) if needs_peek else {}
    notes: list[str] = []
    if kind is None:
        attr_kind = kind_from_attrs(set(peek)) if peek else None
        if name_kind and attr_kind and name_kind != attr_kind and not _fits(name_kind, set(peek)):
            notes.append(f"file name suggests {name_kind} but its attributes are those of {attr_kind}; "
                         f"read as {attr_kind}")
            kind = attr_kind
        else:
            kind = name_kind or attr_kind
    if kind is None:
        system = None
    elif kind == "sys":  # each record names its system; `-m` names it when -F left `name` out
        system = cmd.system if cmd is not None else None
    elif cmd is not None and cmd.system:
        system = cmd.system
    else:
        system = next((peek[k] for k in ("sys", "managed_system") if peek.get(k)), None) or name_system \
            or folder_system
    return Pending(section, kind, system, cmd.text if cmd else section.command, fields, delimiter, header, notes)
