"""The daily schedule: Jalali day 1 generates; a later day only while the period is missing; late count."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import pytest

from infra.lambda_worker import LocalContext
from nazer.dal import monthly_reports as store
from nazer.errors import DomainError
from nazer.jalali import Period, tehran_date
from tests.support.events import load_event
from tests.support.lambdas import raw_handler

PREVIOUS = Period.parse("1403-07")
DAY_1 = PREVIOUS.end() + timedelta(hours=1)  # 1403/08/01 01:00 Tehran, when the schedule fires
DAY_3 = DAY_1 + timedelta(days=2)
DAY_8 = DAY_1 + timedelta(days=7)


@pytest.fixture
def run_at(monkeypatch):
    """Run the scheduled handler with its clock set to a chosen instant."""
    handler = raw_handler("monthly_schedule")
    module = sys.modules[handler.__module__]

    def run(instant, event=None):
        monkeypatch.setattr(module, "clock", lambda: instant)
        return handler(event if event is not None else load_event("monthly_schedule"), LocalContext("schedule"))

    return run


def emitted_metrics(capsys) -> dict[str, float]:
    """Metric values of the EMF blobs the handler printed."""
    values: dict[str, float] = {}
    for line in capsys.readouterr().out.splitlines():
        try:
            blob = json.loads(line)
        except ValueError:
            continue
        if isinstance(blob, dict) and "_aws" in blob:
            for definition in blob["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
                value = blob[definition["Name"]]
                values[definition["Name"]] = value[0] if isinstance(value, list) else value
    return values


def test_the_clock_instants_are_the_days_they_claim():
    assert (tehran_date(DAY_1).month, tehran_date(DAY_1).day) == (8, 1)
    assert tehran_date(DAY_3).day == 3 and tehran_date(DAY_8).day == 8


def test_on_jalali_day_1_the_previous_month_is_generated_for_every_directorate(aws, run_at, capsys):
    summary = run_at(DAY_1)
    assert summary == {"period": "1403-07", "action": "generated", "provinces": 32, "lateDirectorates": None}
    records, national = store.period_records(PREVIOUS)
    assert len(records) == 32 and national is not None
    assert national["generatedAt"] == "2024-10-21T21:30:00Z"
    metrics = emitted_metrics(capsys)
    assert metrics["MonthlyReportsGenerated"] == 32
    assert "MonthlyReportRunDuration" in metrics and "MonthlyReportRows" in metrics
    assert "MonthlyReportsLate" not in metrics
    assert metrics["MonthlyReportsScheduleRuns"] == 1


def test_on_day_3_with_the_report_present_nothing_is_done(aws, run_at, capsys):
    store.record_national(PREVIOUS, generated_at="2024-10-21T21:00:00Z", provinces=32, file={})
    summary = run_at(DAY_3)
    # the heartbeat is emitted by every completed run, even one with nothing to do
    assert emitted_metrics(capsys)["MonthlyReportsScheduleRuns"] == 1
    assert summary["action"] == "skipped" and summary["provinces"] == 0
    records, national = store.period_records(PREVIOUS)
    assert records == {} and national["generatedAt"] == "2024-10-21T21:00:00Z"


def test_on_day_3_with_the_report_missing_it_is_generated(aws, run_at):
    summary = run_at(DAY_3)
    assert summary["action"] == "generated" and summary["provinces"] == 32
    _, national = store.period_records(PREVIOUS)
    assert national["generatedAt"] == "2024-10-23T21:30:00Z"


def test_after_the_deadline_the_directorates_not_submitted_are_counted(aws, run_at, capsys):
    # Given the period generated earlier and two directorates that submitted
    store.record_national(PREVIOUS, generated_at="2024-10-21T21:00:00Z", provinces=32, file={})
    for province in ("23", "00"):
        store.record_generation(PREVIOUS, province, generated_at="2024-10-21T21:00:00Z", files={}, totals={}, counts={})
        store.submit(PREVIOUS, province, remarks=None, now="2024-10-24T08:00:00Z", late=False)
    # When the schedule runs on day 8
    summary = run_at(DAY_8)
    # Then nothing is generated and 30 directorates are late
    assert summary == {"period": "1403-07", "action": "skipped", "provinces": 0, "lateDirectorates": 30}
    assert emitted_metrics(capsys)["MonthlyReportsLate"] == 30


def test_operations_can_rerun_a_given_period(aws, run_at):
    summary = run_at(DAY_3, {"period": "1403-05"})
    assert summary["period"] == "1403-05" and summary["action"] == "generated"
    assert store.get_national(Period.parse("1403-05")) is not None


def test_a_bad_period_in_the_event_fails_the_run(aws, run_at):
    # The run must fail, so that the invocation is retried and then dead-lettered
    with pytest.raises(DomainError) as raised:
        run_at(DAY_3, {"period": "1403-13"})
    assert raised.value.slug == "validation-error"
    assert store.get_national(PREVIOUS) is None
