"""Reading the caller from the claims API Gateway hands over."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nazer.auth import caller_from_claims, parse_groups
from nazer.errors import DomainError


@pytest.mark.parametrize(
    "raw",
    [
        ["hq-admin", "province-officer"],  # the token itself
        "hq-admin,province-officer",  # REST API Cognito authorizer
        "[hq-admin province-officer]",  # HTTP API JWT authorizer
        '["hq-admin", "province-officer"]',
    ],
)
def test_groups_parse_in_every_format(raw):
    assert parse_groups(raw) == {"hq-admin", "province-officer"}


@given(st.lists(st.from_regex(r"[a-z][a-z\-]{0,20}", fullmatch=True), max_size=5))
def test_groups_round_trip_through_the_rest_form(groups):
    assert parse_groups(",".join(groups)) == set(groups)
    assert parse_groups("[" + " ".join(groups) + "]") == set(groups)


def test_no_groups_means_a_plain_applicant():
    caller = caller_from_claims({"sub": "u1"})
    assert caller.groups == frozenset()
    assert not caller.is_hq and not caller.is_officer


def test_missing_claims_are_unauthorized():
    with pytest.raises(DomainError) as error:
        caller_from_claims(None)
    assert error.value.status == 401


def test_officer_scope_is_the_province_attribute():
    caller = caller_from_claims({"sub": "u2", "cognito:groups": "province-officer", "custom:province": "23"})
    caller.require_officer_of("23")
    with pytest.raises(DomainError) as error:
        caller.require_officer_of("24")
    assert error.value.status == 403


def test_hq_reads_every_province_but_cannot_act_as_an_officer():
    hq = caller_from_claims({"sub": "u3", "cognito:groups": "hq-admin"})
    hq.require_province_reader("05")
    with pytest.raises(DomainError):
        hq.require_officer_of("05")


def test_an_officer_without_a_province_has_no_scope():
    caller = caller_from_claims({"sub": "u4", "cognito:groups": "province-officer"})
    with pytest.raises(DomainError):
        caller.require_province_reader("23")
