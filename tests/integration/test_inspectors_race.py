"""Threads racing to issue codes, against the locked moto server (in-process moto is not thread-safe)."""

from __future__ import annotations

import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from nazer.auth import Caller
from nazer.aws import table
from nazer.dal import inspectors as repository
from nazer.domain.backoff import RetryPolicy
from nazer.logic.inspectors import issue_inspector_code
from tests.support.inspectors_factories import put_applications, read_counter

NOW = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)
# One locked emulator serves every thread, so a try waits behind all the others: give the retries
# room here (this test is about exactness; the budget itself is tested with injected conflicts).
PATIENT = RetryPolicy(budget_seconds=120, max_tries=500)


def officer_of(province: str) -> Caller:
    return Caller(
        sub=f"officer-{province}",
        username=f"officer-{province}",
        groups=frozenset({"province-officer"}),
        province=province,
    )


def test_sixteen_threads_issue_one_gapless_sequence_and_one_code_per_applicant(served):
    # Given 40 approved applicants of Qom (25), county 01, each to be issued twice, in random order
    applications = put_applications(table(), 40, province="25", county="01")
    requests = [app["applicationId"] for app in applications] * 2
    random.Random(5).shuffle(requests)
    caller = officer_of("25")

    # When 16 threads issue them at once
    def issue(application_id: str):
        return application_id, issue_inspector_code(caller, "25", application_id, NOW, retry=PATIENT)

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(issue, requests))

    # Then each applicant was issued once (one created, one repeat) and both answers agree
    by_application: dict[str, list] = defaultdict(list)
    for application_id, outcome in outcomes:
        by_application[application_id].append(outcome)
    assert len(by_application) == 40
    for pair in by_application.values():
        assert sorted(outcome.created for outcome in pair) == [False, True]
        assert pair[0].code == pair[1].code
    # And the codes are exactly 2501400001 … 2501400040
    codes = {pair[0].code.inspector_code for pair in by_application.values()}
    assert codes == {f"250140{n:04d}" for n in range(1, 41)}
    assert read_counter(table(), "25", "01") == 40
    # And the table agrees: each application holds its code, each code its guard and inspector
    for application_id, pair in by_application.items():
        code = pair[0].code.inspector_code
        stored = table().get_item(Key={"pk": f"APP#{application_id}", "sk": "APP"}, ConsistentRead=True)["Item"]
        assert (stored["status"], stored["inspectorCode"]) == ("ACTIVE", code)
        assert repository.get(code)["applicationId"] == application_id


def test_counties_race_independently(served):
    # Given 15 applicants in each of three counties of Zanjan (19)
    counties = ("01", "02", "03")
    applications = [app for county in counties for app in put_applications(table(), 15, province="19", county=county)]
    requests = [app["applicationId"] for app in applications] * 2
    random.Random(7).shuffle(requests)
    caller = officer_of("19")
    # When 16 threads issue them
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(
            pool.map(
                lambda application_id: issue_inspector_code(caller, "19", application_id, NOW, retry=PATIENT), requests
            )
        )
    # Then each county has its own gapless sequence
    for county in counties:
        codes = {o.code.inspector_code for o in outcomes if o.code.county_code == county}
        assert codes == {f"19{county}40{n:04d}" for n in range(1, 16)}
        assert read_counter(table(), "19", county) == 15
    assert sum(outcome.created for outcome in outcomes) == 45
