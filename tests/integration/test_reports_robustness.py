"""No input, however malformed, yields a 5xx from the reports function."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.events import api_event
from tests.support.lambdas import invoke
from tests.support.reports_factories import an_inspector, officer, report_body

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
FIELDS = [*report_body(), "inspectorCode", "channel", "externalReference"]
# Bodies close to valid ones: every field of a report, each possibly replaced by junk.
near_reports = st.fixed_dictionaries({}, optional={field: json_values for field in FIELDS}).map(
    lambda junk: report_body() | junk
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_handled(reply):
    assert reply.status < 500, reply.text
    assert reply.content_type in {"application/json", "application/problem+json"}


@FUZZ
@given(body=st.one_of(json_values, near_reports))
def test_report_bodies(aws, body):
    caller, _, _ = an_inspector()
    assert_handled(invoke("reports", api_event("POST", "/reports", body=body, caller=caller)))
    event = api_event(
        "POST",
        "/provinces/23/reports",
        resource="/provinces/{provinceCode}/reports",
        path_parameters={"provinceCode": "23"},
        body=body,
        caller=officer(),
    )
    assert_handled(invoke("reports", event))


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["status", "county", "violationType", "from", "to", "limit", "cursor"]),
        st.text(max_size=40),
        max_size=5,
    ),
    province=st.text(min_size=1, max_size=4).filter(lambda p: "/" not in p),
)
def test_queue_queries(aws, query, province):
    event = api_event(
        "GET",
        f"/provinces/{province}/reports",
        resource="/provinces/{provinceCode}/reports",
        path_parameters={"provinceCode": province},
        query=query or None,
        caller=officer(province if len(province) == 2 else "23"),
    )
    assert_handled(invoke("reports", event))


@FUZZ
@given(raw=st.one_of(st.text(max_size=60), json_values.map(json.dumps)), report_id=st.text(min_size=1, max_size=30))
def test_raw_bodies_and_ids_on_every_post(aws, raw, report_id):
    caller, _, _ = an_inspector()
    report_id = report_id.replace("/", "_")
    for path, resource, params, who in (
        ("/reports", "/reports", None, caller),
        (f"/reports/{report_id}/attachments", "/reports/{reportId}/attachments", {"reportId": report_id}, caller),
        (
            f"/provinces/23/reports/{report_id}/transitions",
            "/provinces/{provinceCode}/reports/{reportId}/transitions",
            {"provinceCode": "23", "reportId": report_id},
            officer(),
        ),
        (
            "/provinces/23/outreach-activities",
            "/provinces/{provinceCode}/outreach-activities",
            {"provinceCode": "23"},
            officer(),
        ),
    ):
        event = api_event("POST", path, resource=resource, path_parameters=params, raw_body=raw, caller=who)
        assert_handled(invoke("reports", event))
