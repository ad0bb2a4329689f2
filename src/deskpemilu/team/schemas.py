"""Request and response schemas of the team, roster, meeting and action-item API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

TeamRoleCode = Literal["penanggung_jawab", "koordinator_bidang", "operator", "anggota"]
ActionStatusCode = Literal["terbuka", "selesai", "batal"]


class AgencyOut(Schema):
    slug: str
    name: str


class MemberIn(Schema):
    name: str = Field(..., max_length=150)
    agency: str = Field(..., max_length=40, description="Agency slug, e.g. `diskominfo`")
    team_role: TeamRoleCode = "anggota"
    bidang: str = Field("", max_length=100)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    active: bool = True
    username: str = Field("", max_length=150, description="The member's account, if any")


class MemberOut(Schema):
    id: int
    name: str
    agency: AgencyOut
    team_role: TeamRoleCode
    team_role_label: str
    bidang: str
    phone: str
    email: str
    active: bool
    is_demo: bool
    username: str


class TeamCreatedOut(Schema):
    id: int


class DutyIn(Schema):
    date: date
    shift: str = Field(..., max_length=20, description="Shift code: `pagi`, `siang`, `malam`")
    member_id: int
    note: str = Field("", max_length=200)


class DutyMemberOut(Schema):
    assignment_id: int
    member_id: int
    name: str
    agency: str
    phone: str


class SlotOut(Schema):
    shift: str
    name: str
    starts: datetime
    ends: datetime
    gap: bool
    members: list[DutyMemberOut]


class DayOut(Schema):
    date: date
    shifts: list[SlotOut]


class GapOut(Schema):
    date: date
    shift: str
    starts: datetime
    ends: datetime


class RosterOut(Schema):
    from_: date = Field(..., alias="from")
    to: date
    days: list[DayOut]
    gaps: list[GapOut]


class RangeQuery(Schema):
    from_: date | None = Field(None, alias="from", description="First day (default: Monday)")
    to: date | None = Field(None, description="Last day (default: a week after `from`)")


class RunningShiftOut(Schema):
    date: date
    shift: str
    starts: datetime
    ends: datetime


class OnDutyMemberOut(Schema):
    member_id: int
    name: str
    agency: AgencyOut
    team_role: str
    phone: str
    shift: str
    date: date
    starts: datetime
    ends: datetime


class OnDutyOut(Schema):
    at: datetime
    shifts: list[RunningShiftOut]
    on_duty: list[OnDutyMemberOut]


class ActionIn(Schema):
    text: str = Field(..., max_length=1000)
    agency: str = Field(..., max_length=40, description="Slug of the agency responsible")
    due_on: date
    assignee_id: int | None = Field(None, description="A team member, optional")


class MeetingIn(Schema):
    title: str = Field(..., max_length=200)
    held_at: datetime = Field(..., description="ISO 8601; without an offset it is WITA")
    place: str = Field("", max_length=200, description="Default: Ruang Kenari")
    chair: str = Field("", max_length=150)
    attendees: list[int] = Field(default_factory=list, max_length=200)
    other_attendees: list[str] = Field(default_factory=list, max_length=200)
    points: list[str] = Field(default_factory=list, max_length=50)
    summary: str = Field("", max_length=5000)
    actions: list[ActionIn] = Field(default_factory=list, max_length=50)


class MemberRefOut(Schema):
    id: int
    name: str


class ActionOut(Schema):
    id: int
    meeting_id: int
    meeting_title: str
    number: int
    text: str
    agency: AgencyOut
    assignee: MemberRefOut | None
    due_on: date
    status: ActionStatusCode
    overdue: bool
    done_at: datetime | None
    done_by: str
    note: str


class ActionTimelineOut(Schema):
    at: datetime
    actor: str
    note: str
    status: str


class ActionDetailOut(ActionOut):
    timeline: list[ActionTimelineOut]


class AttendeeOut(Schema):
    id: int
    name: str
    agency: str


class MeetingOut(Schema):
    id: int
    election: str  # the code of the election (`pemilihan`) it belongs to
    title: str
    held_at: datetime
    place: str
    chair: str
    attendees: list[AttendeeOut]
    other_attendees: list[str]
    points: list[str]
    summary: str
    actions: list[ActionOut]
    minutes_pdf: str


class MeetingListOut(Schema):
    id: int
    election: str
    title: str
    held_at: datetime
    place: str
    actions: int
    open_actions: int


class ActionEventIn(Schema):
    note: str = Field("", max_length=2000)
    status: ActionStatusCode | None = Field(
        None,
        description="The desk may set any status; the agency responsible may set `selesai`",
    )
