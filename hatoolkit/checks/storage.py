"""HA5xx (storage): disks that one hosting partition, one path or one copy stands between.

Guest disks are judged on the dependency graph of analysis.topology (mirror halves, MPIO paths
through two VIOS, NPIV adapters); mirrored IBM i units on the guest's own disk-unit export
(analysis.ibmi_storage); VIOS disks on lspath and reserve_policy; storage spaces on the ASP
export and, for SAV/RST copies, on analysis.backups (not recomputed here). A reserve_policy that
HA213 already reports for a partition's live mobility is not reported again.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from hatoolkit.analysis import ibmi_storage, topology
from hatoolkit.analysis import vios as vio
from hatoolkit.analysis.backups import backup_status
from hatoolkit.analysis.mobility import blockers
from hatoolkit.checks._records import findings
from hatoolkit.checks.registry import Outcome, check, evidence, outcome
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan
from hatoolkit.model.rows import row_tuples

HOST_KINDS = frozenset({"vios", "ibmi_host"})
RESERVING = frozenset({"single_path", "pr_exclusive"})
BAD_PATHS = frozenset({"failed", "missing", "disabled", "defined"})


@check("HA501", Severity.HIGH, lane="topology",
       remediation="Serve the disk through a second hosting partition: map the same LUN through the second VIOS "
                   "(MPIO, reserve_policy=no_reserve), or mirror the IBM i unit with one served by another host.")
def disk_single_host(inv: Inventory, plan: Plan) -> Outcome:
    """A guest disk is served through one hosting partition only (or through none that works).

    Rebooting or losing that VIOS or IBM i host removes the disk from the guest: for an IBM i
    guest a missing unit stops the system, for AIX or Linux a missing rootvg or data disk hangs
    it. (Mirroring inside an AIX or Linux guest, which no export shows, is not seen here.)
    """
    topo = topology.topology(inv, plan)
    disks = topo.needs[topo.needs["kind"] == "disk"]
    info: dict[str, dict[str, object]] = {}

    def host_of(comps: tuple[str, ...]) -> list[str]:
        found = []
        for c in comps:
            meta = info.get(c)
            if meta is None:
                meta = info[c] = topo.component_info(c)
            if meta["kind"] in HOST_KINDS:
                found.append(str(meta["label"]))
        return found

    per: dict[tuple[str, str, str, str], list[str]] = {}
    missing: dict[tuple[str, str, str, str], set[str]] = {}
    out: list[dict[str, Any]] = []
    for r in row_tuples(disks):
        if r.status == "spof":
            for h in host_of(r.certain):
                per.setdefault((r.system, r.partition, h, "fail"), []).append(r.label)
        elif r.status == "unknown":
            for h in host_of(r.possible):
                per.setdefault((r.system, r.partition, h, "unknown"), []).append(r.label)
                missing.setdefault((r.system, r.partition, h, "unknown"), set()).update(r.unknown)
        elif r.status == "no_path":
            out.append({"system": r.system, "partition": r.partition, "resource": r.label, "status": "fail",
                        "severity": "critical", "evidence": evidence(disk=r.label, paths=0),
                        "message": f"{r.label} of {r.partition} has no working path to its storage"})
    for (system, partition, host, status), labels in sorted(per.items()):
        what = ", ".join(sorted(labels))
        out.append({"system": system, "partition": partition, "resource": host, "status": status,
                    "evidence": evidence(host=host, disks=tuple(sorted(labels)),
                                         **({"missing": tuple(sorted(missing[(system, partition, host, status)]))}
                                            if status == "unknown" else {})),
                    "message": (f"{len(labels)} disk(s) of {partition} reach storage only through {host}: {what}"
                                if status == "fail" else f"{len(labels)} disk(s) of {partition} may depend on {host} "
                                f"alone ({what}); the other path is not captured")})
    return outcome(len(disks), findings(out))


@check("HA502", Severity.HIGH,
       remediation="Re-create the mirrored pair so its two halves are served by two different hosting partitions "
                   "(one storage space or LUN through each host or VIOS), then resume mirroring.")
def mirror_same_host(inv: Inventory, plan: Plan) -> Outcome:
    """Both halves of a mirrored IBM i disk unit are served by the same hosting partition.

    Guest mirroring across hosts is how an IBM i guest survives the loss of one VIOS or IBM i
    host; a pair whose halves come through one host is mirrored against disk failure only, and
    that host remains a single point of failure for the whole guest.
    """
    pairs = ibmi_storage.mirror_pairs(inv)
    out: list[dict[str, Any]] = []
    for r in row_tuples(pairs):
        where = {"system": r.system, "partition": r.partition, "resource": f"ASP {r.asp_number} unit {r.unit_number}"}
        ev = evidence(asp=r.asp_number, unit=r.unit_number, halves=r.halves,
                      servers=tuple(s or "?" for s in r.servers), mirrored_unit_status=r.statuses)
        if len(r.halves) < 2:
            out.append({**where, "status": "fail", "evidence": ev,
                        "message": f"unit {r.unit_number} of {r.partition} is mirrored but only one half is present"})
        elif not r.resolved:
            out.append({**where, "status": "unknown", "evidence": ev,
                        "message": f"which partition serves each half of unit {r.unit_number} of {r.partition} is not "
                                   "known (location code or HMC virtual adapter missing)"})
        elif r.distinct_servers < 2:
            out.append({**where, "status": "fail", "evidence": ev,
                        "message": f"both halves of unit {r.unit_number} of {r.partition} are served by {r.servers[0]}"})
    return outcome(len(pairs), findings(out))


@check("HA503", Severity.HIGH,
       remediation="Restore the failed path (cable, SFP, zoning, cfgdev) or add a second path through another FC "
                   "port and fabric; check with lspath -dev hdiskN.")
def disk_paths_single(inv: Inventory, plan: Plan) -> Outcome:
    """A VIOS disk behind a guest disk has one working path, or failed paths.

    The VIOS reaches the LUN through MPIO paths (one per FC port and target); with a single
    enabled path a port, cable, SFP or fabric failure cuts the disk on that VIOS, and a failed
    path means the redundancy is already gone.
    """
    cs = vio.client_storage(inv)
    backing = cs[cs["vios_data"] & (cs["backing_type"] == "pv") & cs["backing_device"].notna()]
    backing = backing.drop_duplicates(["system", "vios_lpar_id", "backing_device"])
    paths = inv.disk_paths
    with_data = set(zip(paths["system"], paths["vios_lpar_id"].astype("int64"), strict=True))
    groups = {k: g for k, g in paths.groupby(["system", "vios_lpar_id", "hdisk"], sort=False)}
    out: list[dict[str, Any]] = []
    blind: dict[tuple[str, str], int] = {}
    for r in row_tuples(backing):
        key = (r.system, int(r.vios_lpar_id))
        if key not in with_data:
            blind[(r.system, str(r.vios_name))] = blind.get((r.system, str(r.vios_name)), 0) + 1
            continue
        where = {"system": r.system, "partition": r.vios_name, "resource": f"{r.system}/{r.vios_name}/{r.backing_device}"}
        grp = groups.get((r.system, r.vios_lpar_id, r.backing_device))
        if grp is None:
            out.append({**where, "status": "unknown", "evidence": evidence(hdisk=r.backing_device, paths=None),
                        "message": f"no MPIO paths listed for {r.backing_device} on {r.vios_name}"})
            continue
        status = grp["status"].fillna("").str.lower()
        enabled = grp[status == "enabled"]
        bad = grp[status.isin(BAD_PATHS)]
        ev = evidence(hdisk=r.backing_device, paths=tuple(grp["parent"] + ":" + grp["status"].fillna("?")))
        if not bad.empty:
            out.append({**where, "status": "fail", "evidence": ev,
                        "message": f"{r.backing_device} on {r.vios_name} has {len(bad)} path(s) "
                                   f"{'/'.join(sorted(set(bad['status'].str.lower())))} "
                                   f"({', '.join(bad['parent'])}); {len(enabled)} enabled"})
        elif enabled["parent"].nunique() < 2:
            out.append({**where, "status": "fail", "evidence": ev,
                        "message": f"{r.backing_device} on {r.vios_name} has "
                                   f"{'no enabled path' if enabled.empty else 'enabled paths through one port only'}"})
    for (system, name), n in sorted(blind.items()):
        out.append({"system": system, "partition": name, "resource": f"{system}/{name}", "status": "unknown",
                    "evidence": evidence(vios=name, lspath=None, disks=n),
                    "message": f"MPIO paths of {n} disk(s) behind guest disks on {name} not captured (lspath)"})
    return outcome(len(backing), findings(out))


@lru_cache(maxsize=8)
def reported(inv: Inventory, plan: Plan) -> frozenset[tuple[str, int, str]]:
    """(system, lpar_id, resource) of the reservations HA213 reports (LPM blockers, rule reserve)."""
    b = blockers(inv, plan)
    fail = b[(b["rule"] == "reserve") & (b["status"] == "fail")]
    return frozenset(zip(fail["system"], fail["lpar_id"].astype("int64"), fail["resource"], strict=True))


@check("HA504", Severity.HIGH,
       remediation="Set reserve_policy=no_reserve on the hdisk on every VIOS that sees the LUN "
                   "(chdev -dev hdiskN -attr reserve_policy=no_reserve -perm), then map it through both VIOS.")
def reserve_blocks_dual_vios(inv: Inventory, plan: Plan) -> Outcome:
    """A LUN behind a guest disk is zoned to both VIOS but one of them reserves it.

    Dual-VIOS MPIO needs every VIOS to open the LUN; a SCSI reservation (single_path, PR_exclusive)
    by one VIOS blocks the other, so the second path either was never mapped or fails on first use.
    (Reservations HA213 reports for a partition's mobility are not repeated here.)
    """
    cs = vio.client_storage(inv)
    luns = cs[cs["vios_data"] & (cs["backing_type"] == "pv") & cs["udid"].notna()][["system", "lpar_id", "udid"]]
    luns = luns.drop_duplicates()
    vs = inv.virtual_scsi
    servers = vs[(vs["adapter_type"] == "client")].dropna(subset=["remote_lpar_id"])
    vios = vio.vios_ids(inv)
    names = {(r.system, int(r.lpar_id)): r.name for r in row_tuples(vios)}
    serving: dict[tuple[str, int], set[int]] = {}
    for r in row_tuples(servers):
        if (r.system, int(r.remote_lpar_id)) in names:
            serving.setdefault((r.system, int(r.lpar_id)), set()).add(int(r.remote_lpar_id))
    disks = {}
    for d in row_tuples(inv.disks):
        if isinstance(d.udid, str):
            disks.setdefault((d.system, int(d.vios_lpar_id), d.udid), d)
    with_data = {(d.system, int(d.vios_lpar_id)) for d in row_tuples(inv.disks)}
    parts = {(r.system, int(r.lpar_id)): r.name for r in row_tuples(inv.partitions)}
    out: list[dict[str, Any]] = []
    evaluated = 0
    for r in row_tuples(luns):
        mine = sorted(serving.get((r.system, int(r.lpar_id)), set()))
        if len(mine) < 2:
            continue
        evaluated += 1
        guest = parts.get((r.system, int(r.lpar_id)))
        for v in mine:
            d = disks.get((r.system, v, r.udid))
            name = names[(r.system, v)]
            if (r.system, v) not in with_data:
                out.append({"system": r.system, "partition": guest, "resource": f"{r.system}/{name}", "status": "unknown",
                            "evidence": evidence(udid=r.udid, vios=name, reserve_policy=None),
                            "message": f"disks of {name} not captured (lsdev -attr, chkdev): whether it can open the LUN "
                                       f"of {guest} is unknown"})
                continue
            if d is None:
                continue  # not zoned to this VIOS: single-VIOS storage, which HA501 reports
            resource = f"{r.system}/{name}/{d.hdisk}"
            policy = d.reserve_policy.lower() if isinstance(d.reserve_policy, str) else None
            if policy in RESERVING and (r.system, int(r.lpar_id), resource) not in reported(inv, plan):
                mapped = bool(((cs["system"] == r.system) & (cs["lpar_id"] == r.lpar_id) & (cs["vios_lpar_id"] == v)
                               & (cs["udid"] == r.udid)).any())
                out.append({"system": r.system, "partition": guest, "resource": resource, "status": "fail",
                            "evidence": evidence(hdisk=d.hdisk, udid=r.udid, reserve_policy=d.reserve_policy,
                                                 mapped=mapped),
                            "message": f"{d.hdisk} on {name} (LUN of {guest}) has reserve_policy={d.reserve_policy}"
                                       + ("" if mapped else ": the LUN is zoned to this VIOS but mapped only through the "
                                                            "other, so the guest has one path")})
            elif policy is None:
                out.append({"system": r.system, "partition": guest, "resource": resource, "status": "unknown",
                            "evidence": evidence(hdisk=d.hdisk, reserve_policy=None),
                            "message": f"reserve_policy of {d.hdisk} on {name} not captured"})
    return outcome(evaluated, findings(out))


@check("HA505", Severity.HIGH,
       remediation="Resume the ASP session and let it resynchronise (CHGASPSSN ... OPTION(*RESUME)); keep the mirror "
                   "copy on a partition of another physical system (a geographic mirror in one server protects "
                   "nothing against the loss of that server).")
def iasp_geomirror(inv: Inventory, plan: Plan) -> Outcome:
    """Storage spaces sit in an IASP whose geographic mirror is out of sync or on the same system.

    Geographic mirroring copies the IASP holding the storage spaces to another node; a suspended
    or resynchronising session leaves the copy behind (failover loses the changes since), and a
    copy on a partition of the same physical system is lost together with the original.
    """
    sp = ibmi_storage.space_protection(inv)
    in_iasp = sp[sp["aspdev"].notna() & (sp["geo_role"].fillna("") != "MIRROR")]
    out: list[dict[str, Any]] = []
    evaluated = 0
    for r in row_tuples(in_iasp):
        where = {"system": r.system, "partition": r.host, "resource": r.nwsstg}
        if not r.asp_exported:
            evaluated += 1
            out.append({**where, "status": "unknown", "evidence": evidence(aspdev=r.aspdev, asps=None),
                        "message": f"{r.nwsstg} is in IASP {r.aspdev}, but {r.host} exported no ASP list: its "
                                   "geographic mirroring is unknown"})
            continue
        if not isinstance(r.geo_session, str):
            continue
        evaluated += 1
        ev = evidence(aspdev=r.aspdev, session=r.geo_session, session_state=r.geo_session_state,
                      synchronization_status=r.geo_sync_status, mirror_copy_node=r.copy_node,
                      mirror_copy_system=r.copy_system)
        if r.in_sync is not pd.NA and pd.notna(r.in_sync) and not bool(r.in_sync):
            out.append({**where, "status": "fail", "evidence": ev,
                        "message": f"geographic mirroring of IASP {r.aspdev} (holding {r.nwsstg}) is not in sync: "
                                   f"session {r.geo_session} {str(r.geo_session_state or r.geo_sync_status).lower()}"})
        elif pd.isna(r.in_sync):
            out.append({**where, "status": "unknown", "evidence": ev,
                        "message": f"synchronisation status of the geographic mirror of {r.aspdev} is not exported"})
        if pd.notna(r.same_system) and bool(r.same_system):
            out.append({**where, "status": "fail", "evidence": ev,
                        "message": f"the geographic mirror copy of IASP {r.aspdev} (holding {r.nwsstg}) is on the same "
                                   f"physical system {r.system}"})
        elif pd.isna(r.same_system):
            out.append({**where, "status": "unknown", "evidence": ev,
                        "message": f"the system holding the mirror copy of {r.aspdev} (node {r.copy_node or '?'}) is "
                                   "not known: export the copy node too, or MIRROR_COPY_SERIAL_NUMBER"})
    return outcome(evaluated, findings(out))


@check("HA506", Severity.CRITICAL,
       remediation="Give the storage space at least one copy: mirror its guest unit with one served by another host, "
                   "put it in a geographically mirrored IASP, or save it (HATKSAV) and restore it on the backup.")
def space_unprotected(inv: Inventory, plan: Plan) -> Outcome:
    """A production storage space is protected by nothing at all: no mirror, no replication, no saved copy.

    If the production system or its IBM i host is lost, or the storage space is damaged, the
    virtual disk is gone for good: no mirror half, no geographic-mirror copy, no SAV copy on media
    or restored on the backup.
    """
    st = backup_status(inv, plan)
    sp = ibmi_storage.space_protection(inv).rename(columns={"host": "host_"})
    merged = st.merge(sp[["system", "host_", "nwsstg", "guest_mirrored", "geo_session", "asp_exported"]],
                      left_on=["system", "host", "nwsstg"], right_on=["system", "host_", "nwsstg"], how="left")
    out: list[dict[str, Any]] = []
    for r in row_tuples(merged):
        saved = pd.NA if pd.isna(r.saves) else (int(r.saves) > 0 or pd.notna(r.copy_saved_at))
        if pd.notna(r.copy_saved_at):
            saved = True
        if isinstance(r.aspdev, str):
            geo = True if isinstance(r.geo_session, str) else (False if r.asp_exported is True else pd.NA)
        else:
            geo = False
        mirrored = r.guest_mirrored if r.guest_mirrored is not None else pd.NA
        facts = {"saved": saved, "geographic_mirror": geo, "guest_mirrored": mirrored}
        if any(v is True or (v is not pd.NA and pd.notna(v) and bool(v)) for v in facts.values()):
            continue
        known = all(v is not pd.NA and pd.notna(v) for v in facts.values())
        ev = evidence(saves=r.saves, geographic_mirror=geo if geo is not pd.NA else None,
                      guest_mirrored=mirrored if mirrored is not pd.NA and pd.notna(mirrored) else None, aspdev=r.aspdev)
        where = {"system": r.system, "partition": r.host, "resource": r.nwsstg}
        if known:
            out.append({**where, "status": "fail", "evidence": ev,
                        "message": f"{r.nwsstg} (of {r.guest or '?'}) has no mirror, no geographic mirror and no saved "
                                   "copy"})
        else:
            gaps = [k for k, v in facts.items() if v is pd.NA or pd.isna(v)]
            out.append({**where, "status": "unknown", "evidence": ev,
                        "message": f"whether {r.nwsstg} has any copy is unknown: {', '.join(gaps)} not exported"})
    return outcome(len(merged), findings(out))
