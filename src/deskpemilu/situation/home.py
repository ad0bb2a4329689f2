"""`/`: the desk and the leaders land in the situation room, everyone else on a home page with the
pages of their role."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deskpemilu.accounts.access import home_region_code
from deskpemilu.audit.services import head
from deskpemilu.core.rules import signed_in
from deskpemilu.situation.selectors import DESK_ROLES
from deskpemilu.situation.views import situation_page


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    # The desk and the leaders land in the situation room; everyone else on their own home,
    # with the pages of their role.
    if getattr(request.user, "role", "") in DESK_ROLES:
        return situation_page(request)
    code = home_region_code(request.user, settings.DESKPEMILU_INSTALLATION_REGION)  # type: ignore[arg-type]
    seq, head_hash = head()
    context = {
        "home_code": code,
        "audit_seq": seq,
        "audit_head": head_hash,
        "kecamatan_code": code[:6] if len(code) >= 6 else "",
    }
    return render(request, "situation/home.html", context)
