"""The situation room (/situasi/, and `/` for the desk), its TV mode, and the reports under
/laporan/. Views check access, read parameters and call selectors or services."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from deskpemilu.accounts.access import get_region_for, is_code
from deskpemilu.accounts.models import User
from deskpemilu.core.heads import head_text
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.dashboard.charts import Bar, bar_chart
from deskpemilu.incidents import selectors as incidents_selectors
from deskpemilu.incidents.access import incidents_for
from deskpemilu.incidents.models import OPEN_STATUSES
from deskpemilu.regions import installation
from deskpemilu.regions.models import Level, Region
from deskpemilu.results.contests import contest_info
from deskpemilu.results.models import RollupKind
from deskpemilu.results.selectors import reader_kind
from deskpemilu.situation import fragments, maps, services
from deskpemilu.situation.reports.daily import daily_report_data, daily_report_pdf
from deskpemilu.situation.reports.recap import kecamatan_recap_data, kecamatan_recap_pdf
from deskpemilu.situation.reports.workbook import situation_workbook
from deskpemilu.situation.selectors import (
    AGES,
    DESK_ROLES,
    SEVERITIES,
    situation_summary,
)
from deskpemilu.stages.selectors import stages_today
from deskpemilu.team.selectors import current_shifts, on_duty_now, open_action_items

TV_SECONDS = 15
TV_REFRESH_SECONDS = 20
LIVE_SECONDS = 10
# The live blocks, each drawn once per data version and reader variant (situation.fragments).
ROOM = "room"
TV = "tv"
LIVE_TEMPLATES = {ROOM: "situation/_live.html", TV: "situation/_tv_views.html"}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _area_code(request: HttpRequest) -> str:
    """The code of the region shown: the installation's (DESKPEMILU_REGION, "0" for the
    nation), or `?wilayah=` inside it, so a national desk looks at a province or a kab/kota
    the same way. Checked without a query: a warm poll costs none (see _fragment)."""
    code = request.GET.get("wilayah", "") or installation.code()
    if code != installation.NATION and not is_code(code[:10]):
        raise Http404
    return code[:10]


def _region(request: HttpRequest) -> Region:
    return get_region_for(_user(request), _area_code(request))


def _area_query(code: str) -> str:
    """The `?wilayah=` that keeps the live blocks and links on the region shown."""
    return "" if code == installation.code() else urlencode({"wilayah": code})


def _measure(request: HttpRequest) -> str:
    measure = request.GET.get("peta", maps.DEFAULT_MEASURE)
    return measure if measure in maps.MEASURES else maps.DEFAULT_MEASURE


def _link(user: User) -> Any:
    # One reverse() for the whole map: a province's map links thousands of desa.
    template = reverse("region", args=["0"])

    def link(code: str) -> str | None:
        return template.replace("/0/", f"/{code}/") if user.in_scope(code) else None

    return link


def _ppwp_chart(summary: dict[str, Any]) -> Any:
    ppwp = summary["ppwp"]
    if not ppwp:
        return ""
    bars = [
        Bar(f"{ln['key']}. {ln['label']}", ln["votes"], ln["percent"], ln["verified_percent"])
        for ln in ppwp["lines"]
    ]
    return bar_chart(bars, caption="Perolehan suara PPWP (persen suara sah)")


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _ppwp_kind(user: User, kinds: dict[str, str]) -> str:
    """The PPWP figures `user` may read (the turnout map repeats them)."""
    if maps.TURNOUT_CONTEST in kinds:
        return kinds[maps.TURNOUT_CONTEST]
    info = contest_info(maps.TURNOUT_CONTEST)
    return reader_kind(user, info) if info is not None else RollupKind.VERIFIED


def _context(request: HttpRequest, measure: str, kinds: dict[str, str]) -> dict[str, Any]:
    user = _user(request)
    region = _region(request)
    now = timezone.now()
    summary = situation_summary(user, region, now, kinds=kinds)
    open_by_area = summary["incidents"]["open_by_area"]
    return {
        "s": summary,
        "region": region,
        "now": now,
        "last_change": _when(summary["last_change"]),
        "measure": measure,
        "measures": maps.MEASURES,
        "map": maps.measure_map(
            region,
            measure,
            link=_link(user),
            open_by_area=open_by_area,
            kind=_ppwp_kind(user, kinds),
        ),
        "chart": _ppwp_chart(summary),
        "ages": AGES,
        "age_rows": [
            (
                sev,
                summary["incidents"]["by_severity"][sev],
                [summary["incidents"]["by_age"][sev][key] for key, _l, _b in AGES],
            )
            for sev in SEVERITIES
        ],
        "on_duty": on_duty_now(now),
        "shifts_now": current_shifts(now),
        "action_items": list(open_action_items(user)[:5]),
        "stages_today": stages_today(),
        "live_seconds": LIVE_SECONDS,
        "area_query": _area_query(region.code),
    }


def _live(request: HttpRequest, version: fragments.Version, part: str, measure: str) -> SafeString:
    """The live block `part`, drawn once per data version and reader variant: a poll after
    a change draws it for the first screen that asks, and every other screen of the same
    variant reads it from the cache."""
    reader = fragments.reader(_user(request))

    def draw() -> str:
        context = _context(request, measure, reader.kinds)
        # The moment this drawing read the data: the screen shows it until the next window.
        context["drawn_at"] = timezone.now()
        context["redraw_seconds"] = math.ceil(settings.DESKPEMILU_SITUATION_REDRAW_SECONDS)
        if part == TV:
            context.update(_tv_maps(request, context))
        return render_to_string(LIVE_TEMPLATES[part], context, request)

    key = fragments.key(version, reader, part, measure, _area_code(request))
    return mark_safe(fragments.cached_html(key, draw))  # noqa: S308 - our own template's output


def situation_page(request: HttpRequest) -> HttpResponse:
    """The page itself (also what `/` shows the desk; see situation.home)."""
    user = _user(request)
    measure = _measure(request)
    version = fragments.version()
    region = _region(request)
    context = {
        "region": region,
        "area_query": _area_query(region.code),
        # A national or provincial desk steps down to a province or kab/kota from here.
        "areas": list(installation.children_of(region).only("code", "name", "level"))
        if region.level in (installation.NATION_LEVEL, Level.PROVINSI)
        else [],
        "measure": measure,
        "etag": version.etag(user, ROOM, measure),
        "live_seconds": LIVE_SECONDS,
        "live": _live(request, version, ROOM, measure),
    }
    return render(request, "situation/room.html", context)


@roles(*DESK_ROLES)
@require_GET
def room(request: HttpRequest) -> HttpResponse:
    return situation_page(request)


def _fragment(request: HttpRequest, part: str, measure: str) -> HttpResponse:
    """A live block: 304 while the etag holds (one query), else the block (from the cache
    when another screen of the same variant asked for this version already)."""
    user = _user(request)
    version = fragments.version()
    etag = version.etag(user, part, measure)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(_live(request, version, part, measure))
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@roles(*DESK_ROLES)
@require_GET
def room_fragment(request: HttpRequest) -> HttpResponse:
    return _fragment(request, ROOM, _measure(request))


def _seconds(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    return (
        max(3, min(int(raw), 600)) if raw.isascii() and raw.isdigit() and len(raw) < 6 else default
    )


def _tv_maps(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    user, region = _user(request), context["region"]
    areas = context["map"].areas
    open_by_area = context["s"]["incidents"]["open_by_area"]
    return {
        "readiness_map": context["map"]
        if context["measure"] == maps.READINESS
        else maps.measure_map(region, maps.READINESS, link=_link(user), areas=areas),
        "incident_map": maps.measure_map(
            region, maps.INCIDENTS, link=_link(user), open_by_area=open_by_area, areas=areas
        ),
    }


@roles(*DESK_ROLES)
@require_GET
def tv(request: HttpRequest) -> HttpResponse:
    """Full screen for the Posko's big screen: the views in turn, refreshing themselves."""
    user = _user(request)
    version = fragments.version()
    context = {
        "area_query": _area_query(_area_code(request)),
        "etag": version.etag(user, TV, maps.READINESS),
        "live": _live(request, version, TV, maps.READINESS),
        "interval": _seconds(request, "detik", TV_SECONDS),
        "refresh": _seconds(request, "segar", TV_REFRESH_SECONDS),
    }
    return render(request, "situation/tv.html", context)


@roles(*DESK_ROLES)
@require_GET
def tv_fragment(request: HttpRequest) -> HttpResponse:
    return _fragment(request, TV, maps.READINESS)


# --- Reports --------------------------------------------------------------------------------


def _file(result: services.ReportFile, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(result.content, content_type=result.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{result.filename}"'
    response["X-Audit-Head"] = head_text(result.audit_seq, result.audit_head)
    return response


@roles(*DESK_ROLES)
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    kecamatan = list(region.children.filter(level=Level.KECAMATAN).only("code", "name", "level"))
    context = {"region": region, "kecamatan": kecamatan, "area_query": _area_query(region.code)}
    return render(request, "situation/reports.html", context)


@roles(*DESK_ROLES)
@require_GET
def daily_pdf(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    region = _region(request)
    day = timezone.localdate()

    def make(audit: tuple[int, str], now: datetime) -> bytes:
        data = daily_report_data(user, region, now)
        data["audit"] = {"seq": audit[0], "head": audit[1]}
        return daily_report_pdf(data, region)

    result = services.report_export(
        actor=user,
        kind="laporan-harian",
        object_id=f"harian/{region.code}/{day.isoformat()}",
        filename=f"laporan-harian-desk-pemilu-{day.isoformat()}.pdf",
        content_type=services.PDF_TYPE,
        make=make,
    )
    return _file(result, inline=True)


@signed_in
@require_GET
def kecamatan_pdf(request: HttpRequest, kecamatan: str) -> HttpResponse:
    """The recap of a kecamatan: the desk and leaders any, a camat their own (404 elsewhere)."""
    user = _user(request)
    region = get_region_for(user, kecamatan)
    if region.level != Level.KECAMATAN:
        raise Http404
    day = timezone.localdate()

    def make(audit: tuple[int, str], now: datetime) -> bytes:
        return kecamatan_recap_pdf(kecamatan_recap_data(region, user), audit=audit, now=now)

    result = services.report_export(
        actor=user,
        kind="rekap-kecamatan",
        object_id=f"rekap/{region.code}/{day.isoformat()}",
        filename=f"rekap-kecamatan-{region.code}-{day.isoformat()}.pdf",
        content_type=services.PDF_TYPE,
        make=make,
    )
    return _file(result, inline=True)


@roles(*DESK_ROLES)
@require_GET
def situation_xlsx(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    region = _region(request)
    day = timezone.localdate()

    def make(audit: tuple[int, str], now: datetime) -> bytes:
        data = situation_summary(user, region, now)
        data["audit"] = {"seq": audit[0], "head": audit[1]}
        open_incidents = incidents_selectors.board_order(
            incidents_selectors.with_list_relations(
                incidents_for(user).filter(
                    status__in=OPEN_STATUSES,
                    region__code__startswith=installation.prefix(region.code),
                )
            )
        )
        open_requests = incidents_selectors.filtered_requests(
            user,
            incidents_selectors.RequestFilters(
                status="terbuka", region=installation.prefix(region.code)
            ),
        ).order_by("needed_by", "id")
        return situation_workbook(
            data,
            incidents=[incidents_selectors.incident_row(i, now) for i in open_incidents],
            requests=[incidents_selectors.request_row(r, now) for r in open_requests],
        )

    result = services.report_export(
        actor=user,
        kind="situasi-xlsx",
        object_id=f"situasi/{region.code}/{day.isoformat()}",
        filename=f"situasi-desk-pemilu-{day.isoformat()}.xlsx",
        content_type=services.XLSX_TYPE,
        make=make,
    )
    return _file(result)
