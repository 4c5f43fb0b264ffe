"""The Inventory: every validated frame of one estate, plus where each row came from and what is missing.

Checks and analyses receive only this object. It is frozen and compared by identity, so
analyses can memoise on it (the same Inventory object always means the same data).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from types import MappingProxyType

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from hatoolkit.model import frames as fr
from hatoolkit.model.findings import SEVERITY_ORDER
from hatoolkit.model.hmc import (
    HeaPorts,
    IoSlots,
    Partitions,
    ProcPools,
    Profiles,
    Systems,
    VirtualEth,
    VirtualFc,
    VirtualScsi,
)
from hatoolkit.model.ibmi import IbmiPartitions, Nwsds, SaveEvents, StorageSpaces
from hatoolkit.model.ibmi_ha import Asps, DiskUnits, Interfaces, Lines
from hatoolkit.model.usage import Utilization, UtilizationConfig
from hatoolkit.model.vios import DiskPaths, Disks, EtherChannels, Seas, ViosAdapters, ViosMappings


class Gaps(pa.DataFrameModel):
    """What was expected and not found, or found and not usable: each with file and line."""

    code: Series[str]
    severity: Series[str] = pa.Field(isin=SEVERITY_ORDER)
    system: Series[str] = pa.Field(nullable=True)
    file: Series[str] = pa.Field(nullable=True)
    line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    command: Series[str] = pa.Field(nullable=True)
    message: Series[str]

    class Config:
        strict = True
        coerce = False


class Files(pa.DataFrameModel):
    """Every file of the bundle, what it was recognised as and how much of it was used."""

    path: Series[str] = pa.Field(unique=True)
    format: Series[str]
    status: Series[str] = pa.Field(isin=("parsed", "partial", "skipped", "unreadable"))
    records: Series[pd.Int64Dtype] = pa.Field(ge=0)
    commands: Series[str] = pa.Field(nullable=True)
    systems: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = False


# Frame name -> schema. The order is the order of `validate` output and of docs.
FRAME_MODELS: MappingProxyType[str, type[fr.FrameModel]] = MappingProxyType(
    {
        "systems": Systems,
        "partitions": Partitions,
        "profiles": Profiles,
        "proc_pools": ProcPools,
        "io_slots": IoSlots,
        "hea_ports": HeaPorts,
        "virtual_eth": VirtualEth,
        "virtual_scsi": VirtualScsi,
        "virtual_fc": VirtualFc,
        "ibmi_partitions": IbmiPartitions,
        "nwsds": Nwsds,
        "storage_spaces": StorageSpaces,
        "save_events": SaveEvents,
        "vios_mappings": ViosMappings,
        "seas": Seas,
        "etherchannels": EtherChannels,
        "disks": Disks,
        "disk_paths": DiskPaths,
        "vios_adapters": ViosAdapters,
        "interfaces": Interfaces,
        "lines": Lines,
        "asps": Asps,
        "disk_units": DiskUnits,
        "utilization": Utilization,
        "utilization_config": UtilizationConfig,
    }
)


def _empty(name: str):
    return lambda: fr.empty(FRAME_MODELS[name])


@dataclass(frozen=True, eq=False)
class Inventory:
    """Validated frames of one estate. Build with `Inventory.build`, or `hatoolkit.load_inventory`."""

    systems: pd.DataFrame = field(default_factory=_empty("systems"))
    partitions: pd.DataFrame = field(default_factory=_empty("partitions"))
    profiles: pd.DataFrame = field(default_factory=_empty("profiles"))
    proc_pools: pd.DataFrame = field(default_factory=_empty("proc_pools"))
    io_slots: pd.DataFrame = field(default_factory=_empty("io_slots"))
    hea_ports: pd.DataFrame = field(default_factory=_empty("hea_ports"))
    virtual_eth: pd.DataFrame = field(default_factory=_empty("virtual_eth"))
    virtual_scsi: pd.DataFrame = field(default_factory=_empty("virtual_scsi"))
    virtual_fc: pd.DataFrame = field(default_factory=_empty("virtual_fc"))
    ibmi_partitions: pd.DataFrame = field(default_factory=_empty("ibmi_partitions"))
    nwsds: pd.DataFrame = field(default_factory=_empty("nwsds"))
    storage_spaces: pd.DataFrame = field(default_factory=_empty("storage_spaces"))
    save_events: pd.DataFrame = field(default_factory=_empty("save_events"))
    vios_mappings: pd.DataFrame = field(default_factory=_empty("vios_mappings"))
    seas: pd.DataFrame = field(default_factory=_empty("seas"))
    etherchannels: pd.DataFrame = field(default_factory=_empty("etherchannels"))
    disks: pd.DataFrame = field(default_factory=_empty("disks"))
    disk_paths: pd.DataFrame = field(default_factory=_empty("disk_paths"))
    vios_adapters: pd.DataFrame = field(default_factory=_empty("vios_adapters"))
    interfaces: pd.DataFrame = field(default_factory=_empty("interfaces"))
    lines: pd.DataFrame = field(default_factory=_empty("lines"))
    asps: pd.DataFrame = field(default_factory=_empty("asps"))
    disk_units: pd.DataFrame = field(default_factory=_empty("disk_units"))
    utilization: pd.DataFrame = field(default_factory=_empty("utilization"))
    utilization_config: pd.DataFrame = field(default_factory=_empty("utilization_config"))
    gaps: pd.DataFrame = field(default_factory=lambda: fr.empty(Gaps))
    files: pd.DataFrame = field(default_factory=lambda: fr.empty(Files))
    root: str | None = None

    @classmethod
    def build(
        cls,
        frames: dict[str, pd.DataFrame],
        gaps: pd.DataFrame | None = None,
        files: pd.DataFrame | None = None,
        root: str | None = None,
    ) -> Inventory:
        """Conform and validate every frame; raises pandera SchemaErrors on a parser bug."""
        unknown = set(frames) - set(FRAME_MODELS)
        if unknown:
            raise KeyError(f"not Inventory frames: {sorted(unknown)}")
        built = {}
        for name, model in FRAME_MODELS.items():
            frame = frames.get(name)
            built[name] = fr.empty(model) if frame is None else fr.validate(model, fr.conform(model, frame))
        g = fr.empty(Gaps) if gaps is None else fr.validate(Gaps, fr.conform(Gaps, gaps))
        f = fr.empty(Files) if files is None else fr.validate(Files, fr.conform(Files, files))
        return cls(**built, gaps=g, files=f, root=root)

    @staticmethod
    def frame_names() -> tuple[str, ...]:
        return tuple(FRAME_MODELS)

    def frames(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """(name, frame) for every data frame, gaps and files excluded."""
        for name in FRAME_MODELS:
            yield name, getattr(self, name)

    def frame(self, name: str) -> pd.DataFrame:
        if name not in FRAME_MODELS and name not in ("gaps", "files"):
            raise KeyError(f"no frame named {name!r}; frames: {', '.join(FRAME_MODELS)}")
        return getattr(self, name)

    def replace(self, **changes: object) -> Inventory:
        """A new Inventory with some frames replaced (validated); the original is untouched."""
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        current.update(changes)
        data = {k: v for k, v in current.items() if k in FRAME_MODELS}
        return Inventory.build(data, current["gaps"], current["files"], current["root"])  # type: ignore[arg-type]
