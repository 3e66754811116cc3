"""The national ID check digit (کد ملی), as a property of every ID and every one-digit typo."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from nazer.domain.national_id import check_digit, is_valid_national_id, national_id_problem, normalize_national_id

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def weighted_remainder(national_id: str) -> int:
    return sum(int(digit) * (10 - position) for position, digit in enumerate(national_id[:9])) % 11


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    body = draw(nine_digits)
    national_id = body + str(check_digit(body))
    assume(len(set(national_id)) > 1)
    return national_id


@given(valid_ids())
def test_every_generated_national_id_passes(national_id):
    # Given nine digits completed with their check digit (and not one repeated digit)
    # When it is checked / Then it is valid
    assert is_valid_national_id(national_id)


@given(valid_ids(), st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_every_single_digit_corruption_fails_except_the_algorithms_own_blind_spot(national_id, position, shift):
    # Given a valid ID with one digit replaced by another
    corrupted = national_id[:position] + str((int(national_id[position]) + shift) % 10) + national_id[position + 1 :]
    # When it is checked
    valid = is_valid_national_id(corrupted)
    # Then it fails, unless the typo moved the weighted remainder between 1 and 10: the official rule
    # writes both as check digit 1, so no checker following it can tell them apart.
    remainders = {weighted_remainder(national_id), weighted_remainder(corrupted)}
    blind_spot = position < 9 and remainders == {1, 10} and len(set(corrupted)) > 1
    assert valid is blind_spot


@given(valid_ids())
def test_a_wrong_check_digit_always_fails(national_id):
    for digit in "0123456789":
        if digit != national_id[9]:
            assert not is_valid_national_id(national_id[:9] + digit)


def test_the_blind_spot_of_the_official_rule_is_real():
    # Remainders 1 and 10 both give check digit 1: these two differ in one digit and both pass.
    assert weighted_remainder("9243948091") in {1, 10}
    assert is_valid_national_id("9243948091") and is_valid_national_id("9243948891")


def test_one_repeated_digit_is_refused_although_its_check_digit_is_right():
    for digit in "0123456789":
        national_id = digit * 10
        assert check_digit(national_id[:9]) == int(digit)
        assert national_id_problem(national_id) == "cannot be one repeated digit"


def test_known_ids():
    assert is_valid_national_id("0012345679")
    assert national_id_problem("0012345678") == "check digit does not match"
    assert national_id_problem("001234567") == "must be 10 digits"
    assert national_id_problem("00123456790") == "must be 10 digits"


def test_persian_and_arabic_digits_are_normalised_first_then_only_ascii_passes():
    assert normalize_national_id("۰۰۱۲۳۴۵۶۷۹") == "0012345679"
    assert normalize_national_id("٠٠١٢٣٤٥٦٧٩") == "0012345679"
    assert normalize_national_id(" 001-234567-9 ") == "0012345679"
    # Other scripts' digits (here Devanagari and full-width) are not normalised and never pass.
    assert not is_valid_national_id("००१२३४५६७९")
    assert not is_valid_national_id("００１２３４５６７９")
    assert not is_valid_national_id("001234567a")
