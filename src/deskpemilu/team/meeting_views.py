"""Pages of the desk's meetings and their action items (/tim/rapat/, /tim/tindak-lanjut/): the
desk records decisions, the agency responsible answers for them. Thin, like team.views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.models import Agency, User
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.elections.entry import browsing, check_code
from deskpemilu.team import forms, meetings, selectors, services
from deskpemilu.team.access import (
    DESK_READERS,
    actions_for,
    answers_action,
    get_action_for,
    get_meeting_for,
    manages_team,
)
from deskpemilu.team.models import ActionStatus, TeamMember
from deskpemilu.team.views import READERS, file_response, form_errors


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _election(request: HttpRequest) -> str:
    """`?pemilihan=CODE`: another election's meetings, read-only ("" the active one)."""
    code = request.GET.get("pemilihan", "")
    if not check_code(code):
        raise Http404  # a hand-edited URL; the page offers only known elections
    return code


@roles(*READERS)
def meeting_list(request: HttpRequest) -> HttpResponse:
    election = _election(request)
    return render(
        request,
        "team/meetings.html",
        {
            "meetings": selectors.meetings(election)[:200],
            "can_manage": manages_team(_me(request)),
            **browsing(election),
        },
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
        data = meetings.MeetingInput(
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
        return meetings.meeting_create(actor=_me(request), data=data)
    except services.TeamError as error:
        forms.add_service_error(form, error)
        return None


@roles(*READERS)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _me(request)
    meeting = get_meeting_for(user, pk)
    attendees, actions = selectors.meeting_detail(meeting)
    # Another election's meeting is read-only: no decision added, no item followed up here.
    can_manage = manages_team(user) and meeting.election.active
    return render(
        request,
        "team/meeting.html",
        {
            "meeting": meeting,
            "attendees": attendees,
            "actions": actions,
            "can_manage": can_manage,
            "action_form": forms.ActionForm() if can_manage else None,
            "browsing": meeting.election,
        },
    )


@roles("admin")
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(_me(request), pk)
    form = forms.ActionForm(request.POST)
    if form.is_valid():
        try:
            meetings.action_add(actor=_me(request), meeting=meeting, data=form.action_input())
        except services.TeamError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Keputusan ditambahkan."))
    else:
        form_errors(request, form)
    return redirect("team_meeting", pk=meeting.pk)


@roles(*READERS)
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(_me(request), pk)
    return file_response(services.minutes_export(actor=_me(request), meeting=meeting), inline=True)


# --- Action items ----------------------------------------------------------------------------


def _action_filters(request: HttpRequest) -> dict[str, Any]:
    status = request.GET.get("status", "")
    agency = request.GET.get("instansi", "")[:40]
    return {
        "status": status if status in ActionStatus.values else "",
        "agency": agency,
        "overdue": request.GET.get("terlambat") == "1",
        "election": _election(request),
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
            **browsing(filters["election"]),
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
                meetings.action_event(
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
    return file_response(services.actions_export(actor=user, actions=rows))
