"""Tracking numbers: ULIDs that sort by time and never repeat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nazer.domain.ulid import ALPHABET, LENGTH, UlidGenerator, decode, encode, is_ulid, new_ulid, timestamp_ms

instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC))


def test_a_ulid_is_26_crockford_characters():
    value = new_ulid(datetime.now(UTC))
    assert len(value) == LENGTH == 26
    assert set(value) <= set(ALPHABET)
    assert not set(value) & set("ILOU")
    assert is_ulid(value)


@given(instants)
def test_the_time_part_is_the_instant_in_milliseconds(instant):
    value = UlidGenerator().new(instant)
    assert timestamp_ms(value) == int(instant.timestamp() * 1000)


@given(instants, instants)
def test_ulids_of_different_milliseconds_sort_like_their_times(first, second):
    generator = UlidGenerator()
    a, b = generator.new(first), generator.new(second)
    if int(first.timestamp() * 1000) < int(second.timestamp() * 1000):
        assert a < b
    elif int(first.timestamp() * 1000) > int(second.timestamp() * 1000):
        assert a > b


def test_ulids_within_one_millisecond_keep_increasing():
    generator = UlidGenerator()
    instant = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)
    values = [generator.new(instant) for _ in range(1000)]
    assert values == sorted(values) and len(set(values)) == 1000
    assert {timestamp_ms(value) for value in values} == {int(instant.timestamp() * 1000)}


def test_ten_thousand_ulids_are_distinct_and_sorted_when_time_moves_on():
    start = datetime(2024, 9, 26, tzinfo=UTC)
    values = [new_ulid(start + timedelta(milliseconds=i // 3)) for i in range(10_000)]
    assert len(set(values)) == len(values)
    assert values == sorted(values)


def test_two_generators_at_the_same_instant_do_not_collide():
    instant = datetime(2024, 9, 26, tzinfo=UTC)
    assert len({UlidGenerator().new(instant) for _ in range(2000)}) == 2000


@given(st.integers(min_value=0, max_value=(1 << 128) - 1))
def test_encode_and_decode_round_trip(value):
    text = encode(value)
    assert is_ulid(text) and decode(text) == value


@pytest.mark.parametrize(
    "text", ["", "01J8Z3", "8" + "0" * 25, "01J8Z3ZZZZZZZZZZZZZZZZZZZI", "01j8z3zzzzzzzzzzzzzzzzzzzz"]
)
def test_malformed_ulids_are_recognised(text):
    assert not is_ulid(text)
    with pytest.raises(ValueError):
        decode(text)


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        new_ulid(datetime(2024, 9, 26))
