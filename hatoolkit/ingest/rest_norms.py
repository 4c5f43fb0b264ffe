"""REST spellings -> the HMC CLI's spellings, so every source fills the Inventory with the same words.

The REST API (K2/UOM schema) and the CLI describe the same objects with different enumerations:
`not activated` vs `Not Activated`, `uncapped` vs `uncap`, `sre idle proces` (sic) vs
`share_idle_procs`, `AIX/Linux` vs `aixlinux`, `POWER9_Base` vs `POWER9_base`, a hardware page
table ratio stored as an exponent (7) vs `1:128`. Checks compare against the CLI words, so the
REST reader maps every enumeration here, once. A value with no known mapping is passed through
unchanged (and the schema or the check decides whether it is usable): inventing a CLI word for
an unknown REST word would hide a new HMC release's value.
"""

from __future__ import annotations

import re

PARTITION_TYPES: dict[str, str] = {
    "aix/linux": "aixlinux", "aix_linux": "aixlinux", "os400": "os400", "os_400": "os400",
    "virtual io server": "vioserver", "virtualioserver": "vioserver", "vios": "vioserver",
}

# LogicalPartitionStateEnum (pypowervm LPARState) -> lssyscfg -r lpar `state`.
PARTITION_STATES: dict[str, str] = {
    "running": "Running", "not activated": "Not Activated", "open firmware": "Open Firmware",
    "starting": "Starting", "shutting down": "Shutting Down", "error": "Error",
    "not available": "Not Available", "migrating running": "Migrating - Running",
    "migrating not active": "Migrating - Not Activated", "hardware discovery": "Hardware Discovery",
    "suspended": "Suspended", "suspending": "Suspending", "resuming": "Resuming",
}

# ManagedSystem State -> lssyscfg -r sys `state`.
SYSTEM_STATES: dict[str, str] = {
    "operating": "Operating", "power off": "Power Off", "powered off": "Power Off", "standby": "Standby",
    "error": "Error", "no connection": "No Connection", "incomplete": "Incomplete", "initializing": "Initializing",
    "failed authentication": "Failed Authentication", "pending authentication": "Pending Authentication",
    "power on": "Power On", "version mismatch": "Version Mismatch", "recovery": "Recovery",
    "error - dump in progress": "Error - Dump in progress", "error - terminated": "Error - Terminated",
    "on demand recovery": "On Demand Recovery", "service processor failover": "Service Processor Failover",
}

# LogicalPartitionProcessorSharingModeEnum -> curr_sharing_mode / sharing_mode.
SHARING_MODES: dict[str, str] = {
    "capped": "cap", "uncapped": "uncap",
    "sre idle proces": "share_idle_procs", "sre idle procs": "share_idle_procs",
    "share idle procs": "share_idle_procs", "sre idle procs active": "share_idle_procs_active",
    "sre idle procs always": "share_idle_procs_always", "keep idle procs": "keep_idle_procs",
}

BOOT_MODES: dict[str, str] = {
    "normal": "norm", "system_management_services": "sms", "diagnostic_default_boot": "dd",
    "diagnostic_stored_boot": "ds", "open_firmware": "of",
}

# PhysicalVolume ReservePolicy -> the VIOS `reserve_policy` attribute values.
RESERVE_POLICIES: dict[str, str] = {
    "noreserve": "no_reserve", "singlepath": "single_path", "pr_exclusive": "PR_exclusive",
    "pr_shared": "PR_shared", "prexclusive": "PR_exclusive", "prshared": "PR_shared",
}

HA_MODES: dict[str, str] = {"auto": "auto", "disabled": "disabled", "standby": "standby", "sharing": "sharing"}

# PhysicalVolume ReservePolicyAlgorithm -> the hdisk `algorithm` attribute (Failover, Round_Robin and
# Load_Balance are seen in real feeds; `Unknown` means REST does not know, not an algorithm).
PATH_ALGORITHMS: dict[str, str] = {
    "failover": "fail_over", "fail_over": "fail_over", "round_robin": "round_robin", "roundrobin": "round_robin",
    "load_balance": "load_balance", "loadbalance": "load_balance", "shortest_queue": "shortest_queue",
    "shortestqueue": "shortest_queue",
}


def _lookup(table: dict[str, str], value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    return table.get(text.lower(), text)


def partition_type(value: str | None) -> str | None:
    return _lookup(PARTITION_TYPES, value)


def partition_state(value: str | None) -> str | None:
    return _lookup(PARTITION_STATES, value)


def system_state(value: str | None) -> str | None:
    return _lookup(SYSTEM_STATES, value)


def sharing_mode(value: str | None) -> str | None:
    return _lookup(SHARING_MODES, value)


def boot_mode(value: str | None) -> str | None:
    return _lookup(BOOT_MODES, value)


def reserve_policy(value: str | None) -> str | None:
    return _lookup(RESERVE_POLICIES, value)


def ha_mode(value: str | None) -> str | None:
    return _lookup(HA_MODES, value)


def path_algorithm(value: str | None) -> str | None:
    if value is None or value.strip().lower() == "unknown":
        return None
    return _lookup(PATH_ALGORITHMS, value)


def compat_mode(value: str | None) -> str | None:
    """`POWER9_Base` -> `POWER9_base`, `POWER6_Plus_Enhanced` -> `POWER6+_enhanced`, `default` stays."""
    if value is None:
        return None
    text = value.strip()
    if not text.upper().startswith("POWER"):
        return text.lower() if text.lower() == "default" else text
    text = re.sub(r"_Plus", "+", text, flags=re.IGNORECASE)
    return re.sub(r"_(Base|Enhanced)$", lambda m: "_" + m.group(1).lower(), text, flags=re.IGNORECASE)


def hpt_ratio(value: str | None) -> str | None:
    """REST stores the page-table ratio as an exponent (`7` = 1:2**7); the CLI prints `1:128`."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit() and 0 < int(text) < 32:
        return f"1:{1 << int(text)}"
    return text  # already 1:N, or garbage that the hpt converter reports


def hpt_exponent(denominator: int) -> int:
    """Inverse of `hpt_ratio`, for writers: 128 -> 7."""
    if denominator < 2 or denominator & (denominator - 1):
        raise ValueError(f"1:{denominator} is not a power-of-two page table ratio")
    return denominator.bit_length() - 1


def dedicated(value: str | None) -> str | None:
    """HasDedicatedProcessors true/false -> proc_mode ded/shared."""
    if value is None:
        return None
    lower = value.strip().lower()
    return {"true": "ded", "false": "shared"}.get(lower, value.strip())


def memory_mode(value: str | None) -> str | None:
    """SharedMemoryEnabled true/false -> mem_mode shared/ded."""
    if value is None:
        return None
    lower = value.strip().lower()
    return {"true": "shared", "false": "ded"}.get(lower, value.strip())


def vlan_list(value: str | None) -> str | None:
    """TaggedVLANIDs / WWPNs are space-separated in REST; the CLI's lists are comma-separated."""
    if value is None:
        return None
    return ",".join(value.split())
