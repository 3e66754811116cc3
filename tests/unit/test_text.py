"""Persian normalisation: digits, yeh/kaf, ZWNJ kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nazer.text import is_ascii_digits, normalize_text, to_ascii_digits

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def test_persian_and_arabic_digits_become_ascii_keeping_leading_zeros():
    assert to_ascii_digits("۰۹۱۲۱۲۳۴۵۶۷") == "09121234567"
    assert to_ascii_digits("٠٠١٢") == "0012"


def test_arabic_letters_become_persian_and_zwnj_is_kept():
    assert normalize_text("  علي\u200cآباد كرمان ") == "علی\u200cآباد کرمان"


@given(st.text(alphabet="0123456789", min_size=1, max_size=12))
def test_any_script_of_digits_normalises_to_the_same_ascii(digits):
    persian = digits.translate(str.maketrans("0123456789", PERSIAN_DIGITS))
    arabic = digits.translate(str.maketrans("0123456789", ARABIC_DIGITS))
    assert to_ascii_digits(persian) == to_ascii_digits(arabic) == digits


def test_ascii_digit_check_refuses_other_scripts_and_partial_matches():
    assert is_ascii_digits("0012345679", 10)
    assert not is_ascii_digits("۰۰۱۲۳۴۵۶۷۹", 10)
    assert not is_ascii_digits("001234567", 10)
    assert not is_ascii_digits("0012345679\n", 10)
    assert not is_ascii_digits("")
