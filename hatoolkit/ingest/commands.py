"""Command lines as recorded in captures: `lshwres -r proc --level lpar -m SYS -F a,b --header`.

Parsed once into name, options and flags so recognisers ask `cmd.opt("-r")` instead of matching
strings. `viosvrcmd -m SYS -p VIOS -c "lsmap -all"` is unwrapped: the inner command is what the
output belongs to, and the outer options say which system and VIOS it came from.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

# Options that never take a value (everything else starting with '-' takes the next token,
# unless that token itself starts with '-').
FLAG_OPTIONS = frozenset({"--header", "-all", "-npiv", "-net", "-attr", "-field", "--force", "-v", "-V"})
_SYSTEM_SPEC_RE = re.compile(r"^(?P<type>\w{4})-(?P<model>\w{3})\*(?P<serial>\w+)$")


@dataclass(frozen=True)
class Command:
    """One parsed command line."""

    text: str
    name: str
    options: dict[str, str] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    args: tuple[str, ...] = ()
    wrapper: Command | None = None  # the viosvrcmd around it, if any

    def opt(self, *names: str) -> str | None:
        for name in names:
            if name in self.options:
                return self.options[name]
        return None

    @property
    def system(self) -> str | None:
        """The managed system named by `-m` (here or on the viosvrcmd wrapper)."""
        value = self.opt("-m")
        if value is None and self.wrapper is not None:
            value = self.wrapper.opt("-m")
        return value

    @property
    def partition(self) -> str | None:
        """The partition named by `-p` on a viosvrcmd wrapper (the VIOS the command ran on)."""
        return self.wrapper.opt("-p") if self.wrapper is not None else None

    @property
    def field_list(self) -> list[str] | None:
        """Attribute names of `-F a,b,c` (or `-F a:b:c`), in order."""
        spec = self.opt("-F")
        if not spec:
            return None
        return [f for f in re.split(r"[^A-Za-z0-9_]+", spec) if f]

    @property
    def field_delimiter(self) -> str:
        """The character between `-F` names is the output delimiter (',' by default)."""
        spec = self.opt("-F") or ""
        m = re.search(r"[^A-Za-z0-9_]", spec)
        return m.group(0) if m else ","


def parse_command(text: str) -> Command | None:
    """Parse a recorded command line; None when it is not one (empty, unbalanced quotes)."""
    text = text.strip()
    if not text:
        return None
    if not any(c in text for c in "\"'\\"):
        argv = text.split()  # nothing for shlex to do (the usual case, and much cheaper)
    else:
        try:
            argv = shlex.split(text, posix=True)
        except ValueError:
            argv = text.split()
    if not argv:
        return None
    # A pipeline or redirection belongs to the shell, not to the command we care about.
    for i, token in enumerate(argv):
        if token in ("|", ">", ">>", "2>&1", ";", "&&"):
            argv = argv[:i]
            break
    name = argv[0].rsplit("/", 1)[-1]
    options: dict[str, str] = {}
    flags: set[str] = set()
    args: list[str] = []
    i = 1
    while i < len(argv):
        token = argv[i]
        if token.startswith("-") and len(token) > 1 and not _is_number(token):
            nxt = argv[i + 1] if i + 1 < len(argv) else None
            if token in FLAG_OPTIONS or nxt is None or (nxt.startswith("-") and not _is_number(nxt)):
                flags.add(token)
                i += 1
            else:
                options.setdefault(token, nxt)
                i += 2
        else:
            args.append(token)
            i += 1
    cmd = Command(text=text, name=name, options=options, flags=frozenset(flags), args=tuple(args))
    if name == "viosvrcmd" and cmd.opt("-c"):
        inner = parse_command(cmd.opt("-c") or "")
        if inner is not None:
            return Command(inner.text, inner.name, inner.options, inner.flags, inner.args, wrapper=cmd)
    return cmd


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def split_system_spec(value: str) -> tuple[str, str, str] | None:
    """`9131-52A*6535CCG` (type-model*serial, as `-m` accepts) -> ('9131', '52A', '6535CCG')."""
    m = _SYSTEM_SPEC_RE.match(value.strip())
    return (m.group("type"), m.group("model"), m.group("serial")) if m else None
