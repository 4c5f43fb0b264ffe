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


# --------------------------------------------------------------------------- audit reports (issue 3)

HOSTILE_NAME = "<script>alert(1)</script>"


def make_hostile_bundle(folder: Path) -> Path:
    """The sample with a partition named like an XSS payload and a few broken inputs (more findings)."""
    import re
    import shutil

    shutil.copytree(SAMPLE, folder)
    log = folder / "hmc" / "hmc-prod" / "PRD-1_session.log"
    text = re.sub(r"(?<=name=)WEB1(?=,|$)", HOSTILE_NAME, log.read_text(encoding="utf-8"), flags=re.M)
    log.write_text(text, encoding="utf-8")
    (folder / "hmc" / "hmc-dr" / "DR-1" / "lshwres_r_mem_level_lpar_F.txt").unlink()
    (folder / "hmc" / "hmc-prod" / "IBMI-7_procpool.txt").write_text(
        "HSCL8012 The managed system is not in a valid state for this operation.\n", encoding="utf-8")
    (folder / "notes.txt").write_text("call Anna about the DR test window\n", encoding="utf-8")
    return folder


def chromium_or_skip() -> str:
    """The system Chromium, or skip: only where it truly cannot be had (`make setup` installs it)."""
    from hatoolkit.report.static import find_chromium

    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium on this machine: `make setup` installs Debian's chromium package (root/sudo)")
    return path


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory):
    """`hatoolkit audit data/sample` once per session: (AuditResult, captured stderr text)."""
    import io

    from hatoolkit.runner import audit

    err = io.StringIO()
    out = tmp_path_factory.mktemp("reports") / "sample"
    result = audit(SAMPLE, out, stream=err, live=False)
    return result, err.getvalue()


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory):
    """An audit of the hostile bundle (XSS-named partition, missing and erroneous captures)."""
    import io

    from hatoolkit.runner import audit

    bundle = make_hostile_bundle(tmp_path_factory.mktemp("bundles") / "hostile")
    out = tmp_path_factory.mktemp("reports") / "hostile"
    return audit(bundle, out, stream=io.StringIO(), live=False)
