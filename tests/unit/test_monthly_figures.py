"""The monthly tally: a report's state as of the cut-off, and the invariants the figures keep."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from nazer.dal.monthly_reports import sort_bound
from nazer.dal.stats import COUNTERS as STATS_COUNTERS
from nazer.domain.monthly_figures import CHANNELS, COUNTERS, FIGURE_KEYS, VIOLATION_TYPES, PeriodTally, median_days
from nazer.jalali import Period, iso
from nazer.logic import monthly_files

PERIOD = Period.parse("1403-07")
START, END = PERIOD.start(), PERIOD.end()
DAY = timedelta(days=1)


def report(received, *, county="01", status="RECEIVED", channel="web", types=("overpricing",), code="2301400001", **at):
    item = {
        "receivedAt": iso(received),
        "countyCode": county,
        "status": status,
        "channel": channel,
        "violationTypes": list(types),
        "inspectorCode": code,
    }
    item |= {key: iso(value) for key, value in at.items()}
    return item


def tally(*reports, cut_off=END):
    result = PeriodTally("23", START, cut_off, ["01", "02"])
    for item in reports:
        result.add_report(item)
    return result


def test_the_counters_of_the_tally_are_those_kept_by_the_stats_repository():
    assert COUNTERS == STATS_COUNTERS


def test_a_report_finalised_after_the_month_was_open_at_its_end():
    figures = tally(report(END - 20 * DAY, status="CONFIRMED", finalAt=END + DAY)).totals()
    assert (figures["open"], figures["confirmed"], figures["overdue"]) == (1, 0, 1)
    assert figures["medianDaysToFinal"] is None


def test_overdue_means_open_for_more_than_15_days_at_the_cut_off():
    exactly_15 = report(END - 15 * DAY)
    just_over = report(END - 15 * DAY - timedelta(seconds=1))
    assert tally(exactly_15).totals()["overdue"] == 0
    assert tally(just_over).totals()["overdue"] == 1


def test_referred_counts_reports_referred_before_the_cut_off_whatever_came_after():
    referred_then_confirmed = report(
        START + DAY, status="CONFIRMED", referredAt=START + 2 * DAY, finalAt=START + 5 * DAY
    )
    referred_after = report(START + DAY, status="REFERRED", referredAt=END + DAY)
    figures = tally(referred_then_confirmed, referred_after).totals()
    assert figures["referred"] == 1 and figures["confirmed"] == 1 and figures["open"] == 1


def test_reports_outside_the_period_are_ignored_even_if_handed_over():
    figures = tally(report(START - timedelta(seconds=1)), report(END), report(START)).totals()
    assert figures["reportsReceived"] == 1


def test_unknown_channels_and_types_count_as_other_and_a_type_counts_once_per_report():
    figures = tally(report(START, channel="fax", types=("overpricing", "overpricing", "bribery"))).totals()
    assert figures["reportsByChannel"]["other"] == 1
    assert figures["reportsByViolationType"]["overpricing"] == 1
    assert figures["reportsByViolationType"]["other"] == 1


def test_the_median_is_in_days_to_one_decimal():
    assert median_days([]) is None
    assert median_days([1.0, 2.0, 10.0]) == 2.0
    assert median_days([1.0, 2.0]) == 1.5
    assert median_days([0.04]) == 0.0


def test_inspectors_active_at_month_end_are_issued_before_it_and_active_now():
    result = PeriodTally("23", START, END, ["01"])
    result.add_inspector(
        {"inspectorCode": "2301400001", "countyCode": "01", "status": "ACTIVE", "issuedAt": iso(START)}
    )
    result.add_inspector({"inspectorCode": "2301400002", "countyCode": "01", "status": "ACTIVE", "issuedAt": iso(END)})
    result.add_inspector(
        {"inspectorCode": "2301400003", "countyCode": "01", "status": "SUSPENDED", "issuedAt": iso(START)}
    )
    assert result.totals()["activeInspectors"] == 1
    assert [row.code for row in result.inspector_rows()] == ["2301400001"]


def test_every_county_of_the_table_has_a_row_and_unknown_counties_are_added():
    result = tally(report(START, county="07"))
    assert [row["countyCode"] for row in result.county_rows()] == ["01", "02", "07"]


def test_every_figure_has_a_persian_label_with_persian_letters():
    labels = [column.header for column in monthly_files.figure_columns()]
    assert len(labels) == len(set(labels)) == len(FIGURE_KEYS) - 2 + len(CHANNELS) + len(VIOLATION_TYPES)
    everything = [*labels, *monthly_files.OUTREACH_LABELS.values(), *monthly_files.STATE_LABELS.values()]
    assert not [text for text in everything if re.search("[يك]", text)]


def test_a_sort_bound_brackets_a_period_whatever_the_precision_of_the_stored_times():
    start, end = sort_bound(iso(START)), sort_bound(iso(END))
    inside = [f"{iso(START)}#A", f"{iso(START)[:-1]}.250Z#A", f"{iso(END - timedelta(seconds=1))}#A"]
    outside = [f"{iso(START - timedelta(seconds=1))}#A", f"{iso(END)}#A", f"{iso(END)[:-1]}.001Z#A"]
    assert all(start <= key <= end for key in inside)
    assert not any(start <= key <= end for key in outside)


# ---------------------------------------------------------------- properties

STATUSES = ("RECEIVED", "UNDER_REVIEW", "REFERRED", "CONFIRMED", "UNFOUNDED")
offsets = st.integers(min_value=-5 * 86400, max_value=35 * 86400)


@st.composite
def reports(draw):
    received = START + timedelta(seconds=draw(offsets))
    status = draw(st.sampled_from(STATUSES))
    at = {}
    if status in {"REFERRED", "CONFIRMED", "UNFOUNDED"} and draw(st.booleans()):
        at["referredAt"] = received + timedelta(seconds=draw(st.integers(0, 20 * 86400)))
    if status in {"CONFIRMED", "UNFOUNDED"}:
        at["finalAt"] = received + timedelta(seconds=draw(st.integers(0, 20 * 86400)))
    return report(
        received,
        county=draw(st.sampled_from(["01", "02", "03"])),
        status=status,
        channel=draw(st.sampled_from(CHANNELS)),
        types=draw(st.lists(st.sampled_from(VIOLATION_TYPES), min_size=1, max_size=3)),
        code=draw(st.sampled_from(["2301400001", "2301400002", "0001400001"])),
        **at,
    )


@settings(max_examples=150)
@given(st.lists(reports(), max_size=40), st.integers(min_value=0, max_value=40 * 86400))
def test_figures_are_consistent_for_any_reports(items, cut_seconds):
    cut_off = min(START + timedelta(seconds=cut_seconds), END)
    result = tally(*items, cut_off=cut_off)
    totals = result.totals()
    in_period = [item for item in items if START <= datetime.fromisoformat(item["receivedAt"]) < cut_off]
    assert totals["reportsReceived"] == len(in_period)
    assert sum(totals["reportsByChannel"].values()) == totals["reportsReceived"]
    assert totals["confirmed"] + totals["unfounded"] + totals["open"] == totals["reportsReceived"]
    assert totals["overdue"] <= totals["open"]
    assert totals["referred"] <= totals["reportsReceived"]
    assert sum(totals["reportsByViolationType"].values()) >= totals["reportsReceived"]
    assert totals["reportingInspectors"] == len({item["inspectorCode"] for item in in_period})
    rows = result.county_rows()
    for key in ("reportsReceived", "confirmed", "unfounded", "open", "overdue", "referred"):
        assert sum(row[key] for row in rows) == totals[key]
    assert sum(row.reports for row in result.inspector_rows()) == totals["reportsReceived"]
    assert sum(row.confirmed for row in result.inspector_rows()) == totals["confirmed"]
    finals = totals["confirmed"] + totals["unfounded"]
    assert (totals["medianDaysToFinal"] is None) == (finals == 0)


@given(st.lists(reports(), max_size=30))
def test_the_order_reports_arrive_in_does_not_change_the_figures(items):
    assert tally(*items).totals() == tally(*reversed(items)).totals()
    assert tally(*items).county_rows() == tally(*reversed(items)).county_rows()


def test_a_timestamp_is_compared_as_an_instant_not_as_text():
    # 23:59 Tehran on 1403/07/30 is 20:29 UTC, before the end of Mehr, though it sorts after it as text
    final_at = "2024-10-21T23:59:00+03:30"
    assert final_at > iso(END)
    item = report(START + DAY) | {"finalAt": final_at, "status": "CONFIRMED"}
    assert tally(item).totals()["confirmed"] == 1
