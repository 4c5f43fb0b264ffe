"""`make bench`: every metric as one line `name: value unit`, measured beside its baseline.

Targets (2 cores, 24 GB): ingest_vs_read_csv <= 2.0; findings_1000_systems_s <= 10 with peak
<= 2,000 MB; nplus1_100_systems_s <= 5; audit_overhead_ratio <= 2.0; report_size_mb <= 20.
`--profile` also writes a pyinstrument profile of the findings run to benchmarks/out/.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

UNITS = (("_ratio", "x"), ("_vs_read_csv", "x"), ("_per_s", "records/s"), ("_mb", "MB"), ("_count", ""),
         ("_s", "s"))
TARGETS = {
    "ingest_vs_read_csv": ("<=", 2.0),
    "findings_1000_systems_s": ("<=", 10.0),
    "findings_1000_systems_peak_mb": ("<=", 2000.0),
    "nplus1_100_systems_s": ("<=", 5.0),
    "audit_overhead_ratio": ("<=", 2.0),
    "report_size_mb": ("<=", 20.0),
}


def unit(name: str) -> str:
    for suffix, u in UNITS:
        if name.endswith(suffix):
            return u
    return ""


def machine() -> str:
    import pandas
    import pyarrow

    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"machine: {os.cpu_count()} cores, {mem_gb:.0f} GB, {platform.machine()}, Python "
            f"{platform.python_version()}, pandas {pandas.__version__}, pyarrow {pyarrow.__version__}")


def report(results: dict[str, float]) -> None:
    for name, value in results.items():
        text = f"{value:,.0f}" if value >= 1000 else f"{value:.3g}"
        line = f"{name}: {text} {unit(name)}".rstrip()
        if name in TARGETS:
            op, target = TARGETS[name]
            ok = value <= target if op == "<=" else value >= target
            line += f"   (target {op} {target:g}: {'met' if ok else 'MISSED'})"
        print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=("ingest", "findings", "nplus1", "audit"))
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of the findings run")
    parser.add_argument("--systems", type=int, default=1000, help="systems in the findings estate")
    args = parser.parse_args(argv)
    chosen = set(args.only or ("ingest", "findings", "nplus1", "audit"))
    print(machine(), flush=True)
    if "ingest" in chosen:
        import ingest

        report(ingest.measure())
    if "nplus1" in chosen and (HERE / "nplus1.py").exists():
        import nplus1

        result = nplus1.measure()
        result.pop("_inventory", None)
        report(result)
    if "findings" in chosen:
        import findings

        out = HERE / "out"
        out.mkdir(exist_ok=True)
        profile = out / "findings_profile.html" if args.profile else None
        report(findings.measure(systems=args.systems, profile=profile))
        if profile:
            print(f"profile: {profile}")
    if "audit" in chosen and (HERE / "audit.py").exists():
        import audit

        report(audit.measure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
