"""The emulator's transactions (per-item rollback) keep moto's all-or-nothing semantics."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

from nazer.aws import table
from nazer.dal.base import cancellation_codes


def _key(name: str) -> dict[str, str]:
    return {"pk": f"TXTEST#{name}", "sk": "ITEM"}


def _transact(*items: dict) -> None:
    name = table().name
    for item in items:
        next(iter(item.values()))["TableName"] = name
    table().meta.client.transact_write_items(TransactItems=list(items))


def test_a_cancelled_transaction_leaves_every_item_as_it_was(served):
    # Given an existing item and a fresh id
    run = uuid.uuid4().hex
    existing, fresh, guard = _key(f"{run}-existing"), _key(f"{run}-fresh"), _key(f"{run}-guard")
    table().put_item(Item={**existing, "value": 1, "note": "before"})
    table().put_item(Item={**guard, "value": 7})
    # When a transaction updates it, creates another, then fails a condition on a third
    with pytest.raises(ClientError) as raised:
        _transact(
            {
                "Update": {
                    "Key": existing,
                    "UpdateExpression": "SET #v = :two, note = :n",
                    "ExpressionAttributeNames": {"#v": "value"},
                    "ExpressionAttributeValues": {":two": 2, ":n": "after"},
                }
            },
            {"Put": {"Item": {**fresh, "value": 1}}},
            {
                "Update": {
                    "Key": guard,
                    "UpdateExpression": "SET #v = :v",
                    "ConditionExpression": "#v = :expected",
                    "ExpressionAttributeNames": {"#v": "value"},
                    "ExpressionAttributeValues": {":v": 8, ":expected": 6},
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
        )
    # Then the reasons come in item order, with the failed item's stored state
    assert cancellation_codes(raised.value) == ["None", "None", "ConditionalCheckFailed"]
    assert raised.value.response["CancellationReasons"][2]["Item"]["value"] == {"N": "7"}
    # And nothing changed
    assert table().get_item(Key=existing, ConsistentRead=True)["Item"] == {**existing, "value": 1, "note": "before"}
    assert "Item" not in table().get_item(Key=fresh, ConsistentRead=True)
    assert table().get_item(Key=guard, ConsistentRead=True)["Item"]["value"] == 7


def test_a_transaction_that_passes_applies_every_item(served):
    run = uuid.uuid4().hex
    first, second = _key(f"{run}-1"), _key(f"{run}-2")
    _transact(
        {"Put": {"Item": {**first, "value": 1}, "ConditionExpression": "attribute_not_exists(pk)"}},
        {
            "Update": {
                "Key": second,
                "UpdateExpression": "ADD #v :one",
                "ExpressionAttributeNames": {"#v": "value"},
                "ExpressionAttributeValues": {":one": 1},
            }
        },
    )
    assert table().get_item(Key=first)["Item"]["value"] == 1
    assert table().get_item(Key=second)["Item"]["value"] == 1


def test_two_operations_on_one_item_are_refused_and_roll_back(served):
    run = uuid.uuid4().hex
    item, other = _key(f"{run}-same"), _key(f"{run}-other")
    with pytest.raises(ClientError) as raised:
        _transact(
            {"Put": {"Item": {**other, "value": 1}}},
            {"Put": {"Item": {**item, "value": 1}}},
            {"Delete": {"Key": item}},
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert "Item" not in table().get_item(Key=other, ConsistentRead=True)
    assert "Item" not in table().get_item(Key=item, ConsistentRead=True)
