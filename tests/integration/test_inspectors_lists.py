"""GET /provinces/{p}/applications and GET /provinces/{p}/inspectors: scoped, filtered, paginated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nazer.aws import table
from tests.support.events import claims, load_event
from tests.support.factories import put_inspector
from tests.support.inspectors_factories import (
    hq_admin,
    list_applications_event,
    list_inspectors_event,
    officer,
    put_application,
)
from tests.support.lambdas import invoke

START = datetime(2024, 9, 1, tzinfo=UTC)


def applications(province: str, caller, **query: str):
    return invoke("inspectors", list_applications_event(province, caller, query or None))


def inspectors(province: str, caller, **query: str):
    return invoke("inspectors", list_inspectors_event(province, caller, query or None))


# ---------------------------------------------------------------- the queue awaiting codes


def test_the_queue_lists_the_provinces_approved_applications_newest_first(aws):
    # Given approved applications of Fars (07), one of Tehran, and one of Fars still EXAM_PASSED
    older = put_application(table(), province="07", county="01", created_at=START)
    newer = put_application(table(), province="07", county="02", created_at=START + timedelta(days=1))
    put_application(table(), province="23", county="01")
    put_application(table(), "EXAM_PASSED", province="07", county="01")
    # When Fars's officer lists the queue
    reply = applications("07", officer("07"))
    # Then only Fars's approved ones, newest first, with what identifies the applicant
    assert reply.status == 200
    items = reply.json["items"]
    assert [item["applicationId"] for item in items] == [newer["applicationId"], older["applicationId"]]
    assert reply.json["nextCursor"] is None
    first = items[0]
    assert first["status"] == "APPROVED" and first["countyCode"] == "02"
    assert first["nationalId"] == newer["nationalId"] and first["firstName"] == newer["firstName"]
    assert first["inspectorCode"] is None
    assert not {"pk", "sk", "gsi1pk", "userSub", "username"} & set(first)


def test_the_queue_filters_by_status_and_pages(aws):
    for day in range(5):
        put_application(table(), "ACTIVE", province="08", county="01", created_at=START + timedelta(days=day))
    first = applications("08", officer("08"), status="ACTIVE", limit="2")
    assert first.status == 200 and len(first.json["items"]) == 2
    seen = [item["applicationId"] for item in first.json["items"]]
    cursor = first.json["nextCursor"]
    while cursor:
        page = applications("08", officer("08"), status="ACTIVE", limit="2", cursor=cursor)
        seen += [item["applicationId"] for item in page.json["items"]]
        cursor = page.json["nextCursor"]
    assert len(seen) == len(set(seen)) == 5
    assert applications("08", officer("08")).json["items"] == []


def test_hq_reads_any_provinces_queue(aws):
    put_application(table(), province="09", county="01")
    reply = applications("09", hq_admin())
    assert reply.status == 200 and len(reply.json["items"]) == 1


@pytest.mark.parametrize(
    "query",
    [{"status": "NOPE"}, {"limit": "0"}, {"limit": "101"}, {"limit": "x"}, {"cursor": "not-a-cursor"}],
)
def test_bad_queue_parameters_are_validation_problems(aws, query):
    reply = applications("23", officer("23"), **query)
    assert reply.status == 422 and reply.json["type"] == "validation-error"
    assert reply.json["errors"][0]["field"] in query


def test_the_sample_event_lists_the_queue(aws):
    put_application(table(), province="23", county="01")
    reply = invoke("inspectors", load_event("inspectors_list_applications"))
    assert reply.status == 200 and len(reply.json["items"]) == 1


# ---------------------------------------------------------------- the inspector list


def _inspectors_of_fars() -> None:
    put_inspector(code="0702400002", status="ACTIVE")
    put_inspector(code="0701400001", status="ACTIVE")
    put_inspector(code="0701400002", status="SUSPENDED")
    put_inspector(code="0703400001", status="REVOKED")
    put_inspector(code="2301400001", status="ACTIVE")


def test_the_inspector_list_is_in_county_then_code_order_with_every_status(aws):
    _inspectors_of_fars()
    reply = inspectors("07", officer("07"))
    assert reply.status == 200
    items = reply.json["items"]
    assert [item["inspectorCode"] for item in items] == ["0701400001", "0701400002", "0702400002", "0703400001"]
    assert [item["status"] for item in items] == ["ACTIVE", "SUSPENDED", "ACTIVE", "REVOKED"]
    assert set(items[0]) == {
        "inspectorCode",
        "applicationId",
        "provinceCode",
        "countyCode",
        "status",
        "issuedAt",
        "firstName",
        "lastName",
    }


def test_the_inspector_list_filters_by_county_and_status(aws):
    _inspectors_of_fars()
    by_county = inspectors("07", officer("07"), county="01").json["items"]
    assert [item["inspectorCode"] for item in by_county] == ["0701400001", "0701400002"]
    active = inspectors("07", officer("07"), status="ACTIVE").json["items"]
    assert [item["inspectorCode"] for item in active] == ["0701400001", "0702400002"]
    both = inspectors("07", officer("07"), county="01", status="SUSPENDED").json["items"]
    assert [item["inspectorCode"] for item in both] == ["0701400002"]


def test_the_inspector_list_pages_with_a_status_filter_without_skipping(aws):
    for sequence in range(1, 8):
        put_inspector(code=f"060140{sequence:04d}", status="ACTIVE" if sequence % 2 else "SUSPENDED")
    seen: list[str] = []
    cursor = None
    while True:
        query = {"status": "ACTIVE", "limit": "1"} | ({"cursor": cursor} if cursor else {})
        page = inspectors("06", officer("06"), **query).json
        seen += [item["inspectorCode"] for item in page["items"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert seen == ["0601400001", "0601400003", "0601400005", "0601400007"]


def test_a_cursor_of_another_province_is_refused(aws):
    for sequence in range(1, 4):
        put_inspector(code=f"050140{sequence:04d}")
    cursor = inspectors("05", hq_admin(), limit="1").json["nextCursor"]
    reply = inspectors("04", hq_admin(), cursor=cursor)
    assert reply.status == 422 and reply.json["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize("query", [{"county": "1"}, {"county": "۰1۱"}, {"status": "APPROVED"}, {"limit": "500"}])
def test_bad_inspector_list_parameters_are_validation_problems(aws, query):
    reply = inspectors("23", officer("23"), **query)
    assert reply.status == 422 and reply.json["errors"][0]["field"] in query


def test_persian_digits_in_the_path_and_query_are_read_as_ascii(aws):
    put_inspector(code="2301400009")
    reply = inspectors("۲۳", officer("23"), county="۰۱", limit="۵")
    assert reply.status == 200 and [i["inspectorCode"] for i in reply.json["items"]] == ["2301400009"]


def test_the_sample_event_lists_inspectors(aws):
    put_inspector(code="2301400007")
    reply = invoke("inspectors", load_event("inspectors_list"))
    assert reply.status == 200 and [i["inspectorCode"] for i in reply.json["items"]] == ["2301400007"]


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize("lister", [applications, inspectors])
def test_hq_reads_but_other_roles_and_provinces_are_forbidden(aws, lister):
    assert lister("23", hq_admin()).status == 200
    assert lister("23", officer("23")).status == 200
    for caller in (officer("07"), claims(), claims("inspector"), claims("province-officer")):
        reply = lister("23", caller)
        assert reply.status == 403 and reply.json["type"] == "forbidden"


@pytest.mark.parametrize("lister", [applications, inspectors])
def test_an_unknown_province_is_not_found_for_hq(aws, lister):
    assert lister("99", hq_admin()).status == 404
    assert lister("99", officer("23")).status == 403
