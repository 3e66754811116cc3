"""Persian wording of validation messages, keyed by the pydantic error type."""

from __future__ import annotations

VALIDATION_FA: dict[str, str] = {
    "missing": "این فیلد الزامی است",
    "json_invalid": "بدنهٔ درخواست JSON معتبر نیست",
    "model_attributes_type": "بدنهٔ درخواست باید یک شیء JSON باشد",
    "model_type": "بدنهٔ درخواست باید یک شیء JSON باشد",
    "dict_type": "باید یک شیء باشد",
    "list_type": "باید یک فهرست باشد",
    "string_type": "باید متن باشد",
    "int_type": "باید عدد صحیح باشد",
    "int_parsing": "باید عدد صحیح باشد",
    "int_from_float": "باید عدد صحیح باشد",
    "bool_type": "باید درست یا نادرست باشد",
    "bool_parsing": "باید درست یا نادرست باشد",
    "string_too_short": "متن کوتاه‌تر از حد مجاز است",
    "string_too_long": "متن بلندتر از حد مجاز است",
    "too_short": "تعداد موارد کمتر از حد مجاز است",
    "too_long": "تعداد موارد بیشتر از حد مجاز است",
    "greater_than_equal": "مقدار کمتر از حد مجاز است",
    "less_than_equal": "مقدار بیشتر از حد مجاز است",
    "greater_than": "مقدار کمتر از حد مجاز است",
    "less_than": "مقدار بیشتر از حد مجاز است",
    "literal_error": "مقدار از گزینه‌های مجاز نیست",
    "enum": "مقدار از گزینه‌های مجاز نیست",
    "extra_forbidden": "این فیلد شناخته‌شده نیست",
    "string_pattern_mismatch": "قالب مقدار درست نیست",
    "value_error": "مقدار نامعتبر است",
    "datetime_parsing": "تاریخ و زمان معتبر نیست",
    "datetime_from_date_parsing": "تاریخ و زمان معتبر نیست",
    "timezone_aware": "زمان باید منطقهٔ زمانی داشته باشد",
    "uuid_parsing": "شناسه معتبر نیست",
    "national_id_invalid": "کد ملی معتبر نیست",
    "mobile_invalid": "شمارهٔ همراه معتبر نیست",
    "jalali_date_invalid": "تاریخ شمسی معتبر نیست (قالب ۱۴۰۳/۰۷/۰۵)",
    "underage": "سن متقاضی باید دست‌کم ۱۸ سال باشد",
    "county_not_in_province": "این شهرستان در استان انتخاب‌شده نیست",
    "province_unknown": "کد استان معتبر نیست",
    "consent_required": "پذیرش این مورد الزامی است",
    "postal_code_invalid": "کد پستی باید ۱۰ رقم باشد",
    "email_invalid": "نشانی رایانامه معتبر نیست",
    "cursor_invalid": "نشانگر صفحه معتبر نیست",
    "period_invalid": "دورهٔ ماهانه معتبر نیست (قالب ۱۴۰۳-۰۷)",
}


def persian_message(error_type: str) -> str:
    return VALIDATION_FA.get(error_type, "مقدار نامعتبر است")


def register(messages: dict[str, str]) -> None:
    """Add a context's own validation messages (custom pydantic error types) to the catalogue."""
    VALIDATION_FA.update(messages)
