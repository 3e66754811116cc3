"""The monthly report's files: a directorate's workbook, its CSV and JSON manifest, the national roll-up.

Workbooks are written with xlsxwriter in ``constant_memory`` mode (row by row, bounded memory),
every sheet right-to-left, Persian headers, codes as text, a title row, a frozen header row and
column widths. Nothing time-dependent goes into a workbook or the CSV except what the figures
say, and the document's creation time is fixed to the period's end: the same inputs give
byte-identical files. (The JSON manifest carries ``generatedAt``, as the contract asks.)
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from nazer.domain.monthly_figures import CHANNELS, COUNTERS, VIOLATION_TYPES, InspectorTally
from nazer.jalali import Period, format_jalali_date, format_tehran_datetime, parse_iso, persian_digits
from nazer.models.monthly_reports import ComplianceState
from nazer.regions import regions

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"

SHEET_SUMMARY = "خلاصه"
SHEET_COUNTIES = "شهرستان‌ها"
SHEET_INSPECTORS = "ناظران"
SHEET_OUTREACH = "فعالیت‌های ترویجی"
SHEET_NATIONAL = "ادارات کل"

FIGURE_LABELS: dict[str, str] = {
    "applications": "درخواست‌های عضویت جدید",
    "trainingDownloads": "دریافت فایل آموزشی",
    "examAttempts": "دفعات شرکت در آزمون",
    "examsPassed": "قبولی در آزمون",
    "announced": "اعلام‌شده به استان",
    "codesIssued": "کد ناظر صادرشده",
    "activeInspectors": "ناظران فعال در پایان ماه",
    "reportingInspectors": "ناظران دارای دست‌کم یک گزارش",
    "reportsReceived": "گزارش‌های دریافتی",
    "referred": "ارجاع‌شده",
    "confirmed": "تأییدشده",
    "unfounded": "بی‌اساس",
    "open": "باز در پایان ماه",
    "overdue": "معوق (باز بیش از ۱۵ روز)",
    "medianDaysToFinal": "میانهٔ روز تا نتیجهٔ نهایی",
}
CHANNEL_LABELS: dict[str, str] = {
    "web": "سامانهٔ ناظران (وب)",
    "system_124": "سامانهٔ ۱۲۴",
    "in_person": "حضوری",
    "written": "کتبی",
    "other": "سایر مجاری",
}
VIOLATION_LABELS: dict[str, str] = {
    "overpricing": "گران‌فروشی",
    "short_selling": "کم‌فروشی",
    "adulteration": "تقلب",
    "hoarding": "احتکار",
    "no_price_label": "عدم درج قیمت",
    "no_invoice": "عدم صدور فاکتور",
    "expired_goods": "کالای تاریخ‌گذشته",
    "non_standard_goods": "کالای غیراستاندارد",
    "smuggled_goods": "کالای قاچاق",
    "refusal_to_sell": "امتناع از فروش",
    "other": "سایر تخلفات",
}
OUTREACH_LABELS: dict[str, str] = {
    "public_call": "فراخوان عمومی",
    "government_correspondence": "مکاتبه با دستگاه‌های اجرایی",
    "government_bodies": "مکاتبه با دستگاه‌های اجرایی",
    "neighbourhood_council": "شوراهای محلات",
    "neighbourhood_councils": "شوراهای محلات",
    "business_actors": "فعالان اقتصادی و کسب‌وکار",
    "economic_actors": "فعالان اقتصادی و کسب‌وکار",
    "guild_association": "تشکل‌های صنفی",
    "guild_associations": "تشکل‌های صنفی",
    "cultural_event": "برنامهٔ فرهنگی",
    "cultural_events": "برنامهٔ فرهنگی",
    "retirees_students": "بازنشستگان و دانشجویان",
    "media_clergy_officials": "رسانه، روحانیون و مسئولان",
    "other": "سایر",
}
STATE_LABELS: dict[str, str] = {
    "not_generated": "تولیدنشده",
    "missing": "ارسال‌نشده",
    "on_time": "ارسال به‌موقع",
    "late": "ارسال با تأخیر",
}


@dataclass(frozen=True)
class Column:
    """A figure column: its key in a figures row, its Persian header and how to read it."""

    header: str
    key: str
    sub: str | None = None

    @property
    def decimal(self) -> bool:
        return self.key == "medianDaysToFinal"

    def value(self, row: dict[str, Any]) -> Any:
        value = row.get(self.key)
        if self.sub is not None:
            return (value or {}).get(self.sub, 0)
        return value


def figure_columns() -> list[Column]:
    """The per-county figures flattened into columns, in the contract's order."""
    columns = [Column(FIGURE_LABELS[key], key) for key in (*COUNTERS, "activeInspectors", "reportingInspectors")]
    columns.append(Column(FIGURE_LABELS["reportsReceived"], "reportsReceived"))
    columns += [Column(f"دریافتی — {CHANNEL_LABELS[name]}", "reportsByChannel", name) for name in CHANNELS]
    columns += [Column(f"تخلف — {VIOLATION_LABELS[name]}", "reportsByViolationType", name) for name in VIOLATION_TYPES]
    columns += [Column(FIGURE_LABELS[key], key) for key in ("referred", "confirmed", "unfounded", "open", "overdue")]
    columns.append(Column(FIGURE_LABELS["medianDaysToFinal"], "medianDaysToFinal"))
    return columns


@dataclass
class ProvinceReport:
    """Everything a directorate's files are made of."""

    period: Period
    province_code: str
    counties: list[dict[str, Any]]
    totals: dict[str, Any]
    inspectors: list[InspectorTally] = field(default_factory=list)
    outreach: list[dict[str, Any]] = field(default_factory=list)

    @property
    def province_name(self) -> str:
        province = regions().province(self.province_code)
        return province.name_fa if province else self.province_code

    def county_name(self, county_code: str, province_code: str | None = None) -> str:
        province = regions().province(province_code or self.province_code)
        county = province.county(county_code) if province else None
        return county.name_fa if county else ""

    def file_name(self, extension: str) -> str:
        return f"nazer-monthly-{self.period}-{self.province_code}.{extension}"


def created_time(period: Period) -> datetime:
    """The fixed creation time written into a period's workbooks (naive UTC, as xlsxwriter wants)."""
    return period.end().astimezone(UTC).replace(tzinfo=None)


class _Book:
    """An xlsxwriter workbook with the house formats."""

    def __init__(self, path: Path, period: Period, title: str, tmpdir: str | None):
        options: dict[str, Any] = {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
        if tmpdir:
            options["tmpdir"] = tmpdir
        self.book = xlsxwriter.Workbook(str(path), options)
        self.book.set_properties(
            {"title": title, "author": "Nazer", "company": "CPPO", "created": created_time(period)}
        )
        self.title = self.book.add_format({"bold": True, "font_size": 14, "align": "right", "reading_order": 2})
        self.header = self.book.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
            }
        )
        self.text = self.book.add_format({"align": "right", "reading_order": 2})
        self.code = self.book.add_format({"align": "center", "num_format": "@"})
        self.number = self.book.add_format({"num_format": "#,##0"})
        self.decimal = self.book.add_format({"num_format": "0.0"})
        self.total_text = self.book.add_format({"bold": True, "top": 1, "align": "right"})
        self.total_number = self.book.add_format({"bold": True, "top": 1, "num_format": "#,##0"})
        self.total_decimal = self.book.add_format({"bold": True, "top": 1, "num_format": "0.0"})

    def sheet(
        self, name: str, title: str, headers: Sequence[str], widths: Sequence[float], freeze_cols: int = 0
    ) -> Worksheet:
        """A right-to-left sheet: title row, header row (frozen), column widths."""
        sheet = self.book.add_worksheet(name)
        sheet.right_to_left()
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.set_row(1, 45)
        if len(headers) > 1:
            sheet.merge_range(0, 0, 0, len(headers) - 1, title, self.title)
        else:
            sheet.write_string(0, 0, title, self.title)
        for index, header in enumerate(headers):
            sheet.write_string(1, index, header, self.header)
        sheet.freeze_panes(2, freeze_cols)
        return sheet

    def number_cell(
        self, sheet: Worksheet, row: int, col: int, value: Any, total: bool = False, decimal: bool = False
    ) -> None:
        if value is None:
            sheet.write_blank(row, col, None, self.total_text if total else None)
        elif decimal or isinstance(value, float):
            sheet.write_number(row, col, float(value), self.total_decimal if total else self.decimal)
        else:
            sheet.write_number(row, col, int(value), self.total_number if total else self.number)

    def close(self) -> None:
        self.book.close()


def title_of(report: ProvinceReport) -> str:
    return (
        f"گزارش عملکرد ماهانهٔ طرح ملی ناظران — اداره کل {report.province_name} "
        f"(کد {persian_digits(report.province_code)}) — {report.period.name_fa()}"
    )


def render_workbook(report: ProvinceReport, path: Path, tmpdir: str | None = None) -> None:
    """The directorate's workbook: Summary, Per county, Per inspector, Outreach."""
    title = title_of(report)
    book = _Book(path, report.period, title, tmpdir)
    _summary_sheet(book, report, title)
    _county_sheet(book, report, title)
    _inspector_sheet(book, report, title)
    _outreach_sheet(book, report, title)
    book.close()


def _summary_sheet(book: _Book, report: ProvinceReport, title: str) -> None:
    sheet = book.sheet(SHEET_SUMMARY, title, ["شاخص", "مقدار"], [46, 26])
    period = report.period
    info = [
        ("اداره کل", report.province_name),
        ("کد استان", report.province_code),
        ("دوره", f"{period.name_fa()} ({period})"),
        ("از تاریخ", format_jalali_date(period.first_day())),
        ("تا تاریخ", format_jalali_date(period.last_day())),
        ("مهلت ارسال (پیش از)", format_tehran_datetime(period.deadline())),
    ]
    row = 2
    for label, value in info:
        sheet.write_string(row, 0, label, book.text)
        sheet.write_string(row, 1, value, book.code if label == "کد استان" else book.text)
        row += 1
    for column in figure_columns():
        sheet.write_string(row, 0, column.header, book.text)
        book.number_cell(sheet, row, 1, column.value(report.totals), decimal=column.decimal)
        row += 1
    sheet.write_string(row, 0, "فعالیت‌های ترویجی ثبت‌شده", book.text)
    book.number_cell(sheet, row, 1, len(report.outreach))
    sheet.write_string(row + 1, 0, "مخاطبان فعالیت‌های ترویجی", book.text)
    book.number_cell(sheet, row + 1, 1, sum(int(item.get("peopleReached") or 0) for item in report.outreach))


def _county_sheet(book: _Book, report: ProvinceReport, title: str) -> None:
    columns = figure_columns()
    headers = ["کد شهرستان", "نام شهرستان", *(column.header for column in columns)]
    sheet = book.sheet(SHEET_COUNTIES, title, headers, [11, 22, *([14] * len(columns))], freeze_cols=2)
    row = 2
    for county in report.counties:
        sheet.write_string(row, 0, county["countyCode"], book.code)
        sheet.write_string(row, 1, report.county_name(county["countyCode"]), book.text)
        for index, column in enumerate(columns, start=2):
            book.number_cell(sheet, row, index, column.value(county), decimal=column.decimal)
        row += 1
    sheet.write_string(row, 0, "", book.total_text)
    sheet.write_string(row, 1, "جمع اداره کل", book.total_text)
    for index, column in enumerate(columns, start=2):
        book.number_cell(sheet, row, index, column.value(report.totals), total=True, decimal=column.decimal)


def _inspector_sheet(book: _Book, report: ProvinceReport, title: str) -> None:
    headers = ["کد ناظر", "استان صدور کد", "کد شهرستان", "نام شهرستان", "گزارش‌های ثبت‌شده", "گزارش‌های تأییدشده"]
    sheet = book.sheet(SHEET_INSPECTORS, title, headers, [14, 20, 11, 22, 16, 16])
    row = 2
    for inspector in report.inspectors:
        province = regions().province(inspector.province_code)
        sheet.write_string(row, 0, inspector.code, book.code)
        sheet.write_string(row, 1, province.name_fa if province else inspector.province_code, book.text)
        sheet.write_string(row, 2, inspector.county_code, book.code)
        sheet.write_string(row, 3, report.county_name(inspector.county_code, inspector.province_code), book.text)
        book.number_cell(sheet, row, 4, inspector.reports)
        book.number_cell(sheet, row, 5, inspector.confirmed)
        row += 1


def _outreach_sheet(book: _Book, report: ProvinceReport, title: str) -> None:
    headers = ["تاریخ", "نوع فعالیت", "عنوان", "شرح", "تعداد مخاطبان"]
    sheet = book.sheet(SHEET_OUTREACH, title, headers, [12, 28, 36, 60, 14])
    row = 2
    reached = 0
    for item in report.outreach:
        kind = str(item.get("type") or "")
        people = int(item.get("peopleReached") or 0)
        reached += people
        sheet.write_string(row, 0, str(item.get("date") or ""), book.code)
        sheet.write_string(row, 1, OUTREACH_LABELS.get(kind, kind), book.text)
        sheet.write_string(row, 2, str(item.get("title") or ""), book.text)
        sheet.write_string(row, 3, str(item.get("description") or ""), book.text)
        book.number_cell(sheet, row, 4, people)
        row += 1
    sheet.write_string(row, 0, "", book.total_text)
    sheet.write_string(row, 1, "جمع", book.total_text)
    sheet.write_string(row, 2, "", book.total_text)
    sheet.write_string(row, 3, "", book.total_text)
    book.number_cell(sheet, row, 4, reached, total=True)


def render_csv(report: ProvinceReport) -> bytes:
    """The per-county table as CSV for Excel: UTF-8 with a BOM, CRLF lines, codes as written."""
    columns = figure_columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["کد شهرستان", "نام شهرستان", *(column.header for column in columns)])
    for county in report.counties:
        code = county["countyCode"]
        writer.writerow([code, report.county_name(code), *(_csv_value(column.value(county)) for column in columns)])
    writer.writerow(["", "جمع اداره کل", *(_csv_value(column.value(report.totals)) for column in columns)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> str:
    return "" if value is None else str(value)


def manifest(report: ProvinceReport, generated_at: str) -> dict[str, Any]:
    """The machine-readable figures, exactly the contract's shape."""
    return {
        "period": str(report.period),
        "provinceCode": report.province_code,
        "generatedAt": generated_at,
        "totals": report.totals,
        "counties": report.counties,
    }


def render_manifest(report: ProvinceReport, generated_at: str) -> bytes:
    return json.dumps(manifest(report, generated_at), ensure_ascii=False, indent=1).encode("utf-8")


# ---------------------------------------------------------------- national roll-up

NATIONAL_FIGURES = (
    "applications",
    "examsPassed",
    "codesIssued",
    "activeInspectors",
    "reportingInspectors",
    "reportsReceived",
    "referred",
    "confirmed",
    "unfounded",
    "open",
    "overdue",
    "medianDaysToFinal",
)


@dataclass(frozen=True)
class NationalRow:
    """One directorate in the national roll-up: submission state and headline figures."""

    province_code: str
    state: ComplianceState
    submitted_at: str | None
    remarks: str | None
    totals: dict[str, Any]

    def canonical(self) -> dict[str, Any]:
        return {
            "provinceCode": self.province_code,
            "state": self.state,
            "submittedAt": self.submitted_at,
            "remarks": self.remarks,
            "totals": {key: self.totals.get(key) for key in NATIONAL_FIGURES},
        }


def national_signature(period: Period, rows: Iterable[NationalRow]) -> str:
    """A digest of everything the national workbook shows: equal digests, equal files."""
    text = json.dumps([str(period), [row.canonical() for row in rows]], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def national_file_name(period: Period) -> str:
    return f"nazer-monthly-{period}-national.xlsx"


def render_national(period: Period, rows: Sequence[NationalRow], path: Path, tmpdir: str | None = None) -> None:
    """HQ's roll-up: one row per directorate with its submission state and headline figures."""
    title = f"گزارش عملکرد ماهانهٔ طرح ملی ناظران — کل کشور — {period.name_fa()}"
    book = _Book(path, period, title, tmpdir)
    headers = [
        "کد استان",
        "اداره کل",
        "وضعیت ارسال",
        "زمان ارسال",
        "ملاحظات",
        *(FIGURE_LABELS[key] for key in NATIONAL_FIGURES),
    ]
    sheet = book.sheet(SHEET_NATIONAL, title, headers, [10, 22, 16, 18, 30, *([14] * len(NATIONAL_FIGURES))], 2)
    row = 2
    sums = dict.fromkeys(NATIONAL_FIGURES, 0)
    for item in rows:
        province = regions().province(item.province_code)
        sheet.write_string(row, 0, item.province_code, book.code)
        sheet.write_string(row, 1, province.name_fa if province else item.province_code, book.text)
        sheet.write_string(row, 2, STATE_LABELS[item.state], book.text)
        submitted = format_tehran_datetime(parse_iso(item.submitted_at)) if item.submitted_at else ""
        sheet.write_string(row, 3, submitted, book.code)
        sheet.write_string(row, 4, item.remarks or "", book.text)
        for index, key in enumerate(NATIONAL_FIGURES, start=5):
            value = item.totals.get(key)
            book.number_cell(sheet, row, index, value, decimal=key == "medianDaysToFinal")
            if key != "medianDaysToFinal" and value is not None:
                sums[key] += int(value)
        row += 1
    sheet.write_string(row, 0, "", book.total_text)
    sheet.write_string(row, 1, "جمع کشور", book.total_text)
    for col in (2, 3, 4):
        sheet.write_string(row, col, "", book.total_text)
    for index, key in enumerate(NATIONAL_FIGURES, start=5):
        book.number_cell(sheet, row, index, None if key == "medianDaysToFinal" else sums[key], total=True)
    book.close()
