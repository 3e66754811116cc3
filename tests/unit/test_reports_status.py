"""The report lifecycle: RECEIVED → UNDER_REVIEW → REFERRED → CONFIRMED | UNFOUNDED."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nazer.domain.report_status import (
    FINAL,
    INITIAL,
    OPEN,
    REPORT_MOVES,
    ReportStatus,
    can_move,
    is_final,
    moved_fields,
)

S = ReportStatus
LEGAL = {
    (S.RECEIVED, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, S.REFERRED),
    (S.UNDER_REVIEW, S.CONFIRMED),
    (S.UNDER_REVIEW, S.UNFOUNDED),
    (S.REFERRED, S.CONFIRMED),
    (S.REFERRED, S.UNFOUNDED),
}
statuses = st.sampled_from(list(ReportStatus))


@given(statuses, statuses)
def test_exactly_the_moves_of_the_brief_are_allowed(current, target):
    assert can_move(current, target) == ((current, target) in LEGAL)


def test_every_status_has_its_moves_listed():
    assert set(REPORT_MOVES) == set(ReportStatus)


@given(statuses)
def test_no_status_moves_to_itself_and_final_statuses_never_move(status):
    assert not can_move(status, status)
    if is_final(status):
        assert REPORT_MOVES[status] == frozenset()


@given(st.lists(statuses, max_size=10))
def test_any_walk_of_legal_moves_never_returns_and_ends_within_three_moves(targets):
    current, seen, moves = INITIAL, [INITIAL], 0
    for target in targets:
        if can_move(current, target):
            current = target
            moves += 1
            assert current not in seen
            seen.append(current)
    assert moves <= 3


def test_every_final_status_is_reachable_from_received():
    reachable, frontier = {INITIAL}, [INITIAL]
    while frontier:
        for target in REPORT_MOVES[frontier.pop()]:
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(ReportStatus)
    assert set(ReportStatus) == OPEN | FINAL and not OPEN & FINAL


@given(statuses)
def test_moves_stamp_referred_and_final_times(target):
    fields = moved_fields(target, "2024-09-26T06:30:00Z")
    if target is S.REFERRED:
        assert fields == {"referredAt": "2024-09-26T06:30:00Z"}
    elif target in FINAL:
        assert fields == {"finalAt": "2024-09-26T06:30:00Z"}
    else:
        assert fields == {}
