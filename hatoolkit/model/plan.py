"""The Plan: the analyst's intent that no export can carry (plan.yaml in a bundle).

Failover pairs and pools, which partitions are in scope and which may be shut down on a target,
the sizing policy, whether Capacity on Demand may be activated, workload classes with their RPO,
critical workloads, per-check parameters, and the audit's `as_of` time. Validated with an error
naming the key and line; a missing plan means the documented defaults (every system must
survive the loss of any one other; every running non-VIOS partition is in scope).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from hatoolkit.errors import PlanError
from hatoolkit.model.waivers import Waiver
from hatoolkit.model.yamlfile import Located, load_located, parse_located

SIZING_POLICIES = ("current", "desired", "minimum")  # entitlement policies; usage policies: see `usage_policy`
USAGE_POLICY_RE = re.compile(r"^(?:peak|p(?P<q>\d{1,2}(?:\.\d+)?))_(?P<days>\d{1,4})d$")
USAGE_POLICY_HELP = "peak_<N>d or p<NN>_<N>d, e.g. p95_30d: observed usage over the N days before as_of"
CHANGE_RATES = ("low", "medium", "high")
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$", re.I)
_UNIT = {"m": "min", "min": "min", "h": "h", "d": "D", "w": "W"}
TOP_KEYS = frozenset({"as_of", "timezone", "failover", "scope", "preemptible", "sizing", "allow_cod", "rperf",
                      "workloads", "critical", "checks", "storage"})


@dataclass(frozen=True)
class FailoverPair:
    production: str
    backup: str
    line: int | None = None


@dataclass(frozen=True)
class Pool:
    name: str
    systems: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True)
class WorkloadClass:
    name: str
    rpo: pd.Timedelta
    change: str = "low"


@dataclass(frozen=True)
class UsagePolicy:
    """Size processors by observed usage: a percentile (100 = the peak) over the `days` before as_of."""

    name: str
    percentile: float
    days: int

    @property
    def window(self) -> pd.Timedelta:
        return pd.Timedelta(days=self.days)


def usage_policy(sizing: str) -> UsagePolicy | None:
    """`p95_30d` -> UsagePolicy(95, 30); `peak_7d` -> (100, 7); an entitlement policy or nonsense -> None."""
    m = USAGE_POLICY_RE.match(str(sizing))
    if not m:
        return None
    q = float(m.group("q")) if m.group("q") else 100.0
    days = int(m.group("days"))
    if not (0 < q <= 100) or days < 1:
        return None
    return UsagePolicy(str(sizing), q, days)


def is_sizing_policy(sizing: str) -> bool:
    return sizing in SIZING_POLICIES or usage_policy(sizing) is not None


@dataclass(frozen=True, eq=False)
class Plan:
    """Analyst intent; hashable by identity so analyses can memoise per (Inventory, Plan)."""

    as_of: pd.Timestamp | None = None
    timezone: str = "UTC"
    pairs: tuple[FailoverPair, ...] = ()
    pools: tuple[Pool, ...] = ()
    include: tuple[str, ...] = ("*",)
    exclude: tuple[str, ...] = ()
    scope_inactive: bool = False  # also restart not-activated partitions of a failed system (profile-sized)
    preemptible: tuple[str, ...] = ()
    sizing: str = "current"
    allow_cod: bool = False
    rperf: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    classes: Mapping[str, WorkloadClass] = field(default_factory=lambda: MappingProxyType({}))
    assign: tuple[tuple[str, str], ...] = ()
    default_class: str | None = None
    critical: tuple[str, ...] = ()
    storage_assign: tuple[tuple[str, str], ...] = ()
    check_params: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    waivers: tuple[Waiver, ...] = ()  # waivers.yaml (model/waivers.py): not plan.yaml keys, attached by the loader
    file: str | None = None
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    # ------------------------------------------------------------------ queries

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def at(self) -> pd.Timestamp:
        """The audit time: `as_of` if given, else now (UTC)."""
        return self.as_of if self.as_of is not None else pd.Timestamp.now(tz="UTC").floor("s")

    def with_as_of(self, as_of: pd.Timestamp | str | None) -> Plan:
        """The same plan audited at another time (CLI `--as-of`)."""
        if as_of is None:
            return self
        return _replace(self, as_of=parse_timestamp(as_of, self.timezone, "as_of", None))

    def with_waivers(self, waivers: tuple[Waiver, ...]) -> Plan:
        """The same plan with these waivers (waivers.yaml of the bundle, or `--waivers FILE`)."""
        return _replace(self, waivers=tuple(waivers))

    def is_preemptible(self, system: str, partition: str) -> bool:
        return matches(self.preemptible, system, partition)

    def in_scope(self, system: str, partition: str) -> bool:
        return matches(self.include, system, partition) and not matches(self.exclude, system, partition)

    def is_critical(self, system: str, partition: str) -> bool:
        return matches(self.critical, system, partition)

    def workload_class(self, system: str, partition: str) -> WorkloadClass | None:
        for pattern, name in self.assign:
            if matches((pattern,), system, partition):
                return self.classes.get(name)
        return self.classes.get(self.default_class) if self.default_class else None

    def storage_class(self, system: str, nwsstg: str) -> WorkloadClass | None:
        """The class a `storage.assign` pattern (`SYS/NWSSTG` or `NWSSTG` glob) gives a storage space, if any."""
        for pattern, name in self.storage_assign:
            if matches((pattern,), system, nwsstg):
                return self.classes.get(name)
        return None

    def params(self, check_id: str) -> Mapping[str, Any]:
        return self.check_params.get(check_id, MappingProxyType({}))

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


def matches(patterns: tuple[str, ...] | list[str], system: str, partition: str) -> bool:
    """`SYS/PART` globs match system and partition; a pattern without '/' matches the partition anywhere."""
    for pattern in patterns:
        if "/" in pattern:
            sys_pat, _, part_pat = pattern.partition("/")
            if fnmatch.fnmatchcase(system, sys_pat) and fnmatch.fnmatchcase(partition, part_pat):
                return True
        elif fnmatch.fnmatchcase(partition, pattern):
            return True
    return False


def parse_duration(value: Any, where: str, doc: Located | None) -> pd.Timedelta:
    """`30m`, `4h`, `7d`, `2w` (or a number of hours)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return pd.Timedelta(hours=float(value))
    m = _DURATION_RE.match(str(value)) if isinstance(value, str) else None
    if not m:
        raise _err(doc, where, f"{value!r} is not a duration (use e.g. 30m, 4h, 7d, 2w)")
    return pd.Timedelta(float(m.group(1)), unit=_UNIT[m.group(2).lower()])


def parse_timestamp(value: Any, timezone: str, where: str, doc: Located | None) -> pd.Timestamp:
    """An ISO timestamp; without an offset it is read in the plan's timezone."""
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise _err(doc, where, f"{value!r} is not a timestamp (use ISO 8601, e.g. 2026-11-25T06:00:00+01:00)") from None
    if pd.isna(ts):
        raise _err(doc, where, "timestamp is empty")
    if ts.tzinfo is None:
        try:
            ts = ts.tz_localize(ZoneInfo(timezone), ambiguous="raise", nonexistent="raise")
        except ValueError:  # pandas' NonExistentTimeError / AmbiguousTimeError
            raise _err(doc, where, f"{value} does not exist or is ambiguous in {timezone} (daylight saving "
                       "change); give an explicit offset, e.g. 2026-10-25T02:30:00+01:00") from None
    return ts.tz_convert("UTC")


def _err(doc: Located | None, where: str, message: str) -> PlanError:
    return doc.error(where, message) if doc is not None else PlanError(f"{where}: {message}")


def _replace(plan: Plan, **changes: Any) -> Plan:
    data = {f: getattr(plan, f) for f in plan.__dataclass_fields__}
    data.update(changes)
    return Plan(**data)


def load_plan(path: str | Path | None) -> Plan:
    """Read plan.yaml (None or a missing default file -> defaults)."""
    if path is None:
        return Plan()
    return plan_from(load_located(path))


def plan_from_text(text: str, file: str = "plan.yaml") -> Plan:
    return plan_from(parse_located(text, file))


def _strings(doc: Located, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise doc.error(key, "expected a list of names or patterns")
    return tuple(str(v) for v in value)


def _mapping(doc: Located, key: str, value: Any, allowed: frozenset[str] | None = None) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise doc.error(key, "expected a mapping")
    if allowed is not None:
        for k in value:
            if k not in allowed:
                raise doc.error(f"{key}.{k}" if key else k, f"unknown key (allowed: {', '.join(sorted(allowed))})")
    return value


def plan_from(doc: Located) -> Plan:
    """Validate parsed YAML into a Plan; the first problem raises PlanError naming key and line."""
    top = _mapping(doc, "", doc.data, TOP_KEYS)
    timezone = str(top.get("timezone", "UTC"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise doc.error("timezone", f"unknown time zone {timezone!r} (use an IANA name, e.g. Europe/Warsaw)") from None
    as_of = parse_timestamp(top["as_of"], timezone, "as_of", doc) if top.get("as_of") is not None else None

    failover = _mapping(doc, "failover", top.get("failover"), frozenset({"pairs", "pools"}))
    pairs = []
    for i, item in enumerate(failover.get("pairs") or []):
        where = f"failover.pairs[{i}]"
        if isinstance(item, str) and "->" in item:
            prod, _, backup = item.partition("->")
            item = {"production": prod.strip(), "backup": backup.strip()}
        entry = _mapping(doc, where, item, frozenset({"production", "backup"}))
        for k in ("production", "backup"):
            if not isinstance(entry.get(k), str) or not entry[k]:
                raise doc.error(f"{where}.{k}" if k in entry else where, f"'{k}' system name is required")
        if entry["production"] == entry["backup"]:
            raise doc.error(where, "a system cannot be its own backup")
        pairs.append(FailoverPair(entry["production"], entry["backup"], doc.lines.get(where)))
    pools = []
    for i, item in enumerate(failover.get("pools") or []):
        where = f"failover.pools[{i}]"
        entry = _mapping(doc, where, item, frozenset({"name", "systems"}))
        systems = _strings(doc, f"{where}.systems", entry.get("systems"))
        if len(systems) < 2:
            raise doc.error(f"{where}.systems", "a pool needs at least two systems")
        if len(set(systems)) != len(systems):
            raise doc.error(f"{where}.systems", "a system is listed twice")
        pools.append(Pool(str(entry.get("name") or f"pool{i + 1}"), systems, doc.lines.get(where)))

    scope = _mapping(doc, "scope", top.get("scope"), frozenset({"include", "exclude", "inactive"}))
    scope_inactive = scope.get("inactive", False)
    if not isinstance(scope_inactive, bool):
        raise doc.error("scope.inactive", "expected true or false")
    sizing = str(top.get("sizing", "current"))
    if not is_sizing_policy(sizing):
        raise doc.error("sizing", f"{sizing!r} is not a sizing policy (one of: {', '.join(SIZING_POLICIES)}; or "
                        f"{USAGE_POLICY_HELP})")
    allow_cod = top.get("allow_cod", False)
    if not isinstance(allow_cod, bool):
        raise doc.error("allow_cod", "expected true or false")

    rperf = {}
    for model, value in _mapping(doc, "rperf", top.get("rperf")).items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise doc.error(f"rperf.{model}", "expected a positive number (relative per-core performance)")
        rperf[str(model)] = float(value)

    workloads = _mapping(doc, "workloads", top.get("workloads"), frozenset({"classes", "assign", "default"}))
    classes = {}
    for name, spec in _mapping(doc, "workloads.classes", workloads.get("classes")).items():
        where = f"workloads.classes.{name}"
        entry = _mapping(doc, where, spec, frozenset({"rpo", "change"}))
        if "rpo" not in entry:
            raise doc.error(where, "'rpo' is required (e.g. rpo: 4h)")
        change = str(entry.get("change", "low"))
        if change not in CHANGE_RATES:
            raise doc.error(f"{where}.change", f"{change!r} is not one of: {', '.join(CHANGE_RATES)}")
        classes[str(name)] = WorkloadClass(str(name), parse_duration(entry["rpo"], f"{where}.rpo", doc), change)
    assign = []
    for pattern, name in _mapping(doc, "workloads.assign", workloads.get("assign")).items():
        if str(name) not in classes:
            raise doc.error(f"workloads.assign.{pattern}", f"unknown workload class {name!r}")
        assign.append((str(pattern), str(name)))
    default = workloads.get("default")
    if default is not None and str(default) not in classes:
        raise doc.error("workloads.default", f"unknown workload class {default!r}")

    storage = _mapping(doc, "storage", top.get("storage"), frozenset({"assign"}))
    storage_assign = []
    for pattern, name in _mapping(doc, "storage.assign", storage.get("assign")).items():
        if str(name) not in classes:
            raise doc.error(f"storage.assign.{pattern}", f"unknown workload class {name!r}")
        storage_assign.append((str(pattern), str(name)))

    checks = {}
    for check_id, params in _mapping(doc, "checks", top.get("checks")).items():
        if not re.match(r"^HA\d{3}$", str(check_id)):
            raise doc.error(f"checks.{check_id}", "expected a check ID such as HA301")
        checks[str(check_id)] = MappingProxyType(_mapping(doc, f"checks.{check_id}", params))

    return Plan(
        as_of=as_of,
        timezone=timezone,
        pairs=tuple(pairs),
        pools=tuple(pools),
        include=_strings(doc, "scope.include", scope.get("include")) or ("*",),
        exclude=_strings(doc, "scope.exclude", scope.get("exclude")),
        scope_inactive=scope_inactive,
        preemptible=_strings(doc, "preemptible", top.get("preemptible")),
        sizing=sizing,
        allow_cod=allow_cod,
        rperf=MappingProxyType(rperf),
        classes=MappingProxyType(classes),
        assign=tuple(assign),
        default_class=str(default) if default is not None else None,
        critical=_strings(doc, "critical", top.get("critical")),
        storage_assign=tuple(storage_assign),
        check_params=MappingProxyType(checks),
        file=doc.file,
        lines=MappingProxyType(dict(doc.lines)),
    )


def bundle_plan(bundle: str | Path) -> Plan:
    """The plan a bundle carries (`plan.yaml` at its root), or the defaults."""
    root = Path(bundle)
    for name in ("plan.yaml", "plan.yml"):
        candidate = root / name if root.is_dir() else root.parent / name
        if candidate.is_file():
            return load_plan(candidate)
    return Plan()
