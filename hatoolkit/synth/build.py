"""Helpers to assemble synthetic systems: models by generation, VIOS pairs, adapter wiring.

Wiring is the error-prone part of a hand-made estate (client slot N must point at server slot M
on the right VIOS, and back), so it is done once here for both the random fleet and the sample.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from hatoolkit.synth.estate import Lpar, System, VEth, VFc, VScsi


@dataclass(frozen=True)
class Model:
    type_model: str
    name: str
    generation: str
    max_cores: int
    compat_modes: tuple[str, ...]


MODELS: dict[str, Model] = {
    m.type_model: m
    for m in (
        Model("8205-E6C", "Power 740", "POWER7", 16, ("default", "POWER6", "POWER6+", "POWER7")),
        Model("8286-42A", "Power S824", "POWER8", 24, ("default", "POWER6", "POWER6+", "POWER7", "POWER8")),
        Model("9009-22A", "Power S922", "POWER9", 20, ("default", "POWER7", "POWER8", "POWER9_base", "POWER9")),
        Model("9009-42A", "Power S924", "POWER9", 24, ("default", "POWER7", "POWER8", "POWER9_base", "POWER9")),
        Model("9040-MR9", "Power E950", "POWER9", 48, ("default", "POWER7", "POWER8", "POWER9_base", "POWER9")),
        Model("9105-22A", "Power S1022", "POWER10", 40, ("default", "POWER8", "POWER9_base", "POWER9", "POWER10")),
        Model("9105-42A", "Power S1024", "POWER10", 48, ("default", "POWER8", "POWER9_base", "POWER9", "POWER10")),
        Model("9080-HEX", "Power E1080", "POWER10", 240, ("default", "POWER8", "POWER9_base", "POWER9", "POWER10")),
    )
}


def new_system(name: str, type_model: str, serial: str, *, cores: float, installed_cores: float | None = None,
               mem_gb: int, installed_mem_gb: int | None = None, hmc: str = "hmc1", ipaddr: str = "10.0.0.1",
               **kw: object) -> System:
    model = MODELS[type_model]
    return System(
        name=name, type_model=type_model, serial=serial, hmc=hmc, ipaddr=ipaddr,
        installed_proc_units=float(installed_cores or cores), configurable_proc_units=float(cores),
        installed_mem_mb=(installed_mem_gb or mem_gb) * 1024, configurable_mem_mb=mem_gb * 1024,
        compat_modes=model.compat_modes, lhea_capable=model.generation in ("POWER6", "POWER7"), **kw,  # type: ignore[arg-type]
    )


class Wiring:
    """Allocates virtual slots per partition and connects client adapters to VIOS server adapters."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.next_slot: dict[int, int] = {}

    def slot(self, lp: Lpar) -> int:
        first = 20 if lp.env == "vioserver" else 4
        n = self.next_slot.get(lp.id, first)
        self.next_slot[lp.id] = n + 1
        return n

    def vios_pair(self, a: Lpar, b: Lpar, vlans: tuple[int, ...] = (10, 20), control_vlan: int = 99) -> None:
        """Trunk adapters for an SEA failover pair: priority 1 on `a`, 2 on `b`, plus control channel."""
        pvid, *addl = vlans
        for vios, prio in ((a, 1), (b, 2)):
            vios.veths.append(VEth(self.slot(vios), pvid, tuple(addl), trunk_priority=prio, ieee=True))
            vios.veths.append(VEth(self.slot(vios), control_vlan))

    def lan(self, lp: Lpar, pvid: int, addl: tuple[int, ...] = ()) -> None:
        lp.veths.append(VEth(self.slot(lp), pvid, addl, ieee=bool(addl)))

    def vscsi(self, client: Lpar, *servers: Lpar) -> None:
        for server in servers:
            cslot, sslot = self.slot(client), self.slot(server)
            client.vscsi.append(VScsi(cslot, "client", server.id, server.name, sslot))
            server.vscsi.append(VScsi(sslot, "server", client.id, client.name, cslot, required=False))

    def npiv(self, client: Lpar, *servers: Lpar) -> None:
        for server in servers:
            cslot, sslot = self.slot(client), self.slot(server)
            seed = zlib.crc32(f"{self.system.serial}/{client.id}/{cslot}".encode())
            base = 0xC0507600_0000_0000 + seed * 2
            wwpns = (f"{base:016x}", f"{base + 1:016x}")
            client.vfc.append(VFc(cslot, "client", server.id, server.name, sslot, wwpns))
            server.vfc.append(VFc(sslot, "server", client.id, client.name, cslot, required=False))


def vios(lpar_id: int, name: str, *, units: float = 1.0, mem_gb: int = 8, msp: bool = True,
         compat: str = "POWER9") -> Lpar:
    return Lpar(lpar_id, name, env="vioserver", os_version="VIOS 3.1.4.30", proc_units=units,
                procs=max(1, int(units * 2)), max_proc_units=units * 2, mem_mb=mem_gb * 1024,
                min_mem_mb=4096, max_mem_mb=mem_gb * 2048, msp=msp, sharing_mode="uncap", uncap_weight=255,
                compat_mode=compat, rmc_ip=f"10.1.0.{lpar_id}")
