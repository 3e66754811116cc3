"""The directorates and counties table: a versioned data file, validated when loaded."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field, field_validator, model_validator

_CODE = re.compile(r"[0-9]{2}")
_ARABIC_LETTERS = re.compile("[يك]")


def _two_digit_code(value: str) -> str:
    if not _CODE.fullmatch(value):
        raise ValueError(f"code {value!r} is not two ASCII digits")
    return value


def _persian_letters(value: str) -> str:
    if _ARABIC_LETTERS.search(value):
        raise ValueError(f"{value!r} uses Arabic yeh/kaf")
    return value


class County(BaseModel):
    code: str
    name_fa: str = Field(alias="nameFa", min_length=1)
    name_en: str = Field(alias="nameEn", min_length=1)

    _code = field_validator("code")(_two_digit_code)
    _name = field_validator("name_fa")(_persian_letters)


class Province(BaseModel):
    code: str
    name_fa: str = Field(alias="nameFa", min_length=1)
    name_en: str = Field(alias="nameEn", min_length=1)
    counties: list[County] = Field(min_length=1)

    _code = field_validator("code")(_two_digit_code)
    _name = field_validator("name_fa")(_persian_letters)

    @model_validator(mode="after")
    def _unique_counties(self) -> Province:
        codes = [county.code for county in self.counties]
        if len(codes) != len(set(codes)):
            raise ValueError(f"province {self.code}: duplicate county codes")
        return self

    def county(self, code: str) -> County | None:
        return next((county for county in self.counties if county.code == code), None)


class RegionsTable(BaseModel):
    version: str = Field(min_length=1)
    source: str = Field(min_length=1)
    provinces: list[Province]

    @model_validator(mode="after")
    def _unique_provinces(self) -> RegionsTable:
        codes = [province.code for province in self.provinces]
        if len(codes) != len(set(codes)):
            raise ValueError("duplicate province codes")
        return self

    def province(self, code: str) -> Province | None:
        return next((province for province in self.provinces if province.code == code), None)

    def has_county(self, province_code: str, county_code: str) -> bool:
        province = self.province(province_code)
        return province is not None and province.county(county_code) is not None

    def province_codes(self) -> list[str]:
        return [province.code for province in self.provinces]


def load_regions(path: Path | None = None) -> RegionsTable:
    """Parse and validate a regions file (the shipped default unless a path is given)."""
    if path is None:
        text = resources.files("nazer.data").joinpath("regions.json").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return RegionsTable.model_validate(json.loads(text))


@cache
def regions() -> RegionsTable:
    """The regions table of this process."""
    return load_regions()
