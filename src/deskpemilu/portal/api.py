"""/api/v1/kpu/crosscheck: the desk's verified numbers beside KPU Sirekap's, per region."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from deskpemilu.accounts.access import get_region_for
from deskpemilu.accounts.models import User
from deskpemilu.core.errors import ApiError
from deskpemilu.core.rules import api_rule
from deskpemilu.portal.crosscheck import region_check
from deskpemilu.portal.desk_views import KPU_READERS, contest_labels
from deskpemilu.results.contests import contest_info

router = Router(tags=["portal"])


@router.get(
    "/kpu/crosscheck",
    response=dict[str, Any],
    summary="Cross-check with KPU Sirekap: per region and TPS, where the numbers differ",
    description=(
        "`region` (default: the installation), `contest` (default `ppwp`). Counts of TPS "
        "`cocok` (equal), `berbeda` (different), `tidak_di_kpu` (verified at the desk, not "
        "published by KPU), `tidak_di_desk` (published by KPU, not verified at the desk), per "
        "child region; every TPS that is not `cocok` with its differences (`selisih` = KPU − "
        "desk); and the sums per choice over the TPS both sides have. Sirekap's PPWP chart ids "
        "are read as 100025 → 1, 100026 → 2, 100027 → 3."
    ),
)
@api_rule("roles:admin,viewer")
def crosscheck(request: HttpRequest, region: str = "", contest: str = "ppwp") -> dict[str, Any]:
    user = cast(User, request.user)
    if user.role not in KPU_READERS:
        raise PermissionDenied
    info = contest_info(contest)
    if info is None:
        raise ApiError(422, "kontes_tidak_dikenal", "Unknown contest", field="contest")
    area = get_region_for(user, region or settings.DESKPEMILU_INSTALLATION_REGION)
    return region_check(area, info.code, contest_labels(info, area.code)).as_dict()
