"""The sample's utilisation history (issue 10): 34 days of hourly `lslparutil` samples, as lived.

PRD-1 and PRD-2 run business hours (Europe/Warsaw); the ERP database is peaky: a month-end close
on the last two working days (18:00-23:00) at 8.5 processors, above its 6.0 entitlement (it is
uncapped), ordinary days around 3.4; LNX-BATCH's dedicated cores mostly idle outside its nightly
batch. MQ's samples were not captured (the analyst's `--filter lpar_names` list left it out): it
falls back to entitlement. HR-PAY was activated on 13 Nov: 12 days of samples. DR-1's dev/test
partitions are nearly idle (TEST-ERP runs its tests on Tuesdays); DEV-ERP was restarted on 3 Nov
(counters start again: one interval is lost) and the DR HMC was down for 26 hours on 10-11 Nov
(a hole in every DR-1 series). IBMI-7's HMC never collected utilisation (sample_rate=0).
The capture ran late on 24 Nov, so the last sample is 23:00 local, 7 hours before as_of.
"""

from __future__ import annotations

from hatoolkit.synth.estate import Estate
from hatoolkit.synth.usage import Load, UsageCapture

START, END = "2026-10-22 00:00:00", "2026-11-24 23:00:00"  # local; spans the 25 Oct clock change

VIOS = Load(night=0.3, day=0.6, weekend=0.3, noise=0.15)

PRD1 = {
    "ERP-DB": Load(night=1.2, day=3.4, weekend=0.8, batch=(1, 4, 2.2), month_end=8.5),
    "ERP-APP1": Load(night=0.25, day=0.85, weekend=0.2, month_end=1.8),
    "ERP-APP2": Load(night=0.25, day=0.8, weekend=0.2, month_end=1.8),
    "WEB1": Load(night=0.12, day=0.45, weekend=0.25),
    "WEB2": Load(night=0.12, day=0.42, weekend=0.25),
    "NIM": Load(night=0.04, day=0.06, batch=(2, 3, 0.3)),
    "LNX-BATCH": Load(night=0.2, day=0.3, batch=(22, 1, 1.3)),
}
PRD2 = {
    "CRM-DB": Load(night=0.7, day=2.1, weekend=0.5),
    "CRM-APP": Load(night=0.2, day=0.65, weekend=0.15),
    "DB2-BATCH": Load(night=0.3, day=0.3, batch=(0, 5, 1.7)),
    "HR-APP": Load(night=0.08, day=0.35),
    "MONITOR": Load(night=0.22, day=0.25, noise=0.04),
    "HR-PAY": Load(night=0.1, day=0.5, since="2026-11-13 09:00:00"),
}
DR1 = {
    "DEV-ERP": Load(night=0.08, day=0.35, weekend=0.05, restart="2026-11-03 12:00:00"),
    "TEST-ERP": Load(night=0.05, day=0.12, weekly=(1, 10, 16, 1.1)),
    "DEV-WEB": Load(night=0.04, day=0.09),
    "NIM": Load(night=0.04, day=0.05, batch=(2, 3, 0.3)),
    "IBMIHOST-DR": Load(night=0.25, day=0.3, batch=(3, 5, 0.6)),
}


def attach_sample_usage(estate: Estate) -> None:
    """Give the sample's systems the utilisation history the docstring describes."""
    for name, loads in (("PRD-1", PRD1), ("PRD-2", PRD2), ("DR-1", DR1)):
        system = estate.system(name)
        vios = {lp.name: VIOS for lp in system.lpars if lp.env == "vioserver"}
        holes = (("2026-11-10 14:00:00", "2026-11-11 16:00:00"),) if name == "DR-1" else ()
        system.usage = UsageCapture(START, END, {**vios, **loads}, holes=holes)
    estate.system("IBMI-7").usage = UsageCapture(START, END, {}, sample_rate_s=0)
