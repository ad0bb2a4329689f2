from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from deskpemilu.core.errors import OutsideArea, Refusal
from deskpemilu.core.rules import public


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def remember_language(response: HttpResponse, lang: str) -> None:
    """The language cookie, as Django's set_language writes it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax"
    )


def _error(request: HttpRequest, status: int, title: str, detail: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"errors": [{"code": f"http_{status}", "field": "", "message": title}]}, status=status
        )
    context = {"status": status, "title": title, "detail": detail}
    return render(request, "core/error.html", context, status=status)


# What a page says for a service's refusal that no view turned into a form error.
REFUSAL_TITLES = {
    400: _("Permintaan tidak valid"),
    403: _("Anda tidak berhak melakukan ini"),
    404: _("Tidak ditemukan"),
    409: _("Data sudah berubah; muat ulang halaman lalu coba lagi"),
    413: _("Berkas terlalu besar"),
    422: _("Isian tidak valid"),
}


def refusal(request: HttpRequest, exc: Refusal) -> HttpResponse:
    """The one page answer to a `Refusal`: its status, an Indonesian title, the message."""
    title = REFUSAL_TITLES.get(exc.status, _("Permintaan ditolak"))
    return _error(request, exc.status, str(title), exc.message)


def outside_area(request: HttpRequest, exc: OutsideArea) -> HttpResponse:
    """Not "page not found": the page lies outside the account's area, which says what to do."""
    if exc.area:
        detail: Any = _(
            "Halaman ini berada di luar wilayah tugas akun Anda (%(area)s). Bila Anda perlu "
            "membukanya, hubungi admin Desk Pemilu."
        ) % {"area": exc.area}
    else:
        detail = _(
            "Halaman ini berada di luar wilayah tugas akun Anda. Bila Anda perlu membukanya, "
            "hubungi admin Desk Pemilu."
        )
    return _error(request, 403, str(_("Di luar wilayah tugas Anda")), str(detail))


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
