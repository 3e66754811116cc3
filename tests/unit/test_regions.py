"""The regions table: the shipped file is valid, and a broken replacement is refused at load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from nazer.regions import load_regions, regions

KERMAN, SOUTH_KERMAN = "08", "31"


def test_shipped_table_has_32_directorates_with_two_digit_codes():
    table = regions()
    codes = table.province_codes()
    assert len(codes) == 32
    assert codes == sorted(codes)
    assert codes[0] == "00" and codes[-1] == "31"
    assert table.province("23").name_en == "Tehran"
    assert table.province("00").name_en == "Markazi"
    assert table.province("30").name_en == "Alborz"


def test_every_directorate_has_counties_with_unique_codes():
    for province in regions().provinces:
        codes = [county.code for county in province.counties]
        assert codes, province.code
        assert len(codes) == len(set(codes))


def test_south_kerman_counties_are_not_listed_under_kerman():
    table = regions()
    south = {c.name_en for c in table.province(SOUTH_KERMAN).counties}
    kerman = {c.name_en for c in table.province(KERMAN).counties}
    assert "Jiroft" in south and "Kahnuj" in south
    assert not south & kerman
    assert table.has_county(SOUTH_KERMAN, "03")  # Jiroft keeps its Statistical Centre number
    assert not table.has_county(KERMAN, "03")


def _write(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "regions.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _minimal(**province) -> dict:
    base = {
        "code": "01",
        "nameFa": "گیلان",
        "nameEn": "Gilan",
        "counties": [{"code": "01", "nameFa": "رشت", "nameEn": "Rasht"}],
    }
    return {"version": "t", "source": "test", "provinces": [base | province]}


def test_a_replacement_table_loads_without_code_change(tmp_path):
    table = load_regions(_write(tmp_path, _minimal()))
    assert table.has_county("01", "01")
    assert not table.has_county("01", "02")


@pytest.mark.parametrize(
    "broken",
    [
        _minimal(code="1"),  # leading zero lost
        _minimal(code="۰۱"),  # Persian digits are not ASCII digits
        _minimal(nameFa=""),
        _minimal(nameFa="كرمان"),  # Arabic kaf
        _minimal(counties=[]),
        _minimal(
            counties=[{"code": "01", "nameFa": "الف", "nameEn": "A"}, {"code": "01", "nameFa": "ب", "nameEn": "B"}]
        ),
    ],
)
def test_a_broken_table_is_refused_at_load(tmp_path, broken):
    with pytest.raises(ValidationError):
        load_regions(_write(tmp_path, broken))


def test_duplicate_province_codes_are_refused(tmp_path):
    document = _minimal()
    document["provinces"].append(document["provinces"][0])
    with pytest.raises(ValidationError):
        load_regions(_write(tmp_path, document))
