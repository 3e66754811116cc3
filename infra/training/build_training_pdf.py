#!/usr/bin/env python3
"""Render the Persian training guide (training-guide.fa.md) to training-material.pdf.

The PDF is the default "training file" of the National Inspectors Plan that applicants download
(GET /training-material) before the exam; the default question bank
(layers/common/nazer/data/question_bank.json) is answerable from it. Edit the Markdown, not the PDF,
then run this script by hand and commit both.

How to run (from the repository root; a throwaway virtualenv, not the project's .venv):

    python3 -m venv /tmp/trainvenv
    /tmp/trainvenv/bin/pip install "fpdf2==2.8.9" "uharfbuzz==0.57.0"
    /tmp/trainvenv/bin/python infra/training/build_training_pdf.py

Options: --source PATH (default: training-guide.fa.md beside this script),
--output PATH (default: training-material.pdf beside this script).

Persian needs right-to-left layout and Arabic-script shaping (joined letter forms): fpdf2 does both
through HarfBuzz (uharfbuzz) once text shaping is on. The font is Vazirmatn 33.0.3 (Regular and
Bold, by Saber Rastikerdar, SIL Open Font License 1.1, see fonts/OFL.txt), taken from the npm
package "vazirmatn"; it covers Persian, Persian digits and Latin. fpdf2 embeds only the glyphs used.

The output is byte-stable for a given fpdf2 version: the creation date is fixed and nothing random
is written. Digits are written in ASCII in the Markdown (as in the question bank) and shown as
Persian digits in the PDF.

Supported Markdown (a deliberately small subset):
    # Title                 the first block: title, then one centred subtitle per line
    ## Heading / ### Sub     section headings
    - item                  bullet list item (one line each)
    1. item                 numbered list item (one line each)
    > note                  a shaded note
    **bold**                inline bold
    other lines             paragraphs (consecutive lines are joined)
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
FONT_DIR = HERE / "fonts"
DEFAULT_SOURCE = HERE / "training-guide.fa.md"
DEFAULT_OUTPUT = HERE / "training-material.pdf"

# Fixed so that regenerating the same text gives the same bytes (the letter's date, 1403/07/05).
CREATION_DATE = dt.datetime(2024, 9, 26, 0, 0, 0, tzinfo=dt.UTC)

FONT = "Vazirmatn"
BODY_SIZE = 10.5
LINE_H = 6.5
ACCENT = (0, 94, 104)  # dark teal for headings and markers
GREY = (90, 90, 90)
NOTE_FILL = (232, 243, 244)

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_THOUSANDS_SEPARATOR = "\u066c"


def to_persian_digits(text: str) -> str:
    """Show ASCII digits as Persian digits, with the Arabic-script thousands separator."""
    text = re.sub(r"(?<=\d),(?=\d{3})", ARABIC_THOUSANDS_SEPARATOR, text)
    return text.translate(PERSIAN_DIGITS)


@dataclass
class Block:
    kind: str  # title, h2, h3, para, bullet, number, note
    text: str
    extra: list[str] | None = None  # subtitle lines of the title; the number of a numbered item


def parse(markdown: str) -> list[Block]:
    """Split the Markdown subset into blocks."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    in_title = False

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            blocks.append(Block("para", " ".join(paragraph)))
            paragraph = []

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            flush()
            in_title = False
            continue
        if in_title:
            blocks[-1].extra.append(line)  # type: ignore[union-attr]
            continue
        if line.startswith("# "):
            flush()
            blocks.append(Block("title", line[2:].strip(), []))
            in_title = True
        elif line.startswith("## "):
            flush()
            blocks.append(Block("h2", line[3:].strip()))
        elif line.startswith("### "):
            flush()
            blocks.append(Block("h3", line[4:].strip()))
        elif line.startswith("- "):
            flush()
            blocks.append(Block("bullet", line[2:].strip()))
        elif re.match(r"^\d+\.\s", line):
            flush()
            number, text = line.split(".", 1)
            blocks.append(Block("number", text.strip(), [number]))
        elif line.startswith("> "):
            flush()
            blocks.append(Block("note", line[2:].strip()))
        else:
            paragraph.append(line)
    flush()
    return blocks


class GuidePDF(FPDF):
    """A4 portrait, right-to-left, with a running header and a page footer."""

    def __init__(self, title: str, total_pages: int | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.guide_title = title
        self.total_pages = total_pages
        self.set_margins(left=18, top=20, right=18)
        self.set_auto_page_break(auto=True, margin=20)
        self.add_font(FONT, "", str(FONT_DIR / "Vazirmatn-Regular.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "Vazirmatn-Bold.ttf"))
        self.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fa")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.set_y(10)
        self.cell(0, 5, self.guide_title, align="R")
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        self.line(self.l_margin, 16, self.w - self.r_margin, 16)
        self.set_y(self.t_margin)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        label = f"صفحه {self.page_no()}"
        if self.total_pages:
            label += f" از {self.total_pages}"
        self.cell(0, 5, to_persian_digits(label), align="C")
        self.set_text_color(0, 0, 0)

    # --- blocks -------------------------------------------------------------------------------

    def ensure_room(self, height: float) -> None:
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def title_block(self, block: Block) -> None:
        self.set_font(FONT, "B", 20)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 12, to_persian_digits(block.text), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*GREY)
        self.set_font(FONT, "", 10)
        for line in block.extra or []:
            self.multi_cell(0, 6, to_persian_digits(line), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(2)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.6)
        self.line(self.l_margin + 30, self.get_y(), self.w - self.r_margin - 30, self.get_y())
        self.ln(5)

    def heading(self, text: str, size: int, space_before: float) -> None:
        self.ensure_room(space_before + 3 * LINE_H)  # never leave a heading alone at a page foot
        self.ln(space_before)
        self.set_font(FONT, "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.6, to_persian_digits(text), align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def paragraph(self, text: str) -> None:
        self.set_font(FONT, "", BODY_SIZE)
        self.multi_cell(0, LINE_H, to_persian_digits(text), align="R", markdown=True, new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def list_item(self, marker: str, text: str) -> None:
        indent = 7.0
        self.ensure_room(LINE_H)
        top = self.get_y()
        right = self.w - self.r_margin
        self.set_font(FONT, "B", BODY_SIZE)
        self.set_text_color(*ACCENT)
        self.set_xy(right - indent, top)
        self.cell(indent, LINE_H, to_persian_digits(marker), align="R")
        self.set_text_color(0, 0, 0)
        self.set_font(FONT, "", BODY_SIZE)
        self.set_xy(self.l_margin, top)
        self.multi_cell(
            self.epw - indent,
            LINE_H,
            to_persian_digits(text),
            align="R",
            markdown=True,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.ln(0.8)

    def note(self, text: str) -> None:
        self.set_font(FONT, "B", BODY_SIZE)
        self.set_fill_color(*NOTE_FILL)
        self.multi_cell(
            0, LINE_H + 1, to_persian_digits(text), align="C", fill=True, padding=2, new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(3)

    def render(self, blocks: list[Block]) -> None:
        self.add_page()
        for block in blocks:
            if block.kind == "title":
                self.title_block(block)
            elif block.kind == "h2":
                self.heading(block.text, 14, 4)
            elif block.kind == "h3":
                self.heading(block.text, 12, 2)
            elif block.kind == "para":
                self.paragraph(block.text)
            elif block.kind == "bullet":
                self.list_item("•", block.text)
            elif block.kind == "number":
                self.list_item(f"{(block.extra or ['1'])[0]}.", block.text)
            elif block.kind == "note":
                self.note(block.text)


def build(source: Path, output: Path) -> int:
    """Render source to output; return the page count."""
    blocks = parse(source.read_text(encoding="utf-8"))
    title = next((b.text for b in blocks if b.kind == "title"), "راهنمای آموزشی طرح ملی ناظران")

    def render(total_pages: int | None) -> GuidePDF:
        pdf = GuidePDF(title, total_pages)
        pdf.set_title(title)
        pdf.set_subject("National Inspectors Plan (طرح ملی ناظران): training guide for applicants")
        pdf.set_author("سازمان حمایت مصرف‌کنندگان و تولیدکنندگان (CPPO)")
        pdf.set_keywords("ناظر افتخاری, طرح ملی ناظران, حمایت از مصرف‌کننده, CPPO, Nazer")
        pdf.set_creator("Nazer infra/training/build_training_pdf.py")
        pdf.set_lang("fa-IR")
        pdf.set_creation_date(CREATION_DATE)
        pdf.render(blocks)
        return pdf

    # Two passes: the first counts the pages for the "page N of M" footer.
    pages = render(None).pages_count
    pdf = render(pages)
    output.write_bytes(bytes(pdf.output()))
    return pdf.pages_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    pages = build(args.source, args.output)
    print(f"wrote {args.output} ({pages} pages, {args.output.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
