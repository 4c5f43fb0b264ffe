"""The VIOS-side view of a synthetic estate, derived from the HMC wiring so both agree.

Every client vSCSI adapter served by a VIOS becomes a vhost with one virtual target device per
client LUN; every vFC server adapter a vfchost mapped to a physical FC port; every virtual
Ethernet adapter a device entN, the trunk adapters bridged by an SEA (over an EtherChannel
where the system's `SanNet` says so). LUNs carry UDIDs derived from the owning partition, so the
same LUN keeps its UDID on both VIOS of a pair and on every system of its SAN fabric while its
hdisk name differs (a partner VIOS has an extra local disk): joins must use UDIDs. Exceptions
(a reserving disk, a logical-volume-backed disk, a LUN not zoned to a system) are listed in
`ViosTweaks`, so a scenario states its weaknesses in one place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from hatoolkit.synth.estate import (
    Estate,
    Lpar,
    System,
    ViosConfig,
    ViosDisk,
    ViosEtherChannel,
    ViosSea,
    Vtd,
)

LunKey = tuple[str, str, str]  # (system, client partition, label)


@dataclass(frozen=True)
class SanNet:
    """How a system's VIOS connect: SAN fabric name, SEA HA mode, and the SEA's real adapter."""

    fabric: str = "fabric-a"
    ha_mode: str = "auto"
    real_adapter: str = "etherchannel"  # "etherchannel" (8023ad over ent0+ent1), "nib" (ent0 backup ent2), "ent0"


@dataclass
class ViosTweaks:
    data_luns: frozenset[str] = frozenset()  # client names with a second (data) LUN
    reserve: dict[tuple[str, str], str] = field(default_factory=dict)  # (vios name, LunKey label "client/label") -> policy
    lv_backed: dict[tuple[str, str], str] = field(default_factory=dict)  # (vios name, "client/label") -> LV name
    hidden: dict[LunKey, frozenset[str]] = field(default_factory=dict)  # LUN -> systems whose VIOS do not see it
    hostnames: dict[str, str] = field(default_factory=dict)  # VIOS partition name -> host name
    # client name -> its own LUNs as (label, VIOS name): each LUN mapped through that VIOS only (a guest
    # that mirrors its disks across VIOS instead of multipathing one LUN through both)
    split: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    unmapped: frozenset[tuple[str, str]] = frozenset()  # (VIOS name, "client/label") the VIOS sees but never mapped
    paths: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(default_factory=dict)  # -> ((fscsiN, status),)
    sea_ha_mode: dict[tuple[str, int], str] = field(default_factory=dict)  # (VIOS name, trunk slot) -> ha_mode
    sea_real: dict[tuple[str, int], str] = field(default_factory=dict)  # (VIOS name, trunk slot) -> real adapter
    no_ctl_chan: frozenset[str] = frozenset()  # VIOS whose SEA pair uses no control channel (VIOS 2.2.3+: VLAN 4095)


def udid_of(key: LunKey) -> str:
    """An IBM FlashSystem-style UDID: 3321360050768 + 19 hex digits + 04214503IBMfcp."""
    digest = hashlib.sha1("/".join(key).encode()).hexdigest().upper()
    return f"3321360050768{digest[:19]}04214503IBMfcp"


def pvid_of(udid: str) -> str:
    return f"00f6{hashlib.sha1(udid.encode()).hexdigest()[:12]}0000000000000000"


def _luns(system: System, tweaks: ViosTweaks) -> list[tuple[LunKey, Lpar]]:
    out = []
    for lp in sorted(system.lpars, key=lambda x: x.id):
        if lp.env == "vioserver" or not any(_is_vios(system, a.remote_id) for a in lp.vscsi):
            continue
        if lp.name in tweaks.split:
            out += [((system.name, lp.name, label), lp) for label, _ in tweaks.split[lp.name]]
            continue
        out.append(((system.name, lp.name, "rootvg"), lp))
        if lp.name in tweaks.data_luns:
            out.append(((system.name, lp.name, "data"), lp))
    return out


def _mapped_here(tweaks: ViosTweaks, vios: Lpar, key: LunKey) -> bool:
    """Whether this VIOS maps the client LUN (split LUNs go through their own VIOS only)."""
    if (vios.name, f"{key[1]}/{key[2]}") in tweaks.unmapped:
        return False
    split = dict(tweaks.split.get(key[1], ()))
    return key[2] not in split or split[key[2]] == vios.name


def _is_vios(system: System, lpar_id: int | None) -> bool:
    return any(lp.id == lpar_id and lp.env == "vioserver" for lp in system.lpars)


def configure_vios(estate: Estate, nets: dict[str, SanNet], tweaks: ViosTweaks | None = None) -> None:
    """Give every VIOS of the systems in `nets` its VIOS-side configuration (in place)."""
    tweaks = tweaks or ViosTweaks()
    luns = {s.name: _luns(s, tweaks) for s in estate.systems if s.name in nets}
    for system in estate.systems:
        if system.name not in nets:
            continue
        net = nets[system.name]
        visible = [key for other, keys in luns.items() if nets[other].fabric == net.fabric for key, _ in keys
                   if system.name not in tweaks.hidden.get(key, frozenset())]
        pair = sorted((lp for lp in system.lpars if lp.env == "vioserver"), key=lambda x: x.id)
        for rank, vios in enumerate(pair):
            vios.vios_config = _one_vios(system, vios, rank, net, sorted(visible), luns[system.name], tweaks)


def _one_vios(system: System, vios: Lpar, rank: int, net: SanNet, visible: list[LunKey],
              own: list[tuple[LunKey, Lpar]], tweaks: ViosTweaks) -> ViosConfig:
    cfg = ViosConfig(hostname=tweaks.hostnames.get(vios.name, vios.name.lower()))
    locals_ = ["rootvg"] + (["rootvg-mirror"] if rank % 2 else [])
    for i, label in enumerate(locals_):
        cfg.disks.append(ViosDisk(f"hdisk{i}", f"2A1135000C500{system.serial}{vios.id:02d}{i:02d}09MBF2600RCST03IBMsas",
                                  reserve_policy="single_path", local=True, pvid=pvid_of(f"{vios.name}/{label}"),
                                  paths=(("sas0", "Enabled", f"{i},0"),)))
    hdisk_of: dict[LunKey, str] = {}
    lv_names = []
    for key in visible:
        tag = f"{key[1]}/{key[2]}"
        if key[0] == system.name and (vios.name, tag) in tweaks.lv_backed:
            continue  # this VIOS serves that client disk from a logical volume, not from the LUN
        name = f"hdisk{len(cfg.disks)}"
        hdisk_of[key] = name
        udid = udid_of(key)
        wwpn = f"500507680c{hashlib.sha1(net.fabric.encode()).hexdigest()[:4]}"
        lun_id = f"{len(cfg.disks):x}000000000000"
        states = tweaks.paths.get((vios.name, tag), (("fscsi0", "Enabled"), ("fscsi1", "Enabled")))
        paths = tuple((parent, state, f"{wwpn}{parent[-1]}{rank},{lun_id}") for parent, state in states)
        cfg.disks.append(ViosDisk(name, udid, tweaks.reserve.get((vios.name, tag), "no_reserve"), pvid_of(udid),
                                  paths=paths))
    for adapter in sorted(vios.vscsi, key=lambda a: a.slot):
        client_luns = [key for key, lp in own if lp.id == adapter.remote_id and _mapped_here(tweaks, vios, key)]
        targets = []
        for n, key in enumerate(client_luns, start=1):
            tag = f"{key[1]}/{key[2]}"
            lv = tweaks.lv_backed.get((vios.name, tag))
            if lv:
                lv_names.append(lv)
            backing = lv or hdisk_of.get(key)
            if backing:
                targets.append(Vtd(f"vt{key[1].lower().replace('-', '')}_{key[2].replace('-', '')}", backing, n))
        cfg.vtds[adapter.slot] = targets
    cfg.logical_volumes = tuple(lv_names)
    for n, adapter in enumerate(sorted(vios.vfc, key=lambda a: a.slot)):
        cfg.fc_ports[adapter.slot] = f"fcs{n % 2}"
    _network(cfg, vios, net, tweaks)
    return cfg


def _network(cfg: ViosConfig, vios: Lpar, net: SanNet, tweaks: ViosTweaks) -> None:
    """ent0-3 physical; an EtherChannel (if any) next; then one entN per virtual slot; the SEAs last.

    Each trunk adapter gets its own SEA (the first one over the system's real adapter, with the
    control channel); `ViosTweaks.sea_real` / `sea_ha_mode` give the others their own port and mode.
    """
    next_dev = 4
    if net.real_adapter == "etherchannel":
        cfg.etherchannels.append(ViosEtherChannel("ent4", ("ent0", "ent1")))
        real, next_dev = "ent4", 5
    elif net.real_adapter == "nib":
        cfg.etherchannels.append(ViosEtherChannel("ent4", ("ent0",), backup_adapter="ent2", mode="standard",
                                                  hash_mode="default"))
        real, next_dev = "ent4", 5
    else:
        real = net.real_adapter
    for veth in sorted(vios.veths, key=lambda a: a.slot):
        cfg.veth_devices[veth.slot] = f"ent{next_dev}"
        next_dev += 1
    trunks = [v for v in sorted(vios.veths, key=lambda a: a.slot) if v.trunk_priority]
    if not trunks:
        return
    control = next((v for v in vios.veths if not v.trunk_priority and v.pvid == 99), None)
    for n, trunk in enumerate(trunks):
        key = (vios.name, trunk.slot)
        cfg.seas.append(ViosSea(f"ent{next_dev + n}", tweaks.sea_real.get(key, real), (cfg.veth_devices[trunk.slot],),
                                trunk.pvid, cfg.veth_devices[control.slot] if control and n == 0
                                and vios.name not in tweaks.no_ctl_chan else None,
                                tweaks.sea_ha_mode.get(key, net.ha_mode)))
