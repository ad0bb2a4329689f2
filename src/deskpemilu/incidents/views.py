"""Incident and request pages. Thin: check access, read the form, call the same services as the
API, redirect with a message."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.access import get_region_for, get_tps_for
from deskpemilu.accounts.models import Agency, User
from deskpemilu.core.heads import head_text
from deskpemilu.core.photos import MAX_UPLOAD_BYTES, PhotoError, StoredPhoto, store_photos
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.core.summary import form_summary
from deskpemilu.elections.entry import browsing
from deskpemilu.incidents import (
    access,
    maps,
    reports,
    rules,
    selectors,
    services,
    workflow,
)
from deskpemilu.incidents.forms import (
    ReportForm,
    StepForm,
    aware,
)
from deskpemilu.incidents.models import (
    Category,
    Forward,
    IncidentPhoto,
    Severity,
    Status,
)

PER_PAGE = 50
MAX_PHOTOS = 5
REPORTERS = tuple(str(r) for r in access.REPORTING_ROLES)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _filters(request: HttpRequest) -> selectors.IncidentFilters:
    get = request.GET
    filters = selectors.IncidentFilters(
        status=get.get("status", "terbuka"),
        category=get.get("category", ""),
        severity=get.get("severity", ""),
        region=get.get("region", "").strip(),
        agency=get.get("agency", ""),
        overdue=get.get("overdue") == "1",
        q=get.get("q", "").strip()[:100],
        kerawanan=get.get("kerawanan", ""),
        election=get.get("pemilihan", ""),
    )
    try:
        selectors.check_filters(filters)
    except selectors.FilterError as exc:
        raise Http404 from exc  # a hand-edited URL; the form only offers valid values
    if filters.region:
        get_region_for(_user(request), filters.region)
    return filters


@signed_in
def board(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = _filters(request)
    now = timezone.now()
    qs = selectors.filtered_incidents(user, filters, now)
    page = Paginator(selectors.with_list_relations(selectors.board_order(qs)), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(i, selectors.incident_clock(i, now)) for i in page.object_list]
    context = {
        "filters": filters,
        "query": filters.as_query(),
        "page": page,
        "rows": rows,
        "counts": selectors.board_counts(access.incidents_for(user, filters.election), now),
        "map": maps.incident_map(user, qs),
        "statuses": [("terbuka", _("Semua yang terbuka")), *Status.choices],
        "categories": Category.choices,
        "severities": Severity.choices,
        "kerawanan_choices": [
            ("rawan", _("TPS rawan/sangat rawan")),
            ("sangat_rawan", _("TPS sangat rawan")),
        ],
        "agencies": Agency.objects.filter(is_active=True).order_by("kind", "name"),
        "regions": maps.map_regions(user),
        "can_report": rules.may_report(user),
        **browsing(filters.election),
    }
    return render(request, "incidents/board.html", context)


def _photos(request: HttpRequest) -> list[StoredPhoto]:
    uploads = request.FILES.getlist("foto")
    if len(uploads) > MAX_PHOTOS:
        raise PhotoError("foto_terlalu_banyak", _("Paling banyak %s foto.") % MAX_PHOTOS)
    return store_photos([u.read(MAX_UPLOAD_BYTES + 1) for u in uploads])


@roles(*REPORTERS)
def report(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ReportForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = get_region_for(user, data["kelurahan"])
        code = form.tps_code()
        try:
            tps = get_tps_for(user, code) if code else None
        except Http404:
            form.add_error("tps", _("TPS tidak ditemukan di kelurahan ini."))
            tps = None
        if not form.errors:
            try:
                incident = reports.incident_report(
                    actor=user,
                    category=data["category"],
                    severity=data["severity"],
                    tps=tps,
                    region=region,
                    occurred_at=aware(data["occurred_at"]),
                    description=data["description"],
                    lat=data.get("lat"),
                    lon=data.get("lon"),
                    photos=_photos(request),
                    source="web",
                )
            except PhotoError as exc:
                form.add_error(None, str(exc))
                status = exc.status
            except services.IncidentError as exc:
                form.add_error(None, problem_message(exc))
            else:
                messages.success(
                    request, _("Laporan %(number)s terkirim.") % {"number": incident.number}
                )
                return redirect("incident_detail", incident.pk)
    context = {"form": form, "summary": form_summary(form) if form.errors else []}
    context["summary_title"] = _("Laporan belum dikirim")
    if form.errors and status == 200:  # a photo refusal keeps its own status (413)
        status = 422
    return render(request, "incidents/report.html", context, status=status)


def problem_message(exc: services.IncidentError) -> str:
    """A refusal in the words of the pages (the request pages use it too)."""
    known = {
        "status_berubah": _(
            "Kejadian ini baru saja diubah oleh orang lain. Periksa keadaannya lalu ulangi."
        ),
        "versi_bukan_terkini": _(
            "Kejadian ini baru saja diubah oleh orang lain. Periksa keadaannya lalu ulangi."
        ),
        "tujuan_wajib": _("Pilih paling sedikit satu instansi tujuan."),
        "langkah_kosong": _("Tulis catatan atau pilih tindakan."),
        "transisi_tidak_valid": _("Tindakan ini tidak berlaku untuk status sekarang."),
        "tidak_berhak": _("Anda tidak berhak mengubah kejadian ini."),
        "status_tidak_diizinkan": _("Status ini hanya dapat diubah oleh desk."),
        "waktu_di_masa_depan": _("Waktu kejadian tidak boleh di masa depan."),
        "duplikat_diri_sendiri": _("Kejadian tidak dapat menjadi duplikat dirinya sendiri."),
        "wajib_diisi": _("Uraian wajib diisi."),
    }
    return str(known.get(exc.code, exc.message))


@signed_in
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    incident = access.get_incident_for(user, pk)
    forwards = list(Forward.objects.filter(incident=incident).select_related("agency", "by"))
    now = timezone.now()
    context = {
        "incident": incident,
        "clock": selectors.incident_clock(incident, now),
        "forwards": forwards,
        "timeline": selectors.timeline(incident),
        "photos": list(IncidentPhoto.objects.filter(incident=incident)),
        "map": maps.incident_spot(incident),
        "can": rules.allowed_actions(user, incident, {f.agency_id for f in forwards}),
        "step_form": StepForm(initial={"expected_status": incident.status}),
        "forwarded_slugs": {f.agency.slug for f in forwards},
        # The timeline keeps slugs; people read the agencies' names.
        "agency_names": dict(Agency.objects.values_list("slug", "name")),
    }
    return render(request, "incidents/detail.html", context)


def _step_from(request: HttpRequest, form: StepForm) -> workflow.Step:
    data = form.cleaned_data
    action = data["action"]
    agencies = list(Agency.objects.filter(slug__in=data["agencies"], is_active=True))
    duplicate = None
    if action == "duplikat":
        text = data["duplicate_of"].strip()
        duplicate = access.incidents_for(_user(request)).filter(number__iexact=text).first()
        if duplicate is None and text.isascii() and text.isdigit() and len(text) <= 12:
            duplicate = access.incidents_for(_user(request)).filter(pk=int(text)).first()
        if duplicate is None:
            raise services.IncidentError(
                422, "duplikat_tidak_dikenal", "duplicate_of", _("Nomor kejadian tidak dikenal.")
            )
    status = None if action in ("catatan", "duplikat") else action
    return workflow.Step(
        note=data["note"],
        status=None if action == "diteruskan" and agencies else status,
        forward_to=agencies if action == "diteruskan" else (),
        duplicate_of=duplicate,
        expected_status=data["expected_status"] or None,
    )


@signed_in
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    incident = access.get_incident_for(user, pk, write=True)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian tidak valid."))
        return redirect("incident_detail", incident.pk)
    try:
        workflow.incident_step(actor=user, incident=incident, step=_step_from(request, form))
    except services.IncidentError as exc:
        if exc.status == 403:
            raise  # the one refusal page (core.middleware.RefusalMiddleware)
        messages.error(request, problem_message(exc))
    else:
        messages.success(request, _("Tercatat."))
    return redirect("incident_detail", incident.pk)


@signed_in
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    incident = access.get_incident_for(user, pk, write=True)
    try:
        photos = _photos(request)
        workflow.incident_photos_add(actor=user, incident=incident, photos=photos)
    except PhotoError as exc:
        messages.error(request, str(exc))
    except services.IncidentError as exc:
        if exc.status == 403:
            raise  # the one refusal page (core.middleware.RefusalMiddleware)
        messages.error(request, _("Pilih foto terlebih dahulu."))
    else:
        messages.success(request, _("Foto ditambahkan."))
    return redirect("incident_detail", incident.pk)


@signed_in
def photo(request: HttpRequest, pk: int, sha256: str) -> HttpResponseBase:
    incident = access.get_incident_for(_user(request), pk)
    row = IncidentPhoto.objects.filter(incident=incident, sha256=sha256).first()
    if row is None:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / row.file
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@signed_in
def export(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    filters = _filters(request)
    qs = selectors.filtered_incidents(user, filters)
    result = services.incidents_export(actor=user, incidents=qs, filters=filters.as_query())
    response = FileResponse(
        result.file,
        as_attachment=True,
        filename=result.filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Audit-Head"] = head_text(result.audit_seq, result.audit_head)
    return response
