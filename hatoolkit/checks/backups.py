"""HA3xx: backup staleness of SAV/RST copies of IBM i storage spaces (analysis.backups does the work).

Each check reads `backup_status` (one row per production storage space) and asks one question of
it. Where the data for the question is missing (no save log exported, no IBM i export from the
backup, no RPO in the plan) the row is `unknown`, naming what is missing: a production IBM i
host without exports is never a pass.
"""

from __future__ import annotations

import pandas as pd

from hatoolkit.analysis.backups import SAVE_WHILE_ACTIVE_RELEASE, backup_of, backup_status, ibmi_hosts
from hatoolkit.checks.registry import Outcome, check, outcome, rows
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan


def _ts(series: pd.Series, plan: Plan) -> pd.Series:
    """Timestamps as ISO text in the plan's zone (offset shown), `unknown` when missing."""
    local = series.dt.tz_convert(plan.zone)
    return local.map(lambda t: t.isoformat(timespec="minutes") if pd.notna(t) else "unknown").astype("str")


def age_text(value: pd.Timedelta) -> str:
    """`1d8h`, `38d5h`, `3h20m`, `unknown`."""
    if pd.isna(value):
        return "unknown"
    minutes = int(value / pd.Timedelta(minutes=1))
    sign, minutes = ("-", -minutes) if minutes < 0 else ("", minutes)
    d, rest = divmod(minutes, 1440)
    h, m = divmod(rest, 60)
    parts = [f"{d}d" if d else "", f"{h}h" if h else "", f"{m}m" if m else ""]
    return sign + ("".join(parts) or "0m")


def _ages(series: pd.Series) -> pd.Series:
    return series.map(age_text).astype("str")


def _dest(st: pd.DataFrame) -> pd.Series:
    return (st["backup_system"] + "/" + st["backup_host"]).where(st["backup_host"].notna(), st["backup_system"]).astype("str")


def _missing_hosts(inv: Inventory, plan: Plan, needed: tuple[str, ...]) -> pd.DataFrame:
    """Unknown rows: production IBM i hosts whose exports lack a needed kind; IBM i systems in no pair."""
    hosts = ibmi_hosts(inv, plan)
    lacking = hosts[hosts["exports"].map(lambda e: not set(needed) <= set(e or ())).astype(bool)]
    msg = lacking.apply(lambda r: f"no IBM i {', '.join(k for k in needed if k not in (r['exports'] or ()))} "
                        f"export for hosting partition {r['partition']}; its storage spaces cannot be judged", axis=1)
    out = [rows(lacking, system=lacking["system"], partition=lacking["partition"], resource=None,
                destination=lacking["backup_system"], status="unknown", message=msg.astype("str") if len(lacking)
                else pd.Series([], dtype="str"), evidence="exports=" + lacking["exports"].map(
                    lambda e: ",".join(e) if e else "none").astype("str"))]
    paired = set(backup_of(plan)) | {p.backup for p in plan.pairs}
    spaces = inv.storage_spaces
    orphan = spaces[~spaces["system"].isin(paired)].drop_duplicates(["system", "partition"])
    if not orphan.empty:
        out.append(rows(orphan, system=orphan["system"], partition=orphan["partition"], status="unknown",
                        message="system " + orphan["system"] + " has IBM i storage spaces but is in no failover pair "
                        "(plan.yaml failover.pairs): production or backup is unknown",
                        evidence="failover.pairs=" + (",".join(f"{p.production}->{p.backup}" for p in plan.pairs)
                                                      or "none")))
    return pd.concat(out, ignore_index=True) if out else rows(pd.DataFrame(index=pd.RangeIndex(0)))


def _space_rows(st: pd.DataFrame, **kw: object) -> pd.DataFrame:
    return rows(st, system=st["system"], partition=st["host"], resource=st["nwsstg"], **kw)


@check("HA301", Severity.HIGH,
       remediation="Add the storage space to the SAV job (HATKSAV) that copies its guest's other storage spaces, "
                   "then restore it on the backup (HATKRST) and link it to the guest's NWSD there.")
def never_saved(inv: Inventory, plan: Plan) -> Outcome:
    """A production storage space has never been saved.

    No copy of this virtual disk exists anywhere: if the production system is lost, the guest
    cannot be started on the backup, or starts without one of its disks (often a journal or
    data ASP, which IBM i then reports as missing units).
    """
    st = backup_status(inv, plan)
    fail = st[st["has_save_history"] & st["saves"].eq(0)]
    unknown = st[~st["has_save_history"]]
    return outcome(len(st), _missing_hosts(inv, plan, ("storage_spaces",)),
                   _space_rows(fail, destination=_dest(fail), message="storage space " + fail["nwsstg"]
                               + " of " + fail["guest"].fillna("?") + " has no successful SAV in the save log",
                               evidence="saves=0 data_changed_at=" + _ts(fail["data_changed_at"], plan)),
                   _space_rows(unknown, status="unknown", message="no save log exported from " + unknown["host"]
                               + ": whether " + unknown["nwsstg"] + " was ever saved is unknown",
                               evidence="save_history=missing"))


@check("HA302", Severity.HIGH,
       remediation="Restore the latest save on the backup host (HATKRST, renaming if needed) and link it to the "
                   "guest's NWSD; schedule the restore right after each save.")
def never_restored(inv: Inventory, plan: Plan) -> Outcome:
    """A storage space is saved on production but no copy was ever restored on the backup.

    The saves sit on media or in a save file; until a copy is restored and linked on the backup,
    a failover first needs a restore of the whole virtual disk, which for large spaces takes
    hours and may exceed the recovery time objective.
    """
    st = backup_status(inv, plan)
    saved = st[st["saves"].fillna(0).gt(0)]
    fail = saved[saved["has_backup_history"] & saved["restores"].eq(0)]
    unknown = saved[~saved["has_backup_history"]]
    return outcome(len(saved), _missing_hosts(inv, plan, ("storage_spaces", "save_history")),
                   _space_rows(fail, destination=fail["backup_system"], message="storage space " + fail["nwsstg"]
                               + " is saved on production but was never restored on " + fail["backup_system"],
                               evidence="saves=" + fail["saves"].astype("str") + " last_save_at="
                               + _ts(fail["last_save_at"], plan) + " restores=0"),
                   _space_rows(unknown, destination=unknown["backup_system"], status="unknown",
                               message="no restore log exported from an IBM i host on " + unknown["backup_system"]
                               + ": whether " + unknown["nwsstg"] + " was restored there is unknown",
                               evidence="backup_save_history=missing"))


@check("HA303", Severity.HIGH,
       remediation="Save and restore the storage space more often than its RPO (or the oldest copy will always "
                   "be too old); if that is not possible, protect it by geographic mirroring of its IASP.")
def copy_older_than_rpo(inv: Inventory, plan: Plan, *, high_ratio: float = 2.0, critical_ratio: float = 4.0) -> Outcome:
    """The backup copy of a storage space is older than its workload's RPO.

    After a failover the guest resumes from the save point of the copy on the backup: everything
    written since is lost. A copy older than the RPO loses more than the business accepted;
    severity grows with how far past (medium up to 2x the RPO, high up to 4x, critical beyond).
    """
    st = backup_status(inv, plan)
    copied = st[st["copy_saved_at"].notna()]
    judged = copied[copied["rpo"].notna()]
    fail = judged[judged["copy_age"] > judged["rpo"]]
    ratio = fail["age_rpo_ratio"].astype("float64")
    severity = pd.Series("medium", index=fail.index).mask(ratio > high_ratio, "high").mask(ratio > critical_ratio,
                                                                                             "critical")
    no_rpo = copied[copied["rpo"].isna()]
    no_copy = st[st["copy_saved_at"].isna() & st["saves"].fillna(0).gt(0) & ~st["has_backup_history"]]
    return outcome(len(copied) + len(no_copy), _missing_hosts(inv, plan, ("storage_spaces", "save_history")),
                   _space_rows(fail, destination=_dest(fail), severity=severity,
                               message="backup copy of " + fail["nwsstg"] + " is " + _ages(fail["copy_age"])
                               + " old, RPO " + _ages(fail["rpo"]) + " (" + fail["workload_class"] + ")",
                               evidence="copy_saved_at=" + _ts(fail["copy_saved_at"], plan) + " copy_restored_at="
                               + _ts(fail["copy_restored_at"], plan) + " age=" + _ages(fail["copy_age"]) + " rpo="
                               + _ages(fail["rpo"]) + " breached_at=" + _ts(fail["breach_at"], plan) + " as_of="
                               + _ts(fail["as_of"], plan)),
                   _space_rows(no_rpo, destination=_dest(no_rpo), status="unknown",
                               message="no workload class gives " + no_rpo["nwsstg"] + " an RPO (plan.yaml workloads)",
                               evidence="copy_age=" + _ages(no_rpo["copy_age"])),
                   _space_rows(no_copy, destination=no_copy["backup_system"], status="unknown",
                               message="age of the backup copy of " + no_copy["nwsstg"] + " is unknown: no restore "
                               "log from " + no_copy["backup_system"], evidence="backup_save_history=missing"))


@check("HA304", Severity.MEDIUM,
       remediation="Take a new save and restore it on the backup; for guests that never stop changing, SAV/RST "
                   "only bounds the loss to the copy interval: size that interval to the RPO.")
def changed_since_copy(inv: Inventory, plan: Plan) -> Outcome:
    """Production data of a storage space changed after the save point of the copy on the backup.

    The disk image changed after the copy that reached the backup was taken, so a failover now
    loses those changes. (A guest that is running always shows this; the finding then says how
    much of its data is exposed and since when.)
    """
    st = backup_status(inv, plan)
    copied = st[st["copy_saved_at"].notna()]
    fail = copied[copied["changed_since_copy"].fillna(False).astype(bool)]
    unknown = copied[copied["changed_since_copy"].isna()]
    exposed = fail["data_changed_at"] - fail["copy_saved_at"]
    return outcome(len(copied), _missing_hosts(inv, plan, ("storage_spaces", "save_history")),
                   _space_rows(fail, destination=_dest(fail), message=fail["nwsstg"] + " changed on production "
                               + _ages(exposed) + " after the save point of its backup copy",
                               evidence="data_changed_at=" + _ts(fail["data_changed_at"], plan) + " copy_saved_at="
                               + _ts(fail["copy_saved_at"], plan) + " size_mb=" + fail["size_mb"].astype("str")),
                   _space_rows(unknown, destination=_dest(unknown), status="unknown",
                               message="last change of " + unknown["nwsstg"] + " on production is not in the export",
                               evidence="DATA_CHANGE_TIMESTAMP=missing"))


@check("HA305", Severity.MEDIUM,
       remediation="Restore the newest save on the backup (HATKRST) and automate the restore after every save.")
def restore_lagging(inv: Inventory, plan: Plan) -> Outcome:
    """The copy restored on the backup is not the latest save (restore is lagging).

    A newer save exists on media but was not restored: the backup holds an older copy than the
    protection scheme intends, and a failover loses the changes between the two saves unless
    someone first restores the newer save by hand.
    """
    st = backup_status(inv, plan)
    judged = st[st["copy_is_latest"].notna()]
    fail = judged[~judged["copy_is_latest"].astype(bool)]
    return outcome(len(judged), _missing_hosts(inv, plan, ("storage_spaces", "save_history")),
                   _space_rows(fail, destination=_dest(fail), message="backup restored the save of "
                               + _ts(fail["copy_saved_at"], plan) + " of " + fail["nwsstg"] + ", not the latest ("
                               + _ts(fail["last_save_at"], plan) + ")",
                               evidence="copy_saved_at=" + _ts(fail["copy_saved_at"], plan) + " last_save_at="
                               + _ts(fail["last_save_at"], plan) + " unrestored_saves="
                               + fail["unrestored_saves"].astype("str") + " lag="
                               + _ages(fail["last_save_at"] - fail["copy_saved_at"])))


@check("HA306", Severity.HIGH,
       remediation="Restore the storage space on the backup host and link it to the guest's NWSD with the same "
                   "drive sequence number as on production (ADDNWSSTGL ... DRVSEQNBR(n)).")
def backup_space_unusable(inv: Inventory, plan: Plan) -> Outcome:
    """A storage space is missing on the backup, or not linked to the guest's NWSD there.

    The guest on the backup boots from the storage spaces linked to its NWSD, in drive sequence
    order (drive 1 is the IBM i load source). A copy that is absent, unlinked, or linked at
    another drive number does not come up as the guest's disk.
    """
    st = backup_status(inv, plan)
    judged = st[st["backup_space_present"].notna()]
    missing = judged[~judged["backup_space_present"].astype(bool)]
    present = judged[judged["backup_space_present"].astype(bool)]
    unlinked = present[~present["backup_linked"].fillna(False).astype(bool)]
    linked = present[present["backup_linked"].fillna(False).astype(bool)]
    moved = linked[linked["backup_drvseqnbr"].ne(linked["drvseqnbr"]).fillna(False).astype(bool)]
    unknown = st[st["backup_space_present"].isna()]
    ev = "backup_nwsstg=" + st["backup_nwsstg"] + " backup_nwsd=" + st["backup_nwsd"].fillna("none")
    return outcome(len(st), _missing_hosts(inv, plan, ("storage_spaces",)),
                   _space_rows(missing, destination=_dest(missing).where(missing["backup_host"].notna(),
                                                                          missing["backup_system"]),
                               message="storage space " + missing["backup_nwsstg"] + " does not exist on "
                               + missing["backup_system"], evidence=ev[missing.index]),
                   _space_rows(unlinked, destination=unlinked["backup_system"],
                               message=unlinked["backup_nwsstg"] + " exists on " + unlinked["backup_system"]
                               + " but is not linked to the NWSD serving " + unlinked["guest"].fillna("its guest"),
                               evidence=ev[unlinked.index]),
                   _space_rows(moved, destination=moved["backup_system"],
                               message=moved["backup_nwsstg"] + " is linked at drive " + moved["backup_drvseqnbr"]
                               .astype("str") + " on the backup, drive " + moved["drvseqnbr"].astype("str")
                               + " on production", evidence=ev[moved.index] + " DRVSEQNBR=" + moved["drvseqnbr"]
                               .astype("str") + " backup_DRVSEQNBR=" + moved["backup_drvseqnbr"].astype("str")),
                   _space_rows(unknown, destination=unknown["backup_system"], status="unknown",
                               message="no storage space export from an IBM i host on " + unknown["backup_system"],
                               evidence="backup_storage_spaces=missing"))


@check("HA307", Severity.HIGH,
       remediation="Define the guest on the backup system: an LPAR with a vSCSI client adapter to the backup "
                   "host, and an NWSD on the backup host (CRTNWSD TYPE(*GUEST) PARTITION(name)) serving it.")
def guest_not_defined_on_backup(inv: Inventory, plan: Plan) -> Outcome:
    """The guest's NWSD or LPAR is not defined on the backup system.

    Restored storage spaces are only disks: the backup needs the guest partition itself (HMC)
    and a network server description on its IBM i host that serves that partition. Without
    both, a failover starts with creating them under pressure.
    """
    st = backup_status(inv, plan)
    guests = st[st["guest"].notna()].drop_duplicates(["system", "host", "guest"])
    no_nwsd = guests[guests["backup_nwsd_present"].eq(False).fillna(False).astype(bool)]
    no_lpar = guests[guests["backup_lpar_present"].eq(False).fillna(False).astype(bool)]
    unknown = guests[guests["backup_nwsd_present"].isna() | guests["backup_lpar_present"].isna()]
    what = unknown["backup_lpar_present"].isna().map({True: "HMC partitions", False: ""}).astype("str")
    what = what.where(~unknown["backup_nwsd_present"].isna(), what.where(what == "", what + " and ") + "IBM i NWSD export")
    return outcome(len(guests), _missing_hosts(inv, plan, ("storage_spaces", "nwsds")),
                   rows(no_lpar, system=no_lpar["system"], partition=no_lpar["guest"], resource=no_lpar["nwsd"],
                        destination=no_lpar["backup_system"], message="guest LPAR " + no_lpar["guest"]
                        + " is not defined on " + no_lpar["backup_system"],
                        evidence="lpar=" + no_lpar["guest"] + " backup_system=" + no_lpar["backup_system"]
                        + " backup_nwsd=" + no_lpar["backup_nwsd"].fillna("none")),
                   rows(no_nwsd, system=no_nwsd["system"], partition=no_nwsd["guest"], resource=no_nwsd["nwsd"],
                        destination=no_nwsd["backup_system"], message="no NWSD on " + no_nwsd["backup_system"]
                        + " serves " + no_nwsd["guest"], evidence="nwsd=" + no_nwsd["nwsd"] + " PARTITION="
                        + no_nwsd["guest"]),
                   rows(unknown, system=unknown["system"], partition=unknown["guest"], resource=unknown["nwsd"],
                        destination=unknown["backup_system"], status="unknown",
                        message="whether " + unknown["guest"] + " is defined on " + unknown["backup_system"]
                        + " is unknown: no " + what, evidence="backup_system=" + unknown["backup_system"]))


@check("HA308", Severity.MEDIUM,
       remediation="Upgrade the hosting partition to IBM i 6.1 or later and save with SAVACT(*SYNC) "
                   "SAVACTOPT(*NWSSTG); until then schedule the guest's shutdown for every copy.")
def host_cannot_save_active(inv: Inventory, plan: Plan) -> Outcome:
    """The hosting partition's release cannot save storage spaces while the guest runs (below IBM i 6.1).

    Save-while-active of storage spaces (SAV SAVACTOPT(*NWSSTG)) needs IBM i 6.1 on the host;
    below it every copy needs the guest shut down and its NWSD varied off, so copies are rare
    and the RPO is bounded by how often downtime can be had.
    """
    hosts = ibmi_hosts(inv, plan)
    known = hosts[hosts["os_version"].notna() & hosts["os_release"].notna()]
    rel = list(zip(known["os_version"].astype(int), known["os_release"].astype(int), strict=True))
    low = known[pd.Series([r < SAVE_WHILE_ACTIVE_RELEASE for r in rel], index=known.index, dtype=bool)]
    unknown = hosts[hosts["os_version"].isna() | hosts["os_release"].isna()]
    release = low["os_version"].astype("str") + "." + low["os_release"].astype("str")
    return outcome(len(hosts),
                   rows(low, system=low["system"], partition=low["partition"], destination=low["backup_system"],
                        message="host runs IBM i " + release + ": storage spaces can only be saved with the guest "
                        "shut down", evidence="release=" + release + " from=" + low["release_from"]
                        + " minimum_for_SAVACTOPT(*NWSSTG)=6.1"),
                   rows(unknown, system=unknown["system"], partition=unknown["partition"], status="unknown",
                        message="release of hosting partition " + unknown["partition"] + " is unknown",
                        evidence="os_version=unknown"))


@check("HA309", Severity.MEDIUM,
       remediation="Protect high-change workloads by replication, not copies: geographic mirroring of the IASP "
                   "holding the storage spaces, or guest-side mirroring/replication to the backup.")
def high_change_on_sav_rst(inv: Inventory, plan: Plan) -> Outcome:
    """SAV/RST copies protect a storage space whose workload class changes a lot.

    A copy is a point in time: for high-change workloads every hour between copies is lost work,
    and a copy of a large busy disk takes long enough that the RPO cannot be met by SAV/RST at all.
    """
    st = backup_status(inv, plan)
    fail = st[st["change"] == "high"]
    unknown = st[st["change"].isna()]
    return outcome(len(st), _missing_hosts(inv, plan, ("storage_spaces",)),
                   _space_rows(fail, destination=fail["backup_system"], message=fail["nwsstg"] + " ("
                               + fail["workload_class"] + ", high change, RPO " + _ages(fail["rpo"])
                               + ") is protected only by SAV/RST copies",
                               evidence="class=" + fail["workload_class"] + " change=high rpo=" + _ages(fail["rpo"])
                               + " size_mb=" + fail["size_mb"].astype("str") + " last_save_at="
                               + _ts(fail["last_save_at"], plan)),
                   _space_rows(unknown, destination=unknown["backup_system"], status="unknown",
                               message="no workload class for " + unknown["nwsstg"] + " (plan.yaml workloads)",
                               evidence="class=unknown"))
