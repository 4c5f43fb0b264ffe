"""The VIOS side in REST XML: VirtualIOServer entries carry it, NetworkBridges repeat the SEAs."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from hatoolkit import load_inventory
from hatoolkit.synth import sample_estate, write_estate

_SEAS = re.compile(r"\n\s*<SharedEthernetAdapters\b.*?</SharedEthernetAdapters>", re.S)


def test_network_bridge_alone_gives_the_seas(tmp_path: Path) -> None:
    """A VIOS entry exported without its SEAs: the NetworkBridge feed places them on the VIOS by UUID."""
    estate = sample_estate()
    write_estate(estate, tmp_path / "full", formats=("rest",))
    write_estate(estate, tmp_path / "bridged", formats=("rest",))
    stripped = 0
    for path in (tmp_path / "bridged").rglob("VirtualIOServer.xml"):
        text, n = _SEAS.subn("", path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        stripped += n
    assert stripped == 6
    full, bridged = load_inventory(tmp_path / "full"), load_inventory(tmp_path / "bridged")
    key = ["system", "vios_lpar_id", "sea"]
    a = full.seas.drop(columns="source").sort_values(key).reset_index(drop=True)
    b = bridged.seas.drop(columns="source").sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert bridged.seas["source"].str.contains("NetworkBridge.xml").all()
    net = bridged.vios_mappings[bridged.vios_mappings["kind"] == "net"]
    assert len(net) == len(full.vios_mappings[full.vios_mappings["kind"] == "net"]) == len(full.seas) == 9
    missing = bridged.gaps[bridged.gaps["code"] == "missing_capture"]["message"]
    assert missing.str.contains("lacks the ViosNetwork group").sum() == 6  # said, though the bridges fill it in


def test_rest_only_bundle_has_no_vios_captures_unless_asked(tmp_path: Path) -> None:
    estate = sample_estate()
    write_estate(estate, tmp_path / "a", formats=("rest",))
    write_estate(estate, tmp_path / "b", formats=("rest",), vios_captures=True)
    assert not (tmp_path / "a" / "vios").exists() and (tmp_path / "b" / "vios").is_dir()
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "a").rglob("VirtualIOServer.xml"))
    for element in ("<AdapterName", "<PhysicalVolumeVirtualTargetDevice", "<ReservePolicy", "<VolumeUniqueID",
                    "<SharedEthernetAdapter ", "<MapPort", "<LogicalVolumeVirtualTargetDevice", "<DeviceName"):
        assert element in text, element
    assert "<ReservePolicy kxe=\"false\" kb=\"CUR\">SinglePath</ReservePolicy>" in text  # REST's own spelling


def test_optical_and_file_backed_targets_in_rest(tmp_path: Path) -> None:
    from hatoolkit.synth.estate import Vtd

    estate = sample_estate()
    vios = next(lp for s in estate.systems for lp in s.lpars if lp.name == "PRD-1-VIOS1")
    slot = min(vios.vios_config.vtds)  # type: ignore[union-attr]
    vios.vios_config.vtds[slot] += [Vtd("vtopt0", "/var/vio/VMLibrary/aix73.iso", 7),  # type: ignore[union-attr]
                                    Vtd("vtfile0", "/var/vio/storagepools/fbpool/disk1", 8)]
    write_estate(estate, tmp_path, formats=("rest",))
    m = load_inventory(tmp_path).vios_mappings.set_index("vtd")
    assert m.loc["vtopt0", ["backing_type", "backing_device", "lun"]].tolist() == \
        ["optical", "/var/vio/VMLibrary/aix73.iso", "0x8700000000000000"]
    assert m.loc["vtfile0", ["backing_type", "backing_device"]].tolist() == ["file", "disk1"]  # REST: no folder
