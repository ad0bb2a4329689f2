"""The public transparency portal (/publik/): results per region down to each TPS, verified
beside provisional, the verified forms' photos, open data (CSV) and the cross-check with KPU.

No login; 404 while the desk has not turned it on. Every page is served from the cache
(portal.cache), and nothing on it names a person.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from deskpemilu.audit.services import head
from deskpemilu.core.heads import head_text
from deskpemilu.core.rules import public
from deskpemilu.core.spreadsheet import csv_bytes
from deskpemilu.dashboard.charts import Bar, bar_chart
from deskpemilu.dashboard.selectors import KELURAHAN_LEVELS, recap_page
from deskpemilu.portal.cache import portal_page
from deskpemilu.portal.crosscheck import region_check
from deskpemilu.portal.desk_views import contest_labels, crosscheck_context, differences_csv
from deskpemilu.portal.models import SirekapTps
from deskpemilu.portal.selectors import (
    portal_enabled,
    public_photo,
    region_table,
    sorted_contests,
    tps_ballots,
    tps_table,
)
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region, Tps
from deskpemilu.regions.selectors import region_ancestors
from deskpemilu.results.contests import ContestInfo, contest_info
from deskpemilu.situation import maps

PHOTO_SECONDS = 24 * 3600


def _under_installation(code: str) -> bool:
    """Is `code` the installation's region or inside it (the nation, "0", holds every code)?"""
    return (
        code.isascii()
        and code.isdigit()
        and code.startswith(installation.prefix(_installation_code()))
    )


def _installation_code() -> str:
    # Read per request (not at import), so the page follows the setting.
    return installation.code()


def _region(code: str) -> Region:
    """Any region of the installation (the public sees all of it), else 404."""
    if installation.is_nation(code) and installation.is_nation(_installation_code()):
        return installation.nation()
    if not _under_installation(code):
        raise Http404
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region


def _contest(request: HttpRequest) -> ContestInfo:
    info = contest_info(request.GET.get("kontes", "") or "ppwp")
    if info is None:
        raise Http404
    return info


def _crumbs(region: Region) -> list[Region]:
    return region_ancestors(region.code, top=_installation_code())


def _heading(region: Region) -> str:
    level = str(region.get_level_display())
    return (
        region.name if region.name.lower().startswith(level.lower()) else f"{level} {region.name}"
    )


def _public_link(code: str) -> str:
    return reverse("portal_region", args=[code])


@portal_page("kontes")
def home(request: HttpRequest) -> HttpResponse:
    return _region_page(request, _region(_installation_code()))


@portal_page("kontes")
def region(request: HttpRequest, code: str) -> HttpResponse:
    return _region_page(request, _region(code))


def _region_page(request: HttpRequest, area: Region) -> HttpResponse:
    contest = _contest(request)
    page = recap_page(area, contest, None)  # the public: verified sheets only
    bars = [
        Bar(
            line.short if page.is_party else f"{line.key}. {line.label}",
            line.votes,
            line.percent,
            line.verified_percent,
            line.label,
        )
        for line in page.lines
    ]
    mapped = None
    if area.level not in KELURAHAN_LEVELS:
        mapped = maps.measure_map(area, maps.REPORTED, link=_public_link)
    seq, digest = head()
    context = {
        "page": page,
        "region": area,
        "contest": contest,
        "contests": sorted_contests(area.code),
        "crumbs": _crumbs(area),
        "chart": bar_chart(bars, caption=f"Perolehan suara {contest.short_name}"),
        "map": mapped,
        "is_kelurahan": area.level in KELURAHAN_LEVELS,
        "heading": _heading(area),
        "audit_seq": seq,
        "audit_head": digest,
        "generated": timezone.now(),
        "show_columns": len(page.columns) <= 6,
    }
    return render(request, "portal/region.html", context)


@portal_page()
def tps(request: HttpRequest, tps_code: str) -> HttpResponse:
    if not (len(tps_code) == 13 and _under_installation(tps_code)):
        raise Http404
    station = Tps.objects.with_kpu_code(tps_code).select_related("kelurahan").first()
    if station is None:
        raise Http404
    kpu = {
        row.contest_id: row
        for row in SirekapTps.objects.filter(tps=station, is_current=True).only(
            "contest_id", "suara", "administrasi", "published_at", "images", "tps_id"
        )
    }
    ballots = tps_ballots(station)
    for ballot in ballots:
        ballot.kpu = kpu.get(ballot.contest.code)
        for line in ballot.lines if ballot.kpu else []:
            line.kpu = ballot.kpu.suara.get(line.key)
    seq, digest = head()
    context = {
        "tps": station,
        "ballots": ballots,
        "has_kpu": bool(kpu),
        "crumbs": [*_crumbs(station.kelurahan), station.kelurahan],
        "audit_seq": seq,
        "audit_head": digest,
        "generated": timezone.now(),
    }
    return render(request, "portal/tps.html", context)


@public
def photo(request: HttpRequest, sha256: str) -> HttpResponseBase:
    """A form photo, only while it belongs to the current, verified version of a sheet. The
    stored copy is Pillow's re-encoding: no EXIF, so no GPS position (core.photos)."""
    if not portal_enabled():
        raise Http404
    found = public_photo(sha256)
    if found is None:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / (found.public_file or found.file)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = f"public, max-age={PHOTO_SECONDS}"
    return response


@portal_page()
def data_index(request: HttpRequest) -> HttpResponse:
    area = _region(_installation_code())
    kecamatan = list(area.children.all())
    seq, digest = head()
    context = {
        "region": area,
        "kecamatan": kecamatan,
        "contests": sorted_contests(area.code),
        "audit_seq": seq,
        "audit_head": digest,
    }
    return render(request, "portal/data.html", context)


def _csv(name: str, header: list[str], rows: list[list[object]], title: str) -> HttpResponse:
    seq, digest = head()
    now = timezone.localtime()
    preamble = (
        f"# Desk Pemilu Kota Mataram, data terbuka: {title}; kepala rantai audit "
        f"{head_text(seq, digest)}; {now.isoformat(timespec='seconds')}"
    )
    data = csv_bytes([header, *rows], preamble=preamble)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Audit-Head"] = head_text(seq, digest)
    return response


@portal_page()
def region_csv(request: HttpRequest, contest: str, code: str) -> HttpResponse:
    info = contest_info(contest)
    if info is None:
        raise Http404
    area = _region(code)
    header, rows = region_table(area, info)
    title = f"rekap {info.short_name} {area.name} per wilayah"
    return _csv(f"rekap-{info.code}-{area.code}.csv", header, rows, title)


@portal_page()
def tps_csv(request: HttpRequest, contest: str, code: str) -> HttpResponse:
    info = contest_info(contest)
    if info is None:
        raise Http404
    area = _region(code)
    header, rows = tps_table(area, info)
    title = f"hasil {info.short_name} per TPS, {area.name}"
    return _csv(f"hasil-tps-{info.code}-{area.code}.csv", header, rows, title)


@portal_page("kontes")
def kpu_home(request: HttpRequest) -> HttpResponse:
    return _kpu_page(request, _region(_installation_code()))


@portal_page("kontes")
def kpu_region(request: HttpRequest, code: str) -> HttpResponse:
    return _kpu_page(request, _region(code))


def _kpu_page(request: HttpRequest, area: Region) -> HttpResponse:
    contest = _contest(request)
    check = region_check(area, contest.code, contest_labels(contest, area.code))

    def href(child: str) -> str:
        return (
            reverse("portal_kpu_region", args=[child]) + "?" + urlencode({"kontes": contest.code})
        )

    context = crosscheck_context(check, contest, href, _crumbs(area))
    seq, digest = head()
    context.update(
        {
            "desk": False,
            "csv_url": reverse("portal_kpu_csv", args=[area.code])
            + "?"
            + urlencode({"kontes": contest.code}),
            "tps_prefix": "/publik/tps/",
            "audit_seq": seq,
            "audit_head": digest,
        }
    )
    return render(request, "portal/kpu_public.html", context)


@portal_page("kontes")
def kpu_csv(request: HttpRequest, code: str) -> HttpResponse:
    contest = _contest(request)
    area = _region(code)
    check = region_check(area, contest.code, contest_labels(contest, area.code))
    seq, digest = head()
    body = differences_csv(check, (seq, digest), timezone.localtime())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="selisih-kpu-{contest.code}-{area.code}.csv"'
    )
    response["X-Audit-Head"] = head_text(seq, digest)
    return response
