"""Pure report rules: the business key, observation window, age, overdue, the daily reset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from nazer.domain.report_status import ReportStatus
from nazer.domain.reports import (
    OFFLINE_CHANNELS,
    Channel,
    OutreachType,
    age_days,
    business_key,
    is_overdue,
    next_tehran_midnight,
    observed_at_problem,
    overlaps,
)
from nazer.jalali import TEHRAN, tehran_day_key

NOW = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)


def test_one_shop_written_differently_has_one_key():
    variants = ["فروشگاه رضا", "فروشگاه  رضا ", "فروشگاه‌رضا", "فروشگاه رضا.", "فروشگاه رضا", "فروشگاه رضا"]
    assert len({business_key(name) for name in variants}) == 1
    assert business_key("Shop ۱۲") == business_key("shop 12")
    assert business_key("فروشگاه علی") == business_key("فروشگاه علي")
    assert business_key("نانوایی سنگک") != business_key("نانوایی بربری")


@given(st.text(max_size=60))
def test_the_business_key_is_stable_and_has_no_separators(name):
    key = business_key(name)
    assert business_key(key) == key
    assert "#" not in key and " " not in key


def test_observation_window_is_the_last_30_days_and_not_the_future():
    assert observed_at_problem(NOW - timedelta(days=29, hours=23), NOW) is None
    assert observed_at_problem(NOW - timedelta(days=30, seconds=1), NOW) == "too_old"
    assert observed_at_problem(NOW + timedelta(minutes=4), NOW) is None  # a phone clock slightly ahead
    assert observed_at_problem(NOW + timedelta(minutes=6), NOW) == "future"


def test_age_counts_whole_days_and_stops_at_the_final_status():
    received = NOW - timedelta(days=3, hours=5)
    assert age_days(received, NOW) == 3
    assert age_days(NOW, NOW) == 0
    assert age_days(received, NOW + timedelta(days=40), final_at=received + timedelta(days=2)) == 2


def test_an_open_report_is_overdue_after_15_days_a_final_one_never():
    old = NOW - timedelta(days=15, minutes=1)
    assert is_overdue(ReportStatus.UNDER_REVIEW, old, NOW)
    assert not is_overdue(ReportStatus.RECEIVED, NOW - timedelta(days=15), NOW)
    assert not is_overdue(ReportStatus.CONFIRMED, old, NOW)
    assert not is_overdue(ReportStatus.UNFOUNDED, old, NOW)


def test_violation_types_overlap():
    assert overlaps(["overpricing", "no_invoice"], ["no_invoice"])
    assert not overlaps(["overpricing"], ["hoarding"])


@given(st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)))
def test_the_daily_allowance_resets_at_the_next_tehran_midnight(now):
    reset = next_tehran_midnight(now)
    assert reset > now and reset - now <= timedelta(days=1)
    local = reset.astimezone(TEHRAN)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert tehran_day_key(reset) != tehran_day_key(now)
    assert tehran_day_key(reset - timedelta(seconds=1)) == tehran_day_key(now)


def test_vocabularies():
    assert Channel.WEB not in OFFLINE_CHANNELS and len(OFFLINE_CHANNELS) == 4
    assert {t.value for t in OutreachType} == {
        "public_call",
        "government_correspondence",
        "neighbourhood_councils",
        "business_actors",
        "guild_associations",
        "cultural_events",
        "retirees_and_students",
        "media_clergy_officials",
    }
