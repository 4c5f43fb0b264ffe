"""IBM i storage redundancy: which partition serves each half of a guest's mirrored unit, and what protects
each storage space (the guest's mirroring, geographic mirroring of its IASP, a SAV/RST copy).

A guest's disk unit names its client adapter in its location code (`-V<id>-C<slot>-...-L<lun>`);
the HMC's client adapter at that slot says which VIOS or IBM i host serves it. A storage space is
presented to its guest as the LUN at its drive sequence number (address byte 0x80 + DRVSEQNBR, as
on a VIOS, where the first target is 0x81): that is how a unit is tied back to the storage space
behind it. Missing exports give NA, never False.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from hatoolkit.model.inventory import Inventory
from hatoolkit.model.rows import row_tuples

# Values of GEOGRAPHIC_MIRROR_SYNCHRONIZATION_STATUS read as "the mirror copy is current".
IN_SYNC = frozenset({"SYNCHRONIZED", "IN SYNC", "INSYNC", "SYNCHRONOUS", "CURRENT"})


def _servers(inv: Inventory) -> dict[tuple[str, int, int], tuple[int, str, str | None]]:
    """(system, client lpar_id, client slot) -> (server lpar_id, adapter kind, server name) for vSCSI and vFC clients."""
    names = {(r.system, int(r.lpar_id)): r.name for r in row_tuples(inv.partitions)}
    out = {}
    for kind, frame in (("vscsi", inv.virtual_scsi), ("vfc", inv.virtual_fc)):
        clients = frame[(frame["adapter_type"] == "client") & frame["remote_lpar_id"].notna()]
        for r in row_tuples(clients):
            server = int(r.remote_lpar_id)
            out[(r.system, int(r.lpar_id), int(r.slot_num))] = (server, kind, names.get((r.system, server)))
    return out


@lru_cache(maxsize=8)
def unit_servers(inv: Inventory) -> pd.DataFrame:
    """Every exported guest disk unit resource with the partition serving it (server NA: not resolvable).

    Columns: system, partition, lpar_id, asp_number, unit_number, serial_number, resource_name, mirrored_unit_status,
    client_slot, lun, server_lpar_id, server, server_env, adapter, drive, source.
    """
    du = inv.disk_units
    ids = {(r.system, r.name): int(r.lpar_id) for r in row_tuples(inv.partitions) if isinstance(r.name, str)}
    env = {(r.system, int(r.lpar_id)): r.lpar_env for r in row_tuples(inv.partitions)}
    servers = _servers(inv)
    rows = []
    for r in row_tuples(du):
        lpar = ids.get((r.system, r.partition))
        if pd.notna(r.client_lpar_id):
            lpar = lpar if lpar is not None else int(r.client_lpar_id)
        slot = int(r.client_slot) if pd.notna(r.client_slot) else None
        server = servers.get((r.system, lpar, slot)) if lpar is not None and slot is not None else None
        lun = r.lun.upper() if isinstance(r.lun, str) else None
        drive = None
        if lun and len(lun) >= 2:
            try:
                drive = int(lun[:2], 16) - 0x80
            except ValueError:
                drive = None
        rows.append({"system": r.system, "partition": r.partition, "lpar_id": lpar, "asp_number": r.asp_number,
                     "unit_number": r.unit_number, "serial_number": r.serial_number, "resource_name": r.resource_name,
                     "mirrored_unit_status": r.mirrored_unit_status, "client_slot": slot, "lun": lun,
                     "server_lpar_id": server[0] if server else None, "server": server[2] if server else None,
                     "server_env": env.get((r.system, server[0])) if server else None,
                     "adapter": server[1] if server else None, "drive": drive if drive and drive > 0 else None,
                     "source": r.source})
    cols = ["system", "partition", "lpar_id", "asp_number", "unit_number", "serial_number", "resource_name",
            "mirrored_unit_status", "client_slot", "lun", "server_lpar_id", "server", "server_env", "adapter", "drive",
            "source"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.astype({"lpar_id": "Int64", "asp_number": "Int64", "unit_number": "Int64", "client_slot": "Int64",
                         "server_lpar_id": "Int64", "drive": "Int64"})


@lru_cache(maxsize=8)
def mirror_pairs(inv: Inventory) -> pd.DataFrame:
    """One row per mirrored unit of a guest: its halves and the partitions serving them.

    Columns: system, partition, asp_number, unit_number, halves (tuple of serials), servers (tuple, NA entries
    when not resolvable), statuses, resolved (bool), distinct_servers (int), source.
    """
    us = unit_servers(inv)
    us = us[us["mirrored_unit_status"].notna() & us["unit_number"].fillna(0).gt(0)]
    rows = []
    for (system, partition, asp, unit), grp in us.groupby(["system", "partition", "asp_number", "unit_number"], sort=True):
        halves = grp.assign(_s=grp["serial_number"].fillna(grp["resource_name"])).drop_duplicates("_s")
        servers = tuple(str(s) if isinstance(s, str) else None for s in halves["server"])
        resolved = all(s is not None for s in servers)
        rows.append({"system": system, "partition": partition, "asp_number": int(asp), "unit_number": int(unit),
                     "halves": tuple(halves["_s"]), "servers": servers,
                     "statuses": tuple(halves["mirrored_unit_status"]), "resolved": resolved,
                     "distinct_servers": len({s for s in servers if s}), "source": ";".join(grp["source"].astype("str"))})
    cols = ["system", "partition", "asp_number", "unit_number", "halves", "servers", "statuses", "resolved",
            "distinct_servers", "source"]
    return pd.DataFrame(rows, columns=cols)


@lru_cache(maxsize=8)
def space_protection(inv: Inventory) -> pd.DataFrame:
    """Per storage space of every IBM i host: mirrored by its guest? in a geographically mirrored IASP?

    Columns: system, host, nwsstg, nwsd, drvseqnbr, aspdev, guest, guest_mirrored (boolean: NA when the guest's
    disk units were not exported or the unit is not found), geo_session, geo_role, geo_session_state,
    geo_sync_status, in_sync (boolean), copy_node, copy_system (NA: not resolvable), same_system (boolean),
    asp_exported (bool), source.
    """
    spaces = inv.storage_spaces
    nwsds = {(r.system, r.partition, r.nwsd): r for r in row_tuples(inv.nwsds)}
    exports = {(r.system, r.partition): set(r.exports) if isinstance(r.exports, tuple) else set()
               for r in row_tuples(inv.ibmi_partitions)}
    asps = {(r.system, r.partition, r.aspdev): r for r in row_tuples(inv.asps) if isinstance(r.aspdev, str)}
    us = unit_servers(inv)
    units = {}
    for r in row_tuples(us):
        if pd.notna(r.server_lpar_id) and pd.notna(r.drive):
            units.setdefault((r.system, r.partition, r.server, int(r.drive)), []).append(r)
    halves_of = {(r.system, r.partition, int(r.asp_number) if pd.notna(r.asp_number) else 0, int(r.unit_number)):
                 r for r in row_tuples(mirror_pairs(inv))}
    rows = []
    for s in row_tuples(spaces):
        n = nwsds.get((s.system, s.partition, s.nwsd)) if isinstance(s.nwsd, str) else None
        guest = n.guest_partition if n is not None and isinstance(n.guest_partition, str) else None
        mirrored = pd.NA
        if guest is not None and "disk_units" in exports.get((s.system, guest), set()) and pd.notna(s.drvseqnbr):
            found = units.get((s.system, guest, s.partition, int(s.drvseqnbr)), [])
            if found:
                u = found[0]
                pair = halves_of.get((s.system, guest, int(u.asp_number) if pd.notna(u.asp_number) else 0,
                                      int(u.unit_number)))
                mirrored = pair is not None and len(pair.halves) >= 2 and all(st == "ACTIVE" for st in pair.statuses)
        asp = asps.get((s.system, s.partition, s.aspdev)) if isinstance(s.aspdev, str) else None
        copy_system = _copy_system(inv, asp) if asp is not None else None
        sync = asp.geo_sync_status if asp is not None and isinstance(asp.geo_sync_status, str) else None
        state = asp.geo_session_state if asp is not None and isinstance(asp.geo_session_state, str) else None
        in_sync = pd.NA
        if asp is not None and isinstance(asp.geo_session, str):
            if (state is not None and state != "ACTIVE") or (sync is not None and sync not in IN_SYNC):
                in_sync = False
            elif sync in IN_SYNC:
                in_sync = True
        rows.append({"system": s.system, "host": s.partition, "nwsstg": s.nwsstg, "nwsd": s.nwsd,
                     "drvseqnbr": s.drvseqnbr, "aspdev": s.aspdev, "guest": guest, "guest_mirrored": mirrored,
                     "geo_session": asp.geo_session if asp is not None else None,
                     "geo_role": asp.geo_role if asp is not None else None, "geo_session_state": state,
                     "geo_sync_status": sync, "in_sync": in_sync,
                     "copy_node": asp.mirror_copy_node if asp is not None else None, "copy_system": copy_system,
                     "same_system": (copy_system == s.system) if copy_system is not None else pd.NA,
                     "asp_exported": "asps" in exports.get((s.system, s.partition), set()), "source": s.source})
    cols = ["system", "host", "nwsstg", "nwsd", "drvseqnbr", "aspdev", "guest", "guest_mirrored", "geo_session",
            "geo_role", "geo_session_state", "geo_sync_status", "in_sync", "copy_node", "copy_system", "same_system",
            "asp_exported", "source"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.astype({"drvseqnbr": "Int64", "guest_mirrored": "boolean", "in_sync": "boolean",
                         "same_system": "boolean", "asp_exported": bool})


def _copy_system(inv: Inventory, asp: object) -> str | None:
    """The managed system holding the other copy: by the copy node's own export (system name or partition
    name), else by the serial number the export states."""
    node = asp.mirror_copy_node if isinstance(asp.mirror_copy_node, str) else None
    if node:
        for r in row_tuples(inv.ibmi_partitions):
            names = {str(x).upper() for x in (r.system_name, r.partition, r.host_name) if isinstance(x, str)}
            names |= {n.split(".")[0] for n in names}
            if node.upper() in names:
                return str(r.system)
    serial = asp.mirror_copy_serial if isinstance(asp.mirror_copy_serial, str) else None
    if serial:
        for r in row_tuples(inv.systems):
            if isinstance(r.serial_num, str) and r.serial_num.upper() == serial.upper():
                return str(r.system)
    return None
