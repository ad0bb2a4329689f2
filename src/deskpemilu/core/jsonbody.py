"""JSON bodies read after the access checks.

django-ninja validates a declared body before the operation runs, so an account that may not
write would learn "422" about a body before hearing "403". Write operations of the team and
stages APIs therefore read their body here, after checking who calls, and document it with
`body_doc(Schema)` so the OpenAPI document still shows it.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import Schema
from pydantic import ValidationError

from deskpemilu.core.errors import ApiError

S = TypeVar("S", bound=Schema)


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """Replace pydantic's local `$ref`s by the definitions they name (the OpenAPI document has
    no `$defs` of its own to point into)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def body_doc(schema: type[Schema]) -> dict[str, Any]:
    raw = schema.model_json_schema(by_alias=True)
    inlined = _inline(raw, raw.get("$defs", {}))
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inlined}},
        }
    }


def parse_body(request: HttpRequest, schema: type[S]) -> S:
    """The body validated by `schema`, or ApiError(422) naming each problem's code and field."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(413, "terlalu_besar", "Body above 1 MB") from None
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "bukan_json", "The body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(422, "bukan_objek", "The body must be a JSON object")
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        errors = [
            {
                "code": str(e.get("type", "invalid")),
                "field": ".".join(str(p) for p in e.get("loc", ())),
                "message": str(e.get("msg", "invalid")),
            }
            for e in exc.errors()
        ]
        raise ApiError(422, errors[0]["code"], "", errors=errors) from None
