"""A month of known activity (Mehr 1403) in Tehran (23), Markazi (00) and South Kerman (31).

Every channel and status is present, reports sit on both edges of the month, and the
neighbouring months carry activity that must not be counted. ``EXPECTED`` holds the figures a
correct report shows.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from nazer.jalali import Period
from tests.support.monthly_factories import put_counters, put_inspector_record, put_outreach, put_report

PERIOD = Period.parse("1403-07")
S = PERIOD.start()  # 2024-09-21T20:30Z = 1403/07/01 00:00 Tehran
E = PERIOD.end()  # 2024-10-21T20:30Z = 1403/08/01 00:00 Tehran
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


def zeros(keys: tuple[str, ...]) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


def seed(table: Any = None) -> None:
    t = {"table": table}
    # ---- counters (this month and the neighbours, which must be absent)
    put_counters(
        PERIOD,
        "23",
        "01",
        applications=5,
        trainingDownloads=4,
        examAttempts=6,
        examsPassed=3,
        announced=2,
        codesIssued=2,
        **t,
    )
    put_counters(
        PERIOD,
        "23",
        "02",
        applications=2,
        trainingDownloads=1,
        examAttempts=1,
        examsPassed=1,
        announced=1,
        codesIssued=1,
        **t,
    )
    put_counters(PERIOD.previous(), "23", "01", applications=100, codesIssued=40, **t)
    put_counters(PERIOD.next(), "23", "01", applications=50, examAttempts=9, **t)
    put_counters(PERIOD, "00", "01", applications=1, **t)

    # ---- inspectors of Tehran (status now; issued before / within / after the month)
    put_inspector_record(code="2301400001", status="ACTIVE", issued_at=S - 60 * DAY, **t)
    put_inspector_record(code="2301400002", status="ACTIVE", issued_at=S + 4 * DAY, **t)
    put_inspector_record(code="2301400003", status="SUSPENDED", issued_at=S - 30 * DAY, **t)
    put_inspector_record(code="2301400004", status="REVOKED", issued_at=S - 90 * DAY, **t)
    put_inspector_record(code="2302400001", status="ACTIVE", issued_at=S - 10 * DAY, **t)
    put_inspector_record(code="2302400002", status="ACTIVE", issued_at=E + 2 * DAY, **t)
    put_inspector_record(code="0001400001", status="ACTIVE", issued_at=S - 5 * DAY, **t)

    # ---- Tehran county 01: every channel, every status
    put_report(province="23", county="01", received_at=S, inspector_code="2301400001", **t)  # r1 open, overdue
    put_report(  # r2 under review, open, 10 days old at month end
        province="23",
        county="01",
        received_at=S + 20 * DAY,
        inspector_code="2301400001",
        channel="system_124",
        violation_types=["overpricing", "no_invoice"],
        status="UNDER_REVIEW",
        **t,
    )
    put_report(  # r3 referred, open, overdue
        province="23",
        county="01",
        received_at=S + DAY,
        inspector_code="2301400002",
        channel="in_person",
        violation_types=["hoarding"],
        status="REFERRED",
        referred_at=S + 3 * DAY,
        **t,
    )
    put_report(  # r4 referred then confirmed after 4 days
        province="23",
        county="01",
        received_at=S + 2 * DAY,
        inspector_code="2301400002",
        channel="written",
        violation_types=["expired_goods"],
        status="CONFIRMED",
        referred_at=S + 3 * DAY,
        final_at=S + 6 * DAY,
        **t,
    )
    put_report(  # r5 unfounded straight from review after 2 days (its inspector was suspended later)
        province="23",
        county="01",
        received_at=S + 5 * DAY,
        inspector_code="2301400003",
        channel="other",
        violation_types=["other"],
        status="UNFOUNDED",
        final_at=S + 7 * DAY,
        **t,
    )
    put_report(  # r6 confirmed only after the month: open (and referred) at month end
        province="23",
        county="01",
        received_at=E - DAY,
        inspector_code="2301400001",
        violation_types=["short_selling"],
        status="CONFIRMED",
        referred_at=E - DAY / 2,
        final_at=E + DAY,
        **t,
    )
    put_report(  # r7 the last second of the month, by a county-02 inspector
        province="23",
        county="01",
        received_at=E - SECOND,
        inspector_code="2302400001",
        violation_types=["adulteration", "adulteration"],
        **t,
    )
    # ---- Tehran county 02
    put_report(  # r8 by an inspector of Markazi, confirmed after 6 days
        province="23",
        county="02",
        received_at=S + 3 * DAY,
        inspector_code="0001400001",
        violation_types=["refusal_to_sell", "no_price_label"],
        status="CONFIRMED",
        final_at=S + 9 * DAY,
        **t,
    )
    put_report(  # r9 unfounded after 1 day
        province="23",
        county="02",
        received_at=S + 10 * DAY,
        inspector_code="2302400001",
        channel="system_124",
        violation_types=["non_standard_goods", "smuggled_goods"],
        status="UNFOUNDED",
        final_at=S + 11 * DAY,
        **t,
    )
    # ---- neighbouring months: absent from Mehr
    put_report(province="23", county="01", received_at=S - SECOND, inspector_code="2301400001", **t)
    put_report(province="23", county="01", received_at=E, inspector_code="2301400001", **t)
    put_report(province="23", county="02", received_at=E + 12 * DAY, inspector_code="2302400001", **t)

    # ---- Markazi: one report, leading zeros everywhere
    put_report(province="00", county="01", received_at=S + 8 * DAY, inspector_code="0001400001", **t)

    # ---- outreach
    put_outreach(province="23", date="1403/07/05", kind="public_call", people_reached=120, **t)
    put_outreach(
        province="23", date="1403/07/28", kind="guild_association", title="نشست با اتاق اصناف", people_reached=40, **t
    )
    put_outreach(province="23", date="1403/06/31", people_reached=999, **t)
    put_outreach(province="23", date="1403/08/01", people_reached=999, **t)


CHANNELS = ("web", "system_124", "in_person", "written", "other")
TYPES = (
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


def row(**figures: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "applications": 0,
        "trainingDownloads": 0,
        "examAttempts": 0,
        "examsPassed": 0,
        "announced": 0,
        "codesIssued": 0,
        "activeInspectors": 0,
        "reportingInspectors": 0,
        "reportsReceived": 0,
        "reportsByChannel": zeros(CHANNELS),
        "reportsByViolationType": zeros(TYPES),
        "referred": 0,
        "confirmed": 0,
        "unfounded": 0,
        "open": 0,
        "overdue": 0,
        "medianDaysToFinal": None,
    }
    channels = figures.pop("channels", {})
    types = figures.pop("types", {})
    base.update(figures)
    base["reportsByChannel"] = zeros(CHANNELS) | channels
    base["reportsByViolationType"] = zeros(TYPES) | types
    return base


TEHRAN_01 = row(
    applications=5,
    trainingDownloads=4,
    examAttempts=6,
    examsPassed=3,
    announced=2,
    codesIssued=2,
    activeInspectors=2,  # 2301400001, 2301400002 (suspended, revoked and not-yet-issued are not)
    reportingInspectors=4,  # 2301400001, 2301400002, 2301400003, 2302400001
    reportsReceived=7,
    channels={"web": 3, "system_124": 1, "in_person": 1, "written": 1, "other": 1},
    types={
        "overpricing": 2,
        "no_invoice": 1,
        "hoarding": 1,
        "expired_goods": 1,
        "other": 1,
        "short_selling": 1,
        "adulteration": 1,
    },
    referred=3,  # r3, r4, r6
    confirmed=1,
    unfounded=1,
    open=5,  # r1, r2, r3, r6, r7
    overdue=2,  # r1 (30 days), r3 (29 days)
    medianDaysToFinal=3.0,  # 4 and 2 days
)
TEHRAN_02 = row(
    applications=2,
    trainingDownloads=1,
    examAttempts=1,
    examsPassed=1,
    announced=1,
    codesIssued=1,
    activeInspectors=1,  # 2302400001 (2302400002 was issued after the month)
    reportingInspectors=2,
    reportsReceived=2,
    channels={"web": 1, "system_124": 1},
    types={"refusal_to_sell": 1, "no_price_label": 1, "non_standard_goods": 1, "smuggled_goods": 1},
    confirmed=1,
    unfounded=1,
    medianDaysToFinal=3.5,  # 6 and 1 days
)
TEHRAN_TOTALS = row(
    applications=7,
    trainingDownloads=5,
    examAttempts=7,
    examsPassed=4,
    announced=3,
    codesIssued=3,
    activeInspectors=3,
    reportingInspectors=5,
    reportsReceived=9,
    channels={"web": 4, "system_124": 2, "in_person": 1, "written": 1, "other": 1},
    types={
        "overpricing": 2,
        "no_invoice": 1,
        "hoarding": 1,
        "expired_goods": 1,
        "other": 1,
        "short_selling": 1,
        "adulteration": 1,
        "refusal_to_sell": 1,
        "no_price_label": 1,
        "non_standard_goods": 1,
        "smuggled_goods": 1,
    },
    referred=3,
    confirmed=2,
    unfounded=2,
    open=5,
    overdue=2,
    medianDaysToFinal=3.0,  # 1, 2, 4, 6 days
)
# Per-inspector sheet of Tehran: (code, province of the code, county, reports, confirmed)
TEHRAN_INSPECTORS = [
    ("0001400001", "00", "01", 1, 1),
    ("2301400001", "23", "01", 3, 0),
    ("2301400002", "23", "01", 2, 1),
    ("2301400003", "23", "01", 1, 0),
    ("2302400001", "23", "02", 2, 0),
]
MARKAZI_01 = row(
    applications=1,
    activeInspectors=1,
    reportingInspectors=1,
    reportsReceived=1,
    channels={"web": 1},
    types={"overpricing": 1},
    open=1,
    overdue=1,  # received on day 9, 22 days before month end
)
