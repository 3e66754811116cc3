"""Monthly performance reports: generation, files, submission and HQ's compliance view.

A period's generation reads, per directorate, its counters, inspectors, reports and outreach
(Queries only, see nazer.dal.monthly_reports), tallies them in bounded memory, renders the
workbook, CSV and JSON manifest, uploads them to staging keys, copies them into place and only
then records them: a failed run never publishes a partial set. The national record is written
once every directorate is done; it is what "the period is generated" means to the schedule.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from nazer.auth import Caller
from nazer.dal import monthly_reports as store
from nazer.dal import stats
from nazer.dal.base import MAX_PAGE
from nazer.domain.monthly_figures import PeriodTally
from nazer.errors import DomainError, FieldError, not_found
from nazer.jalali import Period, iso, tehran_date
from nazer.logic import monthly_files as files
from nazer.models.monthly_reports import (
    ComplianceProvince,
    ComplianceResponse,
    ComplianceState,
    FileLink,
    GenerationResponse,
    MonthlyReportItem,
    MonthlyReportList,
    SubmissionResponse,
)
from nazer.regions import regions
from nazer.settings import get_settings

FORMATS = {
    "xlsx": files.XLSX_TYPE,
    "csv": files.CSV_TYPE,
    "json": files.JSON_TYPE,
}


# ---------------------------------------------------------------- periods and provinces


def parse_period(text: str) -> Period:
    """A ``YYYY-MM`` path parameter as a period (422 on the field ``period`` otherwise)."""
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise DomainError(
            "validation-error",
            "period: must be a Jalali month written YYYY-MM, e.g. 1403-07",
            "دورهٔ ماهانه معتبر نیست (قالب ۱۴۰۳-۰۷)",
            [FieldError("period", "must be a Jalali month written YYYY-MM", "دورهٔ ماهانه معتبر نیست (قالب ۱۴۰۳-۰۷)")],
        ) from exc


def require_past_or_current(period: Period, now: datetime) -> None:
    if period > Period.of(now):
        raise DomainError(
            "validation-error",
            "period: cannot be after the current month",
            "دوره نمی‌تواند پس از ماه جاری باشد",
            [FieldError("period", "cannot be after the current month", "دوره نمی‌تواند پس از ماه جاری باشد")],
        )


def require_province(code: str) -> None:
    if regions().province(code) is None:
        raise not_found("No such directorate", "چنین اداره کلی وجود ندارد")


def not_generated() -> DomainError:
    return not_found("This period's report has not been generated yet", "گزارش این دوره هنوز تولید نشده است")


# ---------------------------------------------------------------- generation


@dataclass
class ProvinceOutcome:
    province_code: str
    reports: int
    county_rows: int
    inspector_rows: int
    outreach_rows: int
    read: store.ReadCount


@dataclass
class GenerationRun:
    """What a run did: for the reply, the metrics and the benchmark."""

    period: Period
    generated_at: str
    provinces: list[ProvinceOutcome]
    duration_seconds: float

    @property
    def reports(self) -> int:
        return sum(outcome.reports for outcome in self.provinces)

    @property
    def rows(self) -> int:
        return sum(o.county_rows + o.inspector_rows + o.outreach_rows for o in self.provinces)

    def response(self) -> GenerationResponse:
        return GenerationResponse(
            period=str(self.period), generated_at=self.generated_at, provinces=len(self.provinces)
        )


def cut_off(period: Period, now: datetime) -> datetime:
    """The instant a period's figures are taken at: its end, or now while it is still running."""
    return min(period.end(), now)


def build_province_report(
    period: Period, province: str, now: datetime, read: store.ReadCount | None = None
) -> files.ProvinceReport:
    """Tally a directorate's period from Queries (streamed; no Scan)."""
    table_province = regions().province(province)
    counties = [county.code for county in table_province.counties] if table_province else []
    until = cut_off(period, now)
    tally = PeriodTally(province, period.start(), until, counties)
    for county, counters in stats.read_period(period, province).items():
        tally.add_counters(county, counters)
    for inspector in store.iter_inspectors(province, read):
        tally.add_inspector(inspector)
    for report in store.iter_reports(province, iso(period.start()), iso(until), read):
        tally.add_report(report)
    return files.ProvinceReport(
        period=period,
        province_code=province,
        counties=tally.county_rows(),
        totals=tally.totals(),
        inspectors=tally.inspector_rows(),
        outreach=store.list_outreach(period, province, read),
    )


def province_prefix(period: Period, province: str) -> str:
    return f"reports/{period}/{province}/"


def publish_province(report: files.ProvinceReport, generated_at: str) -> dict[str, dict[str, str]]:
    """Render and upload a directorate's three files; their records (key, name, type, version)."""
    prefix = province_prefix(report.period, report.province_code)
    staging = f"{prefix}.staging/{uuid.uuid4().hex}/"
    names = {fmt: report.file_name(fmt) for fmt in FORMATS}
    staged: list[str] = []
    published: dict[str, dict[str, str]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="nazer-monthly-") as workdir:
            workbook = Path(workdir) / names["xlsx"]
            files.render_workbook(report, workbook, tmpdir=workdir)
            staged.append(staging + names["xlsx"])
            store.put_path(staged[-1], workbook, content_type=FORMATS["xlsx"], file_name=names["xlsx"])
        staged.append(staging + names["csv"])
        store.put_file(staged[-1], files.render_csv(report), content_type=FORMATS["csv"], file_name=names["csv"])
        staged.append(staging + names["json"])
        store.put_file(
            staged[-1],
            files.render_manifest(report, generated_at),
            content_type=FORMATS["json"],
            file_name=names["json"],
        )
        # Every file is staged: only now do they replace the published set.
        for fmt, name in names.items():
            version = store.copy_file(staging + name, prefix + name)
            published[fmt] = {"key": prefix + name, "fileName": name, "contentType": FORMATS[fmt]}
            if version:
                published[fmt]["versionId"] = version
    finally:
        with contextlib.suppress(ClientError):
            store.delete_files(staged)
    return published


def generate_province(period: Period, province: str, now: datetime, generated_at: str) -> ProvinceOutcome:
    read = store.ReadCount()
    report = build_province_report(period, province, now, read)
    published = publish_province(report, generated_at)
    reports = int(report.totals["reportsReceived"])
    counts = {
        "reports": reports,
        "countyRows": len(report.counties),
        "inspectorRows": len(report.inspectors),
        "outreachRows": len(report.outreach),
    }
    store.record_generation(
        period, province, generated_at=generated_at, files=published, totals=report.totals, counts=counts
    )
    return ProvinceOutcome(province, reports, len(report.counties), len(report.inspectors), len(report.outreach), read)


def generate_period(period: Period, now: datetime, provinces: Iterable[str] | None = None) -> GenerationRun:
    """(Re)generate a period for every directorate, then the national roll-up and record."""
    started = time.monotonic()
    generated_at = iso(now)
    codes = list(provinces) if provinces is not None else regions().province_codes()
    outcomes = [generate_province(period, code, now, generated_at) for code in codes]
    records, _ = store.period_records(period)
    rows = national_rows(records)
    national_file = publish_national(period, rows)
    store.record_national(period, generated_at=generated_at, provinces=len(outcomes), file=national_file)
    return GenerationRun(period, generated_at, outcomes, time.monotonic() - started)


# ---------------------------------------------------------------- national roll-up and compliance


def state_of(record: dict[str, Any] | None) -> ComplianceState:
    if not record or not record.get("generatedAt"):
        return "not_generated"
    if not record.get("submittedAt"):
        return "missing"
    return "late" if record.get("late") else "on_time"


def national_rows(records: dict[str, dict[str, Any]]) -> list[files.NationalRow]:
    rows = []
    for code in regions().province_codes():
        record = records.get(code)
        rows.append(
            files.NationalRow(
                province_code=code,
                state=state_of(record),
                submitted_at=(record or {}).get("submittedAt"),
                remarks=(record or {}).get("remarks"),
                totals=(record or {}).get("totals") or {},
            )
        )
    return rows


def publish_national(period: Period, rows: list[files.NationalRow]) -> dict[str, str]:
    """Render the roll-up under a key named by its content digest (racing renders cannot mix)."""
    signature = files.national_signature(period, rows)
    name = files.national_file_name(period)
    key = f"reports/{period}/national/{signature[:16]}/{name}"
    with tempfile.TemporaryDirectory(prefix="nazer-national-") as workdir:
        path = Path(workdir) / name
        files.render_national(period, rows, path, tmpdir=workdir)
        store.put_path(key, path, content_type=files.XLSX_TYPE, file_name=name)
    return {"key": key, "fileName": name, "contentType": files.XLSX_TYPE, "signature": signature}


def compliance(caller: Caller, period_text: str, now: datetime) -> ComplianceResponse:
    """HQ's view of a period: per directorate generated / submitted / on time / late / missing."""
    caller.require_group("hq-admin")
    period = parse_period(period_text)
    records, national = store.period_records(period)
    rows = national_rows(records)
    link = None
    if national is not None:
        file = national.get("file") or {}
        if file.get("signature") != files.national_signature(period, rows):
            # Submissions came in since the roll-up was rendered: render the current state.
            file = publish_national(period, rows)
            store.replace_national_file(period, file)
        link = file_link(file, now)
    return ComplianceResponse(
        period=str(period),
        deadline=iso(period.deadline()),
        provinces=[
            ComplianceProvince(
                province_code=row.province_code,
                generated_at=(records.get(row.province_code) or {}).get("generatedAt"),
                submitted_at=row.submitted_at,
                late=(records.get(row.province_code) or {}).get("late") if row.submitted_at else None,
                state=row.state,
            )
            for row in rows
        ],
        national_file=link,
    )


def generate_on_demand(caller: Caller, period_text: str, now: datetime) -> GenerationRun:
    """HQ (re)generates any period up to the current one, synchronously."""
    caller.require_group("hq-admin")
    period = parse_period(period_text)
    require_past_or_current(period, now)
    return generate_period(period, now)


# ---------------------------------------------------------------- a directorate's reports


def file_link(file: dict[str, Any], now: datetime) -> FileLink:
    ttl = get_settings().presign_ttl_seconds
    return FileLink(
        url=store.presign(str(file["key"]), file.get("versionId"), ttl),
        expires_at=iso(now + timedelta(seconds=ttl)),
        file_name=str(file["fileName"]),
    )


def report_file(caller: Caller, province: str, period_text: str, file_format: str, now: datetime) -> FileLink:
    """A presigned link to one of a directorate's files (404 until the period is generated)."""
    caller.require_province_reader(province)
    require_province(province)
    period = parse_period(period_text)
    record = store.get_record(period, province)
    file = ((record or {}).get("files") or {}).get(file_format)
    if not record or not record.get("generatedAt") or not file:
        raise not_generated()
    return file_link(file, now)


def list_reports(caller: Caller, province: str, limit: int, cursor: str | None) -> MonthlyReportList:
    caller.require_province_reader(province)
    require_province(province)
    page = store.list_for_province(province, min(max(limit, 1), MAX_PAGE), cursor)
    return MonthlyReportList(
        items=[
            MonthlyReportItem(
                period=str(item["period"]),
                province_code=province,
                generated_at=item.get("generatedAt"),
                submitted_at=item.get("submittedAt"),
                late=item.get("late") if item.get("submittedAt") else None,
            )
            for item in page.items
        ],
        next_cursor=page.next_cursor,
    )


def submit(caller: Caller, province: str, period_text: str, remarks: str | None, now: datetime) -> SubmissionResponse:
    """A directorate hands its report to HQ: late from the deadline on; a resubmission keeps the first time."""
    caller.require_officer_of(province)
    require_province(province)
    period = parse_period(period_text)
    stored = store.submit(period, province, remarks=remarks, now=iso(now), late=now >= period.deadline())
    if stored is None:
        raise DomainError(
            "invalid-state",
            "This period's report has not been generated yet; it cannot be submitted",
            "گزارش این دوره هنوز تولید نشده است و نمی‌توان آن را ارسال کرد",
        )
    return SubmissionResponse(submitted_at=str(stored["submittedAt"]), late=bool(stored["late"]))


# ---------------------------------------------------------------- the daily schedule


@dataclass
class ScheduleOutcome:
    """What one daily run decided and did."""

    period: Period
    generated: GenerationRun | None
    late_directorates: int | None

    def summary(self) -> dict[str, Any]:
        return {
            "period": str(self.period),
            "action": "generated" if self.generated else "skipped",
            "provinces": len(self.generated.provinces) if self.generated else 0,
            "lateDirectorates": self.late_directorates,
        }


def generation_due(now: datetime) -> Period | None:
    """The previous period, on Jalali day 1 in Tehran or any later day while it is still missing."""
    previous = Period.of(now).previous()
    if tehran_date(now).day == 1 or store.get_national(previous) is None:
        return previous
    return None


def late_directorates(period: Period, now: datetime) -> int | None:
    """Directorates that have not submitted once the deadline has passed (None before it)."""
    if now < period.deadline():
        return None
    records, _ = store.period_records(period)
    return sum(1 for code in regions().province_codes() if not (records.get(code) or {}).get("submittedAt"))


def run_schedule(now: datetime, period_text: str | None = None) -> ScheduleOutcome:
    """The daily run: generate when due (or the period asked for), then count late directorates."""
    if period_text:
        period = parse_period(period_text)
        require_past_or_current(period, now)
        return ScheduleOutcome(period, generate_period(period, now), late_directorates(period, now))
    due = generation_due(now)
    previous = Period.of(now).previous()
    run = generate_period(due, now) if due else None
    return ScheduleOutcome(previous, run, late_directorates(previous, now))
