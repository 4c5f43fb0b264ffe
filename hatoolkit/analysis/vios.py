"""What the VIOS of each system provide to clients: bridged VLANs and the storage behind each client disk.

Joins the HMC's view (virtual adapters, trunk adapters with their priorities and VLANs) with the
VIOS's own view (SEAs and their trunk adapters, vhost -> VTD -> backing device, hdisk attributes).
Shared by the mobility checks (is VLAN 30 bridged on DR-1? is this client disk a whole LUN that
DR-1's VIOS can see?) and the network/storage redundancy checks. Absence of VIOS data is kept
visible (`basis`, `vios_data`) so a caller can answer "unknown" rather than "fine".
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from hatoolkit.model.inventory import Inventory
from hatoolkit.model.rows import row_tuples

DEFAULT_VSWITCH = "ETHERNET0"


def vios_ids(inv: Inventory) -> pd.DataFrame:
    """VIOS partitions: system, lpar_id, name, state, msp, rmc_state."""
    p = inv.partitions
    cols = ["system", "lpar_id", "name", "state", "msp", "rmc_state"]
    return p.loc[p["lpar_env"] == "vioserver", cols].reset_index(drop=True)


def _vlan_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (adapter, VLAN): the port VLAN ID and every additional (tagged) VLAN."""
    if frame.empty:
        return frame.assign(vlan_id=pd.Series([], dtype="Int64"))
    addl = frame["addl_vlan_ids"].map(lambda v: tuple(v) if isinstance(v, tuple) else ())
    vlans = [((int(p),) if pd.notna(p) else ()) + a for p, a in zip(frame["port_vlan_id"], addl, strict=True)]
    out = frame.assign(vlan_id=vlans).explode("vlan_id")
    out = out[out["vlan_id"].notna()]
    return out.assign(vlan_id=out["vlan_id"].astype("Int64"),
                      vswitch=out["vswitch"].fillna(DEFAULT_VSWITCH)).reset_index(drop=True)


@lru_cache(maxsize=8)
def trunk_bridging(inv: Inventory) -> pd.DataFrame:
    """Each VIOS trunk adapter (HMC) and whether the VIOS bridges it through an SEA.

    Columns: system, vios_lpar_id, slot_num, trunk_priority, vswitch, port_vlan_id, addl_vlan_ids, sea,
    basis — `sea` (an SEA uses it: lsmap -net, or the SEA's trunk slots), `no_sea` (VIOS data shows
    no SEA uses it: it bridges nothing) or `trunk` (no VIOS data: the HMC trunk flag is all we know).
    """
    vios = vios_ids(inv)
    veth = inv.virtual_eth.merge(vios[["system", "lpar_id"]], on=["system", "lpar_id"])
    trunks = veth[veth["is_trunk"].fillna(False).astype(bool)].rename(columns={"lpar_id": "vios_lpar_id"})
    trunks = trunks[["system", "vios_lpar_id", "slot_num", "trunk_priority", "vswitch", "port_vlan_id",
                     "addl_vlan_ids", "source"]].reset_index(drop=True)
    net = inv.vios_mappings[inv.vios_mappings["kind"] == "net"][["system", "vios_lpar_id", "slot_num", "sea"]]
    net = net.dropna(subset=["slot_num"]).drop_duplicates(["system", "vios_lpar_id", "slot_num"])
    seas = inv.seas
    sea_slot = {}
    complete: set[tuple[str, int]] = set()
    for r in seas.itertuples():
        if isinstance(r.virt_slots, tuple):
            for slot in r.virt_slots:
                sea_slot[(r.system, r.vios_lpar_id, slot)] = r.sea
    for (system, vios_id), grp in seas.groupby(["system", "vios_lpar_id"]):
        if grp["virt_slots"].map(lambda v: isinstance(v, tuple)).all():
            complete.add((system, int(vios_id)))
    net_map = {(r.system, r.vios_lpar_id, r.slot_num): r.sea for r in net.itertuples()}
    seas_out, basis = [], []
    for r in trunks.itertuples():
        key = (r.system, r.vios_lpar_id, r.slot_num)
        if key in net_map:
            sea = net_map[key]
            seas_out.append(sea if isinstance(sea, str) else None)
            basis.append("sea" if isinstance(sea, str) else "no_sea")
        elif key in sea_slot:
            seas_out.append(sea_slot[key])
            basis.append("sea")
        elif (r.system, int(r.vios_lpar_id)) in complete:
            seas_out.append(None)
            basis.append("no_sea")
        else:
            seas_out.append(None)
            basis.append("trunk")
    return trunks.assign(sea=pd.Series(seas_out, index=trunks.index, dtype="str"),
                         basis=pd.Series(basis, index=trunks.index, dtype="str"))


def sea_trunks(inv: Inventory) -> pd.DataFrame:
    """One row per SEA x trunk adapter with the SEA's settings and the trunk's HMC priority and VLANs.

    Columns: system, vios_lpar_id, sea, ha_mode, state, real_adapter, ctl_chan, slot_num, trunk_priority,
    vswitch, port_vlan_id, addl_vlan_ids — the natural input for SEA failover-pair checks.
    """
    trunks = trunk_bridging(inv)
    trunks = trunks[trunks["basis"] == "sea"].drop(columns=["basis", "source"])
    seas = inv.seas[["system", "vios_lpar_id", "sea", "ha_mode", "state", "real_adapter", "ctl_chan"]]
    return trunks.merge(seas, on=["system", "vios_lpar_id", "sea"], how="left")[
        ["system", "vios_lpar_id", "sea", "ha_mode", "state", "real_adapter", "ctl_chan", "slot_num", "trunk_priority",
         "vswitch", "port_vlan_id", "addl_vlan_ids"]].reset_index(drop=True)


@lru_cache(maxsize=8)
def bridged_vlans(inv: Inventory) -> pd.DataFrame:
    """(system, vswitch, vlan_id) bridged to the outside by a VIOS, one row per bridging VIOS/trunk.

    From HMC trunk adapters not shown to be outside every SEA, plus VLAN lists that SEA reports
    state themselves. Columns: system, vios_lpar_id, vswitch, vlan_id, trunk_priority, sea, basis.
    """
    trunks = trunk_bridging(inv)
    hmc = _vlan_rows(trunks[trunks["basis"] != "no_sea"])
    hmc = hmc[["system", "vios_lpar_id", "vswitch", "vlan_id", "trunk_priority", "sea", "basis"]]
    rows = []
    for r in inv.seas.itertuples():
        if isinstance(r.vlans, tuple):
            for vlan in r.vlans:
                rows.append({"system": r.system, "vios_lpar_id": r.vios_lpar_id,
                             "vswitch": r.vswitch if isinstance(r.vswitch, str) else DEFAULT_VSWITCH,
                             "vlan_id": vlan, "trunk_priority": r.trunk_priority, "sea": r.sea, "basis": "sea"})
    reported = pd.DataFrame(rows, columns=hmc.columns)
    out = pd.concat([f for f in (hmc, reported) if not f.empty], ignore_index=True) if rows or not hmc.empty else hmc
    if out.empty:
        return out.astype({"vlan_id": "Int64", "vios_lpar_id": "Int64"})
    return out.astype({"vlan_id": "Int64", "vios_lpar_id": "Int64", "trunk_priority": "Int64"}).drop_duplicates(
        ["system", "vios_lpar_id", "vswitch", "vlan_id"]).reset_index(drop=True)


def client_vlans(inv: Inventory) -> pd.DataFrame:
    """Client (non-trunk) virtual Ethernet VLANs: system, lpar_id, slot_num, vswitch, vlan_id."""
    veth = inv.virtual_eth
    clients = veth[~veth["is_trunk"].fillna(False).astype(bool)]
    return _vlan_rows(clients)[["system", "lpar_id", "slot_num", "vswitch", "vlan_id"]]


@lru_cache(maxsize=8)
def client_storage(inv: Inventory) -> pd.DataFrame:
    """Every vSCSI path of every client to a VIOS, with what backs it.

    One row per (client, VIOS) with `vios_data` False when that VIOS has no `lsmap -all` capture,
    else one row per VTD mapped to the client on that VIOS (none: `vtd` NA). Columns: system,
    lpar_id, vios_lpar_id, vios_name, vios_data, slot_num, vtd, backing_device, backing_type, udid,
    reserve_policy, disk_known, source.
    """
    vs = inv.virtual_scsi
    clients = vs[vs["adapter_type"] == "client"].dropna(subset=["remote_lpar_id"])
    vios = vios_ids(inv).rename(columns={"lpar_id": "vios_lpar_id", "name": "vios_name"})
    links = clients.merge(vios[["system", "vios_lpar_id", "vios_name"]], left_on=["system", "remote_lpar_id"],
                          right_on=["system", "vios_lpar_id"])
    links = links[["system", "lpar_id", "vios_lpar_id", "vios_name"]].drop_duplicates()
    maps = inv.vios_mappings[inv.vios_mappings["kind"] == "scsi"]
    with_data = set(map(tuple, row_tuples(maps[["system", "vios_lpar_id"]].drop_duplicates())))
    links = links.assign(vios_data=pd.Series([(s, int(v)) in with_data for s, v in zip(
        links["system"], links["vios_lpar_id"], strict=True)], index=links.index, dtype=bool))
    vtds = maps[maps["vtd"].notna()].rename(columns={"client_lpar_id": "lpar_id"})
    vtds = vtds[["system", "vios_lpar_id", "lpar_id", "slot_num", "vtd", "backing_device", "backing_type", "source"]]
    out = links.merge(vtds, on=["system", "vios_lpar_id", "lpar_id"], how="left")
    disks = inv.disks[["system", "vios_lpar_id", "hdisk", "udid", "reserve_policy"]].rename(
        columns={"hdisk": "backing_device"})
    out = out.merge(disks.assign(disk_known=True), on=["system", "vios_lpar_id", "backing_device"], how="left")
    out["disk_known"] = out["disk_known"].astype("boolean").fillna(False).astype(bool)
    out["vios_data"] = out["vios_data"].astype(bool)
    return out.reset_index(drop=True)
