"""Exam test helpers: a seeded bank, applications in any exam state, the key, answers, a clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from nazer.dal.applications import application_key, index_keys, national_id_guard_key, user_guard_key
from nazer.jalali import iso
from tests.support.factories import valid_national_id


def seed_bank() -> None:
    """The shipped bank (default settings: absent) in the configured table, batch-written for speed.

    The same items as ``infra.seed.seed_exam_defaults`` writes (that path has its own tests).
    """
    from nazer.aws import table
    from nazer.dal.exam_defaults import bank_items
    from nazer.question_bank import default_question_bank

    with table().batch_writer() as batch:
        for item in bank_items(default_question_bank(), datetime(2024, 9, 1, tzinfo=UTC)):
            batch.put_item(Item=item)


def put_application_in(
    table: Any,
    status: str = "TRAINING",
    *,
    sub: str | None = None,
    username: str | None = None,
    province: str = "23",
    county: str = "01",
    created_at: datetime | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An application item (the shape of tests.support.factories.put_application) in a given boto3 Table.

    For the e2e suite, which writes into the local stack's table rather than the in-process one.
    """
    application_id = str(uuid.uuid4())
    subject = sub or str(uuid.uuid4())
    created = iso(created_at or datetime.now(UTC))
    national_id = fields.pop("nationalId", None) or valid_national_id()
    item: dict[str, Any] = {
        **application_key(application_id),
        **index_keys(status, province, created, application_id),
        "type": "application",
        "applicationId": application_id,
        "userSub": subject,
        "username": username or f"+98912{uuid.uuid4().int % 10**7:07d}",
        "status": status,
        "provinceCode": province,
        "countyCode": county,
        "nationalId": national_id,
        "firstName": "زهرا",
        "lastName": "کریمی",
        "fatherName": "حسن",
        "birthDate": "1368/02/20",
        "gender": "female",
        "mobile": "09121234567",
        "education": "master",
        "occupation": "دبیر",
        "affiliation": "university_faculty",
        "referralChannel": "university",
        "conflictOfInterest": {"ownsOrWorksInBusiness": False},
        "consents": {"terms": True, "confidentialityPledge": True, "pledgeVersion": "1403-1", "acceptedAt": created},
        "createdAt": created,
        "updatedAt": created,
        "trainingDownloadedAt": created,
        **fields,
    }
    table.put_item(Item=item)
    table.put_item(Item={**user_guard_key(subject), "applicationId": application_id})
    table.put_item(Item={**national_id_guard_key(national_id), "applicationId": application_id})
    return item


def put_exam_application(status: str = "TRAINING", **kwargs: Any) -> dict[str, Any]:
    """An application in the configured (moto) table."""
    from nazer.aws import table

    return put_application_in(table(), status, **kwargs)


def answer_key(questions: list[dict[str, Any]]) -> dict[str, str]:
    """``{questionId: correctChoiceId}`` from admin-shaped questions (or stored items)."""
    return {q["questionId"]: q["correctChoiceId"] for q in questions}


def answers_for(
    attempt: dict[str, Any], key: dict[str, str], correct: int | None = None, answered: int | None = None
) -> list[dict[str, Any]]:
    """Answers to an attempt's questions (wire shape): the first ``correct`` right, the rest wrong.

    Only the first ``answered`` questions are answered (the others are left out).
    """
    questions = attempt["questions"]
    correct = len(questions) if correct is None else correct
    answered = len(questions) if answered is None else answered
    answers = []
    for index, question in enumerate(questions[:answered]):
        right = key[question["questionId"]]
        wrong = next(c["choiceId"] for c in question["choices"] if c["choiceId"] != right)
        answers.append({"questionId": question["questionId"], "choiceId": right if index < correct else wrong})
    return answers


@dataclass
class Clock:
    """A settable ``now`` for code that reads ``nazer.jalali.now_utc``."""

    now: datetime

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now

    def __call__(self) -> datetime:
        return self.now
