"""DynamoDB transactions in the emulator at a cost independent of the table's size.

moto 5 makes every ``TransactWriteItems`` all-or-nothing by deep-copying each table it touches
before running it (and putting the copy back on failure). That is correct but costs time in
proportion to the whole table: with a few thousand items each transaction took seconds, so a
local stack that has run for a while could no longer take concurrent writers at all.

:func:`install` replaces it with the same algorithm — the same checks, conditions, per-item
cancellation reasons (with ``ALL_OLD`` items) and validation errors, applied in the same order —
that snapshots only the items the transaction touches and restores those on failure. Tables of
this project have no streams, the one other piece of table state moto's copy would have rolled
back. The emulator serves one request at a time, so nothing can see a half-applied transaction.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodb.models.table import Table

_OPERATIONS = {"ConditionCheck", "Put", "Delete", "Update"}


def _restore(saved: list[tuple[Table, dict[str, Any], Item | None]], backend: DynamoDBBackend) -> None:
    """Put every touched item back as it was, newest change first."""
    for table, key, previous in reversed(saved):
        hash_key, range_key = backend.get_keys_value(table, key)
        if range_key is not None:
            if previous is None:
                table.items[hash_key].pop(range_key, None)
                if not table.items[hash_key]:
                    del table.items[hash_key]
            else:
                table.items[hash_key][range_key] = previous
        elif previous is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = previous


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto's ``transact_write_items`` with per-item rollback instead of whole-table copies."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    saved: list[tuple[Table, dict[str, Any], Item | None]] = []
    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str | None, str | None, dict[str, Any] | None]] = []
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException
        try:
            op_type, op = next(iter(item.items()))
            if op_type not in _OPERATIONS:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            names = op.get("ExpressionAttributeNames")
            values = op.get("ExpressionAttributeValues")
            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            check_unicity(table_name, key)

            current = self.get_item(table_name, key)
            if condition_expression is not None:
                condition = get_filter_expression(condition_expression, names, values)
                if not condition.expr(current):
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            if op_type != "ConditionCheck":
                saved.append((self.get_table(table_name), key, copy.deepcopy(current)))
            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    condition_expression=condition_expression,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition_expression,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    condition_expression=condition_expression,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            _restore(saved, self)
            raise
        except ConditionalCheckFailed as error:
            errors.append(("ConditionalCheckFailed", str(error.message), original_item))
        except Exception as error:  # moto reports any other failure as that item's reason
            errors.append((type(error).__name__, str(error), original_item))

    if any(code is not None for code, _, _ in errors):
        _restore(saved, self)
        raise TransactionCanceledException(errors)


def install() -> None:
    """Use the per-item rollback in every DynamoDB backend of this process (idempotent)."""
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
