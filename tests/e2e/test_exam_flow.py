"""The exam over HTTP against the local stack: training → attempt → graded → announced → APPROVED."""

from __future__ import annotations

from typing import Any

import boto3
import jwt
import pytest

from tests.support.exam_factories import answers_for, put_application_in

pytestmark = pytest.mark.e2e


def stack_table(stack) -> Any:
    dynamodb = boto3.resource(
        "dynamodb",
        endpoint_url=stack.descriptor["awsEndpoint"],
        region_name=stack.descriptor["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return dynamodb.Table(stack.descriptor["tableName"])


def applicant_in_training(stack, province: str = "23") -> tuple[str, dict[str, Any]]:
    """A signed-up citizen whose application (written straight into the table) is in TRAINING."""
    username, token = stack.sign_up()
    sub = jwt.decode(token, options={"verify_signature": False})["sub"]
    application = put_application_in(stack_table(stack), "TRAINING", sub=sub, username=username, province=province)
    return token, application


def answer_key_from_admin_list(stack, hq: str) -> dict[str, str]:
    key: dict[str, str] = {}
    cursor = None
    while True:
        reply = stack.call(
            "GET", "/admin/questions", hq, params={"limit": 100, **({"cursor": cursor} if cursor else {})}
        )
        assert reply.status_code == 200, reply.text
        key |= {q["questionId"]: q["correctChoiceId"] for q in reply.json()["items"]}
        cursor = reply.json()["nextCursor"]
        if not cursor:
            return key


def stored_application(stack, application_id: str) -> dict[str, Any]:
    item: dict[str, Any] = stack_table(stack).get_item(Key={"pk": f"APP#{application_id}", "sk": "APP"})["Item"]
    return item


def province_queue(stack, province: str) -> set[str]:
    """Application ids in a province's APPROVED queue, as its officer sees them."""
    reply = stack.call("GET", f"/provinces/{province}/applications", stack.demo_token("province-officer", province))
    assert reply.status_code == 200, reply.text
    return {item["applicationId"] for item in reply.json()["items"]}


def test_training_to_approved_over_http(stack):
    token, application = applicant_in_training(stack)
    hq = stack.demo_token("hq-admin")

    started = stack.call("POST", "/exam/attempts", token)
    assert started.status_code == 201, started.text
    assert "correctChoiceId" not in started.text
    attempt = started.json()
    assert len(attempt["questions"]) == 20

    key = answer_key_from_admin_list(stack, hq)
    assert len(key) >= 40
    submitted = stack.call(
        "POST", f"/exam/attempts/{attempt['attemptId']}/submission", token, json={"answers": answers_for(attempt, key)}
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json() == {
        "score": 100,
        "correct": 20,
        "total": 20,
        "passed": True,
        "applicationStatus": "EXAM_PASSED",
    }
    again = stack.call("POST", f"/exam/attempts/{attempt['attemptId']}/submission", token, json={"answers": []})
    assert again.status_code == 409 and again.json()["type"] == "attempt-submitted"
    shown = stack.call("GET", f"/exam/attempts/{attempt['attemptId']}", token)
    assert shown.json()["status"] == "SUBMITTED" and "correctChoiceId" not in shown.text

    announced = stack.call(
        "POST",
        "/admin/announcements",
        hq,
        json={"provinceCode": "23", "applicationIds": [application["applicationId"]]},
    )
    assert announced.status_code == 200, announced.text
    assert announced.json()["results"] == [{"applicationId": application["applicationId"], "outcome": "approved"}]
    assert stored_application(stack, application["applicationId"])["status"] == "APPROVED"
    assert application["applicationId"] in province_queue(stack, "23")
    assert application["applicationId"] not in province_queue(stack, "07")


def test_a_failed_attempt_over_http(stack):
    token, application = applicant_in_training(stack)
    attempt = stack.call("POST", "/exam/attempts", token).json()
    key = answer_key_from_admin_list(stack, stack.demo_token("hq-admin"))
    reply = stack.call(
        "POST",
        f"/exam/attempts/{attempt['attemptId']}/submission",
        token,
        json={"answers": answers_for(attempt, key, correct=5)},
    )
    assert reply.json() == {"score": 25, "correct": 5, "total": 20, "passed": False, "applicationStatus": "EXAM_FAILED"}
    refused = stack.call("POST", "/exam/attempts", token, headers={"Accept-Language": "fa"})
    assert refused.status_code == 409 and refused.json()["type"] == "cooldown-active"
    stored = stored_application(stack, application["applicationId"])
    assert stored["status"] == "EXAM_FAILED" and int(stored["examAttemptsUsed"]) == 1


def test_only_hq_reaches_admin_routes_over_http(stack):
    officer = stack.demo_token("province-officer", "23")
    _, citizen = stack.sign_up()
    for path in ("/admin/questions", "/admin/exam-settings", "/admin/liaisons"):
        assert stack.call("GET", path).status_code == 401
        for token in (officer, citizen):
            reply = stack.call("GET", path, token)
            assert reply.status_code == 403 and reply.json()["type"] == "forbidden"
        assert stack.call("GET", path, stack.demo_token("hq-admin")).status_code == 200
    reply = stack.call("PUT", "/admin/exam-settings", officer, json={"questionsPerAttempt": 1})
    assert reply.status_code == 403
    assert stack.call("POST", "/exam/attempts").status_code == 401
