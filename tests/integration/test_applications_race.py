"""Concurrent applications against the locked moto server: exactly one wins, the other hears 409."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from boto3.dynamodb.conditions import Attr, Key

from nazer.auth import Caller
from nazer.aws import table
from nazer.dal import applications
from nazer.errors import DomainError
from nazer.jalali import now_utc
from nazer.logic.applications import create_application
from nazer.models.applications import ApplicationRequest
from tests.support.applications_factories import application_body
from tests.support.factories import valid_national_id


def applicant() -> Caller:
    sub = str(uuid.uuid4())
    return Caller(sub=sub, username=f"+98912{uuid.uuid4().int % 10**7:07d}", groups=frozenset(), province=None)


def race(attempts: list[tuple[Caller, ApplicationRequest]]) -> list[str]:
    """Run the applications at the same moment; each outcome is "created" or the problem's slug."""
    start = Barrier(len(attempts))

    def apply(attempt: tuple[Caller, ApplicationRequest]) -> str:
        caller, form = attempt
        start.wait()
        try:
            create_application(caller, form, now_utc())
        except DomainError as error:
            return error.slug
        return "created"

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(apply, attempts))


def stored_with_national_id(national_id: str) -> list[dict]:
    reply = table().query(
        IndexName="GSI1",
        KeyConditionExpression=Key("gsi1pk").eq("APPSTATUS#SUBMITTED"),
        FilterExpression=Attr("nationalId").eq(national_id),
    )
    items = reply["Items"]
    while "LastEvaluatedKey" in reply:
        reply = table().query(
            IndexName="GSI1",
            KeyConditionExpression=Key("gsi1pk").eq("APPSTATUS#SUBMITTED"),
            FilterExpression=Attr("nationalId").eq(national_id),
            ExclusiveStartKey=reply["LastEvaluatedKey"],
        )
        items += reply["Items"]
    return items


def test_two_accounts_racing_with_one_national_id(served):
    # Given two accounts submitting the same national ID at the same moment, many times over
    for _ in range(5):
        national_id = valid_national_id()
        first, second = applicant(), applicant()
        form = ApplicationRequest.model_validate(application_body(nationalId=national_id))
        # When both apply
        outcomes = race([(first, form), (second, form)])
        # Then exactly one application exists, and the other account was told the ID is taken
        assert sorted(outcomes) == ["created", "national-id-taken"]
        stored = stored_with_national_id(national_id)
        assert len(stored) == 1
        winner = first if outcomes[0] == "created" else second
        loser = second if winner is first else first
        assert stored[0]["userSub"] == winner.sub
        assert applications.application_id_of_user(loser.sub) is None


def test_one_account_racing_with_two_forms(served):
    for _ in range(5):
        caller = applicant()
        forms = [ApplicationRequest.model_validate(application_body()) for _ in range(2)]
        outcomes = race([(caller, forms[0]), (caller, forms[1])])
        assert sorted(outcomes) == ["application-exists", "created"]
        winner, loser = (forms[0], forms[1]) if outcomes[0] == "created" else (forms[1], forms[0])
        assert len(stored_with_national_id(winner.national_id)) == 1
        # The losing form's national ID stays free: nothing of it was written
        assert stored_with_national_id(loser.national_id) == []
        assert "Item" not in table().get_item(Key=applications.national_id_guard_key(loser.national_id))


def test_one_account_double_submitting_the_same_form(served):
    caller = applicant()
    form = ApplicationRequest.model_validate(application_body())
    outcomes = race([(caller, form)] * 4)
    assert sorted(outcomes) == ["application-exists"] * 3 + ["created"]
    assert len(stored_with_national_id(form.national_id)) == 1
