"""The concurrency proof, over HTTP against the local stack (its moto server runs behind the request
lock, so what is tested is our conditional transaction, not moto's thread safety).

200 approved applicants, every request sent twice, 16 callers at once: every applicant ends with
exactly one code, a county's codes are exactly …400001…400200 with no gap, and the two answers
per applicant are one 201 and one 200 with the same code.
"""

from __future__ import annotations

import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.support.inspectors_factories import put_applications, read_counter, stack_table

pytestmark = pytest.mark.e2e

THREADS = 16
MAX_BUSY_RETRIES = 20


@pytest.fixture(scope="module", autouse=True)
def sixteen_warm_workers(stack):
    """Let the gateway start its 16 worker processes (on demand, seconds each) before the race."""
    token = stack.demo_token("hq-admin")

    def read(_: int) -> int:
        reply = requests.get(f"{stack.api}/provinces/04/inspectors", headers={"Authorization": token}, timeout=300)
        return reply.status_code

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        assert set(pool.map(read, range(2 * THREADS))) == {200}


def issue_all(stack: Any, province: str, application_ids: list[str], seed: int) -> dict[str, list[dict[str, Any]]]:
    """POST every application twice, in random order, from THREADS threads; the answers per application.

    A 503 (the retry budget ran out while the single emulator served everyone) is what a client is
    told to retry: it is retried at once, and must always carry Retry-After.
    """
    token = stack.demo_token("province-officer", province)
    requests = application_ids * 2
    random.Random(seed).shuffle(requests)

    def issue(application_id: str) -> tuple[str, dict[str, Any]]:
        busy = 0
        while True:
            reply = stack.call(
                "POST", f"/provinces/{province}/inspectors", token, json={"applicationId": application_id}
            )
            if reply.status_code != 503:
                return application_id, {"status": reply.status_code, "body": reply.json(), "busy": busy}
            assert reply.headers.get("Retry-After") and reply.json()["type"] == "service-unavailable"
            busy += 1
            assert busy <= MAX_BUSY_RETRIES, "the service stayed busy"

    answers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for application_id, answer in pool.map(issue, requests):
            answers[application_id].append(answer)
    return answers


def assert_one_code_each(answers: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Per application: one 201 and one 200, the same code; returns application → code."""
    codes: dict[str, str] = {}
    for application_id, pair in answers.items():
        assert sorted(answer["status"] for answer in pair) == [200, 201], (application_id, pair)
        first, second = (answer["body"] for answer in pair)
        assert first == second
        assert first["applicationId"] == application_id
        codes[application_id] = first["inspectorCode"]
    assert len(set(codes.values())) == len(codes), "a code was issued twice"
    return codes


def assert_stored(table: Any, province: str, codes: dict[str, str]) -> None:
    """The table agrees: each application ACTIVE with its code, each code's inspector points back."""
    for application_id, code in codes.items():
        item = table.get_item(Key={"pk": f"APP#{application_id}", "sk": "APP"}, ConsistentRead=True)["Item"]
        assert (item["status"], item["inspectorCode"]) == ("ACTIVE", code)
        inspector = table.get_item(Key={"pk": f"INSPECTOR#{code}", "sk": "INSPECTOR"}, ConsistentRead=True)["Item"]
        assert inspector["applicationId"] == application_id and inspector["provinceCode"] == province
        guard = table.get_item(Key={"pk": f"CODE#{code}", "sk": "CODE"}, ConsistentRead=True)["Item"]
        assert guard["applicationId"] == application_id


def listed_codes(stack: Any, province: str, county: str) -> list[str]:
    """The codes GET /provinces/{p}/inspectors?county= lists, following every page."""
    token = stack.demo_token("hq-admin")
    codes: list[str] = []
    cursor = None
    while True:
        query = {"county": county, "limit": "100"} | ({"cursor": cursor} if cursor else {})
        reply = stack.call("GET", f"/provinces/{province}/inspectors", token, params=query)
        assert reply.status_code == 200
        codes += [item["inspectorCode"] for item in reply.json()["items"]]
        cursor = reply.json()["nextCursor"]
        if not cursor:
            return codes


def test_200_applicants_of_one_county_get_200_consecutive_codes(stack):
    # Given 200 approved applicants of West Azerbaijan (04), county 01, whose counter is untouched
    table = stack_table(stack.descriptor)
    assert read_counter(table, "04", "01") is None
    applications = put_applications(table, 200, province="04", county="01")
    # When the province's officer issues each of them twice, 16 requests at a time
    answers = issue_all(stack, "04", [app["applicationId"] for app in applications], seed=4)
    # Then every applicant has exactly one code and both answers agree
    codes = assert_one_code_each(answers)
    assert len(codes) == 200
    # And the codes are exactly 0401400001 … 0401400200: no duplicate, no gap
    assert sorted(codes.values()) == [f"040140{n:04d}" for n in range(1, 201)]
    assert read_counter(table, "04", "01") == 200
    assert_stored(table, "04", codes)
    assert listed_codes(stack, "04", "01") == sorted(codes.values())


def test_each_county_keeps_its_own_sequence_under_the_same_load(stack):
    # Given 40 approved applicants in each of five counties of East Azerbaijan (03)
    table = stack_table(stack.descriptor)
    counties = ["01", "02", "03", "04", "05"]
    assert all(read_counter(table, "03", county) is None for county in counties)
    applications = [app for county in counties for app in put_applications(table, 40, province="03", county=county)]
    # When they are all issued twice, interleaved, 16 requests at a time
    answers = issue_all(stack, "03", [app["applicationId"] for app in applications], seed=3)
    # Then each county's codes run 0001 … 0040 on their own
    codes = assert_one_code_each(answers)
    county_of = {app["applicationId"]: app["countyCode"] for app in applications}
    for county in counties:
        mine = sorted(code for application_id, code in codes.items() if county_of[application_id] == county)
        assert mine == [f"03{county}40{n:04d}" for n in range(1, 41)]
        assert read_counter(table, "03", county) == 40
    assert_stored(table, "03", codes)
