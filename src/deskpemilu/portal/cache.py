"""The portal's pages are the same for everyone, so they are built once and served from Django's
cache for a short while: a public rush reads the cache that every server process shares
(settings.CACHES, files under var/cache), not the desk's database.

Each response is kept for CACHE_SECONDS under its path, its known query parameters and the
language; it carries `Cache-Control: public, max-age=…` for browsers and proxies, and an ETag
(the SHA-256 of the body) that answers `If-None-Match` with 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from deskpemilu.core.rules import public
from deskpemilu.portal.selectors import portal_enabled

CACHE_SECONDS = 30
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "X-Audit-Head")
View = Callable[..., HttpResponse]


def _key(request: HttpRequest, params: tuple[str, ...]) -> str:
    query = "&".join(f"{p}={request.GET.get(p, '')[:40]}" for p in params)
    basis = f"{get_language()}|{request.path}|{query}"
    return "publik:" + hashlib.sha256(basis.encode()).hexdigest()


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _answer(request: HttpRequest, entry: dict[str, Any], seconds: int) -> HttpResponse:
    if request.headers.get("If-None-Match") == entry["etag"]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(entry["body"], status=200)
        for name, value in entry["headers"].items():
            response[name] = value
    response["ETag"] = entry["etag"]
    response["Cache-Control"] = f"public, max-age={seconds}"
    patch_vary_headers(response, ["Accept-Language"])
    return response


def portal_page(*params: str, seconds: int = CACHE_SECONDS) -> Callable[[View], View]:
    """Mark a view public, 404 while the portal is off, and serve it from the cache."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not portal_enabled():
                raise Http404
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            key = _key(request, params)
            entry = cache.get(key)
            if entry is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                entry = {
                    "body": response.content,
                    "etag": _etag(response.content),
                    "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
                }
                cache.set(key, entry, seconds)
            return _answer(request, entry, seconds)

        return public(wrapper)

    return decorator
