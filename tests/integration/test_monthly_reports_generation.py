"""Generating a month: every figure in the workbook, the CSV and the JSON; edges of the month; idempotence."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import openpyxl
import pytest

from nazer.dal import monthly_reports as store
from nazer.logic import monthly_reports
from nazer.logic.monthly_files import figure_columns
from nazer.regions import regions
from tests.integration import monthly_scenario as scenario
from tests.integration.monthly_scenario import PERIOD

NOW = scenario.E + timedelta(days=2)  # 1403/08/03: the month is over


def generate(provinces=("23", "00")):
    return monthly_reports.generate_period(PERIOD, NOW, provinces=list(provinces))


def files_of(province):
    record = store.get_record(PERIOD, province)
    assert record is not None
    return {fmt: store.read_file(file["key"]) for fmt, file in record["files"].items()}


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_json_manifest_holds_every_figure_of_the_month_and_nothing_of_its_neighbours(aws):
    # Given a month of known activity, with activity just before and just after it
    scenario.seed()
    # When the period is generated
    run = generate()
    # Then the manifest of Tehran has exactly the contract's shape and the expected figures
    manifest = json.loads(files_of("23")["json"])
    assert list(manifest) == ["period", "provinceCode", "generatedAt", "totals", "counties"]
    assert manifest["period"] == "1403-07" and manifest["provinceCode"] == "23"
    assert manifest["generatedAt"] == run.generated_at
    counties = {county["countyCode"]: county for county in manifest["counties"]}
    assert [c.code for c in regions().province("23").counties] == [c["countyCode"] for c in manifest["counties"]]
    assert {key: value for key, value in counties["01"].items() if key != "countyCode"} == scenario.TEHRAN_01
    assert {key: value for key, value in counties["02"].items() if key != "countyCode"} == scenario.TEHRAN_02
    assert counties["03"] == {"countyCode": "03", **scenario.row()}
    assert manifest["totals"] == scenario.TEHRAN_TOTALS
    # And Markazi's code and its county keep their leading zeros
    markazi = json.loads(files_of("00")["json"])
    assert markazi["provinceCode"] == "00"
    assert {k: v for k, v in markazi["counties"][0].items() if k != "countyCode"} == scenario.MARKAZI_01
    assert markazi["counties"][0]["countyCode"] == "01"


def test_the_workbook_shows_every_figure_in_right_to_left_persian_sheets(aws):
    scenario.seed()
    generate()
    book = workbook(files_of("23")["xlsx"])

    assert book.sheetnames == ["خلاصه", "شهرستان‌ها", "ناظران", "فعالیت‌های ترویجی"]
    for sheet in book.worksheets:
        assert sheet.sheet_view.rightToLeft is True, sheet.title
        assert "تهران" in sheet["A1"].value and "مهر ۱۴۰۳" in sheet["A1"].value
    assert book.properties.created is not None

    # Per county: codes as text, one column per figure, a totals row
    counties = book["شهرستان‌ها"]
    assert counties.freeze_panes == "C3"
    rows = sheet_rows(counties)
    columns = figure_columns()
    assert rows[1][:3] == ["کد شهرستان", "نام شهرستان", "درخواست‌های عضویت جدید"]
    by_code = {r[0]: r for r in rows[2:-1]}
    assert counties["A3"].data_type == "s" and counties["A3"].value == "01"
    for code, expected in (("01", scenario.TEHRAN_01), ("02", scenario.TEHRAN_02)):
        assert by_code[code][1] == regions().province("23").county(code).name_fa
        assert by_code[code][2:] == [column.value(expected) for column in columns], code
    totals = rows[-1]
    assert totals[1] == "جمع اداره کل"
    assert totals[2:] == [column.value(scenario.TEHRAN_TOTALS) for column in columns]

    # Summary: the directorate, its code as text, the period, and the totals
    summary = {r[0]: r[1] for r in sheet_rows(book["خلاصه"])[2:]}
    assert summary["اداره کل"] == "تهران" and summary["کد استان"] == "23"
    assert summary["دوره"] == "مهر ۱۴۰۳ (1403-07)"
    assert summary["از تاریخ"] == "1403/07/01" and summary["تا تاریخ"] == "1403/07/30"
    assert summary["گزارش‌های دریافتی"] == 9
    assert summary["ناظران دارای دست‌کم یک گزارش"] == 5
    assert summary["دریافتی — سامانهٔ ۱۲۴"] == 2
    assert summary["میانهٔ روز تا نتیجهٔ نهایی"] == 3.0
    assert summary["فعالیت‌های ترویجی ثبت‌شده"] == 2
    assert summary["مخاطبان فعالیت‌های ترویجی"] == 160
    assert book["خلاصه"].freeze_panes == "A3"

    # Per inspector: code, province of the code, county, reports, confirmed — no personal data
    inspectors = book["ناظران"]
    rows = sheet_rows(inspectors)[2:]
    assert [(r[0], r[2], r[4], r[5]) for r in rows] == [
        (c, county, n, k) for c, _, county, n, k in scenario.TEHRAN_INSPECTORS
    ]
    assert rows[0][1] == "مرکزی" and rows[0][0] == "0001400001"
    assert all(cell.data_type == "s" for cell in inspectors["A"][2:])
    flat = json.dumps(sheet_rows(inspectors), ensure_ascii=False)
    assert "زهرا" not in flat and "کریمی" not in flat and "+98912" not in flat

    # Outreach of the month only, with the people reached
    outreach = sheet_rows(book["فعالیت‌های ترویجی"])[2:]
    assert [(r[0], r[1], r[4]) for r in outreach[:-1]] == [
        ("1403/07/05", "فراخوان عمومی", 120),
        ("1403/07/28", "تشکل‌های صنفی", 40),
    ]
    assert outreach[-1][4] == 160


def test_the_csv_is_utf8_with_bom_and_keeps_leading_zeros(aws):
    scenario.seed()
    generate()
    data = files_of("00")["csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["کد شهرستان", "نام شهرستان"]
    assert rows[1][0] == "01" and rows[1][1] == regions().province("00").county("01").name_fa
    columns = figure_columns()
    assert rows[1][2:] == ["" if v is None else str(v) for v in (c.value(scenario.MARKAZI_01) for c in columns)]

    tehran = list(csv.reader(io.StringIO(files_of("23")["csv"].decode("utf-8-sig"))))
    by_code = {r[0]: r for r in tehran[1:-1]}
    assert by_code["01"][2:] == [str(c.value(scenario.TEHRAN_01)) for c in columns]
    assert by_code["02"][2:] == [str(c.value(scenario.TEHRAN_02)) for c in columns]
    assert tehran[-1][1] == "جمع اداره کل"
    assert tehran[-1][2:] == [str(c.value(scenario.TEHRAN_TOTALS)) for c in columns]


def test_generating_twice_gives_the_same_files_byte_for_byte(aws):
    scenario.seed()
    generate()
    first = files_of("23")
    monthly_reports.generate_period(PERIOD, NOW + timedelta(days=20), provinces=["23", "00"])
    second = files_of("23")
    assert first["xlsx"] == second["xlsx"]
    assert first["csv"] == second["csv"]
    first_json, second_json = json.loads(first["json"]), json.loads(second["json"])
    assert first_json.pop("generatedAt") != second_json.pop("generatedAt")
    assert first_json == second_json


def test_records_keys_and_counts_per_directorate_and_the_national_record(aws):
    scenario.seed()
    run = generate()
    record = store.get_record(PERIOD, "23")
    assert record["generatedAt"] == run.generated_at
    assert record["files"]["xlsx"]["key"] == "reports/1403-07/23/nazer-monthly-1403-07-23.xlsx"
    assert record["files"]["csv"]["key"] == "reports/1403-07/23/nazer-monthly-1403-07-23.csv"
    assert record["files"]["json"]["key"] == "reports/1403-07/23/nazer-monthly-1403-07-23.json"
    assert record["counts"] == {"reports": 9, "countyRows": 16, "inspectorRows": 5, "outreachRows": 2}
    assert record["totals"]["reportsReceived"] == 9 and record["totals"]["medianDaysToFinal"] == 3
    national = store.get_national(PERIOD)
    assert national["provinces"] == 2
    assert national["file"]["key"].startswith("reports/1403-07/national/")
    # No staging object is left behind
    listing = aws_keys(aws, "reports/1403-07/")
    assert not [key for key in listing if "/.staging/" in key]


def aws_keys(provisioned, prefix):
    import boto3

    s3 = boto3.client("s3", region_name="us-east-1")
    reply = s3.list_objects_v2(Bucket=provisioned.bucket, Prefix=prefix)
    return [item["Key"] for item in reply.get("Contents", [])]


def test_a_run_that_fails_midway_publishes_nothing_and_leaves_the_previous_set(aws, monkeypatch):
    # Given a period generated once
    scenario.seed()
    generate(["23"])
    before = store.get_record(PERIOD, "23")
    files_before = files_of("23")
    # And activity that would change the figures
    scenario.put_report(
        province="23", county="02", received_at=scenario.S + 2 * scenario.DAY, inspector_code="2302400001"
    )
    # When the next run fails while staging the CSV
    real_put = store.put_file

    def failing_put(key, body, **kwargs):
        if key.endswith(".csv"):
            raise RuntimeError("S3 unavailable")
        return real_put(key, body, **kwargs)

    monkeypatch.setattr(store, "put_file", failing_put)
    with pytest.raises(RuntimeError):
        monthly_reports.generate_period(PERIOD, NOW + timedelta(days=1), provinces=["23"])
    # Then the record and the published files are those of the first run, and no staging is left
    assert store.get_record(PERIOD, "23") == before
    assert files_of("23") == files_before
    assert not [key for key in aws_keys(aws, "reports/1403-07/") if "/.staging/" in key]


def test_the_current_month_can_be_generated_partially(aws):
    # Given a report received on day 3 of the running month, 2 days ago
    now = scenario.S + 5 * scenario.DAY
    scenario.put_report(
        province="23", county="01", received_at=scenario.S + 2 * scenario.DAY, inspector_code="2301400001"
    )
    scenario.put_report(province="23", county="01", received_at=now + scenario.DAY, inspector_code="2301400001")
    # When it is generated now
    monthly_reports.generate_period(PERIOD, now, provinces=["23"])
    # Then only what happened so far counts, and nothing is overdue yet
    totals = json.loads(files_of("23")["json"])["totals"]
    assert totals["reportsReceived"] == 1 and totals["open"] == 1 and totals["overdue"] == 0
