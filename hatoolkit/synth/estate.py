"""A synthetic estate in PowerVM terms, from which every export format is written.

The estate is the single truth behind the synthetic captures: writers render it as HMC CLI text
(and later REST XML, VIOS and IBM i exports), tests load those captures back and compare with
the estate, and the sample bundle is one hand-made estate. System-level numbers that the HMC
derives (available processors and memory, hypervisor memory) are derived here the same way, so
the capacity identities of reference §A.5/§A.6 hold in every synthetic bundle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hatoolkit.synth.estate_ibmi import (  # noqa: F401 - part of the estate's vocabulary, imported from here
    Asp,
    DiskUnit,
    IbmiHost,
    LineDesc,
    Nwsd,
    SaveOp,
    StorageSpace,
    TcpIfc,
)


@dataclass
class VEth:
    slot: int
    pvid: int
    addl_vlans: tuple[int, ...] = ()
    trunk_priority: int = 0  # 0: not a trunk (bridging) adapter
    vswitch: str = "ETHERNET0"
    ieee: bool = False
    required: bool = False
    mac: str | None = None


@dataclass
class VScsi:
    slot: int
    adapter_type: str  # client | server
    remote_id: int | None
    remote_name: str | None
    remote_slot: int | None
    required: bool = True


@dataclass
class VFc:
    slot: int
    adapter_type: str
    remote_id: int | None
    remote_name: str | None
    remote_slot: int | None
    wwpns: tuple[str, ...] = ()
    required: bool = True


@dataclass
class IoSlot:
    drc_index: str
    description: str
    pci_class: str
    bus_id: int = 512
    phys_loc: str = "C1"
    feature_codes: tuple[str, ...] = ()
    owner: int | None = None  # lpar_id, None = unassigned


@dataclass
class HeaPort:
    """An IVE/HEA logical port assigned to a partition, on a physical port of the adapter."""

    adapter_id: str
    port_group: int
    phys_port: int
    logical_port: int
    lpar_id: int
    mac: str | None = None



@dataclass
class ViosDisk:
    """An hdisk as one VIOS sees it; the same LUN (udid) has its own hdisk name on each VIOS."""

    hdisk: str
    udid: str
    reserve_policy: str = "no_reserve"
    pvid: str | None = None
    local: bool = False  # a VIOS-internal SAS disk (rootvg), not a SAN LUN
    paths: tuple[tuple[str, str, str], ...] = ()  # (parent fscsiN, status, connection)


@dataclass
class Vtd:
    """A virtual target device on a vhost: what backs one client disk."""

    name: str
    backing: str  # hdisk name, logical volume name, or file path
    lun: int = 1


@dataclass
class ViosSea:
    sea: str
    real_adapter: str
    virt_adapters: tuple[str, ...]
    pvid: int
    ctl_chan: str | None = None
    ha_mode: str = "auto"


@dataclass
class ViosEtherChannel:
    device: str
    adapter_names: tuple[str, ...]
    backup_adapter: str | None = None
    mode: str = "8023ad"
    hash_mode: str = "src_dst_port"


@dataclass
class ViosConfig:
    """What a VIOS itself reports (lsmap, lsdev, chkdev, lspath); the HMC sees none of it."""

    hostname: str
    disks: list[ViosDisk] = field(default_factory=list)
    vtds: dict[int, list[Vtd]] = field(default_factory=dict)  # server vSCSI slot -> targets
    fc_ports: dict[int, str] = field(default_factory=dict)  # server vFC slot -> physical port fcsN
    veth_devices: dict[int, str] = field(default_factory=dict)  # virtual Ethernet slot -> entN
    seas: list[ViosSea] = field(default_factory=list)
    etherchannels: list[ViosEtherChannel] = field(default_factory=list)
    logical_volumes: tuple[str, ...] = ()


@dataclass
class Lpar:
    id: int
    name: str
    env: str = "aixlinux"  # aixlinux | vioserver | os400
    state: str = "Running"
    os_version: str | None = None
    proc_mode: str = "shared"  # shared | ded
    proc_units: float = 0.5  # entitlement (shared)
    procs: int = 1  # virtual processors (shared) or dedicated cores
    min_proc_units: float = 0.1
    max_proc_units: float = 2.0
    min_procs: int = 1
    max_procs: int = 4
    sharing_mode: str = "uncap"
    uncap_weight: int = 128
    pool_id: int = 0
    mem_mb: int = 8192
    min_mem_mb: int = 2048
    max_mem_mb: int = 16384
    hpt_ratio: int = 128
    compat_mode: str = "POWER9"
    desired_compat_mode: str = "default"
    rmc_state: str = "active"
    rmc_ip: str | None = None
    msp: bool | None = None  # VIOS only
    rep: bool = False  # redundant_err_path_reporting
    huge_pages: int = 0
    bsr_arrays: int = 0
    work_group: str | None = None
    migration_disabled: bool = False
    srr_capable: bool = True
    profile: str = "normal"
    desired_proc_units: float | None = None  # profile values when they differ from current
    desired_procs: int | None = None
    desired_mem_mb: int | None = None
    io_slots: tuple[str, ...] = ()  # drc_index of slots in the profile
    veths: list[VEth] = field(default_factory=list)
    vscsi: list[VScsi] = field(default_factory=list)
    vfc: list[VFc] = field(default_factory=list)
    ibmi: IbmiHost | None = None  # IBM i exports of a hosting partition (synth/ibmi_writer.py)
    vios_config: ViosConfig | None = None  # VIOS only: the VIOS-side view (see synth/vios_build.py)

    @property
    def running(self) -> bool:
        return self.state.lower() in ("running", "open firmware", "starting")

    @property
    def profile_proc_units(self) -> float:
        return self.desired_proc_units if self.desired_proc_units is not None else self.proc_units

    @property
    def profile_procs(self) -> int:
        return self.desired_procs if self.desired_procs is not None else self.procs

    @property
    def profile_mem_mb(self) -> int:
        return self.desired_mem_mb if self.desired_mem_mb is not None else self.mem_mb


def veth_mac(lp: Lpar, a: VEth) -> str:
    """The MAC the HMC lists for a virtual Ethernet adapter (and IBM i for its line)."""
    return a.mac or f"{0x42000000 + lp.id * 256 + a.slot:012X}"


def hea_mac(p: HeaPort) -> str:
    """The MAC of an HEA logical port."""
    return p.mac or f"00145E{p.port_group:02X}{p.logical_port:04X}"


@dataclass
class ProcPool:
    id: int
    name: str
    max_proc_units: float | None
    reserved_proc_units: float = 0.0


def hpt_mb(max_mem_mb: int, ratio: int) -> int:
    """IBM's HPT sizing (reference §F.3): power of two of max memory (rounded up past 1.25x) / ratio."""
    total = max(int(max_mem_mb), 1) * 1024 * 1024
    p2 = 1 << (total.bit_length() - 1)
    if 4 * total > 5 * p2:
        p2 <<= 1
    return max(256 * 1024, p2 // ratio) // (1024 * 1024) or 1


@dataclass
class System:
    name: str
    type_model: str
    serial: str
    hmc: str = "hmc1"
    state: str = "Operating"
    ipaddr: str = "10.0.0.1"
    installed_proc_units: float = 16.0
    configurable_proc_units: float = 16.0
    installed_mem_mb: int = 524288
    configurable_mem_mb: int = 524288
    lmb_mb: int = 256
    compat_modes: tuple[str, ...] = ("default", "POWER8", "POWER9_base", "POWER9")
    active_lpm: bool = True
    inactive_lpm: bool = True
    os400_capable: bool = True
    lhea_capable: bool = False
    huge_page_capable: bool = True
    bsr_capable: bool = True
    vfc_capable: bool = True
    srr_capable: bool = True
    max_lpars: int = 400
    min_proc_units_per_vp: float = 0.05
    firmware_base_mb: int = 2048
    lpars: list[Lpar] = field(default_factory=list)
    io_slots: list[IoSlot] = field(default_factory=list)
    hea_ports: list[HeaPort] = field(default_factory=list)
    pools: list[ProcPool] = field(default_factory=lambda: [ProcPool(0, "DefaultPool", None)])
    usage: object | None = None  # synth.usage.UsageCapture: lslparutil history to write (None: not captured)

    def lpar(self, name: str) -> Lpar:
        return next(lp for lp in self.lpars if lp.name == name)

    @property
    def assigned_proc_units(self) -> float:
        total = 0.0
        for lp in self.lpars:
            if lp.running:
                total += lp.procs if lp.proc_mode == "ded" else lp.proc_units
        return round(total, 2)

    @property
    def firmware_mem_mb(self) -> int:
        """Hypervisor memory: a base plus each active partition's page table, in whole LMBs."""
        raw = self.firmware_base_mb + sum(hpt_mb(lp.max_mem_mb, lp.hpt_ratio) for lp in self.lpars if lp.running)
        return -(-raw // self.lmb_mb) * self.lmb_mb

    @property
    def avail_proc_units(self) -> float:
        return round(self.configurable_proc_units - self.assigned_proc_units, 2)

    @property
    def avail_mem_mb(self) -> int:
        used = sum(lp.mem_mb for lp in self.lpars if lp.running)
        return self.configurable_mem_mb - self.firmware_mem_mb - used

    def check(self) -> None:
        """Refuse an impossible estate (over-committed processors or memory)."""
        if self.avail_proc_units < -1e-9:
            raise ValueError(f"{self.name}: processors over-committed ({self.avail_proc_units})")
        if self.avail_mem_mb < 0:
            raise ValueError(f"{self.name}: memory over-committed ({self.avail_mem_mb} MB)")
        ids = [lp.id for lp in self.lpars]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.name}: duplicate lpar ids")


@dataclass
class Estate:
    systems: list[System]
    plan_yaml: str | None = None
    waivers_yaml: str | None = None  # written as waivers.yaml beside plan.yaml
    ibmi_zone: str = "Europe/Warsaw"  # the zone IBM i hosts' clocks run in (their local timestamps)

    def system(self, name: str) -> System:
        return next(s for s in self.systems if s.name == name)
