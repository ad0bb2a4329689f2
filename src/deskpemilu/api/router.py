"""/api/v1: assembles each app's `api.py`, with one error shape for every failure."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from deskpemilu.api.auth import API_AUTH
from deskpemilu.core.errors import Refusal, json_error
from deskpemilu.dashboard.api import router as dashboard_router
from deskpemilu.elections.api import router as elections_router
from deskpemilu.health.api import router as health_router
from deskpemilu.incidents.api import router as incidents_router
from deskpemilu.notify.api import router as notify_router
from deskpemilu.portal.api import router as portal_router
from deskpemilu.readiness.api import router as readiness_router
from deskpemilu.readiness.kerawanan_api import router as kerawanan_router
from deskpemilu.regions.api import router as regions_router
from deskpemilu.results.api import router as results_router
from deskpemilu.situation.api import router as situation_router
from deskpemilu.stages.api import router as stages_router
from deskpemilu.team.api import router as team_router

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="Desk Pemilu API",
    version="1",
    description=(
        "API Desk Pemilu (Kota Mataram). Region and TPS codes are KPU-style undotted digits. "
        "Authenticate with `Authorization: Bearer <token>` (`deskpemilu issue_token`) or the web "
        'session. Every error is `{"errors": [{"code", "field", "message"}]}`; a region or TPS '
        "outside the caller's scope answers 404 exactly like one that does not exist."
    ),
    auth=API_AUTH,
    urls_namespace="api",
)
api.add_router("/", regions_router)
api.add_router("/", results_router)
api.add_router("/", elections_router)
api.add_router("/", readiness_router)
api.add_router("/", kerawanan_router)
api.add_router("/", health_router)
api.add_router("/", incidents_router)
api.add_router("/", notify_router)
api.add_router("/", team_router)
api.add_router("/", stages_router)
api.add_router("/", dashboard_router)
api.add_router("/", situation_router)
api.add_router("/", portal_router)


def _field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "code": str(e.get("type", "invalid")),
            "field": _field(list(e.get("loc", []))),
            "message": str(e.get("msg", "invalid")),
        }
        for e in exc.errors
    ]
    return json_error(api, request, 422, errors)


@api.exception_handler(Refusal)
def on_refusal(request: HttpRequest, exc: Refusal) -> HttpResponse:
    """Every service's refusal (and ApiError): its status and errors, in the one shape."""
    return json_error(api, request, exc.status, exc.errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = [
        {"code": e.code or "invalid", "field": "", "message": " ".join(e.messages)}
        for e in exc.error_list
    ]
    return json_error(api, request, 422, errors)


@api.exception_handler(AuthenticationError)
def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return json_error(
        api,
        request,
        401,
        [{"code": "unauthenticated", "field": "", "message": "Authentication required"}],
    )


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return json_error(
        api, request, 404, [{"code": "not_found", "field": "", "message": "Not found"}]
    )


@api.exception_handler(PermissionDenied)
def on_403(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return json_error(
        api,
        request,
        403,
        [{"code": "forbidden", "field": "", "message": "Not allowed for this account"}],
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return json_error(
        api,
        request,
        exc.status_code,
        [{"code": f"http_{exc.status_code}", "field": "", "message": str(exc)}],
    )


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unexpected API error")
    return json_error(
        api, request, 500, [{"code": "server_error", "field": "", "message": "Internal error"}]
    )
