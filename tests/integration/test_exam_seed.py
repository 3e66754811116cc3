"""Seeding the default bank and settings: idempotent, and never undoing what HQ changed."""

from __future__ import annotations

from infra.seed import main as seed_main
from infra.seed import seed_exam_defaults
from nazer.aws import table
from nazer.dal import exam_settings, questions
from nazer.dal.exam_defaults import bank_question_id
from nazer.domain.exam import ExamSettings
from nazer.jalali import iso, now_utc


def test_seeding_twice_writes_once_and_keeps_hq_changes(aws):
    first = seed_exam_defaults(table())
    assert first.settings_written and first.questions_written == 59 and not first.bank_already_seeded
    bank = list(questions.iterate_bank())
    assert len(bank) == 59 and all(q["active"] for q in bank)
    assert exam_settings.get() == ExamSettings(20, 70, 30, 3, 24)

    # HQ deletes a shipped question and changes the settings; a second seed leaves both alone.
    deleted = bank_question_id("q001")
    assert questions.delete(deleted)
    exam_settings.put(ExamSettings(questions_per_attempt=10), iso(now_utc()), "hq")
    second = seed_exam_defaults(table())
    assert not second.settings_written and second.questions_written == 0 and second.bank_already_seeded
    assert questions.get(deleted) is None
    assert exam_settings.get().questions_per_attempt == 10


def test_shipped_questions_have_the_same_ids_everywhere(aws):
    seed_exam_defaults(table())
    stored = questions.get(bank_question_id("q001"))
    assert stored is not None and stored["bankKey"] == "q001"
    assert stored["text"].startswith("خریداری از فروشنده")
    assert stored["correctChoiceId"] == stored["choices"][1]["choiceId"]  # correctIndex 1 in the file


def test_the_deploy_command_seeds_a_named_table(aws, capsys):
    assert seed_main(["exam-defaults", "--table", aws.table_name, "--region", "us-east-1"]) == 0
    assert "'questions_written': 59" in capsys.readouterr().out
    assert len(list(questions.iterate_bank())) == 59
