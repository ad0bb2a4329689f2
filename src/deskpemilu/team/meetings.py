"""Coordination meetings and their decisions (action items), and the follow-ups of the agency
that answers for each item; each write in one transaction with its audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from deskpemilu.accounts.models import Agency, User
from deskpemilu.audit.services import record
from deskpemilu.elections.entry import entry_election, refuse_closed
from deskpemilu.team.access import answers_action, manages_team
from deskpemilu.team.models import (
    DEFAULT_PLACE,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    Meeting,
    TeamMember,
)
from deskpemilu.team.services import (
    MAX_ACTIONS,
    MAX_ATTENDEES,
    MAX_NAME,
    MAX_NOTE,
    MAX_POINT,
    MAX_POINTS,
    MAX_TEXT,
    MAX_TITLE,
    TeamError,
    agency_by_slug,
    check_year,
    clean_text,
    id_ok,
    member_by_id,
    refuse_unstorable,
    require_manager,
)


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
        refuse_unstorable(line, f"{field}.{i}")
        if len(line) > limit:
            raise TeamError(
                422, "terlalu_panjang", f"Paling banyak {limit} karakter.", f"{field}.{i}"
            )
    return lines


def _checked_action(draft: ActionInput, field: str) -> tuple[str, Agency, TeamMember | None]:
    text = clean_text(draft.text, field=f"{field}.text", limit=MAX_TEXT)
    check_year(draft.due_on, f"{field}.due_on")
    agency = agency_by_slug(draft.agency, f"{field}.agency")
    assignee = member_by_id(draft.assignee_id, f"{field}.assignee")
    return text, agency, assignee


def _aware(value: datetime) -> datetime:
    # A time without an offset is WITA, as people at the Posko say it.
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _attendees(ids: Sequence[int]) -> list[TeamMember]:
    if len(ids) > MAX_ATTENDEES:
        raise TeamError(422, "terlalu_banyak", "Terlalu banyak peserta.", "attendees")
    attendees = list(TeamMember.objects.filter(pk__in=[i for i in ids if id_ok(i)]))
    if len(attendees) != len(ids):
        raise TeamError(422, "anggota_tidak_dikenal", "Peserta tidak dikenal.", "attendees")
    return attendees


def meeting_create(*, actor: User, data: MeetingInput) -> Meeting:
    """Record a coordination meeting with its points and its decisions (action items)."""
    require_manager(actor)
    title = clean_text(data.title, field="title", limit=MAX_TITLE)
    check_year(data.held_at, "held_at")
    place = clean_text(data.place or DEFAULT_PLACE, field="place", limit=200)
    chair = clean_text(data.chair, field="chair", limit=MAX_NAME, required=False)
    summary = clean_text(data.summary, field="summary", limit=5000, required=False)
    points = _lines(data.points, field="points", limit=MAX_POINT, most=MAX_POINTS)
    others = _lines(
        data.other_attendees, field="other_attendees", limit=MAX_NAME, most=MAX_ATTENDEES
    )
    ids = sorted(set(data.attendee_ids))
    attendees = _attendees(ids)
    if len(data.actions) > MAX_ACTIONS:
        raise TeamError(422, "terlalu_banyak", f"Paling banyak {MAX_ACTIONS} keputusan.", "actions")
    checked = [_checked_action(a, f"actions.{i}") for i, a in enumerate(data.actions)]
    with transaction.atomic():
        meeting = Meeting.objects.create(
            election=entry_election(),
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
                "election": meeting.election_id,
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
    require_manager(actor)
    text, agency, assignee = _checked_action(data, "")
    with transaction.atomic():
        locked = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("election")
            .get(pk=meeting.pk)
        )
        refuse_closed(locked.election)  # another election's meetings are read-only
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
    note = clean_text(note, field="note", limit=MAX_NOTE, required=False)
    status = (status or "").strip()
    with transaction.atomic():
        locked = (
            ActionItem.objects.select_for_update(of=("self",))
            .select_related("agency", "meeting__election")
            .get(pk=action.pk)
        )
        refuse_closed(locked.meeting.election)
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
