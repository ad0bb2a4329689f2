"""Every API error has one shape: {"errors": [{"code", "field", "message"}]}."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpResponse


def error_body(code: str, message: str, field: str = "") -> dict[str, Any]:
    return {"errors": [{"code": code, "field": field, "message": message}]}


class Refusal(Exception):
    """The one refusal every service, API operation and page raises: an HTTP status, a stable
    code, the field it concerns and a message; `errors` lists each problem when there are several
    (the first one is `code`/`field`/`message`). The API answers it in the one error shape, a
    page shows the message with the status (`core.middleware.RefusalMiddleware`)."""

    def __init__(
        self,
        status: int,
        code: str = "",
        message: str = "",
        field: str = "",
        errors: Sequence[dict[str, str]] | None = None,
    ) -> None:
        self.status = status
        self.errors = [dict(e) for e in errors] if errors else []
        if not self.errors:
            self.errors = [{"code": code, "field": field, "message": message or code}]
        first = self.errors[0]
        self.code = code or first["code"]
        self.field = field or first["field"]
        self.message = message or first["message"] or self.code
        super().__init__(", ".join(e["code"] for e in self.errors))


class ApiError(Refusal):
    """Raised by API operations for an answer other than success."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str = "",
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(status, code, message, field, errors)


def json_error(api: Any, request: Any, status: int, errors: list[dict[str, str]]) -> HttpResponse:
    response: HttpResponse = api.create_response(request, {"errors": errors}, status=status)
    return response


class OutsideArea(Http404):
    """A region or TPS outside the account's area (whether or not it exists: nothing is revealed).
    A page says so with a 403 (`core.middleware.RefusalMiddleware`); the API, which treats every
    Http404 alike, keeps answering 404 as the contract says. `area` names the account's area."""

    def __init__(self, area: str = "") -> None:
        self.area = area
        super().__init__(area)
