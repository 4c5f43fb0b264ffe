"""Bad input gives a data gap (with file and line) or one clean error — never a traceback, never a pass."""

from __future__ import annotations

import pandas as pd
import pytest

from hatoolkit import load_inventory
from hatoolkit.checks import run_checks
from hatoolkit.errors import IngestError

SYS = "lssyscfg -r sys\nname=S1,type_model=9009-42A,serial_num=7800001,state=Operating\n"
LPAR = "$ lssyscfg -r lpar -m S1\nname=a,lpar_id=1,lpar_env=aixlinux,state=Running\nname=b,lpar_id=2,lpar_env=aixlinux,state=Running\n"


def gaps(inv, code: str) -> pd.DataFrame:
    return inv.gaps[inv.gaps["code"] == code]


def test_missing_bundle_is_one_clean_error(tmp_path):
    with pytest.raises(IngestError, match="no such bundle"):
        load_inventory(tmp_path / "nope")


def test_empty_file(write, tmp_path):
    write("hmc/h1/S1/lssyscfg_r_lpar.txt", "")
    inv = load_inventory(tmp_path)
    assert gaps(inv, "empty_file")["file"].tolist() == ["hmc/h1/S1/lssyscfg_r_lpar.txt"]
    findings, _ = run_checks(inv)
    assert "HA001" in set(findings["check_id"])


def test_binary_garbage(write, tmp_path):
    write("hmc/h1/S1/blob.txt", bytes(range(256)) * 40)
    write("hmc/h1/S1/lssyscfg_r_lpar.txt", LPAR)
    inv = load_inventory(tmp_path)
    assert gaps(inv, "unreadable_file")["file"].tolist() == ["hmc/h1/S1/blob.txt"]
    assert len(inv.partitions) == 2  # the good file is still used


def test_truncated_last_line(write, tmp_path):
    write("hmc/h1/S1/lshwres_r_mem_level_lpar.txt",
          "$ lshwres -r mem --level lpar -m S1\n"
          "lpar_name=a,lpar_id=1,curr_min_mem=1024,curr_mem=4096,curr_max_mem=8192\n"
          "lpar_name=b,lpar_id=2,curr_min_mem=1024,curr_me")
    inv = load_inventory(tmp_path)
    parts = inv.partitions.set_index("name")
    assert parts.loc["a", "curr_mem_mb"] == 4096
    assert pd.isna(parts.loc["b", "curr_mem_mb"])  # unknown, not zero
    truncated = gaps(inv, "truncated")
    assert truncated["line"].tolist() == [3] and truncated["file"].str.endswith("lshwres_r_mem_level_lpar.txt").all()


def test_garbled_value_is_a_gap_not_a_coercion(write, tmp_path):
    write("hmc/h1/S1/lshwres_r_proc_level_lpar.txt",
          "$ lshwres -r proc --level lpar -m S1\n"
          "lpar_name=a,lpar_id=1,curr_proc_mode=shared,curr_proc_units=0.5,curr_procs=1\n"
          "lpar_name=b,lpar_id=2,curr_proc_mode=shared,curr_proc_units=zero.5,curr_procs=one\n")
    inv = load_inventory(tmp_path)
    parts = inv.partitions.set_index("name")
    assert pd.isna(parts.loc["b", "curr_proc_units"]) and pd.isna(parts.loc["b", "curr_procs"])
    bad = gaps(inv, "bad_value")
    assert set(bad["line"]) == {3} and len(bad) == 2


def test_boolean_strings_are_parsed_not_coerced(write, tmp_path):
    write("hmc/h1/lssyscfg_r_sys.txt",
          "$ lssyscfg -r sys\nname=S1,state=Operating,active_lpar_mobility_capable=0,"
          "inactive_lpar_mobility_capable=false,lhea_capable=maybe\n")
    inv = load_inventory(tmp_path)
    system = inv.systems.iloc[0]
    assert system["active_lpar_mobility_capable"] == False  # noqa: E712 - "0" must not become True
    assert system["inactive_lpar_mobility_capable"] == False  # noqa: E712
    assert pd.isna(system["lhea_capable"]) and len(gaps(inv, "bad_value")) == 1


def test_unknown_command_is_reported_and_ignored(write, tmp_path):
    write("hmc/h1/S1/session.log", "hscroot@hmc1:~> lsfoo -r bar\nfoo=1\nhscroot@hmc1:~> lssyscfg -r lpar -m S1\n"
          "name=a,lpar_id=1,lpar_env=aixlinux,state=Running\n")
    inv = load_inventory(tmp_path)
    unknown = gaps(inv, "unknown_command")
    assert unknown["command"].tolist() == ["lsfoo -r bar"] and unknown["line"].tolist() == [1]
    assert len(inv.partitions) == 1


def test_wrong_encoding_latin1(write, tmp_path):
    write("hmc/h1/S1/lshwres_r_io_rsubtype_slot.txt",
          b"$ lshwres -r io --rsubtype slot -m S1\n"
          + "drc_index=21010003,lpar_id=none,description=Kontroler dysk\xf3w\n".encode("latin-1"))
    inv = load_inventory(tmp_path)
    assert inv.io_slots.iloc[0]["description"] == "Kontroler dysków"
    assert gaps(inv, "encoding")["line"].tolist() == [2]


def test_capture_with_no_system_anywhere(write, tmp_path):
    write("captures/proc.txt", "lpar_name=a,lpar_id=1,curr_proc_mode=shared,curr_proc_units=0.5\n")
    write("captures/mem.txt", "configurable_sys_mem=1024\n")
    write("captures/lssyscfg_r_sys.txt", SYS.replace("name=S1", "name=S1").replace("\n", "\n", 1))
    write("captures/other_sys.txt", "name=S2,type_model=9009-42A,serial_num=7800002,state=Operating\n")
    inv = load_inventory(tmp_path)
    unknown = gaps(inv, "unknown_system")
    assert set(unknown["file"]) == {"captures/proc.txt", "captures/mem.txt"}
    assert inv.partitions.empty  # never attributed to a guessed system
    findings, _ = run_checks(inv)
    assert (findings["check_id"] == "HA006").sum() == 2


def test_missing_system_capture_and_missing_commands(write, tmp_path):
    write("hmc/h1/S1/lssyscfg_r_lpar.txt", LPAR)
    inv = load_inventory(tmp_path)
    assert inv.systems["system"].tolist() == ["S1"]  # known from -m, even without lssyscfg -r sys
    missing = gaps(inv, "missing_capture")
    assert "no 'lssyscfg -r sys' capture for S1" in set(missing["message"])
    assert "no 'lshwres -r mem --level lpar -m S1' capture for S1" in set(missing["message"])
    findings, coverage = run_checks(inv)
    assert (findings["check_id"] == "HA003").sum() == len(missing)
    assert coverage["error"].isna().all()


def test_hmc_error_instead_of_output(write, tmp_path):
    write("hmc/h1/S1/lshwres_r_virtualio_rsubtype_fc_level_lpar.txt",
          "$ lshwres -r virtualio --rsubtype fc --level lpar -m S1\n"
          "HSCL8012 The managed system S1 is not in a valid state for this operation.\n")
    inv = load_inventory(tmp_path)
    msg = gaps(inv, "hmc_message")
    assert msg["line"].tolist() == [2] and msg["system"].tolist() == ["S1"]
    findings, _ = run_checks(inv)
    ha002 = findings[findings["check_id"] == "HA002"]
    assert ha002["resource"].tolist() == ["hmc/h1/S1/lshwres_r_virtualio_rsubtype_fc_level_lpar.txt:2"]


def test_conflicting_duplicate_records(write, tmp_path):
    write("hmc/h1/S1/a.txt", "$ lssyscfg -r lpar -m S1\nname=a,lpar_id=1,lpar_env=aixlinux,state=Running\n")
    write("hmc/h1/S1/b.txt", "$ lssyscfg -r lpar -m S1\nname=a,lpar_id=1,lpar_env=aixlinux,state=Not Activated\n")
    write("hmc/h2/S1/c.txt", "$ lssyscfg -r lpar -m S1\nname=a,lpar_id=1,lpar_env=aixlinux,state=Running\n")
    inv = load_inventory(tmp_path)
    assert len(inv.partitions) == 1 and inv.partitions.iloc[0]["state"] == "Running"
    assert len(gaps(inv, "duplicate_record")) == 1


def test_schema_violation_becomes_gap(write, tmp_path):
    write("hmc/h1/S1/lssyscfg_r_lpar.txt",
          "$ lssyscfg -r lpar -m S1\nname=a,lpar_id=1,lpar_env=mainframe,state=Running\nname=b,lpar_id=0,lpar_env=aixlinux\n")
    inv = load_inventory(tmp_path)
    parts = inv.partitions
    assert parts["name"].tolist() == ["a"] and pd.isna(parts.iloc[0]["lpar_env"])
    schema = gaps(inv, "schema")
    assert set(schema["line"]) == {2, 3}
