"""An audit run's shared state: the Inventory, Plan, Findings and Coverage, computed once.

`hatoolkit audit` loads the bundle and runs the checks once, saves the result in the run folder
(`state.pkl`), and every notebook opens that state instead of re-parsing the bundle. The same
call works interactively: given a bundle instead of a run folder, it computes the state on the
spot, so a notebook opened in JupyterLab on a bundle behaves like the scheduled one.
"""

from __future__ import annotations

import copyreg
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan, bundle_plan, load_plan
from hatoolkit.model.waivers import bundle_waivers, load_waivers

STATE_FILE = "state.pkl"
STATE_VERSION = 1


@dataclass
class AuditRun:
    """Everything a report page needs; `extras` holds analyses computed once and shared."""

    inventory: Inventory
    plan: Plan
    findings: pd.DataFrame
    coverage: pd.DataFrame
    bundle: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def findings_for(self, family: str) -> pd.DataFrame:
        return self.findings[self.findings["family"] == family].reset_index(drop=True)


def compute_run(bundle: str | Path, plan: str | Path | Plan | None = None, as_of: str | None = None,
                *, families: Iterable[str] | None = None, waivers: str | Path | None = None) -> AuditRun:
    """Load the bundle and run every check (the expensive part, done once per audit).

    `families` limits the checks to some concerns (`hatoolkit audit --only`); `extras["areas"]` records it.
    `waivers`: a waivers file; by default the bundle's own waivers.yaml (unless `plan` already carries waivers).
    """
    from hatoolkit.checks import run_checks
    from hatoolkit.ingest import load_inventory

    if isinstance(plan, Plan):
        chosen = plan
    elif plan:
        chosen = load_plan(plan)
    else:
        chosen = bundle_plan(bundle)
    chosen = chosen.with_as_of(as_of or None)
    if waivers or not chosen.waivers:
        chosen = chosen.with_waivers(load_waivers(waivers) if waivers else bundle_waivers(bundle))
    if chosen.as_of is None:
        chosen = chosen.with_as_of(chosen.at().isoformat())
    inv = load_inventory(bundle)
    areas = tuple(families) if families else None
    findings, coverage = run_checks(inv, chosen, families=areas)
    return AuditRun(inv, chosen, findings, coverage, bundle=str(bundle), extras={"areas": areas})


def save_run(run: AuditRun, folder: str | Path) -> Path:
    path = Path(folder) / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
        # Plan keeps read-only mappings (MappingProxyType), which pickle cannot store as such.
        pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy}
        pickler.dump({"version": STATE_VERSION, "run": run})
    return path


def _reduce_proxy(proxy: MappingProxyType) -> tuple:
    return _read_only, (dict(proxy),)


def _read_only(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


def open_run(source: str | Path, plan: str | Path | None = None, as_of: str | None = None) -> AuditRun:
    """A run folder's saved state, or (for a bundle path) the state computed now.

    A saved state is read once per process and shared (the audit reuses warm kernels across
    notebooks): treat the returned run as read-only.
    """
    folder = Path(source)
    state = folder / STATE_FILE
    if state.is_file():
        stat = state.stat()
        key = (str(state.resolve()), stat.st_mtime_ns, stat.st_size)
        cached = _LOADED.get(key)
        if cached is not None:
            return cached
        with state.open("rb") as fh:
            payload = pickle.load(fh)  # written by this package, same run
        if payload.get("version") != STATE_VERSION:
            raise ValueError(f"{state}: saved by another hatoolkit version; re-run the audit")
        _LOADED.clear()
        _LOADED[key] = payload["run"]
        return payload["run"]
    return compute_run(source, plan or None, as_of or None)


_LOADED: dict[tuple[str, int, int], AuditRun] = {}
