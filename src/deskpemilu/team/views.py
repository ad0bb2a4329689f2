"""Pages of the desk's own work (/tim/): team, Posko roster, meetings, action items. Thin."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.models import Agency, User
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.team import forms, selectors, services
from deskpemilu.team.access import (
    DESK_READERS,
    actions_for,
    answers_action,
    get_action_for,
    get_meeting_for,
    manages_team,
)
from deskpemilu.team.models import ActionStatus, DutyAssignment, TeamMember

READERS = tuple(sorted(r.value for r in DESK_READERS))


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _file(export: services.ExportFile, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    response["X-Content-SHA256"] = export.sha256
    return response


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, str(message))


# --- The team --------------------------------------------------------------------------------


@signed_in
def team_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    monday, sunday = selectors.week_of(today)
    week = selectors.roster(monday, sunday)
    return render(
        request,
        "team/home.html",
        {
            "members": selectors.team_members(include_inactive=manages_team(_me(request))),
            "on_duty": selectors.on_duty_now(),
            "shifts_now": selectors.current_shifts(),
            "today": today,
            "week": week,
            "week_gaps": selectors.roster_gaps(week),
            "can_manage": manages_team(_me(request)),
        },
    )


def _member_page(request: HttpRequest, member: TeamMember | None) -> HttpResponse:
    initial = forms.member_initial(member) if member else {"active": True}
    form = forms.MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.member_save(
                actor=_me(request), data=form.member_input(), member=member
            )
        except services.TeamError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, _("Anggota %(name)s disimpan.") % {"name": saved.name})
            return redirect("team_home")
    return render(request, "team/member_form.html", {"form": form, "member": member})


@roles("admin")
def member_new(request: HttpRequest) -> HttpResponse:
    return _member_page(request, None)


@roles("admin")
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(TeamMember.objects.select_related("agency", "user"), pk=pk)
    return _member_page(request, member)


# --- The roster ------------------------------------------------------------------------------


def _range(request: HttpRequest) -> tuple[date, date]:
    form = forms.RangeForm(request.GET or None)
    monday, sunday = selectors.week_of(timezone.localdate())
    if not form.is_valid():
        return monday, sunday
    if any(d and d.year not in services.YEARS for d in form.cleaned_data.values()):
        return monday, sunday
    start = form.cleaned_data.get("dari") or monday
    end = form.cleaned_data.get("sampai") or start + timedelta(days=6)
    if end < start:
        start, end = end, start
    return start, min(end, start + timedelta(days=selectors.MAX_ROSTER_DAYS - 1))


@signed_in
def roster_page(request: HttpRequest) -> HttpResponse:
    start, end = _range(request)
    days = selectors.roster(start, end)
    can_manage = manages_team(_me(request))
    return render(
        request,
        "team/roster.html",
        {
            "days": days,
            "gaps": selectors.roster_gaps(days),
            "start": start,
            "end": end,
            "prev": start - timedelta(days=7),
            "next": start + timedelta(days=7),
            "form": forms.DutyForm(initial={"date": start}) if can_manage else None,
            "can_manage": can_manage,
            "has_demo": can_manage and DutyAssignment.objects.filter(is_demo=True).exists(),
            "today": timezone.localdate(),
        },
    )


def _back_to_roster(request: HttpRequest, day: date | None = None) -> HttpResponse:
    target = request.POST.get("kembali", "")
    if target.startswith("/tim/piket/") and "//" not in target:
        return redirect(target)
    if day is not None and day.year in services.YEARS:
        start, _end = selectors.week_of(day)
        return redirect(f"/tim/piket/?dari={start.isoformat()}")
    return redirect("team_roster")


@roles("admin")
@require_POST
def duty_add(request: HttpRequest) -> HttpResponse:
    form = forms.DutyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to_roster(request)
    d = form.cleaned_data
    try:
        services.duty_assign(
            actor=_me(request),
            day=d["date"],
            shift_code=d["shift"].code,
            member_id=d["member"].pk,
            note=d["note"],
        )
    except services.TeamError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s dijadwalkan: sif %(shift)s, %(date)s.")
            % {"name": d["member"].name, "shift": d["shift"].name, "date": d["date"]},
        )
    return _back_to_roster(request, d["date"])


@roles("admin")
@require_POST
def duty_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(DutyAssignment.objects.select_related("shift", "member"), pk=pk)
    try:
        services.duty_remove(actor=_me(request), assignment=row)
    except services.TeamError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s dihapus dari jadwal.") % {"name": row.member.name})
    return _back_to_roster(request, row.date)


@roles("admin")
@require_POST
def demo_clear(request: HttpRequest) -> HttpResponse:
    counts = services.demo_clear(actor=_me(request))
    messages.success(
        request,
        _("Data contoh dihapus: %(duties)s jadwal, %(members)s anggota dinonaktifkan.") % counts,
    )
    return redirect("team_roster")


@signed_in
def roster_xlsx(request: HttpRequest) -> HttpResponse:
    start, end = _range(request)
    return _file(services.roster_export(actor=_me(request), start=start, end=end))


# --- Meetings --------------------------------------------------------------------------------


@roles(*READERS)
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "team/meetings.html",
        {"meetings": selectors.meetings()[:200], "can_manage": manages_team(_me(request))},
    )


def _agency_choices() -> list[Agency]:
    return list(Agency.objects.filter(is_active=True).order_by("kind", "name"))


@roles("admin")
def meeting_new(request: HttpRequest) -> HttpResponse:
    chair = TeamMember.objects.filter(team_role="penanggung_jawab", active=True).first()
    form = forms.MeetingForm(
        request.POST or None,
        initial={"date": timezone.localdate(), "chair": chair.name if chair else ""},
    )
    points, rows = forms.meeting_rows(request.POST) if request.method == "POST" else ([], [])
    if request.method == "POST" and form.is_valid():
        meeting = _create_meeting(request, form, points, rows)
        if meeting is not None:
            messages.success(request, _("Rapat disimpan."))
            return redirect("team_meeting", pk=meeting.pk)
    blank_points = max(forms.EMPTY_POINTS - len(points), 1)
    blank_rows = max(forms.EMPTY_ACTIONS - len(rows), 1)
    return render(
        request,
        "team/meeting_form.html",
        {
            "form": form,
            "points": points,
            "rows": rows,
            "blank_points": range(blank_points),
            "blank_rows": range(blank_rows),
            "agencies": _agency_choices(),
            "members": selectors.team_members(),
        },
    )


def _create_meeting(
    request: HttpRequest,
    form: forms.MeetingForm,
    points: list[str],
    rows: list[dict[str, str]],
) -> Any:
    d = form.cleaned_data
    try:
        data = services.MeetingInput(
            title=d["title"],
            held_at=forms.held_at(form),
            place=d["place"],
            chair=d["chair"],
            attendee_ids=[m.pk for m in d["attendees"]],
            other_attendees=d["other_attendees"].splitlines(),
            points=points,
            summary=d["summary"],
            actions=forms.action_inputs(rows),
        )
        return services.meeting_create(actor=_me(request), data=data)
    except services.TeamError as error:
        forms.add_service_error(form, error)
        return None


@roles(*READERS)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _me(request)
    meeting = get_meeting_for(user, pk)
    attendees, actions = selectors.meeting_detail(meeting)
    can_manage = manages_team(user)
    return render(
        request,
        "team/meeting.html",
        {
            "meeting": meeting,
            "attendees": attendees,
            "actions": actions,
            "can_manage": can_manage,
            "action_form": forms.ActionForm() if can_manage else None,
        },
    )


@roles("admin")
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(_me(request), pk)
    form = forms.ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_add(actor=_me(request), meeting=meeting, data=form.action_input())
        except services.TeamError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Keputusan ditambahkan."))
    else:
        _form_errors(request, form)
    return redirect("team_meeting", pk=meeting.pk)


@roles(*READERS)
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(_me(request), pk)
    return _file(services.minutes_export(actor=_me(request), meeting=meeting), inline=True)


# --- Action items ----------------------------------------------------------------------------


def _action_filters(request: HttpRequest) -> dict[str, Any]:
    status = request.GET.get("status", "")
    agency = request.GET.get("instansi", "")[:40]
    return {
        "status": status if status in ActionStatus.values else "",
        "agency": agency,
        "overdue": request.GET.get("terlambat") == "1",
    }


@signed_in
def action_list(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    filters = _action_filters(request)
    desk = user.role in DESK_READERS
    if desk and "status" not in request.GET:
        filters["status"] = ActionStatus.OPEN  # the desk starts from what is still to do
    actions = list(selectors.action_list(user, **filters)[:500])
    return render(
        request,
        "team/actions.html",
        {
            "actions": actions,
            "filters": filters,
            "desk": desk,
            "can_manage": manages_team(user),
            "agencies": _agency_choices() if desk else [],
            "statuses": ActionStatus.choices,
            "answerable": {a.pk for a in actions if answers_action(user, a)},
            "query": request.GET.urlencode(),
        },
    )


@signed_in
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _me(request)
    action = get_action_for(user, pk)
    form = forms.EventForm(request.POST or None)
    if request.method == "POST":
        if not answers_action(user, action):
            raise Http404
        if form.is_valid():
            try:
                services.action_event(
                    actor=user,
                    action=action,
                    note=form.cleaned_data["note"],
                    status=form.cleaned_data["status"],
                )
            except services.TeamError as error:
                forms.add_service_error(form, error)
            else:
                messages.success(request, _("Tindak lanjut dicatat."))
                return _after_event(request, action.pk)
    return render(
        request,
        "team/action.html",
        {
            "action": action,
            "timeline": selectors.action_timeline(action),
            "form": form,
            "can_answer": answers_action(user, action),
            "can_manage": manages_team(user),
            "desk": user.role in DESK_READERS,
        },
    )


def _after_event(request: HttpRequest, pk: int) -> HttpResponse:
    target = request.POST.get("kembali", "")
    if target.startswith("/tim/") and "//" not in target:
        return redirect(target)
    user = _me(request)
    # An agency's item leaves its list once done: go back to the list, not to a 404.
    if actions_for(user).filter(pk=pk).exists():
        return redirect("team_action", pk=pk)
    return redirect("team_actions")


@signed_in
def actions_xlsx(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    rows = list(selectors.action_list(user, **_action_filters(request))[:5000])
    return _file(services.actions_export(actor=user, actions=rows))
