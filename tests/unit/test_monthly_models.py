"""The submission body: optional remarks, normalised, bounded; nothing else accepted."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from nazer.models.monthly_reports import SubmissionRequest


def test_remarks_are_normalised_persian_text():
    body = SubmissionRequest.model_validate({"remarks": "  گزارش ماه مهر ۱۴۰۳ - شهرستان ري و كرج  "})
    assert body.remarks == "گزارش ماه مهر 1403 - شهرستان ری و کرج"


@pytest.mark.parametrize("payload", [{}, {"remarks": None}, {"remarks": "   "}])
def test_no_remarks_is_fine(payload):
    assert SubmissionRequest.model_validate(payload).remarks is None


@pytest.mark.parametrize("payload", [{"remarks": "x" * 2001}, {"remarks": 12}, {"submittedAt": "2024-10-01T00:00:00Z"}])
def test_long_remarks_wrong_types_and_unknown_fields_are_refused(payload):
    with pytest.raises(ValidationError):
        SubmissionRequest.model_validate(payload)
