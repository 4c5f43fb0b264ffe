"""Shared Ethernet Adapters per VLAN: who bridges each (system, virtual switch, VLAN), and how.

`sea_vlans` lists every SEA x VLAN it bridges, from the HMC's trunk adapters of each SEA (their
priorities and VLANs, analysis.vios.trunk_bridging) and from VLAN lists SEA reports state
themselves (lssea), keeping two SEAs of one VIOS apart (bridged_vlans keeps one per VIOS, which is
right for "is it bridged" and wrong for "by how many"). `sea_real_ports` says whether an SEA's
real adapter is one port or an EtherChannel and how many usable ports that gives. Trunk adapters
seen only on the HMC (no VIOS capture) are kept with `sea` NA, so "one SEA" is never claimed where
a VIOS was not looked at.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from hatoolkit.analysis import vios as vio
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.rows import row_tuples

SEA_VLAN_COLUMNS = ["system", "vios_lpar_id", "vios_name", "sea", "vswitch", "vlan_id", "trunk_priority", "ha_mode",
                    "ctl_chan", "real_adapter", "basis"]
# VIOS release from which an SEA failover pair needs no control channel (reference §E.2; firmware 7.8 also).
CTL_CHAN_OPTIONAL_FROM = (2, 2, 3, 0)
_LEVEL = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?")


def vios_level(text: object) -> tuple[int, int, int, int] | None:
    """`VIOS 3.1.4.30` -> (3, 1, 4, 30); None when unreadable."""
    if not isinstance(text, str):
        return None
    m = _LEVEL.search(text)
    return tuple(int(g or 0) for g in m.groups()) if m else None  # type: ignore[return-value]


@lru_cache(maxsize=8)
def sea_vlans(inv: Inventory) -> pd.DataFrame:
    """One row per (SEA, VLAN) bridged, plus HMC trunk adapters whose SEA is unknown (`sea` NA, basis trunk)."""
    names = {(r.system, int(r.lpar_id)): r.name for r in row_tuples(vio.vios_ids(inv))}
    seas = {(r.system, int(r.vios_lpar_id), r.sea): r for r in row_tuples(inv.seas)}
    rows = []
    for t in row_tuples(vio.trunk_bridging(inv)):
        if t.basis == "no_sea":
            continue
        addl = tuple(t.addl_vlan_ids) if isinstance(t.addl_vlan_ids, tuple) else ()
        vlans = ((int(t.port_vlan_id),) if pd.notna(t.port_vlan_id) else ()) + addl
        s = seas.get((t.system, int(t.vios_lpar_id), t.sea)) if isinstance(t.sea, str) else None
        for vlan in vlans:
            rows.append({"system": t.system, "vios_lpar_id": int(t.vios_lpar_id),
                         "vios_name": names.get((t.system, int(t.vios_lpar_id))), "sea": t.sea if s is not None or
                         isinstance(t.sea, str) else None,
                         "vswitch": t.vswitch if isinstance(t.vswitch, str) else vio.DEFAULT_VSWITCH, "vlan_id": int(vlan),
                         "trunk_priority": t.trunk_priority, "ha_mode": s.ha_mode if s is not None else None,
                         "ctl_chan": s.ctl_chan if s is not None else None,
                         "real_adapter": s.real_adapter if s is not None else None, "basis": t.basis})
    for s in row_tuples(inv.seas):
        if not isinstance(s.vlans, tuple):
            continue
        for vlan in s.vlans:
            rows.append({"system": s.system, "vios_lpar_id": int(s.vios_lpar_id),
                         "vios_name": s.vios_name if isinstance(s.vios_name, str) else names.get((s.system,
                                                                                                 int(s.vios_lpar_id))),
                         "sea": s.sea, "vswitch": s.vswitch if isinstance(s.vswitch, str) else vio.DEFAULT_VSWITCH,
                         "vlan_id": int(vlan), "trunk_priority": s.trunk_priority, "ha_mode": s.ha_mode,
                         "ctl_chan": s.ctl_chan, "real_adapter": s.real_adapter, "basis": "sea"})
    frame = pd.DataFrame(rows, columns=SEA_VLAN_COLUMNS)
    frame = frame.astype({"vios_lpar_id": "Int64", "vlan_id": "Int64", "trunk_priority": "Int64"})
    for col in ("system", "vios_name", "sea", "vswitch", "ha_mode", "ctl_chan", "real_adapter", "basis"):
        frame[col] = frame[col].astype("str")
    key = frame["sea"].fillna("slot")
    return frame.assign(_k=key).drop_duplicates(["system", "vios_lpar_id", "_k", "vswitch", "vlan_id"]).drop(
        columns="_k").reset_index(drop=True)


@lru_cache(maxsize=8)
def sea_real_ports(inv: Inventory) -> pd.DataFrame:
    """Per SEA: real adapter kind (etherchannel, port, unknown), its usable ports, and the ports' cards when known.

    Columns: system, vios_lpar_id, vios_name, sea, ha_mode, real_adapter, real_kind, ports (tuple),
    unhealthy (tuple), backup_adapter, physloc, source.
    """
    ecs = {(r.system, int(r.vios_lpar_id), r.device): r for r in row_tuples(inv.etherchannels)}
    net = inv.vios_mappings[inv.vios_mappings["kind"] == "net"]
    physloc = {(r.system, int(r.vios_lpar_id), r.device): r.physloc for r in row_tuples(inv.vios_adapters)
               if isinstance(r.physloc, str)}
    physloc.update({(r.system, int(r.vios_lpar_id), r.backing_device): r.backing_physloc
                    for r in row_tuples(net)
                    if isinstance(r.backing_device, str) and isinstance(r.backing_physloc, str)})
    rows = []
    for s in row_tuples(inv.seas):
        key = (s.system, int(s.vios_lpar_id), s.real_adapter)
        ec = ecs.get(key) if isinstance(s.real_adapter, str) else None
        row = {"system": s.system, "vios_lpar_id": int(s.vios_lpar_id), "vios_name": s.vios_name, "sea": s.sea,
               "ha_mode": s.ha_mode, "real_adapter": s.real_adapter, "real_kind": "unknown", "ports": (),
               "unhealthy": (), "backup_adapter": None, "physloc": physloc.get(key), "source": s.source}
        if ec is not None:
            bad = tuple(ec.unhealthy_adapters) if isinstance(ec.unhealthy_adapters, tuple) else ()
            members = [m for m in (ec.adapter_names if isinstance(ec.adapter_names, tuple) else ()) if m not in bad]
            backup = ec.backup_adapter if isinstance(ec.backup_adapter, str) else None
            if backup and backup not in bad:
                members.append(backup)
            row.update(real_kind="etherchannel", ports=tuple(members), unhealthy=bad, backup_adapter=backup)
        elif key in physloc:
            row.update(real_kind="port", ports=(s.real_adapter,))
        rows.append(row)
    cols = ["system", "vios_lpar_id", "vios_name", "sea", "ha_mode", "real_adapter", "real_kind", "ports", "unhealthy",
            "backup_adapter", "physloc", "source"]
    return pd.DataFrame(rows, columns=cols).astype({"vios_lpar_id": "Int64"})
