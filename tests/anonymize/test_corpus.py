"""Real captures (../shared/corpus): anonymised copies read the same and give the same findings."""

from __future__ import annotations

import pytest

from hatoolkit.anonymize import anonymize_bundle
from tests.anonymize.equivalence import audit, differences, mapped_back

FOLDERS = ("mnellemann-hmci", "pypowervm-1.1.27", "randomparity-hmc-mcp", "ziutus-hmc_vios_aix",
           "AnthonyWong1216-hmcscannerdraw")


@pytest.mark.parametrize("folder", FOLDERS)
def test_corpus_anonymised_same_shape_and_findings(corpus, folder, tmp_path):
    source = corpus / folder
    result = anonymize_bundle(source, tmp_path / "out", tmp_path / "map.yaml")
    assert result.residue == []
    assert not [s for s in result.skipped if "binary" in s[1]]  # the .xls workbook is converted, not dropped
    (inv1, f1), (inv2, f2) = audit(source), audit(tmp_path / "out")
    for name in inv1.frame_names():
        assert getattr(inv1, name).shape == getattr(inv2, name).shape, name
    assert len(inv1.gaps) == len(inv2.gaps)
    assert sorted(inv1.files["status"]) == sorted(inv2.files["status"])
    diff = differences(f1, mapped_back(f2, tmp_path / "map.yaml"))
    assert diff.empty, diff.head(10).to_string()
    real = set(inv1.systems["system"]) | set(inv1.partitions["name"])
    assert not real & (set(inv2.systems["system"]) | set(inv2.partitions["name"]))
