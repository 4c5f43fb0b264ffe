"""Hand-made IBM i bundles for the backup tests: small CSVs and HMC captures written from compact specs.

A case is a production system PROD (IBM i host HOST) paired with BKP (host BHOST), audited at
2026-11-25 06:00 Europe/Warsaw. Every storage space, NWSD and history row is spelled out by the
test that uses it, so a reader sees the exact CSV lines a check judges.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

PLAN = """\
as_of: 2026-11-25T06:00:00
timezone: Europe/Warsaw
failover:
  pairs:
{pairs}
workloads:
  classes:
    daily: {{rpo: 24h, change: low}}
    hot: {{rpo: 4h, change: high}}
  default: daily
{extra}"""

PARTITION_HEADER = "SYSTEM_NAME,PARTITION_NAME,PARTITION_ID,OS_VERSION,OS_RELEASE,SERIAL_NUMBER,QUTCOFFSET,EXPORT_TIMESTAMP"
NWSD_HEADER = "OBJNAME,OBJTYPE,RSRCNAME,PARTITION,PTNNBR"
SPACE_HEADER = "NWSSTG,NWSSIZE,NWSD,DRVSEQNBR,DATA_CHANGE_TIMESTAMP"
HISTORY_HEADER = "OPERATION,NWSSTG,SAVED_NWSSTG,OPERATION_TIMESTAMP,UTC_OFFSET,SAVE_TIMESTAMP,SAVE_UTC_OFFSET,SAVACT,SOURCE_SYSTEM,STATUS"


def csv(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def hmc_lpars(system: str, lpars: list[tuple[int, str, str, str]]) -> str:
    """(id, name, env, state) -> an `lssyscfg -r lpar` capture."""
    lines = [f"$ lssyscfg -r lpar -m {system}"]
    lines += [f"name={n},lpar_id={i},lpar_env={e},state={s},os_version=IBM i Licensed Internal Code 7.4.0 48 1"
              if e == "os400" else f"name={n},lpar_id={i},lpar_env={e},state={s}" for i, n, e, s in lpars]
    return "\n".join(lines) + "\n"


def hmc_vscsi(system: str, host: tuple[int, str], guests: list[tuple[int, str]]) -> str:
    lines = [f"$ lshwres -r virtualio --rsubtype scsi --level lpar -m {system}"]
    for k, (gid, gname) in enumerate(guests):
        lines.append(f"lpar_name={host[1]},lpar_id={host[0]},slot_num={10 + k},state=1,is_required=1,"
                     f"adapter_type=server,remote_lpar_id={gid},remote_lpar_name={gname},remote_slot_num=2")
        lines.append(f"lpar_name={gname},lpar_id={gid},slot_num=2,state=1,is_required=1,adapter_type=client,"
                     f"remote_lpar_id={host[0]},remote_lpar_name={host[1]},remote_slot_num={10 + k}")
    return "\n".join(lines) + "\n"


def host_files(write: Callable[[str, str], Path], system: str, host: str, *, name: str, release: tuple[int, int] = (7, 4),
               nwsds: list[str] | None = None, spaces: list[str] | None = None, history: list[str] | None = None,
               lpar_id: int = 1) -> None:
    """Write ibmi/<system>/<host>/*.csv; None leaves that export out."""
    base = f"ibmi/{system}/{host}"
    write(f"{base}/partition.csv", csv(PARTITION_HEADER, [
        f"{name},{host},{lpar_id},{release[0]},{release[1]},SER{system},+0100,2026-11-25-05.30.00.000000"]))
    if nwsds is not None:
        write(f"{base}/nwsds.csv", csv(NWSD_HEADER, nwsds))
    if spaces is not None:
        write(f"{base}/storage_spaces.csv", csv(SPACE_HEADER, spaces))
    if history is not None:
        write(f"{base}/save_history.csv", csv(HISTORY_HEADER, history))


def standard(write: Callable[[str, str], Path], *, prod_spaces: list[str], prod_history: list[str],
             bkp_spaces: list[str], bkp_history: list[str], prod_nwsds: list[str] | None = None,
             bkp_nwsds: list[str] | None = None, guests: list[tuple[int, str]] | None = None,
             bkp_lpars: list[tuple[int, str, str, str]] | None = None, plan_extra: str = "") -> Path:
    """PROD/HOST serving GUEST via NWSD GNWSD, BKP/BHOST with GNWSD for GUEST and LPAR GUEST defined."""
    guests = guests or [(2, "GUEST")]
    write("plan.yaml", PLAN.format(pairs="    - PROD -> BKP", extra=plan_extra))
    write("hmc/h/PROD/lpar.txt", hmc_lpars("PROD", [(1, "HOST", "os400", "Running")]
                                           + [(i, n, "os400", "Running") for i, n in guests]))
    write("hmc/h/PROD/vscsi.txt", hmc_vscsi("PROD", (1, "HOST"), guests))
    write("hmc/h/BKP/lpar.txt", hmc_lpars("BKP", [(1, "BHOST", "os400", "Running")] + (
        bkp_lpars if bkp_lpars is not None else [(5, n, "os400", "Not Activated") for _, n in guests])))
    host_files(write, "PROD", "HOST", name="HOST", nwsds=prod_nwsds or ["GNWSD,*NWSD,CTL01,GUEST,2"],
               spaces=prod_spaces, history=prod_history)
    host_files(write, "BKP", "BHOST", name="BHOST", nwsds=bkp_nwsds or ["GNWSD,*NWSD,CTL01,GUEST,5"],
               spaces=bkp_spaces, history=bkp_history)
    return write("plan.yaml", PLAN.format(pairs="    - PROD -> BKP", extra=plan_extra)).parent


def sav(name: str, local: str, offset: str = "+0100", savact: str = "*SYNC", status: str = "COMPLETED") -> str:
    return f"SAV,{name},,{local},{offset},,,{savact},HOST,{status}"


def rst(name: str, local: str, saved: str, saved_name: str = "", offset: str = "+0100", saved_offset: str = "+0100",
        status: str = "COMPLETED") -> str:
    return f"RST,{name},{saved_name},{local},{offset},{saved},{saved_offset},,HOST,{status}"
