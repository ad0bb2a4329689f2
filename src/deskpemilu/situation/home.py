"""`/`: the desk and the leaders land in the situation room, everyone else on a home page with the
pages of their role."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from deskpemilu.accounts.access import home_region_code
from deskpemilu.audit.services import head
from deskpemilu.core.rules import signed_in
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region
from deskpemilu.situation.selectors import DESK_ROLES
from deskpemilu.situation.tasks import day_tasks
from deskpemilu.situation.views import situation_page


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    # The desk and the leaders land in the situation room; everyone else on their own home,
    # with the pages of their role.
    if getattr(request.user, "role", "") in DESK_ROLES:
        try:
            return situation_page(request)
        except Http404:
            if _installation_loaded():
                raise
            # DESKPEMILU_REGION names a region nobody loaded: say what to do, not "not found".
            missing = {"code": installation.code()}
            return render(request, "situation/region_missing.html", missing, status=503)
    code = home_region_code(request.user, settings.DESKPEMILU_INSTALLATION_REGION)  # type: ignore[arg-type]
    seq, head_hash = head()
    region = Region.objects.filter(code=code).first()
    scope = Region.objects.filter(code=request.user.scope).first() if request.user.scope else None  # type: ignore[union-attr]
    context = {
        "home_code": code,
        # "wilayah tugas Kelurahan Ampenan Selatan", the code beside it in small print.
        "scope_region": scope,
        "tasks": day_tasks(request.user, region),  # type: ignore[arg-type]
        "audit_seq": seq,
        "audit_head": head_hash,
        "kecamatan_code": code[:6] if len(code) >= 6 else "",
    }
    return render(request, "situation/home.html", context)


def _installation_loaded() -> bool:
    code = installation.code()
    regions = (
        Region.objects.all() if installation.is_nation(code) else Region.objects.filter(code=code)
    )
    return regions.exists()
