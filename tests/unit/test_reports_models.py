"""Every validation rule of the report, attachment, transition and outreach bodies, by field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from nazer.http import validation_errors
from nazer.messages import persian_message
from nazer.models.reports import AttachmentIn, OfficerReportIn, OutreachIn, ReportIn, TransitionIn
from tests.support.reports_factories import officer_body, report_body


def fields_of(model: Any, body: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(body)
    return [err.field for err in validation_errors([dict(e) for e in caught.value.errors()])]


def business(**changes: Any) -> dict[str, Any]:
    value = dict(report_body()["business"])
    for key, change in changes.items():
        if change is None:
            value.pop(key)
        else:
            value[key] = change
    return value


def test_a_valid_report_is_accepted():
    model = ReportIn.model_validate(report_body())
    assert model.business.province_code == "23" and model.violation_types[0] == "overpricing"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"violationTypes": []}, "violationTypes"),
        ({"violationTypes": ["littering"]}, "violationTypes.0"),
        ({"violationTypes": None}, "violationTypes"),
        ({"business": business(provinceCode="99")}, "business.provinceCode"),
        ({"business": business(provinceCode="2")}, "business.provinceCode"),
        ({"business": business(countyCode="98")}, "business.countyCode"),
        ({"business": business(countyCode="x1")}, "business.countyCode"),
        ({"business": business(name="   ")}, "business.name"),
        ({"business": business(name="ن" * 201)}, "business.name"),
        ({"business": business(guild=None)}, "business.guild"),
        ({"business": business(address="")}, "business.address"),
        ({"business": business(extra="x")}, "business.extra"),
        ({"observedPriceRials": -1}, "observedPriceRials"),
        ({"observedPriceRials": 12.5}, "observedPriceRials"),
        ({"officialPriceRials": "1000"}, "officialPriceRials"),
        ({"officialPriceRials": True}, "officialPriceRials"),
        ({"observedAt": "2024-09-26T10:00:00"}, "observedAt"),
        ({"observedAt": "yesterday"}, "observedAt"),
        ({"observedAt": None}, "observedAt"),
        ({"description": "کوتاه"}, "description"),
        ({"description": "ا" * 4001}, "description"),
        ({"product": "م" * 201}, "product"),
        ({"reporterName": "x"}, "reporterName"),
    ],
)
def test_each_rule_of_the_report_body_names_its_field(changes, field):
    assert fields_of(ReportIn, report_body(**changes)) == [field]


def test_a_county_the_province_does_not_have_is_refused_with_a_persian_message():
    from nazer.regions import regions

    tehran = {county.code for county in regions().province("23").counties}
    missing = next(f"{n:02d}" for n in range(1, 100) if f"{n:02d}" not in tehran)
    errors = fields_of(ReportIn, report_body(business=business(countyCode=missing)))
    assert errors == ["business.countyCode"]
    assert persian_message("county_not_in_province") == "این شهرستان در استان انتخاب‌شده نیست"


def test_optional_fields_may_be_absent_or_blank_and_repeated_types_collapse():
    model = ReportIn.model_validate(
        report_body(
            product="  ",
            observedPriceRials=None,
            officialPriceRials=None,
            violationTypes=["hoarding", "hoarding", "no_invoice"],
        )
    )
    assert model.product is None and model.observed_price_rials is None
    assert model.violation_types == ["hoarding", "no_invoice"]


def test_text_is_normalised_before_it_is_measured():
    model = ReportIn.model_validate(report_body(description="  كالا با قيمت ۲۰۰ فروخته شد  "))
    assert model.description == "کالا با قیمت 200 فروخته شد"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "web"}, "channel"),
        ({"channel": "fax"}, "channel"),
        ({"inspectorCode": "123"}, "inspectorCode"),
        ({"inspectorCode": "23014O0001"}, "inspectorCode"),
        ({"externalReference": "ش" * 101}, "externalReference"),
    ],
)
def test_each_rule_of_an_officer_registered_report(changes, field):
    assert fields_of(OfficerReportIn, officer_body("2301400001", **changes)) == [field]


def test_offline_channels_other_than_124_need_no_external_reference():
    for channel in ("in_person", "written", "other"):
        assert OfficerReportIn.model_validate(officer_body("۲۳۰۱۴۰۰۰۰۱", channel=channel)).external_reference is None
    model = OfficerReportIn.model_validate(officer_body("۲۳۰۱۴۰۰۰۰۱"))
    assert model.inspector_code == "2301400001" and model.external_reference == "124-1403-778899"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fileName": "a.gif", "contentType": "image/gif", "sizeBytes": 10}, "contentType"),
        ({"fileName": "a.html", "contentType": "text/html", "sizeBytes": 10}, "contentType"),
        ({"fileName": "a.jpg", "contentType": "image/jpeg", "sizeBytes": 0}, "sizeBytes"),
        ({"fileName": "a.jpg", "contentType": "image/jpeg", "sizeBytes": "12"}, "sizeBytes"),
        ({"fileName": "", "contentType": "image/jpeg", "sizeBytes": 12}, "fileName"),
        ({"fileName": "../..", "contentType": "image/jpeg", "sizeBytes": 12}, "fileName"),
    ],
)
def test_each_rule_of_an_attachment_request(body, field):
    assert fields_of(AttachmentIn, body) == [field]


def test_attachment_names_lose_their_path_and_types_their_case():
    model = AttachmentIn.model_validate(
        {"fileName": "C:\\Users\\x\\رسید.PDF", "contentType": " Application/PDF ", "sizeBytes": 5}
    )
    assert model.file_name == "رسید.PDF" and model.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"status": "CLOSED"}, "status"), ({"status": "CONFIRMED", "note": "ن" * 2001}, "note"), ({}, "status")],
)
def test_each_rule_of_a_transition(body, field):
    assert fields_of(TransitionIn, body) == [field]


OUTREACH = {"date": "1403/07/05", "type": "public_call", "title": "فراخوان عمومی", "peopleReached": 120}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "1403/13/01"}, "date"),
        ({"date": "1403/12/31"}, "date"),  # 1403 is leap: Esfand has 30 days
        ({"date": "2024-09-26"}, "date"),
        ({"type": "concert"}, "type"),
        ({"title": ""}, "title"),
        ({"peopleReached": -1}, "peopleReached"),
        ({"peopleReached": 1.5}, "peopleReached"),
    ],
)
def test_each_rule_of_an_outreach_activity(changes, field):
    assert fields_of(OutreachIn, {**OUTREACH, **changes}) == [field]


def test_an_outreach_date_in_persian_digits_is_accepted():
    assert OutreachIn.model_validate({**OUTREACH, "date": "۱۴۰۳/۱۲/۳۰"}).date == "1403/12/30"
