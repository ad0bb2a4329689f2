from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from deskpemilu.accounts.access import home_region_code
from deskpemilu.audit.services import head
from deskpemilu.core.rules import public, signed_in
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
    return render(request, "core/home.html", context)


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    # Django's own set_language, kept small and marked public; the cookie holds the choice.
    lang = request.POST.get("language", "id")
    nxt = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        nxt = "/"
    response = redirect(nxt)
    if check_for_language(lang):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


def _error(request: HttpRequest, status: int, title: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"errors": [{"code": f"http_{status}", "field": "", "message": title}]}, status=status
        )
    return render(request, "core/error.html", {"status": status, "title": title}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, "Permintaan tidak valid")


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, "Anda tidak berhak membuka halaman ini")


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, "Halaman tidak ditemukan")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "Terjadi kesalahan pada server")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, 403, "Sesi formulir kedaluwarsa; muat ulang halaman lalu coba lagi")
