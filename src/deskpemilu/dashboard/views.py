"""Recap pages under /rekap/: totals per contest and region with live updates, seat
projections, the anomaly list, exports and the printable D.Hasil. Views only check access, read
parameters and call selectors or services."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from deskpemilu.accounts.access import (
    get_region_for,
    get_tps_for,
    home_region_code,
    regions_for,
    tps_for,
)
from deskpemilu.accounts.models import User
from deskpemilu.core.heads import head_text
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.dashboard import services
from deskpemilu.dashboard.anomalies import (
    FilterError,
    Filters,
    anomaly_row,
    flag_rules,
    flagged_sheets,
)
from deskpemilu.dashboard.charts import Bar, bar_chart
from deskpemilu.dashboard.compare import comparison, is_earlier, previous_contest
from deskpemilu.dashboard.dhasil import dhasil
from deskpemilu.dashboard.exports import recap_table, tps_table
from deskpemilu.dashboard.maps import recap_map
from deskpemilu.dashboard.seats import (
    INSTALLATION,
    NATIONAL,
    NO_THRESHOLD,
    THRESHOLD_MODES,
    Threshold,
    national_threshold,
    projections,
    seat_totals,
    threshold_percent,
)
from deskpemilu.dashboard.selectors import (
    KELURAHAN_LEVELS,
    PARTY,
    Line,
    RecapPage,
    live_etag,
    parties,
    recap_page,
    sheet_path,
)
from deskpemilu.regions.models import Level, Region
from deskpemilu.regions.selectors import region_ancestors
from deskpemilu.results.contests import ContestInfo, contest_info, contests, covers
from deskpemilu.results.selectors import sees_provisional

# Who reads the anomaly list: the desk and the heads of area; it names the staff who entered.
ANOMALY_ROLES = ("admin", "camat", "lurah", "operator", "verifier", "viewer")
ANOMALIES_PER_PAGE = 50
VERIFIED = "terverifikasi"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _contest(code: str) -> ContestInfo:
    info = contest_info(code)
    if info is None:
        raise Http404
    return info


def _home(user: User) -> str:
    return home_region_code(user, settings.DESKPEMILU_INSTALLATION_REGION)


def _verified_only(request: HttpRequest) -> bool:
    return request.GET.get("data") == VERIFIED


def _sorted_contests(region_code: str = "") -> list[ContestInfo]:
    """Every election's contests cast in the region (default: all), in ballot order."""
    found = [c for c in contests().values() if covers(c, region_code)]
    return sorted(found, key=lambda c: (c.order, c.code))


def _heading(region: Region) -> str:
    level = region.get_level_display()
    if region.name.lower().startswith(str(level).lower()):
        return region.name
    return f"{level} {region.name}"


@signed_in
@require_GET
def recap_home(request: HttpRequest) -> HttpResponse:
    """Choose a contest; the recap opens at the reader's home region."""
    code = _home(_user(request))
    wanted = request.GET.get("kontes", "")
    if wanted:
        return redirect("recap", _contest(wanted).code, code)
    context = {"contests": _sorted_contests(code), "home_code": code}
    return render(request, "dashboard/home.html", context)


def _variant(request: HttpRequest) -> str:
    return f"{get_language()}|{_user(request).pk}"


def _bars(page: RecapPage) -> list[Bar]:
    def label(line: Line) -> str:
        return line.short if page.is_party else f"{line.key}. {line.label}"

    return [
        Bar(label(line), line.votes, line.percent, line.verified_percent, line.label)
        for line in page.lines
    ]


def _live_context(request: HttpRequest, page: RecapPage) -> dict[str, Any]:
    caption = _("Perolehan suara %(contest)s di %(region)s (persen suara sah)") % {
        "contest": page.contest.short_name,
        "region": page.region.name,
    }
    return {
        "page": page,
        "chart": bar_chart(_bars(page), caption=caption),
        "map": recap_map(page.region, page.contest, _user(request), page.children),
    }


@signed_in
@require_GET
def recap(request: HttpRequest, contest: str, region_code: str) -> HttpResponse:
    user = _user(request)
    info = _contest(contest)
    if len(region_code) == 13:  # a TPS: its sheet is the results app's page
        return redirect(sheet_path(info.code, get_tps_for(user, region_code).code))
    region = get_region_for(user, region_code)
    page = recap_page(region, info, _user(request))
    context = {
        **_live_context(request, page),
        "etag": live_etag(region, info, _user(request), variant=_variant(request)),
        "heading": _heading(region),
        "crumbs": region_ancestors(region.code, top=_home(user)),
        "contests": _sorted_contests(region.code),
        "child_label": _child_label(region),
        "is_kelurahan": region.level in KELURAHAN_LEVELS,
    }
    return render(request, "dashboard/recap.html", context)


def _child_label(region: Region) -> str:
    if region.level in KELURAHAN_LEVELS:
        return "TPS"
    if region.level == Level.KECAMATAN:
        return _("Kelurahan")
    if region.level in (Level.KOTA, Level.KABUPATEN):
        return _("Kecamatan")
    return _("Wilayah")


@signed_in
@require_GET
def recap_fragment(request: HttpRequest, contest: str, region_code: str) -> HttpResponse:
    """The numbers block of the recap page, for live polling: 304 while nothing changed."""
    info = _contest(contest)
    region = get_region_for(_user(request), region_code)
    etag = live_etag(region, info, _user(request), variant=_variant(request))
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        page = recap_page(region, info, _user(request))
        context = {**_live_context(request, page), "child_label": _child_label(region)}
        response = render(request, "dashboard/_live.html", context)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _national(request: HttpRequest, party_keys: list[str]) -> tuple[dict[str, int], list[str]]:
    votes: dict[str, int] = {}
    errors: list[str] = []
    for key in party_keys:
        raw = request.GET.get(f"nasional_{key}", "").strip().replace(".", "")
        if not raw:
            continue
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
            errors.append(key)
            continue
        votes[key] = int(raw)
    return votes, errors


@signed_in
@require_GET
def seats(request: HttpRequest, contest: str, region_code: str) -> HttpResponse:
    info = _contest(contest)
    if info.kind != PARTY:
        raise Http404
    region = get_region_for(_user(request), region_code)
    percent = threshold_percent(info.code)
    mode = request.GET.get("ambang", NO_THRESHOLD)
    if mode not in THRESHOLD_MODES or not percent:
        mode = NO_THRESHOLD
    party_rows = parties()
    national, bad = _national(request, list(party_rows))
    problem = ""
    threshold = Threshold(mode, percent)
    if mode == NATIONAL:
        if bad or not any(national.values()):
            problem = _("Isi suara sah nasional partai (bilangan bulat) untuk memakai ambang.")
            threshold = Threshold(NO_THRESHOLD, percent)
        else:
            threshold = national_threshold(
                {k: national.get(k, 0) for k in party_rows}, Fraction(percent)
            )
    verified_only = _verified_only(request) or not sees_provisional(_user(request), info)
    result, threshold = projections(info, region, verified_only=verified_only, threshold=threshold)
    context = {
        "contest": info,
        "region": region,
        "heading": _heading(region),
        "crumbs": region_ancestors(region.code, top=_home(_user(request))),
        "projections": result,
        "seat_totals": seat_totals(result) if len(result) > 1 else [],
        "seats_total": sum(p.seats for p in result),
        "threshold": threshold,
        "threshold_percent": percent,
        "modes": {"none": NO_THRESHOLD, "installation": INSTALLATION, "national": NATIONAL},
        "national_inputs": [(k, p, national.get(k, "")) for k, p in party_rows.items()],
        "problem": problem,
        "verified_only": verified_only,
        "contests": [c for c in _sorted_contests() if c.kind == PARTY],
    }
    return render(request, "dashboard/seats.html", context)


def _file(export: services.ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Audit-Head"] = head_text(export.audit_seq, export.audit_head)
    return response


def _format(fmt: str) -> services.ExportFormat:
    if fmt not in services.EXPORT_FORMATS:
        raise Http404
    return cast(services.ExportFormat, fmt)


@signed_in
@require_GET
def recap_export(request: HttpRequest, contest: str, region_code: str, fmt: str) -> HttpResponse:
    user = _user(request)
    info = _contest(contest)
    region = get_region_for(user, region_code)
    verified_only = _verified_only(request)
    table = recap_table(recap_page(region, info, _user(request)), verified_only=verified_only)
    kind = "rekap-terverifikasi" if verified_only else "rekap"
    export = services.recap_export(
        actor=user,
        table=table,
        kind=kind,
        contest=info.code,
        region=region.code,
        fmt=_format(fmt),
        filename=f"{kind}-{info.code}-{region.code}",
    )
    return _file(export)


@signed_in
@require_GET
def tps_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = _user(request)
    code = request.GET.get("contest", "")
    if not code:
        raise BadRequest("contest")
    info = _contest(code)
    region = get_region_for(user, request.GET.get("region") or _home(user))
    export = services.recap_export(
        actor=user,
        table=tps_table(region, info, tps_for(user, election=info.election), user),
        kind="tps",
        contest=info.code,
        region=region.code,
        fmt=_format(fmt),
        filename=f"hasil-tps-{info.code}-{region.code}",
    )
    return _file(export)


@signed_in
@require_GET
def dhasil_page(request: HttpRequest, contest: str, region_code: str) -> HttpResponse:
    user = _user(request)
    info = _contest(contest)
    region = get_region_for(user, region_code)
    verified_only = _verified_only(request) or not sees_provisional(user, info)
    data = dhasil(region, info, verified_only=verified_only)
    seq, digest = services.print_recorded(
        actor=user,
        contest=info.code,
        region=region.code,
        kind="dhasil-terverifikasi" if verified_only else "dhasil",
    )
    ancestors = region_ancestors(region.code, top="")
    context = {
        "d": data,
        "heading": _heading(region),
        "ancestors": ancestors,
        "audit_seq": seq,
        "audit_head": digest,
        "verified_only": verified_only,
    }
    return render(request, "dashboard/dhasil.html", context)


def _filters(request: HttpRequest, user: User) -> Filters:
    contest = request.GET.get("contest", "")
    if contest and contest_info(contest) is None:
        raise BadRequest("contest")
    kecamatan = None
    if request.GET.get("kecamatan"):
        kecamatan = get_region_for(user, request.GET["kecamatan"])
        if kecamatan.level != Level.KECAMATAN:
            raise BadRequest("kecamatan")
    return Filters(contest, kecamatan, request.GET.get("rule", ""))


@roles(*ANOMALY_ROLES)
@require_GET
def anomalies(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = _filters(request, user)
    try:
        qs = flagged_sheets(user, filters)
    except FilterError:
        raise BadRequest("rule") from None
    paginator = Paginator(qs, ANOMALIES_PER_PAGE)
    page = paginator.get_page(request.GET.get("halaman"))
    language = get_language() or "id"
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {
        "rows": [anomaly_row(s, language) for s in page.object_list],
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "contests": _sorted_contests(),
        "kecamatan": list(
            regions_for(user).filter(level=Level.KECAMATAN).only("code", "name", "level")
        ),
        "rules": flag_rules(),
        "english": language.startswith("en"),
    }
    return render(request, "dashboard/anomalies.html", context)


@signed_in
@require_GET
def recap_compare(request: HttpRequest, contest: str, region_code: str) -> HttpResponse:
    """The area and its children in this contest beside a contest of an earlier election."""
    user = _user(request)
    info = _contest(contest)
    region = get_region_for(user, region_code[:10])
    banding = request.GET.get("banding", "")
    previous = contest_info(banding) if banding else previous_contest(info)
    if previous is None or not is_earlier(info, previous):
        raise Http404
    context = {
        "data": comparison(user, region, info, previous),
        "info": info,
        "region": region,
        "heading": _heading(region),
        "child_label": _child_label(region),
    }
    return render(request, "dashboard/compare.html", context)
