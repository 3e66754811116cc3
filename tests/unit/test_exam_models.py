"""Exam request models: question rules, settings ranges, liaison phones; the shipped question bank."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from nazer.domain.exam import SETTINGS_RANGES
from nazer.models.exam import AnnouncementIn, AttemptQuestionOut, ExamSettingsBody, LiaisonIn, QuestionIn
from nazer.question_bank import default_question_bank

VALID_QUESTION = {
    "text": "كدام مورد كم‌فروشی است؟ ۲ گزینه",
    "choices": [{"text": "  کاستن از وزن کالا "}, {"text": "صدور فاکتور"}],
    "correctChoiceIndex": 0,
    "category": "انواع تخلف",
}


def errors_of(model, data) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return {".".join(str(part) for part in err["loc"]): err["type"] for err in caught.value.errors()}


def test_a_question_is_normalised_and_active_by_default():
    question = QuestionIn.model_validate(VALID_QUESTION)
    assert question.text == "کدام مورد کم‌فروشی است؟ 2 گزینه"
    assert question.choices[0].text == "کاستن از وزن کالا"
    assert question.active is True


@pytest.mark.parametrize(
    ("change", "field", "error_type"),
    [
        ({"choices": [{"text": "تنها"}]}, "choices", "too_short"),
        ({"choices": [{"text": str(i)} for i in range(7)]}, "choices", "too_long"),
        ({"choices": [{"text": "الف"}, {"text": " الف"}]}, "choices", "choices_not_unique"),
        ({"correctChoiceIndex": 2}, "correctChoiceIndex", "correct_index_out_of_range"),
        ({"correctChoiceIndex": -1}, "correctChoiceIndex", "greater_than_equal"),
        ({"correctChoiceIndex": "0"}, "correctChoiceIndex", "int_type"),
        ({"category": "ا" * 51}, "category", "string_too_long"),
        ({"text": "   "}, "text", "string_too_short"),
        ({"choices": [{"text": "الف"}, {"text": ""}]}, "choices.1.text", "string_too_short"),
        ({"correctChoiceId": "x"}, "correctChoiceId", "extra_forbidden"),
    ],
)
def test_question_rules(change, field, error_type):
    assert errors_of(QuestionIn, VALID_QUESTION | change).get(field) == error_type


def settings(**change) -> dict:
    return {
        "questionsPerAttempt": 20,
        "passMarkPercent": 70,
        "timeLimitMinutes": 30,
        "maxAttempts": 3,
        "cooldownHours": 24,
    } | change


@given(st.sampled_from(sorted(SETTINGS_RANGES)), st.integers(min_value=-1000, max_value=1000))
def test_each_setting_is_accepted_exactly_within_its_range(name, value):
    low, high = SETTINGS_RANGES[name]
    if low <= value <= high:
        assert ExamSettingsBody.model_validate(settings(**{name: value})).model_dump()
    else:
        assert name in errors_of(ExamSettingsBody, settings(**{name: value}))


def test_settings_refuse_non_integers_and_missing_fields():
    assert errors_of(ExamSettingsBody, settings(passMarkPercent=70.5))["passMarkPercent"]
    assert errors_of(ExamSettingsBody, settings(maxAttempts=True))["maxAttempts"]
    partial = settings()
    del partial["cooldownHours"]
    assert errors_of(ExamSettingsBody, partial)["cooldownHours"] == "missing"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("۰۲۱-۸۸۹۰۱۲۳۴", "02188901234"), ("+98 912 123 4567", "09121234567"), ("00982188901234", "02188901234")],
)
def test_liaison_phones_are_normalised(raw, stored):
    assert LiaisonIn.model_validate({"fullName": "علی", "phone": raw}).phone == stored


@pytest.mark.parametrize("raw", ["12345", "0912123456", "۰۹۱۲abc۴۵۶۷", "00123456789"])
def test_bad_liaison_phones_are_refused(raw):
    assert errors_of(LiaisonIn, {"fullName": "علی", "phone": raw})["phone"] == "phone_invalid"


def test_liaison_email_is_checked_and_optional():
    assert LiaisonIn.model_validate({"fullName": "علی", "phone": "02188901234"}).email is None
    bad = {"fullName": "علی", "phone": "02188901234", "email": "nope"}
    assert errors_of(LiaisonIn, bad)["email"] == "email_invalid"


def test_an_announcement_names_a_known_directorate_and_at_most_100_ids():
    assert AnnouncementIn.model_validate({"provinceCode": "۲۳", "applicationIds": ["a"]}).province_code == "23"
    unknown = {"provinceCode": "99", "applicationIds": ["a"]}
    assert errors_of(AnnouncementIn, unknown)["provinceCode"] == "province_unknown"
    assert errors_of(AnnouncementIn, {"provinceCode": "23", "applicationIds": []})["applicationIds"] == "too_short"
    too_many = [str(i) for i in range(101)]
    assert errors_of(AnnouncementIn, {"provinceCode": "23", "applicationIds": too_many})["applicationIds"] == "too_long"


def test_the_applicant_view_of_a_question_drops_the_key():
    snapshot = {
        "questionId": "q1",
        "text": "پرسش",
        "category": "دسته",
        "choices": [{"choiceId": "a", "text": "الف"}, {"choiceId": "b", "text": "ب"}],
        "correctChoiceId": "b",
    }
    dumped = AttemptQuestionOut.from_snapshot(snapshot).model_dump(by_alias=True, mode="json")
    assert dumped == {"questionId": "q1", "text": "پرسش", "choices": snapshot["choices"]}


def test_the_shipped_bank_has_at_least_40_valid_questions_on_every_topic():
    bank = default_question_bank()
    assert len(bank.questions) >= 40
    categories = Counter(q.category for q in bank.questions)
    assert len(categories) >= 5 and min(categories.values()) >= 5
    # Every question is a valid admin question too (same limits, same rules).
    for q in bank.questions:
        QuestionIn.model_validate(
            {
                "text": q.text,
                "choices": [{"text": c} for c in q.choices],
                "correctChoiceIndex": q.correct_index,
                "category": q.category,
            }
        )
    # The key is not always in the same place.
    assert len({q.correct_index for q in bank.questions}) >= 3
