"""The files the team pages hand out: a meeting's minutes (PDF, ReportLab) and the XLSX lists of
the roster and the action items. Pure builders: the services record each export in the audit log.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from deskpemilu.core.heads import head_text
from deskpemilu.core.pdf import HARI, LETTERHEAD, SUBHEAD, fonts, jam, p, tanggal
from deskpemilu.core.spreadsheet import XlsxBook
from deskpemilu.team.models import ActionItem, ActionStatus, Meeting, TeamMember
from deskpemilu.team.selectors import RosterDay

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABEL = {s.value: str(s.label) for s in ActionStatus}


# --- PDF -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Styles:
    """The paragraph styles of the minutes."""

    regular: str
    body: ParagraphStyle
    small: ParagraphStyle
    head: ParagraphStyle
    title: ParagraphStyle
    section: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle

    @classmethod
    def make(cls) -> _Styles:
        regular, bold = fonts()
        body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13)
        cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
        return cls(
            regular=regular,
            body=body,
            small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
            head=ParagraphStyle(
                "head", parent=body, fontName=bold, fontSize=13, alignment=TA_CENTER
            ),
            title=ParagraphStyle(
                "title", parent=body, fontName=bold, fontSize=12, alignment=TA_CENTER
            ),
            section=ParagraphStyle(
                "section", parent=body, fontName=bold, fontSize=11, spaceBefore=8
            ),
            cell=cell,
            cell_head=ParagraphStyle("cellhead", parent=cell, fontName=bold),
        )


# The decisions table: header and width of each column.
DECISION_COLUMNS = (
    ("No", 10 * mm),
    ("Keputusan", 72 * mm),
    ("Penanggung jawab", 45 * mm),
    ("Tenggat", 25 * mm),
    ("Status", 20 * mm),
)


def minutes_pdf(
    meeting: Meeting,
    attendees: Sequence[TeamMember],
    actions: Sequence[ActionItem],
    *,
    audit_seq: int,
    audit_head: str,
) -> bytes:
    """The notulen of a meeting: letterhead, when and where, who, points, decisions table."""
    s = _Styles.make()
    held = timezone.localtime(meeting.held_at)
    story = [
        *_heading(meeting, s),
        *_discussion(meeting, attendees, s),
        Paragraph("Keputusan dan tindak lanjut", s.section),
        _decisions(actions, s),
        Spacer(1, 18),
        Paragraph(
            p(
                f"Mataram, {tanggal(held.date(), with_day=False)}\nNotulis,\n\n\n\n("
                + "." * 28
                + ")"
            ),
            s.body,
        ),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=20 * mm,
        title=f"Notulen — {meeting.title}",
        author="Tim Desk Pemilu Kota Mataram",
    )
    footer = _footer(s.regular, timezone.localtime(), audit_seq, audit_head)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _footer(
    font: str, printed: datetime, audit_seq: int, audit_head: str
) -> Callable[[Any, Any], None]:
    """Every page: when it was printed, the audit head, the page number."""

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        text = (
            f"Dicetak {tanggal(printed.date(), with_day=False)} {printed:%H.%M} WITA · "
            f"kepala rantai audit {head_text(audit_seq, audit_head)}"
        )
        canvas.drawString(18 * mm, 10 * mm, text)
        canvas.drawRightString(192 * mm, 14 * mm, f"Halaman {canvas.getPageNumber()}")
        canvas.restoreState()

    return draw


def _heading(meeting: Meeting, s: _Styles) -> list[Flowable]:
    """The letterhead, the meeting's title and when, where and who chaired it."""
    held = timezone.localtime(meeting.held_at)
    facts = [
        ("Hari, tanggal", tanggal(held.date())),
        ("Waktu", jam(meeting.held_at)),
        ("Tempat", meeting.place),
        ("Pimpinan rapat", meeting.chair or "-"),
    ]
    facts_table = Table(
        [[Paragraph(p(k), s.cell), Paragraph(p(": " + v), s.cell)] for k, v in facts],
        colWidths=[35 * mm, 135 * mm],
    )
    facts_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        Paragraph(p(LETTERHEAD), s.head),
        Paragraph(p(SUBHEAD), s.small),
        HRFlowable(width="100%", thickness=1.2, color=colors.black, spaceBefore=4, spaceAfter=8),
        Paragraph("NOTULEN RAPAT KOORDINASI", s.title),
        Paragraph(p(meeting.title), s.title),
        Spacer(1, 8),
        facts_table,
    ]


def _discussion(meeting: Meeting, attendees: Sequence[TeamMember], s: _Styles) -> list[Flowable]:
    """Who attended, the points discussed and the summary."""
    names = [f"{m.name} ({m.agency.name})" for m in attendees] + list(meeting.other_attendees)
    story: list[Flowable] = [
        Paragraph("Peserta", s.section),
        _numbered(names or ["-"], s.body),
        Paragraph("Pokok bahasan", s.section),
        _numbered(list(meeting.points) or ["-"], s.body),
    ]
    if meeting.summary:
        story.append(Paragraph("Ringkasan", s.section))
        story.append(Paragraph(p(meeting.summary), s.body))
    return story


def _decisions(actions: Sequence[ActionItem], s: _Styles) -> Table:
    """One row per action item: its number, the decision, who answers for it, due, status."""
    rows: list[list[object]] = [[Paragraph(h, s.cell_head) for h, _w in DECISION_COLUMNS]]
    for a in actions:
        who = a.agency.name + (f" — {a.assignee.name}" if a.assignee else "")
        due = tanggal(a.due_on, with_day=False)
        status = STATUS_LABEL.get(a.status, a.status)
        rows.append(
            [Paragraph(str(a.number), s.cell)]
            + [Paragraph(p(text), s.cell) for text in (a.text, who, due, status)]
        )
    if not actions:
        rows.append([Paragraph("-", s.cell), Paragraph("Tidak ada keputusan.", s.cell), "", "", ""])
    table = Table(rows, colWidths=[w for _h, w in DECISION_COLUMNS], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _numbered(lines: Sequence[str], style: ParagraphStyle) -> Flowable:
    return ListFlowable(
        [ListItem(Paragraph(p(line), style)) for line in lines],
        bulletType="1",
        leftIndent=14,
        bulletFontName=style.fontName,
        bulletFontSize=9,
    )


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx(
    sheet_name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    info: Sequence[Sequence[object]],
) -> bytes:
    book = XlsxBook()
    book.sheet(sheet_name, header).extend(rows)
    book.sheet("Info").extend(info)
    return book.to_bytes()


def _info(what: str, audit_seq: int, audit_head: str) -> list[list[object]]:
    now = timezone.localtime()
    return [
        ["Desk Pemilu Kota Mataram", what],
        ["waktu", now.strftime("%Y-%m-%d %H:%M:%S %z")],
        ["kepala rantai audit", head_text(audit_seq, audit_head)],
    ]


def roster_xlsx(days: Sequence[RosterDay], *, audit_seq: int, audit_head: str) -> bytes:
    header = ["tanggal", "hari", "sif", "jam", "nama", "instansi", "peran", "telepon", "catatan"]
    rows: list[list[object]] = []
    for day in days:
        for slot in day.slots:
            base: list[object] = [
                day.date,
                HARI[day.date.weekday()],
                slot.shift.name,
                slot.shift.hours,
            ]
            if slot.gap:
                rows.append([*base, "", "", "", "", "KOSONG: belum ada petugas"])
            for a in slot.assignments:
                rows.append(
                    [
                        *base,
                        a.member.name,
                        a.member.agency.name,
                        a.member.get_team_role_display(),
                        a.member.phone,
                        a.note,
                    ]
                )
    return _xlsx("Jadwal piket", header, rows, _info("jadwal piket posko", audit_seq, audit_head))


def actions_xlsx(actions: Iterable[ActionItem], *, audit_seq: int, audit_head: str) -> bytes:
    header = [
        "id",
        "rapat",
        "tanggal rapat",
        "no",
        "keputusan",
        "instansi",
        "petugas",
        "tenggat",
        "status",
        "terlambat",
        "selesai pada",
        "catatan",
    ]
    rows = [
        [
            a.pk,
            a.meeting.title,
            timezone.localtime(a.meeting.held_at).date(),
            a.number,
            a.text,
            a.agency.name,
            a.assignee.name if a.assignee else "",
            a.due_on,
            STATUS_LABEL.get(a.status, a.status),
            "ya" if a.is_overdue else "",
            timezone.localtime(a.done_at).strftime("%Y-%m-%d %H:%M") if a.done_at else "",
            a.note,
        ]
        for a in actions
    ]
    return _xlsx("Tindak lanjut", header, rows, _info("tindak lanjut rapat", audit_seq, audit_head))
