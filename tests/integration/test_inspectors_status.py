"""POST /provinces/{p}/inspectors/{code}/status: SUSPENDED ⇄ ACTIVE, REVOKED final, mirrored on the
application; and the repair of Cognito group memberships."""

from __future__ import annotations

import pytest

from nazer.aws import cognito_client, table
from nazer.dal import inspectors as repository
from nazer.logic.inspectors import repair_inspector_groups
from nazer.settings import get_settings
from tests.support.events import claims, load_event
from tests.support.factories import put_inspector
from tests.support.inspectors_factories import (
    hq_admin,
    issue_event,
    officer,
    put_application,
    read_counter,
    status_event,
)
from tests.support.lambdas import invoke

REASON = "گزارش‌های بی‌اساس مکرر"


def change(code: str, status: str, reason: str | None = REASON, province: str = "23", caller=None, headers=None):
    body = {"status": status} | ({"reason": reason} if reason is not None else {})
    return invoke("inspectors", status_event(province, code, body, caller or officer(province), headers))


def application_of(inspector: dict) -> dict:
    key = {"pk": f"APP#{inspector['applicationId']}", "sk": "APP"}
    return table().get_item(Key=key, ConsistentRead=True)["Item"]


def pool_user(username: str, *groups: str) -> None:
    pool = get_settings().user_pool_id
    cognito_client().admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS")
    for group in groups:
        cognito_client().admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName=group)


def inspector_of(username: str, code: str, status: str = "ACTIVE") -> None:
    """An inspector record (and application) whose Cognito username is ``username``."""
    put_inspector(code=code, status=status)
    table().update_item(
        Key=repository.inspector_key(code),
        UpdateExpression="SET username = :u",
        ExpressionAttributeValues={":u": username},
    )


def groups_of(username: str) -> set[str]:
    reply = cognito_client().admin_list_groups_for_user(UserPoolId=get_settings().user_pool_id, Username=username)
    return {group["GroupName"] for group in reply["Groups"]}


def test_suspending_mirrors_the_status_on_the_application(aws):
    # Given an active inspector
    _, inspector = put_inspector(code="2301400031")
    # When the officer suspends them with a reason
    reply = change("2301400031", "SUSPENDED")
    # Then both the inspector and the application are SUSPENDED, with the reason
    assert reply.status == 200
    assert reply.json["status"] == "SUSPENDED" and reply.json["statusReason"] == REASON
    assert reply.json["inspectorCode"] == "2301400031" and reply.json["updatedAt"]
    stored = repository.get("2301400031")
    assert stored is not None and stored["status"] == "SUSPENDED" and stored["statusReason"] == REASON
    application = application_of(inspector)
    assert application["status"] == "SUSPENDED" and application["inspectorStatusReason"] == REASON
    assert application["gsi2pk"] == "APPPROV#23#SUSPENDED"


def test_a_suspended_inspector_can_be_reactivated(aws):
    _, inspector = put_inspector(code="2301400032", status="SUSPENDED")
    reply = change("2301400032", "ACTIVE", "رفع مشکل پس از بررسی")
    assert reply.status == 200 and reply.json["status"] == "ACTIVE"
    assert application_of(inspector)["status"] == "ACTIVE"


@pytest.mark.parametrize("start", ["ACTIVE", "SUSPENDED"])
def test_revocation_is_final(aws, start):
    code = "2301400033" if start == "ACTIVE" else "2301400034"
    _, inspector = put_inspector(code=code, status=start)
    assert change(code, "REVOKED").status == 200
    assert application_of(inspector)["status"] == "REVOKED"
    for target in ("ACTIVE", "SUSPENDED", "REVOKED"):
        reply = change(code, target)
        assert reply.status == 409 and reply.json["type"] == "invalid-state"
    assert repository.get(code)["status"] == "REVOKED"


def test_a_move_to_the_same_status_is_an_invalid_state(aws):
    put_inspector(code="2301400035")
    reply = change("2301400035", "ACTIVE", headers={"Accept-Language": "fa"})
    assert reply.status == 409 and "«فعال»" in reply.json["detail"]


def test_a_revoked_code_is_never_issued_again(aws):
    # Given county 40 of Tehran issued codes 1 and 2, and code 2 is revoked
    first, second, third = (put_application(table(), province="23", county="40") for _ in range(3))
    for application in (first, second):
        assert (
            invoke("inspectors", issue_event("23", {"applicationId": application["applicationId"]}, officer())).status
            == 201
        )
    assert change("2340400002", "REVOKED").status == 200
    # When the next applicant is issued
    reply = invoke("inspectors", issue_event("23", {"applicationId": third["applicationId"]}, officer()))
    # Then the sequence moves on: the revoked number stays taken
    assert reply.json["inspectorCode"] == "2340400003"
    assert read_counter(table(), "23", "40") == 3
    assert (
        table().get_item(Key=repository.code_guard_key("2340400002"))["Item"]["applicationId"]
        == second["applicationId"]
    )


@pytest.mark.parametrize(
    "body",
    [
        {"status": "SUSPENDED"},
        {"status": "SUSPENDED", "reason": ""},
        {"status": "SUSPENDED", "reason": "   "},
        {"status": "SUSPENDED", "reason": "x" * 501},
        {"status": "PAUSED", "reason": REASON},
        {"reason": REASON},
        {"status": "SUSPENDED", "reason": REASON, "by": "me"},
    ],
)
def test_a_status_change_needs_a_known_status_and_a_reason(aws, body):
    put_inspector(code="2301400036")
    reply = invoke("inspectors", status_event("23", "2301400036", body, officer()))
    assert reply.status == 422 and reply.json["type"] == "validation-error"
    assert repository.get("2301400036")["status"] == "ACTIVE"


def test_a_missing_reason_is_explained_in_persian(aws):
    put_inspector(code="2301400037")
    reply = change("2301400037", "SUSPENDED", reason=" ", headers={"Accept-Language": "fa"})
    assert reply.json["errors"] == [{"field": "reason", "message": "ذکر دلیل الزامی است"}]


@pytest.mark.parametrize("code", ["2301400099", "abc", "0701400001", "23014000"])
def test_an_unknown_or_foreign_code_is_not_found(aws, code):
    put_inspector(code="0701400001")
    reply = change(code, "SUSPENDED")
    assert reply.status == 404 and reply.json["type"] == "not-found"
    assert repository.get("0701400001")["status"] == "ACTIVE"


def test_only_the_provinces_officer_may_change_a_status(aws):
    put_inspector(code="2301400038")
    for caller in (hq_admin(), officer("07"), claims(), claims("inspector")):
        assert change("2301400038", "SUSPENDED", caller=caller).status == 403
    assert repository.get("2301400038")["status"] == "ACTIVE"


def test_the_sample_event_suspends(aws):
    put_inspector(code="2301400007")
    reply = invoke("inspectors", load_event("inspectors_status"))
    assert reply.status == 200 and reply.json["status"] == "SUSPENDED"


def test_an_idempotency_key_replays_the_status_change(aws):
    put_inspector(code="2301400039")
    caller = officer()
    headers = {"Idempotency-Key": "b7d1e0c2-5f3a-4e8b-9c6d-2a1f0e9d8c7b"}
    first = change("2301400039", "SUSPENDED", caller=caller, headers=headers)
    again = change("2301400039", "SUSPENDED", caller=caller, headers=headers)
    assert first.status == again.status == 200 and again.json == first.json


# ---------------------------------------------------------------- the group


def test_revoking_removes_the_group_and_suspension_keeps_it(aws):
    # Given two inspectors in the group
    pool_user("+989121120001", "inspector")
    pool_user("+989121120002", "inspector")
    inspector_of("+989121120001", "2301400041")
    inspector_of("+989121120002", "2301400042")
    # When one is suspended and the other revoked
    assert change("2301400041", "SUSPENDED").status == 200
    assert change("2301400042", "REVOKED").status == 200
    # Then only the revoked one leaves the group
    assert groups_of("+989121120001") == {"inspector"}
    assert groups_of("+989121120002") == set()


def test_repair_grants_missing_memberships_and_removes_revoked_ones(aws):
    # Given an active inspector whose grant failed and a revoked one still in the group
    pool_user("+989121130001")
    pool_user("+989121130002", "inspector")
    inspector_of("+989121130001", "2101400001", "ACTIVE")
    inspector_of("+989121130002", "2101400002", "REVOKED")
    inspector_of("+989121130099", "2101400003", "SUSPENDED")  # no such user: counted as failed
    # When the province's groups are repaired
    summary = repair_inspector_groups("21")
    # Then memberships match the statuses
    assert (summary.checked, summary.failed) == (3, 1)
    assert groups_of("+989121130001") == {"inspector"}
    assert groups_of("+989121130002") == set()


def test_the_repair_command_reports_per_province(aws, capsys):
    from infra.repair_inspector_groups import main

    pool_user("+989121140001")
    inspector_of("+989121140001", "2201400001")
    assert main(["--province", "22"]) == 0
    assert "province 22: 1 inspectors checked, 0 failed" in capsys.readouterr().out
    assert groups_of("+989121140001") == {"inspector"}
    with pytest.raises(SystemExit):
        main(["--province", "99"])
