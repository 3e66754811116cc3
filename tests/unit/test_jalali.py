"""Jalali periods: Tehran-time month bounds, leap Esfand, Nowruz, the report deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nazer.jalali import (
    TEHRAN,
    Period,
    days_in_month,
    format_tehran_datetime,
    parse_iso,
    tehran_date,
)

SECOND = timedelta(seconds=1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize("text", ["1403-07", "1403-01", "1403-12", "1300-01", "1500-12"])
def test_a_period_round_trips_through_its_text(text):
    assert str(Period.parse(text)) == text


@pytest.mark.parametrize(
    "text",
    ["1403-7", "1403-13", "1403-00", "۱۴۰۳-۰۷", "1403/07", "1403-07 ", " 1403-07", "03-07", "abcd-ef", "", "1299-12"],
)
def test_anything_but_a_real_yyyy_mm_is_refused(text):
    with pytest.raises(ValueError):
        Period.parse(text)


# ---------------------------------------------------------------- bounds


def test_mehr_1403_runs_from_tehran_midnight_to_tehran_midnight():
    # Given 1403/07/01 = 2024-09-22 and 1403/08/01 = 2024-10-22, Tehran at +03:30
    period = Period.parse("1403-07")
    assert period.start() == utc(2024, 9, 21, 20, 30)
    assert period.end() == utc(2024, 10, 21, 20, 30)
    assert period.days() == 30


def test_the_last_second_of_a_month_belongs_to_it_and_the_next_second_does_not():
    period = Period.parse("1403-07")
    last_second = period.end() - SECOND
    assert Period.of(last_second) == period
    assert tehran_date(last_second).day == 30
    assert Period.of(period.end()) == Period.parse("1403-08")
    assert period.contains(last_second) and not period.contains(period.end())
    assert period.contains(period.start()) and not period.contains(period.start() - SECOND)


def test_a_utc_evening_is_already_the_next_jalali_day_in_tehran():
    # 2024-10-21 21:00 UTC is 00:30 on 1403/08/01 in Tehran, though still the 21st in UTC
    assert Period.of(utc(2024, 10, 21, 21, 0)) == Period.parse("1403-08")
    assert format_tehran_datetime(utc(2024, 10, 21, 20, 29, 59)) == "1403/07/30 23:59"
    assert format_tehran_datetime(utc(2024, 10, 21, 20, 30)) == "1403/08/01 00:00"


def test_esfand_of_leap_1403_has_30_days_and_ends_at_nowruz_1404():
    esfand = Period.parse("1403-12")
    assert days_in_month(1403, 12) == esfand.days() == 30
    assert esfand.start() == utc(2025, 2, 18, 20, 30)
    assert esfand.end() == utc(2025, 3, 20, 20, 30)  # 1404/01/01 = 2025-03-21
    assert tehran_date(esfand.end() - SECOND).day == 30
    assert esfand.next() == Period.parse("1404-01")


def test_esfand_of_common_1404_has_29_days():
    esfand = Period.parse("1404-12")
    assert days_in_month(1404, 12) == esfand.days() == 29
    assert esfand.end() == utc(2026, 3, 20, 20, 30)  # 1405/01/01 = 2026-03-21
    assert tehran_date(esfand.end() - SECOND).day == 29
    assert (esfand.end() - esfand.start()) == timedelta(days=29)


def test_nowruz_1403_starts_farvardin_and_the_second_before_is_esfand_1402():
    nowruz = utc(2024, 3, 19, 20, 30)  # 1403/01/01 00:00 Tehran
    assert Period.of(nowruz) == Period.parse("1403-01")
    assert Period.of(nowruz - SECOND) == Period.parse("1402-12")
    assert Period.parse("1402-12").days() == 29
    assert Period.parse("1403-01").previous() == Period.parse("1402-12")
    assert Period.parse("1402-12").next() == Period.parse("1403-01")


def test_a_month_of_the_dst_years_uses_the_offset_tehran_had_then():
    # Until 2022 Tehran kept +04:30 in summer: 1400/06/01 (2021-08-23) began at 19:30 UTC
    assert Period.parse("1400-06").start() == utc(2021, 8, 22, 19, 30)
    assert Period.parse("1403-06").start() == utc(2024, 8, 21, 20, 30)


def test_months_of_a_year_add_up_to_365_or_366_days():
    assert sum(Period(1403, month).days() for month in range(1, 13)) == 366
    assert sum(Period(1404, month).days() for month in range(1, 13)) == 365
    first_half = [Period(1403, month).days() for month in range(1, 7)]
    assert first_half == [31] * 6


# ---------------------------------------------------------------- deadline


def test_the_deadline_is_day_7_midnight_tehran_of_the_following_month():
    period = Period.parse("1403-07")
    assert period.deadline() == utc(2024, 10, 27, 20, 30)  # 1403/08/07 00:00 Tehran
    assert tehran_date(period.deadline()).day == 7
    assert tehran_date(period.deadline() - SECOND).day == 6


def test_the_deadline_of_esfand_falls_in_farvardin_of_the_next_year():
    deadline = Period.parse("1403-12").deadline()
    day = tehran_date(deadline)
    assert (day.year, day.month, day.day) == (1404, 1, 7)


def test_persian_title_of_a_period():
    assert Period.parse("1403-07").name_fa() == "مهر ۱۴۰۳"
    assert Period.parse("1404-12").name_fa() == "اسفند ۱۴۰۴"


def test_stored_instants_parse_with_z_offsets_or_none():
    assert parse_iso("2024-09-26T06:30:00Z") == utc(2024, 9, 26, 6, 30)
    assert parse_iso("2024-09-26T10:00:00+03:30") == utc(2024, 9, 26, 6, 30)
    assert parse_iso("2024-09-26T06:30:00.250Z") == utc(2024, 9, 26, 6, 30) + timedelta(milliseconds=250)
    assert parse_iso("2024-09-26T06:30:00") == utc(2024, 9, 26, 6, 30)


# ---------------------------------------------------------------- properties

instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2080, 1, 1), timezones=st.just(UTC))
periods = st.builds(Period, st.integers(min_value=1370, max_value=1450), st.integers(min_value=1, max_value=12))


@given(instants)
def test_every_instant_lies_within_the_bounds_of_its_period(instant):
    period = Period.of(instant)
    assert period.start() <= instant < period.end()
    assert period.contains(instant)


@given(instants)
def test_the_period_of_an_instant_is_its_tehran_calendar_month(instant):
    period = Period.of(instant)
    day = tehran_date(instant)
    assert (period.year, period.month) == (day.year, day.month)
    assert 1 <= day.day <= period.days()


@given(periods)
def test_periods_tile_time_without_gaps_or_overlaps(period):
    assert period.next().start() == period.end()
    assert period.previous().end() == period.start()
    assert period.next().previous() == period == period.previous().next()
    # Calendar days in Tehran (absolute hours differ by one in the DST months before 2022)
    assert (period.end().astimezone(TEHRAN).date() - period.start().astimezone(TEHRAN).date()).days == period.days()
    assert Period.of(period.start()) == period
    assert Period.of(period.end() - SECOND) == period


@given(periods)
def test_text_round_trip(period):
    assert Period.parse(str(period)) == period


@given(periods)
def test_the_deadline_is_always_the_seventh_of_the_next_month(period):
    deadline = period.deadline()
    day = tehran_date(deadline)
    assert Period.of(deadline) == period.next()
    assert day.day == 7
    local = deadline.astimezone(TEHRAN)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert (local.date() - period.end().astimezone(TEHRAN).date()).days == 6
