"""Results pages: where each TPS stands (/hasil/) and the TPS picker. The other pages are
split by concern: entry_views (entering a sheet), sheet_views (a sheet's page, its photos, sending
it back), verify_views (verification and its queue), supervisor_views (held sheets, mismatches),
contest_views (each contest's verification mode); pages.py holds what they share.

Thin, like the API beside them: check access (a rule decorator, then `accounts.access`), turn
the posted form into the API's sheet body, call the same service (`results.submission`,
`results.verification`, `results.returns`), render. Every check of the numbers is the one rule
set of `tally`, reached through the service.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from deskpemilu.accounts.access import get_region_for, get_tps_for, home_region_code, regions_for
from deskpemilu.accounts.models import User
from deskpemilu.core.rules import signed_in
from deskpemilu.elections.models import Election
from deskpemilu.elections.selectors import election_or_active
from deskpemilu.regions import installation
from deskpemilu.regions.models import Level, Region, Tps
from deskpemilu.results import listings
from deskpemilu.results.contests import contest_info
from deskpemilu.results.models import SheetStatus
from deskpemilu.results.pages import sheet_url, user_of

KELURAHAN_LEVELS = {Level.KELURAHAN, Level.DESA}


# --- /hasil/: where each TPS stands, and a picker ------------------------------------------


@signed_in
def results_home(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    code = request.GET.get("wilayah", "") or home_region_code(
        user, settings.DESKPEMILU_INSTALLATION_REGION
    )
    region = get_region_for(user, code[:10])
    # Another election than the active one is browsed read-only: its cells open the sheet.
    election = election_or_active(request.GET.get("pemilihan", ""))
    context: dict[str, Any] = {
        "region": region,
        "heading": _heading(region),
        "crumbs": _crumbs(user, region),
        "kelurahan_options": list(
            regions_for(user).filter(level__in=KELURAHAN_LEVELS).order_by("name")
        ),
        "contests": listings.all_contests(election.code),
        "election": election,
        "elections": Election.objects.order_by("-voting_day"),
        "can_enter": listings.can_enter(user) and election.active,
        "can_verify": listings.can_verify(user),
        "returned_to_me": listings.returned_to(user) if listings.can_enter(user) else [],
    }
    context["is_kelurahan"] = region.level in KELURAHAN_LEVELS
    if context["is_kelurahan"]:
        context.update(_kelurahan_grid(user, region, election))
    else:
        context.update(_children_progress(region, election))
    return render(request, "results/home.html", context)


def _heading(region: Region) -> str:
    # The data names the kota "Kota Mataram" but a kecamatan just "Ampenan".
    level = str(region.get_level_display())
    if region.name.lower().startswith(level.lower()):
        return region.name
    return f"{level} {region.name}"


def _crumbs(user: User, region: Region) -> list[Region]:
    """The region's ancestors the account may open, top first."""
    codes = [region.code[:n] for n in (2, 4, 6) if n < len(region.code)]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found and user.in_scope(c)]


def _kelurahan_grid(user: User, kelurahan: Region, election: Election) -> dict[str, Any]:
    # The TPS of the election shown: each election has its own (README, "TPS per election").
    tps_list = list(Tps.every.filter(kelurahan=kelurahan, election=election).order_by("number"))
    statuses = listings.tps_statuses(kelurahan)
    shown = listings.contests_for(kelurahan.code + "000", election.code)
    entering = listings.can_enter(user) and election.active
    rows = []
    for tps in tps_list:
        if not user.in_scope(tps.code):
            continue
        cells = []
        for info in shown:
            status = statuses.get((tps.code, info.code), listings.NOT_ENTERED)
            typing = entering and status in (
                listings.NOT_ENTERED,
                SheetStatus.ENTERED,
                SheetStatus.RETURNED,
            )
            page = "sheet_entry" if typing else "sheet_detail"
            cells.append({"contest": info, "status": status, "url": sheet_url(page, info, tps)})
        rows.append({"tps": tps, "cells": cells})
    return {"tps_rows": rows, "shown_contests": shown}


def _children_progress(region: Region, election: Election) -> dict[str, Any]:
    children = list(installation.children_of(region).order_by("code"))
    length = len(children[0].code) if children else len(region.code)
    progress = listings.child_progress(region, length)
    shown = listings.all_contests(election.code)
    rows = [
        {
            "region": child,
            "cells": [
                {"contest": info, "progress": progress.get((child.code, info.code))}
                for info in shown
            ],
        }
        for child in children
    ]
    return {"child_rows": rows, "shown_contests": shown}


@signed_in
def tps_pick(request: HttpRequest) -> HttpResponse:
    """Go to a TPS's sheet by its code (dotted or not) or by kelurahan + number."""
    user = user_of(request)
    code = re.sub(r"\D", "", request.GET.get("tps", ""))[:13]
    kelurahan = request.GET.get("kelurahan", "")
    number = request.GET.get("nomor", "").strip()
    if (
        not code
        and kelurahan.isdigit()
        and number.isascii()
        and number.isdigit()
        and len(number) <= 3
    ):
        code = f"{kelurahan}{int(number):03d}"
    try:
        tps = get_tps_for(user, code)
    except Http404:
        messages.error(request, _("TPS %(code)s tidak ditemukan di wilayah Anda.") % {"code": code})
        return redirect("results_home")
    choices = listings.contests_for(tps.code)
    info = contest_info(request.GET.get("kontes", "")) or (choices[0] if choices else None)
    if info is None:
        raise Http404
    page = "sheet_entry" if listings.can_enter(user) else "sheet_detail"
    return redirect(page, info.code, tps.code)
