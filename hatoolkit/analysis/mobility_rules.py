"""LPM prerequisites, one rule each: which (partition, destination) pairs each one blocks, and why.

Every rule returns blocker rows (see mobility_data.blocker_rows): `fail` when the export shows
the prerequisite broken, `unknown` when the data needed to decide is missing (naming it) — never
silence. `fix` names the one change that removes the blocker, so blockers can be ranked by how
many moves a single fix unblocks. Sources: reference §C (IBM "Configuration validation for
partition mobility", HMC MigrationRequirements, Power8/9/10 LPM pages, IBM i LPM requirements).
Destination capacity is not a rule here: it belongs to analysis.capacity (wired after issue 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from hatoolkit.analysis import hardware as hw
from hatoolkit.analysis import vios as vio
from hatoolkit.analysis.mobility_data import (
    MobilityData,
    blocker_rows,
    empty_blockers,
    lpar_listed,
    sys_value,
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


def _active(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["mode"] == "active"]


# --------------------------------------------------------------------------- systems


def system_capability(d: MobilityData) -> Rows:
    """Source and destination capable of this kind of mobility, and a generation pair IBM supports."""
    c = d.cells[d.cells["mode"].notna()]
    parts = []
    for side, column in (("source", "system"), ("destination", "destination")):
        for mode in ("active", "inactive"):
            attr = f"{mode}_lpar_mobility_capable"
            sub = c[c["mode"] == mode]
            flag = sys_value(d, sub[column], attr).map(_flag)
            bad, unknown = sub[flag.eq(False)], sub[flag.isna()]
            parts.append(blocker_rows(bad, destination=bad["destination"], resource=bad[column],
                                      message=bad[column] + f" ({side}) is not capable of {mode} partition mobility",
                                      evidence=f"{attr}=0", fix=bad[column] + f": enable {mode} partition mobility "
                                      "(PowerVM Enterprise Edition)"))
            parts.append(blocker_rows(unknown, status="unknown", destination=unknown["destination"],
                                      resource=unknown[column], evidence=f"{attr}=unknown",
                                      message=unknown[column] + f" ({side}): {attr} not captured or unavailable "
                                      "(system powered off?)"))
    gen_src = sys_value(d, c["system"], "type_model").map(hw.generation)
    gen_dst = sys_value(d, c["destination"], "type_model").map(hw.generation)
    known = gen_src.notna() & gen_dst.notna()
    ok = pd.Series([hw.lpm_pair_supported(int(a), int(b)) if k else True
                    for a, b, k in zip(gen_src, gen_dst, known, strict=True)], index=c.index)
    bad = c[known & ~ok]
    names = gen_src[bad.index].map(hw.generation_name).astype("str") + " -> " \
        + gen_dst[bad.index].map(hw.generation_name).astype("str")
    parts.append(blocker_rows(bad, destination=bad["destination"], resource=bad["destination"],
                              message=names + ": IBM does not support partition mobility between these generations",
                              evidence="type_model=" + sys_value(d, bad["system"], "type_model").astype("str") + " -> "
                              + sys_value(d, bad["destination"], "type_model").astype("str"),
                              fix=None))
    unk = c[~known]
    which = sys_value(d, unk["system"], "type_model").astype("str").where(gen_src[unk.index].isna(),
                                                                          sys_value(d, unk["destination"], "type_model").astype("str"))
    parts.append(blocker_rows(unk, status="unknown", destination=unk["destination"], resource=unk["destination"],
                              message="processor generation of type-model " + which + " is not known to hatoolkit",
                              evidence="type_model=" + which))
    return _concat(*parts)


def msp(d: MobilityData) -> Rows:
    """Active LPM needs a running mover service partition (msp=1, RMC active) on both systems."""
    v = vio.vios_ids(d.inv)
    usable = v[(v["msp"].fillna(False).astype(bool)) & (v["state"].str.lower() == "running")
               & (v["rmc_state"].str.lower() == "active")]
    status: dict[str, tuple[str, str]] = {}
    listed = lpar_listed(d.inv)
    for system in d.systems.index:
        mine = v[v["system"] == system]
        if system not in listed:
            status[system] = ("unknown", "partitions=not captured")
            continue
        text = " ".join(f"{n}:msp={'unknown' if pd.isna(m) else int(bool(m))}"
                        for n, m in zip(mine["name"], mine["msp"], strict=True)) or "vios=none"
        if (usable["system"] == system).any():
            status[system] = ("ok", text)
        elif mine.empty:
            status[system] = ("fail", "no VIOS partition")
        elif mine["msp"].isna().any() or mine["rmc_state"].isna().any():
            status[system] = ("unknown", text)
        else:
            status[system] = ("fail", text)
    c = _active(d.cells)
    parts = []
    for side, column in (("source", "system"), ("destination", "destination")):
        state = c[column].map(lambda s: status.get(s, ("unknown", "vios=not captured"))[0])
        text = c[column].map(lambda s: status.get(s, ("unknown", "vios=not captured"))[1])
        bad, unk = c[state == "fail"], c[state == "unknown"]
        parts.append(blocker_rows(bad, destination=bad["destination"], resource=bad[column],
                                  message=bad[column] + f" ({side}) has no running VIOS with msp=1 and RMC active",
                                  evidence=text[bad.index], fix=bad[column] + ": set msp=1 on a running VIOS"))
        parts.append(blocker_rows(unk, status="unknown", destination=unk["destination"], resource=unk[column],
                                  message=unk[column] + f" ({side}): VIOS msp or rmc_state not captured "
                                  "(lssyscfg -r lpar -F name,msp,rmc_state)", evidence=text[unk.index]))
    return _concat(*parts)


def lmb(d: MobilityData) -> Rows:
    """Source and destination must use the same logical memory block (memory region) size."""
    c = d.cells[d.cells["mode"].notna()]
    a, b = sys_value(d, c["system"], "mem_region_size_mb"), sys_value(d, c["destination"], "mem_region_size_mb")
    known = a.notna() & b.notna()
    bad = c[known & (a != b)]
    unk = c[~known]
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
    group = _active(m)[_active(m)["work_group_id"].notna()]
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
    captured = set(slots["system"])
    owned = slots.dropna(subset=["lpar_id"]).groupby(["system", "lpar_id"])["drc_index"].agg(lambda s: ",".join(s))
    key = pd.MultiIndex.from_frame(m[["system", "lpar_id"]])
    now = pd.Series(owned.reindex(key).to_numpy(), index=m.index, dtype=object)
    prof = m["prof_io_slots"].map(lambda t: tuple(t) if isinstance(t, tuple) else None)
    required = prof.map(lambda t: None if t is None else ",".join(e.split("/")[0] for e in t if e.endswith("/1")))
    listed = prof.map(lambda t: None if t is None else ",".join(e.split("/")[0] for e in t))
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
    prof = m["prof_lhea_logical_ports"].map(lambda t: t if isinstance(t, tuple) else None)
    capable = sys_value(d, m["system"], "lhea_capable").map(_flag)
    has_listing = m["system"].isin(set(d.inv.hea_ports["system"]))
    bad = n_now.fillna(0).gt(0) | prof.map(lambda t: bool(t))
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
    m = _active(d.movers)
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
    c = d.cells[d.cells["mode"].notna()].merge(
        d.movers[["system", "lpar_id", "curr_lpar_proc_compat_mode", "desired_lpar_proc_compat_mode",
                  "prof_lpar_proc_compat_mode"]], on=["system", "lpar_id"])
    preferred = c["prof_lpar_proc_compat_mode"].fillna(c["desired_lpar_proc_compat_mode"])
    mode = c["curr_lpar_proc_compat_mode"].where(c["mode"] == "active", preferred)
    norm = mode.map(hw.compat_mode)
    supported = sys_value(d, c["destination"], "lpar_proc_compat_modes").map(hw.compat_modes)
    ok = pd.Series([(n == "DEFAULT" and md == "inactive") or (s is not None and n in s)
                    for n, s, md in zip(norm, supported, c["mode"], strict=True)], index=c.index)
    unknown = ~ok & (norm.isna() | supported.isna())
    bad = c[~ok & ~unknown]
    u = c[unknown]
    which = pd.Series(["current" if md == "active" else "preferred" for md in c["mode"]], index=c.index)
    modes = sys_value(d, bad["destination"], "lpar_proc_compat_modes").map(lambda t: ",".join(t)).astype("str")
    return _concat(
        blocker_rows(bad, destination=bad["destination"], resource=bad["system"] + "/" + bad["partition"],
                     message=which[bad.index] + " processor compatibility mode " + mode[bad.index].astype("str")
                     + " is not supported by " + bad["destination"],
                     evidence="lpar_proc_compat_mode=" + mode[bad.index].astype("str") + " destination_modes=" + modes,
                     fix=bad["system"] + "/" + bad["partition"] + ": set the preferred compatibility mode to one "
                     + bad["destination"] + " supports and restart"),
        blocker_rows(u, status="unknown", destination=u["destination"],
                     evidence="lpar_proc_compat_mode=" + mode[u.index].astype("str"),
                     message="compatibility mode of the partition or modes of " + u["destination"] + " not captured"),
    )


def name_clash(d: MobilityData) -> Rows:
    """The destination must not already have a partition of the same name."""
    c = d.cells[d.cells["mode"].notna()]
    p = d.inv.partitions
    listed = set(p["system"])
    taken = p[["system", "name", "lpar_id"]].rename(columns={"system": "destination", "name": "partition",
                                                             "lpar_id": "dest_lpar_id"})
    hit = c.merge(taken, on=["destination", "partition"])
    unk = c[~c["destination"].isin(listed)]
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
    m = _active(d.movers)
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
    m = _active(d.movers)
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
