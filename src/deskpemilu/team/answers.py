"""What the team API answers (rows shaped for its schemas, times in WITA) and its bodies turned
into the services' inputs; the operations themselves are in team.api."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from deskpemilu.team import meetings, members, selectors
from deskpemilu.team.models import ActionItem, Meeting, TeamMember
from deskpemilu.team.schemas import ActionIn, MemberIn


def member_out(m: TeamMember) -> dict[str, Any]:
    return {
        "id": m.pk,
        "name": m.name,
        "agency": {"slug": m.agency.slug, "name": m.agency.name},
        "team_role": m.team_role,
        "team_role_label": m.get_team_role_display(),
        "bidang": m.bidang,
        "phone": m.phone,
        "email": m.email,
        "active": m.active,
        "is_demo": m.is_demo,
        "username": m.user.username if m.user else "",
    }


def member_input(body: MemberIn) -> members.MemberInput:
    return members.MemberInput(
        name=body.name,
        agency=body.agency,
        team_role=body.team_role,
        bidang=body.bidang,
        phone=body.phone,
        email=body.email,
        active=body.active,
        username=body.username,
    )


def roster_out(days: list[selectors.RosterDay]) -> dict[str, Any]:
    out_days = []
    for day in days:
        shifts = []
        for slot in day.slots:
            starts, ends = slot.shift.window(slot.date)
            shifts.append(
                {
                    "shift": slot.shift.code,
                    "name": slot.shift.name,
                    "starts": starts,
                    "ends": ends,
                    "gap": slot.gap,
                    "members": [
                        {
                            "assignment_id": a.pk,
                            "member_id": a.member_id,
                            "name": a.member.name,
                            "agency": a.member.agency.slug,
                            "phone": a.member.phone,
                        }
                        for a in slot.assignments
                    ],
                }
            )
        out_days.append({"date": day.date, "shifts": shifts})
    gaps = []
    for slot in selectors.roster_gaps(days):
        starts, ends = slot.shift.window(slot.date)
        gaps.append({"date": slot.date, "shift": slot.shift.code, "starts": starts, "ends": ends})
    return {
        "from": days[0].date if days else None,
        "to": days[-1].date if days else None,
        "days": out_days,
        "gaps": gaps,
    }


def action_out(a: ActionItem) -> dict[str, Any]:
    return {
        "id": a.pk,
        "meeting_id": a.meeting_id,
        "meeting_title": a.meeting.title,
        "number": a.number,
        "text": a.text,
        "agency": {"slug": a.agency.slug, "name": a.agency.name},
        "assignee": {"id": a.assignee.pk, "name": a.assignee.name} if a.assignee else None,
        "due_on": a.due_on,
        "status": a.status,
        "overdue": a.is_overdue,
        "done_at": local(a.done_at),
        "done_by": a.done_by.username if a.done_by else "",
        "note": a.note,
    }


def meeting_out(meeting: Meeting) -> dict[str, Any]:
    attendees, actions = selectors.meeting_detail(meeting)
    return {
        "id": meeting.pk,
        "election": meeting.election_id,
        "title": meeting.title,
        "held_at": local(meeting.held_at),
        "place": meeting.place,
        "chair": meeting.chair,
        "attendees": [{"id": m.pk, "name": m.name, "agency": m.agency.slug} for m in attendees],
        "other_attendees": meeting.other_attendees,
        "points": meeting.points,
        "summary": meeting.summary,
        "actions": [action_out(a) for a in actions],
        "minutes_pdf": reverse("team_meeting_pdf", args=[meeting.pk]),
    }


def action_input(body: ActionIn) -> meetings.ActionInput:
    return meetings.ActionInput(
        text=body.text, agency=body.agency, due_on=body.due_on, assignee_id=body.assignee_id
    )


def action_detail_out(action: ActionItem) -> dict[str, Any]:
    timeline = [
        {**e, "at": local(e["at"])}  # type: ignore[arg-type]
        for e in selectors.action_timeline(action)
    ]
    return {**action_out(action), "timeline": timeline}


def local(moment: datetime | None) -> datetime | None:
    """Times are answered in WITA, as the desk reads them."""
    return timezone.localtime(moment) if moment is not None else None
