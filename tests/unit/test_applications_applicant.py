"""Mobile, postal code, email, birth date and name rules of the membership form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nazer.domain.applicant import (
    age_on,
    birth_date_problem,
    is_email,
    is_person_name,
    normalize_jalali_birth_date,
    normalize_mobile,
    normalize_postal_code,
)
from nazer.jalali import parse_jalali_date

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "raw",
    [
        "09121234567",
        "+989121234567",
        "00989121234567",
        "989121234567",
        "9121234567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "+۹۸۹۱۲۱۲۳۴۵۶۷",
        "0912 123 4567",
        "0912-123-4567",
        "(+98) 912 123 45 67",
    ],
)
def test_mobile_forms_people_type_normalise_to_09(raw):
    assert normalize_mobile(raw) == "09121234567"


@pytest.mark.parametrize(
    "raw",
    ["", "0912123456", "091212345678", "08121234567", "+18121234567", "912123456", "0912abc4567", "+98 21 1234 5678"],
)
def test_not_a_mobile(raw):
    assert normalize_mobile(raw) is None


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_spelling_of_a_mobile_gives_the_same_number(rest):
    number = "09" + rest
    national = number[1:]
    spellings = [number, "+98" + national, "0098" + national, "98" + national, national]
    spellings += [number.translate(PERSIAN), ("+98" + national).translate(ARABIC)]
    assert {normalize_mobile(spelling) for spelling in spellings} == {number}


def test_postal_code():
    assert normalize_postal_code("1315693111") == "1315693111"
    assert normalize_postal_code("13156-93111") == "1315693111"
    assert normalize_postal_code("۱۳۱۵۶۹۳۱۱۱") == "1315693111"
    assert normalize_postal_code("131569311") is None
    assert normalize_postal_code("13156931110") is None


@pytest.mark.parametrize("good", ["a@example.com", "maryam.ahmadi+nazer@mail.example.ir"])
def test_email_accepts(good):
    assert is_email(good)


@pytest.mark.parametrize("bad", ["", "a", "a@", "@example.com", "a@example", "a b@example.com", "مریم@example.com"])
def test_email_refuses(bad):
    assert not is_email(bad)


def test_birth_dates_in_forms_people_type():
    assert str(normalize_jalali_birth_date("1370/05/12")) == "1370-05-12"
    assert str(normalize_jalali_birth_date("1370/5/2")) == "1370-05-02"
    assert str(normalize_jalali_birth_date("۱۳۷۰/۰۵/۱۲")) == "1370-05-12"
    assert str(normalize_jalali_birth_date("1370-05-12")) == "1370-05-12"


@pytest.mark.parametrize("bad", ["1370/13/01", "1370/07/31", "1404/12/30", "1370/00/10", "70/05/12", "1370/05", "x"])
def test_birth_date_must_be_a_real_jalali_date(bad):
    assert normalize_jalali_birth_date(bad) is None


def test_esfand_30_exists_in_leap_years_only():
    assert normalize_jalali_birth_date("1403/12/30") is not None
    assert normalize_jalali_birth_date("1404/12/30") is None


def test_eighteen_on_the_tehran_date_not_the_utc_date():
    # Given someone born 1385/07/05, and an instant that is still 1403/07/04 in UTC but already
    # 1403/07/05 in Tehran (00:10 Tehran is 20:40 UTC the day before)
    birth = parse_jalali_date("1385/07/05")
    tehran_birthday = datetime(2024, 9, 25, 20, 40, tzinfo=UTC)
    the_evening_before = datetime(2024, 9, 25, 20, 20, tzinfo=UTC)
    # Then the age counts from the Tehran calendar
    assert age_on(birth, tehran_birthday) == 18
    assert birth_date_problem(birth, tehran_birthday) is None
    assert age_on(birth, the_evening_before) == 17
    problem = birth_date_problem(birth, the_evening_before)
    assert problem is not None and "at least 18" in problem[0]


def test_future_and_implausible_birth_dates():
    now = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)
    future = birth_date_problem(parse_jalali_date("1403/07/06"), now)
    assert future is not None and future[0] == "is in the future"
    old = birth_date_problem(parse_jalali_date("1280/01/01"), now)
    assert old is not None and "plausible" in old[0]


@pytest.mark.parametrize("good", ["مریم", "محمدرضا", "محمد\u200cرضا", "Maryam", "O'Neil", "سید علی", "مؤمن"])
def test_names_accept(good):
    assert is_person_name(good)


@pytest.mark.parametrize("bad", ["", "مریم2", "<script>", "a@b", "---", " ", "علی!"])
def test_names_refuse(bad):
    assert not is_person_name(bad)
