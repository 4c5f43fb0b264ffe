"""Random but reproducible estates of any size, for tests and benchmarks.

Each system gets a VIOS pair and a mix of AIX, Linux and IBM i partitions (shared and dedicated,
some not activated), wired to both VIOS, sized so the system is well used but never
over-committed. The same seed always gives the same estate, byte for byte.
"""

from __future__ import annotations

import random

from hatoolkit.synth.build import MODELS, Wiring, new_system, vios
from hatoolkit.synth.estate import Estate, IoSlot, Lpar, System

_FLEET_MODELS = ("9009-42A", "9009-22A", "9040-MR9", "9105-42A", "9105-22A", "8286-42A")
_OS = {
    "aixlinux": ("AIX 7.3 7300-02-01-2346", "AIX 7.2 7200-05-07-2320", "Linux/Red Hat 5.14.0 9.4",
                 "Linux/SuSE 5.14.21 15.5"),
    "os400": ("IBM i Licensed Internal Code 7.5.0 48 1", "IBM i Licensed Internal Code 7.4.0 48 1"),
}


def fleet(systems: int, seed: int = 1, lpars_per_system: int = 20) -> Estate:
    """An estate of `systems` managed systems with about `lpars_per_system` partitions each."""
    rng = random.Random(seed)
    out = []
    for n in range(systems):
        out.append(_system(rng, n, lpars_per_system))
    return Estate(out)


def _system(rng: random.Random, n: int, lpars: int) -> System:
    type_model = _FLEET_MODELS[rng.randrange(len(_FLEET_MODELS))]
    model = MODELS[type_model]
    generation = model.generation
    count = max(1, lpars + rng.randint(-2, 2) - 2)
    # Size the box for its partitions: about 1.1 cores and 40 GB per partition, plus CoD headroom.
    cores = max(8, min(model.max_cores, int(count * 1.1) + rng.randint(2, 6)))
    installed = min(model.max_cores, cores + rng.choice((0, 0, 4, 8)))
    mem_gb = 256 * max(1, -(-count * 48 // 256))
    site = "a" if n % 2 == 0 else "b"
    system = new_system(f"SYS-{n:04d}", type_model, f"7{n:06X}", cores=cores, installed_cores=installed,
                        mem_gb=mem_gb, installed_mem_gb=mem_gb * rng.choice((1, 1, 2)), hmc=f"hmc-{site}{n // 100}",
                        ipaddr=f"10.{n // 250}.{n % 250}.1")
    compat = {"POWER8": "POWER8", "POWER9": "POWER9", "POWER10": "POWER10"}[generation]
    v1, v2 = vios(1, "vios1", compat=compat), vios(2, "vios2", compat=compat)
    system.lpars += [v1, v2]
    wiring = Wiring(system)
    wiring.vios_pair(v1, v2, vlans=(10, 20, 30))
    budget_units = cores - v1.proc_units - v2.proc_units - 0.5
    budget_mem = system.configurable_mem_mb - v1.mem_mb - v2.mem_mb - 8192 - 64 * 1024 // 4
    for i in range(count):
        lp = _client(rng, 10 + i, generation, prefix=f"s{n:04d}")
        need_units = lp.procs if lp.proc_mode == "ded" else lp.proc_units
        if lp.running and (need_units > budget_units or lp.mem_mb + 4096 > budget_mem):
            lp.state, lp.rmc_state = "Not Activated", "inactive"
        if lp.running:
            budget_units -= need_units
            budget_mem -= lp.mem_mb + 4096
        wiring.lan(lp, rng.choice((10, 10, 20, 30)))
        if rng.random() < 0.5:
            wiring.vscsi(lp, v1, v2)
        else:
            wiring.npiv(lp, v1, v2)
        system.lpars.append(lp)
    for k, owner in enumerate((1, 1, 2, 2, None)):
        system.io_slots.append(IoSlot(f"2101{k:04X}", "PCIe3 4-Port 16Gb FC Adapter" if k % 2 else
                                      "PCIe3 4-port 10GbE SR Adapter", "0C04" if k % 2 else "0200",
                                      phys_loc=f"C{k + 2}", owner=owner))
    if rng.random() < 0.2 and count > 3:
        victim = system.lpars[2 + rng.randrange(count)]
        system.io_slots.append(IoSlot("21030099", "PCIe2 2-port 10GbE RoCE", "0200", phys_loc="C9", owner=victim.id))
        victim.io_slots = ("21030099",)
    system.check()
    return system


def _client(rng: random.Random, lpar_id: int, generation: str, prefix: str) -> Lpar:
    env = "os400" if rng.random() < 0.15 else "aixlinux"
    os_version = rng.choice(_OS[env])
    mem_gb = rng.choice((8, 16, 16, 32, 32, 64, 96, 128))
    dedicated = rng.random() < 0.1
    units = round(rng.choice((0.2, 0.5, 0.5, 1.0, 1.0, 2.0, 3.0)), 2)
    procs = max(1, int(units * 2)) if not dedicated else rng.choice((1, 2, 4))
    modes = {"POWER8": ("POWER8", "POWER7"), "POWER9": ("POWER9", "POWER9_base", "POWER8"),
             "POWER10": ("POWER10", "POWER9_base", "POWER9")}[generation]
    state = "Not Activated" if rng.random() < 0.08 else "Running"
    return Lpar(
        lpar_id, f"{prefix}-lp{lpar_id:03d}-{'ibmi' if env == 'os400' else 'aix'}", env=env, state=state,
        os_version=os_version if state == "Running" else None,
        proc_mode="ded" if dedicated else "shared", proc_units=units, procs=procs,
        min_proc_units=0.1, max_proc_units=max(units * 2, 1.0), min_procs=1, max_procs=max(procs * 2, 2),
        sharing_mode="share_idle_procs" if dedicated else rng.choice(("uncap", "uncap", "cap")),
        mem_mb=mem_gb * 1024, min_mem_mb=max(2048, mem_gb * 256), max_mem_mb=mem_gb * 2048,
        hpt_ratio=64 if env == "os400" else 128, compat_mode=rng.choice(modes),
        rmc_state="active" if rng.random() < 0.9 else "inactive", rmc_ip=f"10.2.{lpar_id // 250}.{lpar_id % 250}",
    )
