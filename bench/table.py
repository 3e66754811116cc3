"""One row of the benchmark table and its rendering."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    area: str
    figure: str
    value: str
    floor: str = ""
    note: str = ""


def render(rows: list[Row]) -> str:
    header = Row("area", "figure", "measured", "floor / budget", "note")
    table = [header, *rows]
    widths = [max(len(getattr(row, name)) for row in table) for name in ("area", "figure", "value", "floor", "note")]

    def line(row: Row) -> str:
        cells = (row.area, row.figure, row.value, row.floor, row.note)
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), separator, *(line(row) for row in rows)])
