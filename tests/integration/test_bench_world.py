"""The requests `make bench` times and counts still get their expected replies (bench/_world.py)."""

from __future__ import annotations

from bench._world import World
from bench.dynamodb_calls import RequestCounter
from nazer import idempotency
from nazer.aws import reset_clients, session
from nazer.settings import get_settings
from tests.support.exam_factories import seed_bank


def test_every_benchmarked_operation_answers_as_the_bench_expects(aws):
    seed_bank()
    world = World()
    for operation in world.operations():
        reply = world.invoke(operation.prepare())
        assert reply.status == operation.status, (operation.name, reply.text)


def test_the_request_counter_sees_every_dynamodb_request_and_tells_the_idempotency_table_apart(aws):
    seed_bank()
    world = World()
    reset_clients()
    idempotency.reset()
    counter = RequestCounter(get_settings().idempotency_table_name)
    session().events.register("before-call.dynamodb", counter)
    call = world.code_issue()
    counts = counter.measure(lambda: world.invoke(call))
    assert counts == {
        "PutItem (idempotency)": 1,
        "GetItem": 2,
        "TransactWriteItems": 1,
        "UpdateItem (idempotency)": 1,
    }
