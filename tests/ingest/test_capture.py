"""Cutting capture files into command sections, whatever the capture style."""

from __future__ import annotations

import json

import pytest

from hatoolkit.errors import IngestError
from hatoolkit.ingest.capture import read_text, split_sections
from hatoolkit.ingest.commands import parse_command, split_system_spec


def test_dollar_first_line():
    sections = split_sections("$ lshwres -r proc --level lpar -m SYS1\nlpar_name=a,lpar_id=1\n", "f.txt")
    assert [(s.command, s.first_line, s.text) for s in sections] == [
        ("lshwres -r proc --level lpar -m SYS1", 2, "lpar_name=a,lpar_id=1\n")
    ]


def test_transcript_with_prompts_and_banner():
    text = (
        "Last login: Tue Nov 24 from 10.0.0.5\n"
        "hscroot@hmc1:~> lssyscfg -r lpar -m SYS1\n"
        "name=a,lpar_id=1\n"
        "name=b,lpar_id=2\n"
        "hscroot@hmc1:~> lshwres -r mem --level sys -m SYS1\n"
        "configurable_sys_mem=1024\n"
        "hscroot@hmc1:~> \n"
    )
    sections = split_sections(text, "t.log")
    assert [(s.command, s.first_line) for s in sections] == [
        ("lssyscfg -r lpar -m SYS1", 3),
        ("lshwres -r mem --level sys -m SYS1", 6),
    ]


def test_hash_separators():
    text = "###command:lshmc -V###\nversion=8\n###command:lssyscfg -r sys###\nname=S,state=Operating\n"
    sections = split_sections(text, "x.txt")
    assert [(s.command, s.first_line) for s in sections] == [("lshmc -V", 2), ("lssyscfg -r sys", 4)]


def test_pipe_prefix_style():
    text = "uname -n| |vios1\nlsmap -all| |SVSA  Physloc\nlsmap -all| |vhost0  U1-V1-C5  0x00000005\n"
    sections = split_sections(text, "vios1.txt")
    assert [(s.command, s.first_line, s.text) for s in sections] == [
        ("uname -n", 1, "vios1"),
        ("lsmap -all", 2, "SVSA  Physloc\nvhost0  U1-V1-C5  0x00000005"),
    ]


def test_json_records():
    text = json.dumps({"command": "lssyscfg -r sys -m S", "exit_status": 0, "stdout": "name=S\n", "stderr": ""})
    (section,) = split_sections(text, "c.json")
    assert section.command == "lssyscfg -r sys -m S" and section.text == "name=S\n" and section.exit_status == 0


def test_records_are_never_mistaken_for_prompts():
    text = "name=a$b,lpar_id=1\nname=x@y:~>,lpar_id=2\n"
    (section,) = split_sections(text, "f.txt")
    assert section.command is None


def test_read_text_latin1_and_crlf(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes("a=1\r\ndescription=Kontroler dysk\xf3w\r\n".encode("latin-1"))
    decoded = read_text(path, "x.txt")
    assert decoded.encoding == "latin-1" and decoded.bad_line == 2
    assert decoded.text == "a=1\ndescription=Kontroler dyskó w\n".replace("ó w", "ów")


def test_read_text_rejects_binary(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(IngestError, match="binary"):
        read_text(path, "x.bin")


def test_ansi_escapes_are_stripped(tmp_path):
    path = tmp_path / "x.log"
    path.write_bytes(b"ha_mode \x1b[1mSharing\x1b[m\x0f\n")
    assert read_text(path, "x.log").text == "ha_mode Sharing\n"


def test_command_parsing():
    cmd = parse_command("lshwres -r virtualio --rsubtype eth --level lpar -m 'My Sys' -F lpar_name:slot_num --header")
    assert (cmd.name, cmd.opt("-r"), cmd.opt("--rsubtype"), cmd.system) == ("lshwres", "virtualio", "eth", "My Sys")
    assert cmd.field_list == ["lpar_name", "slot_num"] and cmd.field_delimiter == ":" and "--header" in cmd.flags
    inner = parse_command('viosvrcmd -m SYS1 -p vios1 -c "lsmap -all -npiv -fmt :"')
    assert (inner.name, inner.system, inner.partition, inner.opt("-fmt")) == ("lsmap", "SYS1", "vios1", ":")
    assert "-npiv" in inner.flags and "-all" in inner.flags
    assert split_system_spec("9131-52A*6535CCG") == ("9131", "52A", "6535CCG")
