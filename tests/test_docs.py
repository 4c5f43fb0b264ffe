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


def test_formats_md_documents_every_ibmi_export_column():
    from hatoolkit.ingest import bundle  # noqa: F401 - registers every IBM i export kind
    from hatoolkit.ingest.ibmi_csv import KINDS

    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"`{kind.name}.csv`" in text, f"{kind.name}.csv has no section in docs/formats.md"
        for column in kind.columns:
            assert column in text, f"{kind.name}.{column} missing from docs/formats.md"
