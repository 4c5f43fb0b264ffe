"""LPM prerequisite on the operating system: the release must support mobility.

Minimums (reference §C): AIX 5.3 TL7, RHEL 5.1, SLES 10 SP1, IBM i 7.1 TR4 with POWER7 or later
on both sides (POWER7 firmware 730_087 / 740_088 or later). A level that cannot be read from
`os_version` (not running, another distribution, a localised "Unknown") is unknown, not a pass.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from hatoolkit.analysis import hardware as hw
from hatoolkit.analysis.mobility_data import MobilityData, blocker_rows, empty_blockers, sys_value


def _concat(*parts: pd.DataFrame) -> pd.DataFrame:
    frames = [p for p in parts if p is not None and not p.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty_blockers()


_AIX_RE = re.compile(r"AIX\s+(\d+)\.(\d+)(?:\s+(\d)(\d)00-(\d+))?")
_IBMI_RE = re.compile(r"(?:IBM i|OS/?400|i5/OS)\D*?(?:V?(\d+)R(\d+)|(\d+)\.(\d+))")
_LINUX_RE = re.compile(r"Linux/(?P<distro>[A-Za-z][A-Za-z ]*?)\s+\d.*?(?P<ver>\d+(?:\.\d+)?)\s*$")
_LINUX_MIN = {"red hat": (5, 1), "redhat": (5, 1), "suse": (10, 1), "sles": (10, 1)}


def _os_check(env: object, text: object) -> tuple[str, str] | None:
    """(status, message) when the OS level blocks LPM or cannot be judged; None when it is fine."""
    if not isinstance(text, str) or not text.strip():
        return "unknown", "OS level not captured (os_version unknown; partition not running?)"
    if env == "os400" or text.startswith(("IBM i", "OS/400", "i5/OS")):
        m = _IBMI_RE.search(text)
        if not m:
            return "unknown", f"cannot read the IBM i release from '{text}'"
        ver = (int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4)))
        if ver < (7, 1):
            return "fail", f"IBM i {ver[0]}.{ver[1]} is below 7.1 TR4, the minimum for LPM"
        if ver == (7, 1) and not re.search(r"TR\s*([4-9]|1\d)", text):
            return "unknown", "IBM i 7.1: LPM needs Technology Refresh 4 or later; the TR level is not in the export"
        return None
    m = _AIX_RE.search(text)
    if m:
        ver = (int(m.group(1)), int(m.group(2)))
        tl = int(m.group(5)) if m.group(5) else None
        if ver < (5, 3) or (ver == (5, 3) and tl is not None and tl < 7):
            return "fail", f"AIX {ver[0]}.{ver[1]}" + (f" TL{tl}" if tl is not None else "") + " is below AIX 5.3 TL7"
        if ver == (5, 3) and tl is None:
            return "unknown", "AIX 5.3: LPM needs TL7 or later; the TL is not in the export"
        return None
    m = _LINUX_RE.search(text)
    if m:
        distro = m.group("distro").strip().lower()
        minimum = next((v for k, v in _LINUX_MIN.items() if k in distro), None)
        if minimum is None:
            return "unknown", f"no LPM minimum known to hatoolkit for {m.group('distro').strip()}"
        parts = tuple(int(x) for x in m.group("ver").split("."))
        ver = (parts[0], parts[1] if len(parts) > 1 else 0)
        return ("fail", f"{m.group('distro').strip()} {m.group('ver')} is below the LPM minimum "
                f"{minimum[0]}.{minimum[1]}") if ver < minimum else None
    return "unknown", f"cannot read the OS level from '{text}'"


def os_level(d: MobilityData) -> pd.DataFrame:
    """OS below the LPM minimum (AIX 5.3 TL7, RHEL 5.1, SLES 10 SP1, IBM i 7.1 TR4 on POWER7 firmware 7x0_08x+)."""
    m = d.movers[d.movers["mode"].notna()]
    seen: dict[tuple[object, object], tuple[str, str] | None] = {}  # a fleet repeats a few OS levels many times
    results = [seen[k] if k in seen else seen.setdefault(k, _os_check(*k))
               for k in zip(m["lpar_env"].tolist(), m["os_version"].tolist(), strict=True)]
    status = pd.Series([r[0] if r else None for r in results], index=m.index, dtype="str")
    message = pd.Series([r[1] if r else None for r in results], index=m.index, dtype="str")
    bad, unk = m[status == "fail"], m[status == "unknown"]
    ev = 'os_version="' + m["os_version"].astype("str") + '"'
    parts = [
        blocker_rows(bad, evidence=ev[bad.index], message=message[bad.index],
                     fix=bad["system"] + "/" + bad["partition"] + ": upgrade the operating system"),
        blocker_rows(unk, status="unknown", evidence=ev[unk.index], message=message[unk.index]),
    ]
    ibmi = (d.movers["lpar_env"] == "os400").to_numpy(bool)  # per partition, then spread over its cells
    c = d.movable
    at = np.flatnonzero(ibmi[c["mover_i"].to_numpy()]) if len(ibmi) else np.zeros(0, dtype=np.int64)
    gens = pd.Series([hw.generation(t) for t in d.systems["type_model"]], dtype="float64") \
        if "type_model" in d.systems else pd.Series([np.nan] * len(d.systems), dtype="float64")
    by_code = np.append(gens.to_numpy(dtype=float), np.nan)  # position -1 (not in the inventory): unknown
    for side, column in (("source", "system"), ("destination", "destination")):
        # Generations are looked up on the IBM i cells' system positions; only the blocked cells are taken.
        values = by_code[c["src_i" if column == "system" else "dst_i"].to_numpy()[at]]
        before_p7 = ~np.isnan(values) & (values < 70)
        old, p7 = c.iloc[at[before_p7]], c.iloc[at[np.isin(values, [70, 75])]]
        gen = pd.Series(values[before_p7], index=old.index, dtype="float64")
        parts.append(blocker_rows(old, destination=old["destination"], resource=old[column],
                                  message="IBM i LPM needs POWER7 or later; " + old[column] + f" ({side}) is "
                                  + gen[old.index].map(hw.generation_name).astype("str"), evidence="type_model="
                                  + sys_value(d, old[column], "type_model").astype("str"),
                                  fix=None))
        parts.append(blocker_rows(p7, status="unknown", destination=p7["destination"], resource=p7[column],
                                  message="IBM i LPM on POWER7 needs firmware 730_087 / 740_088 or later; the firmware "
                                  f"level of {side} " + p7[column] + " is not captured (lslic)",
                                  evidence="firmware=unknown"))
    return _concat(*parts)
