"""LPM prerequisites on virtual I/O: served by a VIOS, networks bridged on the destination, whole shared LUNs.

The HMC says which partition serves each client adapter and which VLANs the trunk adapters
carry; the VIOS captures say what backs each virtual disk (LUN, logical volume, file), how each
hdisk reserves, and which LUNs (by UDID) each VIOS sees. A destination's VIOS must bridge every
VLAN of the partition and see every LUN behind its virtual SCSI disks; disks must be whole LUNs
that no VIOS reserves. Missing VIOS captures make these rules `unknown`, not silent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hatoolkit.analysis import vios as vio
from hatoolkit.analysis.mobility_data import (
    MobilityData,
    blocker_rows,
    empty_blockers,
    in_set,
    lpar_listed,
    uncaptured,
)

RESERVING = frozenset({"single_path", "pr_exclusive"})


def _concat(*parts: pd.DataFrame) -> pd.DataFrame:
    frames = [p for p in parts if p is not None and not p.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty_blockers()


def _movers(d: MobilityData) -> pd.DataFrame:
    return d.movers.loc[d.movers["mode"].notna(), ["system", "lpar_id", "partition", "mode", "lpar_env"]]


def _ibmi_hosts(d: MobilityData) -> pd.DataFrame:
    """IBM i partitions that host others: serve vSCSI, or own physical or HEA network ports."""
    p = d.inv.partitions
    ibmi = p.loc[p["lpar_env"] == "os400", ["system", "lpar_id", "name"]]
    vs = d.inv.virtual_scsi
    serving = vs.loc[vs["adapter_type"] == "server", ["system", "lpar_id"]]
    owners = pd.concat([serving, d.inv.io_slots[["system", "lpar_id"]].dropna(),
                        d.inv.hea_ports[["system", "lpar_id"]].dropna()], ignore_index=True).drop_duplicates()
    return ibmi.merge(owners.astype({"lpar_id": "Int64"}), on=["system", "lpar_id"])


def ibmi_hosted(d: MobilityData) -> pd.DataFrame:
    """Virtual disks or LANs served by an IBM i hosting partition instead of a VIOS (the host stays behind)."""
    m = _movers(d)
    p = d.inv.partitions[["system", "lpar_id", "name", "lpar_env"]].rename(
        columns={"lpar_id": "remote_lpar_id", "name": "host", "lpar_env": "host_env"})
    vs = d.inv.virtual_scsi
    clients = vs.loc[vs["adapter_type"] == "client", ["system", "lpar_id", "slot_num", "remote_lpar_id", "remote_lpar_name"]]
    links = m.merge(clients, on=["system", "lpar_id"]).merge(p, on=["system", "remote_lpar_id"], how="left")
    disk = links[links["host_env"] == "os400"]
    unk = links[links["remote_lpar_id"].isna() | links["host_env"].isna()]
    host = disk["host"].astype("str")
    parts = [
        _no_vscsi_listing(d),
        blocker_rows(disk, resource=disk["system"] + "/" + host,
                     message="virtual disks served by IBM i partition " + host + " (client slot "
                     + disk["slot_num"].astype("str") + "), not by a VIOS",
                     evidence="remote_lpar_id=" + disk["remote_lpar_id"].astype("str") + " remote_lpar_name=" + host
                     + " lpar_env=os400",
                     fix=disk["system"] + "/" + disk["partition"] + ": serve its disks from a VIOS (NPIV or vSCSI)"),
        blocker_rows(unk, status="unknown", evidence="remote_lpar_id=" + unk["remote_lpar_id"].astype("str"),
                     message="the partition serving client vSCSI slot " + unk["slot_num"].astype("str")
                     + " is not in the inventory"),
    ]
    # Networks: a VLAN that no VIOS bridges on the source, with an IBM i host on it, is served by that host.
    cv = d.client_vlans
    mine = m.merge(cv, on=["system", "lpar_id"])
    bridged = vio.bridged_vlans(d.inv)[["system", "vswitch", "vlan_id"]].drop_duplicates().assign(bridged=True)
    mine = mine.merge(bridged, on=["system", "vswitch", "vlan_id"], how="left")
    unbridged = mine[mine["bridged"].isna()]
    hosts = _ibmi_hosts(d).rename(columns={"lpar_id": "host_id", "name": "host"})
    on_vlan = cv.rename(columns={"lpar_id": "host_id"}).merge(hosts, on=["system", "host_id"])
    served = unbridged.merge(on_vlan[["system", "vswitch", "vlan_id", "host_id", "host"]],
                             on=["system", "vswitch", "vlan_id"])
    served = served[served["host_id"] != served["lpar_id"]].drop_duplicates(["system", "lpar_id", "vlan_id", "host_id"])
    parts.append(blocker_rows(served, resource=served["system"] + "/" + served["host"].astype("str"),
                              message="VLAN " + served["vlan_id"].astype("str") + " reaches the network only through IBM i "
                              "partition " + served["host"].astype("str") + " (no VIOS bridges it)",
                              evidence="vlan=" + served["vlan_id"].astype("str") + " vswitch=" + served["vswitch"]
                              + " host=" + served["host"].astype("str"),
                              fix=served["system"] + ": bridge VLAN " + served["vlan_id"].astype("str")
                              + " through a VIOS SEA"))
    return _concat(*parts)


def vlan(d: MobilityData) -> pd.DataFrame:
    """Every VLAN (and virtual switch) of the partition must be bridged by a VIOS on the destination."""
    c = d.movable
    veth_systems = set(d.inv.virtual_eth["system"].unique())
    listed = veth_systems & lpar_listed(d.inv)
    bad = _unbridged(d, c, listed)
    unk_dest = c[~in_set(d.systems.index, listed)[c["dst_i"].to_numpy()]]
    unk_src = c[~in_set(d.systems.index, veth_systems)[c["src_i"].to_numpy()]]
    vl = bad["vlan_id"].astype("str")
    return _concat(
        blocker_rows(bad, destination=bad["destination"], resource=bad["destination"] + "/" + bad["vswitch"] + "/" + vl,
                     message="VLAN " + vl + " (vswitch " + bad["vswitch"] + ") is not bridged by any VIOS of "
                     + bad["destination"], evidence="vlan=" + vl + " vswitch=" + bad["vswitch"],
                     fix=bad["destination"] + ": bridge VLAN " + vl + " (" + bad["vswitch"] + ") on a VIOS SEA"),
        blocker_rows(unk_dest, status="unknown", destination=unk_dest["destination"],
                     message="virtual Ethernet or partitions of " + unk_dest["destination"] + " not captured "
                     "(lshwres -r virtualio --rsubtype eth, lssyscfg -r lpar)"),
        blocker_rows(unk_src, status="unknown", destination=unk_src["destination"],
                     message="virtual Ethernet of " + unk_src["system"] + " not captured: the partition's VLANs are unknown"),
    )


def _unbridged(d: MobilityData, c: pd.DataFrame, listed: set[str]) -> pd.DataFrame:
    """One row per (cell, VLAN of the partition) that no VIOS of the destination bridges (destination captured).

    Each distinct (vswitch, VLAN) is a row of a VLAN x system table of what is bridged where, so a
    million cells cost array look-ups: the partition's VLANs in the order its adapters list them.
    """
    cv = d.client_vlans
    bridged = vio.bridged_vlans(d.inv)
    movers = pd.MultiIndex.from_arrays([d.movers["system"], d.movers["lpar_id"].astype("Int64")])
    cols = ["system", "lpar_id", "partition", "destination", "vswitch", "vlan_id"]
    if not movers.is_unique or cv.empty or c.empty:
        per = c.merge(cv[["system", "lpar_id", "vswitch", "vlan_id"]], on=["system", "lpar_id"]).drop_duplicates(
            ["system", "lpar_id", "destination", "vswitch", "vlan_id"])
        at_dest = bridged[["system", "vswitch", "vlan_id"]].drop_duplicates().rename(columns={"system": "destination"})
        per = per.merge(at_dest.assign(ok=True), on=["destination", "vswitch", "vlan_id"], how="left")
        return per[per["ok"].isna() & per["destination"].isin(listed)][cols].reset_index(drop=True)
    keys = pd.concat([cv[["vswitch", "vlan_id"]], bridged[["vswitch", "vlan_id"]]], ignore_index=True)
    # Ids in order of first appearance (as MultiIndex.factorize, without building a tuple per adapter).
    key_id = keys.groupby(["vswitch", "vlan_id"], sort=False, dropna=False).ngroup().to_numpy()
    key_values = keys.iloc[np.unique(key_id, return_index=True)[1]]
    names = d.systems.index
    table = np.zeros((len(key_values), len(names)), dtype=bool)
    b_sys = names.get_indexer(bridged["system"])
    table[key_id[len(cv):][b_sys >= 0], b_sys[b_sys >= 0]] = True
    owner = movers.get_indexer(pd.MultiIndex.from_arrays([cv["system"], cv["lpar_id"].astype("Int64")]))
    mine = pd.DataFrame({"m": owner, "k": key_id[:len(cv)]})
    mine = mine[mine["m"] >= 0].drop_duplicates()  # first mention first
    mine = mine.iloc[np.argsort(mine["m"].to_numpy(), kind="stable")]
    m_arr, k_arr = mine["m"].to_numpy(), mine["k"].to_numpy()
    # Only VLANs left unbridged on some captured system can give a row: the cells are expanded for those
    # alone (on a well-bridged estate, none), not for every VLAN of every partition.
    listed_at = in_set(names, listed)
    open_key = (~table & listed_at[None, :]).any(axis=1)
    m_arr, k_arr = m_arr[open_key[k_arr]], k_arr[open_key[k_arr]]
    counts = np.bincount(m_arr, minlength=len(movers))
    starts = np.cumsum(counts) - counts
    mi = c["mover_i"].to_numpy()
    rep = counts[mi]
    cell = np.repeat(np.arange(len(c)), rep)
    offset = np.arange(len(cell)) - np.repeat(np.cumsum(rep) - rep, rep)
    key = k_arr[starts[mi][cell] + offset]
    dst = c["dst_i"].to_numpy()[cell]
    known = listed_at[dst]
    hit = np.flatnonzero(~table[key, dst] & known)
    out = c.iloc[cell[hit]][cols[:4]].reset_index(drop=True)
    return out.assign(vswitch=pd.Series(key_values["vswitch"].array.take(key[hit]), dtype="str"),
                      vlan_id=pd.Series(key_values["vlan_id"].array.take(key[hit]), dtype="Int64"))


def _storage(d: MobilityData) -> pd.DataFrame:
    return _movers(d).merge(vio.client_storage(d.inv), on=["system", "lpar_id"])


def _no_vscsi_listing(d: MobilityData) -> pd.DataFrame:
    """Unknown rows for partitions of systems whose virtual SCSI listing is missing: their disks are unknown."""
    m = _movers(d)
    m = m[m["system"].isin(uncaptured(d.inv, "--rsubtype scsi"))]
    return blocker_rows(m, status="unknown", evidence="virtual_scsi=not captured",
                        message="virtual SCSI adapters of " + m["system"] + " not captured (lshwres -r virtualio "
                        "--rsubtype scsi): the partition's disks are unknown")


def backing(d: MobilityData) -> pd.DataFrame:
    """vSCSI disks must be whole LUNs (physical volumes), not logical volumes, files or mapped optical media."""
    s = _storage(d)
    no_data = s[~s["vios_data"]].drop_duplicates(["system", "lpar_id", "vios_lpar_id"])
    mapped = s[s["vios_data"] & s["vtd"].notna()]
    bad = mapped[mapped["backing_type"].isin(["lv", "file", "optical"])]
    unk = mapped[mapped["backing_type"].isna()]
    kind = bad["backing_type"].map({"lv": "a logical volume", "file": "a file", "optical": "virtual optical media"})
    return _concat(
        _no_vscsi_listing(d),
        blocker_rows(no_data, status="unknown", resource=no_data["system"] + "/" + no_data["vios_name"],
                     message="no lsmap -all capture for VIOS " + no_data["vios_name"] + ": backing of its vSCSI disks unknown",
                     evidence="vios=" + no_data["vios_name"]),
        blocker_rows(bad, resource=bad["system"] + "/" + bad["vios_name"] + "/" + bad["vtd"],
                     message="virtual disk " + bad["vtd"] + " on " + bad["vios_name"] + " is backed by " + kind + " ("
                     + bad["backing_device"] + "), not a whole LUN",
                     evidence="vtd=" + bad["vtd"] + " backing_device=" + bad["backing_device"] + " backing_type="
                     + bad["backing_type"],
                     fix=bad["system"] + "/" + bad["partition"] + bad["backing_type"].map(
                         {"optical": ": unload the virtual optical media from "}).fillna(": move ") + bad["vtd"]
                     + bad["backing_type"].map({"optical": ""}).fillna(" onto a whole SAN LUN")),
        blocker_rows(unk, status="unknown", resource=unk["system"] + "/" + unk["vios_name"] + "/" + unk["vtd"],
                     message="backing device of " + unk["vtd"] + " on " + unk["vios_name"] + " not captured (truncated lsmap?)",
                     evidence="vtd=" + unk["vtd"] + " backing_device=unknown"),
    )


def reserve(d: MobilityData) -> pd.DataFrame:
    """No VIOS may reserve a LUN behind a client disk (reserve_policy no_reserve or PR_shared)."""
    s = _storage(d)
    pv = s[s["vios_data"] & (s["backing_type"] == "pv")]
    policy = pv["reserve_policy"].str.lower()
    bad, unk = pv[policy.isin(RESERVING)], pv[policy.isna()]
    return _concat(
        _no_vscsi_listing(d),
        blocker_rows(bad, resource=bad["system"] + "/" + bad["vios_name"] + "/" + bad["backing_device"],
                     message=bad["backing_device"] + " on " + bad["vios_name"] + " (behind " + bad["vtd"]
                     + ") has reserve_policy=" + bad["reserve_policy"],
                     evidence="hdisk=" + bad["backing_device"] + " reserve_policy=" + bad["reserve_policy"],
                     fix=bad["system"] + "/" + bad["vios_name"] + "/" + bad["backing_device"] + ": set reserve_policy=no_reserve"),
        blocker_rows(unk, status="unknown", resource=unk["system"] + "/" + unk["vios_name"] + "/" + unk["backing_device"],
                     message="reserve_policy of " + unk["backing_device"] + " on " + unk["vios_name"] + " not captured",
                     evidence="hdisk=" + unk["backing_device"] + " reserve_policy=unknown"),
    )


def lun_visibility(d: MobilityData) -> pd.DataFrame:
    """Every LUN behind the partition's vSCSI disks must be visible (by UDID, not reserved) to a destination VIOS."""
    s = _storage(d)
    pv = s[s["vios_data"] & (s["backing_type"] == "pv")]
    no_udid = pv[pv["udid"].isna()]
    luns = pv.dropna(subset=["udid"]).drop_duplicates(["system", "lpar_id", "udid"])
    c = d.movable
    # Only the cells of partitions with a LUN take part in the merge (a fleet's million cells are not hashed).
    with_luns = pd.MultiIndex.from_frame(d.movers[["system", "lpar_id"]]).isin(
        pd.MultiIndex.from_frame(luns[["system", "lpar_id"]]))
    c = c[with_luns[c["mover_i"].to_numpy()]] if len(with_luns) else c
    per = c.merge(luns[["system", "lpar_id", "udid", "backing_device", "vios_name"]], on=["system", "lpar_id"])
    vios_ids = vio.vios_ids(d.inv)[["system", "lpar_id"]].rename(columns={"lpar_id": "vios_lpar_id"})
    disks = d.inv.disks.merge(vios_ids, on=["system", "vios_lpar_id"])
    seen = set(disks["system"].unique())
    usable = disks.assign(free=~disks["reserve_policy"].str.lower().isin(RESERVING))
    vis = usable.groupby(["system", "udid"])["free"].agg(["any", "size"]).reset_index().rename(
        columns={"system": "destination", "any": "free_any", "size": "copies"})
    per = per.merge(vis, on=["destination", "udid"], how="left")
    known = per["destination"].isin(seen)
    no_vios = ~known & per["destination"].isin(lpar_listed(d.inv)) \
        & ~per["destination"].isin(set(vios_ids["system"].unique()))
    missing = per[known & per["copies"].isna()]
    reserved = per[known & per["copies"].notna() & ~per["free_any"].fillna(False).astype(bool)]
    unk = per[~known & ~no_vios].drop_duplicates(["system", "lpar_id", "destination"])
    none = per[no_vios].drop_duplicates(["system", "lpar_id", "destination"])
    short = "…" + missing["udid"].str[-22:]
    return _concat(
        _no_vscsi_listing(d),
        blocker_rows(missing, destination=missing["destination"], resource=missing["destination"] + "/" + short,
                     message="LUN of " + missing["backing_device"] + " on " + missing["vios_name"]
                     + " is not visible to any VIOS of " + missing["destination"],
                     evidence="udid=" + missing["udid"],
                     fix=missing["destination"] + ": zone and map LUN " + short + " to its VIOS"),
        blocker_rows(reserved, destination=reserved["destination"], resource=reserved["destination"] + "/" + reserved["udid"],
                     message="LUN of " + reserved["backing_device"] + " is visible on " + reserved["destination"]
                     + " only with a reserving reserve_policy", evidence="udid=" + reserved["udid"],
                     fix=reserved["destination"] + ": set reserve_policy=no_reserve on LUN …" + reserved["udid"].str[-22:]),
        blocker_rows(none, destination=none["destination"], resource=none["destination"],
                     message=none["destination"] + " has no VIOS to serve the partition's virtual SCSI disks",
                     evidence="vios=none", fix=None),
        blocker_rows(unk, status="unknown", destination=unk["destination"],
                     message="disks seen by the VIOS of " + unk["destination"] + " not captured (chkdev / lsdev -attr)"),
        blocker_rows(no_udid, status="unknown", resource=no_udid["system"] + "/" + no_udid["vios_name"] + "/"
                     + no_udid["backing_device"],
                     message="UDID of " + no_udid["backing_device"] + " on " + no_udid["vios_name"]
                     + " not captured (chkdev or lsdev -attr unique_id): its visibility elsewhere is unknown",
                     evidence="hdisk=" + no_udid["backing_device"] + " udid=unknown"),
    )
