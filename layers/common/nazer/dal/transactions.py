"""All-or-nothing writes across aggregates (attempt + application + counters, announcement + counters)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from nazer.aws import table
from nazer.dal.base import cancellation_codes, is_transaction_cancelled

CONFLICT_RETRIES = 3


class TransactionRefusedError(Exception):
    """A transaction was cancelled; ``codes`` are the per-item reasons, in item order."""

    def __init__(self, codes: list[str]):
        super().__init__(",".join(codes))
        self.codes = codes

    def failed(self, index: int) -> bool:
        """True when item ``index`` failed its condition."""
        return index < len(self.codes) and self.codes[index] == "ConditionalCheckFailed"


def transact(operations: list[dict[str, Any]]) -> None:
    """Write all or nothing; TransactionRefusedError (with the per-item reasons) when a condition fails.

    Items without a ``TableName`` go to the application table.

    A cancellation caused only by a concurrent transaction on the same items
    (``TransactionConflict``) is retried a few times: the conditions are evaluated afresh.
    """
    client = table().meta.client
    name = table().name
    operations = [{kind: {"TableName": name, **body} for kind, body in op.items()} for op in operations]
    for attempt in range(CONFLICT_RETRIES):
        try:
            client.transact_write_items(TransactItems=operations)
            return
        except ClientError as error:
            if not is_transaction_cancelled(error):
                raise
            codes = cancellation_codes(error)
            conflict_only = "TransactionConflict" in codes and "ConditionalCheckFailed" not in codes
            if not conflict_only or attempt == CONFLICT_RETRIES - 1:
                raise TransactionRefusedError(codes) from error
