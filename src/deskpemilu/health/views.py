"""Health pages: the desk's health page, incidents and their follow-ups, a puskesmas's posts,
staff on duty, readiness and service area, and the XLSX export. Views check access, read the
form and call a service; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from deskpemilu.accounts.access import get_region_for, get_tps_for, home_region_code, tps_for
from deskpemilu.accounts.models import User
from deskpemilu.core.rules import signed_in
from deskpemilu.elections.entry import browsing, check_code
from deskpemilu.health import access, facilities, selectors, services
from deskpemilu.health.forms import FollowUpForm, IncidentForm, PostForm, ShiftForm
from deskpemilu.health.models import CheckStatus, IncidentStatus
from deskpemilu.regions.models import Level, Region

OPEN_LIMIT = 100
CLOSED_LIMIT = 30


def _reader(request: HttpRequest) -> User:
    user = cast(User, request.user)
    access.require_health_reader(user)
    return user


def _region(user: User, request: HttpRequest) -> Region:
    code = request.GET.get("region") or home_region_code(
        user, settings.DESKPEMILU_INSTALLATION_REGION
    )
    return get_region_for(user, code)


def _election(request: HttpRequest) -> str:
    """`?pemilihan=CODE`: another election's cases, read-only ("" the active one)."""
    code = request.GET.get("pemilihan", "")
    if not check_code(code):
        raise Http404  # a hand-edited URL; the page offers only known elections
    return code


def _form_errors(form: Any, exc: services.HealthError) -> None:
    for error in exc.errors:
        field = error["field"] if error["field"] in form.fields else None
        form.add_error(field, error["message"])


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    region = _region(user, request)
    election = _election(request)
    incidents = access.incidents_for(user, election).filter(tps__code__startswith=region.code)
    names = user.role in access.NAME_READERS
    open_rows = list(
        incidents.filter(status=IncidentStatus.TERBUKA)
        .select_related("tps__kelurahan", "puskesmas", "reported_by")
        .order_by("-occurred_at", "-id")[:OPEN_LIMIT]
    )
    closed_rows = list(
        incidents.filter(status=IncidentStatus.DITUTUP)
        .select_related("tps__kelurahan", "puskesmas", "reported_by")
        .order_by("-closed_at", "-id")[:CLOSED_LIMIT]
    )
    followups = selectors.followups_of(open_rows + closed_rows)
    today = timezone.localdate()
    context = {
        "region": region,
        "totals": selectors.totals(incidents),
        "by_puskesmas": selectors.counts_by_puskesmas(incidents),
        "by_kecamatan": selectors.counts_by_kecamatan(incidents),
        "open": [(i, followups.get(i.pk, [])) for i in open_rows],
        "closed": [(i, followups.get(i.pk, [])) for i in closed_rows],
        "names": names,
        "puskesmas": selectors.puskesmas_views(access.puskesmas_for(user), day=today),
        "today": today,
        "can_report": access.may_report_incident(user),
        "can_write": access.may_write(user),
        "item_count": len(facilities.PUSKESMAS_ITEMS),
        **browsing(election),
    }
    return render(request, "health/home.html", context)


@signed_in
def incident_new(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    access.require_role(user, access.INCIDENT_REPORTERS)
    form = IncidentForm(request.POST or None, initial={"occurred_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tps = get_tps_for(user, data["tps_code"], write=True)
        try:
            incident = services.incident_report(
                actor=user,
                tps=tps,
                person_role=data["person_role"],
                condition=data["condition"],
                occurred_at=data["occurred_at"],
                note=data["note"],
                puskesmas=data["puskesmas"],
                name=data["name"],
            )
        except services.HealthError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Kasus #%s tercatat.") % incident.pk)
            return redirect("health_incident", incident.pk)
    tps_choices = tps_for(user).only("code", "number")[:400] if user.scope else []
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "health/incident_new.html",
        {"form": form, "tps_choices": tps_choices},
        status=status,
    )


@signed_in
def incident_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    user = _reader(request)
    incident = access.get_health_incident_for(user, incident_id)
    can_follow = access.may_write(user)
    form = FollowUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        access.require_role(user, access.HEALTH_WRITERS)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.incident_follow_up(
                    actor=user,
                    incident=incident,
                    note=data["note"],
                    condition=data["condition"],
                    puskesmas=data["puskesmas"],
                    close=data["close"],
                )
            except services.HealthError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Tindak lanjut tercatat."))
                return redirect("health_incident", incident.pk)
        status = 409 if incident.status == IncidentStatus.DITUTUP else 422
    detail = selectors.incident_detail(incident, names=user.role in access.NAME_READERS)
    for step in detail["followups"]:
        step["at_local"] = parse_datetime(step["at"])
    context = {
        "incident": incident,
        "detail": detail,
        "form": form,
        "can_follow": can_follow
        and incident.status == IncidentStatus.TERBUKA
        and incident.election.active,
        "browsing": incident.election,
    }
    return render(request, "health/incident.html", context, status=status)


def _puskesmas_post(request: HttpRequest, user: User, puskesmas: Any) -> Any:
    """Handle one of the puskesmas page's forms; a redirect on success, else the bound forms."""
    action = request.POST.get("action", "")
    forms_: dict[str, Any] = {}
    try:
        if action == "post":
            forms_["post"] = post_form = PostForm(request.POST)
            if post_form.is_valid():
                facilities.post_save(
                    actor=user,
                    puskesmas=puskesmas,
                    data=facilities.PostInput(**post_form.cleaned_data),
                )
                messages.success(request, _("Posko kesehatan ditambahkan."))
                return redirect("health_puskesmas", puskesmas.code)
        elif action == "shift":
            forms_["shift"] = shift_form = ShiftForm(request.POST)
            if shift_form.is_valid():
                facilities.shift_save(
                    actor=user,
                    puskesmas=puskesmas,
                    data=facilities.ShiftInput(**shift_form.cleaned_data),
                )
                messages.success(request, _("Petugas jaga tersimpan."))
                return redirect("health_puskesmas", puskesmas.code)
        elif action == "check":
            entries = {
                code: (request.POST[f"status-{code}"], request.POST.get(f"catatan-{code}", ""))
                for code, _label in facilities.PUSKESMAS_ITEMS
                if request.POST.get(f"status-{code}")
            }
            changed = facilities.puskesmas_check(actor=user, puskesmas=puskesmas, entries=entries)
            messages.success(request, _("Kesiapan tersimpan (%s butir berubah).") % len(changed))
            return redirect("health_puskesmas", puskesmas.code)
        elif action == "area":
            if not access.may_set_service_area(user):
                raise PermissionDenied
            chosen = Region.objects.filter(
                code__in=request.POST.getlist("kelurahan"),
                level__in=[Level.KELURAHAN, Level.DESA],
            )
            facilities.service_area_set(actor=user, puskesmas=puskesmas, kelurahan=list(chosen))
            messages.success(request, _("Wilayah layanan tersimpan."))
            return redirect("health_puskesmas", puskesmas.code)
    except services.HealthError as exc:
        for error in exc.errors:
            messages.error(request, f"{error['field']}: {error['message']}")
    return forms_


@signed_in
def puskesmas_page(request: HttpRequest, slug: str) -> HttpResponse:
    user = _reader(request)
    puskesmas = access.get_puskesmas_for(user, slug, write=request.method == "POST")
    bound: dict[str, Any] = {}
    if request.method == "POST":
        result = _puskesmas_post(request, user, puskesmas)
        if not isinstance(result, dict):
            return cast(HttpResponse, result)
        bound = result
    today = timezone.localdate()
    view = selectors.puskesmas_views(access.puskesmas_for(user).filter(pk=puskesmas.pk), day=today)
    incidents = access.incidents_for(user).filter(puskesmas=puskesmas)
    context = {
        "p": view[0],
        "today": today,
        "post_form": bound.get("post") or PostForm(),
        "shift_form": bound.get("shift") or ShiftForm(initial={"date": today}),
        "statuses": CheckStatus.choices,
        "can_write": access.may_write(user),
        "is_admin": user.role == "admin",
        "kelurahan": Region.objects.filter(level__in=[Level.KELURAHAN, Level.DESA]).order_by("code")
        if user.role == "admin"
        else [],
        "totals": selectors.totals(incidents),
    }
    return render(request, "health/puskesmas.html", context, status=422 if bound else 200)


@signed_in
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    region = _region(user, request)
    incidents = list(
        access.incidents_for(user, _election(request))
        .filter(tps__code__startswith=region.code)
        .select_related("tps__kelurahan", "puskesmas", "reported_by")
        .order_by("occurred_at", "id")
    )
    file = services.incidents_export(
        actor=user,
        region=region,
        incidents=incidents,
        with_names=user.role in access.NAME_READERS,
    )
    response = HttpResponse(
        file.content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
