"""API authentication: a bearer token, or the web session (with CSRF on writes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from deskpemilu.accounts.models import ApiToken, User
from deskpemilu.accounts.tokens import token_digest
from deskpemilu.core import rows
from deskpemilu.core.errors import ApiError
from deskpemilu.core.rows import Prepared

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


# Every API call reads its token and account: one query compiled once (core.rows.Prepared).
_TOKEN = Prepared(
    lambda: ApiToken.objects.select_related("user").filter(token_hash="")[:1],
    lambda digest: [digest],
)
_TOKEN_COLUMNS = len(ApiToken._meta.concrete_fields)


def _token(digest: str) -> ApiToken | None:
    """The token with this digest and its account, as `select_related("user")` loads them."""
    found = _TOKEN.rows(digest)
    if not found:
        return None
    token: ApiToken = rows.load(ApiToken, found[0][:_TOKEN_COLUMNS])
    token.user = rows.load(User, found[0][_TOKEN_COLUMNS:])
    return token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        row = _token(token_digest(token))
        if row is None or not row.is_active or not row.user.is_active:
            return None
        if row.read_only and request.method not in SAFE_METHODS:
            raise ApiError(403, "token_baca_saja", "This token may only read (read-only scope)")
        now = timezone.now()
        # Touch last use at most once a minute: a hot token must not write on every call.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not user.is_active:
            return None
        return user


API_AUTH = [TokenAuth(), ActiveSessionAuth()]
