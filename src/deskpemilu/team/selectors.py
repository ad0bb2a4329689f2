"""Reads of the desk's own work. The situation room (dashboard) calls three of them:

- `on_duty_now(at=None)`: who is on duty at the Posko now → list[OnDuty]
- `current_shifts(at=None)`: the shifts running now (to tell "nobody on duty" from "no shift")
- `open_action_items(user)`: the open action items `user` may see → QuerySet[ActionItem]

with the snippets team/_on_duty.html and team/_action_items.html.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from deskpemilu.accounts.models import User
from deskpemilu.elections.entry import of_election
from deskpemilu.team.access import actions_for
from deskpemilu.team.models import (
    TEAM_ROLE_ORDER,
    ActionItem,
    ActionStatus,
    DutyAssignment,
    Meeting,
    Shift,
    TeamMember,
)

MAX_ROSTER_DAYS = 62
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")


@dataclass(frozen=True)
class OnDuty:
    member: TeamMember
    shift: Shift
    date: date  # the duty date (a night shift started on this date)
    starts: datetime
    ends: datetime


def _moment(at: datetime | None) -> datetime:
    return timezone.localtime(at or timezone.now(), timezone.get_default_timezone())


def current_shifts(at: datetime | None = None) -> list[tuple[date, Shift]]:
    """(duty date, shift) of every active shift running at `at` (default: now, WITA).

    A night shift that started yesterday is still running in the small hours of today."""
    moment = _moment(at)
    today = moment.date()
    running = []
    for shift in Shift.objects.filter(active=True):
        for day in (today - timedelta(days=1), today):
            if shift.covers(day, moment):
                running.append((day, shift))
    return running


def on_duty_now(at: datetime | None = None) -> list[OnDuty]:
    """The active members on duty at the Posko at `at` (default: now), in shift order."""
    moment = _moment(at)
    today = moment.date()
    rows = (
        DutyAssignment.objects.filter(
            date__in=[today - timedelta(days=1), today],
            shift__active=True,
            member__active=True,
        )
        .select_related("shift", "member", "member__agency")
        .order_by("date", "shift__order", "member__name")
    )
    result = []
    for row in rows:
        if row.shift.covers(row.date, moment):
            starts, ends = row.shift.window(row.date)
            result.append(OnDuty(row.member, row.shift, row.date, starts, ends))
    return result


def team_members(*, include_inactive: bool = False) -> list[TeamMember]:
    """The team, the person in charge first, then coordinators, operators, members."""
    qs = TeamMember.objects.select_related("agency", "user")
    if not include_inactive:
        qs = qs.filter(active=True)
    return sorted(qs, key=lambda m: (not m.active, TEAM_ROLE_ORDER.get(m.team_role, 9), m.name))


@dataclass
class RosterSlot:
    date: date
    shift: Shift
    assignments: list[DutyAssignment] = field(default_factory=list)
    now: bool = False

    @property
    def gap(self) -> bool:
        return not self.assignments


@dataclass
class RosterDay:
    date: date
    slots: list[RosterSlot]

    @property
    def gaps(self) -> int:
        return sum(1 for s in self.slots if s.gap)


def roster(start: date, end: date, at: datetime | None = None) -> list[RosterDay]:
    """Every active shift of every day from `start` to `end` (inclusive), with who is on it.

    A slot with nobody (or only inactive members) is a gap. Two queries whatever the range."""
    if end < start:
        start, end = end, start
    end = min(end, start + timedelta(days=MAX_ROSTER_DAYS - 1))
    moment = _moment(at)
    shifts = list(Shift.objects.filter(active=True))
    by_slot: dict[tuple[date, int], list[DutyAssignment]] = {}
    rows = (
        DutyAssignment.objects.filter(date__gte=start, date__lte=end, member__active=True)
        .select_related("member", "member__agency", "shift")
        .order_by("date", "shift__order", "member__name")
    )
    for row in rows:
        by_slot.setdefault((row.date, row.shift_id), []).append(row)
    days = []
    day = start
    while day <= end:
        slots = [
            RosterSlot(day, s, by_slot.get((day, s.pk), []), now=s.covers(day, moment))
            for s in shifts
        ]
        days.append(RosterDay(day, slots))
        day += timedelta(days=1)
    return days


def roster_gaps(days: list[RosterDay]) -> list[RosterSlot]:
    return [slot for day in days for slot in day.slots if slot.gap]


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


# --- Meetings and action items ---------------------------------------------------------------


def meetings(election: str = "") -> QuerySet[Meeting]:
    """The meetings of one election (`election`, or the active one)."""
    return (
        of_election(Meeting.objects.all(), election)
        .annotate(
            n_actions=Count("actions"),
            n_open=Count("actions", filter=Q(actions__status=ActionStatus.OPEN)),
        )
        .order_by("-held_at", "-pk")
    )


def meeting_detail(meeting: Meeting) -> tuple[list[TeamMember], list[ActionItem]]:
    attendees = list(meeting.attendees.select_related("agency").order_by("name"))
    actions = list(
        meeting.actions.select_related("agency", "assignee", "done_by").order_by("number")
    )
    return attendees, actions


def action_list(
    user: User,
    *,
    status: str = "",
    agency: str = "",
    overdue: bool = False,
    today: date | None = None,
    election: str = "",
) -> QuerySet[ActionItem]:
    """The action items `user` may see of one election's meetings (`election`, or the active
    one), filtered. Ordered by due date, the most urgent first."""
    qs = of_election(actions_for(user), election, "meeting__election").select_related(
        "meeting", "agency", "assignee", "done_by"
    )
    if status:
        qs = qs.filter(status=status)
    if agency:
        # Not a slug (e.g. a NUL that PostgreSQL refuses to compare): no agency has it.
        qs = qs.filter(agency__slug=agency) if SLUG.match(agency) else qs.none()
    if overdue:
        qs = qs.filter(status=ActionStatus.OPEN, due_on__lt=today or timezone.localdate())
    return qs.order_by("due_on", "meeting_id", "number")


def open_action_items(user: User) -> QuerySet[ActionItem]:
    """The open action items `user` may see (all for the desk; their agency's for a liaison),
    the most urgent first. Each row has `.is_overdue`."""
    return action_list(user, status=ActionStatus.OPEN)


def action_timeline(action: ActionItem) -> list[dict[str, object]]:
    """The follow-up of an item, oldest first, starting with its creation."""
    entries: list[dict[str, object]] = [
        {
            "at": action.created_at,
            "actor": action.created_by.username if action.created_by else "",
            "note": f"Diputuskan dalam rapat: {action.meeting.title}",
            "status": ActionStatus.OPEN.value,
        }
    ]
    for update in action.updates.order_by("at", "pk"):
        entries.append(
            {
                "at": update.at,
                "actor": update.actor_name,
                "note": update.note,
                "status": update.status,
            }
        )
    return entries
