"""Shared fixtures: the real-capture corpus (../shared/corpus), the sample bundle, small builders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real captures; tests that need it skip (with the reason) when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"real-capture corpus not found at {CORPUS} (CI has ../shared beside the clone)")
    return CORPUS


@pytest.fixture(scope="session")
def sample_inventory():
    from hatoolkit import load_inventory

    return load_inventory(SAMPLE)


@pytest.fixture
def write(tmp_path: Path):
    """write('hmc/h1/SYS_proc.txt', text) -> path; creates folders, writes bytes or text as given."""

    def _write(rel: str, content: str | bytes) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
