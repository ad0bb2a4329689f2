"""/api/v1/anomalies: the flagged sheets inside the caller's scope. Thin: parse, check access,
read through the selectors, answer."""

from __future__ import annotations

import math
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router

from deskpemilu.accounts.access import get_region_for
from deskpemilu.accounts.models import User
from deskpemilu.core.errors import ApiError
from deskpemilu.core.rules import api_rule
from deskpemilu.dashboard.anomalies import FilterError, Filters, anomaly_row, flagged_sheets
from deskpemilu.dashboard.compare import comparison, is_earlier, previous_contest
from deskpemilu.dashboard.schemas import COMPARE_DESCRIPTION, AnomalyPage, CompareOut
from deskpemilu.regions.models import Level
from deskpemilu.results.contests import contest_info

router = Router(tags=["dashboard"])

ANOMALY_ROLES = {"admin", "camat", "lurah", "operator", "verifier", "viewer"}
PER_PAGE = 50
MAX_PER_PAGE = 200


def _filters(user: User, contest: str, kecamatan: str, rule: str) -> Filters:
    if contest and contest_info(contest) is None:
        raise ApiError(422, "kontes_tidak_dikenal", "Unknown contest", field="contest")
    region = None
    if kecamatan:
        region = get_region_for(user, kecamatan)  # 404 outside the caller's scope
        if region.level != Level.KECAMATAN:
            raise ApiError(422, "bukan_kecamatan", "Not a kecamatan code", field="kecamatan")
    return Filters(contest, region, rule)


@router.get(
    "/anomalies",
    response=AnomalyPage,
    summary="Flagged sheets: every sheet whose current version carries flags, newest first",
    description=(
        "Inside the caller's scope. Filters: `contest` (code), `kecamatan` (undotted code), "
        "`rule` (a flag code such as `dpt_beda_data_induk`). Each item names the rule with its "
        "message, the TPS, kelurahan, author and time, and links to the sheet page and its "
        "first photo. The flags are the sheet's current ones (re-judged when a neighbouring TPS "
        "or another ballot of the same TPS changes). A flag repeats a number, so a caller who "
        "may type blind re-entries of a contest (a verifier or an admin, in `blind` mode) is "
        "not listed that contest's pending sheets, except those they entered themselves."
    ),
)
@api_rule("scoped:admin,camat,lurah,operator,verifier,viewer")
def anomalies(
    request: HttpRequest,
    contest: str = "",
    kecamatan: str = "",
    rule: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> dict[str, Any]:
    user = cast(User, request.user)
    if user.role not in ANOMALY_ROLES:
        raise PermissionDenied
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiError(422, "halaman_tidak_valid", "page ≥ 1, 1 ≤ per_page ≤ 200", field="page")
    try:
        qs = flagged_sheets(user, _filters(user, contest, kecamatan, rule))
    except FilterError as exc:
        raise ApiError(422, exc.code, "Unknown flag rule", field=exc.field) from exc
    paginator = Paginator(qs, per_page)
    count = paginator.count
    pages = max(1, math.ceil(count / per_page))
    items = list(paginator.page(page).object_list) if count and page <= pages else []
    language = get_language() or "id"
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "items": [anomaly_row(s, language).as_json() for s in items],
    }


@router.get(
    "/recap/{contest}/{region_code}/compare",
    response=CompareOut,
    summary="A contest's turnout and results per area beside an earlier election's",
    description=COMPARE_DESCRIPTION,
)
@api_rule("scoped")
def recap_compare(
    request: HttpRequest, contest: str, region_code: str, banding: str = ""
) -> dict[str, Any]:
    user = cast(User, request.user)
    info = contest_info(contest)
    if info is None:
        raise ApiError(404, "not_found", "Unknown contest")
    region = get_region_for(user, region_code)
    previous = contest_info(banding) if banding else previous_contest(info)
    if previous is None or not is_earlier(info, previous):
        raise ApiError(
            422, "tidak_ada_pembanding", "No contest of an earlier election", field="banding"
        )
    return comparison(user, region, info, previous)
