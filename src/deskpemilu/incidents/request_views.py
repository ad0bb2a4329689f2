"""Facilitation request pages: the list with its submit form, one request and its steps. Thin,
like the incident pages: check access, read the form, call the services, redirect."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.access import get_region_for
from deskpemilu.accounts.models import Agency, User
from deskpemilu.core.rules import signed_in
from deskpemilu.elections.entry import browsing
from deskpemilu.incidents import access, facilitation, rules, selectors, services
from deskpemilu.incidents.forms import RequestForm, RequestStepForm, aware
from deskpemilu.incidents.models import RequestKind, RequestStatus
from deskpemilu.incidents.views import PER_PAGE, problem_message


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _request_filters(request: HttpRequest) -> selectors.RequestFilters:
    filters = selectors.RequestFilters(
        status=request.GET.get("status", "terbuka"),
        kind=request.GET.get("kind", ""),
        region=request.GET.get("region", "").strip(),
        election=request.GET.get("pemilihan", ""),
    )
    try:
        selectors.check_request_filters(filters)
    except selectors.FilterError as exc:
        raise Http404 from exc
    if filters.region:
        get_region_for(_user(request), filters.region)
    return filters


@signed_in
def requests(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    may_submit = rules.may_request(user)
    form = RequestForm(request.POST or None, user=user) if may_submit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            made = _submit(request, form)
            if made is not None:
                return redirect("request_detail", made)
    filters = _request_filters(request)
    now = timezone.now()
    qs = selectors.filtered_requests(user, filters).order_by("needed_by", "id")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": [(r, selectors.request_due(r, now)) for r in page.object_list],
        "statuses": [("terbuka", _("Semua yang terbuka")), *RequestStatus.choices],
        "kinds": RequestKind.choices,
        "can_report": rules.may_report(user),
        **browsing(filters.election),
    }
    return render(request, "incidents/requests.html", context)


def _submit(request: HttpRequest, form: RequestForm) -> int | None:
    user = _user(request)
    data = form.cleaned_data
    region = get_region_for(user, data["region"])
    agency = Agency.objects.filter(slug=data["requested_by_agency"]).first()
    if agency is None:
        form.add_error("requested_by_agency", _("Instansi tidak dikenal."))
        return None
    try:
        made = facilitation.request_submit(
            actor=user,
            kind=data["kind"],
            description=data["description"],
            region=region,
            needed_by=aware(data["needed_by"]),
            requested_by_agency=agency,
            requested_by_unit=data["requested_by_unit"],
        )
    except services.IncidentError as exc:
        if exc.status == 403:
            raise  # the one refusal page (core.middleware.RefusalMiddleware)
        form.add_error(None, problem_message(exc))
        return None
    messages.success(request, _("Permintaan %(number)s diajukan.") % {"number": made.number})
    return made.pk


@signed_in
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = access.get_request_for(user, pk)
    context = {
        "req": found,
        "due": selectors.request_due(found, timezone.now()),
        "timeline": selectors.request_timeline(found),
        "can": rules.allowed_request_actions(user, found),
        "form": RequestStepForm(initial={"expected_status": found.status}),
        "agency_names": dict(Agency.objects.values_list("slug", "name")),
    }
    return render(request, "incidents/request_detail.html", context)


@signed_in
@require_POST
def request_step(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = access.get_request_for(user, pk, write=True)
    form = RequestStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian tidak valid."))
        return redirect("request_detail", found.pk)
    data = form.cleaned_data
    action = data["action"]
    assign = None
    if action == "tugaskan":
        assign = Agency.objects.filter(slug=data["assign_to"], is_active=True).first()
        if assign is None:
            messages.error(request, _("Pilih instansi yang ditugaskan."))
            return redirect("request_detail", found.pk)
    step = facilitation.RequestStep(
        note=data["note"],
        status=None if action in ("catatan", "tugaskan") else action,
        assign_to=assign,
        expected_status=data["expected_status"] or None,
    )
    try:
        facilitation.request_step(actor=user, request=found, step=step)
    except services.IncidentError as exc:
        if exc.status == 403:
            raise  # the one refusal page (core.middleware.RefusalMiddleware)
        messages.error(request, problem_message(exc))
    else:
        messages.success(request, _("Tercatat."))
    return redirect("request_detail", found.pk)
