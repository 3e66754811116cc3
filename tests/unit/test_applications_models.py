"""The membership form model: what it normalises, what it refuses, and where it says so."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from nazer.models.applications import ApplicationRequest
from tests.support.applications_factories import application_body


def errors_of(body: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        ApplicationRequest.model_validate(body)
    return {".".join(str(part) for part in err["loc"]): err["type"] for err in caught.value.errors()}


def test_persian_text_is_normalised_before_it_is_stored():
    # Given Arabic yeh/kaf, Persian digits, a ZWNJ and surrounding spaces
    body = application_body(
        firstName="  مريم ",
        lastName="كاظمی",
        fatherName="محمد\u200cعلي",
        address="خيابان ۱۲ فروردین، پلاک ٣٤",
        nationalId="۰۰۱۲۳۴۵۶۷۹",
        birthDate="۱۳۷۰/۵/۲",
        mobile="+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷",
        provinceCode="۲۳",
        countyCode="۰۱",
        postalCode="۱۳۱۵۶-۹۳۱۱۱",
    )
    # When the form is parsed
    form = ApplicationRequest.model_validate(body)
    # Then Persian letters, ASCII digits, the ZWNJ kept and no surrounding space
    assert form.first_name == "مریم"
    assert form.last_name == "کاظمی"
    assert form.father_name == "محمد\u200cعلی"
    assert form.address == "خیابان 12 فروردین، پلاک 34"
    assert form.national_id == "0012345679"
    assert form.birth_date == "1370/05/02"
    assert form.mobile == "09121234567"
    assert (form.province_code, form.county_code) == ("23", "01")
    assert form.postal_code == "1315693111"


def test_blank_optional_fields_are_absent():
    form = ApplicationRequest.model_validate(
        application_body(email="", address="  ", postalCode="", fieldOfStudy="", motivation="")
    )
    assert (form.email, form.address, form.postal_code, form.field_of_study, form.motivation) == (None,) * 5


@pytest.mark.parametrize(
    ("overrides", "field", "error_type"),
    [
        ({"nationalId": "0012345678"}, "nationalId", "national_id_invalid"),
        ({"nationalId": "1111111111"}, "nationalId", "national_id_invalid"),
        ({"nationalId": 12345679}, "nationalId", "string_type"),
        ({"firstName": "مریم۲"}, "firstName", "name_invalid"),
        ({"lastName": ""}, "lastName", "string_too_short"),
        ({"fatherName": "ع" * 51}, "fatherName", "string_too_long"),
        ({"birthDate": "1370/13/01"}, "birthDate", "jalali_date_invalid"),
        ({"gender": "other"}, "gender", "literal_error"),
        ({"mobile": "0912123"}, "mobile", "mobile_invalid"),
        ({"email": "not-an-email"}, "email", "email_invalid"),
        ({"provinceCode": "32"}, "provinceCode", "province_unknown"),
        ({"provinceCode": "۹۹"}, "provinceCode", "province_unknown"),
        ({"countyCode": "1"}, "countyCode", "county_invalid"),
        ({"countyCode": "98"}, "countyCode", "county_not_in_province"),
        ({"postalCode": "12345"}, "postalCode", "postal_code_invalid"),
        ({"education": "phd"}, "education", "literal_error"),
        ({"occupation": "x" * 101}, "occupation", "string_too_long"),
        ({"affiliation": "banker"}, "affiliation", "literal_error"),
        ({"referralChannel": "tv"}, "referralChannel", "literal_error"),
        ({"motivation": "م" * 1001}, "motivation", "string_too_long"),
        ({"address": "م" * 301}, "address", "string_too_long"),
        ({"conflictOfInterest": {"ownsOrWorksInBusiness": True}}, "conflictOfInterest.guild", "guild_required"),
        (
            {"conflictOfInterest": {"ownsOrWorksInBusiness": "yes"}},
            "conflictOfInterest.ownsOrWorksInBusiness",
            "bool_type",
        ),
        (
            {"consents": {"terms": False, "confidentialityPledge": True, "pledgeVersion": "1403-1"}},
            "consents.terms",
            "consent_required",
        ),
        (
            {"consents": {"terms": True, "confidentialityPledge": "true", "pledgeVersion": "1403-1"}},
            "consents.confidentialityPledge",
            "bool_type",
        ),
        (
            {"consents": {"terms": True, "confidentialityPledge": True, "pledgeVersion": "<b>"}},
            "consents.pledgeVersion",
            "pledge_version_invalid",
        ),
        ({"nickname": "x"}, "nickname", "extra_forbidden"),
    ],
)
def test_each_invalid_field_is_named(overrides, field, error_type):
    assert errors_of(application_body(**overrides)) == {field: error_type}


def test_a_missing_required_field_is_named():
    body = application_body()
    del body["referralChannel"]
    assert errors_of(body) == {"referralChannel": "missing"}


def test_the_guild_is_kept_only_for_applicants_in_business():
    inside = ApplicationRequest.model_validate(
        application_body(conflictOfInterest={"ownsOrWorksInBusiness": True, "guild": "صنف نانوايان"})
    )
    assert inside.conflict_of_interest.guild == "صنف نانوایان"
    outside = ApplicationRequest.model_validate(
        application_body(conflictOfInterest={"ownsOrWorksInBusiness": False, "guild": "صنف نانوایان"})
    )
    assert outside.conflict_of_interest.guild is None


def test_a_county_of_south_kerman_is_not_one_of_kerman():
    # Jiroft (03) belongs to South Kerman (31) and no longer to Kerman (08)
    assert ApplicationRequest.model_validate(application_body(provinceCode="31", countyCode="03"))
    assert errors_of(application_body(provinceCode="08", countyCode="03")) == {"countyCode": "county_not_in_province"}
