"""Write a synthetic System as HMC CLI captures, in the ways people really capture them.

Styles: `files` (one file per command, first line `$ command`), `transcript` (one terminal
session with a prompt before each command), `delimited` (`-F attrs --header` output), and
`bare` (no command line at all; the file name says what it is, as in many field captures).
Quirks of real output are switched on per system so every bundle exercises the parser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hatoolkit.ingest.hmc_specs import CAPTURE_COMMANDS
from hatoolkit.ingest.records import format_record
from hatoolkit.synth import hmc_records as rec
from hatoolkit.synth.estate import System

STYLES = ("files", "transcript", "delimited", "bare")
_BARE_SUFFIX = {"sys": "sys", "lpar": "lpar_real", "prof": "prof", "proc_sys": "proc", "proc_lpar": "proc_lpar",
                "procpool": "procpool", "mem_sys": "mem", "mem_lpar": "mem_lpar", "veth": "virtual_eth",
                "vscsi": "virtual_scsi", "vfc": "virtual_fc", "io_slot": "io_slot", "hea_logical": "hea"}


@dataclass(frozen=True)
class Quirks:
    stray_spaces: bool = False  # ", attr=" as in IBM doc samples
    crlf: bool = False  # Windows line endings (captured through a Windows terminal)
    vfc_unsupported_message: bool = True  # HSCL message instead of rows when NPIV is unsupported
    no_results_text: bool = True  # "No results were found." for empty listings


def _records(s: System) -> dict[str, list[rec.Record]]:
    lpars = sorted(s.lpars, key=lambda lp: lp.id)
    out: dict[str, list[rec.Record]] = {
        "sys": [rec.sys_record(s)],
        "lpar": [rec.lpar_record(lp) for lp in lpars],
        "prof": [rec.prof_record(s, lp) for lp in lpars],
        "proc_sys": [rec.proc_sys_record(s)],
        "proc_lpar": [rec.proc_lpar_record(lp) for lp in lpars],
        "procpool": rec.procpool_records(s),
        "mem_sys": [rec.mem_sys_record(s)],
        "mem_lpar": [rec.mem_lpar_record(lp) for lp in lpars],
        "veth": [r for lp in lpars for r in rec.veth_records(lp)],
        "vscsi": [r for lp in lpars for r in rec.vscsi_records(lp)],
        "vfc": [r for lp in lpars for r in rec.vfc_records(lp)],
        "io_slot": rec.io_slot_records(s),
        "hea_logical": rec.hea_records(s),
    }
    if s.state != "Operating":
        # A powered-off system answers only lssyscfg; resource listings fail.
        return {"sys": out["sys"], "lpar": out["lpar"], "prof": out["prof"]}
    return out


def command_line(kind: str, s: System, fields: list[str] | None = None) -> str:
    base = CAPTURE_COMMANDS[kind].replace("-m SYS", f"-m {s.name}")
    if kind == "sys":
        base = f"lssyscfg -r sys -m {s.name}"
    if fields:
        base += " -F " + ",".join(fields) + " --header"
    return base


def _body(kind: str, records: list[rec.Record], s: System, quirks: Quirks) -> str:
    if kind == "vfc" and not s.vfc_capable and quirks.vfc_unsupported_message:
        return "HSCLA4C0 The managed system does not support virtual Fibre Channel.\n"
    if not records:
        return "No results were found.\n" if quirks.no_results_text else ""
    lines = [format_record(r) for r in records]
    if quirks.stray_spaces and len(lines) > 1:
        lines[1] = lines[1].replace(",", ", ", 2)
    return "\n".join(lines) + "\n"


def _delimited(records: list[rec.Record]) -> tuple[list[str], str]:
    fields: list[str] = []
    for r in records:
        for k, _ in r:
            if k not in fields:
                fields.append(k)
    lines = [",".join(fields)]
    for r in records:
        values = dict(r)
        cells = []
        for f in fields:
            v = values.get(f, "null")
            cells.append('"' + v.replace('"', '""') + '"' if ("," in v or '"' in v) else v)
        lines.append(",".join(cells))
    return fields, "\n".join(lines) + "\n"


def write_system(s: System, root: Path, style: str = "files", quirks: Quirks = Quirks(),
                 kinds: tuple[str, ...] | None = None) -> list[Path]:
    """Write one system's captures under root/hmc/<hmc>/; returns the files written."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    s.check()
    records = _records(s)
    selected = [k for k in records if kinds is None or k in kinds]
    if s.state == "Operating" and not s.hea_ports and "hea_logical" in selected and style != "transcript":
        selected.remove("hea_logical")  # nobody captures HEA listings on systems without HEA
    base = root / "hmc" / s.hmc
    written: list[Path] = []
    newline = "\r\n" if quirks.crlf else "\n"

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))
        written.append(path)

    if style == "transcript":
        prompt = f"hscroot@{s.hmc}:~> "
        parts = [f"Last login: Tue Nov 24 22:58:01 2026 from 10.0.0.5\n{prompt}export LANG=en_US.UTF-8\n"]
        for kind in selected:
            parts.append(f"{prompt}{command_line(kind, s)}\n{_body(kind, records[kind], s, quirks)}")
        parts.append(f"{prompt}exit\n")
        write(base / f"{s.name}_session.log", "".join(parts))
        return written
    for kind in selected:
        stem = command_line(kind, s).replace(f" -m {s.name}", "").replace("--", "").replace("-", "").replace(" ", "_")
        if style == "files":
            write(base / s.name / f"{stem}.txt", f"$ {command_line(kind, s)}\n{_body(kind, records[kind], s, quirks)}")
        elif style == "delimited" and records[kind] and kind not in ("prof", "sys"):
            fields, text = _delimited(records[kind])
            write(base / s.name / f"{stem}_F.txt", f"$ {command_line(kind, s, fields)}\n{text}")
        elif style == "delimited":
            write(base / s.name / f"{stem}.txt", f"$ {command_line(kind, s)}\n{_body(kind, records[kind], s, quirks)}")
        else:
            write(base / f"{s.name}_{_BARE_SUFFIX[kind]}.txt", _body(kind, records[kind], s, quirks))
    return written


def answer(s: System, kind: str, quirks: Quirks = Quirks()) -> str | None:
    """What the HMC prints for one capture kind of a system (None: the system has no such listing).

    Used by the collector's tests, whose fake HMC answers real commands from a synthetic estate.
    """
    records = _records(s)
    return _body(kind, records[kind], s, quirks) if kind in records else None


Writer = Callable[[System, Path], list[Path]]
