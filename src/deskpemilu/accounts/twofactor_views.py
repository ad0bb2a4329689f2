"""Two-factor pages: enrol an authenticator, give its code after the password, recovery codes,
and the admin's reset of another account's second factor."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from deskpemilu.accounts import twofactor
from deskpemilu.accounts.models import User
from deskpemilu.core.addresses import client_address
from deskpemilu.core.rules import roles, signed_in

TEMPLATE = "accounts/twofactor.html"


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _address(request: HttpRequest) -> str:
    return client_address(request)


def _next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        return "/"
    return nxt


def _verified(request: HttpRequest, device: object) -> None:
    otp_login(request, device)
    # A new session key once fully signed in, as Django does after the password.
    request.session.cycle_key()


@signed_in
@never_cache
def twofactor_page(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    nxt = _next(request)
    context = {"next": nxt, "enforced": settings.DESKPEMILU_2FA_ENFORCED}
    if not twofactor.required_for(me):
        return render(request, TEMPLATE, {**context, "mode": "not_required"})
    if twofactor.totp_device_of(me) is None:
        return _enrol(request, me, context)
    if twofactor.session_verified(me):
        status = twofactor.status_of(me)
        return render(request, TEMPLATE, {**context, "mode": "status", "status": status})
    return _verify(request, me, context)


def _enrol(request: HttpRequest, me: User, context: dict[str, object]) -> HttpResponse:
    key = twofactor.twofactor_pending_key(actor=me)
    error = ""
    if request.method == "POST":
        enrolment = twofactor.twofactor_enrol(
            actor=me, key_hex=key, code=request.POST.get("kode", ""), address=_address(request)
        )
        if enrolment.ok:
            _verified(request, enrolment.device)
            codes = enrolment.recovery_codes
            return render(request, TEMPLATE, {**context, "mode": "codes", "codes": codes})
        error = _("Kode salah. Periksa jam ponsel lalu ketik kode yang sedang tampil.")
    uri = twofactor.otpauth_uri(me, key)
    enrol = {
        "mode": "enrol",
        "error": error,
        "uri": uri,
        "secret": twofactor.base32_secret(key),
        # Our own SVG drawing of the URI (path data only): nothing from the user is in it.
        "qr": mark_safe(twofactor.qr_svg(uri)),  # noqa: S308
    }
    return render(request, TEMPLATE, {**context, **enrol})


def _verify(request: HttpRequest, me: User, context: dict[str, object]) -> HttpResponse:
    if request.method != "POST":
        return render(request, TEMPLATE, {**context, "mode": "verify"})
    result = twofactor.twofactor_verify(
        actor=me, code=request.POST.get("kode", ""), address=_address(request)
    )
    if result.ok:
        _verified(request, result.device)
        if result.recovery_left is not None:
            text = _("Kode pemulihan dipakai; tersisa %(left)d. Buat kode baru di halaman ini.")
            messages.warning(request, text % {"left": result.recovery_left})
            return redirect("twofactor")
        return redirect(str(context["next"]))
    if result.throttled:
        error = _("Terlalu banyak kode salah. Tunggu %(s)d detik lalu coba lagi.") % {
            "s": result.wait_seconds
        }
        return render(request, TEMPLATE, {**context, "mode": "verify", "error": error}, status=429)
    error = _("Kode salah atau sudah dipakai.")
    return render(request, TEMPLATE, {**context, "mode": "verify", "error": error})


@signed_in
@require_POST
@never_cache
def recovery_renew(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if not twofactor.session_verified(me):
        return redirect("twofactor")
    codes = twofactor.recovery_codes_renew(actor=me)
    if not codes:
        return redirect("twofactor")
    return render(request, TEMPLATE, {"mode": "codes", "codes": codes, "next": "/"})


@roles("admin")
@require_POST
def twofactor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    twofactor.twofactor_reset(actor=_me(request), user=account)
    text = _("Verifikasi dua langkah %(name)s direset; akun ini mendaftar ulang saat masuk.")
    messages.success(request, text % {"name": account.username})
    return redirect("account_edit", pk=account.pk)
