"""AWS faults at botocore's event hooks, on the session every client of ``nazer.aws`` is built from.

``before-call`` is where botocore's own Stubber answers: a hook that returns ``(http, parsed)`` is
DynamoDB's (or S3's, Cognito's) reply, raised as the modelled ``ClientError`` exactly as after the
SDK's own retries gave up; a hook that returns None lets the call reach moto. ``after-call`` hooks
run once moto has answered (the write happened) and may raise, e.g. a read timeout.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSResponse

Reply = tuple[AWSResponse, dict[str, Any]]
# One scripted call: None lets it through; a callable runs first and, if it returns a Reply, answers.
Action = Callable[[], Reply | None] | None


def error(code: str, status: int = 400, message: str | None = None) -> Callable[[], Reply]:
    """A service error reply (``ThrottlingException``, ``InternalError``, ``TooManyRequestsException``…)."""

    def reply() -> Reply:
        parsed = {"Error": {"Code": code, "Message": message or code}, "ResponseMetadata": {"HTTPStatusCode": status}}
        return AWSResponse("https://aws.invalid", status, {}, None), parsed

    return reply


def cancelled(*codes: str) -> Callable[[], Reply]:
    """A TransactWriteItems that DynamoDB cancelled, with one reason per item (``"None"``: that item was fine)."""

    def reply() -> Reply:
        reasons = [{"Code": code} if code == "None" else {"Code": code, "Message": code} for code in codes]
        parsed = {
            "Error": {"Code": "TransactionCanceledException", "Message": f"Transaction cancelled [{', '.join(codes)}]"},
            "CancellationReasons": reasons,
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        return AWSResponse("https://dynamodb.invalid", 400, {}, None), parsed

    return reply


class Faults:
    """Scripts per operation (``"dynamodb.TransactWriteItems"``, ``"s3.CopyObject"``…) and call counts."""

    def __init__(self) -> None:
        self.before: dict[str, list[Action]] = defaultdict(list)
        self.after: dict[str, list[Action]] = defaultdict(list)
        self.down: dict[str, Callable[[], Reply]] = {}
        self.calls: Counter[str] = Counter()

    def outage(self, operation: str, reply: Callable[[], Reply]) -> None:
        """Every call of ``operation`` fails with ``reply`` until :meth:`heal`."""
        self.down[operation] = reply

    def heal(self, operation: str) -> None:
        self.down.pop(operation, None)

    def install(self, session: Any) -> None:
        session.events.register("before-call", self._before_call, unique_id="test-faults-before")
        session.events.register("after-call", self._after_call, unique_id="test-faults-after")

    @staticmethod
    def _operation(event_name: str) -> str:
        # before-call.<service id>.<Operation>
        _, service, operation = event_name.split(".", 2)
        return f"{service}.{operation}"

    def _before_call(self, event_name: str, **_: Any) -> Reply | None:
        operation = self._operation(event_name)
        self.calls[operation] += 1
        if operation in self.down:
            return self.down[operation]()
        script = self.before.get(operation)
        if not script:
            return None
        action = script.pop(0)
        return action() if action is not None else None

    def _after_call(self, event_name: str, **_: Any) -> None:
        script = self.after.get(self._operation(event_name))
        if script:
            action = script.pop(0)
            if action is not None:
                action()
