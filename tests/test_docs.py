"""Documentation stays true: every attribute the HMC CLI ingest reads is documented."""

from __future__ import annotations

from pathlib import Path

from hatoolkit.ingest.hmc_specs import CAPTURE_COMMANDS, SPECS

ROOT = Path(__file__).resolve().parents[1]


def test_formats_md_documents_every_hmc_attribute_and_command():
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for kind, spec in SPECS.items():
        command = CAPTURE_COMMANDS[kind].replace(" -m SYS", "")
        assert f"`{command}`" in text, f"{command} missing from docs/formats.md"
        for attr in spec:
            assert attr in text, f"{kind}.{attr} missing from docs/formats.md"
