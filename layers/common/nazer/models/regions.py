"""Shapes of GET /regions."""

from __future__ import annotations

from nazer.models.base import WireModel
from nazer.regions import RegionsTable


class CountyOut(WireModel):
    code: str
    name_fa: str
    name_en: str


class ProvinceOut(WireModel):
    code: str
    name_fa: str
    name_en: str
    counties: list[CountyOut]


class RegionsResponse(WireModel):
    version: str
    provinces: list[ProvinceOut]

    @classmethod
    def from_table(cls, table: RegionsTable) -> RegionsResponse:
        return cls(
            version=table.version,
            provinces=[
                ProvinceOut(
                    code=p.code,
                    name_fa=p.name_fa,
                    name_en=p.name_en,
                    counties=[CountyOut(code=c.code, name_fa=c.name_fa, name_en=c.name_en) for c in p.counties],
                )
                for p in table.provinces
            ],
        )
