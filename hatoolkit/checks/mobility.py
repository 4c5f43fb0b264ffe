"""HA2xx (systems and partition configuration): why a partition cannot move live to a destination.

Each check reports one LPM prerequisite from analysis.mobility (the readiness matrix is built from
the same rules, so the heatmap and the findings never disagree). `system` is the source,
`destination` the target (empty when the blocker holds for every destination), `status=unknown`
names the data that was missing. VIOS partitions are not candidates. Virtual I/O prerequisites
are in mobility_io.py. Destination capacity (HA219) uses analysis.capacity's arithmetic.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from hatoolkit.analysis.mobility import rule_blockers
from hatoolkit.analysis.mobility_data import prepare
from hatoolkit.checks.registry import Outcome, check, outcome, rows
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan


def rule_outcome(inv: Inventory, plan: Plan, rule: str, *, per_destination: bool) -> Outcome:
    """Findings of one mobility rule; evaluated = partition x destination cells, or partitions.

    A partition blocked for the same reason (same evidence) on several destinations is one
    finding whose `destination` lists them (`;`-joined, as capacity findings do): on a large
    estate without a plan, every other system on the HMC is a candidate, and one row per pair
    would bury the reader under thousands of identical lines. The readiness matrix keeps the
    per-pair detail.
    """
    data = prepare(inv, plan)
    b = rule_blockers(inv, plan)[rule]
    evaluated = len(data.cells) if per_destination else len(data.movers)
    missing = b["resource"].isna().to_numpy(bool)
    if missing.any():  # named after the partition, built only for the rows without a resource
        b = b.assign(resource=b["resource"].fillna(b["system"][missing] + "/" + b["partition"][missing]))
    b = _merge_destinations(b)
    return outcome(evaluated, rows(b, system=b["system"], partition=b["partition"], resource=b["resource"],
                                   destination=b["destination"], status=b["status"], message=b["message"],
                                   evidence=b["evidence"]))


def _merge_destinations(b: pd.DataFrame) -> pd.DataFrame:
    """One row per (partition, resource, status, evidence): destinations sorted and `;`-joined, and the
    first row's message naming the others ("DR-1 (and PRD-2)", or "(and 12 other destinations)")."""
    if b.empty or b["destination"].isna().all():
        return b
    key = ["system", "partition", "resource", "status", "evidence"]
    gid = b.groupby(key, dropna=False, sort=False).ngroup().to_numpy()
    size = np.bincount(gid)[gid]
    many = size > 1
    if not many.any():
        return b
    first_seen = ~pd.Series(gid).duplicated().to_numpy()
    first = b.iloc[np.flatnonzero(many & first_seen)]  # groups in order of first appearance
    # Sorted unique destinations of each group: integer sort on (group, sorted destination code).
    code, names = pd.factorize(b["destination"], sort=True)
    g, c = gid[many], code[many]
    keep = c >= 0
    g, c = g[keep], c[keep]
    order = np.lexsort((c, g))
    g, c = g[order], c[order]
    new = np.r_[True, (g[1:] != g[:-1]) | (c[1:] != c[:-1])] if len(g) else np.zeros(0, dtype=bool)
    g, c = g[new], c[new]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else g
    ends = np.r_[starts[1:], len(g)].astype(np.int64)
    span = dict(zip(g[starts].tolist(), zip(starts.tolist(), ends.tolist(), strict=True), strict=True))
    labels = np.asarray(names, dtype=object)
    # Many groups share one set of destinations (a partition short on the same peers as its neighbours):
    # each distinct set is joined once.
    joins: dict[bytes, tuple[str, list[str]]] = {}
    messages, joined = [], []
    for x, m, d in zip(gid[many & first_seen].tolist(), first["message"].tolist(), first["destination"].tolist(),
                       strict=True):
        a, z = span.get(x, (0, 0))
        key = c[a:z].tobytes()
        if key not in joins:
            dests = labels[c[a:z]].tolist()
            joins[key] = (";".join(dests), dests)
        text, dests = joins[key]
        joined.append(text)
        if not isinstance(d, str):
            messages.append(str(m))
            continue
        messages.append(_replace_first(str(m), d, _listing(d, dests)))
    merged = first.assign(destination=pd.Series(joined, index=first.index, dtype="str"),
                          message=pd.Series(messages, index=first.index, dtype="str"))
    merged = pd.concat([b[~many], merged], ignore_index=True)
    return merged.astype({c: "str" for c in ("system", "partition", "resource", "destination", "status",
                                            "message", "evidence") if c in merged.columns})


def _listing(first: str, dests: list[str]) -> str:
    """What replaces the first mention of `first` in a merged message: it and every other destination."""
    n_others = len(dests) - (first in dests)  # destinations are distinct: `first` is there at most once
    if n_others > 3:
        return f"{first} (and {n_others} other destinations)"
    return f"{first} (and {', '.join(d for d in dests if d != first)})"


_NAME_CHAR = re.compile(r"[\w-]")


def _replace_first(message: str, name: str, text: str) -> str:
    """`_mention(name).sub(text, message, count=1)`, with a plain search first: the name's first occurrence is
    nearly always a whole word, and then it is the regex's first match too."""
    at = message.find(name) if name else -1
    if at < 0:
        return _mention(name).sub(lambda _: text, message, count=1) if not name else message
    end = at + len(name)
    if (at == 0 or not _NAME_CHAR.match(message, at - 1)) and (end == len(message) or not _NAME_CHAR.match(message, end)):
        return message[:at] + text + message[end:]
    return _mention(name).sub(lambda _: text, message, count=1)


@functools.lru_cache(maxsize=4096)
def _mention(name: str) -> re.Pattern[str]:
    """The name as a whole word (names hold `-`): `DR-1` is not found inside `DR-10`."""
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


@check("HA201", Severity.HIGH,
       remediation="Activate PowerVM Enterprise Edition (LPM) on both systems, power them on, and move partitions "
                   "only between processor generations IBM supports (Power10 takes POWER8 or later; POWER9 takes "
                   "POWER7+ or later).")
def lpm_system_not_capable(inv: Inventory, plan: Plan) -> Outcome:
    """Source or destination system is not capable of this mobility, or the generation pair is unsupported.

    Active mobility needs `active_lpar_mobility_capable=1` on both systems (inactive mobility
    `inactive_lpar_mobility_capable=1`), which a missing PowerVM Enterprise Edition key or a
    powered-off system (`unavailable`) denies; and IBM supports LPM only between neighbouring
    processor generations. No configuration change on the partition can work around either.
    """
    return rule_outcome(inv, plan, "system_capability", per_destination=True)


@check("HA202", Severity.MEDIUM,
       remediation="Clear migration_disabled, bring the partition to Running or shut it down, and remove it "
                   "from any workload group before a live move.")
def lpm_partition_state(inv: Inventory, plan: Plan) -> Outcome:
    """Partition is excluded from mobility, in a state that cannot migrate, or in a workload group.

    The HMC refuses to migrate a partition marked `migration_disabled`, one that is neither
    running nor shut down (Error, Starting, Not Available ...), and for active moves one that
    belongs to a partition workload group.
    """
    return rule_outcome(inv, plan, "partition_state", per_destination=False)


@check("HA203", Severity.HIGH,
       remediation="Move the partition's physical adapters to a VIOS and serve the partition through virtual "
                   "SCSI/NPIV and virtual Ethernet (remove them by DLPAR before the move if they are spare).")
def lpm_physical_io(inv: Inventory, plan: Plan) -> Outcome:
    """Partition owns physical I/O adapters, so it cannot move live.

    Live partition mobility moves only virtual adapters: a physical adapter stays in its slot on
    the source, so the HMC refuses active migration while the partition owns one (and inactive
    migration while the profile requires one). Such partitions need a cold, manual failover.
    """
    return rule_outcome(inv, plan, "physical_io", per_destination=False)


@check("HA204", Severity.HIGH,
       remediation="Replace Host Ethernet Adapter (IVE) logical ports by virtual Ethernet bridged by a VIOS SEA "
                   "(or SR-IOV through vNIC) and remove the LHEA ports from the profile.")
def lpm_hea_ports(inv: Inventory, plan: Plan) -> Outcome:
    """Partition uses Host Ethernet Adapter (IVE) logical ports, which cannot move.

    An LHEA logical port is a slice of a physical adapter in the source system; the HMC does
    not migrate partitions that have one configured.
    """
    return rule_outcome(inv, plan, "hea", per_destination=False)


@check("HA206", Severity.HIGH,
       remediation="Set msp=1 on at least one VIOS of each system (chsyscfg -r lpar -m SYS -i "
                   "\"name=<vios>,msp=1\"), keep it running with RMC active; set it on both VIOS for redundancy.")
def lpm_no_mover_service_partition(inv: Inventory, plan: Plan) -> Outcome:
    """No running mover service partition (VIOS with msp=1, RMC active) on the source or destination.

    Active migration copies the partition's memory between the two systems' mover service
    partitions over the network; without one on either side the HMC cannot start it. A system
    without any VIOS can never be the source or target of an active move.
    """
    return rule_outcome(inv, plan, "msp", per_destination=True)


@check("HA207", Severity.MEDIUM,
       remediation="Restore the RMC connection between the partition and the HMC (rsct daemons running, "
                   "partition network reaching the HMC, firewall), then re-validate.")
def lpm_rmc_inactive(inv: Inventory, plan: Plan) -> Outcome:
    """RMC connection of a running AIX or Linux partition is not active, so it cannot move live.

    The HMC coordinates an active migration with the operating system through RMC; with
    `rmc_state` other than `active` validation fails (IBM i partitions do not use RMC).
    """
    return rule_outcome(inv, plan, "rmc", per_destination=False)


@check("HA208", Severity.HIGH,
       remediation="Set the partition's preferred processor compatibility mode to one the destination supports "
                   "(e.g. POWER9_base for a POWER9 target) and restart it before the move.")
def lpm_compat_mode(inv: Inventory, plan: Plan) -> Outcome:
    """Processor compatibility mode of the partition is not supported on the destination.

    An active move keeps the partition's current mode, so the destination must offer it
    (`lpar_proc_compat_modes`): a partition running in POWER10 mode cannot land on a POWER9.
    An inactive move uses the preferred (profile) mode, where `default` always fits.
    """
    return rule_outcome(inv, plan, "compat_mode", per_destination=True)


@check("HA209", Severity.HIGH,
       remediation="Give both systems the same memory region (LMB) size (ASMI / system restart) or choose a "
                   "destination with the same mem_region_size.")
def lpm_lmb_mismatch(inv: Inventory, plan: Plan) -> Outcome:
    """Memory region (LMB) size differs between source and destination.

    A partition's memory is tracked in logical memory blocks of the system's region size; the
    HMC refuses mobility between systems whose `mem_region_size` differs, and changing it needs
    a system restart — so this blocks every move between the pair.
    """
    return rule_outcome(inv, plan, "lmb", per_destination=True)


@check("HA210", Severity.MEDIUM,
       remediation="Rename one of the two partitions (or remove the stale definition on the destination).")
def lpm_name_in_use(inv: Inventory, plan: Plan) -> Outcome:
    """A partition with the same name already exists on the destination.

    Partition names are unique per system, so the HMC cannot create the migrating partition on
    the destination; a stale or standby definition with the same name blocks the move.
    """
    return rule_outcome(inv, plan, "name_clash", per_destination=True)


@check("HA215", Severity.MEDIUM,
       remediation="Remove the huge pages from the partition (profile and DLPAR) or plan an inactive migration.")
def lpm_huge_pages(inv: Inventory, plan: Plan) -> Outcome:
    """Running partition has huge pages assigned, so it cannot move live.

    Huge (16 GB) pages are physical memory pinned at activation; active partition mobility is not
    possible while a partition has them (inactive migration is).
    """
    return rule_outcome(inv, plan, "huge_pages", per_destination=False)


@check("HA216", Severity.MEDIUM,
       remediation="Set bsr_arrays=0 in the profile and restart the partition, or plan an inactive migration.")
def lpm_bsr_arrays(inv: Inventory, plan: Plan) -> Outcome:
    """Partition has barrier synchronization register (BSR) arrays, so it cannot move live.

    BSR arrays are processor-resident facilities of the source system; active migration is not
    possible while a partition uses them.
    """
    return rule_outcome(inv, plan, "bsr", per_destination=False)


@check("HA217", Severity.MEDIUM,
       remediation="Set redundant_err_path_reporting=0 on the partition (and profile) and restart it.")
def lpm_redundant_error_path(inv: Inventory, plan: Plan) -> Outcome:
    """Partition reports redundant error paths, so it cannot migrate.

    A partition with redundant error path reporting enabled acts as a service partition for the
    system's hardware errors; the HMC does not migrate it.
    """
    return rule_outcome(inv, plan, "error_path", per_destination=False)


@check("HA218", Severity.MEDIUM,
       remediation="Upgrade the operating system to the LPM minimum (AIX 5.3 TL7, RHEL 5.1, SLES 10 SP1, IBM i 7.1 "
                   "TR4 on POWER7 firmware 730_087/740_088 or later) and capture os_version / firmware levels.")
def lpm_os_level(inv: Inventory, plan: Plan) -> Outcome:
    """Operating system (or, for IBM i, the firmware pair) is below the partition mobility minimum.

    Mobility needs the operating system to cooperate (suspend, resume, re-discover resources):
    releases older than the LPM minimum cannot. An OS level that cannot be read from the export
    is reported as unknown, not as a pass.
    """
    return rule_outcome(inv, plan, "os_level", per_destination=True)


@check("HA219", Severity.MEDIUM,
       remediation="Free processors or memory on the destination (stop or shrink partitions there, activate "
                   "Capacity on Demand), shrink the partition by DLPAR before the move, raise the cap of its shared "
                   "processor pool on the destination, or move it to a destination with room.")
def lpm_destination_capacity(inv: Inventory, plan: Plan) -> Outcome:
    """Destination lacks the free processors, memory or shared-pool room to take the partition.

    The HMC creates the moving partition on the destination with its current entitlement (or
    whole dedicated cores) and memory, rounded to the destination's memory block, plus the page
    table the destination's hypervisor allocates for it; without that much free, or with no room
    under a capped shared pool of the same name, validation fails. A partition not activated is
    checked at its minimum. Each move is judged alone; the evacuation plan adds them up.
    """
    return rule_outcome(inv, plan, "capacity", per_destination=True)
