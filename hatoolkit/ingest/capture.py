"""Reading capture files and cutting them into sections, one per command.

People capture command output in many ways: one file per command (the command line as a first
`$ cmd` line, or only in the file name), whole terminal transcripts with a prompt line before
each command, `###command:cmd###` separators, the `cmd| |line` prefix style of some VIOS
collection scripts, or JSON records `{command, stdout, exit_status}` written by automation.
This module turns any of those into `Section`s; it knows nothing of what the commands mean.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from hatoolkit.errors import IngestError

# `hscroot@hmc1:~> cmd`, `user@host:/path$ cmd`, `padmin@vios1 $ cmd`, `$ cmd`, `hmc:~> cmd`
PROMPT_RE = re.compile(
    r"^\s*(?:[\w.\-]+@[\w.\-]+(?::[^\s>$#]*)?\s*[>$#]|[\w.\-]+:~?[^\s<>$#]*>|\$)(?:\s+(?P<cmd>\S.*?))?\s*$"
)
HASH_SEPARATOR_RE = re.compile(r"^###command:(?P<cmd>.*?)###\s*$")
PIPE_PREFIX_RE = re.compile(r"^(?P<cmd>[^|\n]{1,300})\| \|(?P<rest>.*)$")
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x0e\x0f]")
MAX_FILE_BYTES = 512 * 1024 * 1024
# Control bytes that never occur in text captures (tab, newlines, ESC and shift-in/out of ANSI do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13, 27, 14, 15))


@dataclass
class Section:
    """The output of one command within a file, with the file line number of its first line."""

    file: str
    command: str | None
    text: str
    first_line: int
    exit_status: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Decoded:
    """A capture file as text, plus what was odd about reading it."""

    text: str
    encoding: str
    bad_line: int | None = None  # first line that was not valid UTF-8


def read_text(path: Path, display: str) -> Decoded:
    """Decode a capture: UTF-8 first, else Latin-1 (never fails) with the first bad line noted.

    Raises IngestError for files that are not text at all (NUL bytes, mostly control bytes).
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(f"file is {size // 2**20} MB, larger than any capture", file=display)
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}", file=display) from None
    sample = data[:65536]
    if b"\x00" in sample:
        raise IngestError("binary file (NUL bytes), not a text capture", file=display)
    if sample:
        control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if control / len(sample) > 0.05:
            raise IngestError("binary file (control bytes), not a text capture", file=display)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        encoding, bad_line = "utf-8", None
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        text = data.decode("latin-1")
        encoding = "latin-1"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or "\x0f" in text or "\x0e" in text:
        text = ANSI_RE.sub("", text)
    return Decoded(text, encoding, bad_line)


def split_sections(text: str, display: str) -> list[Section]:
    """Cut a file into per-command sections by whichever capture style it uses."""
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        sections = _json_sections(text, display)
        if sections is not None:
            return sections
    lines = text.split("\n")
    if "###command:" in text and any(HASH_SEPARATOR_RE.match(line) for line in lines[:5000]):
        return _delimited_sections(lines, display, HASH_SEPARATOR_RE)
    if "| |" in text:
        nonblank = [line for line in lines if line.strip()]
        if nonblank and sum(1 for line in nonblank if PIPE_PREFIX_RE.match(line)) >= 0.8 * len(nonblank):
            return _pipe_sections(lines, display)
    if lines and lines[0].startswith("$ ") and not any(
            line.startswith(("$ ", "###")) or ("@" in line and ">" in line) for line in lines[1:]):
        # The common "one command per file" capture: its first line is the command.
        return [Section(display, lines[0][2:].strip() or None, "\n".join(lines[1:]), 2)]
    if any(_prompt_command(line) is not None for line in lines[:200000]):
        return _delimited_sections(lines, display, None)
    return [Section(display, None, text, 1)]


def _prompt_command(line: str) -> str | None:
    """The command of a prompt line ('' for a bare prompt), or None when the line is not a prompt."""
    if not line or line[0] not in "$ \tabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-":
        return None
    if "=" in line.split(" ", 1)[0]:
        return None  # an attr=value record, never a prompt
    m = PROMPT_RE.match(line)
    if not m:
        return None
    return m.group("cmd") or ""


def _delimited_sections(lines: list[str], display: str, separator: re.Pattern[str] | None) -> list[Section]:
    sections: list[Section] = []
    command: str | None = None
    start = 1
    body: list[str] = []

    def flush() -> None:
        if command is not None or any(line.strip() for line in body):
            sections.append(Section(display, command, "\n".join(body), start))

    for i, line in enumerate(lines, start=1):
        if separator is not None:
            m = separator.match(line)
            cmd = m.group("cmd").strip() if m else None
        else:
            cmd = _prompt_command(line)
        if cmd is None:
            body.append(line)
            continue
        flush()
        command, start, body = (cmd or None), i + 1, []
    flush()
    # Text before the first prompt is a login banner unless it holds records.
    if sections and sections[0].command is None and separator is None and "=" not in sections[0].text:
        sections = sections[1:]
    return [s for s in sections if s.command is not None or s.text.strip()]


def _pipe_sections(lines: list[str], display: str) -> list[Section]:
    sections: list[Section] = []
    for i, line in enumerate(lines, start=1):
        m = PIPE_PREFIX_RE.match(line)
        if not m:
            continue
        cmd, rest = m.group("cmd").strip(), m.group("rest")
        if sections and sections[-1].command == cmd:
            sections[-1].text += "\n" + rest
        else:
            sections.append(Section(display, cmd, rest, i))
    return sections


def _json_sections(text: str, display: str) -> list[Section] | None:
    """`{command, stdout, stderr, exit_status}` records (one object, a list, or JSON lines)."""
    try:
        data = json.loads(text)
        records = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        try:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            return None
    sections = []
    for record in records:
        if not isinstance(record, dict) or "stdout" not in record:
            return None
        command = record.get("command") or record.get("cmd")
        if isinstance(command, list):
            command = shlex.join(str(c) for c in command)
        status = record.get("exit_status", record.get("rc"))
        section = Section(display, command, str(record.get("stdout") or ""), 1,
                          exit_status=status if isinstance(status, int) else None)
        section.notes.append("line numbers count lines of the record's stdout")
        stderr = str(record.get("stderr") or "").strip()
        if stderr:
            section.notes.append(f"stderr: {stderr[:200]}")
        sections.append(section)
    return sections


def load_sections(path: Path, display: str) -> tuple[Decoded, list[Section]]:
    """Read and section one file (IngestError if it is not a readable text file)."""
    decoded = read_text(path, display)
    if not decoded.text.strip():
        raise IngestError("empty file", file=display)
    return decoded, split_sections(decoded.text, display)


__all__ = ["Decoded", "Section", "load_sections", "read_text", "split_sections"]
