"""Every route declares who may call it, and the declaration is the check (Arlo's
`restrict_access`).

Page views are wrapped with `public`, `signed_in` or `roles(...)`; API operations with
`api_rule(label)`. Each marks its view with a structured `Rule` (`view.access_rule`) and, except
`public`, refuses a caller the rule does not admit before the view runs. The system check of
`deskpemilu.api.routes` refuses to start when a route has no rule.

The rule decides who may call at all (role); which rows a caller reaches (scope, own agency, own
account) stays with the access helpers, which answer 404 outside it.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import update_wrapper, wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
SIGNED_IN = "signed_in"
# How an API label narrows what a caller reaches (the access helpers do the narrowing).
KINDS = {"public", "signed_in", "roles", "scoped", "self"}
NARROWED_BY = {"agency"}
_ROLE = re.compile(r"^([a-z_]+)(?:\(([a-z0-9-]+)\))?$")


@dataclass(frozen=True)
class Rule:
    """Who may call a route. `roles` None: any signed-in account; a role may be narrowed to one
    agency (`liaison(dinkes)`: a liaison of Dinkes only)."""

    label: str
    kind: str
    roles: frozenset[str] | None = None
    agency_roles: frozenset[tuple[str, str]] = frozenset()
    narrowed_by: str = ""

    @property
    def public(self) -> bool:
        return self.kind == PUBLIC

    @property
    def scoped(self) -> bool:
        return self.kind == "scoped"

    def admits_role(self, role: str) -> bool:
        """May an account of `role` (written `liaison(dinkes)` for an agency's liaison) call?"""
        if self.roles is None:
            return True
        if role in self.roles:
            return True
        match = _ROLE.match(role)
        if match is None or not match.group(2):
            return False
        return (match.group(1), match.group(2)) in self.agency_roles

    def admits(self, user: Any) -> bool:
        if self.public:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if self.roles is None:
            return True
        role = str(getattr(user, "role", ""))
        if role in self.roles:
            return True
        agency = getattr(user, "agency", None)
        return agency is not None and (role, str(agency.slug)) in self.agency_roles

    def __str__(self) -> str:
        return self.label


def parse_rule(label: str) -> Rule:
    """`public`, `signed_in`, `self`, `scoped`, `signed_in:agency`, `roles:a,b`, `scoped:a,b(c)`."""
    kind, colon, rest = label.partition(":")
    if kind not in KINDS or (colon and not rest) or (kind == "roles" and not rest):
        raise ValueError(f"unknown access rule {label!r}")
    if not rest:
        return Rule(label, kind)
    if kind == SIGNED_IN and rest in NARROWED_BY:
        return Rule(label, kind, narrowed_by=rest)
    if kind not in ("roles", "scoped"):
        raise ValueError(f"access rule {label!r} lists roles on a kind that takes none")
    plain, qualified = set(), set()
    for entry in rest.split(","):
        match = _ROLE.match(entry)
        if match is None:
            raise ValueError(f"access rule {label!r}: {entry!r} is no role")
        if match.group(2):
            qualified.add((match.group(1), match.group(2)))
        else:
            plain.add(entry)
    return Rule(label, kind, frozenset(plain), frozenset(qualified))


def _mark(view: F, rule: Rule) -> F:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: F) -> F:
    """Anyone, signed in or not (login page, health check, public portal)."""
    return _mark(view, parse_rule(PUBLIC))


def signed_in(view: F) -> F:
    """Any signed-in account; the view scopes what it shows through the access helpers."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return cast(HttpResponse, view(request, *args, **kwargs))

    return _mark(cast(F, wrapper), parse_rule(SIGNED_IN))


def roles(*allowed: str) -> Callable[[F], F]:
    """Signed-in accounts whose role is one of `allowed`; others get 403."""
    rule = parse_rule("roles:" + ",".join(sorted(allowed)))

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule.admits(request.user):
                raise PermissionDenied
            return cast(HttpResponse, view(request, *args, **kwargs))

        return _mark(cast(F, wrapper), rule)

    return decorator


def _enforce(rule: Rule, request: HttpRequest) -> None:
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        raise AuthenticationError
    if not rule.admits(user):
        raise PermissionDenied  # the API answers its one 403 shape, code "forbidden"


def _guarded(view: Callable[..., Any], rule: Rule) -> Callable[..., Any]:
    enforce = _enforce

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        enforce(rule, request)
        return view(request, *args, **kwargs)

    # django-ninja resolves the operation's string annotations (`from __future__ import
    # annotations`) in the function's `__globals__`: give the wrapper the view's module globals,
    # so the signature and the OpenAPI document stay what the view declares. The wrapper's body
    # reads only its closure, never a global.
    rebuilt = types.FunctionType(
        wrapper.__code__, view.__globals__, view.__name__, None, wrapper.__closure__
    )
    return update_wrapper(rebuilt, view)


def api_rule(label: str) -> Callable[[F], F]:
    """An API operation's access rule, enforced before the operation runs (authentication is
    the API's own; a role the rule does not admit answers 403 `forbidden`)."""
    rule = parse_rule(label)

    def decorator(view: F) -> F:
        if rule.public:
            return _mark(view, rule)
        return _mark(cast(F, _guarded(view, rule)), rule)

    return decorator
