"""TPS vulnerability pages: the list with its filters (/kesiapan/kerawanan/), the form on the
readiness TPS page, and the XLSX import. Views check access, read parameters and call
readiness.kerawanan."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from deskpemilu.accounts.access import get_region_for, get_tps_for, home_region_code
from deskpemilu.accounts.models import User
from deskpemilu.core.errors import Refusal
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.readiness import kerawanan
from deskpemilu.readiness.kerawanan_file import HEADER, KerawananFileError, import_file
from deskpemilu.readiness.models import Kerawanan
from deskpemilu.readiness.views import tps_page_response
from deskpemilu.regions.forms import MAX_UPLOAD_BYTES, SizeCapHandler
from deskpemilu.regions.models import Level, Region
from deskpemilu.regions.tps_file import RowProblem

PER_PAGE = 100


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _code(request: HttpRequest, name: str, length: int) -> str:
    value = request.GET.get(name, "").strip()
    if value and not (len(value) == length and value.isascii() and value.isdigit()):
        raise Http404  # a hand-edited URL; the form only offers valid codes
    return value


def _areas(user: User, top: Region) -> tuple[list[Region], list[Region]]:
    """The kecamatan and kelurahan the reader may pick (inside its scope)."""
    qs = Region.objects.filter(user.scope_filter("code"), code__startswith=top.code)
    kecamatan = list(qs.filter(level=Level.KECAMATAN).order_by("name"))
    kelurahan = list(qs.filter(level__in=[Level.KELURAHAN, Level.DESA]).order_by("name"))
    return kecamatan, kelurahan


@signed_in
@require_GET
def kerawanan_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    top = get_region_for(user, home_region_code(user, settings.DESKPEMILU_INSTALLATION_REGION))
    kecamatan, kelurahan = _code(request, "kecamatan", 6), _code(request, "kelurahan", 10)
    tingkat = request.GET.get("tingkat", "")
    if tingkat and tingkat not in kerawanan.LEVELS:
        raise Http404
    code = kelurahan or kecamatan
    area = get_region_for(user, code) if code else None
    qs = kerawanan.filtered(user, region=area, tingkat=tingkat)
    qs = qs.select_related("tps__kelurahan", "entry__actor").order_by("tps_id")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    counts = kerawanan.counts(user, area or top)
    query = {"kecamatan": kecamatan, "kelurahan": kelurahan, "tingkat": tingkat}
    kecamatan_choices, kelurahan_choices = _areas(user, top)
    context = {
        "region": area or top,
        "page": page,
        "query": {k: v for k, v in query.items() if v},
        "filters": query,
        "counts": [
            (level, kerawanan.label(level), counts[level], kerawanan.COLOUR[level])
            for level in reversed(kerawanan.LEVELS)
        ],
        "not_mapped": counts[kerawanan.NOT_MAPPED],
        "levels": Kerawanan.choices,
        "kecamatan_choices": kecamatan_choices,
        "kelurahan_choices": kelurahan_choices,
        "can_set": kerawanan.may_set_kerawanan(user),
    }
    return render(request, "readiness/kerawanan_list.html", context)


def _officer_count(raw: str) -> object:
    raw = raw.strip() or "0"
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else raw


@signed_in
@require_POST
def tps_kerawanan(request: HttpRequest, tps_code: str) -> HttpResponse:
    """The form on the readiness TPS page; refused (403, with its message) to other roles."""
    user = _user(request)
    tps = get_tps_for(user, tps_code)
    post = request.POST
    names = [n.strip() for n in post.get("nama_petugas", "").splitlines() if n.strip()]
    try:
        result = kerawanan.set_kerawanan(
            actor=user,
            tps=tps,
            level=post.get("tingkat", ""),
            reason=post.get("alasan", ""),
            officers=_officer_count(post.get("petugas", "")),  # type: ignore[arg-type]
            officer_names=names,
            source="web",
        )
    except Refusal as exc:
        if exc.status != 422:
            raise
        return tps_page_response(request, tps, kerawanan_errors=exc.errors, status=422)
    if result.changed:
        messages.success(
            request, _("Kerawanan TPS disimpan: %s.") % kerawanan.label(result.tingkat)
        )
    else:
        messages.info(request, _("Tidak ada perubahan."))
    return redirect("readiness_tps", tps.code)


@roles("admin", "liaison")
@csrf_exempt  # checked by csrf_protect below, once the size cap is in place
def kerawanan_import(request: HttpRequest) -> HttpResponse:
    # As regions' TPS import: the size cap must be set before anything reads the body.
    cap = SizeCapHandler(request)
    request.upload_handlers = [cap, *request.upload_handlers]
    return _kerawanan_import(request, cap)


@csrf_protect
def _kerawanan_import(request: HttpRequest, cap: SizeCapHandler) -> HttpResponse:
    user = _user(request)
    kerawanan.refuse_unless_allowed(user)  # a TNI or KPU liaison: 403 with the reason
    result: kerawanan.ImportResult | None = None
    problems: list[RowProblem] = []
    max_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if cap.too_large:
            problems = [RowProblem(0, "", _("Berkas lebih dari %s MB; tidak diproses.") % max_mb)]
        elif upload is None:
            problems = [RowProblem(0, "file", _("Pilih berkas .xlsx atau .csv."))]
        else:
            try:
                result = import_file(
                    actor=user, name=upload.name or "", data=upload.read(), source="web"
                )
            except KerawananFileError as exc:
                problems = exc.problems
    context: dict[str, Any] = {
        "result": result,
        "problems": problems,
        "max_mb": max_mb,
        "header": ",".join(HEADER),
    }
    return render(
        request, "readiness/kerawanan_import.html", context, status=422 if problems else 200
    )
