"""HQ's side of the exam: the question bank and the settings.

Attempts keep their own snapshot, so nothing here changes an attempt already drawn or graded.
The bank is never left with fewer active questions than an attempt draws (``409 invalid-state``),
and the settings never ask for more than the bank has (``422`` on ``questionsPerAttempt``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from nazer.dal import exam_settings, questions
from nazer.domain import exam
from nazer.errors import DomainError, FieldError, invalid_state, not_found
from nazer.jalali import iso
from nazer.logic.exam import plausible_id
from nazer.models.exam import ExamSettingsBody, QuestionAdminOut, QuestionIn, QuestionPage
from nazer.observability import logger


def list_questions(
    limit: int, cursor: str | None, active: bool | None = None, category: str | None = None
) -> QuestionPage:
    """A page of the bank, oldest first, optionally only active/inactive ones or one category."""

    def wanted(item: dict[str, Any]) -> bool:
        if active is not None and bool(item.get("active")) != active:
            return False
        return category is None or item.get("category") == category

    page = questions.list_page(limit, cursor, wanted if active is not None or category is not None else None)
    return QuestionPage(items=[QuestionAdminOut.from_item(item) for item in page.items], next_cursor=page.next_cursor)


def get_question(question_id: str) -> QuestionAdminOut:
    return QuestionAdminOut.from_item(_existing(question_id))


def create_question(body: QuestionIn, now: datetime) -> QuestionAdminOut:
    question_id = str(uuid.uuid4())
    choice_ids = exam.new_choice_ids(len(body.choices))
    item = questions.question_item(
        question_id=question_id,
        text=body.text,
        choices=[{"choiceId": cid, "text": c.text} for cid, c in zip(choice_ids, body.choices, strict=True)],
        correct_choice_id=choice_ids[body.correct_choice_index],
        category=body.category,
        active=body.active,
        created_at=iso(now),
    )
    questions.create(item)
    logger.info("question added", extra={"question_id": question_id})
    return QuestionAdminOut.from_item(item)


def replace_question(question_id: str, body: QuestionIn, now: datetime) -> QuestionAdminOut:
    """Replace a question; a choice whose text is unchanged keeps its id."""
    current = _existing(question_id)
    if current.get("active") and not body.active:
        _keep_bank_drawable(question_id)
    texts = [choice.text for choice in body.choices]
    choice_ids = exam.keep_choice_ids(current["choices"], texts)
    item = questions.question_item(
        question_id=question_id,
        text=body.text,
        choices=[{"choiceId": cid, "text": text} for cid, text in zip(choice_ids, texts, strict=True)],
        correct_choice_id=choice_ids[body.correct_choice_index],
        category=body.category,
        active=body.active,
        created_at=current["createdAt"],
        updated_at=iso(now),
        bank_key=current.get("bankKey"),
    )
    if not questions.replace(item):
        raise not_found("No such question", "چنین پرسشی یافت نشد")
    logger.info("question replaced", extra={"question_id": question_id})
    return QuestionAdminOut.from_item(item)


def delete_question(question_id: str) -> None:
    current = _existing(question_id)
    if current.get("active"):
        _keep_bank_drawable(question_id)
    if not questions.delete(question_id):
        raise not_found("No such question", "چنین پرسشی یافت نشد")
    logger.info("question deleted", extra={"question_id": question_id})


def _existing(question_id: str) -> dict[str, Any]:
    item = questions.get(question_id) if plausible_id(question_id) else None
    if item is None:
        raise not_found("No such question", "چنین پرسشی یافت نشد")
    return item


def _keep_bank_drawable(leaving_question_id: str) -> None:
    """Refuse to take a question out of the draw if an attempt could then no longer be drawn."""
    needed = exam_settings.get().questions_per_attempt
    remaining = sum(1 for q in questions.active_questions() if q["questionId"] != leaving_question_id)
    if remaining < needed:
        raise invalid_state(
            f"An attempt draws {needed} questions; the bank would keep only {remaining} active ones",
            f"هر آزمون {needed} پرسش دارد و با این کار فقط {remaining} پرسش فعال می‌ماند",
        )


def get_settings() -> ExamSettingsBody:
    return ExamSettingsBody.of(exam_settings.get())


def put_settings(body: ExamSettingsBody, now: datetime, updated_by: str) -> ExamSettingsBody:
    """Replace the settings; an attempt cannot draw more questions than the bank has active."""
    active = len(questions.active_questions())
    if body.questions_per_attempt > active:
        message = f"at most {active}: the number of active questions in the bank"
        raise DomainError(
            "validation-error",
            f"questionsPerAttempt: {message}",
            "تعداد پرسش‌های هر آزمون از پرسش‌های فعال بانک بیشتر است",
            [FieldError("questionsPerAttempt", message, f"حداکثر {active}، یعنی تعداد پرسش‌های فعال بانک")],
        )
    settings = body.to_settings()
    exam_settings.put(settings, iso(now), updated_by)
    logger.info("exam settings changed", extra={"settings": settings.as_item()})
    return ExamSettingsBody.of(settings)
