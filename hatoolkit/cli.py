"""The `hatoolkit` command. Each subcommand parses arguments and calls one library function.

Errors a user can cause are one line on stderr naming file and line, exit status 2; a bug is one
line too (with `--debug` for the traceback), never a wall of Python.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from hatoolkit.errors import HatoolkitError

EXIT_OK, EXIT_USAGE, EXIT_FINDINGS, EXIT_INTERNAL = 0, 2, 3, 70
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, setup: Callable[[argparse.ArgumentParser], None]) -> Callable:
    """Register a subcommand: `setup` adds its arguments, the decorated function runs it."""

    def register(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = (setup, fn)
        return fn

    return register


def _load_plan(args: argparse.Namespace):
    from hatoolkit.model.plan import bundle_plan, load_plan
    from hatoolkit.model.waivers import bundle_waivers, load_waivers

    plan = load_plan(args.plan) if getattr(args, "plan", None) else bundle_plan(args.bundle)
    waivers = getattr(args, "waivers", None)
    plan = plan.with_waivers(load_waivers(waivers) if waivers else bundle_waivers(args.bundle))
    return plan.with_as_of(getattr(args, "as_of", None))


def _validate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("bundle", help="bundle folder (or a single capture file)")
    p.add_argument("--format", choices=("text", "json"), default="text")


@command("validate", _validate_args)
def cmd_validate(args: argparse.Namespace) -> int:
    """Read a bundle and print what was found and what is missing."""
    from hatoolkit.ingest import load_inventory
    from hatoolkit.report.text import inventory_json, inventory_text

    plan = _load_plan(args)  # a broken plan.yaml or waivers.yaml is the one error, with its file and line
    inv = load_inventory(args.bundle)
    sys.stdout.write(inventory_json(inv) + "\n" if args.format == "json" else inventory_text(inv))
    if plan.waivers and args.format == "text":
        print(f"Waivers: {len(plan.waivers)} in {plan.waivers[0].source.rsplit(':', 1)[0]} (valid)")
    used = inv.files["status"].isin(("parsed", "partial")).any()
    if not used:
        print(f"hatoolkit: error: {args.bundle}: no usable capture in the bundle", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _findings_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("bundle", help="bundle folder (or a single capture file)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--plan", help="plan.yaml (default: the bundle's own plan.yaml, else defaults)")
    p.add_argument("--as-of", dest="as_of", help="audit time, ISO 8601 (default: plan's as_of, else now)")
    p.add_argument("--only", nargs="+", metavar="AREA", help="families (inputs, capacity, ...) or check IDs")
    p.add_argument("--fail-on", dest="fail_on", metavar="SEVERITY",
                   help="exit 3 when a non-waived finding at or above this severity exists")
    p.add_argument("--waivers", metavar="FILE", help="waivers file (default: the bundle's own waivers.yaml)")
    p.add_argument("--jobs", type=int, default=None, help="1: evaluate every check in this process (default: the "
                   "topology checks on a second core when there is one); the findings are the same")


@command("findings", _findings_args)
def cmd_findings(args: argparse.Namespace) -> int:
    """Run every registered check on a bundle and print the findings."""
    from hatoolkit.checks import run_checks
    from hatoolkit.ingest import load_inventory
    from hatoolkit.report.text import findings_csv, findings_json, findings_table

    fail_on = _severity(args.fail_on)
    if args.jobs is not None and args.jobs < 1:
        raise HatoolkitError("--jobs must be at least 1")
    plan = _load_plan(args)
    inv = load_inventory(args.bundle)
    gc.freeze()  # the inventory lives until exit: later collections need not walk its millions of objects
    try:
        select, families = _split_only(args.only)
        parallel = args.jobs is None or args.jobs > 1  # nothing after the findings needs the analyses: lanes may fork
        findings, coverage = run_checks(inv, plan, select=select, families=families, parallel=parallel)
        render = {"csv": findings_csv, "json": lambda f: findings_json(f) + "\n", "table": findings_table}[args.format]
        sys.stdout.write(render(findings))
        errors = coverage[coverage["error"].notna()]
        for _, row in errors.iterrows():
            print(f"hatoolkit: check {row['check_id']} crashed: {row['error']}", file=sys.stderr)
        return _exit_for(findings, fail_on)
    finally:
        gc.unfreeze()  # back to the oldest generation when main() runs in a longer-lived process


def _severity(text: str | None) -> str | None:
    if text is None:
        return None
    from hatoolkit.model.findings import Severity

    try:
        return Severity.parse(text).value
    except ValueError as exc:
        raise HatoolkitError(f"--fail-on: {exc}") from None


def _split_only(only: Sequence[str] | None) -> tuple[list[str] | None, list[str] | None]:
    if not only:
        return None, None
    from hatoolkit.model.findings import FAMILY_ORDER

    ids = [o.upper() for o in only if o.upper().startswith("HA")]
    fams = [o.lower() for o in only if not o.upper().startswith("HA")]
    bad = [f for f in fams if f not in FAMILY_ORDER]
    if bad:
        raise HatoolkitError(f"--only: unknown area {bad[0]!r} (one of: {', '.join(FAMILY_ORDER)} or a check ID)")
    if ids and fams:
        from hatoolkit.checks.registry import REGISTRY

        ids += [s.id for s in REGISTRY.values() if s.family.value in fams]
        return ids, None
    return ids or None, fams or None


def _exit_for(findings, fail_on: str | None) -> int:
    if fail_on is None:
        return EXIT_OK
    from hatoolkit.model.findings import at_or_above

    return EXIT_FINDINGS if not at_or_above(findings, fail_on).empty else EXIT_OK


def _audit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("bundle", help="bundle folder (or a single capture file)")
    p.add_argument("--out", default=None, help="report folder (default: reports/<bundle name>); replaced only "
                   "when the new report is complete")
    p.add_argument("--plan", help="plan.yaml (default: the bundle's own plan.yaml, else defaults)")
    p.add_argument("--as-of", dest="as_of", help="audit time, ISO 8601 (default: plan's as_of, else now)")
    p.add_argument("--only", nargs="+", metavar="AREA", help="concern notebooks to run (capacity, mobility, ...); "
                   "the summary always runs")
    p.add_argument("--fail-on", dest="fail_on", metavar="SEVERITY",
                   help="exit 3 when a non-waived finding at or above this severity exists")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run in parallel (default: CPU count - 1, at least 1)")
    p.add_argument("--notebooks", default=None, help="notebook folder (default: the project's notebooks/)")
    p.add_argument("--baseline", metavar="DIR", help="the previous report folder: what changed since (drift page, "
                   "drift.csv/json)")
    p.add_argument("--waivers", metavar="FILE", help="waivers file (default: the bundle's own waivers.yaml)")


@command("audit", _audit_args)
def cmd_audit(args: argparse.Namespace) -> int:
    """Audit a bundle into an HTML report, findings files, charts and slides."""
    from hatoolkit.execution import NotebookFailed
    from hatoolkit.runner import EXIT_FAILED, audit

    out = args.out or str(Path("reports") / Path(args.bundle).resolve().name)
    try:
        result = audit(args.bundle, out, plan=args.plan, as_of=args.as_of, only=args.only, fail_on=args.fail_on,
                       jobs=args.jobs, notebooks=args.notebooks, baseline=args.baseline, waivers=args.waivers)
    except NotebookFailed as exc:
        print(f"hatoolkit: error: {exc}; the previous report in {out} is untouched", file=sys.stderr)
        return EXIT_FAILED
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.fail_on:
        print(f"{result.at_or_above} non-waived finding(s) at or above {args.fail_on}", file=sys.stderr)
    wall = _process_age_s() or result.wall_s  # the whole command, interpreter start included
    print(f"audit wall time {wall:.1f} s; report folder {result.size_bytes / 1e6:.1f} MB "
          f"({len(result.pages)} pages, {len(result.charts)} charts)")
    print(result.index)
    return result.exit_code


def _process_age_s() -> float | None:
    """Seconds since this process started (Linux: /proc, same clock as /proc/uptime), else None."""
    import os

    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def _diff_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", help="the earlier audit: a report folder, a findings.csv, or a bundle")
    p.add_argument("new", help="the later audit: a report folder, a findings.csv, or a bundle")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--plan", help="plan.yaml for a side given as a bundle (default: the bundle's own)")
    p.add_argument("--as-of", dest="as_of", help="audit time for a side given as a bundle (default: its plan's)")
    p.add_argument("--waivers", metavar="FILE", help="waivers for a side given as a bundle (default: its own)")
    p.add_argument("--fail-on", dest="fail_on", metavar="SEVERITY",
                   help="exit 3 when a non-waived finding at or above this severity is new or got worse")


@command("diff", _diff_args)
def cmd_diff(args: argparse.Namespace) -> int:
    """Compare two audits: findings new, resolved and changed, and the configuration changes behind them."""
    from hatoolkit.report.drift import compare, drift_csv, drift_json, drift_text, open_side, regressions

    fail_on = _severity(args.fail_on)
    options = {"plan": args.plan, "as_of": args.as_of, "waivers": args.waivers}
    old, new = open_side(args.old, **options), open_side(args.new, **options)
    zone = _zone(args.new, args.plan)
    result = compare(old, new, zone)
    render = {"csv": drift_csv, "json": lambda d: drift_json(d) + "\n", "table": drift_text}[args.format]
    sys.stdout.write(render(result))
    if fail_on is None:
        return EXIT_OK
    worse = regressions(result, fail_on)
    print(f"{len(worse)} non-waived finding(s) at or above {fail_on} are new or got worse", file=sys.stderr)
    return EXIT_FINDINGS if len(worse) else EXIT_OK


def _zone(new: str, plan: str | None) -> str:
    """The time zone to show configuration timestamps in: the new side's plan's (a report's saved plan)."""
    from hatoolkit.model.plan import bundle_plan, load_plan
    from hatoolkit.report.run import STATE_FILE, open_run

    if (Path(new) / STATE_FILE).is_file():
        return open_run(new).plan.timezone  # already loaded by open_side: cached
    return (load_plan(plan) if plan else bundle_plan(new)).timezone if Path(new).is_dir() else "UTC"


def _docs_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="-", help="file to write (default: stdout)")


@command("docs", _docs_args)
def cmd_docs(args: argparse.Namespace) -> int:
    """Write docs/checks.md from the check registry."""
    from hatoolkit.report.checks_doc import render_checks_doc

    text = render_checks_doc()
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
    return EXIT_OK


def _synth_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--systems", type=int, default=4, help="number of managed systems")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--lpars", type=int, default=20, help="partitions per system (on average)")
    p.add_argument("--scenario", choices=("fleet", "sample"), default="fleet",
                   help="'fleet': random estate; 'sample': the embedded sample story (data/sample)")
    p.add_argument("--format", dest="formats", choices=("cli", "rest", "both"), default="cli",
                   help="'cli': HMC CLI and VIOS captures (default); 'rest': HMC REST API XML, VIOS side "
                        "included; 'both': the same estate twice")
    p.add_argument("--out", required=True, help="bundle folder to write (created; existing files replaced)")


@command("synth", _synth_args)
def cmd_synth(args: argparse.Namespace) -> int:
    """Write a synthetic estate as real-format captures."""
    from hatoolkit.synth import write_fleet, write_sample

    formats = ("cli", "rest") if args.formats == "both" else (args.formats,)
    if args.scenario == "sample":
        paths = write_sample(Path(args.out), formats=formats)
    else:
        if args.systems < 1 or args.lpars < 1:
            raise HatoolkitError("--systems and --lpars must be at least 1")
        paths = write_fleet(Path(args.out), systems=args.systems, seed=args.seed, lpars_per_system=args.lpars,
                            formats=formats)
    print(f"wrote {len(paths)} files to {args.out}")
    return EXIT_OK


def _collect_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", choices=("hmc",), help="what to collect from (hmc: SSH to an HMC)")
    p.add_argument("--host", required=True, help="HMC host name or address")
    p.add_argument("--user", required=True, help="HMC user (hscroot or a read-only account)")
    p.add_argument("--key", help="private key file (default: ssh-agent and ~/.ssh keys); passwords are never used")
    p.add_argument("--port", type=int, default=22)
    p.add_argument("--known-hosts", dest="known_hosts", help="known_hosts file (default ~/.ssh/known_hosts)")
    p.add_argument("--insecure-accept-host-key", dest="insecure", action="store_true",
                   help="do not check the HMC's host key (only on a network you trust)")
    p.add_argument("--concurrency", type=int, default=4, help="managed systems collected at once")
    p.add_argument("--out", required=True, help="bundle folder to write")


@command("collect", _collect_args)
def cmd_collect(args: argparse.Namespace) -> int:
    """Collect HMC captures over SSH into a bundle (with manifest.json)."""
    from hatoolkit.collect.hmc_ssh import collect

    manifest = collect(args.host, args.user, Path(args.out), key=args.key, port=args.port,
                       known_hosts=args.known_hosts, insecure_accept_host_key=args.insecure,
                       concurrency=args.concurrency, progress=lambda line: print(line, file=sys.stderr))
    failed = [c for c in manifest["commands"] if c["exit_status"] != 0]  # type: ignore[union-attr]
    print(f"collected {len(manifest['systems'])} systems, {len(manifest['commands'])} commands "  # type: ignore[arg-type]
          f"({len(failed)} failed) into {args.out}")
    return EXIT_OK


def _anonymize_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("bundle", help="bundle folder to anonymise (left untouched)")
    p.add_argument("--out", required=True, help="folder to write the anonymised bundle to (new or empty)")
    p.add_argument("--map", dest="map_file", help="pseudonym map (YAML) to reuse and extend; keep it private. "
                   "Without it pseudonyms are not kept between runs")


@command("anonymize", _anonymize_args)
def cmd_anonymize(args: argparse.Namespace) -> int:
    """Write a copy of a bundle with names, IPs, MACs, WWPNs and serials replaced consistently."""
    from hatoolkit.anonymize import anonymize_bundle

    result = anonymize_bundle(args.bundle, args.out, args.map_file)
    for rel, reason in result.skipped:
        print(f"not copied: {rel}: {reason}", file=sys.stderr)
    if result.ambiguous:
        print(f"note: names that are also ordinary words were replaced only where a name stands: "
              f"{', '.join(result.ambiguous[:20])}", file=sys.stderr)
    if not args.map_file:
        print("note: no --map given: the pseudonyms are not saved and may differ next time", file=sys.stderr)
    print(f"wrote {len(result.files)} files to {args.out}; {result.added} new pseudonyms"
          + (f" (map {args.map_file})" if args.map_file else ""))
    if result.residue:
        for rel, ident in result.residue[:50]:
            print(f"warning: {rel}: original identifier {ident!r} still present", file=sys.stderr)
        print(f"hatoolkit: {len(result.residue)} original identifier(s) remain: review before sharing",
              file=sys.stderr)
        return 1
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hatoolkit", description="High-availability audit of PowerVM estates.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (setup, fn) in COMMANDS.items():
        p = sub.add_parser(name, help=(fn.__doc__ or "").strip().splitlines()[0])
        setup(p)
        p.set_defaults(run=fn)
    return parser


# A command allocates millions of small objects and frees few in cycles: collect the youngest
# generation every 100,000 allocations instead of 700, and the oldest (a walk of the whole heap)
# practically never in one run (a tenth of `findings` at 1,000 systems; peak memory unchanged).
GC_THRESHOLD = (100_000, 20, 1000)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    threshold = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        return int(args.run(args))
    except HatoolkitError as exc:
        print(f"hatoolkit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("hatoolkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        print(f"hatoolkit: internal error: {type(exc).__name__}: {exc} (re-run with --debug for details)",
              file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        gc.set_threshold(*threshold)  # main() also runs inside tests and notebooks


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The console entry point: `main`, then leave without tearing the heap down object by object.

    CPython's exit frees every object and runs a last full collection; after `findings` on 1,000
    systems that is ~1.5 GB of small objects and ~2 s, a sixth of the run, for memory the kernel
    reclaims at once anyway. Output is flushed and atexit handlers run first, so nothing a user or
    a caller relies on is skipped (mypy exits the same way). With other threads still running
    (a library embedding us), the ordinary exit waits for them.
    """
    code = main(argv)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `hatoolkit findings ... | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second failing flush at exit
    sys.stderr.flush()
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    run()
