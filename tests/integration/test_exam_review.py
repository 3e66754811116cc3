"""HQ's review through the handler: announcements with per-id outcomes, rejections, liaisons."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from nazer.dal import applications, stats
from nazer.jalali import Period
from tests.support.events import api_event, claims
from tests.support.factories import put_application
from tests.support.lambdas import invoke

HQ = claims("hq-admin")


def call(method, path, body=None, caller=HQ, **kwargs):
    return invoke("exam", api_event(method, path, body=body, caller=caller, **kwargs))


def announce(province, ids, **kwargs):
    return call("POST", "/admin/announcements", {"provinceCode": province, "applicationIds": ids}, **kwargs)


def test_announcement_gives_one_outcome_per_id(aws):
    passed = put_application("EXAM_PASSED", province="23", county="05")
    other_province = put_application("EXAM_PASSED", province="07")
    still_training = put_application("TRAINING", province="23")
    already = put_application("APPROVED", province="23")
    missing = "0b6e1a2c-3d4f-4a5b-9c8d-7e6f5a4b3c2d"
    ids = [
        passed["applicationId"],
        other_province["applicationId"],
        still_training["applicationId"],
        already["applicationId"],
        missing,
        "../../etc",
        passed["applicationId"],
    ]
    reply = announce("23", ids)
    assert reply.status == 200, reply.text
    assert reply.json == {
        "results": [
            {"applicationId": passed["applicationId"], "outcome": "approved"},
            {"applicationId": other_province["applicationId"], "outcome": "wrong_province"},
            {"applicationId": still_training["applicationId"], "outcome": "wrong_status"},
            {"applicationId": already["applicationId"], "outcome": "approved"},
            {"applicationId": missing, "outcome": "not_found"},
            {"applicationId": "../../etc", "outcome": "not_found"},
        ]
    }
    stored = applications.get(passed["applicationId"])
    assert stored["status"] == "APPROVED" and stored["announcedAt"]
    assert stored["gsi2pk"] == "APPPROV#23#APPROVED"
    assert applications.get(other_province["applicationId"])["status"] == "EXAM_PASSED"
    assert applications.get(still_training["applicationId"])["status"] == "TRAINING"
    queue = applications.list_by_province("23", "APPROVED", 50, None).items
    assert passed["applicationId"] in {item["applicationId"] for item in queue}

    # Counted once, in the month it happened, for the applicant's county.
    counters = stats.read_period(Period.of(datetime.now(UTC)), "23")
    assert counters["05"]["announced"] == 1
    again = announce("23", [passed["applicationId"]])
    assert again.json["results"] == [{"applicationId": passed["applicationId"], "outcome": "approved"}]
    assert stats.read_period(Period.of(datetime.now(UTC)), "23")["05"]["announced"] == 1


def test_an_announcement_that_approves_nothing_is_still_200(aws):
    reply = announce("23", ["nobody"])
    assert reply.status == 200 and reply.json["results"][0]["outcome"] == "not_found"


def test_announcement_validation(aws):
    for body in (
        {"provinceCode": "23", "applicationIds": [str(i) for i in range(101)]},
        {"provinceCode": "23", "applicationIds": []},
        {"provinceCode": "77", "applicationIds": ["a"]},
        {"provinceCode": "23"},
        {"provinceCode": "23", "applicationIds": ["a" * 65]},
    ):
        reply = call("POST", "/admin/announcements", body)
        assert reply.status == 422 and reply.json["type"] == "validation-error", body


def test_a_passed_or_approved_application_can_be_rejected_with_a_reason(aws):
    for status in ("EXAM_PASSED", "APPROVED"):
        application = put_application(status)
        path = f"/admin/applications/{application['applicationId']}/rejection"
        reply = call("POST", path, {"reason": "  تعارض منافع: مالک واحد صنفي  "})
        assert reply.status == 200, reply.text
        assert reply.json["status"] == "REJECTED"
        assert reply.json["rejectionReason"] == "تعارض منافع: مالک واحد صنفی"
        stored = applications.get(application["applicationId"])
        assert stored["status"] == "REJECTED" and stored["gsi1pk"] == "APPSTATUS#REJECTED"
        assert stored["rejectionReason"] == reply.json["rejectionReason"]
        again = call("POST", path, {"reason": "دوباره"})
        assert again.status == 409 and again.json["type"] == "invalid-state"


def test_rejection_refusals(aws):
    training = put_application("TRAINING")
    reply = call(
        "POST",
        f"/admin/applications/{training['applicationId']}/rejection",
        {"reason": "دلیل"},
        headers={"Accept-Language": "fa"},
    )
    assert reply.status == 409 and reply.json["type"] == "invalid-state" and re.search("[آ-ی]", reply.json["detail"])
    assert call("POST", "/admin/applications/nope/rejection", {"reason": "دلیل"}).status == 404
    for body in ({"reason": "   "}, {}, {"reason": "ا" * 501}):
        assert call("POST", f"/admin/applications/{training['applicationId']}/rejection", body).status == 422


def test_liaisons_are_named_and_listed_for_every_directorate(aws):
    listed = call("GET", "/admin/liaisons").json["items"]
    assert len(listed) == 32 and all(item["fullName"] is None for item in listed)

    body = {"fullName": "مهدي رحيمي", "phone": "۰۲۱-۸۸۹۰۱۲۳۴", "email": "Liaison@Example.ir"}
    saved = call("PUT", "/admin/provinces/23/liaison", body)
    assert saved.status == 200, saved.text
    assert saved.json["fullName"] == "مهدی رحیمی" and saved.json["phone"] == "02188901234"
    assert saved.json["email"] == "liaison@example.ir" and saved.json["provinceCode"] == "23"
    call("PUT", "/admin/provinces/23/liaison", body | {"fullName": "سارا نوری", "email": None})

    listed = call("GET", "/admin/liaisons").json["items"]
    tehran = next(item for item in listed if item["provinceCode"] == "23")
    assert tehran["fullName"] == "سارا نوری" and tehran["email"] is None and tehran["updatedAt"]
    assert [item["provinceCode"] for item in listed] == sorted(item["provinceCode"] for item in listed)


def test_liaison_refusals(aws):
    good = {"fullName": "علی", "phone": "09121234567"}
    assert call("PUT", "/admin/provinces/99/liaison", good).status == 404
    assert call("PUT", "/admin/provinces/2/liaison", good).status == 404
    reply = call("PUT", "/admin/provinces/23/liaison", good | {"phone": "12"})
    assert reply.status == 422 and reply.json["errors"][0]["field"] == "phone"
