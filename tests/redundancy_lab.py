"""Small synthetic estates for the redundancy tests, written as real HMC, VIOS and IBM i exports and loaded back.

A `RLab` holds systems (each with a VIOS pair unless told otherwise), per-system SAN/SEA settings
and VIOS tweaks; helpers add guests, IBM i hosting partitions with their network exports, and
IBM i guests with disk-unit exports. Names of the entities a check should flag start with
`fail_`, those it must not flag with `pass_` (checkov style).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hatoolkit import load_inventory
from hatoolkit.synth import write_estate
from hatoolkit.synth.build import Wiring, new_system, vios
from hatoolkit.synth.estate import (
    DiskUnit,
    Estate,
    HeaPort,
    IbmiHost,
    IoSlot,
    LineDesc,
    Lpar,
    System,
    TcpIfc,
)
from hatoolkit.synth.hmc_writer import Quirks
from hatoolkit.synth.vios_build import SanNet, ViosTweaks, configure_vios

AIX = "AIX 7.3 7300-02-02-2420"
IBMI = "IBM i Licensed Internal Code 7.5.0 48 1"


@dataclass
class RLab:
    systems: list[System] = field(default_factory=list)
    wirings: dict[str, Wiring] = field(default_factory=dict)
    nets: dict[str, SanNet] = field(default_factory=dict)
    tweaks: ViosTweaks = field(default_factory=ViosTweaks)
    uncaptured_vios: set[str] = field(default_factory=set)  # VIOS partition names whose captures are not written
    plan_yaml: str | None = None

    def system(self, name: str, *, vlans: tuple[int, ...] = (10, 20), with_vios: bool = True, net: SanNet | None = None,
               type_model: str = "9105-42A") -> System:
        n = len(self.systems)
        s = new_system(name, type_model, f"78{n:05d}", cores=32, mem_gb=1024, hmc="hmc1")
        w = Wiring(s)
        if with_vios:
            v1, v2 = vios(1, f"{name}-VIOS1", compat="POWER10"), vios(2, f"{name}-VIOS2", compat="POWER10")
            s.lpars += [v1, v2]
            w.vios_pair(v1, v2, vlans=vlans)
            s.io_slots += [IoSlot(f"21{n:02d}0001", "FC adapter", "0C04", phys_loc="C1", owner=1),
                           IoSlot(f"21{n:02d}0002", "FC adapter", "0C04", phys_loc="C2", owner=2),
                           IoSlot(f"21{n:02d}0003", "10GbE adapter", "0200", phys_loc="C3", owner=1),
                           IoSlot(f"21{n:02d}0004", "10GbE adapter", "0200", phys_loc="C4", owner=2)]
        self.systems.append(s)
        self.wirings[name] = w
        self.nets[name] = net or SanNet()
        return s

    def sys(self, name: str) -> System:
        return next(s for s in self.systems if s.name == name)

    def guest(self, system: str, lpar_id: int, name: str, *, vlan: int = 10, storage: str = "vscsi",
              servers: tuple[str, ...] | None = None, **kw: object) -> Lpar:
        s = self.sys(system)
        fields: dict[str, object] = {"os_version": AIX, "compat_mode": "POWER9", "proc_units": 0.5, "mem_mb": 8192}
        fields.update(kw)
        lp = Lpar(lpar_id, name, **fields)  # type: ignore[arg-type]
        s.lpars.append(lp)
        w = self.wirings[system]
        if vlan:
            w.lan(lp, vlan)
        targets = [s.lpar(n) for n in servers] if servers else [v for v in s.lpars if v.env == "vioserver"]
        if storage == "vscsi":
            w.vscsi(lp, *targets)
        elif storage == "npiv":
            w.npiv(lp, *targets)
        return lp

    def ibmi_host(self, system: str, lpar_id: int, name: str, *, vlan: int, mode: str = "vipa", prefs: int = 2,
                  layout: str = "cards", inactive: bool = False, proxy: bool = True, assoc_known: bool = True) -> Lpar:
        """An IBM i partition bridging `vlan` for its guests by proxy ARP, with interfaces and lines exported.

        mode: vipa (through a virtual IP with `prefs` preferred interfaces) or direct (one interface);
        layout: cards (two cards), card (two ports of one card), hea (two logical ports of one IVE port).
        """
        s = self.sys(system)
        lp = Lpar(lpar_id, name, env="os400", os_version=IBMI, compat_mode="POWER9", proc_units=0.5, mem_mb=8192)
        s.lpars.append(lp)
        self.wirings[system].lan(lp, vlan)
        slot = lp.veths[-1].slot
        lines = [LineDesc("VETH", "CMN10", virtual_slot=slot)]
        if layout == "hea":
            s.hea_ports += [HeaPort("23000000", lpar_id, 0, 1, lpar_id), HeaPort("23000000", lpar_id, 0, 2, lpar_id)]
            lines += [LineDesc("ETH1", "CMN01", hea_logical_port=1), LineDesc("ETH2", "CMN02", hea_logical_port=2)]
        else:
            cards = ("C7", "C7") if layout == "card" else (f"C{10 + lpar_id}", f"C{30 + lpar_id}")
            for c in sorted(set(cards)):
                s.io_slots.append(IoSlot(f"22{lpar_id:02d}{c[1:]:0>4}", "Ethernet", "0200", phys_loc=c, owner=lpar_id))
            lines += [LineDesc("ETH1", "CMN01", card=cards[0], port=1),
                      LineDesc("ETH2", "CMN02", card=cards[1], port=2 if layout == "card" else 1)]
        base = f"10.{lpar_id}.0"
        ifcs = [TcpIfc(f"{base}.11", "ETH1"), TcpIfc(f"{base}.12", "ETH2", status="INACTIVE" if inactive else "ACTIVE")]
        target = f"{base}.11"
        if mode == "vipa":
            chosen = tuple(f"{base}.{11 + i}" for i in range(prefs))
            ifcs.append(TcpIfc(f"{base}.10", "*VIRTUALIP", proxy_arp_enabled=proxy, preferred=chosen))
            target = f"{base}.10"
        ifcs.append(TcpIfc(f"10.{lpar_id}.1.1", "VETH", line_type="VETH", mask="255.255.255.0", proxy_arp_allowed=False,
                           associated=target if assoc_known else ""))
        lp.ibmi = IbmiHost(name.upper()[:8], 7, 5, "2026-11-25 05:00:00", lines=lines, interfaces=ifcs)
        return lp

    def ibmi_guest_units(self, lp: Lpar, units: list[DiskUnit]) -> None:
        lp.ibmi = IbmiHost(lp.name.upper()[:8], 7, 5, "2026-11-25 05:00:00", disk_units=units)

    def load(self, root: Path):
        estate = Estate(self.systems, plan_yaml=self.plan_yaml)
        configure_vios(estate, self.nets, self.tweaks)
        for s in self.systems:
            for lp in s.lpars:
                if lp.name in self.uncaptured_vios:
                    lp.vios_config = None
        styles = {s.name: ("files", Quirks(), None) for s in self.systems}
        write_estate(estate, root, styles, vios_styles="files")
        return load_inventory(root)
