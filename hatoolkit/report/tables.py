"""Tables shown in reports and notebooks (findings, coverage, gaps, inventory views).

Functions return DataFrames shaped for reading (columns in reading order, worst first). Those
meant to be explored are `ReportTable`s: ordinary DataFrames (every pandas operation works, and
derived frames are plain DataFrames again) whose notebook display is an interactive, sortable,
filterable table rendered by itables (DataTables) in offline mode.

Offline without bloat: itables' JavaScript bundle is ~1 MB. In JupyterLab it is emitted once
per kernel, before the first table. In an audit the runner sets `HATOOLKIT_REPORT_ASSETS`, the
kernel emits no bundle, and every report page loads the one copy shipped in the report folder
(`report/assets.py`). Cell text is HTML-escaped by itables (`allow_html` stays off), so a
partition named `<script>` is shown as text.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from hatoolkit.model.findings import FINDING_COLUMNS, sort_findings

FINDING_DISPLAY = ["severity", "status", "check_id", "system", "partition", "resource", "destination", "message",
                   "evidence", "remediation"]
REPORT_ASSETS_ENV = "HATOOLKIT_REPORT_ASSETS"
_OPTIONS_ATTR = "hatoolkit_table"
_DT_OPTIONS: dict[str, Any] = {
    "connected": False,
    "showIndex": False,
    "classes": "display compact cell-border",
    "text_in_header_can_be_selected": False,  # a click anywhere on a header sorts
    "display_logo_when_loading": False,
    "maxBytes": 8_000_000,  # keep every row of big estates (itables would down-sample past 64 kB)
    "lengthMenu": [10, 25, 50, 100, 500],
    "order": [],  # keep our order (worst first) until the reader clicks a header
}
# Controls of small tables (one page) are dropped; findings tables always keep their search box.
_LAYOUT_AUTO = {"topStart": "pageLength", "topEnd": "search", "bottomStart": "info", "bottomEnd": "paging"}
_LAYOUT_ALWAYS = {"topStart": "info", "topEnd": "search", "bottomStart": "pageLength", "bottomEnd": "paging"}
_bundle_sent = False


class ReportTable(pd.DataFrame):
    """A DataFrame that displays as an interactive table; operations on it give plain DataFrames."""

    @property
    def _constructor(self):  # derived frames are ordinary DataFrames
        return pd.DataFrame

    def _repr_html_(self) -> str:
        return interactive_html(pd.DataFrame(self), **self.attrs.get(_OPTIONS_ATTR, {}))


def interactive(frame: pd.DataFrame, *, caption: str | None = None, page_length: int = 25,
                search: bool = False) -> ReportTable:
    """`frame` displayed as a sortable, filterable table (in notebooks and in the HTML report).

    `search`: keep the search box even when every row fits on one page (findings tables do).
    """
    table = ReportTable(frame.reset_index(drop=True))
    table.attrs[_OPTIONS_ATTR] = {"caption": caption, "page_length": page_length, "search": search}
    return table


def interactive_html(frame: pd.DataFrame, *, caption: str | None = None, page_length: int = 25,
                     search: bool = False, with_bundle: bool | None = None) -> str:
    """The table's HTML: a DataTable in report pages and JupyterLab, a static preview elsewhere.

    `with_bundle`: prepend itables' offline bundle (None: once per process, unless the page ships it).
    """
    import itables

    global _bundle_sent
    shown = frame.map(_cell) if not frame.empty else frame.astype("str")
    layout = dict(_LAYOUT_ALWAYS if search else _LAYOUT_AUTO)
    html = itables.to_html_datatable(shown, caption=caption, pageLength=page_length, layout=layout, **_DT_OPTIONS)
    if with_bundle is None:
        with_bundle = not (os.environ.get(REPORT_ASSETS_ENV) or _bundle_sent)
    if not with_bundle:
        return html
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    _bundle_sent = True
    return generate_init_offline_itables_html(options.dt_bundle) + html


def display_bundle() -> None:
    """Display itables' offline bundle now (once per kernel) if tables will need it.

    For tables drawn inside an ipywidgets Output: a 1 MB output routed through a widget stalls
    nbclient (papermill) for its whole timeout, so the bundle goes out as a plain output first.
    """
    global _bundle_sent
    if _bundle_sent or os.environ.get(REPORT_ASSETS_ENV):
        return
    from IPython.display import HTML, display
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    display(HTML(generate_init_offline_itables_html(options.dt_bundle)))
    _bundle_sent = True


class Note:
    """A paragraph shown where a table would be, saying why there is none (text escaped)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        import html

        return f'<p class="ht-muted">{html.escape(self.text)}</p>'

    def __repr__(self) -> str:
        return self.text


def _cell(value: Any) -> Any:
    """Tuples as `a, b`, missing as empty: readers should not see `nan`, `<NA>` or `('a',)`."""
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return value


# --------------------------------------------------------------------------- findings and coverage


def findings_table(findings: pd.DataFrame, *, limit: int | None = None) -> ReportTable:
    """Findings worst first, in reading order (all contract columns but `family`); when any is waived,
    a `waived` column says by whom, until when and why (the marks in `evidence`, made readable)."""
    from hatoolkit.model.findings import waived
    from hatoolkit.model.waivers import waiver_text

    frame = sort_findings(findings[list(FINDING_COLUMNS)])
    marked = waived(frame) if len(frame) else pd.Series([], dtype=bool)
    if marked.any():
        frame = frame.assign(waived=waiver_text(frame).where(marked, ""))[
            [*FINDING_DISPLAY[:2], "waived", *FINDING_DISPLAY[2:]]]
    else:
        frame = frame[FINDING_DISPLAY]
    return interactive(frame.head(limit) if limit else frame, page_length=25, search=True)


def waivers_table(run: Any) -> Any:
    """Every waiver of the audit: who accepted what, why, until when, and whether it is active, expired or stale."""
    from hatoolkit.checks.inputs_waivers import waiver_status

    if not run.plan.waivers:
        return Note("No waivers: put accepted exceptions in the bundle's waivers.yaml (or pass --waivers FILE); "
                    "see docs/formats.md.")
    status = waiver_status(run.findings, run.coverage, run.plan)
    return interactive(status[["state", "check", "resource", "destination", "findings", "owner", "expires", "reason",
                               "source"]], search=True)


def coverage_table(coverage: pd.DataFrame) -> ReportTable:
    """Per check: what it evaluated, failing and unknown rows, and the error if it crashed."""
    cols = ["check_id", "family", "severity", "title", "evaluated", "failing", "unknown", "error"]
    return interactive(coverage[cols], page_length=50)


def gaps_table(gaps: pd.DataFrame) -> ReportTable:
    """Data gaps worst first, with file and line: what the audit could not see."""
    from hatoolkit.model.findings import SEVERITY_ORDER

    rank = gaps["severity"].map({s: -i for i, s in enumerate(SEVERITY_ORDER)})
    ordered = gaps.assign(_r=rank).sort_values(["_r", "system", "file", "line"], kind="mergesort",
                                               na_position="first").drop(columns="_r")
    return interactive(ordered[["severity", "code", "system", "file", "line", "command", "message"]], search=True)


def scorecard_table(findings: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """The per-concern scorecard as a small static table (see report/scorecard.py)."""
    from hatoolkit.report.scorecard import SEVERITIES_WORST_FIRST, scorecard

    card = scorecard(findings, coverage)
    cols = ["title", *SEVERITIES_WORST_FIRST, "fail", "unknown", "waived", "checks", "verdict"]
    return card[cols].rename(columns={"title": "concern"}).set_index("concern")


def run_facts(run: Any) -> pd.DataFrame:
    """What was audited: bundle, time, plan, size of the estate, files used, checks run."""
    inv, plan = run.inventory, run.plan
    used = inv.files["status"].isin(("parsed", "partial")).sum()
    facts = {
        "bundle": run.bundle or inv.root or "",
        "audit time (as_of)": plan.at().tz_convert(plan.zone).isoformat() if plan.as_of is not None else "now",
        "plan": plan.file or "defaults (no plan.yaml)",
        "managed systems": len(inv.systems),
        "partitions": len(inv.partitions),
        "files used / in bundle": f"{used} / {len(inv.files)}",
        "data gaps": len(inv.gaps),
        "checks run": len(run.coverage),
        "checks crashed": int(run.coverage["error"].notna().sum()),
        "findings": len(run.findings),
    }
    return pd.DataFrame({"value": [str(v) for v in facts.values()]}, index=pd.Index(list(facts), name="fact"))


# --------------------------------------------------------------------------- inventory views


def _gb(mb: pd.Series) -> pd.Series:
    return (mb.astype("Float64") / 1024).round(1)


def system_table(inv: Any) -> ReportTable:
    """Per managed system: model, state, partitions by kind, processor units and memory (GB) free/total."""
    parts = inv.partitions
    kinds = parts.pivot_table(index="system", columns="lpar_env", values="lpar_id", aggfunc="count", fill_value=0)
    kinds = kinds.reindex(columns=["vioserver", "os400", "aixlinux"], fill_value=0)
    running = parts[parts["state"].str.lower().eq("running")].groupby("system").size()
    s = inv.systems
    frame = pd.DataFrame({
        "system": s["system"],
        "model": s["type_model"],
        "serial": s["serial_num"],
        "state": s["state"],
        "hmc": s["hmc"],
        "partitions": s["system"].map(parts.groupby("system").size()).fillna(0).astype("Int64"),
        "running": s["system"].map(running).fillna(0).astype("Int64"),
        "vios": s["system"].map(kinds["vioserver"]).fillna(0).astype("Int64"),
        "ibm_i": s["system"].map(kinds["os400"]).fillna(0).astype("Int64"),
        "aix_linux": s["system"].map(kinds["aixlinux"]).fillna(0).astype("Int64"),
        "proc_units": s["configurable_sys_proc_units"],
        "proc_units_free": s["curr_avail_sys_proc_units"],
        "mem_gb": _gb(s["configurable_sys_mem_mb"]),
        "mem_gb_free": _gb(s["curr_avail_sys_mem_mb"]),
    })
    return interactive(frame)


def partition_table(inv: Any) -> ReportTable:
    """Every partition with what it runs and what it is given (entitled units, virtual/dedicated procs, GB)."""
    p = inv.partitions.sort_values(["system", "lpar_id"], kind="mergesort")
    frame = pd.DataFrame({
        "system": p["system"],
        "lpar_id": p["lpar_id"],
        "partition": p["name"],
        "env": p["lpar_env"],
        "state": p["state"],
        "os_version": p["os_version"],
        "proc_mode": p["curr_proc_mode"],
        "proc_units": p["curr_proc_units"],
        "procs": p["curr_procs"],
        "mem_gb": _gb(p["curr_mem_mb"]),
        "compat_mode": p["curr_lpar_proc_compat_mode"],
        "rmc": p["rmc_state"],
        "source": p["source"],
    })
    return interactive(frame, page_length=25)


def hosting_table(inv: Any) -> ReportTable:
    """Hosting partitions (VIOS, IBM i hosts) and the guests they serve virtual storage to."""
    from hatoolkit.analysis.hosting import host_summary

    return interactive(host_summary(inv))


def backup_copies_table(status: pd.DataFrame, zone: str = "UTC") -> pd.DataFrame:
    """One row per production storage space: its newest save, the copy on the backup, age against RPO."""
    cols = {"system": "system", "host": "host", "nwsstg": "storage space", "guest": "guest",
            "last_save_at": "newest save", "copy_saved_at": "copy on backup (saved)", "copy_restored_at": "restored",
            "backup_nwsstg": "name on backup", "copy_age": "copy age", "rpo": "RPO", "workload_class": "class",
            "breach_at": "breaches RPO at"}
    frame = status[list(cols)].copy()
    for col in ("last_save_at", "copy_saved_at", "copy_restored_at", "breach_at"):
        frame[col] = frame[col].dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M")
    for col in ("copy_age", "rpo"):
        frame[col] = (frame[col] / pd.Timedelta(hours=1)).round(1).map(lambda h: f"{h:g} h" if pd.notna(h) else "")
    return frame.rename(columns=cols).reset_index(drop=True)

PLACEMENT_COLUMNS = ["partition", "from", "to", "proc_mode", "pool", "proc_units_source", "proc_units_on_target",
                     "mem_gb_on_target", "rperf_scale", "sizing", "critical"]


def placement_table(placement) -> pd.DataFrame:
    """A failover placement for reading: where each partition goes (unplaced last), what it needs there."""
    if placement is None:
        return pd.DataFrame(columns=PLACEMENT_COLUMNS)
    items = placement.items
    frame = pd.DataFrame({
        "partition": items["partition"],
        "from": items["system"],
        "to": items["target"].fillna("(unplaced)"),
        "proc_mode": items["proc_mode"],
        "pool": items["pool_name"],
        "proc_units_source": items["proc_units"],
        "proc_units_on_target": items["proc_units_target"].where(items["target"].notna(), items["proc_units_min"]),
        "mem_gb_on_target": (items["mem_mb_target"].where(items["target"].notna(), items["mem_mb_min"]) / 1024).round(1),
        "rperf_scale": items["rperf_scale"],
        "sizing": items["basis"],
        "critical": items["critical"],
    })
    return frame.assign(_u=items["target"].isna()).sort_values(["_u", "to", "partition"], kind="mergesort") \
        .drop(columns="_u").reset_index(drop=True)


def headroom_table(placement) -> pd.DataFrame:
    """Per destination of a placement: supply, what the failed system's partitions took, what is left."""
    if placement is None:
        return pd.DataFrame(columns=["destination"])
    t = placement.targets
    return pd.DataFrame({
        "destination": t["target"],
        "proc_units_supply": t["proc_units_supply"],
        "proc_units_placed": t["proc_units_placed"],
        "proc_units_free": t["proc_units_free"],
        "mem_gb_supply": (pd.to_numeric(t["mem_mb_supply"], errors="coerce") / 1024).round(1),
        "mem_gb_placed": (pd.to_numeric(t["mem_mb_placed"], errors="coerce") / 1024).round(1),
        "mem_gb_free": (pd.to_numeric(t["mem_mb_free"], errors="coerce") / 1024).round(1),
        "partitions_placed": t["partitions_placed"],
        "preempted": t["preempted"],
        "rperf": t["rperf_basis"],
    })


def components_table(components: pd.DataFrame, *, limit: int | None = None) -> pd.DataFrame:
    """Components ranked by how many guests depend on them alone (analysis.topology.components)."""
    frame = components[components["n_guests"].fillna(0) > 0] if not components.empty else components
    out = pd.DataFrame({
        "component": frame["label"], "kind": frame["kind"], "system": frame["system"],
        "guests cut off": frame["n_guests"], "critical": frame["critical"].map(", ".join),
        "guests": frame["guests"].map(lambda g: ", ".join(x.split("/", 1)[-1] for x in g)),
        "what they lose": frame["needs"].map("; ".join),
    })
    out = out.reset_index(drop=True)
    return out.head(limit) if limit else out
