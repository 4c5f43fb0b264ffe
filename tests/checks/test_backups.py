"""HA301-HA309 on hand-made IBM i bundles: pass_ and fail_ side by side, exactly the fail_ ones flagged."""

from __future__ import annotations

import pytest

from hatoolkit import load_inventory
from hatoolkit.checks import run_checks
from hatoolkit.model.plan import bundle_plan
from tests.ibmi_cases import hmc_lpars, hmc_vscsi, host_files, rst, sav, standard


def _run(root, check_id):
    inv = load_inventory(root)
    findings, coverage = run_checks(inv, bundle_plan(root), select=[check_id])
    assert coverage["error"].isna().all(), coverage["error"].tolist()
    return findings


def _flagged(findings, column="resource", status="fail"):
    return set(findings.loc[findings["status"] == status, column])


def _space(name, drive, changed="2026-11-24-20.00.00.000000", nwsd="GNWSD"):
    return f"{name},1000,{nwsd},{drive},{changed}"


def test_ha301_never_saved(tmp_path, write):
    root = standard(write, prod_spaces=[_space("pass_a", 1), _space("fail_b", 2)],
                    prod_history=[sav("pass_a", "2026-11-24-22.00.00")],
                    bkp_spaces=[_space("pass_a", 1)], bkp_history=[rst("pass_a", "2026-11-25-01.00.00",
                                                                         "2026-11-24-22.00.00")])
    assert _flagged(_run(root, "HA301")) == {"fail_b"}


def test_ha301_failed_save_is_not_a_save(tmp_path, write):
    root = standard(write, prod_spaces=[_space("fail_a", 1)],
                    prod_history=[sav("fail_a", "2026-11-24-22.00.00", status="FAILED")],
                    bkp_spaces=[], bkp_history=[])
    assert _flagged(_run(root, "HA301")) == {"fail_a"}


def test_ha302_never_restored(tmp_path, write):
    root = standard(write, prod_spaces=[_space("pass_a", 1), _space("fail_b", 2)],
                    prod_history=[sav("pass_a", "2026-11-24-22.00.00"), sav("fail_b", "2026-11-24-22.00.00")],
                    bkp_spaces=[_space("pass_a", 1)],
                    bkp_history=[rst("pass_a", "2026-11-25-01.00.00", "2026-11-24-22.00.00")])
    assert _flagged(_run(root, "HA302")) == {"fail_b"}


def test_ha303_rpo_breach_by_one_minute(tmp_path, write):
    # RPO 24h; as_of 2026-11-25 06:00. pass_a's copy is exactly 24h old, fail_b's 24h01m, fail_c's 4x+.
    root = standard(write, prod_spaces=[_space("pass_a", 1), _space("fail_b", 2), _space("fail_c", 3)],
                    prod_history=[sav("pass_a", "2026-11-24-06.00.00"), sav("fail_b", "2026-11-24-05.59.00"),
                                  sav("fail_c", "2026-11-19-06.00.00")],
                    bkp_spaces=[_space("pass_a", 1), _space("fail_b", 2), _space("fail_c", 3)],
                    bkp_history=[rst("pass_a", "2026-11-24-07.00.00", "2026-11-24-06.00.00"),
                                 rst("fail_b", "2026-11-24-07.00.00", "2026-11-24-05.59.00"),
                                 rst("fail_c", "2026-11-19-07.00.00", "2026-11-19-06.00.00")])
    findings = _run(root, "HA303")
    assert _flagged(findings) == {"fail_b", "fail_c"}
    sev = dict(zip(findings["resource"], findings["severity"], strict=True))
    assert sev == {"fail_b": "medium", "fail_c": "critical"}
    b = findings[findings["resource"] == "fail_b"].iloc[0]
    assert "age=1d1m" in b["evidence"] and "rpo=1d" in b["evidence"]
    assert "copy_saved_at=2026-11-24T05:59+01:00" in b["evidence"] and "as_of=2026-11-25T06:00+01:00" in b["evidence"]


def test_ha303_severity_bands_are_parameters(tmp_path, write):
    root = standard(write, prod_spaces=[_space("fail_c", 1)], prod_history=[sav("fail_c", "2026-11-19-06.00.00")],
                    bkp_spaces=[_space("fail_c", 1)],
                    bkp_history=[rst("fail_c", "2026-11-19-07.00.00", "2026-11-19-06.00.00")],
                    plan_extra="checks:\n  HA303: {critical_ratio: 10}\n")
    assert set(_run(root, "HA303")["severity"]) == {"high"}


def test_ha303_no_rpo_is_unknown(tmp_path, write):
    root = standard(write, prod_spaces=[_space("a", 1)], prod_history=[sav("a", "2026-11-24-06.00.00")],
                    bkp_spaces=[_space("a", 1)], bkp_history=[rst("a", "2026-11-24-07.00.00", "2026-11-24-06.00.00")])
    plan = (root / "plan.yaml").read_text().replace("  default: daily\n", "")
    write("plan.yaml", plan)
    findings = _run(root, "HA303")
    assert _flagged(findings, status="unknown") == {"a"} and _flagged(findings) == set()


def test_ha304_changed_since_copy(tmp_path, write):
    root = standard(write, prod_spaces=[_space("pass_a", 1, "2026-11-24-21.00.00.000000"),
                                        _space("fail_b", 2, "2026-11-25-05.00.00.000000")],
                    prod_history=[sav("pass_a", "2026-11-24-22.00.00"), sav("fail_b", "2026-11-24-22.00.00")],
                    bkp_spaces=[_space("pass_a", 1), _space("fail_b", 2)],
                    bkp_history=[rst("pass_a", "2026-11-25-01.00.00", "2026-11-24-22.00.00"),
                                 rst("fail_b", "2026-11-25-01.00.00", "2026-11-24-22.00.00")])
    findings = _run(root, "HA304")
    assert _flagged(findings) == {"fail_b"}
    assert "7h" in findings.iloc[0]["message"]


def test_ha305_copy_restored_before_latest_save(tmp_path, write):
    # fail_b: the restore ran at 03:00 on the 24th from the 23rd's save; the 24th's 22:00 save never reached BKP.
    root = standard(write, prod_spaces=[_space("pass_a", 1), _space("fail_b", 2)],
                    prod_history=[sav("pass_a", "2026-11-24-22.00.00"), sav("fail_b", "2026-11-23-22.00.00"),
                                  sav("fail_b", "2026-11-24-22.00.00")],
                    bkp_spaces=[_space("pass_a", 1), _space("fail_b", 2)],
                    bkp_history=[rst("pass_a", "2026-11-25-01.00.00", "2026-11-24-22.00.00"),
                                 rst("fail_b", "2026-11-24-03.00.00", "2026-11-23-22.00.00")])
    findings = _run(root, "HA305")
    assert _flagged(findings) == {"fail_b"}
    assert "unrestored_saves=1" in findings.iloc[0]["evidence"] and "lag=1d" in findings.iloc[0]["evidence"]


def test_ha306_missing_unlinked_moved_and_renamed(tmp_path, write):
    names = ["pass_a", "fail_b", "fail_c", "fail_d", "pass_e"]
    root = standard(write, prod_spaces=[_space(n, i + 1) for i, n in enumerate(names)],
                    prod_history=[sav(n, "2026-11-24-22.00.00") for n in names],
                    bkp_spaces=[_space("pass_a", 1), "fail_c,1000,*NONE,,", _space("fail_d", 7),
                                _space("PASSE_DR", 5)],
                    bkp_history=[rst("PASSE_DR", "2026-11-25-01.00.00", "2026-11-24-22.00.00", saved_name="pass_e")])
    findings = _run(root, "HA306")
    assert _flagged(findings) == {"fail_b", "fail_c", "fail_d"}
    by = dict(zip(findings["resource"], findings["message"], strict=True))
    assert "does not exist" in by["fail_b"] and "not linked" in by["fail_c"] and "drive 7" in by["fail_d"]


def test_ha307_guest_lpar_or_nwsd_missing_on_backup(tmp_path, write):
    guests = [(2, "pass_g"), (3, "fail_lpar"), (4, "fail_nwsd")]
    root = standard(write, guests=guests,
                    prod_nwsds=["pass_n,*NWSD,CTL01,pass_g,2", "fail_n1,*NWSD,CTL02,fail_lpar,3",
                                "fail_n2,*NWSD,CTL03,fail_nwsd,4"],
                    prod_spaces=[_space("s1", 1, nwsd="pass_n"), _space("s2", 1, nwsd="fail_n1"),
                                 _space("s3", 1, nwsd="fail_n2")],
                    prod_history=[], bkp_spaces=[], bkp_history=[],
                    bkp_nwsds=["pass_n,*NWSD,CTL01,pass_g,5", "fail_n1,*NWSD,CTL02,fail_lpar,6"],
                    bkp_lpars=[(5, "pass_g", "os400", "Not Activated"), (7, "fail_nwsd", "os400", "Not Activated")])
    findings = _run(root, "HA307")
    assert _flagged(findings, "partition") == {"fail_lpar", "fail_nwsd"}
    assert _flagged(findings) == {"fail_n1", "fail_n2"}


def test_ha308_release_below_6_1(tmp_path, write):
    write("plan.yaml", "timezone: Europe/Warsaw\nfailover:\n  pairs: [P1 -> BKP, P2 -> BKP]\n")
    for system, host, release in (("P1", "pass_host", (7, 4)), ("P2", "fail_host", (5, 4))):
        write(f"hmc/h/{system}/lpar.txt", hmc_lpars(system, [(1, host, "os400", "Running"), (2, "G", "os400", "Running")]))
        write(f"hmc/h/{system}/vscsi.txt", hmc_vscsi(system, (1, host), [(2, "G")]))
        host_files(write, system, host, name=host.upper()[:8], release=release, nwsds=[], spaces=[_space("s", 1)],
                   history=[])
    findings = _run(tmp_path, "HA308")
    assert _flagged(findings, "partition") == {"fail_host"}
    assert "release=5.4" in findings.iloc[0]["evidence"]


def test_ha309_high_change_workload(tmp_path, write):
    root = standard(write, prod_spaces=[_space("pass_a", 1), _space("fail_b", 2)],
                    prod_history=[sav("pass_a", "2026-11-24-22.00.00"), sav("fail_b", "2026-11-24-22.00.00")],
                    bkp_spaces=[], bkp_history=[],
                    plan_extra='storage:\n  assign:\n    "PROD/fail_*": hot\n')
    findings = _run(root, "HA309")
    assert _flagged(findings) == {"fail_b"}
    assert "change=high" in findings.iloc[0]["evidence"]


@pytest.mark.parametrize("check_id", [f"HA30{i}" for i in range(1, 10)])
def test_missing_exports_are_unknown_not_pass(tmp_path, write, check_id):
    """A production IBM i host the HMC shows hosting guests, with no IBM i export at all."""
    write("plan.yaml", "failover:\n  pairs: [PROD -> BKP]\n")
    write("hmc/h/PROD/lpar.txt", hmc_lpars("PROD", [(1, "HOST", "os400", "Running"), (2, "G", "os400", "Running")]))
    write("hmc/h/PROD/vscsi.txt", hmc_vscsi("PROD", (1, "HOST"), [(2, "G")]))
    findings = _run(tmp_path, check_id)
    if check_id == "HA308":  # the release is on the HMC: judged, and 7.4 passes
        assert findings.empty
        return
    assert (findings["status"] == "unknown").all() and len(findings) >= 1
    assert set(findings["partition"]) == {"HOST"}


@pytest.mark.parametrize("check_id", ["HA302", "HA303", "HA306"])
def test_missing_backup_exports_are_unknown(tmp_path, write, check_id):
    root = standard(write, prod_spaces=[_space("a", 1)], prod_history=[sav("a", "2026-11-24-22.00.00")],
                    bkp_spaces=None, bkp_history=None)
    findings = _run(root, check_id)
    assert set(findings["status"]) == {"unknown"} and set(findings["resource"]) == {"a"}
