"""GET /admin/applications: HQ's list by status and province, newest first, paginated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.applications_factories import get_route
from tests.support.events import claims
from tests.support.factories import put_application

HQ = claims("hq-admin")
T0 = datetime(2024, 9, 1, tzinfo=UTC)


def ids(reply) -> list[str]:
    return [item["applicationId"] for item in reply.json["items"]]


def put(status: str, province: str, minutes: int) -> str:
    county = "03" if province == "31" else "01"
    item = put_application(status, province=province, county=county, created_at=T0 + timedelta(minutes=minutes))
    return str(item["applicationId"])


@pytest.fixture
def spread(aws):
    """Applications in two provinces and three statuses, created a minute apart."""
    return {
        "passed_23_old": put("EXAM_PASSED", "23", 1),
        "passed_31": put("EXAM_PASSED", "31", 2),
        "training_23": put("TRAINING", "23", 3),
        "passed_23_new": put("EXAM_PASSED", "23", 4),
        "submitted_31": put("SUBMITTED", "31", 5),
    }


def test_by_status_newest_first(spread):
    reply = get_route("/admin/applications", HQ, {"status": "EXAM_PASSED"})
    assert reply.status == 200
    assert ids(reply) == [spread["passed_23_new"], spread["passed_31"], spread["passed_23_old"]]
    assert reply.json["nextCursor"] is None
    item = reply.json["items"][0]
    assert {"nationalId", "firstName", "status", "exam", "inspectorCode", "trainingDownloadedAt"} <= set(item)


def test_by_province_every_status(spread):
    reply = get_route("/admin/applications", HQ, {"province": "31"})
    assert ids(reply) == [spread["submitted_31"], spread["passed_31"]]


def test_by_province_and_status(spread):
    reply = get_route("/admin/applications", HQ, {"province": "23", "status": "EXAM_PASSED"})
    assert ids(reply) == [spread["passed_23_new"], spread["passed_23_old"]]


def test_without_filters_it_is_hqs_queue_of_passed_applications(spread):
    reply = get_route("/admin/applications", HQ)
    assert ids(reply) == [spread["passed_23_new"], spread["passed_31"], spread["passed_23_old"]]


def test_pages_follow_the_cursor_without_gaps_or_repeats(spread):
    first = get_route("/admin/applications", HQ, {"status": "EXAM_PASSED", "limit": "2"})
    assert ids(first) == [spread["passed_23_new"], spread["passed_31"]]
    cursor = first.json["nextCursor"]
    assert cursor
    second = get_route("/admin/applications", HQ, {"status": "EXAM_PASSED", "limit": "2", "cursor": cursor})
    assert ids(second) == [spread["passed_23_old"]]
    assert second.json["nextCursor"] is None


def test_a_cursor_of_another_list_is_refused(spread):
    cursor = get_route("/admin/applications", HQ, {"status": "EXAM_PASSED", "limit": "1"}).json["nextCursor"]
    reply = get_route("/admin/applications", HQ, {"status": "TRAINING", "cursor": cursor})
    assert reply.status == 422 and reply.json["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "WAITING"}, "status"),
        ({"province": "2"}, "province"),
        ({"province": "99"}, "province"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_parameters_are_field_level_422(aws, query, field):
    reply = get_route("/admin/applications", HQ, query)
    assert reply.status == 422, reply.text
    assert [error["field"] for error in reply.json["errors"]] == [field]


@pytest.mark.parametrize("caller", [claims(), claims("province-officer", province="23"), claims("inspector")])
def test_only_hq_may_list(aws, caller):
    reply = get_route("/admin/applications", caller, {"status": "EXAM_PASSED"})
    assert reply.status == 403 and reply.json["type"] == "forbidden"


def test_without_a_token_it_is_401(aws):
    assert get_route("/admin/applications", None).status == 401
