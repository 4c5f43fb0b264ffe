"""IBM i exports of the synthetic estate: a hosting partition's NWSDs, storage spaces and save history,
and any IBM i partition's interfaces, lines, ASPs and disk units (rendered by synth/ibmi_writer)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
