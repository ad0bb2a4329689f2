"""The desk's side of the portal: the switch that opens /publik/, and the cross-check with KPU
(import of Sirekap files, the differences per region and TPS, their CSV). Routed under
/situasi/ by portal/desk_urls.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from deskpemilu.accounts.access import get_region_for
from deskpemilu.accounts.models import User
from deskpemilu.core.heads import head_text
from deskpemilu.core.rules import roles
from deskpemilu.core.spreadsheet import csv_bytes
from deskpemilu.portal import services
from deskpemilu.portal.crosscheck import RegionCheck, differences_table, region_check
from deskpemilu.portal.models import SirekapImport
from deskpemilu.portal.selectors import portal_enabled, portal_setting, sorted_contests
from deskpemilu.portal.sirekap import (
    PPWP_CHART_IDS,
    SirekapError,
    expand_uploads,
    read_mapping,
)
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region
from deskpemilu.regions.selectors import region_ancestors
from deskpemilu.results.contests import ContestInfo, contest_info, dapil_for
from deskpemilu.situation import services as report_services

KPU_READERS = ("admin", "viewer")
MAX_UPLOAD_FILES = 90  # Django refuses more than 100 files in one request
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@roles("admin")
@require_http_methods(["GET", "POST"])
def portal_switch(request: HttpRequest) -> HttpResponse:
    """Turn the public portal on or off (audited)."""
    if request.method == "POST":
        enabled = request.POST.get("aktif") == "1"
        services.portal_set(actor=_user(request), enabled=enabled)
        if enabled:
            messages.success(request, _("Portal publik dibuka di /publik/."))
        else:
            messages.success(request, _("Portal publik ditutup."))
        return redirect("portal_switch")
    context = {
        "setting": portal_setting(),
        "by_environment": settings.DESKPEMILU_PUBLIC_PORTAL,
        "is_on": portal_enabled(),
    }
    return render(request, "portal/switch.html", context)


def contest_labels(contest: ContestInfo, region_code: str) -> dict[str, str]:
    dapil = dapil_for(contest, region_code)
    return {k: f"{k}. {v}" for k, v in (dapil.labels.items() if dapil else [])}


def contest_from(request: HttpRequest) -> ContestInfo | None:
    return contest_info(request.GET.get("kontes", "ppwp") or "ppwp")


def crosscheck_context(
    check: RegionCheck,
    contest: ContestInfo,
    href: Any,
    crumbs: list[Region],
) -> dict[str, Any]:
    labels = contest_labels(contest, check.region.code)
    return {
        "check": check,
        "contest": contest,
        "contests": sorted_contests(check.region.code),
        "children": [(c, href(c.code)) for c in check.children],
        "crumbs": [(r, href(r.code)) for r in crumbs],
        "sums": [(labels.get(k, k), d, p, p - d) for k, (d, p) in check.sums.items()],
        "mapping": PPWP_CHART_IDS,
    }


@roles(*KPU_READERS)
@require_GET
def kpu(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    code = request.GET.get("wilayah") or settings.DESKPEMILU_INSTALLATION_REGION
    region = get_region_for(user, code)
    contest = contest_from(request)
    if contest is None:
        contest = contest_info("ppwp")
    assert contest is not None
    check = region_check(region, contest.code, contest_labels(contest, region.code))
    base = reverse("kpu_desk")

    def href(child: str) -> str:
        return base + "?" + urlencode({"wilayah": child, "kontes": contest.code})

    crumbs = region_ancestors(region.code, top=settings.DESKPEMILU_INSTALLATION_REGION)
    context = crosscheck_context(check, contest, href, crumbs)
    context.update(
        {
            "desk": True,
            "imports": list(
                SirekapImport.objects.filter(contest_id=contest.code).select_related("imported_by")[
                    :5
                ]
            ),
            "csv_url": reverse("kpu_desk_csv")
            + "?"
            + urlencode({"wilayah": region.code, "kontes": contest.code}),
            "tps_prefix": f"/hasil/{contest.code}/",
        }
    )
    return render(request, "portal/kpu_desk.html", context)


def differences_csv(check: RegionCheck, audit: tuple[int, str], now: datetime) -> bytes:
    header, rows = differences_table(check)
    preamble = (
        f"# Selisih desk dan KPU (Sirekap), {check.contest}, {check.region.code} "
        f"{check.region.name}; kepala rantai audit {head_text(*audit)}; "
        f"{now.isoformat()}"
    )
    return csv_bytes([header, *rows], preamble=preamble)


@roles(*KPU_READERS)
@require_GET
def kpu_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    region = get_region_for(
        user, request.GET.get("wilayah") or settings.DESKPEMILU_INSTALLATION_REGION
    )
    contest = contest_from(request) or contest_info("ppwp")
    assert contest is not None
    check = region_check(region, contest.code, contest_labels(contest, region.code))
    result = report_services.report_export(
        actor=user,
        kind="selisih-kpu",
        object_id=f"kpu/{contest.code}/{region.code}",
        filename=f"selisih-kpu-{contest.code}-{region.code}.csv",
        content_type=report_services.CSV_TYPE,
        make=lambda audit, now: differences_csv(check, audit, now),
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["X-Audit-Head"] = head_text(result.audit_seq, result.audit_head)
    return response


def _uploads(request: HttpRequest) -> list[tuple[str, bytes]]:
    files = request.FILES.getlist("berkas")
    if not files:
        raise SirekapError("Pilih paling sedikit satu berkas .json atau .zip.")
    if len(files) > MAX_UPLOAD_FILES:
        raise SirekapError(
            f"Paling banyak {MAX_UPLOAD_FILES} berkas sekali unggah; kemas dalam satu .zip."
        )
    total = 0
    result = []
    for f in files:
        data = f.read(MAX_UPLOAD_BYTES + 1)
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            raise SirekapError("Unggahan lebih dari 50 MB.")
        result.append((str(f.name), data))
    return result


@roles("admin")
@require_http_methods(["GET", "POST"])
def kpu_import(request: HttpRequest) -> HttpResponse:
    """Upload Sirekap files (JSON per TPS, or a zip of them) and import them."""
    contests = sorted_contests(installation.code())
    if request.method == "POST":
        contest = contest_info(request.POST.get("kontes", "ppwp"))
        try:
            if contest is None:
                raise SirekapError("Surat suara tidak dikenal.")
            uploads = _uploads(request)
            mapping = PPWP_CHART_IDS if contest.code == "ppwp" else {}
            mapping_file = request.FILES.get("pemetaan")
            if mapping_file is not None:
                mapping = read_mapping(mapping_file.read(1024 * 1024))
            result = services.sirekap_import(
                actor=_user(request),
                contest=contest,
                files=expand_uploads(uploads),
                source=", ".join(name for name, _ in uploads)[:200],
                mapping=mapping,
            )
        except SirekapError as exc:
            messages.error(request, str(exc))
            return render(request, "portal/kpu_import.html", {"contests": contests}, status=422)
        batch = result.batch
        messages.success(
            request,
            f"Impor Sirekap selesai: {batch.files} berkas, {batch.tps_count} TPS tersimpan, "
            f"{batch.empty} belum berisi angka, {len(batch.problems)} bermasalah.",
        )
        return redirect(reverse("kpu_desk") + "?" + urlencode({"kontes": contest.code}))
    return render(
        request, "portal/kpu_import.html", {"contests": contests, "mapping": PPWP_CHART_IDS}
    )
