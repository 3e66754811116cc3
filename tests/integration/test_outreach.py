"""GET/POST /provinces/{p}/outreach-activities: the province's recruitment log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nazer.jalali import tehran_date
from tests.support.events import api_event, claims
from tests.support.lambdas import invoke
from tests.support.reports_factories import hq, officer

ACTIVITY = {
    "date": "1403/07/05",
    "type": "neighbourhood_councils",
    "title": "جلسه با شورایاری محله",
    "description": "معرفی طرح ناظران افتخاری",
    "peopleReached": 45,
}


def log(body, province="23", caller=None, headers=None):
    event = api_event(
        "POST",
        f"/provinces/{province}/outreach-activities",
        resource="/provinces/{provinceCode}/outreach-activities",
        path_parameters={"provinceCode": province},
        body=body,
        caller=caller or officer(province),
        headers=headers,
    )
    return invoke("reports", event)


def listing(province="23", caller=None, **query):
    event = api_event(
        "GET",
        f"/provinces/{province}/outreach-activities",
        resource="/provinces/{provinceCode}/outreach-activities",
        path_parameters={"provinceCode": province},
        query=query or None,
        caller=caller or officer(province),
    )
    return invoke("reports", event)


def test_an_officer_logs_an_activity_and_reads_the_log_newest_first(aws):
    first = log(ACTIVITY)
    assert first.status == 201, first.text
    stored = first.json
    assert stored["provinceCode"] == "23" and stored["date"] == "1403/07/05" and stored["peopleReached"] == 45
    assert {"activityId", "type", "title", "description", "createdAt"} <= set(stored)
    later = log(ACTIVITY | {"date": "1403/08/01", "type": "public_call", "title": "فراخوان عمومی"}).json
    reply = listing()
    assert reply.status == 200
    assert [item["activityId"] for item in reply.json["items"]] == [later["activityId"], stored["activityId"]]


def test_the_log_filters_by_jalali_month_and_paginates(aws):
    for day in ("1403/06/31", "1403/07/01", "1403/07/15", "1403/07/30", "1403/08/01"):
        assert log(ACTIVITY | {"date": day}).status == 201
    july = listing(period="1403-07")
    assert [item["date"] for item in july.json["items"]] == ["1403/07/30", "1403/07/15", "1403/07/01"]
    page = listing(limit="2")
    rest = listing(limit="2", cursor=page.json["nextCursor"])
    assert len(page.json["items"]) == 2 and len(rest.json["items"]) == 2
    assert listing(period="1403-13").status == 422


def test_hq_reads_every_province_log_but_only_the_province_writes_it(aws):
    assert log(ACTIVITY).status == 201
    assert len(listing(caller=hq()).json["items"]) == 1
    assert log(ACTIVITY, caller=hq()).status == 403
    assert log(ACTIVITY, "23", caller=officer("10")).status == 403
    assert listing("23", caller=officer("10")).status == 403
    assert listing(caller=claims("inspector")).status == 403
    assert listing("77", caller=hq()).status == 404


def test_a_future_date_is_refused(aws):
    tomorrow = tehran_date(datetime.now(UTC) + timedelta(days=1))
    body = ACTIVITY | {"date": f"{tomorrow.year:04d}/{tomorrow.month:02d}/{tomorrow.day:02d}"}
    reply = log(body)
    assert reply.status == 422 and reply.json["errors"][0]["field"] == "date"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"date": "1403/7/5"}, "date"), ({"type": "party"}, "type"), ({"peopleReached": -3}, "peopleReached")],
)
def test_invalid_activities_are_422_on_their_field(aws, changes, field):
    reply = log(ACTIVITY | changes, headers={"Accept-Language": "fa"})
    assert reply.status == 422
    assert [err["field"] for err in reply.json["errors"]] == [field]
    assert reply.json["title"] == "درخواست نامعتبر است"


def test_a_repeated_post_with_its_key_logs_once(aws):
    key = {"Idempotency-Key": "outreach-000000001"}
    assert log(ACTIVITY, headers=key).json == log(ACTIVITY, headers=key).json
    assert len(listing().json["items"]) == 1
