"""Submitting a month's report: on time until day 7 00:00 Tehran, late after; the first time is kept."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from nazer.dal import monthly_reports as store
from nazer.errors import DomainError
from nazer.jalali import Period
from nazer.logic import monthly_reports
from tests.support.events import claims

PERIOD = Period.parse("1403-07")
DEADLINE = PERIOD.deadline()  # 1403/08/07 00:00 Tehran
SECOND = timedelta(seconds=1)


def officer(province="23"):
    from nazer.auth import caller_from_claims

    return caller_from_claims(claims("province-officer", province=province))


def generated(province="23", period=PERIOD):
    store.record_generation(
        period,
        province,
        generated_at="2024-10-22T00:00:00Z",
        files={},
        totals={"reportsReceived": 0},
        counts={"reports": 0},
    )


def test_the_last_second_before_day_7_is_on_time(aws):
    generated()
    reply = monthly_reports.submit(officer(), "23", "1403-07", "به‌موقع", DEADLINE - SECOND)
    assert reply.late is False
    assert reply.submitted_at == "2024-10-27T20:29:59Z"


def test_day_7_at_midnight_tehran_is_late(aws):
    generated()
    reply = monthly_reports.submit(officer(), "23", "1403-07", None, DEADLINE)
    assert reply.late is True


def test_submitting_during_the_period_itself_is_on_time(aws):
    generated()
    reply = monthly_reports.submit(officer(), "23", "1403-07", None, PERIOD.start() + timedelta(days=12))
    assert reply.late is False


def test_a_resubmission_after_the_deadline_stays_on_time_and_keeps_the_first_time(aws):
    generated()
    first = monthly_reports.submit(officer(), "23", "1403-07", "نسخهٔ اول", DEADLINE - timedelta(days=2))
    again = monthly_reports.submit(officer(), "23", "1403-07", "نسخهٔ دوم", DEADLINE + timedelta(days=3))
    assert again == first
    record = store.get_record(PERIOD, "23")
    assert record["remarks"] == "نسخهٔ دوم"
    assert record["lastSubmittedAt"] == "2024-10-30T20:30:00Z"


def test_regenerating_keeps_a_submission(aws):
    generated()
    first = monthly_reports.submit(officer(), "23", "1403-07", "ارسال", DEADLINE - timedelta(days=1))
    monthly_reports.generate_period(PERIOD, DEADLINE + timedelta(days=1), provinces=["23"])
    record = store.get_record(PERIOD, "23")
    assert record["submittedAt"] == first.submitted_at and record["late"] is False
    assert record["generatedAt"] == "2024-10-28T20:30:00Z"


def test_a_period_not_generated_cannot_be_submitted(aws):
    generated(period=PERIOD.previous())
    with pytest.raises(DomainError) as raised:
        monthly_reports.submit(officer(), "23", "1403-07", None, DEADLINE)
    assert raised.value.slug == "invalid-state"
    assert store.get_record(PERIOD, "23") is None


def test_racing_first_submissions_agree_on_one_time(served):
    # Given a province and period no other test uses on the shared server
    province = "23"
    period = Period(1390 + uuid.uuid4().int % 100, 1 + uuid.uuid4().int % 12)
    generated(province, period)
    replies = []
    errors = []

    def submit(offset: int) -> None:
        try:
            now = period.deadline() + timedelta(seconds=offset - 4)
            replies.append(monthly_reports.submit(officer(province), province, str(period), f"#{offset}", now))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    stored = store.get_record(period, province)
    assert {reply.submitted_at for reply in replies} == {stored["submittedAt"]}
    assert {reply.late for reply in replies} == {stored["late"]}
