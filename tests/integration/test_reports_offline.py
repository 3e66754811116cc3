"""POST /provinces/{p}/reports: officers register reports that came by 124, in person or in writing."""

from __future__ import annotations

import pytest

from nazer.dal import reports as store
from tests.support.events import api_event
from tests.support.lambdas import invoke
from tests.support.reports_factories import an_inspector, hq, new_code, officer, officer_body


def register(body, province="23", caller=None, headers=None):
    event = api_event(
        "POST",
        f"/provinces/{province}/reports",
        resource="/provinces/{provinceCode}/reports",
        path_parameters={"provinceCode": province},
        body=body,
        caller=caller or officer(province),
        headers=headers,
    )
    return invoke("reports", event)


def test_a_124_report_keeps_124s_tracking_number(aws):
    # Given an inspector of Isfahan whose report about a Tehran shop reached Tehran's 124 line
    _, code, _ = an_inspector(province="10")
    # When Tehran's officer registers it
    reply = register(officer_body(code, "system_124"))
    # Then it is in Tehran's queue, under the inspector's code, with 124's reference
    assert reply.status == 201, reply.text
    view = reply.json
    assert view["channel"] == "system_124" and view["externalReference"] == "124-1403-778899"
    assert view["inspectorCode"] == code and view["status"] == "RECEIVED"
    assert view["history"] == [{"status": "RECEIVED", "at": view["receivedAt"], "by": "officer-23", "note": None}]
    item = store.get(view["reportId"])
    assert item["gsi1pk"] == "REPPROV#23" and item["gsi2pk"] == f"REPINSP#{code}"
    assert item["registeredBy"] == officer()["sub"]


@pytest.mark.parametrize("channel", ["in_person", "written", "other"])
def test_other_offline_channels_need_no_reference(aws, channel):
    _, code, _ = an_inspector()
    reply = register(officer_body(code, channel))
    assert reply.status == 201, reply.text
    assert reply.json["channel"] == channel and reply.json["externalReference"] is None


def test_channel_web_is_refused(aws):
    _, code, _ = an_inspector()
    reply = register(officer_body(code, "web"))
    assert reply.status == 422 and [e["field"] for e in reply.json["errors"]] == ["channel"]


def test_a_124_report_without_its_reference_is_refused(aws):
    _, code, _ = an_inspector()
    body = officer_body(code, "system_124")
    body.pop("externalReference")
    reply = register(body)
    assert reply.status == 422 and [e["field"] for e in reply.json["errors"]] == ["externalReference"]


def test_an_unknown_inspector_code_is_422_on_that_field(aws):
    reply = register(officer_body(new_code()))
    assert reply.status == 422 and [e["field"] for e in reply.json["errors"]] == ["inspectorCode"]


def test_a_suspended_inspectors_report_is_not_registered(aws):
    _, code, _ = an_inspector(status="SUSPENDED")
    reply = register(officer_body(code))
    assert reply.status == 409 and reply.json["type"] == "invalid-state"


def test_a_province_registers_only_reports_about_its_own_businesses(aws):
    _, code, _ = an_inspector()
    body = officer_body(code)
    body["business"] |= {"provinceCode": "10", "countyCode": "01"}
    reply = register(body)
    assert reply.status == 422 and [e["field"] for e in reply.json["errors"]] == ["business.provinceCode"]


def test_only_an_officer_of_that_province_registers(aws):
    inspector, code, _ = an_inspector()
    assert register(officer_body(code), "23", caller=officer("10")).status == 403
    assert register(officer_body(code), "23", caller=hq()).status == 403
    assert register(officer_body(code), "23", caller=inspector).status == 403


def test_offline_reports_do_not_use_the_inspectors_daily_allowance(aws):
    _, code, _ = an_inspector()
    for _ in range(21):
        assert register(officer_body(code, "written")).status == 201


def test_a_repeated_registration_with_its_key_creates_one_report(aws):
    _, code, _ = an_inspector()
    body = officer_body(code)
    key = {"Idempotency-Key": "register-124-0001"}
    first, again = register(body, headers=key), register(body, headers=key)
    assert first.status == again.status == 201 and first.json == again.json
    assert len(store.list_for_inspector(code, 10, None).items) == 1
