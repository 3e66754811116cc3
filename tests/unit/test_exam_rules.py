"""Pure exam rules: scoring, the outcome, drawing, deadlines, who may start, choice ids."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nazer.domain import exam
from nazer.domain.exam import DEFAULT_SETTINGS, ExamSettings, StartRefusal
from nazer.domain.statuses import ApplicationStatus

NOW = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)


def question(n: int, choices: int = 4) -> dict:
    ids = [f"q{n}c{i}" for i in range(choices)]
    return {
        "questionId": f"q{n}",
        "text": f"پرسش {n}",
        "choices": [{"choiceId": cid, "text": f"گزینه {i}"} for i, cid in enumerate(ids)],
        "correctChoiceId": ids[n % choices],
    }


@given(st.integers(min_value=1, max_value=100).flatmap(lambda t: st.tuples(st.integers(0, t), st.just(t))))
def test_score_is_the_percentage_rounded_down(pair):
    correct, total = pair
    score = exam.score_percent(correct, total)
    assert 0 <= score <= 100
    assert score * total <= correct * 100 < (score + 1) * total


def test_score_examples_round_down():
    assert exam.score_percent(2, 3) == 66
    assert exam.score_percent(19, 20) == 95
    assert exam.score_percent(0, 20) == 0
    assert exam.score_percent(20, 20) == 100


@given(st.lists(st.sampled_from(["right", "wrong", "missing"]), min_size=1, max_size=40))
def test_grade_counts_only_the_key_and_unanswered_is_wrong(marks):
    questions = [question(n) for n in range(len(marks))]
    answers: dict[str, str | None] = {}
    for q, mark in zip(questions, marks, strict=True):
        if mark == "right":
            answers[q["questionId"]] = q["correctChoiceId"]
        elif mark == "wrong":
            wrong = next(c["choiceId"] for c in q["choices"] if c["choiceId"] != q["correctChoiceId"])
            answers[q["questionId"]] = wrong
    result = exam.grade(questions, answers)
    assert result.correct == marks.count("right")
    assert result.total == len(marks)


@pytest.mark.parametrize(
    ("passed", "used", "allowed", "status"),
    [
        (True, 1, 3, ApplicationStatus.EXAM_PASSED),
        (True, 3, 3, ApplicationStatus.EXAM_PASSED),
        (False, 1, 3, ApplicationStatus.EXAM_FAILED),
        (False, 2, 3, ApplicationStatus.EXAM_FAILED),
        (False, 3, 3, ApplicationStatus.EXAM_LOCKED),
        (False, 1, 1, ApplicationStatus.EXAM_LOCKED),
        (False, 4, 3, ApplicationStatus.EXAM_LOCKED),
    ],
)
def test_outcome_status(passed, used, allowed, status):
    assert exam.outcome_status(passed, used, allowed) == status


def test_the_pass_mark_is_inclusive():
    assert exam.passes(70, 70)
    assert not exam.passes(69, 70)


@given(st.integers(min_value=5, max_value=60), st.data())
def test_draw_picks_distinct_questions_and_shuffles_choices_without_touching_the_bank(size, data):
    bank = [question(n, choices=2 + n % 5) for n in range(size)]
    before = [dict(q, choices=[dict(c) for c in q["choices"]]) for q in bank]
    count = data.draw(st.integers(min_value=1, max_value=size))
    drawn = exam.draw(bank, count, random.Random(data.draw(st.integers())))
    assert len(drawn) == count
    assert len({q["questionId"] for q in drawn}) == count
    originals = {q["questionId"]: q for q in bank}
    for q in drawn:
        original = originals[q["questionId"]]
        assert sorted(c["choiceId"] for c in q["choices"]) == sorted(c["choiceId"] for c in original["choices"])
        assert q["correctChoiceId"] == original["correctChoiceId"]
    assert bank == before


def test_draw_refuses_more_than_the_bank_holds():
    with pytest.raises(ValueError):
        exam.draw([question(1)], 2, random.Random(1))


def test_draw_really_shuffles():
    bank = [question(n, choices=6) for n in range(40)]
    drawn = exam.draw(bank, 40, random.Random(7))

    def original_order(q: dict) -> list[str]:
        return [f"{q['questionId']}c{i}" for i in range(6)]

    moved = sum(1 for q in drawn if [c["choiceId"] for c in q["choices"]] != original_order(q))
    assert moved > 30


def test_the_deadline_has_a_60_second_grace():
    deadline = exam.deadline_of(NOW, DEFAULT_SETTINGS)
    assert deadline == NOW + timedelta(minutes=30)
    assert not exam.is_overdue(deadline, deadline + timedelta(seconds=60))
    assert exam.is_overdue(deadline, deadline + timedelta(seconds=61))


def refusal(status="TRAINING", used=0, open_attempt=False, last=None, settings=DEFAULT_SETTINGS, now=NOW):
    return exam.start_refusal(
        status, attempts_used=used, open_attempt=open_attempt, last_attempt_at=last, settings=settings, now=now
    )


def test_who_may_start_an_attempt():
    assert refusal() is None
    assert refusal("EXAM_FAILED", used=1, last=NOW - timedelta(hours=24)) is None
    assert refusal("SUBMITTED") is StartRefusal.TRAINING_REQUIRED
    assert refusal("EXAM_LOCKED", used=3) is StartRefusal.ATTEMPTS_EXHAUSTED
    for status in ("EXAM_PASSED", "APPROVED", "REJECTED", "ACTIVE", "SUSPENDED", "REVOKED"):
        assert refusal(status) is StartRefusal.WRONG_STATUS
    assert refusal(open_attempt=True) is StartRefusal.ATTEMPT_OPEN
    assert refusal("EXAM_FAILED", used=3) is StartRefusal.ATTEMPTS_EXHAUSTED
    assert refusal("EXAM_FAILED", used=1, last=NOW - timedelta(hours=23, minutes=59)) is StartRefusal.COOLDOWN


@given(st.integers(min_value=0, max_value=720), st.integers(min_value=-3600 * 800, max_value=3600 * 800))
def test_cooldown_ends_exactly_cooldown_hours_after_the_last_attempt(hours, offset_seconds):
    settings = ExamSettings(cooldown_hours=hours)
    last = NOW - timedelta(hours=hours) + timedelta(seconds=offset_seconds)
    result = refusal("EXAM_FAILED", used=1, last=last, settings=settings)
    assert (result is StartRefusal.COOLDOWN) == (offset_seconds > 0)


def test_settings_default_when_absent():
    assert ExamSettings.from_item(None) == ExamSettings(20, 70, 30, 3, 24)
    assert ExamSettings.from_item({"maxAttempts": 5}).as_item() == {
        "questionsPerAttempt": 20,
        "passMarkPercent": 70,
        "timeLimitMinutes": 30,
        "maxAttempts": 5,
        "cooldownHours": 24,
    }


@given(st.integers(min_value=2, max_value=6))
def test_new_choice_ids_are_distinct_and_opaque(count):
    ids = exam.new_choice_ids(count)
    assert len(set(ids)) == count
    assert all(len(i) == exam.CHOICE_ID_LENGTH and i.isalnum() for i in ids)


def test_new_choice_ids_survive_a_colliding_source():
    tokens = iter(["aaaa", "aaaa", "bbbb", "aaaa", "cccc"])
    assert exam.new_choice_ids(3, token=lambda: next(tokens)) == ["aaaa", "bbbb", "cccc"]


def test_derived_choice_ids_are_deterministic_and_distinct():
    assert exam.derived_choice_ids("q1", 6) == exam.derived_choice_ids("q1", 6)
    assert exam.derived_choice_ids("q1", 4) != exam.derived_choice_ids("q2", 4)
    assert len(set(exam.derived_choice_ids("q1", 6))) == 6


@given(
    st.lists(st.text(min_size=1, max_size=3), min_size=2, max_size=6, unique=True),
    st.lists(st.text(min_size=1, max_size=3), min_size=2, max_size=6, unique=True),
)
def test_an_edit_keeps_the_id_of_every_unchanged_choice(old_texts, new_texts):
    old = [{"choiceId": f"id{i}", "text": text} for i, text in enumerate(old_texts)]
    counter = iter(range(10**4))
    ids = exam.keep_choice_ids(old, new_texts, token=lambda: f"id{next(counter) % 16}")
    assert len(ids) == len(new_texts) == len(set(ids))
    for text, choice_id in zip(new_texts, ids, strict=True):
        if text in old_texts:
            assert choice_id == f"id{old_texts.index(text)}"
        else:
            assert choice_id not in {c["choiceId"] for c in old}
