"""Every API error has one shape: {"errors": [{"code", "field", "message"}]}."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse


def error_body(code: str, message: str, field: str = "") -> dict[str, Any]:
    return {"errors": [{"code": code, "field": field, "message": message}]}


class ApiError(Exception):
    """Raised by API operations for an answer other than success."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str = "",
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or [{"code": code, "field": field, "message": message}]


def json_error(api: Any, request: Any, status: int, errors: list[dict[str, str]]) -> HttpResponse:
    response: HttpResponse = api.create_response(request, {"errors": errors}, status=status)
    return response
