"""The benchmark's Query page server answers the monthly report's Queries exactly as moto does."""

from __future__ import annotations

import random
from datetime import timedelta

from bench.monthly import INSPECTOR_PROJECTION, REPORT_PROJECTION, QueryPages
from nazer.aws import table
from nazer.dal import monthly_reports as store
from nazer.jalali import Period, iso
from tests.support.monthly_factories import inspector_record, report_item

PERIOD = Period.parse("1403-07")


def test_the_page_server_returns_what_moto_returns_over_several_pages(aws):
    # Given reports in and around the month, and inspectors, both in moto and in the page server
    rng = random.Random(7)
    reports, inspectors = QueryPages(REPORT_PROJECTION, page_bytes=6_000), QueryPages(INSPECTOR_PROJECTION, 2_000)
    start, end = PERIOD.start(), PERIOD.end()
    edges = [start, end - timedelta(seconds=1), end, start - timedelta(seconds=1)]
    inside = 0
    for index in range(90):
        received = edges[index] if index < len(edges) else start + timedelta(seconds=rng.uniform(-5e5, 3.2e6))
        item = report_item(
            province="23",
            county=rng.choice(["01", "02"]),
            received_at=received,
            inspector_code=f"230140{rng.randint(1, 9):04d}",
            channel=rng.choice(["web", "system_124"]),
            status=rng.choice(["RECEIVED", "CONFIRMED"]),
            final_at=received + timedelta(days=2) if index % 2 else None,
        )
        table().put_item(Item=item)
        reports.add(item)
        inside += start <= received < end
    for number in range(1, 30):
        item = inspector_record(code=f"230240{number:04d}", issued_at=start)
        table().put_item(Item=item)
        inspectors.add(item)
    reports.seal()
    inspectors.seal()
    from_moto = list(store.iter_reports("23", iso(start), iso(end)))
    inspectors_from_moto = list(store.iter_inspectors("23"))

    # When the same Queries go through the page server
    reports.attach(table().meta.client)
    inspectors.attach(table().meta.client)
    count = store.ReadCount()
    served = list(store.iter_reports("23", iso(start), iso(end), count))
    inspectors_served = list(store.iter_inspectors("23"))

    # Then the items, their order and their attributes are the same, over several pages
    assert len(from_moto) == inside > 40
    assert served == from_moto
    assert inspectors_served == inspectors_from_moto and len(inspectors_served) == 29
    assert count.pages > 3 and reports.pages == count.pages
