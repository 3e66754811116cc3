"""Exam attempts repository, and the exam summary it keeps on the application item.

Item: ``pk=ATTEMPT#<attemptId>``, ``sk=ATTEMPT``; GSI1 ``APPATTEMPTS#<applicationId>`` /
``<startedAt>``. An attempt holds the snapshot it was drawn with (``settings``, ``questions`` with
texts, shuffled choices and ``correctChoiceId``), ``status`` ``OPEN`` → ``SUBMITTED`` | ``EXPIRED``
and, once graded, ``gradedAt``, ``answers``, ``correct``, ``total``, ``score``, ``passed``,
``applicationStatus`` (and ``submittedAt`` when the applicant submitted).

Starting and grading are single transactions with the application item (its exam summary:
``examAttemptsUsed``, ``examOpenAttemptId``, ``examBestScore``, ``examLastAttemptAt``) and the
monthly counters, so an attempt, the application and the figures never disagree. An attempt is
graded at most once: the grading write is conditional on ``gradedAt`` being absent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nazer.aws import table
from nazer.dal.applications import application_key, status_update
from nazer.dal.base import plain, query_page
from nazer.domain.exam import ExamSettings

ATTEMPT_SK = "ATTEMPT"
OPEN = "OPEN"
SUBMITTED = "SUBMITTED"
EXPIRED = "EXPIRED"


def attempt_key(attempt_id: str) -> dict[str, str]:
    return {"pk": f"ATTEMPT#{attempt_id}", "sk": ATTEMPT_SK}


def attempt_item(
    *,
    attempt_id: str,
    application: dict[str, Any],
    number: int,
    started_at: str,
    deadline: str,
    settings: ExamSettings,
    questions: list[dict[str, Any]],
) -> dict[str, Any]:
    """A new, open attempt with its snapshot of settings and questions (key included: server only)."""
    return {
        **attempt_key(attempt_id),
        "gsi1pk": f"APPATTEMPTS#{application['applicationId']}",
        "gsi1sk": started_at,
        "type": "attempt",
        "attemptId": attempt_id,
        "applicationId": application["applicationId"],
        "userSub": application["userSub"],
        "provinceCode": application["provinceCode"],
        "countyCode": application["countyCode"],
        "number": number,
        "status": OPEN,
        "startedAt": started_at,
        "deadline": deadline,
        "settings": settings.as_item(),
        "questions": [
            {
                "questionId": question["questionId"],
                "text": question["text"],
                "category": question.get("category", ""),
                "choices": [{"choiceId": c["choiceId"], "text": c["text"]} for c in question["choices"]],
                "correctChoiceId": question["correctChoiceId"],
            }
            for question in questions
        ],
    }


def get(attempt_id: str) -> dict[str, Any] | None:
    item = table().get_item(Key=attempt_key(attempt_id), ConsistentRead=True).get("Item")
    return plain(item) if item else None


def list_for_application(application_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """An application's attempts, newest first."""
    page = query_page(table(), index="GSI1", partition=("gsi1pk", f"APPATTEMPTS#{application_id}"), limit=limit)
    return [plain(item) for item in page.items]


def start_operations(
    attempt: dict[str, Any],
    application: dict[str, Any],
    *,
    startable_statuses: Iterable[str],
    max_attempts: int,
    cooldown_edge: str,
    now: str,
    counter: dict[str, Any],
) -> list[dict[str, Any]]:
    """Put the attempt; count it on the application, conditional on every rule of starting.

    The application must still be in a startable status, with no open attempt, fewer than
    ``max_attempts`` used, and its last attempt ended at or before ``cooldown_edge``; so two
    concurrent starts can never both succeed.
    """
    statuses = list(startable_statuses)
    values: dict[str, Any] = {f":s{i}": status for i, status in enumerate(statuses)}
    values |= {
        ":attempt": attempt["attemptId"],
        ":zero": 0,
        ":one": 1,
        ":max": max_attempts,
        ":edge": cooldown_edge,
        ":now": now,
    }
    condition = (
        f"#status IN ({', '.join(f':s{i}' for i in range(len(statuses)))})"
        " AND attribute_not_exists(#open)"
        " AND (attribute_not_exists(#used) OR #used < :max)"
        " AND (attribute_not_exists(#last) OR #last <= :edge)"
    )
    return [
        {"Put": {"TableName": table().name, "Item": attempt, "ConditionExpression": "attribute_not_exists(pk)"}},
        {
            "Update": {
                "TableName": table().name,
                "Key": application_key(application["applicationId"]),
                "UpdateExpression": "SET #open = :attempt, #used = if_not_exists(#used, :zero) + :one, #updated = :now",
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {
                    "#status": "status",
                    "#open": "examOpenAttemptId",
                    "#used": "examAttemptsUsed",
                    "#last": "examLastAttemptAt",
                    "#updated": "updatedAt",
                },
                "ExpressionAttributeValues": values,
            }
        },
        {"Update": counter},
    ]


def grade_operations(
    attempt: dict[str, Any],
    application: dict[str, Any],
    *,
    result: dict[str, Any],
    to_status: str,
    from_statuses: Iterable[str],
    best_score: int,
    ended_at: str,
    now: str,
    counter: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """Record the attempt's result once; move the application and close its open attempt.

    ``result`` holds the attempt's new attributes (``status``, ``gradedAt``, ``score``, …). The
    attempt write is conditional on ``gradedAt`` being absent (a second grading is refused), the
    application's on its status and on this attempt being its open one.
    """
    names = {f"#r{i}": name for i, name in enumerate(result)}
    values = {f":r{i}": value for i, value in enumerate(result.values())}
    attempt_update = {
        "TableName": table().name,
        "Key": attempt_key(attempt["attemptId"]),
        "UpdateExpression": "SET " + ", ".join(f"#r{i} = :r{i}" for i in range(len(result))),
        "ConditionExpression": "attribute_not_exists(#graded)",
        "ExpressionAttributeNames": names | {"#graded": "gradedAt"},
        "ExpressionAttributeValues": values,
    }
    application_update = status_update(
        application,
        to_status,
        from_statuses,
        now,
        extra={"examBestScore": best_score, "examLastAttemptAt": ended_at},
    )
    application_update["TableName"] = table().name
    application_update["UpdateExpression"] += " REMOVE #open"
    application_update["ConditionExpression"] = f"({application_update['ConditionExpression']}) AND #open = :open"
    application_update["ExpressionAttributeNames"]["#open"] = "examOpenAttemptId"
    application_update["ExpressionAttributeValues"][":open"] = attempt["attemptId"]
    operations: list[dict[str, Any]] = [{"Update": attempt_update}, {"Update": application_update}]
    if counter is not None:
        operations.append({"Update": counter})
    return operations
