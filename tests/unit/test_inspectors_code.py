"""The inspector code: province (2) + county (2) + 40 + sequence 0001–9999, built and parsed in one place."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nazer.domain import inspector_code
from nazer.domain.inspector_code import InspectorCode, build, is_valid, parse, remaining

two_digits = st.from_regex(r"[0-9]{2}", fullmatch=True)
sequences = st.integers(min_value=1, max_value=9999)


def test_a_code_is_province_county_40_and_a_four_digit_sequence():
    # Given Tehran (23), county 01, the 7th inspector
    # When the code is built
    code = build("23", "01", 7)
    # Then it is ten digits with the mark 40 and the padded sequence
    assert code == "2301400007"
    assert parse(code) == InspectorCode("23", "01", 7)


def test_leading_zeros_are_kept():
    assert build("00", "02", 1) == "0002400001"
    assert parse("0002400001").province == "00"


def test_the_sequence_runs_from_0001_to_9999():
    assert build("31", "03", 9999) == "3103409999"
    with pytest.raises(ValueError):
        build("31", "03", 0)
    with pytest.raises(ValueError):
        build("31", "03", 10000)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "230140000",  # nine digits
        "23014000071",  # eleven
        "2301410007",  # mark is not 40
        "2301400000",  # sequence 0000
        "23O1400007",  # a letter O
        "۲۳۰۱۴۰۰۰۰۷",  # Persian digits: normalise first, codes are ASCII
        " 2301400007",
        "2301400007\n",
    ],
)
def test_malformed_codes_are_refused(code):
    assert not is_valid(code)
    with pytest.raises(ValueError):
        parse(code)


@pytest.mark.parametrize(("province", "county"), [("2", "01"), ("23", "1"), ("۲۳", "01"), ("23", "ab"), ("123", "01")])
def test_parts_must_be_two_ascii_digits(province, county):
    with pytest.raises(ValueError):
        build(province, county, 1)


def test_a_boolean_is_not_a_sequence():
    with pytest.raises(ValueError):
        build("23", "01", True)


@given(province=two_digits, county=two_digits, sequence=sequences)
def test_build_then_parse_gives_the_parts_back(province, county, sequence):
    code = build(province, county, sequence)
    assert len(code) == inspector_code.CODE_LENGTH
    assert code.isascii() and code.isdigit()
    assert code[4:6] == "40"
    assert parse(code) == InspectorCode(province, county, sequence)
    assert is_valid(code)


@given(province=two_digits, county=two_digits, a=sequences, b=sequences)
def test_distinct_sequences_give_distinct_codes_in_sequence_order(province, county, a, b):
    code_a, code_b = build(province, county, a), build(province, county, b)
    assert (code_a == code_b) == (a == b)
    assert (code_a < code_b) == (a < b)


@given(st.text(max_size=12))
def test_parse_accepts_exactly_what_build_produces(text):
    if is_valid(text):
        parts = parse(text)
        assert build(parts.province, parts.county, parts.sequence) == text


@given(sequences)
def test_remaining_counts_down_to_zero(last):
    assert remaining(last) == 9999 - last
    assert remaining(9999) == 0
