"""HA6xx (single points of failure): every component whose loss cuts guests off, with the guests listed.

The component-wide form of IBM's VIOS maintenance readiness (ValidateMaintenanceReadiness says,
for one VIOS, which client partitions lose storage or network without it): here for every VIOS,
IBM i host, port, adapter card and IVE port at once, from analysis.topology. A component that may
cut a guest only because data is missing is `unknown`, naming what is missing.
"""

from __future__ import annotations

from typing import Any

from hatoolkit.analysis import topology
from hatoolkit.checks._records import findings
from hatoolkit.checks.registry import Outcome, check, evidence, outcome
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan
from hatoolkit.model.rows import row_tuples

KIND_WORDS = {"vios": "VIOS", "ibmi_host": "IBM i host", "port": "port", "adapter": "adapter",
              "hea_port": "IVE physical port", "hea_adapter": "IVE adapter",
              "unknown_adapter": "the"}


def _names(guests: tuple[str, ...], limit: int = 12) -> str:
    short = [g.split("/", 1)[-1] for g in guests]
    return ", ".join(short[:limit]) + (f" and {len(short) - limit} more" if len(short) > limit else "")


def _impacts(inv: Inventory, plan: Plan) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per component, what its guests lose, in the shape of IBM's ValidateMaintenanceReadiness answer:
    virtual SCSI storage, virtual Fibre Channel (NPIV) storage, virtual LAN."""
    sp = topology.single_points(inv, plan)
    sp = sp[sp["certainty"] == "certain"]
    out: dict[str, dict[str, set[str]]] = {}
    for r in row_tuples(sp):
        key = "virtual_lan" if r.need_kind == "lan" else ("virtual_fc" if r.need_label == "NPIV disks" else "virtual_scsi")
        out.setdefault(r.component, {}).setdefault(key, set()).add(f"{r.partition}:{r.need_label}")
    return {c: {k: tuple(sorted(v)) for k, v in sorted(d.items())} for c, d in out.items()}


@check("HA601", Severity.HIGH, lane="topology",
       remediation="Give every guest a second path around the component: dual-VIOS MPIO or NPIV, an SEA failover "
                   "pair, IBM i mirroring across two hosts, preferred interfaces on independent ports; until then, "
                   "plan its maintenance as an outage of the guests listed.")
def single_point_of_failure(inv: Inventory, plan: Plan) -> Outcome:
    """Losing this component (VIOS, IBM i host, port, adapter) cuts guests off their disks or LAN.

    Every guest listed depends on the component alone for at least one disk or VLAN: a reboot
    for maintenance, a firmware update or a failure of it is an outage of those guests. Severity
    is critical when a workload the plan marks critical is among them.
    """
    comps = topology.components(inv, plan)
    topo = topology.topology(inv, plan)
    failable = {d["component"] for _, d in topo.graph.nodes(data=True) if d.get("failable")}
    impact = _impacts(inv, plan)
    out: list[dict[str, Any]] = []
    for r in row_tuples(comps):
        word = KIND_WORDS.get(str(r.kind), str(r.kind))
        owner = str(r.owner).split("/", 1)[-1] if isinstance(r.owner, str) else None
        where = {"system": r.system, "partition": owner, "resource": r.label}
        if r.n_guests:
            out.append({**where, "status": "fail", "severity": "critical" if r.critical else None,
                        "evidence": evidence(kind=r.kind, **impact.get(r.component, {}),
                                             critical=tuple(c.split("/", 1)[-1] for c in r.critical)),
                        "message": f"loss of {word} {r.label} cuts off {r.n_guests} guest(s): {_names(r.guests)}"})
        elif r.n_possible:
            why = "their other paths are not captured" if r.kind != "unknown_adapter" else "which adapter it is, or " \
                "whether the ports share one, is not captured"
            out.append({**where, "status": "unknown",
                        "evidence": evidence(kind=r.kind, guests=tuple(g.split("/", 1)[-1] for g in r.possible_guests)),
                        "message": f"loss of {word} {r.label} may cut off {r.n_possible} guest(s) "
                                   f"({_names(r.possible_guests)}): {why}"})
    return outcome(len(failable), findings(out))
