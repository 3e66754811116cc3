"""The province queue: newest first, filters, pagination, officer hints, and who may read it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nazer.auth import caller_from_claims
from nazer.jalali import TEHRAN
from nazer.logic import reports as logic
from nazer.models.reports import ReportIn
from tests.support.events import api_event
from tests.support.lambdas import invoke
from tests.support.reports_factories import an_inspector, hq, officer, report_body


def file_at(caller_claims, now, **changes):
    """File a report at an injected time (the handler always uses the clock)."""
    body = ReportIn.model_validate(report_body(now=now, **changes))
    return logic.file_report(caller_from_claims(caller_claims), body, None, now)["body"]["reportId"]


def queue(province="23", caller=None, **query):
    event = api_event(
        "GET",
        f"/provinces/{province}/reports",
        resource="/provinces/{provinceCode}/reports",
        path_parameters={"provinceCode": province},
        query={k: v for k, v in query.items() if v is not None} or None,
        caller=caller or officer(province),
    )
    return invoke("reports", event)


def view(report_id, province="23", caller=None):
    event = api_event(
        "GET",
        f"/provinces/{province}/reports/{report_id}",
        resource="/provinces/{provinceCode}/reports/{reportId}",
        path_parameters={"provinceCode": province, "reportId": report_id},
        caller=caller or officer(province),
    )
    return invoke("reports", event)


def business_in(county="01", name="سوپرمارکت نمونه"):
    return {
        "name": name,
        "guild": "خواربارفروشی",
        "address": "نشانی",
        "provinceCode": "23",
        "countyCode": county,
    }


def test_the_queue_lists_newest_first_with_officer_hints(aws):
    inspector, code, _ = an_inspector()
    now = datetime.now(UTC)
    old = file_at(inspector, now - timedelta(days=20))
    new = file_at(inspector, now - timedelta(hours=1))
    reply = queue()
    assert reply.status == 200, reply.text
    items = reply.json["items"]
    assert [item["reportId"] for item in items] == [new, old]
    assert reply.json["nextCursor"] is None
    oldest = items[1]
    assert oldest["inspectorCode"] == code and oldest["channel"] == "web"
    assert oldest["ageDays"] == 20 and oldest["overdue"] is True
    assert items[0]["ageDays"] == 0 and items[0]["overdue"] is False
    assert {"possibleDuplicateOf", "status", "countyCode", "business", "violationTypes", "receivedAt"} <= set(oldest)


def test_filters_by_status_county_violation_type_and_dates(aws):
    inspector, _, _ = an_inspector()
    now = datetime.now(UTC)
    a = file_at(inspector, now - timedelta(days=10), violationTypes=["hoarding"])
    b = file_at(inspector, now - timedelta(days=5), business=business_in(county="02"))
    c = file_at(inspector, now - timedelta(days=1), violationTypes=["overpricing", "no_invoice"])
    logic.transition(caller_from_claims(officer()), "23", c, logic_transition("UNDER_REVIEW"), None, now)

    def ids(**query):
        reply = queue(**query)
        assert reply.status == 200, reply.text
        return [item["reportId"] for item in reply.json["items"]]

    assert ids(status="UNDER_REVIEW") == [c]
    assert ids(status="RECEIVED") == [b, a]
    assert ids(county="02") == [b]
    assert ids(violationType="no_invoice") == [c]
    assert ids(violationType="hoarding") == [a]
    day_of_b = (now - timedelta(days=5)).astimezone(TEHRAN)
    import jdatetime

    jalali = jdatetime.date.fromgregorian(date=day_of_b.date())
    jalali_text = f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}"
    assert ids(**{"from": jalali_text, "to": jalali_text}) == [b]
    assert ids(**{"from": day_of_b.date().isoformat(), "to": day_of_b.date().isoformat()}) == [b]
    assert ids(**{"from": (now - timedelta(days=6)).isoformat()}) == [c, b]
    assert ids(**{"to": (now - timedelta(days=6)).isoformat()}) == [a]


def logic_transition(status, note=None):
    from nazer.models.reports import TransitionIn

    return TransitionIn.model_validate({"status": status, "note": note})


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "OPEN"}, "status"),
        ({"violationType": "bribery"}, "violationType"),
        ({"county": "99"}, "county"),
        ({"from": "yesterday"}, "from"),
        ({"to": "1403/13/01"}, "to"),
        ({"from": "2024-09-26T10:00:00"}, "from"),
        ({"from": "1403/07/10", "to": "1403/07/01"}, "to"),
        ({"to": "9999-12-31T23:59:59+00:00"}, "to"),
        ({"from": "0001-01-01T00:00:00+03:30"}, "from"),
        ({"from": "9999/01/01"}, "from"),
        ({"to": "2024-02-30"}, "to"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_filters_are_422_on_their_parameter(aws, query, field):
    reply = queue(**query)
    assert reply.status == 422, reply.text
    assert [err["field"] for err in reply.json["errors"]] == [field]


def test_pagination_walks_the_whole_queue_without_repeats(aws):
    inspector, _, _ = an_inspector()
    now = datetime.now(UTC)
    filed = [file_at(inspector, now - timedelta(hours=i)) for i in range(7)]
    seen, cursor = [], None
    while True:
        reply = queue(limit="3", cursor=cursor)
        assert reply.status == 200
        seen += [item["reportId"] for item in reply.json["items"]]
        cursor = reply.json["nextCursor"]
        if cursor is None:
            break
    assert seen == filed


def test_a_cursor_of_another_province_is_refused(aws):
    inspector, _, _ = an_inspector()
    now = datetime.now(UTC)
    for i in range(3):
        file_at(inspector, now - timedelta(hours=i))
    cursor = queue(limit="1").json["nextCursor"]
    reply = queue("10", caller=officer("10"), cursor=cursor)
    assert reply.status == 422 and reply.json["errors"][0]["field"] == "cursor"


def test_possible_duplicates_are_same_business_county_and_type_within_7_days(aws):
    inspector, _, _ = an_inspector()
    t0 = datetime.now(UTC) - timedelta(days=20)
    first = file_at(inspector, t0, violationTypes=["overpricing"])
    # The same shop written differently, two days later, sharing a violation type
    second = file_at(
        inspector,
        t0 + timedelta(days=2),
        violationTypes=["no_invoice", "overpricing"],
        business=business_in(name="سوپر مارکت  نمونه"),
    )
    other_type = file_at(inspector, t0 + timedelta(days=3), violationTypes=["hoarding"])
    other_county = file_at(inspector, t0 + timedelta(days=3), business=business_in(county="02"))
    much_later = file_at(inspector, t0 + timedelta(days=10))
    hints = {item["reportId"]: item["possibleDuplicateOf"] for item in queue().json["items"]}
    assert hints[first] == []
    assert hints[second] == [first]
    assert hints[other_type] == []
    assert hints[other_county] == []
    assert hints[much_later] == []
    assert view(second).json["possibleDuplicateOf"] == [first]


def test_hq_reads_any_province_queue(aws):
    inspector, _, _ = an_inspector()
    report_id = file_at(inspector, datetime.now(UTC))
    assert [item["reportId"] for item in queue(caller=hq()).json["items"]] == [report_id]
    assert view(report_id, caller=hq()).status == 200


def test_an_officer_of_another_province_can_neither_list_nor_read(aws):
    inspector, _, _ = an_inspector()
    report_id = file_at(inspector, datetime.now(UTC))
    assert queue("23", caller=officer("10")).status == 403
    reply = view(report_id, "23", caller=officer("10"))
    assert reply.status == 403 and reply.json["type"] == "forbidden"
    # …and asking through their own province finds nothing
    assert view(report_id, "10", caller=officer("10")).status == 404
    assert queue("10", caller=officer("10")).json["items"] == []


def test_inspectors_and_applicants_cannot_read_the_queue(aws):
    inspector, _, _ = an_inspector()
    assert queue(caller=inspector).status == 403


def test_an_unknown_province_is_404_for_hq_and_an_unknown_report_404(aws):
    assert queue("77", caller=hq()).status == 404
    assert view("01J8Z3ZZZZZZZZZZZZZZZZZZZZ").status == 404
    assert view("not-an-id").status == 404


def test_the_report_view_carries_the_full_history(aws):
    inspector, code, _ = an_inspector()
    now = datetime.now(UTC)
    report_id = file_at(inspector, now - timedelta(days=2))
    officer_caller = caller_from_claims(officer())
    logic.transition(officer_caller, "23", report_id, logic_transition("UNDER_REVIEW", "بررسی آغاز شد"), None, now)
    reply = view(report_id)
    assert reply.status == 200
    history = reply.json["history"]
    assert [entry["status"] for entry in history] == ["RECEIVED", "UNDER_REVIEW"]
    assert history[0]["by"] == code
    assert history[1] == {"status": "UNDER_REVIEW", "at": history[1]["at"], "by": "officer-23", "note": "بررسی آغاز شد"}
