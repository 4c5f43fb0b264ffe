"""Lookups the topology builders share: partitions, VIOS captures, cards, and the nodes for them.

Everything is indexed once per Inventory so the builders (topology_storage, topology_network) stay
linear in the estate. Node identities: `part:<system>/<lpar_id>` for a partition (a VIOS or IBM i
host, copied per context it serves), `port:<system>/<vios_id>/<device>` for a VIOS port,
`card:<system>/<location>` for a PCIe card (the HMC's drc_name, or a port's location without its
`-T<n>`), `ucard:<system>/<vios_id>/<class>` when the card behind a VIOS port is not known.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from hatoolkit.analysis.mobility_data import uncaptured
from hatoolkit.analysis.topology_graph import SINK, Builder
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan
from hatoolkit.model.rows import present, row_tuples

PCI_CLASSES = {"fc": ("0C04",), "ethernet": ("0200", "0280"), "storage": ("0104", "0100", "0180", "0107")}


def _group(frame: pd.DataFrame, keys: list[str]) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = defaultdict(list)
    cols = list(frame.columns)
    idx = [cols.index(k) for k in keys]
    for row in row_tuples(frame):
        key = tuple(row[i] for i in idx)
        out[key if len(key) > 1 else key[0]].append(row)
    return out


def _served(frame: pd.DataFrame) -> set[tuple[str, int]]:
    """(system, VIOS id) of every row: the VIOS whose capture of this kind exists."""
    return set(zip(frame["system"].tolist(), map(int, frame["vios_lpar_id"].tolist()), strict=True))


def _int(value: Any) -> int | None:
    return int(value) if present(value) else None


@dataclass
class Context:
    """One Inventory (and Plan) prepared for building the graph."""

    inv: Inventory
    plan: Plan
    b: Builder = field(default_factory=Builder)

    def __post_init__(self) -> None:
        inv = self.inv
        p = inv.partitions
        self.parts = {(r.system, int(r.lpar_id)): r for r in row_tuples(p)}
        self._labels: dict[tuple[str, int], str] = {}
        self.names = {k: (r.name if isinstance(r.name, str) else f"lpar {k[1]}") for k, r in self.parts.items()}
        self.env = {k: r.lpar_env for k, r in self.parts.items()}
        self.by_name = {(r.system, r.name): int(r.lpar_id) for r in row_tuples(p) if isinstance(r.name, str)}
        vs = inv.virtual_scsi
        self.vscsi_clients = _group(vs[vs["adapter_type"] == "client"], ["system", "lpar_id"])
        self.vscsi_by_slot = {(r.system, int(r.lpar_id), int(r.slot_num)): r for r in row_tuples(vs)}
        vf = inv.virtual_fc
        self.vfc_clients = _group(vf[vf["adapter_type"] == "client"], ["system", "lpar_id"])
        self.vfc_by_slot = {(r.system, int(r.lpar_id), int(r.slot_num)): r for r in row_tuples(vf)}
        m = inv.vios_mappings
        scsi, fc, net = m[m["kind"] == "scsi"], m[m["kind"] == "fc"], m[m["kind"] == "net"]
        self.scsi_data = _served(scsi)
        self.fc_data = _served(fc)
        self.vtds = _group(scsi[scsi["vtd"].notna()], ["system", "vios_lpar_id", "slot_num"])
        # by the vhost's client partition: the HMC's server slot numbers and the VIOS's own can disagree
        self.vtds_by_client = _group(scsi[scsi["vtd"].notna() & scsi["client_lpar_id"].notna()],
                                     ["system", "vios_lpar_id", "client_lpar_id"])
        self.vfchosts = {(r.system, int(r.vios_lpar_id), _int(r.slot_num)): r for r in row_tuples(fc)}
        self.net_physloc = {(r.system, int(r.vios_lpar_id), r.backing_device): r.backing_physloc
                            for r in row_tuples(net)
                            if isinstance(r.backing_device, str) and isinstance(r.backing_physloc, str)}
        self.port_physloc = {(r.system, int(r.vios_lpar_id), r.device): r.physloc
                             for r in row_tuples(inv.vios_adapters) if isinstance(r.physloc, str)}
        d = inv.disks
        self.disk_data = _served(d)
        self.disks = {(r.system, int(r.vios_lpar_id), r.hdisk): r for r in row_tuples(d)}
        dp = inv.disk_paths
        self.path_data = _served(dp)
        self.paths = _group(dp, ["system", "vios_lpar_id", "hdisk"])
        self.units = _group(inv.disk_units, ["system", "partition"])
        self.nwsds = _group(inv.nwsds, ["system", "partition"])
        self.spaces = _group(inv.storage_spaces[inv.storage_spaces["nwsd"].notna()], ["system", "partition", "nwsd"])
        slots = inv.io_slots.dropna(subset=["lpar_id"])
        self.slots = _group(slots, ["system", "lpar_id"])
        self.io_known = set(inv.io_slots["system"]) - uncaptured(inv, "--rsubtype slot")
        self.scsi_listed = set(vs["system"]) - uncaptured(inv, "--rsubtype scsi")

    # ------------------------------------------------------------------ identities

    def label(self, system: str, lpar_id: int) -> str:
        key = (system, lpar_id)
        text = self._labels.get(key)
        if text is None:  # asked for on every node and edge a partition serves: build each once
            text = self._labels[key] = f"{system}/{self.names.get(key, f'lpar {lpar_id}')}"
        return text

    def is_vios(self, system: str, lpar_id: int | None) -> bool:
        return lpar_id is not None and self.env.get((system, lpar_id)) == "vioserver"

    def is_ibmi(self, system: str, lpar_id: int | None) -> bool:
        return lpar_id is not None and self.env.get((system, lpar_id)) == "os400"

    def partition(self, system: str, lpar_id: int, context: str) -> str:
        """The node of a serving partition (VIOS or IBM i host) for one context."""
        kind = "vios" if self.is_vios(system, lpar_id) else "ibmi_host"
        return self.b.copy(f"part:{system}/{lpar_id}", context, kind, self.label(system, lpar_id), system,
                           owner=self.label(system, lpar_id))

    def vadapter(self, system: str, lpar_id: int, slot: int, what: str) -> str:
        return self.b.node(f"vad:{system}/{lpar_id}/{slot}", "vadapter", f"{self.label(system, lpar_id)} {what} slot {slot}",
                           system=system, owner=self.label(system, lpar_id))

    # ------------------------------------------------------------------ hardware

    def card(self, system: str, location: str, owner: str | None = None) -> str:
        nid = self.b.node(f"card:{system}/{location}", "adapter", f"{system} card {location}", system=system,
                          owner=owner)
        self.b.edge(nid, SINK)
        return nid

    def _owned_cards(self, system: str, lpar_id: int, cls: str) -> list[str] | None:
        """Cards of a class the partition owns (HMC), None when the I/O listing of the system is missing."""
        if system not in self.io_known:
            return None
        classes = PCI_CLASSES[cls]
        return [r.drc_name if isinstance(r.drc_name, str) else r.drc_index for r in self.slots.get((system, lpar_id), [])
                if isinstance(r.pci_class, str) and r.pci_class.upper() in classes]

    def vios_port(self, system: str, vios_id: int, device: str, cls: str, physloc: str | None = None) -> str:
        """A VIOS's physical port and the card behind it (known, or unknown: one shared card, pessimistically)."""
        name = self.names.get((system, vios_id), f"lpar {vios_id}")
        port = self.b.node(f"port:{system}/{vios_id}/{device}", "port", f"{system}/{name} {device}", system=system,
                           owner=self.label(system, vios_id))
        if self.b.has_out(port):
            return port
        location = physloc or self.port_physloc.get((system, vios_id, device)) or self.net_physloc.get(
            (system, vios_id, device))
        if isinstance(location, str) and "-C" in location:
            self.b.edge(port, self.card(system, location.upper().rsplit("-T", 1)[0], self.label(system, vios_id)))
            return port
        cards = self._owned_cards(system, vios_id, cls)
        if cards is not None and len(cards) == 1:
            self.b.edge(port, self.card(system, cards[0], self.label(system, vios_id)))
            return port
        what = f"{system}'s physical I/O not captured (lshwres -r io)" if cards is None else \
            f"{name} owns {len(cards)} {cls} cards, which one holds each port is not captured"
        unknown = self.b.node(f"ucard:{system}/{vios_id}/{cls}", "unknown_adapter",
                              f"{system}/{name} {cls} card(s): {what}", system=system, owner=self.label(system, vios_id))
        self.b.edge(port, unknown, "pes")
        self.b.edge(unknown, SINK, "pes")
        self.b.edge(port, SINK, "opt")
        return port
