"""ReportLab building blocks of the desk's reports: fonts, the city's letterhead, the footer with
the audit head on every page, and tables (the map is regions.pdfmap).

Generated on the server (no browser printing); DejaVu Sans where the machine has it, so every
name prints, else Helvetica.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from deskpemilu.core.heads import head_text

LETTERHEAD = "PEMERINTAH KOTA MATARAM — TIM DESK PEMILU 2024"
SUBHEAD = "Posko Desk Pemilu · Ruang Kenari, Kantor Wali Kota Mataram"
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
HEAD_FILL = colors.HexColor("#e8eef0")
TOTAL_FILL = colors.HexColor("#f3f6f7")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def tanggal(day: date, *, with_day: bool = True) -> str:
    """Indonesian long date: "Rabu, 14 Februari 2024"."""
    text = f"{day.day} {BULAN[day.month - 1]} {day.year}"
    return f"{HARI[day.weekday()]}, {text}" if with_day else text


def jam(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H.%M} WITA"


def angka(value: int | float | None, decimals: int = 0) -> str:
    """Indonesian number format: 1.234 and 12,5."""
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fonts() -> tuple[str, str]:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
    return "DejaVuSans", "DejaVuSans-Bold"


class Styles:
    def __init__(self) -> None:
        regular, bold = fonts()
        self.regular, self.bold = regular, bold
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10)
        self.head = ParagraphStyle(
            "head", parent=self.body, fontName=bold, fontSize=13, alignment=TA_CENTER, leading=16
        )
        self.sub = ParagraphStyle("sub", parent=self.small, alignment=TA_CENTER)
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=bold, fontSize=12, alignment=TA_CENTER, leading=15
        )
        self.centre = ParagraphStyle("centre", parent=self.body, alignment=TA_CENTER)
        self.section = ParagraphStyle(
            "section", parent=self.body, fontName=bold, fontSize=11, spaceBefore=10, spaceAfter=4
        )
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8, leading=10)
        self.cell_head = ParagraphStyle("cellhead", parent=self.cell, fontName=bold)


def p(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def letterhead_lines(region_name: str | None) -> tuple[str, str]:
    """The two lines of the letterhead: Kota Mataram's own Posko, or the desk of the region the
    installation serves (DESKPEMILU_REGION), which has its own Posko nobody wrote down here."""
    if region_name is None or region_name == "Kota Mataram":
        return LETTERHEAD, SUBHEAD
    return f"TIM DESK PEMILU {region_name.upper()}", "Posko Desk Pemilu"


def letterhead(
    styles: Styles, title: str, subtitle: str, *, region_name: str | None = None
) -> list[Flowable]:
    head, sub = letterhead_lines(region_name)
    return [
        Paragraph(p(head), styles.head),
        Paragraph(p(sub), styles.sub),
        HRFlowable(width="100%", thickness=1.2, color=colors.black, spaceBefore=4, spaceAfter=8),
        Paragraph(p(title), styles.title),
        Paragraph(p(subtitle), styles.centre),
        Spacer(1, 6),
    ]


def table(
    styles: Styles,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    numeric_from: int = 1,
    total_last: bool = False,
    small_header: bool = False,
) -> Table:
    """A grid table; columns from `numeric_from` right-aligned; the last row bold when it is a
    total."""
    number = ParagraphStyle("num", parent=styles.cell, alignment=2)
    head = styles.cell_head
    if small_header:
        head = ParagraphStyle("headsmall", parent=head, fontSize=6.5, leading=8)
    bold = ParagraphStyle("bold", parent=styles.cell, fontName=styles.bold)
    bold_number = ParagraphStyle("boldnum", parent=number, fontName=styles.bold)
    data: list[list[object]] = [[Paragraph(p(h), head) for h in header]]
    for i, row in enumerate(rows):
        last = total_last and i == len(rows) - 1
        data.append(
            [
                Paragraph(
                    p(str(v)),
                    (bold_number if last else number)
                    if c >= numeric_from
                    else (bold if last else styles.cell),
                )
                for c, v in enumerate(row)
            ]
        )
    if not rows:
        data.append([Paragraph("-", styles.cell)] + [""] * (len(header) - 1))
    result = Table(data, colWidths=list(widths), repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_last and rows:
        style.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), TOTAL_FILL))
    result.setStyle(TableStyle(style))
    return result


@dataclass(frozen=True)
class Column:
    """One column of a report table: its header, its width and the cell an item gives."""

    header: object  # a text or a lazy translation, made a string when the table is drawn
    width: float
    cell: Callable[[Any], object]


def cells(columns: Sequence[Column], item: Any) -> list[object]:
    return [c.cell(item) for c in columns]


def column_table(
    styles: Styles,
    columns: Sequence[Column],
    items: Iterable[Any],
    *,
    total: Sequence[object] | None = None,
    numeric_from: int = 1,
) -> Table:
    """`table` with a row per item, described column by column; `total` is a last, bold row."""
    rows = [cells(columns, item) for item in items]
    if total is not None:
        rows.append(list(total))
    return table(
        styles,
        [str(c.header) for c in columns],
        rows,
        [c.width for c in columns],
        numeric_from=numeric_from,
        total_last=total is not None,
    )


def footer(
    styles: Styles, audit_seq: int, audit_head: str, printed: datetime
) -> Callable[..., None]:
    """Every page: when it was printed, the audit head hash, the page number."""

    local = timezone.localtime(printed)

    def draw(canvas: Any, doc: Any) -> None:
        width = doc.pagesize[0]
        canvas.saveState()
        canvas.setFont(styles.regular, 7)
        canvas.drawString(
            doc.leftMargin,
            9 * mm,
            f"Dicetak {tanggal(local.date(), with_day=False)} {jam(printed)} · "
            f"kepala rantai audit {head_text(audit_seq, audit_head)}",
        )
        canvas.drawRightString(
            width - doc.rightMargin, 13 * mm, f"Halaman {canvas.getPageNumber()}"
        )
        canvas.restoreState()

    return draw


def build(
    story: list[Flowable],
    *,
    styles: Styles,
    title: str,
    audit: tuple[int, str],
    printed: datetime,
    wide: bool = False,
) -> bytes:
    buffer = io.BytesIO()
    size = landscape(A4) if wide else A4
    doc = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="Tim Desk Pemilu Kota Mataram",
        subject=f"kepala rantai audit {head_text(*audit)}",
    )
    on_page = footer(styles, audit[0], audit[1], printed)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
