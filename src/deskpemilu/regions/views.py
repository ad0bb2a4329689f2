"""Region and TPS pages (any signed-in account, inside its scope) and the desk's TPS import
and export (admin). Views only check access, read parameters and call selectors or services."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from deskpemilu.accounts.access import get_region_for, get_tps_for, home_region_code, tps_for
from deskpemilu.accounts.models import User
from deskpemilu.core.heads import head_text
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.elections.selectors import Browsing, browsed_election
from deskpemilu.regions import forms, maps, selectors, services
from deskpemilu.regions.forms import SizeCapHandler, TpsImportForm
from deskpemilu.regions.models import Level, Region, Tps
from deskpemilu.regions.tps_file import RowProblem, TpsFileError

CHILD_LABELS: dict[str, str | Promise] = {
    Level.PROVINSI: gettext_lazy("Kota/Kabupaten"),
    Level.KOTA: gettext_lazy("Kecamatan"),
    Level.KABUPATEN: gettext_lazy("Kecamatan"),
    Level.KECAMATAN: gettext_lazy("Kelurahan"),
}


def _user(request: HttpRequest) -> User:
    # Every view here sits behind signed_in or roles(), so the user is a real account.
    return cast(User, request.user)


def _top(user: User) -> str:
    """Where breadcrumbs start: the reader's scope (the installation for the desk)."""
    return home_region_code(user, settings.DESKPEMILU_INSTALLATION_REGION)


def _heading(region: Region) -> str:
    # The data names the kota "Kota Mataram" but the kecamatan just "Ampenan".
    level = region.get_level_display()
    if region.name.lower().startswith(level.lower()):
        return region.name
    return f"{level} {region.name}"


@signed_in
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    browse = browsed_election(request)
    if len(code) == 13:  # a TPS code typed where a region code goes
        return redirect(_tps_url(get_tps_for(user, code, election=_code_of(browse)), browse))
    region = get_region_for(user, code)
    page = selectors.region_page(region, browse.other)
    per_child = page.kelurahan_per_child
    context = {
        "browse": browse,
        "region": region,
        "page": page,
        "heading": _heading(region),
        "crumbs": selectors.region_ancestors(region.code, top=_top(user)),
        "child_label": CHILD_LABELS.get(region.level) or _("Wilayah"),
        "child_rows": [(c, per_child.get(c.code)) for c in page.children],
        "show_kelurahan_count": bool(per_child),
        "map": maps.region_map(page, user, browse.query),
    }
    return render(request, "regions/region.html", context)


def _code_of(browse: Browsing) -> str | None:
    # Unasked, the active election's TPS are found by KPU code whichever their key (None), and
    # a storage key of an earlier link opens its own election's TPS; asked, a key naming
    # another election is a 404.
    return browse.election.code if browse.asked and browse.election else None


def _tps_url(tps: Tps, browse: Browsing) -> str:
    """A TPS page's address: its KPU code, plus `?pemilihan=` outside the active election."""
    return reverse("tps", args=[tps.kpu_code]) + browse.query


@signed_in
def tps_page(request: HttpRequest, tps_code: str) -> HttpResponse:
    user = _user(request)
    browse = browsed_election(request)
    tps = get_tps_for(user, tps_code, election=_code_of(browse))
    if "@" in tps_code:
        # The storage key of earlier links: the address is the KPU code and the election.
        url = reverse("tps", args=[tps.kpu_code]) + f"?pemilihan={tps.election_id}"
        return HttpResponsePermanentRedirect(url)
    context = {
        "browse": browse,
        "tps": tps,
        "crumbs": selectors.region_ancestors(tps.code, top=_top(user)),
        "map": maps.tps_map(tps),
    }
    return render(request, "regions/tps.html", context)


@roles("admin")
@csrf_exempt  # checked by csrf_protect below, once the size cap is in place
def tps_import(request: HttpRequest) -> HttpResponse:
    # Django's way to set upload handlers for one view: before anything reads the body, which
    # the CSRF check does; hence csrf_exempt here and csrf_protect on the inner view.
    cap = SizeCapHandler(request)
    request.upload_handlers = [cap, *request.upload_handlers]
    return _tps_import(request, cap)


def _megabytes() -> int:
    return forms.MAX_UPLOAD_BYTES // (1024 * 1024)


@csrf_protect
def _tps_import(request: HttpRequest, cap: SizeCapHandler) -> HttpResponse:
    form = TpsImportForm()
    result: services.ImportResult | None = None
    problems: list[RowProblem] = []
    if request.method == "POST":
        form = TpsImportForm(request.POST, request.FILES)
        if cap.too_large:
            too_large = _("Berkas lebih dari %s MB; tidak diproses.") % _megabytes()
            problems = [RowProblem(0, "", too_large)]
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.tps_import(
                    actor=_user(request),
                    name=upload.name,
                    data=upload.read(),
                    source="web",
                    election=form.cleaned_data["pemilihan"],
                )
            except TpsFileError as exc:
                problems = exc.problems
    imported = form.cleaned_data.get("pemilihan") if result else None
    context = {
        "form": form,
        "imported_into": imported,
        "result": result,
        "problems": problems,
        "max_mb": _megabytes(),
        "installation_region": settings.DESKPEMILU_INSTALLATION_REGION,
        "elections": list(form.fields["pemilihan"].queryset),  # type: ignore[attr-defined]
    }
    return render(request, "regions/tps_import.html", context)


@roles("admin")
def tps_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in services.EXPORT_FORMATS:
        raise BadRequest("format")
    code = request.GET.get("region") or settings.DESKPEMILU_INSTALLATION_REGION
    browse = browsed_election(request)  # whose TPS (like `export_tps --pemilihan`)
    region = get_region_for(user, code)
    election = _code_of(browse)
    export = services.tps_export(
        actor=user,
        region=region,
        tps=tps_for(user, election=election),
        fmt=cast(services.ExportFormat, fmt),
        election=browse.election.code if browse.election else "",
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Audit-Head"] = head_text(export.audit_seq, export.audit_head)
    return response
