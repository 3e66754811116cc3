"""The locked emulator keeps conditional writes exact under many threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from nazer.aws import table


def test_conditional_increments_from_many_threads_lose_nothing(served):
    key = {"pk": "TEST#counter", "sk": "COUNTER"}
    table().put_item(Item={**key, "value": 0})

    def increment_once(_: int) -> int:
        tries = 0
        while True:
            tries += 1
            current = int(table().get_item(Key=key, ConsistentRead=True)["Item"]["value"])
            try:
                table().update_item(
                    Key=key,
                    UpdateExpression="SET #v = :next",
                    ConditionExpression="#v = :current",
                    ExpressionAttributeNames={"#v": "value"},
                    ExpressionAttributeValues={":next": current + 1, ":current": current},
                )
                return tries
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"

    with ThreadPoolExecutor(max_workers=16) as pool:
        tries = list(pool.map(increment_once, range(100)))
    assert int(table().get_item(Key=key, ConsistentRead=True)["Item"]["value"]) == 100
    assert len(tries) == 100
