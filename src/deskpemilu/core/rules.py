"""Every route declares who may call it (VotingWorks Arlo's `restrict_access`).

Page views are wrapped with one of these decorators; API operations are marked with `api_rule`.
`core/tests/test_routes.py` walks the URL resolver and fails on any route without a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
SIGNED_IN = "signed_in"


def _mark(view: F, rule: str) -> F:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: F) -> F:
    """Anyone, signed in or not (login page, health check, public portal)."""
    return _mark(view, PUBLIC)


def signed_in(view: F) -> F:
    """Any signed-in account; the view scopes what it shows through the access helpers."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return cast(HttpResponse, view(request, *args, **kwargs))

    return _mark(cast(F, wrapper), SIGNED_IN)


def roles(*allowed: str) -> Callable[[F], F]:
    """Signed-in accounts whose role is one of `allowed`; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request.user, "role", None) not in allowed:
                raise PermissionDenied
            return cast(HttpResponse, view(request, *args, **kwargs))

        return _mark(cast(F, wrapper), "roles:" + ",".join(sorted(allowed)))

    return decorator


def api_rule(rule: str) -> Callable[[F], F]:
    """Mark an API operation with its access rule (authentication is the API's own)."""

    def decorator(view: F) -> F:
        return _mark(view, rule)

    return decorator
