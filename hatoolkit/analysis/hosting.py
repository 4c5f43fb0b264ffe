"""What hosts what: which partition serves virtual storage to which guests, from both ends.

A VIOS or an IBM i hosting partition that serves virtual SCSI or virtual Fibre Channel to guests
is what consolidation makes a single point of failure. The HMC shows each link twice: as a
server adapter on the host (`remote_lpar_id` = guest) and as a client adapter on the guest
(`remote_lpar_id` = host). Either side alone is enough to know the link exists (a capture may
lack one side); the client side counts the guest's paths. Keys are `system` + `lpar_id`, never
names: the sample has two partitions called NIM and two called LNX-GUEST1.
"""

from __future__ import annotations

import pandas as pd

from hatoolkit.model.inventory import Inventory

LINK_COLUMNS = ["system", "host_id", "host", "host_env", "guest_id", "guest", "guest_env", "vscsi_paths",
                "vfc_paths", "seen_from"]


def _links(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """(system, host_id, guest_id, kind, side) rows of one adapter frame, both ends."""
    linked = frame[frame["remote_lpar_id"].notna() & frame["adapter_type"].notna()]
    server = linked[linked["adapter_type"] == "server"]
    client = linked[linked["adapter_type"] == "client"]
    return pd.concat([
        pd.DataFrame({"system": server["system"], "host_id": server["lpar_id"], "guest_id": server["remote_lpar_id"],
                      "kind": kind, "side": "server"}),
        pd.DataFrame({"system": client["system"], "host_id": client["remote_lpar_id"], "guest_id": client["lpar_id"],
                      "kind": kind, "side": "client"}),
    ], ignore_index=True)


def hosting_links(inv: Inventory) -> pd.DataFrame:
    """One row per (system, host, guest): virtual SCSI and virtual FC paths, and which side showed it."""
    raw = pd.concat([_links(inv.virtual_scsi, "vscsi"), _links(inv.virtual_fc, "vfc")], ignore_index=True)
    if raw.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in LINK_COLUMNS}).astype(
            {"host_id": "Int64", "guest_id": "Int64", "vscsi_paths": "Int64", "vfc_paths": "Int64"})
    raw = raw.astype({"host_id": "Int64", "guest_id": "Int64"})
    keys = ["system", "host_id", "guest_id"]
    # Paths are counted on the client side (one client adapter = one path); server side when it is all we have.
    per_side = raw.groupby([*keys, "kind", "side"]).size().unstack("side", fill_value=0)
    per_side = per_side.reindex(columns=["client", "server"], fill_value=0)
    paths = per_side["client"].where(per_side["client"] > 0, per_side["server"]).unstack("kind", fill_value=0)
    paths = paths.reindex(columns=["vscsi", "vfc"], fill_value=0)
    sides = raw.groupby(keys)["side"].agg(lambda s: "both" if s.nunique() == 2 else f"{s.iloc[0]} only")
    out = paths.rename(columns={"vscsi": "vscsi_paths", "vfc": "vfc_paths"}).join(sides.rename("seen_from"))
    out = out.reset_index()
    names = inv.partitions[["system", "lpar_id", "name", "lpar_env"]]
    out = out.merge(names.rename(columns={"lpar_id": "host_id", "name": "host", "lpar_env": "host_env"}),
                    on=["system", "host_id"], how="left")
    out = out.merge(names.rename(columns={"lpar_id": "guest_id", "name": "guest", "lpar_env": "guest_env"}),
                    on=["system", "guest_id"], how="left")
    out = out.astype({"vscsi_paths": "Int64", "vfc_paths": "Int64"})
    return out[LINK_COLUMNS].sort_values(["system", "host_id", "guest_id"], kind="mergesort").reset_index(drop=True)


def host_summary(inv: Inventory) -> pd.DataFrame:
    """Per hosting partition: guests served, their names, virtual paths, physical slots owned (NA: not captured)."""
    links = hosting_links(inv)
    slots = inv.io_slots[inv.io_slots["lpar_id"].notna()].groupby(["system", "lpar_id"]).size()
    cols = ["system", "host_id", "host", "host_env", "guests", "guest_names", "vscsi_paths", "vfc_paths",
            "physical_slots"]
    if links.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols})
    grouped = links.groupby(["system", "host_id"], sort=True)
    out = grouped.agg(host=("host", "first"), host_env=("host_env", "first"), guests=("guest_id", "nunique"),
                      guest_names=("guest", lambda s: ", ".join(sorted(s.dropna().astype(str)))),
                      vscsi_paths=("vscsi_paths", "sum"), vfc_paths=("vfc_paths", "sum")).reset_index()
    # A system without any slot rows had no (usable) slot capture: unknown, not zero.
    captured = set(inv.io_slots["system"])
    slot_counts = [int(slots.get((s, int(h)), 0)) if s in captured else None
                   for s, h in zip(out["system"], out["host_id"], strict=True)]
    out["physical_slots"] = pd.array(slot_counts, dtype="Int64")
    return out[cols]
