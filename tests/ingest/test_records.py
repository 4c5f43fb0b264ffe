"""The HMC record format: reference examples from the domain reference, and properties of the parser."""

from __future__ import annotations

import contextlib
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hatoolkit.errors import HatoolkitError, RecordParseError
from hatoolkit.ingest.delimited import parse_delimited
from hatoolkit.ingest.records import (
    format_list,
    format_record,
    parse_attr_records,
    parse_list,
    parse_record,
)

VERITAS_VFC = (
    '"virtual_fc_adapters=""504/client/2/vio_server1/8/c050760431670010,c050760431670011/1"",'
    '""604/client/3/vio_server2/5/c050760431670012,c050760431670013/1"""'
)


def test_nested_quoted_list_elements_keep_their_commas():
    record = parse_record(VERITAS_VFC)
    assert parse_list(record["virtual_fc_adapters"]) == [
        "504/client/2/vio_server1/8/c050760431670010,c050760431670011/1",
        "604/client/3/vio_server2/5/c050760431670012,c050760431670013/1",
    ]


def test_veth_list_with_additional_vlans():
    record = parse_record('"virtual_eth_adapters=3/1/1/10/0/1,""2/1/1/3,4,5/0/1"",3/1/1/10/0/1"')
    assert parse_list(record["virtual_eth_adapters"]) == ["3/1/1/10/0/1", "2/1/1/3,4,5/0/1", "3/1/1/10/0/1"]


def test_split_at_first_equals_and_values_with_spaces():
    record = parse_record("os_version=AIX 6.1 6100-00-01-0748,state=Not Activated,expr=a=b,empty=")
    assert record == {"os_version": "AIX 6.1 6100-00-01-0748", "state": "Not Activated", "expr": "a=b", "empty": ""}


def test_stray_space_after_comma_is_tolerated():
    assert parse_record("lpar_name=a, lpar_id=3,  slot_num=4") == {"lpar_name": "a", "lpar_id": "3", "slot_num": "4"}


def test_none_and_empty_lists():
    assert parse_list("none") == [] and parse_list("") == [] and parse_list(None) == []


def test_writer_quotes_exactly_like_the_hmc():
    assert format_record([("a", "1"), ("io_slots", "21010002/none/1,21050003/none/1")]) == (
        'a=1,"io_slots=21010002/none/1,21050003/none/1"'
    )
    assert format_list(["2/1/1/3,4,5/0/1", "3/1/1//0/1"]) == '"2/1/1/3,4,5/0/1",3/1/1//0/1'
    assert format_record([("adapters", format_list(["2/1/1/3,4,5/0/1", "3/1/1//0/1"]))]) == (
        '"adapters=""2/1/1/3,4,5/0/1"",3/1/1//0/1"'
    )


def test_section_parse_keeps_line_numbers_and_reports_messages():
    text = "\n".join(
        [
            "lpar_name=a,lpar_id=1,slot_num=2",
            "HSCL1234 The managed system is not in a valid state.",
            "",
            "lpar_name=b,lpar_id=2,is_trunk=1,trunk_priority=1,slot_num=3",
            "No results were found.",
        ]
    )
    raw = parse_attr_records(text, first_line=10)
    assert list(raw.lines) == [10, 13]
    assert raw.frame["lpar_name"].tolist() == ["a", "b"]
    assert pd.isna(raw.frame["trunk_priority"].iloc[0]) and raw.frame["trunk_priority"].iloc[1] == "1"
    assert [(p.line, p.code) for p in raw.problems] == [(11, "message"), (14, "no_results")]


def test_heterogeneous_layouts_map_by_name_not_position():
    text = "a=1,b=2,c=3\nb=20,a=10\nc=300,a=100,b=200,d=400\n"
    raw = parse_attr_records(text)
    assert raw.frame[["a", "b", "c"]].fillna("-").values.tolist() == [["1", "2", "3"], ["10", "20", "-"],
                                                                        ["100", "200", "300"]]
    assert raw.frame["d"].fillna("-").tolist() == ["-", "-", "400"]


def test_value_spanning_lines_goes_through_the_line_aware_path():
    text = '"version= Version: 8\n Release: 8.2.0\n","base_version=V8R8.2.0\n"\nname=x\n'
    raw = parse_attr_records(text, first_line=1)
    assert raw.frame["version"].iloc[0] == " Version: 8\n Release: 8.2.0\n"
    assert list(raw.lines) == [1, 5]


def test_truncated_record_is_a_problem_not_a_row_mixup():
    raw = parse_attr_records("a=1,b=2\na=3,b")
    assert raw.frame["a"].tolist() == ["1", "3"]
    assert [p.code for p in raw.problems] == ["truncated"]
    assert raw.problems[0].line == 2


def test_unbalanced_quote_at_end_of_file():
    raw = parse_attr_records('a=1,b=2\na=3,"io_slots=1/none/1,2/n')
    assert raw.frame["a"].tolist() == ["1"]
    assert raw.problems[-1].code == "truncated" and raw.problems[-1].line == 2


def test_delimited_with_header_and_quoted_values():
    text = 'drc_index,description,lpar_name\n21010010,"Empty slot, spare",null\n21020013,Adapter,vios1\nbroken\n'
    raw = parse_delimited(text, None, ",", header=True)
    assert raw.frame["description"].tolist() == ["Empty slot, spare", "Adapter"]
    assert list(raw.lines) == [2, 3]
    assert raw.problems[0].line == 4


def test_delimited_with_names_from_command_and_other_delimiter():
    raw = parse_delimited("vios1:vioserver\nnim1:aixlinux\n", ["name", "lpar_env"], ":", header=False)
    assert raw.frame.to_dict("list") == {"name": ["vios1", "nim1"], "lpar_env": ["vioserver", "aixlinux"]}


# --------------------------------------------------------------------------- properties

attr_names = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
values = st.text(alphabet=string.ascii_letters + string.digits + " ,=\"/:;.-_()'*é", max_size=30)


@st.composite
def records(draw):
    names = draw(st.lists(attr_names, min_size=1, max_size=8, unique=True))
    return {n: draw(values) for n in names}


@given(records())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_written_record_parses_back_to_the_same_pairs(record):
    line = format_record(record)
    assert parse_record(line) == record
    raw = parse_attr_records(line + "\n")
    assert not raw.problems
    got = {k: v for k, v in raw.frame.iloc[0].items() if isinstance(v, str)}
    assert got == record


@given(st.lists(records(), min_size=1, max_size=6))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_sections_of_written_records_parse_back_row_for_row(rows):
    text = "\n".join(format_record(r) for r in rows) + "\n"
    raw = parse_attr_records(text)
    assert not raw.problems
    assert list(raw.lines) == list(range(1, len(rows) + 1))
    for got, want in zip(raw.frame.to_dict("records"), rows, strict=True):
        assert {k: v for k, v in got.items() if isinstance(v, str)} == want


@given(st.lists(st.text(max_size=12), max_size=6))
def test_any_list_round_trips(elements):
    elements = [e for e in elements if e.strip() == e and e and e.lower() not in ("none", "null")]
    assert parse_list(format_list(elements)) == elements


@given(st.text(max_size=200))
@settings(max_examples=300)
def test_arbitrary_text_never_raises_anything_but_our_error(text):
    with contextlib.suppress(RecordParseError):
        parse_record(text)
    raw = parse_attr_records(text)  # the section parser never raises: bad lines are problems
    assert len(raw.lines) == len(raw.frame)


@pytest.mark.parametrize("text", ["", "\n\n", "===", '"', 'a="', "a=1,,b=2", ",a=1", "é=1"])
def test_odd_inputs_are_problems_or_rows_never_exceptions(text):
    raw = parse_attr_records(text)
    assert len(raw.lines) == len(raw.frame)
    with contextlib.suppress(HatoolkitError):
        parse_record(text)


@given(st.lists(st.dictionaries(attr_names, st.text(alphabet="ab ,\n\"=", max_size=12), min_size=1, max_size=4),
                min_size=1, max_size=4))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_values_spanning_lines_round_trip(rows):
    text = "\n".join(format_record(r) for r in rows) + "\n"
    raw = parse_attr_records(text)
    assert not raw.problems
    for got, want in zip(raw.frame.to_dict("records"), rows, strict=True):
        assert {k: v for k, v in got.items() if isinstance(v, str)} == want
