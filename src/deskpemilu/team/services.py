"""Every write of the desk's own work: team members, the duty roster, meetings, action items.

Each runs in one transaction with its audit entry. Identifiers (agency slugs, shift codes,
member ids) are resolved here, so the page and the API refuse bad input with the same codes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from deskpemilu.accounts.models import Agency, User
from deskpemilu.audit.services import head as audit_head
from deskpemilu.audit.services import record
from deskpemilu.core.text import storable
from deskpemilu.team import documents
from deskpemilu.team.access import answers_action, manages_team
from deskpemilu.team.models import (
    DEFAULT_PLACE,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    DutyAssignment,
    Meeting,
    Shift,
    TeamMember,
    TeamRole,
)
from deskpemilu.team.selectors import meeting_detail as meeting_parts
from deskpemilu.team.selectors import roster

MAX_NAME = 150
MAX_TITLE = 200
MAX_TEXT = 1000
MAX_NOTE = 2000
MAX_POINT = 500
MAX_POINTS = 50
MAX_ACTIONS = 50
MAX_ATTENDEES = 200
MAX_ID = 2**63 - 1
# The years a desk may plan in; anything else is a typo (and 9999 overflows when made UTC).
YEARS = range(2000, 2101)
PHONE = re.compile(r"^[0-9+()\- .]{0,30}$")


class TeamError(Exception):
    """A refusal: an HTTP-like status, a stable code, the field it concerns, a message."""

    def __init__(self, status: int, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.field = field
        self.message = message


def _require_manager(actor: User) -> None:
    if not manages_team(actor):
        raise TeamError(403, "bukan_admin_desk", "Hanya admin desk yang dapat mengubah ini.")


def _refuse_unstorable(text: str, field: str) -> None:
    # A NUL character or a lone surrogate: no database stores it; no person types one.
    if not storable(text):
        raise TeamError(422, "karakter_tidak_sah", "Mengandung karakter yang tidak sah.", field)


def _text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    _refuse_unstorable(text, field)
    if required and not text:
        raise TeamError(422, "wajib_diisi", "Wajib diisi.", field)
    if len(text) > limit:
        raise TeamError(422, "terlalu_panjang", f"Paling banyak {limit} karakter.", field)
    return text


def _agency(slug: str, field: str) -> Agency:
    slug = (slug or "").strip()
    # Not compared when unstorable: PostgreSQL refuses a NUL even in a WHERE clause.
    agency = Agency.objects.filter(slug=slug).first() if storable(slug) else None
    if agency is None:
        raise TeamError(422, "instansi_tidak_dikenal", "Instansi tidak dikenal.", field)
    return agency


def _id_ok(value: int) -> bool:
    # Beyond a 64-bit key no row exists, and some databases refuse to even compare it.
    return 0 < value <= MAX_ID


def _member(member_id: int | None, field: str) -> TeamMember | None:
    if member_id is None:
        return None
    member = TeamMember.objects.filter(pk=member_id).first() if _id_ok(member_id) else None
    if member is None:
        raise TeamError(422, "anggota_tidak_dikenal", "Anggota tim tidak dikenal.", field)
    return member


# --- Team members ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    name: str
    agency: str  # slug
    team_role: str = TeamRole.ANGGOTA
    bidang: str = ""
    phone: str = ""
    email: str = ""
    active: bool = True
    username: str = ""  # the linked account, if any


def _check_member(data: MemberInput, member: TeamMember | None) -> tuple[Agency, User | None]:
    agency = _agency(data.agency, "agency")
    if data.team_role not in TeamRole.values:
        raise TeamError(422, "peran_tidak_dikenal", "Peran dalam tim tidak dikenal.", "team_role")
    _refuse_unstorable(data.email + data.username, "username" if storable(data.email) else "email")
    if not PHONE.match(data.phone.strip()):
        raise TeamError(422, "telepon_tidak_valid", "Nomor telepon tidak valid.", "phone")
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except ValidationError:
            raise TeamError(
                422, "surel_tidak_valid", "Alamat surel tidak valid.", "email"
            ) from None
    user = None
    if data.username.strip():
        user = User.objects.filter(username=data.username.strip()).first()
        if user is None:
            raise TeamError(422, "akun_tidak_dikenal", "Akun tidak dikenal.", "username")
        taken = TeamMember.objects.filter(user=user)
        if member is not None:
            taken = taken.exclude(pk=member.pk)
        if taken.exists():
            raise TeamError(
                409, "akun_sudah_terhubung", "Akun ini sudah milik anggota lain.", "username"
            )
    return agency, user


def member_save(*, actor: User, data: MemberInput, member: TeamMember | None = None) -> TeamMember:
    """Create a team member (member=None) or update one."""
    _require_manager(actor)
    name = _text(data.name, field="name", limit=MAX_NAME)
    bidang = _text(data.bidang, field="bidang", limit=100, required=False)
    agency, user = _check_member(data, member)
    with transaction.atomic():
        created = member is None
        target = (
            TeamMember()
            if member is None
            else TeamMember.objects.select_for_update().get(pk=member.pk)
        )
        target.name = name
        target.agency = agency
        target.team_role = data.team_role
        target.bidang = bidang
        target.phone = data.phone.strip()
        target.email = data.email.strip()
        target.active = data.active
        target.user = user
        target.save()
        record(
            actor=actor,
            action="team.member.create" if created else "team.member.update",
            object_type="team_member",
            object_id=target.pk,
            payload={
                "name": name,
                "agency": agency.slug,
                "team_role": data.team_role,
                "active": data.active,
                "username": user.username if user else "",
            },
        )
    return target


# --- The duty roster -------------------------------------------------------------------------


def duty_assign(
    *, actor: User, day: date, shift_code: str, member_id: int, note: str = ""
) -> DutyAssignment:
    """Put a member on duty at the Posko for one shift of one day."""
    _require_manager(actor)
    check_year(day, "date")
    known = storable(shift_code)
    shift = Shift.objects.filter(code=shift_code, active=True).first() if known else None
    if shift is None:
        raise TeamError(422, "sif_tidak_dikenal", "Sif tidak dikenal.", "shift")
    member = _member(member_id, "member")
    assert member is not None
    if not member.active:
        raise TeamError(422, "anggota_nonaktif", "Anggota ini tidak aktif.", "member")
    note = _text(note, field="note", limit=200, required=False)
    with transaction.atomic():
        if DutyAssignment.objects.filter(date=day, shift=shift, member=member).exists():
            raise TeamError(409, "sudah_terjadwal", "Anggota ini sudah dijadwalkan pada sif itu.")
        assignment = DutyAssignment.objects.create(
            date=day, shift=shift, member=member, note=note, created_by=actor
        )
        record(
            actor=actor,
            action="team.duty.assign",
            object_type="duty",
            object_id=assignment.pk,
            payload={"date": day, "shift": shift.code, "member": member.pk, "name": member.name},
        )
    return assignment


def duty_remove(*, actor: User, assignment: DutyAssignment) -> None:
    _require_manager(actor)
    with transaction.atomic():
        payload = {
            "date": assignment.date,
            "shift": assignment.shift.code,
            "member": assignment.member_id,
            "name": assignment.member.name,
        }
        deleted, _ = DutyAssignment.objects.filter(pk=assignment.pk).delete()
        if not deleted:
            raise TeamError(404, "tidak_ditemukan", "Jadwal tidak ditemukan.")
        record(
            actor=actor,
            action="team.duty.remove",
            object_type="duty",
            object_id=assignment.pk,
            payload=payload,
        )


def demo_clear(*, actor: User) -> dict[str, int]:
    """Remove the demo roster and retire the demo members (they stay in past meetings)."""
    _require_manager(actor)
    with transaction.atomic():
        duties, _ = DutyAssignment.objects.filter(is_demo=True).delete()
        members = TeamMember.objects.filter(is_demo=True, active=True).update(active=False)
        counts = {"duties": duties, "members": members}
        record(actor=actor, action="team.demo.clear", object_type="team", payload=counts)
    return counts


# --- Meetings and action items ---------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    text: str
    agency: str  # slug
    due_on: date
    assignee_id: int | None = None


@dataclass(frozen=True)
class MeetingInput:
    title: str
    held_at: datetime
    place: str = DEFAULT_PLACE
    chair: str = ""
    attendee_ids: Sequence[int] = ()
    other_attendees: Sequence[str] = ()
    points: Sequence[str] = ()
    summary: str = ""
    actions: Sequence[ActionInput] = ()


def _lines(values: Sequence[str], *, field: str, limit: int, most: int) -> list[str]:
    lines = [v.strip() for v in values if v and v.strip()]
    if len(lines) > most:
        raise TeamError(422, "terlalu_banyak", f"Paling banyak {most} baris.", field)
    for i, line in enumerate(lines):
        _refuse_unstorable(line, f"{field}.{i}")
        if len(line) > limit:
            raise TeamError(
                422, "terlalu_panjang", f"Paling banyak {limit} karakter.", f"{field}.{i}"
            )
    return lines


def _checked_action(draft: ActionInput, field: str) -> tuple[str, Agency, TeamMember | None]:
    text = _text(draft.text, field=f"{field}.text", limit=MAX_TEXT)
    check_year(draft.due_on, f"{field}.due_on")
    agency = _agency(draft.agency, f"{field}.agency")
    assignee = _member(draft.assignee_id, f"{field}.assignee")
    return text, agency, assignee


def check_year(value: date, field: str) -> None:
    if value.year not in YEARS:
        raise TeamError(422, "tanggal_di_luar_rentang", "Tahun harus 2000–2100.", field)


def _aware(value: datetime) -> datetime:
    # A time without an offset is WITA, as people at the Posko say it.
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def meeting_create(*, actor: User, data: MeetingInput) -> Meeting:
    """Record a coordination meeting with its points and its decisions (action items)."""
    _require_manager(actor)
    title = _text(data.title, field="title", limit=MAX_TITLE)
    check_year(data.held_at, "held_at")
    place = _text(data.place or DEFAULT_PLACE, field="place", limit=200)
    chair = _text(data.chair, field="chair", limit=MAX_NAME, required=False)
    summary = _text(data.summary, field="summary", limit=5000, required=False)
    points = _lines(data.points, field="points", limit=MAX_POINT, most=MAX_POINTS)
    others = _lines(
        data.other_attendees, field="other_attendees", limit=MAX_NAME, most=MAX_ATTENDEES
    )
    ids = sorted(set(data.attendee_ids))
    if len(ids) > MAX_ATTENDEES:
        raise TeamError(422, "terlalu_banyak", "Terlalu banyak peserta.", "attendees")
    attendees = list(TeamMember.objects.filter(pk__in=[i for i in ids if _id_ok(i)]))
    if len(attendees) != len(ids):
        raise TeamError(422, "anggota_tidak_dikenal", "Peserta tidak dikenal.", "attendees")
    if len(data.actions) > MAX_ACTIONS:
        raise TeamError(422, "terlalu_banyak", f"Paling banyak {MAX_ACTIONS} keputusan.", "actions")
    checked = [_checked_action(a, f"actions.{i}") for i, a in enumerate(data.actions)]
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=title,
            held_at=_aware(data.held_at),
            place=place,
            chair=chair,
            other_attendees=others,
            points=points,
            summary=summary,
            created_by=actor,
        )
        meeting.attendees.set(attendees)
        items = [
            ActionItem.objects.create(
                meeting=meeting,
                number=n,
                text=text,
                agency=agency,
                assignee=assignee,
                due_on=draft.due_on,
                created_by=actor,
            )
            for n, ((text, agency, assignee), draft) in enumerate(
                zip(checked, data.actions, strict=True), start=1
            )
        ]
        record(
            actor=actor,
            action="meeting.create",
            object_type="meeting",
            object_id=meeting.pk,
            payload={
                "title": title,
                "held_at": meeting.held_at,
                "attendees": ids,
                "other_attendees": others,
                "points": points,
                "actions": [_action_payload(i) for i in items],
            },
        )
    return meeting


def _action_payload(item: ActionItem) -> dict[str, object]:
    return {
        "id": item.pk,
        "number": item.number,
        "text": item.text,
        "agency": item.agency.slug,
        "assignee": item.assignee_id,
        "due_on": item.due_on,
    }


def action_add(*, actor: User, meeting: Meeting, data: ActionInput) -> ActionItem:
    """Add a decision to a meeting already recorded."""
    _require_manager(actor)
    text, agency, assignee = _checked_action(data, "")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        last = locked.actions.order_by("-number").values_list("number", flat=True).first() or 0
        if last >= MAX_ACTIONS * 4:
            raise TeamError(422, "terlalu_banyak", "Terlalu banyak keputusan.", "actions")
        item = ActionItem.objects.create(
            meeting=locked,
            number=last + 1,
            text=text,
            agency=agency,
            assignee=assignee,
            due_on=data.due_on,
            created_by=actor,
        )
        record(
            actor=actor,
            action="action.add",
            object_type="action",
            object_id=item.pk,
            payload={"meeting": locked.pk, **_action_payload(item)},
        )
    return item


def _check_transition(actor: User, current: str, status: str) -> None:
    if status not in ActionStatus.values:
        raise TeamError(422, "status_tidak_dikenal", "Status tidak dikenal.", "status")
    if manages_team(actor):
        return
    # An agency answers for its item: it may report it done, not cancel or reopen it.
    if status != ActionStatus.DONE or current != ActionStatus.OPEN:
        raise TeamError(
            403, "status_tidak_diizinkan", "Status ini hanya dapat diubah oleh desk.", "status"
        )


def action_event(*, actor: User, action: ActionItem, note: str, status: str = "") -> ActionUpdate:
    """Append a follow-up to an action item: a note, and optionally a new status.

    The desk may set any status (and reopen); the agency responsible may add notes and mark its
    open item done, with a note saying what was done."""
    note = _text(note, field="note", limit=MAX_NOTE, required=False)
    status = (status or "").strip()
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().select_related("agency").get(pk=action.pk)
        if not answers_action(actor, locked):
            raise TeamError(
                403, "bukan_penanggung_jawab", "Akun ini tidak menindaklanjuti butir ini."
            )
        if status == locked.status:
            status = ""
        if status:
            _check_transition(actor, locked.status, status)
        if not note and (not status or not manages_team(actor)):
            raise TeamError(422, "wajib_diisi", "Tulis catatan tindak lanjut.", "note")
        now = timezone.now()
        update = ActionUpdate.objects.create(
            action=locked,
            at=now,
            actor=actor,
            actor_name=actor.get_full_name() or actor.get_username(),
            note=note,
            status=status,
        )
        previous = locked.status
        if status:
            locked.status = status
            done = status == ActionStatus.DONE
            locked.done_at = now if done else None
            locked.done_by = actor if done else None
        if note:
            locked.note = note
        locked.updated_at = now
        locked.save(update_fields=["status", "done_at", "done_by", "note", "updated_at"])
        record(
            actor=actor,
            action="action.event",
            object_type="action",
            object_id=locked.pk,
            payload={"note": note, "from": previous, "status": status or previous},
        )
    action.status, action.done_at, action.note = locked.status, locked.done_at, locked.note
    return update


# --- Exports (each recorded in the audit log, with the chain's head printed in the file) ------


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes
    sha256: str


def _export(
    *,
    actor: User,
    action: str,
    object_id: str | int,
    filename: str,
    content_type: str,
    content: bytes,
    payload: dict[str, object],
) -> ExportFile:
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        record(
            actor=actor,
            action=action,
            object_type="export",
            object_id=object_id,
            payload={**payload, "sha256": digest, "bytes": len(content)},
        )
    return ExportFile(filename, content_type, content, digest)


def minutes_export(*, actor: User, meeting: Meeting) -> ExportFile:
    """The meeting's minutes as a PDF. The caller has checked that `actor` may read it."""
    attendees, actions = meeting_parts(meeting)
    # Read before the entry is written: the head just before this export is the witness.
    seq, head_hash = audit_head()
    content = documents.minutes_pdf(
        meeting, attendees, actions, audit_seq=seq, audit_head=head_hash
    )
    return _export(
        actor=actor,
        action="meeting.minutes",
        object_id=meeting.pk,
        filename=f"notulen-rapat-{meeting.pk}-{timezone.localtime(meeting.held_at):%Y%m%d}.pdf",
        content_type="application/pdf",
        content=content,
        payload={"meeting": meeting.pk, "audit_seq_in_file": seq},
    )


def roster_export(*, actor: User, start: date, end: date) -> ExportFile:
    days = roster(start, end)
    seq, head_hash = audit_head()
    content = documents.roster_xlsx(days, audit_seq=seq, audit_head=head_hash)
    return _export(
        actor=actor,
        action="team.roster.export",
        object_id=f"{days[0].date}/{days[-1].date}",
        filename=f"jadwal-piket-{days[0].date:%Y%m%d}-{days[-1].date:%Y%m%d}.xlsx",
        content_type=documents.XLSX_TYPE,
        content=content,
        payload={"from": days[0].date, "to": days[-1].date, "audit_seq_in_file": seq},
    )


def actions_export(*, actor: User, actions: Sequence[ActionItem]) -> ExportFile:
    """The action items the caller selected (already scoped to what `actor` may see)."""
    seq, head_hash = audit_head()
    content = documents.actions_xlsx(actions, audit_seq=seq, audit_head=head_hash)
    return _export(
        actor=actor,
        action="action.export",
        object_id=len(actions),
        filename=f"tindak-lanjut-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        content_type=documents.XLSX_TYPE,
        content=content,
        payload={"rows": len(actions), "audit_seq_in_file": seq},
    )
