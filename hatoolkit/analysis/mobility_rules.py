"""LPM prerequisites, one rule each: which (partition, destination) pairs each one blocks, and why.

Every rule returns blocker rows (see mobility_data.blocker_rows): `fail` when the export shows
the prerequisite broken, `unknown` when the data needed to decide is missing (naming it) — never
silence. `fix` names the one change that removes the blocker, so blockers can be ranked by how
many moves a single fix unblocks. Sources: reference §C (IBM "Configuration validation for
partition mobility", HMC MigrationRequirements, Power8/9/10 LPM pages, IBM i LPM requirements).
Destination capacity is mobility_capacity's rule, on analysis.capacity's arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from hatoolkit.analysis import hardware as hw
from hatoolkit.analysis import vios as vio
from hatoolkit.analysis.mobility_data import (
    MobilityData,
    arrow_at,
    blocker_rows,
    empty_blockers,
    in_set,
    join_texts,
    lpar_listed,
    map_distinct,
    owned_slots,
    per_distinct,
    side_value,
    sys_value,
    text_series,
)

Rows = pd.DataFrame


@dataclass(frozen=True)
class Rule:
    slug: str
    label: str  # short, for legends and "first blocker"
    fn: Callable[[MobilityData], Rows]  # blocker rows; destination NA = every destination


def _pair(a: pd.Series, b: pd.Series) -> pd.Series:
    """'A / B' with the two names in a fixed order, so a fix seen from both sides is one fix."""
    return pd.Series([" / ".join(sorted((x, y))) for x, y in zip(a, b, strict=True)], index=a.index, dtype="str")


def _concat(*parts: Rows) -> Rows:
    frames = [p for p in parts if p is not None and not p.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty_blockers()


def _flag(value: object) -> bool | None:
    return None if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else bool(value)


# --------------------------------------------------------------------------- systems


def _sys_series(d: MobilityData, column: str, dtype: str = "object") -> pd.Series:
    """A systems column (aligned with d.systems), all NA when the column is absent."""
    if column in d.systems.columns:
        return d.systems[column].reset_index(drop=True)
    return pd.Series([pd.NA] * len(d.systems), dtype=dtype)


def _generations(d: MobilityData) -> pd.Series:
    return pd.Series([hw.generation(t) for t in _sys_series(d, "type_model")], dtype="float64")


def system_capability(d: MobilityData) -> Rows:
    """Source and destination capable of this kind of mobility, and a generation pair IBM supports."""
    c = d.movable
    parts = []
    for side, column in (("source", "system"), ("destination", "destination")):
        codes = c["src_i" if side == "source" else "dst_i"].to_numpy()
        outside = len(codes) > 0 and codes.min() < 0  # a cell whose system is not in the inventory
        for moving in ("active", "inactive"):
            attr = f"{moving}_lpar_mobility_capable"
            flags = _sys_series(d, attr, "boolean").astype("boolean")
            state = np.where(flags.isna().to_numpy(bool), 2, flags.fillna(True).to_numpy(bool).astype(int))  # 0 no 1 yes
            if not outside and (state == 1).all():
                continue  # every system is capable: no cell to select (decided per system, not per cell)
            at = np.append(state, 2)[codes]  # position -1: not in the inventory, unknown
            this = d.active if moving == "active" else ~d.active
            bad, unknown = c[this & (at == 0)], c[this & (at == 2)]
            parts.append(blocker_rows(bad, destination=bad["destination"], resource=bad[column],
                                      message=bad[column] + f" ({side}) is not capable of {moving} partition mobility",
                                      evidence=f"{attr}=0", fix=bad[column] + f": enable {moving} partition mobility "
                                      "(PowerVM Enterprise Edition)"))
            parts.append(blocker_rows(unknown, status="unknown", destination=unknown["destination"],
                                      resource=unknown[column], evidence=f"{attr}=unknown",
                                      message=unknown[column] + f" ({side}): {attr} not captured or unavailable "
                                      "(system powered off?)"))
    # Each system's generation as a position among the few distinct ones (-1 unknown, and for a system not in
    # the inventory); each pair of generations is decided once, then cells look their pair up.
    gens = _generations(d).to_numpy(dtype=float)
    values = np.unique(gens[~np.isnan(gens)])
    gen_code = np.append(np.where(np.isnan(gens), -1, np.searchsorted(values, np.nan_to_num(gens))), -1)
    src, dst = gen_code[c["src_i"].to_numpy()], gen_code[c["dst_i"].to_numpy()]
    known = (src >= 0) & (dst >= 0)
    ok = np.ones(len(c), dtype=bool)
    if known.any():
        table = np.array([[hw.lpm_pair_supported(int(a), int(b)) for b in values] for a in values], dtype=bool)
        ok[known] = table[src[known], dst[known]]
    blocked = known & ~ok
    bad = c[blocked]
    names = pd.Series([f"{hw.generation_name(int(a))} -> {hw.generation_name(int(b))}"
                       for a, b in zip(values[src[blocked]], values[dst[blocked]], strict=True)],
                      index=bad.index, dtype="str")
    model = _sys_series(d, "type_model", "str").astype("str")
    parts.append(blocker_rows(bad, destination=bad["destination"], resource=bad["destination"],
                              message=names + ": IBM does not support partition mobility between these generations",
                              evidence="type_model=" + side_value(d, bad, "system", model) + " -> "
                              + side_value(d, bad, "destination", model), fix=None))
    unk = c[~known]
    which = side_value(d, unk, "system", model).where(src[~known] < 0, side_value(d, unk, "destination", model))
    parts.append(blocker_rows(unk, status="unknown", destination=unk["destination"], resource=unk["destination"],
                              message="processor generation of type-model " + which.astype("str")
                              + " is not known to hatoolkit", evidence="type_model=" + which.astype("str")))
    return _concat(*parts)


def _msp_status(d: MobilityData) -> tuple[np.ndarray, pd.Series]:
    """Per system (aligned with d.systems): 0 ok, 1 fail, 2 unknown; and the evidence text."""
    v = vio.vios_ids(d.inv)
    v = v.assign(usable=(v["msp"].fillna(False).astype(bool) & (v["state"].str.lower() == "running")
                         & (v["rmc_state"].str.lower() == "active")).fillna(False).astype(bool),
                 undecided=(v["msp"].isna() | v["rmc_state"].isna()).astype(bool),
                 text=v["name"].astype("str").fillna("<NA>") + ":msp=" + v["msp"].astype("Int64").astype("str").fillna("unknown"))
    g = v.groupby("system", sort=False)
    names = d.systems.index
    usable = g["usable"].any().reindex(names, fill_value=False).to_numpy(bool)
    undecided = g["undecided"].any().reindex(names, fill_value=False).to_numpy(bool)
    has_vios = in_set(names, set(v["system"].unique()))
    listed = in_set(names, lpar_listed(d.inv))
    joined: dict[str, list[str]] = {}  # the VIOS of each system in listing order (one pass, not a call per group)
    for system, vios_text in zip(v["system"].tolist(), v["text"].tolist(), strict=True):
        if isinstance(system, str):
            joined.setdefault(system, []).append(vios_text)
    text = pd.Series([" ".join(joined[n]) if n in joined else "vios=none" for n in names], index=names, dtype="str")
    state = np.select([~listed, usable, ~has_vios, undecided], [2, 0, 1, 2], 1)
    text = text.where(has_vios, "no VIOS partition").where(listed, "partitions=not captured")
    return state, pd.Series(text.to_numpy(), dtype="str")


def msp(d: MobilityData) -> Rows:
    """Active LPM needs a running mover service partition (msp=1, RMC active) on both systems."""
    states, texts = _msp_status(d)
    c = d.movable
    active = d.active
    parts = []
    for side, column in (("source", "system"), ("destination", "destination")):
        codes = c["src_i" if column == "system" else "dst_i"].to_numpy()
        if (states == 0).all() and (len(codes) == 0 or codes.min() >= 0):
            continue  # a usable mover service partition on every system: no cell to select
        state = np.append(states, 2)[codes]  # position -1: not in the inventory, unknown
        bad, unk = c[active & (state == 1)], c[active & (state == 2)]
        parts.append(blocker_rows(bad, destination=bad["destination"], resource=bad[column],
                                  message=bad[column] + f" ({side}) has no running VIOS with msp=1 and RMC active",
                                  evidence=side_value(d, bad, column, texts),
                                  fix=bad[column] + ": set msp=1 on a running VIOS"))
        parts.append(blocker_rows(unk, status="unknown", destination=unk["destination"], resource=unk[column],
                                  message=unk[column] + f" ({side}): VIOS msp or rmc_state not captured "
                                  "(lssyscfg -r lpar -F name,msp,rmc_state)",
                                  evidence=side_value(d, unk, column, texts).fillna("vios=not captured")))
    return _concat(*parts)


def lmb(d: MobilityData) -> Rows:
    """Source and destination must use the same logical memory block (memory region) size."""
    c = d.movable
    lmb_mb = _sys_series(d, "mem_region_size_mb", "Int64").astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    src, dst = c["src_i"].to_numpy(), c["dst_i"].to_numpy()
    a_np = np.where(src >= 0, lmb_mb[np.clip(src, 0, None)], np.nan) if len(lmb_mb) else np.full(len(c), np.nan)
    b_np = np.where(dst >= 0, lmb_mb[np.clip(dst, 0, None)], np.nan) if len(lmb_mb) else np.full(len(c), np.nan)
    known = ~np.isnan(a_np) & ~np.isnan(b_np)
    bad = c[known & (a_np != b_np)]
    unk = c[~known]
    lmb_sys = _sys_series(d, "mem_region_size_mb", "Int64")
    a = pd.concat([side_value(d, bad, "system", lmb_sys), side_value(d, unk, "system", lmb_sys)])
    b = pd.concat([side_value(d, bad, "destination", lmb_sys), side_value(d, unk, "destination", lmb_sys)])
    ev = "mem_region_size=" + a.astype("str") + "->" + b.astype("str")
    return _concat(
        blocker_rows(bad, destination=bad["destination"], resource=bad["destination"], evidence=ev[bad.index],
                     message="memory region (LMB) size differs: " + a[bad.index].astype("str") + " MB on " + bad["system"]
                     + ", " + b[bad.index].astype("str") + " MB on " + bad["destination"],
                     fix=_pair(bad["system"], bad["destination"]) + ": align the memory region size (needs a restart)"),
        blocker_rows(unk, status="unknown", destination=unk["destination"], resource=unk["destination"],
                     evidence=ev[unk.index], message="memory region size not captured (lshwres -r mem --level sys)"),
    )


# --------------------------------------------------------------------------- partition configuration


def partition_state(d: MobilityData) -> Rows:
    """Migration disabled, a state that cannot migrate, or (active) membership of a workload group."""
    m = d.movers
    disabled = m[m["migration_disabled"].fillna(False).astype(bool)]
    unknown_state = m[m["state"].isna()]
    stuck = m[m["state"].notna() & m["mode"].isna()]
    running = d.active_movers
    group = running[running["work_group_id"].notna()]
    return _concat(
        blocker_rows(disabled, message="partition mobility is disabled for this partition", evidence="migration_disabled=1",
                     fix=disabled["system"] + "/" + disabled["partition"] + ": clear migration_disabled"),
        blocker_rows(unknown_state, status="unknown", message="partition state not captured", evidence="state=unknown"),
        blocker_rows(stuck, message="state '" + stuck["state"].astype("str") + "' cannot migrate (running or not "
                     "activated only)", evidence='state="' + stuck["state"].astype("str") + '"',
                     fix=stuck["system"] + "/" + stuck["partition"] + ": bring to Running or shut down"),
        blocker_rows(group, message="partition is in workload group " + group["work_group_id"].astype("str"),
                     evidence="work_group_id=" + group["work_group_id"].astype("str"),
                     fix=group["system"] + "/" + group["partition"] + ": remove from the workload group"),
    )


def physical_io(d: MobilityData) -> Rows:
    """All I/O must be virtual: no physical slots owned (running) or required in the profile (inactive)."""
    m = d.movers[d.movers["mode"].notna()]
    slots = d.inv.io_slots
    captured = set(slots["system"].unique())
    now = pd.Series(owned_slots(slots, m), index=m.index, dtype=object)
    def slots(t: object) -> tuple | None:
        return tuple(t) if isinstance(t, tuple) else None

    required, listed = map_distinct(
        m["prof_io_slots"],
        lambda t: None if slots(t) is None else ",".join(e.split("/")[0] for e in slots(t) if e.endswith("/1")),
        lambda t: None if slots(t) is None else ",".join(e.split("/")[0] for e in slots(t)))
    active = m["mode"] == "active"
    fail_now = active & now.notna()
    fail_prof_active = active & now.isna() & ~m["system"].isin(captured) & listed.fillna("").ne("")
    unknown = active & now.isna() & ~m["system"].isin(captured) & listed.fillna("").eq("")
    fail_inactive = ~active & required.fillna("").ne("")
    unknown_inactive = ~active & required.isna()
    fix = m["system"] + "/" + m["partition"] + ": move the physical adapters to a VIOS (or remove them)"
    a, b, u, e, ui = m[fail_now], m[fail_prof_active], m[unknown], m[fail_inactive], m[unknown_inactive]
    return _concat(
        blocker_rows(a, resource=now[a.index].astype("str"), fix=fix[a.index], evidence="io_slots=" + now[a.index].astype("str"),
                     message="owns physical I/O slot(s) " + now[a.index].astype("str") + "; active LPM needs all I/O virtual"),
        blocker_rows(b, resource=listed[b.index], fix=fix[b.index], evidence="profile io_slots=" + listed[b.index],
                     message="profile assigns physical I/O slot(s) " + listed[b.index] + " (current slots not captured)"),
        blocker_rows(u, status="unknown", evidence="io_slots=unknown",
                     message="physical I/O of " + u["system"] + " not captured (lshwres -r io --rsubtype slot)"),
        blocker_rows(e, resource=required[e.index], fix=fix[e.index], evidence="profile io_slots=" + required[e.index],
                     message="profile requires physical I/O slot(s) " + required[e.index]),
        blocker_rows(ui, status="unknown", evidence="profile=unknown", message="partition profile not captured"),
    )


def hea(d: MobilityData) -> Rows:
    """No Host Ethernet Adapter (IVE) logical ports."""
    m = d.movers[d.movers["mode"].notna()]
    ports = d.inv.hea_ports.dropna(subset=["lpar_id"])
    owned = ports.groupby(["system", "lpar_id"]).size()
    n_now = pd.Series(owned.reindex(pd.MultiIndex.from_frame(m[["system", "lpar_id"]])).to_numpy(), index=m.index)
    prof, has_ports = map_distinct(m["prof_lhea_logical_ports"], lambda t: t if isinstance(t, tuple) else None,
                                    lambda t: bool(t if isinstance(t, tuple) else None))
    capable = sys_value(d, m["system"], "lhea_capable").map(_flag)
    has_listing = m["system"].isin(set(d.inv.hea_ports["system"].unique()))
    bad = n_now.fillna(0).gt(0) | has_ports
    unknown = ~bad & prof.isna() & capable.ne(False) & ~has_listing
    b, u = m[bad], m[unknown]
    count = n_now[b.index].fillna(0).astype(int).where(n_now[b.index].notna(), prof[b.index].map(lambda t: len(t or ())))
    return _concat(
        blocker_rows(b, resource=b["system"] + "/" + b["partition"], evidence="lhea_logical_ports=" + count.astype("str"),
                     message="uses " + count.astype("str") + " Host Ethernet Adapter (IVE) logical port(s)",
                     fix=b["system"] + "/" + b["partition"] + ": replace the LHEA ports by virtual Ethernet through a VIOS"),
        blocker_rows(u, status="unknown", evidence="lhea_logical_ports=unknown",
                     message="HEA logical ports not captured (profile lhea_logical_ports / lshwres -r hea)"),
    )


def rmc(d: MobilityData) -> Rows:
    """Active LPM of AIX and Linux needs an active RMC connection to the HMC (IBM i does not use RMC)."""
    m = d.active_movers
    m = m[m["lpar_env"] != "os400"]
    state = m["rmc_state"].str.lower()
    bad, unk = m[state.notna() & state.ne("active")], m[state.isna()]
    return _concat(
        blocker_rows(bad, evidence="rmc_state=" + bad["rmc_state"].astype("str"), resource=bad["system"] + "/" + bad["partition"],
                     message="RMC connection to the HMC is " + bad["rmc_state"].astype("str"),
                     fix=bad["system"] + "/" + bad["partition"] + ": restore RMC (rsct, network to the HMC)"),
        blocker_rows(unk, status="unknown", evidence="rmc_state=unknown", message="RMC state not captured"),
    )


def compat_mode(d: MobilityData) -> Rows:
    """The partition's processor compatibility mode (current if active, preferred if inactive) exists on the destination."""
    c = d.movable
    m = d.movers
    preferred = m["desired_lpar_proc_compat_mode"]
    if "prof_lpar_proc_compat_mode" in m:
        preferred = m["prof_lpar_proc_compat_mode"].fillna(preferred)
    raw = m["curr_lpar_proc_compat_mode"].where(m["mode"] == "active", preferred)  # per mover
    # A fleet spells a few modes many times: each distinct spelling (and each system's list) is read once.
    codes, spellings = pd.factorize(raw, use_na_sentinel=False)
    norm = [hw.compat_mode(x) for x in spellings]
    vocab = sorted({x for x in norm if isinstance(x, str)})
    index = {x: i for i, x in enumerate(vocab)}
    mode_i = np.array([index.get(x, -1) if isinstance(x, str) else -1 for x in norm], dtype=np.int64)[codes] \
        if len(norm) else np.zeros(0, dtype=np.int64)
    sets = per_distinct(hw.compat_modes, _sys_series(d, "lpar_proc_compat_modes"))
    known_dest = np.array([s is not None for s in sets], dtype=bool)
    offered = np.array([[s is not None and x in s for s in sets] for x in vocab], dtype=bool).reshape(len(vocab), len(sets))
    mi = mode_i[c["mover_i"].to_numpy()]
    dst = c["dst_i"].to_numpy()
    inactive_default = ~d.active & (mi == index.get("DEFAULT", -2))
    has = (mi >= 0) & (dst >= 0)
    supported = np.zeros(len(c), dtype=bool)
    supported[has] = offered[mi[has], dst[has]] if len(vocab) else False
    ok = inactive_default | supported
    dest_known = np.zeros(len(c), dtype=bool)
    dest_known[dst >= 0] = known_dest[dst[dst >= 0]]
    unknown = ~ok & ((mi < 0) | ~dest_known)
    c = c[["system", "lpar_id", "partition", "destination", "dst_i", "mover_i"]]  # what the rows are built from
    bad, u = c[~ok & ~unknown], c[unknown]
    # Texts of a partition (its mode, its name) and of a destination (its modes) are built once each, then joined.
    which = pd.Series(np.where(m["mode"].to_numpy(dtype=object) == "active", "current", "preferred"), dtype="str")
    ident = m["system"].astype("str") + "/" + m["partition"].astype("str")
    says = which + " processor compatibility mode " + raw.astype("str") + " is not supported by "
    ev_mode = "lpar_proc_compat_mode=" + raw.astype("str")
    fix = ident + ": set the preferred compatibility mode to one "
    listed = pd.Series([" destination_modes=" + ",".join(t) if isinstance(t, tuple | list) else " destination_modes=unknown"
                        for t in _sys_series(d, "lpar_proc_compat_modes")], dtype="str")

    def mover(frame: pd.DataFrame, values: pd.Series) -> pd.Series:
        return pd.Series(values.array.take(frame["mover_i"].to_numpy()), index=frame.index, dtype="str")

    at_m, dest = bad["mover_i"].to_numpy(), pa.array(bad["destination"])
    return _concat(
        blocker_rows(bad, destination=bad["destination"], resource=mover(bad, ident),
                     message=text_series(join_texts(arrow_at(says, at_m), dest), bad),
                     evidence=text_series(join_texts(arrow_at(ev_mode, at_m), arrow_at(listed, bad["dst_i"].to_numpy())),
                                          bad),
                     fix=text_series(join_texts(arrow_at(fix, at_m), dest,
                                                pa.scalar(" supports and restart", pa.large_string())), bad)),
        blocker_rows(u, status="unknown", destination=u["destination"], evidence=mover(u, ev_mode),
                     message="compatibility mode of the partition or modes of " + u["destination"] + " not captured"),
    )


def name_clash(d: MobilityData) -> Rows:
    """The destination must not already have a partition of the same name."""
    c = d.movable
    p = d.inv.partitions
    listed = pd.Series(in_set(d.systems.index, set(p["system"].unique())))
    taken = p[["system", "name", "lpar_id"]].rename(columns={"system": "destination", "name": "partition",
                                                             "lpar_id": "dest_lpar_id"})
    shared = taken.groupby("partition")["destination"].transform("nunique").gt(1)  # a name on 2+ systems
    # Names and listings are decided per partition and per system, then looked up by the cells' positions.
    clashing = d.movers["partition"].isin(set(taken.loc[shared.to_numpy(bool), "partition"])).to_numpy(bool)
    candidates = c[clashing[c["mover_i"].to_numpy()]] if len(clashing) else c
    hit = candidates.merge(taken, on=["destination", "partition"])
    unk = c[~np.append(listed.to_numpy(bool), False)[c["dst_i"].to_numpy()]]  # position -1: not in the inventory
    return _concat(
        blocker_rows(hit, destination=hit["destination"], resource=hit["destination"] + "/" + hit["partition"],
                     message="a partition named " + hit["partition"] + " already exists on " + hit["destination"]
                     + " (id " + hit["dest_lpar_id"].astype("str") + ")",
                     evidence="name=" + hit["partition"] + " destination_lpar_id=" + hit["dest_lpar_id"].astype("str"),
                     fix=_pair(hit["system"], hit["destination"]) + ": rename one of the two partitions named "
                     + hit["partition"]),
        blocker_rows(unk, status="unknown", destination=unk["destination"],
                     message="partitions of " + unk["destination"] + " not captured (lssyscfg -r lpar)"),
    )


def _sys_flag_ok(d: MobilityData, systems: pd.Series, capability: str) -> pd.Series:
    return sys_value(d, systems, capability).map(_flag).eq(False)


def huge_pages(d: MobilityData) -> Rows:
    """Active LPM is not possible with huge pages assigned (inactive migration is)."""
    m = d.active_movers
    pages = m["curr_num_huge_pages"]
    bad = m[pages.fillna(0).gt(0)]
    profile_none = m["prof_max_num_huge_pages"].eq(0) if "prof_max_num_huge_pages" in m else False
    unk = m[pages.isna() & ~profile_none & ~_sys_flag_ok(d, m["system"], "huge_page_mem_capable")]
    return _concat(
        blocker_rows(bad, evidence="curr_num_huge_pages=" + bad["curr_num_huge_pages"].astype("str"),
                     message=bad["curr_num_huge_pages"].astype("str") + " huge pages assigned",
                     fix=bad["system"] + "/" + bad["partition"] + ": remove the huge pages (or migrate inactive)"),
        blocker_rows(unk, status="unknown", evidence="curr_num_huge_pages=unknown", message="huge pages not captured"),
    )


def bsr(d: MobilityData) -> Rows:
    """Active LPM is not possible with barrier synchronization register (BSR) arrays."""
    m = d.active_movers
    arrays = m["prof_bsr_arrays"] if "prof_bsr_arrays" in m else pd.Series(pd.NA, index=m.index)
    bad = m[arrays.fillna(0).gt(0)]
    unk = m[arrays.isna() & ~_sys_flag_ok(d, m["system"], "bsr_capable")]
    return _concat(
        blocker_rows(bad, evidence="bsr_arrays=" + arrays[bad.index].astype("str"),
                     message=arrays[bad.index].astype("str") + " BSR array(s) in the profile",
                     fix=bad["system"] + "/" + bad["partition"] + ": set bsr_arrays=0 (or migrate inactive)"),
        blocker_rows(unk, status="unknown", evidence="bsr_arrays=unknown", message="BSR arrays not captured (profile)"),
    )


def error_path(d: MobilityData) -> Rows:
    """A partition reporting redundant error paths (redundant_err_path_reporting=1) cannot migrate."""
    m = d.movers[d.movers["mode"].notna()]
    flag = m["redundant_err_path_reporting"].astype("boolean")
    if "prof_redundant_err_path_reporting" in m:
        flag = flag.fillna(m["prof_redundant_err_path_reporting"].astype("boolean"))
    bad, unk = m[flag.fillna(False).astype(bool)], m[flag.isna()]
    return _concat(
        blocker_rows(bad, evidence="redundant_err_path_reporting=1", message="redundant error path reporting is enabled",
                     fix=bad["system"] + "/" + bad["partition"] + ": set redundant_err_path_reporting=0"),
        blocker_rows(unk, status="unknown", evidence="redundant_err_path_reporting=unknown",
                     message="redundant error path reporting not captured"),
    )
