"""A synthetic estate in PowerVM terms, from which every export format is written.

The estate is the single truth behind the synthetic captures: writers render it as HMC CLI text
(and later REST XML, VIOS and IBM i exports), tests load those captures back and compare with
the estate, and the sample bundle is one hand-made estate. System-level numbers that the HMC
derives (available processors and memory, hypervisor memory) are derived here the same way, so
the capacity identities of reference §A.5/§A.6 hold in every synthetic bundle.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
class Nwsd:
    """A network server description on an IBM i host: serves one hosted partition."""

    name: str
    partition: str  # hosted partition's name (CRTNWSD PARTITION)
    ptn_id: int  # CRTNWSD PTNNBR
    rsrcname: str  # virtual SCSI server adapter resource (CTLxx)
    type: str = "*GUEST *OPSYS"
    created: str = "2019-06-01 10:00:00"  # local time
    saved: str | None = None


@dataclass
class StorageSpace:
    """A network server storage space (/QFPNWSSTG/<name>) and its link (nwsd None: unlinked)."""

    name: str
    size_mb: int
    nwsd: str | None = None
    drive: int | None = None
    changed: str | None = None  # local time the disk image last changed
    aspdev: str | None = None
    asp: int = 1
    format: str = "*OPEN"
    created: str = "2019-06-01 10:05:00"


@dataclass
class SaveOp:
    """One SAV or RST of a storage space, as the HATKSAV/HATKRST wrappers log it (local times)."""

    operation: str  # SAV | RST
    nwsstg: str  # name on the host that ran it (RST: restored as)
    at: str  # local start time
    minutes: int = 60  # duration
    saved: str | None = None  # RST: save point of the copy restored (source's local time)
    saved_nwsstg: str | None = None  # RST: name as saved
    savact: str = "*SYNC"
    device: str = "TAP01"
    volume: str | None = None
    source_system: str | None = None
    ok: bool = True


@dataclass
class TcpIfc:
    """A TCP/IP interface of an IBM i partition (one NETSTAT_INTERFACE_INFO row)."""

    address: str
    line: str  # line description, or *VIRTUALIP
    status: str = "ACTIVE"
    line_type: str = "ELAN"
    mask: str = "255.255.0.0"
    proxy_arp_allowed: bool = True
    proxy_arp_enabled: bool = False
    preferred: tuple[str, ...] = ()  # virtual IP: preferred interfaces in priority order
    separator: str = " "  # how the export writes the preferred list
    current_line: str | None = None  # line proxying a virtual IP now
    associated: str = "*NONE"  # ASSOCIATED_LOCAL_INTERFACE; "" = not exported
    vlan: int | None = None


@dataclass
class LineDesc:
    """An Ethernet line description and its port: a card port, an HEA logical port, or a virtual slot."""

    name: str
    resource: str
    card: str | None = None  # physical card slot (C4): location <unit>-P1-C4-T<port>
    port: int = 1
    hea_logical_port: int | None = None  # logical port id of a system HeaPort (matched by MAC)
    virtual_slot: int | None = None  # virtual Ethernet adapter slot of the partition
    aggregate: tuple[str, ...] = ()


@dataclass
class Asp:
    """An auxiliary storage pool and, for an IASP, its geographic mirroring session."""

    number: int
    device: str | None = None
    asp_type: str = "SYSTEM"
    state: str = "ACTIVE"
    units: int = 4
    session: str | None = None
    role: str | None = None  # PRODUCTION | MIRROR
    session_state: str | None = None
    sync_status: str | None = None
    delivery: str | None = None
    progress: int | None = None
    copy_node: str | None = None
    copy_serial: str | None = None


@dataclass
class DiskUnit:
    """A disk unit (one half of a mirrored pair, or one path) as a guest IBM i sees it."""

    asp: int
    unit: int
    resource: str
    serial: str
    client_slot: int  # the guest's virtual SCSI client adapter serving it
    lun: int  # LUN number on that adapter (address 0x80+lun)
    mirrored: bool = False
    capacity_mb: int = 71680


@dataclass
class IbmiHost:
    """What an IBM i partition exports: identity; as a host its NWSDs, storage spaces and SAV/RST log;
    its TCP/IP interfaces, lines and ASPs; as a guest its disk units."""

    system_name: str
    version: int
    release: int
    exported: str  # local time of the export
    nwsds: list[Nwsd] = field(default_factory=list)
    spaces: list[StorageSpace] = field(default_factory=list)
    history: list[SaveOp] = field(default_factory=list)
    interfaces: list[TcpIfc] = field(default_factory=list)
    lines: list[LineDesc] = field(default_factory=list)
    asps: list[Asp] = field(default_factory=list)
    disk_units: list[DiskUnit] = field(default_factory=list)
    qtimzon: str = "QN0100CET"
    iana_zone: str | None = None  # written only when set (else the bundle's plan.yaml timezone applies)


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
