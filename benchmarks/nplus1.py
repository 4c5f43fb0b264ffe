"""Benchmark: N+1 failover placement over a 100-system synthetic pool (~2,000 partitions).

Not a timed test: run `python benchmarks/nplus1.py` (or `make bench`) and read the numbers. The
fleet is written in real HMC capture formats and loaded like any bundle (not timed); the timed
part is the failover analysis: for each of the 100 systems, placing its partitions on the 99
survivors at the plan's sizing and at minimum size, on the plan's terms. The capacity checks
(HA101-HA108, which add the per-dimension and variant placements) are timed separately.
Target (issue 4): under 5 s on 2 cores.

The synthetic fleet has room to spare, so first-fit decreasing decides every scenario. `--tight`
adds a second measurement where the exact MILP has work: the fleet cut into pools of 10 systems
whose free capacity is shrunk to about what one member's loss needs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

SYSTEMS = 100


def measure(systems: int = SYSTEMS, lpars: int = 20, seed: int = 1, *, verbose: bool = False) -> dict[str, float]:
    """Time the N+1 placements of a `systems`-system pool, then the capacity checks on it (for `make bench`)."""
    from hatoolkit import load_inventory
    from hatoolkit.analysis.failover import FailoverAnalysis
    from hatoolkit.checks import run_checks
    from hatoolkit.model.plan import plan_from_text
    from hatoolkit.synth import write_fleet

    with tempfile.TemporaryDirectory(prefix="hatoolkit-nplus1-") as tmp:
        t0 = time.perf_counter()
        write_fleet(Path(tmp), systems, seed=seed, lpars_per_system=lpars)
        inv = load_inventory(tmp)
        load_s = time.perf_counter() - t0
    names = ", ".join(inv.systems["system"])
    plan = plan_from_text(f"failover:\n  pools:\n    - name: fleet\n      systems: [{names}]\n")

    t0 = time.perf_counter()
    fa = FailoverAnalysis(inv, plan)
    results = []
    for sc in fa.primary():
        results.append(fa.placement(sc, fa.allowed(sc)))
        results.append(fa.placement(sc, fa.allowed(sc, "minimum")))
    place_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    found, _ = run_checks(inv, plan, families=["capacity"])
    checks_s = time.perf_counter() - t0
    if verbose:
        methods: dict[str, int] = {}
        for p in results:
            methods[p.method] = methods.get(p.method, 0) + 1
        print(f"fleet: {len(inv.systems)} systems, {len(inv.partitions)} partitions "
              f"(generated and loaded in {load_s:.1f} s)")
        print(f"scenarios: {len(fa.primary())}, placements: {len(results)}, "
              f"does_not_fit: {sum(p.status == 'does_not_fit' for p in results)}, methods: {methods}")
    return {f"nplus1_{systems}_systems_s": place_s, f"capacity_checks_{systems}_systems_s": checks_s,
            f"capacity_checks_{systems}_systems_count": float(len(found)), "_inventory": inv}  # type: ignore[dict-item]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=SYSTEMS)
    parser.add_argument("--lpars", type=int, default=20, help="partitions per system (on average)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tight", action="store_true", help="also time tight 10-system pools (MILP path)")
    args = parser.parse_args(argv)
    result = measure(args.systems, args.lpars, args.seed, verbose=True)
    inv = result.pop("_inventory")
    for name, value in result.items():
        print(f"{name}: {value:.2f}{'' if name.endswith('_count') else ' s'}")
    if args.tight:
        tight(inv, args.seed)


def tight(inv, seed: int) -> None:
    """Pools of 10 systems, each system's free capacity about a ninth of an average member's demand."""
    import numpy as np

    from hatoolkit.analysis.failover import FailoverAnalysis
    from hatoolkit.model.plan import plan_from_text

    rng = np.random.default_rng(seed)
    parts = inv.partitions[inv.partitions["lpar_env"] != "vioserver"]
    running = parts[parts["state"] == "Running"]
    units = running["curr_proc_units"].fillna(running["curr_procs"].astype("Float64"))
    need_p = units.groupby(running["system"]).sum()
    need_m = running["curr_mem_mb"].groupby(running["system"]).sum()
    systems = inv.systems.copy()
    names = list(systems["system"])
    pools = [names[i:i + 10] for i in range(0, len(names), 10)]
    avail_p, avail_m = [], []
    for name in names:
        group = next(g for g in pools if name in g)
        share = rng.uniform(0.8, 1.3) / (len(group) - 1)
        avail_p.append(round(float(need_p[group].mean()) * 1.15 * share, 2))
        avail_m.append(int(float(need_m[group].mean()) * 1.15 * share))
    systems["curr_avail_sys_proc_units"] = pd.array(avail_p, dtype="Float64")
    systems["curr_avail_sys_mem_mb"] = pd.array(avail_m, dtype="Int64")
    tight_inv = inv.replace(systems=systems)
    text = "failover:\n  pools:\n" + "".join(
        f"    - name: p{i}\n      systems: [{', '.join(g)}]\n" for i, g in enumerate(pools))
    plan = plan_from_text(text)
    t0 = time.perf_counter()
    fa = FailoverAnalysis(tight_inv, plan)
    results = [fa.placement(sc, fa.allowed(sc)) for sc in fa.primary()]
    results += [fa.placement(sc, fa.allowed(sc, "minimum")) for sc in fa.primary()]
    took = time.perf_counter() - t0
    methods: dict[str, int] = {}
    for p in results:
        methods[p.method] = methods.get(p.method, 0) + 1
    statuses = {s: sum(p.status == s for p in results) for s in ("fits", "does_not_fit", "unknown")}
    print(f"tight pools of 10: {len(results)} placements, {statuses}, methods: {methods}")
    print(f"nplus1_tight_pools_s: {took:.2f} s")


if __name__ == "__main__":
    main()
