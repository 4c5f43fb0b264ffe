"""Waivers (waivers.yaml): exceptions people accepted, each with an owner, a reason and an expiry.

A waiver never deletes a finding. It marks the findings it covers as waived in their `evidence`
(`waived_by=<owner> waived_until=<date> waiver_reason="..."`), so every output still shows them and
says who accepted the risk and until when, while `--fail-on` and the scorecard leave them out.
Exceptions must lapse: on the day after `expires` (in the plan's time zone) the waiver stops
covering anything and is itself reported (HA010); a waiver that covers nothing is reported as
stale (HA011), since it either names a finding that was fixed or was written wrongly.

```yaml
waivers:
  - check: HA203                 # the check ID
    resource: PRD-1/NIM          # SYSTEM[/PARTITION[/RESOURCE]], globs; shorter covers everything below
    destination: DR-1            # optional glob on the finding's destination
    owner: j.kowalski
    reason: NIM keeps its physical adapter; it is rebuilt on DR-1 from mksysb (runbook DR-07)
    expires: 2027-03-31          # a date; the waiver holds through that day
```
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fnmatch import translate
from pathlib import Path
from typing import Any

import pandas as pd

from hatoolkit.errors import PlanError
from hatoolkit.model.yamlfile import Located, load_located, parse_located

WAIVER_KEYS = frozenset({"check", "resource", "destination", "owner", "reason", "expires"})
# HA010/HA011 report on the waivers themselves: waiving them would hide a lapsed or dead exception.
UNWAIVABLE = frozenset({"HA010", "HA011"})
WAIVER_NAMES = ("waivers.yaml", "waivers.yml")
_CHECK_RE = re.compile(r"^HA\d{3}$")
_GLOB_CHARS = re.compile(r"[*?\[]")
# What a waived finding carries in `evidence` (model/findings.py `waived()` keys on waived_by=).
_EVIDENCE_RE = {
    "waived_by": re.compile(r'(?:^| )waived_by=("[^"]*"|\S+)'),
    "waived_until": re.compile(r'(?:^| )waived_until=("[^"]*"|\S+)'),
    "waiver_reason": re.compile(r'(?:^| )waiver_reason=("[^"]*"|\S+)'),
}


@dataclass(frozen=True)
class Waiver:
    """One accepted exception, with the file and line it was written on."""

    check: str
    resource: str
    owner: str
    reason: str
    expires: dt.date
    destination: str | None = None
    file: str = "waivers.yaml"
    line: int | None = None

    @property
    def source(self) -> str:
        """`waivers.yaml:7`: the file's name (not its folder, so outputs do not depend on where a bundle sits)."""
        name = Path(self.file).name
        return f"{name}:{self.line}" if self.line else name

    @property
    def label(self) -> str:
        """`HA203 PRD-1/NIM` (and `-> DR-1` with a destination): a stable name for the waiver."""
        return f"{self.check} {self.resource}" + (f" -> {self.destination}" if self.destination else "")

    @property
    def system(self) -> str | None:
        """The system the waiver names, when it names exactly one (no glob)."""
        first = self.resource.split("/", 1)[0]
        return first if first and not _GLOB_CHARS.search(first) else None

    def expired(self, at: pd.Timestamp, zone: Any) -> bool:
        """True once the audit time, read in the plan's zone, is past the `expires` day."""
        return at.tz_convert(zone).date() > self.expires

    def matches(self, findings: pd.DataFrame) -> pd.Series:
        """Boolean mask of the findings this waiver covers (check, resource path, destination)."""
        if findings.empty:
            return pd.Series(False, index=findings.index, dtype=bool)
        parts = self.resource.split("/", 2)
        parts += ["*"] * (3 - len(parts))
        keep = findings["check_id"].eq(self.check)
        for column, pattern in zip(("system", "partition", "resource"), parts, strict=True):
            keep &= _glob(findings[column], pattern or "")
        if self.destination is not None:
            keep &= _glob(findings["destination"], self.destination)
        return keep.fillna(False).astype(bool)


def _glob(values: pd.Series, pattern: str) -> pd.Series:
    if pattern == "*":
        return pd.Series(True, index=values.index, dtype=bool)
    regex = re.compile(translate(pattern))
    return values.fillna("").astype("str").map(lambda v: regex.match(v) is not None).astype(bool)


# --------------------------------------------------------------------------- reading waivers.yaml


def load_waivers(path: str | Path) -> tuple[Waiver, ...]:
    """Read a waivers file; the first problem raises PlanError naming file, key and line."""
    return waivers_from(load_located(path))


def waivers_from_text(text: str, file: str = "waivers.yaml") -> tuple[Waiver, ...]:
    return waivers_from(parse_located(text, file))


def bundle_waivers(bundle: str | Path) -> tuple[Waiver, ...]:
    """The waivers a bundle carries (`waivers.yaml` at its root), or none."""
    root = Path(bundle)
    for name in WAIVER_NAMES:
        candidate = root / name if root.is_dir() else root.parent / name
        if candidate.is_file():
            return load_waivers(candidate)
    return ()


def waivers_from(doc: Located) -> tuple[Waiver, ...]:
    data = doc.data
    if data in ({}, None):
        return ()
    if not isinstance(data, dict):
        raise doc.error("", "expected a mapping with a 'waivers' list")
    for key in data:
        if key != "waivers":
            raise doc.error(str(key), "unknown key (allowed: waivers)")
    entries = data.get("waivers") or []
    if not isinstance(entries, list):
        raise doc.error("waivers", "expected a list of waivers (each starting with '- check: HA...')")
    out: list[Waiver] = []
    seen: dict[tuple[str, str, str | None], int | None] = {}
    for i, entry in enumerate(entries):
        waiver = _waiver(doc, f"waivers[{i}]", entry)
        key = (waiver.check, waiver.resource, waiver.destination)
        if key in seen:
            raise doc.error(f"waivers[{i}]", f"same check, resource and destination as the waiver on line {seen[key]}")
        seen[key] = waiver.line
        out.append(waiver)
    return tuple(out)


def _waiver(doc: Located, where: str, entry: Any) -> Waiver:
    if not isinstance(entry, dict):
        raise doc.error(where, "expected a mapping (check, resource, owner, reason, expires)")
    for key in entry:
        if key not in WAIVER_KEYS:
            raise doc.error(f"{where}.{key}", f"unknown key (allowed: {', '.join(sorted(WAIVER_KEYS))})")
    for key in ("check", "resource", "owner", "reason", "expires"):
        if entry.get(key) in (None, ""):
            raise doc.error(f"{where}.{key}" if key in entry else where, f"'{key}' is required")
    check = str(entry["check"]).strip().upper()
    if not _CHECK_RE.match(check):
        raise doc.error(f"{where}.check", f"{entry['check']!r} is not a check ID (e.g. HA203)")
    if check in UNWAIVABLE:
        raise doc.error(f"{where}.check", f"{check} reports on waivers themselves and cannot be waived")
    text = {k: _text(doc, f"{where}.{k}", entry.get(k)) for k in ("resource", "owner", "reason", "destination")}
    for key in ("resource", "owner", "reason"):
        if not text[key]:  # only blanks
            raise doc.error(f"{where}.{key}", f"'{key}' is required")
    if text["resource"].startswith("/"):
        raise doc.error(f"{where}.resource", "expected SYSTEM[/PARTITION[/RESOURCE]] (use * for 'any')")
    return Waiver(check, text["resource"], text["owner"], text["reason"],
                  _date(doc, f"{where}.expires", entry["expires"]), text["destination"] or None,
                  file=doc.file, line=doc.lines.get(where))


def _text(doc: Located, where: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise doc.error(where, "expected text")
    return " ".join(str(value).split())


def _date(doc: Located, where: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise doc.error(where, "give a date (YYYY-MM-DD): a waiver holds through the whole day")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise doc.error(where, f"{value!r} is not a date (use YYYY-MM-DD, e.g. 2027-03-31)") from None


def check_ids_known(waivers: tuple[Waiver, ...], known: set[str] | frozenset[str]) -> None:
    """A waiver naming a check that does not exist is a typo: one error naming its line."""
    for w in waivers:
        if w.check not in known:
            raise PlanError(f"check {w.check}: no such check (see docs/checks.md)", file=w.file, line=w.line)


# --------------------------------------------------------------------------- reading the marks back


def waiver_columns(findings: pd.DataFrame) -> pd.DataFrame:
    """`waived_by`, `waived_until`, `waiver_reason` parsed back from the findings' evidence (NA when active)."""
    evidence = findings["evidence"].fillna("").astype("str") if len(findings) else pd.Series([], dtype="str")
    out = {}
    for name, regex in _EVIDENCE_RE.items():
        value = evidence.str.extract(regex, expand=False)
        out[name] = value.str.strip('"').astype("str")
    return pd.DataFrame(out, index=findings.index)


def waiver_text(findings: pd.DataFrame) -> pd.Series:
    """`j.kowalski until 2027-03-31: reason` per waived finding, empty for active ones (tables)."""
    cols = waiver_columns(findings)
    text = cols["waived_by"] + " until " + cols["waived_until"] + ": " + cols["waiver_reason"]
    return text.fillna("").astype("str")
