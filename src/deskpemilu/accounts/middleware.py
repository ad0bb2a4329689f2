"""Enforce the second factor for the roles that need it (DESKPEMILU_2FA_ROLES).

After the password, a session of such an account is only half signed in: every page but the
two-factor pages, sign-out and static files redirects to /accounts/2fa/, and the JSON API treats
the session as anonymous (401). API bearer tokens are not affected: they are issued deliberately,
by an account that was signed in fully, and can be revoked.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from deskpemilu.accounts.twofactor import enforced_for, session_verified

TWOFACTOR_URL = "/accounts/2fa/"
OPEN_PREFIXES = (TWOFACTOR_URL, "/accounts/logout/", "/i18n/setlang/", "/healthz")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DESKPEMILU_2FA_ENFORCED and not self._open(request.path):
            user = request.user
            if enforced_for(user) and not session_verified(user):  # type: ignore[arg-type]
                if request.path.startswith("/api/"):
                    # Bearer tokens still authenticate; the half-signed-in session does not.
                    request.user = AnonymousUser()
                else:
                    return redirect_to_login(request.get_full_path(), TWOFACTOR_URL)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(OPEN_PREFIXES) or path.startswith(settings.STATIC_URL or "/static/")
