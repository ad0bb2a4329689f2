"""The route table: every page of the URL resolver and every operation of the API, with the
access rule each declares. The system check below and the route tests read it from here.

Lives in the assembly layer because it needs both `urls` and the API router.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from django.core.checks import CheckMessage, Error, register
from django.urls import URLPattern, URLResolver, get_resolver

# Django's and ninja's own views that are public by design (no data behind them).
DECLARED_ELSEWHERE = {"api:openapi-json", "api:openapi-view", "api:api-root"}


class Route(NamedTuple):
    method: str  # "*" for a page (a view answers its own methods)
    path: str
    name: str
    view: Any

    @property
    def rule(self) -> str | None:
        return getattr(self.view, "access_rule", None)


def _patterns(
    entries: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for entry in entries:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        else:
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield prefix + str(entry.pattern), name, entry.callback


def is_ninja(view: object) -> bool:
    """The resolver's entries that ninja made: their operations are listed by `operations()`."""
    return getattr(view, "__qualname__", "").startswith("PathView.get_view")


def pages(urlconf: str | None = None) -> list[Route]:
    """Every page route (ninja's own entries excluded)."""
    return [
        Route("*", path, name, view)
        for path, name, view in _patterns(get_resolver(urlconf).url_patterns)
        if not is_ninja(view)
    ]


def operations() -> list[Route]:
    """Every API operation, one per method."""
    from deskpemilu.api.router import api  # the router imports every feature's API

    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    full = "/api/v1" + prefix.rstrip("/") + path
                    found.append(Route(method, full, "", operation.view_func))
    return found


def undeclared(routes: list[Route]) -> list[Route]:
    return [r for r in routes if r.name not in DECLARED_ELSEWHERE and r.rule is None]


@register("deskpemilu")
def check_every_route_declares_a_rule(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Refuse to start when a page or an API operation does not say who may call it (Arlo's
    `restrict_access`): a new route cannot be served before someone decided its rule."""
    return [
        Error(
            f"{route.method} {route.path} declares no access rule",
            hint="Wrap the view with a decorator of deskpemilu.core.rules.",
            obj=route.view,
            id="deskpemilu.E001",
        )
        for route in undeclared(pages() + operations())
    ]
