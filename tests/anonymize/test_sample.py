"""The anonymised sample: same findings modulo names, no original identifier left, stable maps."""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from hatoolkit.anonymize import anonymize_bundle, load_map
from hatoolkit.anonymize.formats import WORKBOOK_SUFFIXES
from hatoolkit.anonymize.rewrite import IP_RE, VERSION_CONTEXT, special_ip
from tests.anonymize.equivalence import audit, differences, mapped_back

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="module")
def anonymised(tmp_path_factory):
    base = tmp_path_factory.mktemp("anon")
    result = anonymize_bundle(SAMPLE, base / "out", base / "map.yaml")
    return result, base / "out", base / "map.yaml"


@pytest.fixture(scope="module")
def audits(anonymised):
    _, out, map_file = anonymised
    return audit(SAMPLE), audit(out), map_file


def test_sample_findings_equal_modulo_names(audits):
    (inv1, f1), (_inv2, f2), map_file = audits
    assert len(f1) > 50  # the sample has findings in every family: the comparison is not vacuous
    diff = differences(f1, mapped_back(f2, map_file))
    assert diff.empty, diff.head(10).to_string()
    # Same check ids, statuses, severities and counts before mapping anything back.
    key = ["check_id", "status", "severity"]
    assert f1.groupby(key).size().to_dict() == f2.groupby(key).size().to_dict()
    # The anonymised findings do not name the real estate.
    real = set(inv1.systems["system"]) | set(inv1.partitions["name"])
    assert not real & (set(f2["system"].dropna()) | set(f2["partition"].dropna()))
    assert set(f2["system"].dropna()) <= {p for p in set(f2["system"].dropna()) if re.fullmatch(r"SYS-\d{3}", p)}


def test_sample_inventory_same_shape(audits):
    (inv1, _), (inv2, _), _ = audits
    for name in inv1.frame_names():
        a, b = getattr(inv1, name), getattr(inv2, name)
        assert a.shape == b.shape, name
    assert len(inv1.gaps) == len(inv2.gaps)
    assert inv1.files["status"].value_counts().to_dict() == inv2.files["status"].value_counts().to_dict()
    # Kind recognisable from data, not from names: VIOS and IBM i partitions stay what they are.
    assert sorted(inv1.partitions["lpar_env"]) == sorted(inv2.partitions["lpar_env"])


def _output_texts(out: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            wb = openpyxl.load_workbook(path)
            cells = [ws.title for ws in wb.worksheets]
            cells += [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
            texts[rel] = "\n".join(cells)
        else:
            texts[rel] = path.read_text(encoding="utf-8", errors="replace")
        texts[rel + "#path"] = rel
    return texts


def _original_ips(root: Path) -> set[str]:
    ips = set()
    for path in root.rglob("*"):
        if path.is_file() and path.suffix.lower() not in WORKBOOK_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in re.finditer(IP_RE, text):
                if not special_ip(m.group(0)) and not VERSION_CONTEXT.search(text[max(0, m.start() - 24):m.start()]):
                    ips.add(m.group(0))
    return ips


def test_no_original_identifier_survives(anonymised):
    result, out, map_file = anonymised
    assert result.residue == []
    data = yaml.safe_load(map_file.read_text(encoding="utf-8"))
    names = [n for kind in ("system", "partition", "hmc", "host", "user", "domain", "pool", "nwsd", "nwsstg", "iasp")
             for n in data.get(kind, {})]
    values = list(data.get("serial", {})) + list(data.get("mac", {})) + list(data.get("wwpn", {}))
    ips = _original_ips(SAMPLE)
    assert {"PRD-1", "ERP-DB", "NIM", "hmc-prod", "IBMIGST1B"} <= set(names)
    assert len(ips) > 20 and len(values) > 30
    assert "78A1234" in data["serial"]
    texts = _output_texts(out)
    blob = "\n".join(texts.values())
    upper = blob.upper()
    leaks = []
    for name in names:
        if re.search(rf"(?<![A-Za-z0-9_\-]){re.escape(name.upper())}(?![A-Za-z0-9_\-])", upper):
            leaks.append(name)
    for value in values:  # hex and serials: anywhere, even inside UDIDs and location codes
        hexes = [value.upper()] + ([":".join(value[i:i + 2] for i in range(0, len(value), 2)).upper()]
                                   if re.fullmatch(r"[0-9A-Fa-f]{12,16}", value) else [])
        leaks += [h for h in hexes if h in upper]
    leaks += [ip for ip in ips if re.search(rf"(?<![\d.]){re.escape(ip)}(?![\d]|\.\d)", blob)]
    assert leaks == []


def test_map_reuse_is_stable_across_runs_and_bundles(anonymised, tmp_path):
    _result, out, map_file = anonymised
    map_copy = tmp_path / "map.yaml"
    map_copy.write_text(map_file.read_text(encoding="utf-8"), encoding="utf-8")
    before = load_map(map_copy)
    again = anonymize_bundle(SAMPLE, tmp_path / "again", map_copy)
    assert again.added == 0
    cmp = filecmp.dircmp(out, tmp_path / "again")
    assert not cmp.left_only and not cmp.right_only and not cmp.diff_files
    assert map_copy.read_text(encoding="utf-8") == map_file.read_text(encoding="utf-8")
    # A different bundle (one HMC's captures, plus a new partition) with the same map: shared names keep
    # their pseudonyms, the new one gets the next number, nothing is reshuffled.
    other = tmp_path / "other"
    (other / "hmc" / "hmc-dr").mkdir(parents=True)
    log = (SAMPLE / "hmc" / "hmc-prod" / "PRD-1_session.log").read_text(encoding="utf-8")
    log = log.replace("name=MQ,", "name=NEWAPP,", 1)
    (other / "hmc" / "hmc-dr" / "PRD-1.log").write_text(log, encoding="utf-8")
    third = anonymize_bundle(other, tmp_path / "other_out", map_copy)
    after = load_map(map_copy)
    for kind, table in before.names.items():
        for original, pseudonym in table.items():
            assert after.names[kind][original] == pseudonym
    assert before.serial.items() <= after.serial.items() and before.mac.items() <= after.mac.items()
    assert before.ip_prefix.items() <= after.ip_prefix.items()
    assert after.names["partition"]["NEWAPP"] == f"LPAR-{len(before.names['partition']) + 1:04d}"
    text = (tmp_path / "other_out" / "hmc" / "hmc-01" / f"{before.names['system']['PRD-1']}.log").read_text()
    assert f"name={before.names['partition']['ERP-DB']}," in text
    assert third.added >= 1


def test_plan_globs_select_the_same_partitions(audits, anonymised):
    from hatoolkit.model.plan import bundle_plan

    _, out, _ = anonymised
    (inv1, _), (inv2, _), map_file = audits
    plan1, plan2 = bundle_plan(SAMPLE), bundle_plan(out)
    pmap = load_map(map_file)

    def chosen(inv, plan):
        return sorted((s, p) for s, p in zip(inv.partitions["system"], inv.partitions["name"], strict=True)
                      if plan.is_preemptible(s, p))

    mapped = sorted((pmap.lookup(s), pmap.lookup(p)) for s, p in chosen(inv1, plan1))
    assert mapped and mapped == chosen(inv2, plan2)
    def classes(inv, plan, lookup=lambda n: n):
        return {(lookup(s), lookup(p)): getattr(plan.workload_class(s, p), "name", None)
                for s, p in zip(inv.partitions["system"], inv.partitions["name"], strict=True)}

    assert classes(inv1, plan1, pmap.lookup) == classes(inv2, plan2)
    assert set(classes(inv2, plan2).values()) == {"transactional", "business", "infra"}


def test_sample_as_rest_xml(tmp_path):
    from hatoolkit.synth import write_sample

    write_sample(tmp_path / "rest", formats=("rest",))
    result = anonymize_bundle(tmp_path / "rest", tmp_path / "out", tmp_path / "map.yaml")
    assert result.residue == [] and not any(p.endswith(".xml") and "MQ" in p for _, p in result.files)
    (inv1, f1), (inv2, f2) = audit(tmp_path / "rest"), audit(tmp_path / "out")
    assert inv1.vios_mappings.shape == inv2.vios_mappings.shape and len(inv1.partitions) == len(inv2.partitions)
    diff = differences(f1, mapped_back(f2, tmp_path / "map.yaml"))
    assert len(f1) > 50 and diff.empty, diff.head().to_string()


def test_synthetic_fleet_cli_and_rest(tmp_path):
    from hatoolkit.synth import write_fleet

    write_fleet(tmp_path / "fleet", systems=2, seed=3, lpars_per_system=6, formats=("cli", "rest"))
    result = anonymize_bundle(tmp_path / "fleet", tmp_path / "out", tmp_path / "map.yaml")
    assert result.residue == []
    (inv1, f1), (inv2, f2) = audit(tmp_path / "fleet"), audit(tmp_path / "out")
    for name in inv1.frame_names():
        assert getattr(inv1, name).shape == getattr(inv2, name).shape, name
    diff = differences(f1, mapped_back(f2, tmp_path / "map.yaml"))
    assert len(f1) > 5 and diff.empty, diff.head().to_string()
