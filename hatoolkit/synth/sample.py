"""The embedded sample estate (data/sample): a story a Power architect recognises.

Production site: PRD-1 (Power S1024, POWER10) runs the ERP and web tier, PRD-2 (Power S1022,
POWER10) runs CRM and HR; both behind dual VIOS. IBMI-7 (Power 740, POWER7+) is an older box
where an IBM i hosting partition serves virtual disks and LAN (through IVE ports) to an IBM i
guest and a Linux guest. DR site: DR-1 (Power S924, POWER9) with dev/test partitions that may
be shut down, CoD cores left dark, and an IBM i host that receives SAV/RST copies.

Deliberate weaknesses (later checks find them): DR-1 cannot take PRD-1 at full size unless
dev/test goes down; ERP-DB runs in POWER10 mode, which a POWER9 cannot host live; NIM owns a
physical adapter and its name is already used on DR-1; MQ has RMC down; DB2-BATCH uses huge
pages; HR-APP has redundant error path reporting on; VLAN 30 is not bridged on DR-1; the IBM i
guests are hosted by IBM i (no LPM possible); the IBM i host's two IVE ports share one physical
port; DR-1's physical I/O listing was not captured.

SAV/RST copies (IBM i exports under ibmi/, as_of 2026-11-25 06:00 Europe/Warsaw): IBMIHOST serves
IBMI-GUEST1 through NWSD IBMIGST1 (storage spaces IBMIGST1A, IBMIGST1B, IBMIGST1C) and LNX-GUEST1
through NWSD LNXGST1 (LNXGST1ROOT, LNXGST1DATA); IBMIHOST-DR on DR-1 restores the copies.
IBMIGST1A is saved nightly but the backup restored only the 23 Nov save (restore lagging; the
copy is 32 h old against business's 24 h RPO: stale); IBMIGST1B (journal receivers, classed
transactional = high change in `storage.assign`) was saved once and never restored; IBMIGST1C was
never saved; LNXGST1ROOT is restored weekly under a new name LNXROOTDR (renamed on the backup,
linked there, fresh); LNXGST1DATA was last copied on 18 Oct (over 4x its 7-day RPO) and changed
since. IBMI-GUEST1's NWSD exists on DR-1 but its LPAR does not; LNX-GUEST1 is defined there.

VIOS side (vios/<system>/<vios>/, issue 5): PRD-1, PRD-2 and DR-1 share one stretched SAN
fabric, so each VIOS sees the client LUNs of all three (by UDID; hdisk names differ per VIOS),
except MQ's data LUN, which is not zoned to DR-1. PRD-1's SEA pair load-shares
(ha_mode=sharing) over 802.3ad EtherChannels, PRD-2's fails over (auto) over NIB
EtherChannels, DR-1's SEAs sit on a single port and bridge VLANs 10 and 20 only (not 30).
LNX-BATCH's data LUN has reserve_policy=single_path on PRD-1-VIOS2; DEV-WEB's data disk is
a logical volume on DR-1-VIOS1. DR-1's VIOS host names (drvios1/2) differ from their partition
names. Captured as: PRD-1-VIOS1 `cmd| |line` script output, PRD-1-VIOS2 one file per command
(-fmt layouts), PRD-2 through `viosvrcmd` on the HMC, DR-1 padmin sessions.

Failover headroom (issue 4; per-core rPerf S1024/32c 31.67, S1022/24c 29.13, S924/24c 24.30,
740/8c 11.49): PRD-1 -> DR-1 needs 23.6 POWER9 units and 528 GB at current size against 7 free
(+5.5 from dev/test, +8 dark CoD cores): it fits only at minimum size and only with dev/test shut
down (memory misses by 1.1 GB without). PRD-2 -> DR-1 fits at full size with dev/test down,
except that DR-1's CRMPOOL is capped at 4.0 units (licensing) while CRM-DB + CRM-APP need 6.6:
it fits only at minimum size. Pool production-site: losing PRD-1 does not fit on PRD-2 even at
minimum size (memory); losing PRD-2 fits on PRD-1 at full size only with CoD (not allowed by the
plan), else at minimum size. Reverse of IBMI-7 -> DR-1: DR-1's NIM and IBMIHOST-DR need 41 GB
on IBMI-7, which has 26.8 GB free (asymmetric pair).

Redundancy (issue 7; IBM i interfaces, lines, ASPs and guest disk units under ibmi/): IBMIHOST
bridges its guests' VLAN 10 by proxy ARP through virtual IP 10.10.0.10, whose two preferred
interfaces (ETHLINE1, ETHLINE2) are IVE logical ports 1 and 2 of ONE physical port: the IVE port,
the IVE adapter and IBMIHOST are single points of failure for IBMI-GUEST1 and LNX-GUEST1.
LNX-GUEST1 sits on VLAN 11, proxied straight through ETHLINE1's interface (one interface; VLAN 11
is not bridged on DR-1 either). IBMI-GUEST1 exports its disk units: all three are unmirrored on
IBMIHOST, and IBMIGST1C (new, never saved, not in an IASP) is protected by nothing at all.
IBMIGST1B lives in IASP IASPJRN, geographically mirrored to IBMIHOST-DR, but the session is
suspended. HR-PAY (IBM i 7.5, PRD-2) mirrors its units across PRD-2-VIOS1 and PRD-2-VIOS2, one LUN
through each: unit 1 spans both, but both halves of unit 2 come through PRD-2-VIOS1, which stays a
single point of failure for it. PRD-2's SEA pair has equal trunk priorities (1/1), and
PRD-2-VIOS2 bridges the backup LAN (VLAN 60) through a standalone SEA (ha_mode=disabled, no
partner). PRD-1's web VLAN 30 got its own SEA "pair" with both SEAs on PRD-1-VIOS1 (the second
with ha_mode=disabled, each on one port of the same card): PRD-1-VIOS1 and that card cut WEB1
and WEB2 off. DR-1's SEA pair runs without a control channel (VIOS 3.1: allowed, not flagged).

Utilisation history (issue 10; synth/sample_usage.py): 34 days of hourly `lslparutil` samples
for PRD-1, PRD-2 and DR-1 up to 23:00 on 24 Nov. ERP-DB (uncapped, 6.0 entitled) runs about 3.4
by day and peaks near 9 at the October month-end close; MQ was left out of the capture (it falls
back to entitlement under usage sizing); HR-PAY has samples only since 13 Nov; DR-1's HMC was
down 26 hours on 10-11 Nov and DEV-ERP restarted on 3 Nov; IBMI-7's HMC does not collect
(sample_rate=0). The plan keeps `sizing: current`: with `sizing: p95_30d` PRD-2 -> DR-1 fits (dev/test down) at
its observed size, and HA109 names MQ, the IBMI-7 partitions, HR-PAY and DR-1's holed series.
On DR-1, TEST-ERP's rootvg LUN is zoned to both VIOS but mapped through DR-1-VIOS1 only (DR-1-VIOS2
holds it with reserve_policy=single_path); DEV-ERP's rootvg has a failed path on DR-1-VIOS2;
IBMIHOST-DR's own virtual IP has proxy ARP off and its second preferred interface inactive.

Waivers (issue 10, waivers.yaml from synth/sample_waivers.py): NIM's physical adapter (HA203) is
waived by its owner until 2027-03-31 (NIM is rebuilt on DR-1, never moved live); the waiver of MQ's
RMC outage (HA207) expired on 2026-10-31, so that finding counts again and HA010 reports the lapse;
a waiver for HR-OLD (HA208), a partition no longer in the estate, matches nothing (HA011, stale).
"""

from __future__ import annotations

from hatoolkit.synth.build import Wiring, new_system, vios
from hatoolkit.synth.estate import (
    Asp,
    DiskUnit,
    Estate,
    HeaPort,
    IbmiHost,
    IoSlot,
    LineDesc,
    Lpar,
    Nwsd,
    ProcPool,
    SaveOp,
    StorageSpace,
    TcpIfc,
    VEth,
)
from hatoolkit.synth.sample_usage import attach_sample_usage
from hatoolkit.synth.sample_waivers import WAIVERS_YAML
from hatoolkit.synth.vios_build import SanNet, ViosTweaks, configure_vios

AIX73 = "AIX 7.3 7300-02-02-2420"
AIX72 = "AIX 7.2 7200-05-08-2420"
RHEL = "Linux/Red Hat 5.14.0-427 9.4"
SLES = "Linux/SuSE 5.14.21-150500 15.5"
IBMI75 = "IBM i Licensed Internal Code 7.5.0 48 1"
IBMI71 = "IBM i Licensed Internal Code 7.1.0 48 1"

PLAN_YAML = """\
# What no export can say: which system backs up which, what may be shut down, and RPOs.
as_of: 2026-11-25T06:00:00
timezone: Europe/Warsaw
failover:
  pairs:
    - production: PRD-1
      backup: DR-1
    - production: PRD-2
      backup: DR-1
    - production: IBMI-7
      backup: DR-1
  pools:
    - name: production-site
      systems: [PRD-1, PRD-2]
preemptible: ["DR-1/DEV-*", "DR-1/TEST-*"]
sizing: current
allow_cod: false
workloads:
  classes:
    transactional: {rpo: 4h, change: high}
    business: {rpo: 24h, change: medium}
    infra: {rpo: 7d, change: low}
  assign:
    "*/ERP-*": transactional
    "*/CRM-*": transactional
    "*/IBMI-GUEST1": business
  default: infra
storage:
  assign:
    "IBMI-7/IBMIGST1B": transactional
critical: ["PRD-1/ERP-DB", "PRD-2/CRM-DB", "IBMI-7/IBMI-GUEST1"]
"""


def _lp(lpar_id: int, name: str, os_version: str, units: float, mem_gb: int, **kw: object) -> Lpar:
    env = str(kw.pop("env", "os400" if os_version.startswith("IBM i") else "aixlinux"))
    fields: dict[str, object] = {
        "env": env, "os_version": os_version, "proc_units": units, "procs": max(1, round(units * 2)),
        "max_proc_units": units * 2, "min_proc_units": max(0.1, units / 4), "max_procs": max(2, round(units * 4)),
        "mem_mb": mem_gb * 1024, "min_mem_mb": max(2048, mem_gb * 256), "max_mem_mb": mem_gb * 2048,
        "hpt_ratio": 64 if env == "os400" else 128, "rmc_ip": f"10.20.{lpar_id}.10",
    }
    fields.update(kw)
    return Lpar(lpar_id, name, **fields)  # type: ignore[arg-type]


def _prd1() -> object:
    s = new_system("PRD-1", "9105-42A", "78A1234", cores=24, installed_cores=32, mem_gb=768, installed_mem_gb=1024,
                   hmc="hmc-prod", ipaddr="10.10.0.11")
    v1, v2 = vios(1, "PRD-1-VIOS1", units=1.5, mem_gb=16, compat="POWER10"), \
        vios(2, "PRD-1-VIOS2", units=1.5, mem_gb=16, compat="POWER10")
    s.lpars += [v1, v2]
    w = Wiring(s)
    w.vios_pair(v1, v2, vlans=(10, 20))
    clients = [
        _lp(3, "ERP-DB", AIX73, 6.0, 256, compat_mode="POWER10", desired_compat_mode="POWER10", min_mem_mb=131072),
        _lp(4, "ERP-APP1", AIX73, 2.0, 64, compat_mode="POWER9_base"),
        _lp(5, "ERP-APP2", AIX73, 2.0, 64, compat_mode="POWER9_base"),
        _lp(6, "WEB1", RHEL, 1.0, 16, compat_mode="POWER9"),
        _lp(7, "WEB2", RHEL, 1.0, 16, compat_mode="POWER9"),
        _lp(8, "NIM", AIX72, 0.5, 8, compat_mode="POWER9", io_slots=("21010203",)),
        _lp(9, "MQ", AIX73, 1.0, 32, compat_mode="POWER9", rmc_state="inactive"),
        _lp(10, "LNX-BATCH", SLES, 0.0, 64, proc_mode="ded", procs=4, min_procs=2, max_procs=6,
            sharing_mode="share_idle_procs", compat_mode="POWER9"),
    ]
    for lp in clients:
        s.lpars.append(lp)
        w.lan(lp, 30 if lp.name.startswith("WEB") else 10)
        (w.npiv if lp.name.startswith("ERP") else w.vscsi)(lp, v1, v2)
    s.io_slots += [
        IoSlot("21010201", "PCIe3 4-Port 16Gb FC Adapter", "0C04", phys_loc="C1", owner=1),
        IoSlot("21010202", "PCIe3 4-port 10GbE SR Adapter", "0200", phys_loc="C2", owner=1),
        IoSlot("21010203", "PCIe3 2-port 10GbE SR Adapter", "0200", phys_loc="C3", owner=8),
        IoSlot("21010204", "PCIe3 4-Port 16Gb FC Adapter", "0C04", phys_loc="C4", owner=2),
        IoSlot("21010205", "PCIe3 4-port 10GbE SR Adapter", "0200", phys_loc="C5", owner=2),
        IoSlot("21010206", "Empty slot", "FFFF", phys_loc="C6"),
    ]
    # VLAN 30 (web) was given its own SEA "pair" later: both trunk adapters ended up on PRD-1-VIOS1.
    for prio in (1, 2):
        v1.veths.append(VEth(w.slot(v1), 30, trunk_priority=prio, ieee=True))
    return s


def _prd2() -> object:
    s = new_system("PRD-2", "9105-22A", "78B5678", cores=20, mem_gb=512, hmc="hmc-prod", ipaddr="10.10.0.12")
    v1, v2 = vios(1, "PRD-2-VIOS1", units=1.0, mem_gb=12, compat="POWER10"), \
        vios(2, "PRD-2-VIOS2", units=1.0, mem_gb=12, compat="POWER10", msp=False)
    s.lpars += [v1, v2]
    s.pools.append(ProcPool(1, "CRMPOOL", 6.0, 0.0))
    w = Wiring(s)
    w.vios_pair(v1, v2, vlans=(10, 20, 30))
    next(a for a in v2.veths if a.trunk_priority).trunk_priority = 1  # both SEAs of the pair at priority 1
    clients = [
        _lp(3, "CRM-DB", AIX73, 4.0, 128, compat_mode="POWER9_base", pool_id=1),
        _lp(4, "CRM-APP", RHEL, 1.5, 32, compat_mode="POWER9", pool_id=1),
        _lp(5, "DB2-BATCH", AIX73, 2.0, 96, compat_mode="POWER9_base", huge_pages=16),
        _lp(6, "HR-APP", AIX72, 1.0, 24, compat_mode="POWER8", rep=True),
        _lp(7, "MONITOR", RHEL, 0.5, 8, compat_mode="POWER9"),
    ]
    for lp in clients:
        s.lpars.append(lp)
        w.lan(lp, 20 if lp.name == "MONITOR" else 10)
        w.npiv(lp, v1, v2)
    # HR-PAY (IBM i) mirrors its disk units across the two VIOS, one LUN through each (slots 5 and 6).
    pay = _lp(8, "HR-PAY", IBMI75, 1.0, 32, compat_mode="POWER9_base")
    pay.ibmi = IbmiHost("HRPAY", 7, 5, "2026-11-25 05:45:00", disk_units=[
        DiskUnit(1, 1, "DD001", "21-0A1B1", 5, 1, mirrored=True), DiskUnit(1, 1, "DD002", "21-0A1B2", 6, 1, mirrored=True),
        DiskUnit(1, 2, "DD003", "21-0A2B1", 5, 2, mirrored=True), DiskUnit(1, 2, "DD004", "21-0A2B2", 5, 3, mirrored=True)])
    s.lpars.append(pay)
    w.lan(pay, 10)
    w.vscsi(pay, v1, v2)
    # The backup LAN (VLAN 60) is bridged by one standalone SEA on PRD-2-VIOS2.
    v2.veths.append(VEth(w.slot(v2), 60, trunk_priority=1, ieee=True))
    s.io_slots += [
        IoSlot("21010101", "PCIe3 4-Port 16Gb FC Adapter", "0C04", phys_loc="C1", owner=1),
        IoSlot("21010102", "PCIe3 4-port 10GbE SR Adapter", "0200", phys_loc="C2", owner=1),
        IoSlot("21010103", "PCIe3 4-Port 16Gb FC Adapter", "0C04", phys_loc="C3", owner=2),
        IoSlot("21010104", "PCIe3 4-port 10GbE SR Adapter", "0200", phys_loc="C4", owner=2),
    ]
    return s


def _ibmi7() -> object:
    s = new_system("IBMI-7", "8205-E6C", "06C9012", cores=8, installed_cores=8, mem_gb=128, hmc="hmc-prod",
                   ipaddr="10.10.0.13", active_lpm=True, lmb_mb=128, min_proc_units_per_vp=0.1)
    host = _lp(1, "IBMIHOST", "IBM i Licensed Internal Code 7.2.0 48 1", 2.0, 48, compat_mode="POWER7",
               desired_compat_mode="default", io_slots=("21010301", "21010302"))
    guest = _lp(2, "IBMI-GUEST1", IBMI71, 1.5, 32, compat_mode="POWER7")
    linux = _lp(3, "LNX-GUEST1", SLES, 1.0, 16, compat_mode="POWER7")
    host.ibmi = _ibmihost()
    guest.ibmi = IbmiHost("GUEST1", 7, 1, "2026-11-25 05:50:00", disk_units=[
        DiskUnit(1, n, f"DD00{n}", f"21-0G{n}", 4, n, capacity_mb=size) for n, size in ((1, 143360), (2, 71680),
                                                                                       (3, 35840))])
    s.lpars += [host, guest, linux]
    w = Wiring(s)
    for client in (guest, linux):
        w.vscsi(client, host)
        w.lan(client, 10 if client is guest else 11)
    w.lan(host, 10)
    w.lan(host, 11)
    s.io_slots += [
        IoSlot("21010301", "PCIe2 SAS RAID Adapter", "0104", phys_loc="C1", owner=1),
        IoSlot("21010302", "PCIe2 4-Port 8Gb FC Adapter", "0C04", phys_loc="C2", owner=1),
    ]
    # Two logical ports for the host's preferred interfaces: both on physical port 0 of one IVE.
    s.hea_ports += [HeaPort("23000000", 1, 0, 1, 1), HeaPort("23000000", 1, 0, 2, 1)]
    return s


def _dr1() -> object:
    s = new_system("DR-1", "9009-42A", "7891011", cores=16, installed_cores=24, mem_gb=448, installed_mem_gb=1024,
                   hmc="hmc-dr", ipaddr="10.30.0.11")
    v1, v2 = vios(1, "DR-1-VIOS1", units=1.0, mem_gb=12), vios(2, "DR-1-VIOS2", units=1.0, mem_gb=12)
    s.lpars += [v1, v2]
    # The CRM database licence on DR-1 covers 4 processors: its CRMPOOL is capped below CRM's need.
    s.pools.append(ProcPool(1, "CRMPOOL", 4.0, 0.0))
    w = Wiring(s)
    w.vios_pair(v1, v2, vlans=(10, 20))
    clients = [
        _lp(3, "DEV-ERP", AIX73, 3.0, 96, compat_mode="POWER9_base"),
        _lp(4, "TEST-ERP", AIX73, 2.0, 64, compat_mode="POWER9_base"),
        _lp(5, "DEV-WEB", RHEL, 0.5, 16, compat_mode="POWER9"),
        _lp(6, "NIM", AIX72, 0.5, 8, compat_mode="POWER9"),
        _lp(7, "IBMIHOST-DR", "IBM i Licensed Internal Code 7.4.0 48 1", 1.0, 32, compat_mode="POWER9"),
        _lp(8, "LNX-GUEST1", SLES, 1.0, 16, state="Not Activated", rmc_state="inactive"),
    ]
    clients[4].ibmi = _ibmihost_dr()
    for lp in clients:
        s.lpars.append(lp)
        w.lan(lp, 10)
        if lp.name == "LNX-GUEST1":
            w.vscsi(lp, s.lpar("IBMIHOST-DR"))
        elif lp.name != "IBMIHOST-DR":
            w.vscsi(lp, v1, v2)
    s.io_slots += [
        IoSlot("21010401", "PCIe3 4-Port 16Gb FC Adapter", "0C04", phys_loc="C1", owner=1),
        IoSlot("21010402", "PCIe3 4-Port 16Gb FC Adapter", "0C04", phys_loc="C2", owner=2),
        IoSlot("21010403", "PCIe3 SAS RAID Adapter", "0104", phys_loc="C3", owner=7),
        IoSlot("21010404", "PCIe3 2-port 10GbE SR Adapter", "0200", phys_loc="C4", owner=7),
        IoSlot("21010405", "PCIe3 2-port 10GbE SR Adapter", "0200", phys_loc="C5", owner=7),
        IoSlot("21010406", "PCIe3 4-port 10GbE SR Adapter", "0200", phys_loc="C6", owner=1),
        IoSlot("21010407", "PCIe3 4-port 10GbE SR Adapter", "0200", phys_loc="C7", owner=2),
    ]
    return s


def _ibmihost() -> IbmiHost:
    nightly = [SaveOp("SAV", "IBMIGST1A", f"2026-11-{d} 22:00:00", 75, volume=f"A{d}") for d in range(18, 25)]
    weekly = [SaveOp("SAV", "LNXGST1ROOT", f"2026-11-{d} 02:00:00", 20, volume=f"L{d}") for d in (15, 22)]
    data = [SaveOp("SAV", "LNXGST1DATA", f"2026-10-{d} 02:00:00", 120, savact="*NO", volume=f"D{d}") for d in (11, 18)]
    return IbmiHost(
        "IBMIHOST", 7, 2, "2026-11-25 05:30:00",
        nwsds=[Nwsd("IBMIGST1", "IBMI-GUEST1", 2, "CTL01", saved="2026-11-01 01:00:00"),
               Nwsd("LNXGST1", "LNX-GUEST1", 3, "CTL02", saved="2026-11-01 01:00:00")],
        spaces=[StorageSpace("IBMIGST1A", 143360, "IBMIGST1", 1, "2026-11-25 05:40:00"),
                StorageSpace("IBMIGST1B", 71680, "IBMIGST1", 2, "2026-11-25 05:55:00", aspdev="IASPJRN", asp=33),
                StorageSpace("IBMIGST1C", 35840, "IBMIGST1", 3, "2026-11-25 05:10:00", created="2026-11-20 14:00:00"),
                StorageSpace("LNXGST1ROOT", 40960, "LNXGST1", 1, "2026-11-20 10:00:00"),
                StorageSpace("LNXGST1DATA", 204800, "LNXGST1", 2, "2026-11-24 18:00:00")],
        history=[*data, *weekly, *nightly, SaveOp("SAV", "IBMIGST1B", "2026-11-24 22:30:00", 40, volume="B24"),
                 SaveOp("SAV", "IBMIGST1A", "2026-11-17 22:00:00", 5, ok=False)],
        # The guests' LAN: VLAN 10 through virtual IP 10.10.0.10, whose two preferred interfaces sit on HEA
        # logical ports 1 and 2 of one physical IVE port; VLAN 11 straight through ETHLINE1's interface.
        lines=[LineDesc("ETHLINE1", "CMN01", hea_logical_port=1), LineDesc("ETHLINE2", "CMN02", hea_logical_port=2),
               LineDesc("VRTETH10", "CMN10", virtual_slot=6), LineDesc("VRTETH11", "CMN11", virtual_slot=7)],
        interfaces=[
            TcpIfc("10.10.0.11", "ETHLINE1"), TcpIfc("10.10.0.12", "ETHLINE2"),
            TcpIfc("10.10.0.10", "*VIRTUALIP", proxy_arp_enabled=True, preferred=("10.10.0.11", "10.10.0.12"),
                   current_line="ETHLINE1"),
            TcpIfc("10.10.10.1", "VRTETH10", line_type="VETH", mask="255.255.255.0", proxy_arp_allowed=False,
                   associated="10.10.0.10"),
            TcpIfc("10.10.11.1", "VRTETH11", line_type="VETH", mask="255.255.255.0", proxy_arp_allowed=False,
                   associated="10.10.0.11")],
        # IBMIGST1B (journal receivers) lives in IASP IASPJRN, geographically mirrored to IBMIHOST-DR: suspended.
        asps=[Asp(1, units=6), Asp(33, "IASPJRN", "PRIMARY", "AVAILABLE", 2, session="GEOJRN", role="PRODUCTION",
                                 session_state="SUSPENDED", sync_status="SUSPENDED", delivery="SYNC", progress=0,
                                 copy_node="IBMIHDR", copy_serial="7891011")],
    )


def _ibmihost_dr() -> IbmiHost:
    daily = [SaveOp("RST", "IBMIGST1A", f"2026-11-{d + 1} 03:00:00", 90, saved=f"2026-11-{d} 22:00:00",
                    volume=f"A{d}", source_system="IBMIHOST") for d in range(18, 24)]
    return IbmiHost(
        "IBMIHDR", 7, 4, "2026-11-25 05:35:00",
        nwsds=[Nwsd("IBMIGST1", "IBMI-GUEST1", 9, "CTL02"), Nwsd("LNXGST1", "LNX-GUEST1", 8, "CTL01")],
        spaces=[StorageSpace("IBMIGST1A", 143360, "IBMIGST1", 1, "2026-11-24 04:30:00"),
                StorageSpace("LNXROOTDR", 40960, "LNXGST1", 1, "2026-11-22 06:20:00"),
                StorageSpace("LNXGST1DATA", 204800, "LNXGST1", 2, "2026-10-18 11:00:00")],
        history=[SaveOp("RST", "LNXGST1DATA", "2026-10-18 09:00:00", 120, saved="2026-10-18 02:00:00",
                        volume="D18", source_system="IBMIHOST"),
                 SaveOp("RST", "LNXROOTDR", "2026-11-22 06:00:00", 20, saved="2026-11-22 02:00:00",
                        saved_nwsstg="LNXGST1ROOT", volume="L22", source_system="IBMIHOST"),
                 *daily],
        # The DR host's own virtual IP: proxy ARP never enabled, the second preferred interface never started.
        lines=[LineDesc("ETHDR1", "CMN01", card="C4"), LineDesc("ETHDR2", "CMN02", card="C5"),
               LineDesc("VRTETHDR", "CMN03", virtual_slot=4)],
        interfaces=[
            TcpIfc("10.30.0.21", "ETHDR1"), TcpIfc("10.30.0.22", "ETHDR2", status="INACTIVE"),
            TcpIfc("10.30.0.20", "*VIRTUALIP", proxy_arp_enabled=False, preferred=("10.30.0.21", "10.30.0.22"),
                   separator=","),
            TcpIfc("10.30.10.7", "VRTETHDR", line_type="VETH", mask="255.255.255.0", proxy_arp_allowed=False)],
        asps=[Asp(1, units=4), Asp(33, "IASPJRN", "PRIMARY", "VARIED OFF", 2, session="GEOJRN", role="MIRROR",
                                 session_state="SUSPENDED", sync_status="SUSPENDED", delivery="SYNC", progress=0,
                                 copy_node="IBMIHOST", copy_serial="06C9012")],
    )


# How the sample's VIOS are captured (synth/vios_writer.py styles), per VIOS partition.
SAMPLE_VIOS_CAPTURE = {"PRD-1-VIOS1": "pipe", "PRD-1-VIOS2": "files", "PRD-2-VIOS1": "viosvrcmd",
                       "PRD-2-VIOS2": "viosvrcmd", "DR-1-VIOS1": "padmin", "DR-1-VIOS2": "padmin"}


def _vios_side(estate: Estate) -> None:
    nets = {"PRD-1": SanNet(ha_mode="sharing", real_adapter="etherchannel"),
            "PRD-2": SanNet(ha_mode="auto", real_adapter="nib"),
            "DR-1": SanNet(ha_mode="auto", real_adapter="ent0")}
    prd1_v1 = estate.system("PRD-1").lpar("PRD-1-VIOS1")
    web_a, web_b = (a.slot for a in prd1_v1.veths if a.trunk_priority and a.pvid == 30)
    prd2_v2 = estate.system("PRD-2").lpar("PRD-2-VIOS2")
    backup_lan = next(a.slot for a in prd2_v2.veths if a.trunk_priority and a.pvid == 60)
    tweaks = ViosTweaks(
        data_luns=frozenset({"ERP-DB", "MQ", "LNX-BATCH", "DEV-ERP", "DEV-WEB"}),
        reserve={("PRD-1-VIOS2", "LNX-BATCH/data"): "single_path", ("DR-1-VIOS2", "TEST-ERP/rootvg"): "single_path"},
        lv_backed={("DR-1-VIOS1", "DEV-WEB/data"): "devweb_lv01"},
        hidden={("PRD-1", "MQ", "data"): frozenset({"DR-1"})},
        hostnames={"DR-1-VIOS1": "drvios1", "DR-1-VIOS2": "drvios2"},
        split={"HR-PAY": (("u1a", "PRD-2-VIOS1"), ("u1b", "PRD-2-VIOS2"), ("u2a", "PRD-2-VIOS1"),
                          ("u2b", "PRD-2-VIOS1"))},
        unmapped=frozenset({("DR-1-VIOS2", "TEST-ERP/rootvg")}),
        paths={("DR-1-VIOS2", "DEV-ERP/rootvg"): (("fscsi0", "Enabled"), ("fscsi1", "Failed"))},
        sea_ha_mode={("PRD-1-VIOS1", web_a): "auto", ("PRD-1-VIOS1", web_b): "disabled",
                     ("PRD-2-VIOS2", backup_lan): "disabled"},
        sea_real={("PRD-1-VIOS1", web_a): "ent2", ("PRD-1-VIOS1", web_b): "ent3", ("PRD-2-VIOS2", backup_lan): "ent3"},
        no_ctl_chan=frozenset({"DR-1-VIOS1", "DR-1-VIOS2"}),
    )
    configure_vios(estate, nets, tweaks)


def sample_estate() -> Estate:
    systems = [_prd1(), _prd2(), _ibmi7(), _dr1()]
    for s in systems:
        s.check()  # type: ignore[attr-defined]
    estate = Estate(systems, plan_yaml=PLAN_YAML, waivers_yaml=WAIVERS_YAML)  # type: ignore[arg-type]
    _vios_side(estate)
    attach_sample_usage(estate)
    return estate
