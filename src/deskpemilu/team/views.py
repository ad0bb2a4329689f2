"""Pages of the desk's own work (/tim/): team, Posko roster, meetings, action items. Thin."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.models import User
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.team import forms, members, selectors, services
from deskpemilu.team.access import (
    DESK_READERS,
    manages_team,
)
from deskpemilu.team.models import DutyAssignment, TeamMember

READERS = tuple(sorted(r.value for r in DESK_READERS))


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def file_response(export: services.ExportFile, *, inline: bool = False) -> HttpResponse:
    """An export as a download (or inline), with its SHA-256 (the meeting pages use it too)."""
    response = HttpResponse(export.content, content_type=export.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    response["X-Content-SHA256"] = export.sha256
    return response


def form_errors(request: HttpRequest, form: Any) -> None:
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
            saved = members.member_save(actor=_me(request), data=form.member_input(), member=member)
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
        form_errors(request, form)
        return _back_to_roster(request)
    d = form.cleaned_data
    try:
        members.duty_assign(
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
        members.duty_remove(actor=_me(request), assignment=row)
    except services.TeamError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s dihapus dari jadwal.") % {"name": row.member.name})
    return _back_to_roster(request, row.date)


@roles("admin")
@require_POST
def demo_clear(request: HttpRequest) -> HttpResponse:
    counts = members.demo_clear(actor=_me(request))
    messages.success(
        request,
        _("Data contoh dihapus: %(duties)s jadwal, %(members)s anggota dinonaktifkan.") % counts,
    )
    return redirect("team_roster")


@signed_in
def roster_xlsx(request: HttpRequest) -> HttpResponse:
    start, end = _range(request)
    return file_response(services.roster_export(actor=_me(request), start=start, end=end))
