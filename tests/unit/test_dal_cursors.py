"""List cursors are opaque to callers, but a forged one is a 422 on ``cursor``, never a 500."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st

from nazer.dal.base import decode_cursor, encode_cursor, query_page
from nazer.errors import DomainError

PARTITION = ("gsi1pk", "QUESTIONS")
KEY = {"pk": "QUESTION#1", "sk": "QUESTION", "gsi1pk": "QUESTIONS", "gsi1sk": "2024-09-26T10:00:00Z#1"}


def forged(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def assert_cursor_refused(cursor: str) -> None:
    with pytest.raises(DomainError) as refused:
        decode_cursor(cursor, "GSI1", PARTITION)
    assert refused.value.status == 422
    assert [error.field for error in refused.value.errors] == ["cursor"]


@given(st.text(min_size=1, max_size=200).filter(lambda text: len(text.encode()) <= 1024))
def test_a_cursor_this_list_issued_reads_back_as_its_key(sort_key):
    key = {**KEY, "gsi1sk": sort_key}
    assert decode_cursor(encode_cursor(key), "GSI1", PARTITION) == key


@pytest.mark.parametrize(
    "key",
    [
        {**KEY, "sk": 5},  # a number where every key attribute is a string: DynamoDB refuses the query
        {**KEY, "gsi1sk": ""},  # an empty key value: refused too
        {**KEY, "gsi1sk": "z" * 1025},  # over DynamoDB's 1024-byte sort-key limit
        {**KEY, "gsi1sk": "ک" * 600},  # 1200 bytes in UTF-8
        {**KEY, "gsi1pk": "APPLICATIONS"},  # another partition
        {"pk": "QUESTION#1", "sk": "QUESTION"},  # keys of another index
        [KEY],
    ],
)
def test_a_forged_cursor_is_refused_as_a_cursor(key):
    assert_cursor_refused(forged(key))


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", base64.urlsafe_b64encode(b"\xff\xfe").decode()])
def test_a_cursor_that_is_not_base64_json_is_refused(cursor):
    assert_cursor_refused(cursor)


class RefusingTable:
    """A table whose Query refuses its start key, as DynamoDB does for one outside the key condition."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def query(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        if "ExclusiveStartKey" in kwargs:
            raise ClientError(
                {"Error": {"Code": "ValidationException", "Message": "The provided starting key is invalid"}}, "Query"
            )
        raise ClientError({"Error": {"Code": "ValidationException", "Message": "a bug of ours"}}, "Query")


def test_a_start_key_dynamodb_refuses_is_a_bad_cursor():
    table = RefusingTable()
    with pytest.raises(DomainError) as refused:
        query_page(table, partition=PARTITION, index="GSI1", cursor=encode_cursor(KEY))
    assert [error.field for error in refused.value.errors] == ["cursor"]
    assert table.calls[0]["ExclusiveStartKey"] == KEY


def test_a_refused_query_without_a_cursor_stays_a_server_error():
    with pytest.raises(ClientError):
        query_page(RefusingTable(), partition=PARTITION, index="GSI1")
