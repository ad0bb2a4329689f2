"""/api/v1 for the desk's own work: team, roster, on duty, meetings, action items.

Thin: parse, fetch through team.access, call a service, shape the answer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from deskpemilu.accounts.models import User
from deskpemilu.core.errors import ApiError
from deskpemilu.core.jsonbody import body_doc, parse_body
from deskpemilu.core.rules import api_rule
from deskpemilu.elections.entry import UNKNOWN, check_code
from deskpemilu.team import answers, meetings, members, selectors, services
from deskpemilu.team.access import (
    get_action_for,
    get_meeting_for,
    manages_team,
    reads_meetings,
)
from deskpemilu.team.models import ActionItem, DutyAssignment, TeamMember
from deskpemilu.team.schemas import (
    ActionDetailOut,
    ActionEventIn,
    ActionIn,
    ActionOut,
    ActionStatusCode,
    DutyIn,
    MeetingIn,
    MeetingListOut,
    MeetingOut,
    MemberIn,
    MemberOut,
    OnDutyOut,
    RangeQuery,
    RosterOut,
    TeamCreatedOut,
)

router = Router(tags=["team"])


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _require_manager(request: HttpRequest) -> User:
    user = _me(request)
    if not manages_team(user):
        raise ApiError(403, "forbidden", "Only the desk (admin) may change this")
    return user


# --- Members ---------------------------------------------------------------------------------


@router.get("/team/members", response=list[MemberOut], summary="The members of the Tim Desk")
@api_rule("signed_in")
def members_list(request: HttpRequest, include_inactive: bool = False) -> list[dict[str, Any]]:
    return [
        answers.member_out(m) for m in selectors.team_members(include_inactive=include_inactive)
    ]


@router.post(
    "/team/members",
    response={201: TeamCreatedOut},
    summary="Add a member to the team",
    openapi_extra=body_doc(MemberIn),
)
@api_rule("roles:admin")
def members_create(request: HttpRequest) -> Status[Any]:
    actor = _require_manager(request)
    body = parse_body(request, MemberIn)
    member = members.member_save(actor=actor, data=answers.member_input(body))
    return Status(201, {"id": member.pk})


@router.put(
    "/team/members/{member_id}",
    response=MemberOut,
    summary="Change a team member",
    openapi_extra=body_doc(MemberIn),
)
@api_rule("roles:admin")
def members_update(request: HttpRequest, member_id: int) -> dict[str, Any]:
    actor = _require_manager(request)
    member = TeamMember.objects.filter(pk=member_id).first()
    if member is None:
        raise Http404
    body = parse_body(request, MemberIn)
    saved = members.member_save(actor=actor, data=answers.member_input(body), member=member)
    return answers.member_out(TeamMember.objects.select_related("agency", "user").get(pk=saved.pk))


# --- Roster ----------------------------------------------------------------------------------


@router.get(
    "/team/roster",
    response=RosterOut,
    by_alias=True,
    summary="The Posko's duty roster by day and shift, with its gaps",
    description="`from`/`to` default to the current week (Monday–Sunday); at most 62 days. "
    "A gap is a shift with nobody (active) on duty.",
)
@api_rule("signed_in")
def roster_get(request: HttpRequest, q: Query[RangeQuery]) -> dict[str, Any]:
    from_, to = q.from_, q.to
    for day, name in ((from_, "from"), (to, "to")):
        if day is not None and day.year not in services.YEARS:
            raise ApiError(422, "tanggal_di_luar_rentang", "Years 2000–2100", field=name)
    monday, sunday = selectors.week_of(timezone.localdate())
    start = from_ or (to - timedelta(days=6) if to else monday)
    end = to or (start + timedelta(days=6) if from_ else sunday)
    if end < start:
        raise ApiError(422, "rentang_terbalik", "`to` is before `from`", field="to")
    if (end - start).days >= selectors.MAX_ROSTER_DAYS:
        raise ApiError(422, "rentang_terlalu_panjang", "At most 62 days", field="to")
    return answers.roster_out(selectors.roster(start, end))


@router.post(
    "/team/roster",
    response={201: TeamCreatedOut},
    summary="Put a member on duty for a shift",
    openapi_extra=body_doc(DutyIn),
)
@api_rule("roles:admin")
def roster_add(request: HttpRequest) -> Status[Any]:
    actor = _require_manager(request)
    body = parse_body(request, DutyIn)
    row = members.duty_assign(
        actor=actor,
        day=body.date,
        shift_code=body.shift,
        member_id=body.member_id,
        note=body.note,
    )
    return Status(201, {"id": row.pk})


@router.delete(
    "/team/roster/{assignment_id}", response={204: None}, summary="Take a member off a shift"
)
@api_rule("roles:admin")
def roster_remove(request: HttpRequest, assignment_id: int) -> Status[None]:
    actor = _require_manager(request)
    row = DutyAssignment.objects.select_related("shift", "member").filter(pk=assignment_id).first()
    if row is None:
        raise Http404
    members.duty_remove(actor=actor, assignment=row)
    return Status(204, None)


@router.get(
    "/team/on-duty",
    response=OnDutyOut,
    summary="Who is on duty at the Posko now",
    description="`at` (ISO 8601, default now; without an offset it is WITA) asks about "
    "another moment. A night shift started yesterday still counts after midnight.",
)
@api_rule("signed_in")
def on_duty(request: HttpRequest, at: datetime | None = None) -> dict[str, Any]:
    moment = at or timezone.now()
    if moment.year not in services.YEARS:
        raise ApiError(422, "tanggal_di_luar_rentang", "Years 2000–2100", field="at")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    running = selectors.current_shifts(moment)
    people = selectors.on_duty_now(moment)
    return {
        "at": timezone.localtime(moment),
        "shifts": [
            {
                "date": day,
                "shift": shift.code,
                "starts": shift.window(day)[0],
                "ends": shift.window(day)[1],
            }
            for day, shift in running
        ],
        "on_duty": [
            {
                "member_id": d.member.pk,
                "name": d.member.name,
                "agency": {"slug": d.member.agency.slug, "name": d.member.agency.name},
                "team_role": d.member.team_role,
                "phone": d.member.phone,
                "shift": d.shift.code,
                "date": d.date,
                "starts": d.starts,
                "ends": d.ends,
            }
            for d in people
        ],
    }


def _check_election(code: str) -> None:
    if not check_code(code):
        raise ApiError(422, UNKNOWN, "Unknown election", field="pemilihan")


# --- Meetings --------------------------------------------------------------------------------


@router.get(
    "/meetings",
    response=list[MeetingListOut],
    summary="Coordination meetings, the latest first",
    description="`pemilihan`: an election's code, its meetings (read-only: adding a decision "
    "answers 409 `pemilihan_tidak_aktif`); default the active election's; unknown: 422 "
    "`pemilihan_tidak_dikenal`.",
)
@api_rule("roles:admin,verifier,viewer")
def meetings_list(request: HttpRequest, limit: int = 100, pemilihan: str = "") -> list[Any]:
    if not reads_meetings(_me(request)):
        raise ApiError(403, "forbidden", "Not allowed for this account")
    _check_election(pemilihan)
    return [
        {
            "id": m.pk,
            "election": m.election_id,
            "title": m.title,
            "held_at": answers.local(m.held_at),
            "place": m.place,
            "actions": m.n_actions,  # type: ignore[attr-defined]
            "open_actions": m.n_open,  # type: ignore[attr-defined]
        }
        for m in selectors.meetings(pemilihan)[: max(1, min(limit, 500))]
    ]


@router.post(
    "/meetings",
    response={201: TeamCreatedOut},
    summary="Record a meeting with its points and decisions (action items)",
    openapi_extra=body_doc(MeetingIn),
)
@api_rule("roles:admin")
def meetings_create(request: HttpRequest) -> Status[Any]:
    actor = _require_manager(request)
    body = parse_body(request, MeetingIn)
    data = meetings.MeetingInput(
        title=body.title,
        held_at=body.held_at,
        place=body.place,
        chair=body.chair,
        attendee_ids=body.attendees,
        other_attendees=body.other_attendees,
        points=body.points,
        summary=body.summary,
        actions=[answers.action_input(a) for a in body.actions],
    )
    meeting = meetings.meeting_create(actor=actor, data=data)
    return Status(201, {"id": meeting.pk})


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="One meeting, its decisions")
@api_rule("roles:admin,verifier,viewer")
def meetings_get(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return answers.meeting_out(get_meeting_for(_me(request), meeting_id))


@router.post(
    "/meetings/{meeting_id}/actions",
    response={201: TeamCreatedOut},
    summary="Add a decision (action item) to a meeting",
    openapi_extra=body_doc(ActionIn),
)
@api_rule("roles:admin")
def meetings_add_action(request: HttpRequest, meeting_id: int) -> Status[Any]:
    actor = _require_manager(request)
    meeting = get_meeting_for(actor, meeting_id)
    body = parse_body(request, ActionIn)
    item = meetings.action_add(actor=actor, meeting=meeting, data=answers.action_input(body))
    return Status(201, {"id": item.pk})


# --- Action items ----------------------------------------------------------------------------


@router.get(
    "/actions",
    response=list[ActionOut],
    summary="Action items: all for the desk; an agency's account sees its own open ones",
    description="Filters: `agency` (slug), `status` (`terbuka`, `selesai`, `batal`), "
    "`overdue=true` (open and past due), `pemilihan` (an election's code: its meetings' items, "
    "read-only; default the active election's). Ordered by due date.",
)
@api_rule("signed_in:agency")
def actions_list(
    request: HttpRequest,
    agency: str = "",
    status: ActionStatusCode | None = None,
    overdue: bool = False,
    limit: int = 500,
    pemilihan: str = "",
) -> list[dict[str, Any]]:
    _check_election(pemilihan)
    rows = selectors.action_list(
        _me(request), status=status or "", agency=agency[:40], overdue=overdue, election=pemilihan
    )
    return [answers.action_out(a) for a in rows[: max(1, min(limit, 2000))]]


@router.get("/actions/{action_id}", response=ActionDetailOut, summary="One action item")
@api_rule("signed_in:agency")
def actions_get(request: HttpRequest, action_id: int) -> dict[str, Any]:
    return answers.action_detail_out(get_action_for(_me(request), action_id))


@router.post(
    "/actions/{action_id}/events",
    response={201: ActionDetailOut},
    summary="Follow an action item up: a note, and optionally a new status",
    description="The desk may set any status (`terbuka` reopens). The agency responsible may add "
    "notes and set `selesai` with a note; once done, the item leaves its list.",
    openapi_extra=body_doc(ActionEventIn),
)
@api_rule("signed_in:agency")
def actions_event(request: HttpRequest, action_id: int) -> Status[Any]:
    user = _me(request)
    action = get_action_for(user, action_id)
    body = parse_body(request, ActionEventIn)
    meetings.action_event(actor=user, action=action, note=body.note, status=body.status or "")
    fresh = ActionItem.objects.select_related(
        "meeting", "agency", "assignee", "done_by", "created_by"
    ).get(pk=action.pk)
    return Status(201, answers.action_detail_out(fresh))
