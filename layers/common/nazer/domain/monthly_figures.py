"""The figures of a directorate's monthly report, tallied one item at a time (pure, bounded memory).

A report's state is taken *as of* the period's end (or now, for the current, partial period),
from its timestamps rather than its current status, so regenerating a closed period gives the
same figures however the reports moved on afterwards:

- referred: ``referredAt`` before the cut-off;
- confirmed / unfounded: ``finalAt`` before the cut-off (a final status never changes again);
- open: not final by the cut-off; overdue: open and received more than 15 days before it;
- median days to a final status: over the reports *received in the period* that reached a final
  status before the cut-off (a cohort figure, readable from the same Query).

Active inspectors at month end are those issued before the cut-off whose status is ``ACTIVE``
now — an approximation (a suspension after the month lowers a closed month's figure), written
down in docs/monthly-reports.md.
"""

from __future__ import annotations

import statistics
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from nazer.jalali import parse_iso

CHANNELS = ("web", "system_124", "in_person", "written", "other")
VIOLATION_TYPES = (
    "overpricing",
    "short_selling",
    "adulteration",
    "hoarding",
    "no_price_label",
    "no_invoice",
    "expired_goods",
    "non_standard_goods",
    "smuggled_goods",
    "refusal_to_sell",
    "other",
)
# The monthly counters kept as events happen (nazer.dal.stats.COUNTERS).
COUNTERS = ("applications", "trainingDownloads", "examAttempts", "examsPassed", "announced", "codesIssued")
FINAL_STATUSES = frozenset({"CONFIRMED", "UNFOUNDED"})
OVERDUE_AFTER = timedelta(days=15)

# Every figure of a county row (and of the totals), in the order of the contract and the files.
FIGURE_KEYS = (
    *COUNTERS,
    "activeInspectors",
    "reportingInspectors",
    "reportsReceived",
    "reportsByChannel",
    "reportsByViolationType",
    "referred",
    "confirmed",
    "unfounded",
    "open",
    "overdue",
    "medianDaysToFinal",
)
_DAY_SECONDS = 86400.0


@dataclass
class CountyTally:
    """Running figures of one county."""

    counters: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    active_inspectors: int = 0
    reporters: set[str] = field(default_factory=set)
    received: int = 0
    by_channel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    by_type: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VIOLATION_TYPES, 0))
    referred: int = 0
    confirmed: int = 0
    unfounded: int = 0
    open: int = 0
    overdue: int = 0
    days_to_final: array[float] = field(default_factory=lambda: array("d"))

    def figures(self) -> dict[str, Any]:
        return {
            **self.counters,
            "activeInspectors": self.active_inspectors,
            "reportingInspectors": len(self.reporters),
            "reportsReceived": self.received,
            "reportsByChannel": dict(self.by_channel),
            "reportsByViolationType": dict(self.by_type),
            "referred": self.referred,
            "confirmed": self.confirmed,
            "unfounded": self.unfounded,
            "open": self.open,
            "overdue": self.overdue,
            "medianDaysToFinal": median_days(self.days_to_final),
        }


@dataclass
class InspectorTally:
    """One row of the per-inspector sheet: code, county of issue, reports filed, confirmed."""

    code: str
    province_code: str
    county_code: str
    reports: int = 0
    confirmed: int = 0


def median_days(values: Iterable[float]) -> float | None:
    """The median in days, to one decimal; None when there is nothing to take it of."""
    data = list(values)
    if not data:
        return None
    return round(statistics.median(data), 1)


class PeriodTally:
    """Tallies a directorate's period from counters, inspectors and reports, streamed item by item.

    Memory grows with the number of counties, inspectors and *finalised* reports (one 8-byte float
    each for the median), never with whole report items.
    """

    def __init__(self, province_code: str, start: datetime, cut_off: datetime, counties: Iterable[str] = ()):
        self.province_code = province_code
        self.start = start
        self.cut_off = cut_off
        self.counties: dict[str, CountyTally] = {code: CountyTally() for code in counties}
        self.inspectors: dict[str, InspectorTally] = {}
        self.reports_seen = 0

    def county(self, code: str) -> CountyTally:
        tally = self.counties.get(code)
        if tally is None:
            tally = self.counties[code] = CountyTally()
        return tally

    def add_counters(self, county_code: str, counters: Mapping[str, Any]) -> None:
        tally = self.county(county_code)
        for name in COUNTERS:
            tally.counters[name] += int(counters.get(name) or 0)

    def add_inspector(self, item: Mapping[str, Any]) -> None:
        """A directorate's own inspector (GSI1 ``INSPPROV#<p>``)."""
        code = str(item["inspectorCode"])
        county_code = str(item.get("countyCode") or code[2:4])
        issued = item.get("issuedAt")
        if not issued or parse_iso(str(issued)) >= self.cut_off:
            return
        if item.get("status") == "ACTIVE":
            self.county(county_code).active_inspectors += 1
            self._inspector(code, county_code)

    def add_report(self, item: Mapping[str, Any]) -> None:
        """A report of the directorate's queue received in the period."""
        received_at = parse_iso(str(item["receivedAt"]))
        if not (self.start <= received_at < self.cut_off):
            return
        self.reports_seen += 1
        tally = self.county(str(item.get("countyCode") or ""))
        tally.received += 1
        channel = str(item.get("channel") or "other")
        tally.by_channel[channel if channel in tally.by_channel else "other"] += 1
        for violation in set(item.get("violationTypes") or ()):
            tally.by_type[violation if violation in tally.by_type else "other"] += 1
        if _before(item.get("referredAt"), self.cut_off):
            tally.referred += 1
        final_at = item.get("finalAt")
        status = str(item.get("status") or "")
        confirmed = False
        if _before(final_at, self.cut_off) and status in FINAL_STATUSES:
            confirmed = status == "CONFIRMED"
            if confirmed:
                tally.confirmed += 1
            else:
                tally.unfounded += 1
            tally.days_to_final.append((parse_iso(str(final_at)) - received_at).total_seconds() / _DAY_SECONDS)
        else:
            tally.open += 1
            if self.cut_off - received_at > OVERDUE_AFTER:
                tally.overdue += 1
        code = item.get("inspectorCode")
        if code:
            tally.reporters.add(str(code))
            row = self._inspector(str(code), str(code)[2:4])
            row.reports += 1
            row.confirmed += int(confirmed)

    def _inspector(self, code: str, county_code: str) -> InspectorTally:
        row = self.inspectors.get(code)
        if row is None:
            row = self.inspectors[code] = InspectorTally(code, code[:2], county_code)
        return row

    def county_rows(self) -> list[dict[str, Any]]:
        """One row per county, in code order (every county of the table, with or without activity)."""
        return [{"countyCode": code, **self.counties[code].figures()} for code in sorted(self.counties)]

    def totals(self) -> dict[str, Any]:
        """Sums over the counties; distinct reporters and the median over the whole directorate."""
        rows = [tally.figures() for tally in self.counties.values()]
        totals: dict[str, Any] = {}
        for key in FIGURE_KEYS:
            if key == "reportsByChannel":
                totals[key] = {name: sum(row[key][name] for row in rows) for name in CHANNELS}
            elif key == "reportsByViolationType":
                totals[key] = {name: sum(row[key][name] for row in rows) for name in VIOLATION_TYPES}
            elif key == "reportingInspectors":
                totals[key] = len(set().union(*(tally.reporters for tally in self.counties.values())))
            elif key == "medianDaysToFinal":
                totals[key] = median_days(value for tally in self.counties.values() for value in tally.days_to_final)
            else:
                totals[key] = sum(int(row[key]) for row in rows)
        return totals

    def inspector_rows(self) -> list[InspectorTally]:
        """Inspectors who reported in this directorate's queue, and its own active ones, by code."""
        return [self.inspectors[code] for code in sorted(self.inspectors)]


def _before(value: Any, cut_off: datetime) -> bool:
    return bool(value) and parse_iso(str(value)) < cut_off
