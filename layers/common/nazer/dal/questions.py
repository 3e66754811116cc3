"""Question bank repository.

Item: ``pk=QUESTION#<questionId>``, ``sk=QUESTION``; GSI1 ``QUESTIONS`` / ``<createdAt>#<questionId>``
lists the bank in the order questions were added. Attributes: ``questionId``, ``text``,
``choices`` (``[{"choiceId", "text"}]``, stable ids), ``correctChoiceId``, ``category``,
``active``, ``createdAt``, ``updatedAt``, ``bankKey`` for questions of the shipped bank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from botocore.exceptions import ClientError

from nazer.aws import table
from nazer.dal.base import Page, is_conditional_failure, plain, query_page

QUESTION_SK = "QUESTION"
BANK_PARTITION = "QUESTIONS"


def question_key(question_id: str) -> dict[str, str]:
    return {"pk": f"QUESTION#{question_id}", "sk": QUESTION_SK}


def question_item(
    *,
    question_id: str,
    text: str,
    choices: list[dict[str, str]],
    correct_choice_id: str,
    category: str,
    active: bool,
    created_at: str,
    updated_at: str | None = None,
    bank_key: str | None = None,
) -> dict[str, Any]:
    """The stored question (also used by seeding, which writes to a table it is given)."""
    item: dict[str, Any] = {
        **question_key(question_id),
        "gsi1pk": BANK_PARTITION,
        "gsi1sk": f"{created_at}#{question_id}",
        "type": "question",
        "questionId": question_id,
        "text": text,
        "choices": [{"choiceId": choice["choiceId"], "text": choice["text"]} for choice in choices],
        "correctChoiceId": correct_choice_id,
        "category": category,
        "active": active,
        "createdAt": created_at,
        "updatedAt": updated_at or created_at,
    }
    if bank_key:
        item["bankKey"] = bank_key
    return item


def get(question_id: str) -> dict[str, Any] | None:
    item = table().get_item(Key=question_key(question_id), ConsistentRead=True).get("Item")
    return plain(item) if item else None


def create(item: dict[str, Any]) -> None:
    table().put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")


def replace(item: dict[str, Any]) -> bool:
    """Overwrite an existing question; False when it no longer exists (never resurrects a deleted one)."""
    try:
        table().put_item(Item=item, ConditionExpression="attribute_exists(pk)")
    except ClientError as error:
        if is_conditional_failure(error):
            return False
        raise
    return True


def delete(question_id: str) -> bool:
    """Remove a question; False when there was none."""
    try:
        table().delete_item(Key=question_key(question_id), ConditionExpression="attribute_exists(pk)")
    except ClientError as error:
        if is_conditional_failure(error):
            return False
        raise
    return True


def list_page(limit: int, cursor: str | None, item_filter: Callable[[dict[str, Any]], bool] | None = None) -> Page:
    """One page of the bank, oldest first."""
    page = query_page(
        table(),
        index="GSI1",
        partition=("gsi1pk", BANK_PARTITION),
        limit=limit,
        cursor=cursor,
        newest_first=False,
        item_filter=item_filter,
    )
    return Page([plain(item) for item in page.items], page.next_cursor)


def iterate_bank() -> Iterator[dict[str, Any]]:
    """Every question of the bank (one Query, paged; the bank is hundreds of items, not millions)."""
    from boto3.dynamodb.conditions import Key

    kwargs: dict[str, Any] = {"IndexName": "GSI1", "KeyConditionExpression": Key("gsi1pk").eq(BANK_PARTITION)}
    while True:
        reply = table().query(**kwargs)
        for item in reply.get("Items", []):
            yield plain(item)
        if "LastEvaluatedKey" not in reply:
            return
        kwargs["ExclusiveStartKey"] = reply["LastEvaluatedKey"]


def active_questions() -> list[dict[str, Any]]:
    return [question for question in iterate_bank() if question.get("active")]
