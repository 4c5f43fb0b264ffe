"""Two synthetic bundles of the sample estate, a night apart, with known configuration changes.

`write_pair(folder)` writes `old/` (the sample as it is) and `new/`, where between the audits:
- ERP-DB on PRD-1 was shrunk from 256 GB to 192 GB of memory (a partition resized);
- PRD-1-VIOS1's second web SEA (ent11) was switched from ha_mode=disabled to auto (SEA mode changed);
- LNXGST1DATA was saved on 8 Nov and that copy restored on IBMIHOST-DR (storage-space copy refreshed);
- MQ was deleted from PRD-1, with the VIOS server adapters that served it (a partition removed).
Both bundles carry the sample's plan.yaml (as_of 2026-11-25 06:00 Europe/Warsaw).
"""

from __future__ import annotations

from pathlib import Path

from hatoolkit.synth import SAMPLE_CAPTURE, write_estate
from hatoolkit.synth.estate import Estate, SaveOp
from hatoolkit.synth.sample import SAMPLE_VIOS_CAPTURE, sample_estate


def changed_estate() -> Estate:
    estate = sample_estate()
    prd1 = estate.system("PRD-1")
    prd1.lpar("ERP-DB").mem_mb = 192 * 1024
    vios1 = prd1.lpar("PRD-1-VIOS1")
    sea = next(s for s in vios1.vios_config.seas if s.ha_mode == "disabled")
    sea.ha_mode = "auto"
    host = estate.system("IBMI-7").lpar("IBMIHOST").ibmi
    host.history.append(SaveOp("SAV", "LNXGST1DATA", "2026-11-08 02:00:00", 120, savact="*NO", volume="D08"))
    dr_host = estate.system("DR-1").lpar("IBMIHOST-DR").ibmi
    dr_host.history.append(SaveOp("RST", "LNXGST1DATA", "2026-11-08 09:00:00", 120, saved="2026-11-08 02:00:00",
                                  volume="D08", source_system="IBMIHOST"))
    mq = prd1.lpar("MQ")
    prd1.lpars.remove(mq)
    for vios in (vios1, prd1.lpar("PRD-1-VIOS2")):
        slots = {a.slot for a in vios.vscsi if a.remote_id == mq.id}
        vios.vscsi = [a for a in vios.vscsi if a.remote_id != mq.id]
        vios.vfc = [a for a in vios.vfc if a.remote_id != mq.id]
        for slot in slots:
            vios.vios_config.vtds.pop(slot, None)
    return estate


def write_pair(folder: Path) -> tuple[Path, Path]:
    old, new = folder / "old", folder / "new"
    write_estate(sample_estate(), old, SAMPLE_CAPTURE, vios_styles=SAMPLE_VIOS_CAPTURE)
    write_estate(changed_estate(), new, SAMPLE_CAPTURE, vios_styles=SAMPLE_VIOS_CAPTURE)
    return old, new
