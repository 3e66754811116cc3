"""Pure rules of the inspectors context: status moves and the retry policy (full jitter, budget)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nazer.domain.backoff import Budget, RetryPolicy
from nazer.domain.inspector_status import InspectorStatus, can_move, holds_inspector_group
from nazer.domain.statuses import ApplicationStatus
from nazer.domain.statuses import can_move as application_can_move

ACTIVE, SUSPENDED, REVOKED = InspectorStatus.ACTIVE, InspectorStatus.SUSPENDED, InspectorStatus.REVOKED


def test_suspension_and_reactivation_go_both_ways_and_revocation_is_final():
    assert can_move(ACTIVE, SUSPENDED) and can_move(SUSPENDED, ACTIVE)
    assert can_move(ACTIVE, REVOKED) and can_move(SUSPENDED, REVOKED)
    assert not any(can_move(REVOKED, target) for target in InspectorStatus)


def test_no_status_moves_to_itself():
    assert not any(can_move(status, status) for status in InspectorStatus)


@pytest.mark.parametrize(("current", "target"), [(a, b) for a in InspectorStatus for b in InspectorStatus])
def test_every_inspector_move_is_also_an_application_move(current, target):
    # The application mirrors the inspector in the same transaction, so its rules must agree.
    if can_move(current, target):
        assert application_can_move(ApplicationStatus(current), ApplicationStatus(target))


def test_only_a_revoked_inspector_loses_the_group():
    assert holds_inspector_group(ACTIVE) and holds_inspector_group(SUSPENDED)
    assert not holds_inspector_group(REVOKED)


@given(retry=st.integers(min_value=0, max_value=200), draw=st.floats(min_value=0, max_value=0.999999))
def test_full_jitter_delay_stays_between_zero_and_the_capped_exponential(retry, draw):
    policy = RetryPolicy(base_delay=0.02, max_delay=1.0)
    delay = policy.delay(retry, lambda: draw)
    assert 0 <= delay <= min(1.0, 0.02 * 2**retry)


def test_the_ceiling_doubles_until_the_cap():
    policy = RetryPolicy(base_delay=0.02, max_delay=1.0)
    assert [policy.ceiling(n) for n in range(8)] == [0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.0, 1.0]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_budget_refuses_a_pause_that_would_overrun_it():
    # Given a 1-second budget, 0.9 s already spent
    clock = FakeClock()
    budget = Budget(RetryPolicy(base_delay=0.5, max_delay=0.5, budget_seconds=1.0), clock)
    budget.tries = 1
    clock.now += 0.9
    # Then a pause of up to 0.05 s fits, a longer one does not
    assert budget.next_delay(lambda: 0.1) == pytest.approx(0.05)
    assert budget.next_delay(lambda: 0.5) is None


def test_the_budget_caps_the_number_of_tries():
    budget = Budget(RetryPolicy(max_tries=3), FakeClock())
    budget.tries = 2
    assert budget.next_delay(lambda: 0.0) == 0.0
    budget.tries = 3
    assert budget.next_delay(lambda: 0.0) is None


@given(st.lists(st.floats(min_value=0, max_value=0.999999), min_size=1, max_size=200))
def test_retries_never_sleep_longer_than_the_budget_in_total(draws):
    # Given a clock advanced only by the pauses taken
    clock = FakeClock()
    policy = RetryPolicy(budget_seconds=3.0, max_tries=1000)
    budget = Budget(policy, clock)
    slept = 0.0
    for draw in draws:
        budget.tries += 1
        pause = budget.next_delay(lambda d=draw: d)
        if pause is None:
            break
        clock.now += pause
        slept += pause
    assert slept <= policy.budget_seconds + 1e-9


@pytest.mark.parametrize(
    "options",
    [{"base_delay": 0}, {"base_delay": 2, "max_delay": 1}, {"budget_seconds": 0}, {"max_tries": 0}],
)
def test_a_nonsensical_policy_is_refused(options):
    with pytest.raises(ValueError):
        RetryPolicy(**options)
