"""/api/v1/situation: the situation room's numbers as JSON (the same dict the page, the TV mode
and the daily report are drawn from)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from deskpemilu.accounts.access import get_region_for
from deskpemilu.accounts.models import User
from deskpemilu.core.rules import api_rule
from deskpemilu.situation.selectors import DESK_ROLES, situation_summary

router = Router(tags=["situation"])


@router.get(
    "/situation/summary",
    response=dict[str, Any],
    summary="The situation room: results progress, readiness, incidents, health, requests",
    description=(
        "For the desk (admin, verifier) and leaders (viewer), over the whole installation: "
        "per contest the TPS reported, verified and held (`tps_held`: stored with "
        "`konfirmasi_tidak_konsisten` and not verified, or returned to the operator; out of "
        "every total) with valid votes (provisional beside verified; `verified_only: true` for "
        "a caller who may type blind re-entries of the contest, who gets verified figures in "
        "both), the PPWP totals (`percent`: largest-remainder shares of the votes counted, "
        "summing to 100), TPS readiness per kecamatan, open incidents by severity and "
        "age (`lt1`, `1-6`, `6-24`, `gt24` hours), health incidents, open facilitation requests "
        "(incidents, health cases and requests of the active election), "
        "the time of the last change and the audit head."
    ),
)
@api_rule("roles:admin,verifier,viewer")
def summary(request: HttpRequest) -> dict[str, Any]:
    user = cast(User, request.user)
    if user.role not in DESK_ROLES:
        raise PermissionDenied
    region = get_region_for(user, settings.DESKPEMILU_INSTALLATION_REGION)
    data = situation_summary(user, region)
    data["incidents"].pop("open_by_area", None)
    return data
