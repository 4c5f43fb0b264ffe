"""HA2xx (virtual I/O): storage and networks a partition cannot take along to the destination.

The partition's disks and LANs must be served by VIOS (not an IBM i host), its VLANs bridged by
a VIOS of the destination, and its virtual SCSI disks be whole SAN LUNs, unreserved, that a VIOS
of the destination sees (by UDID). These need VIOS captures (lsmap, lsdev, chkdev); without them
the findings are `unknown` and say which capture is missing.
"""

from __future__ import annotations

from hatoolkit.checks.mobility import rule_outcome
from hatoolkit.checks.registry import Outcome, check
from hatoolkit.model.findings import Severity
from hatoolkit.model.inventory import Inventory
from hatoolkit.model.plan import Plan


@check("HA205", Severity.HIGH,
       remediation="Serve the partition's disks and LAN from a VIOS pair (vSCSI/NPIV and an SEA) instead of the "
                   "IBM i hosting partition; until then its failover is a cold restart from copies (HA3xx).")
def lpm_hosted_by_ibmi(inv: Inventory, plan: Plan) -> Outcome:
    """Virtual disks or LAN of the partition are served by an IBM i hosting partition, not a VIOS.

    Partition mobility needs all I/O virtualised by a VIOS: a guest whose storage spaces
    (NWSSTG) or network an IBM i host serves would leave its disks or its LAN behind on the
    source. The evidence names the hosting partition.
    """
    return rule_outcome(inv, plan, "ibmi_hosted", per_destination=False)


@check("HA211", Severity.HIGH,
       remediation="Add the VLAN (on the same virtual switch) to a trunk adapter of an SEA on the destination's VIOS "
                   "pair, or choose a destination that bridges it.")
def lpm_vlan_not_bridged(inv: Inventory, plan: Plan) -> Outcome:
    """A VLAN of the partition is not bridged by any VIOS of the destination.

    After the move the partition's virtual Ethernet adapters must reach the same networks; the
    HMC validates that a VIOS Shared Ethernet Adapter on the destination carries each VLAN ID on
    the same virtual switch. An unbridged VLAN means an outage of that network after migration.
    """
    return rule_outcome(inv, plan, "vlan", per_destination=True)


@check("HA212", Severity.HIGH,
       remediation="Re-map the client disk to a whole SAN LUN zoned to both systems (migrate the data off the "
                   "logical volume or file), and unload virtual optical media before the move.")
def lpm_disk_not_whole_lun(inv: Inventory, plan: Plan) -> Outcome:
    """A virtual SCSI disk of the partition is backed by a logical volume, a file or optical media.

    Only whole physical volumes (LUNs) on shared storage can be re-mapped to a VIOS of the
    destination; a logical volume or file lives on the source VIOS's own disks and cannot move.
    """
    return rule_outcome(inv, plan, "backing", per_destination=False)


@check("HA213", Severity.HIGH,
       remediation="Set reserve_policy=no_reserve (or PR_shared) on the hdisk on every VIOS that maps it: "
                   "chdev -dev hdiskN -attr reserve_policy=no_reserve -perm, then reboot or remap.")
def lpm_reserve_policy(inv: Inventory, plan: Plan) -> Outcome:
    """A LUN behind the partition's disks is reserved by a VIOS (reserve_policy single_path, PR_exclusive).

    The destination VIOS must open the LUN while the source still holds it, and a dual-VIOS
    MPIO client needs both VIOS to access it: a SCSI reservation by one VIOS breaks both.
    """
    return rule_outcome(inv, plan, "reserve", per_destination=False)


@check("HA214", Severity.HIGH,
       remediation="Zone and map the LUN to the destination's VIOS (same UDID), with reserve_policy=no_reserve.")
def lpm_lun_not_visible(inv: Inventory, plan: Plan) -> Outcome:
    """A LUN behind the partition's virtual SCSI disks is not visible to any VIOS of the destination.

    Mobility re-creates the client's virtual SCSI mappings on the destination VIOS, which must
    already see the same LUNs (matched by UDID, never by hdisk name). A LUN not zoned to the
    destination fails validation.
    """
    return rule_outcome(inv, plan, "lun_visibility", per_destination=True)
