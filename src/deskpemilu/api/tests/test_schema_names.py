"""Every schema of the OpenAPI document has a name of its own.

django-ninja files schemas under their class name: two apps with an `IncidentIn` each got one
entry, and the health API was documented with the incidents' body."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ninja import Schema

from deskpemilu.api.router import api


def subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(subclasses(sub))
    return found


def test_no_two_schemas_of_ours_share_a_name() -> None:
    api.get_openapi_schema()  # imports every router's schemas
    ours = [c for c in subclasses(Schema) if c.__module__.startswith("deskpemilu.")]
    names = Counter(c.__name__ for c in set(ours))
    assert [name for name, count in names.items() if count > 1] == []


def test_each_operation_refers_to_its_own_body_schema() -> None:
    document: dict[str, Any] = api.get_openapi_schema()
    body = document["paths"]["/api/v1/health/incidents"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/HealthIncidentIn")
    assert "puskesmas" in str(document["components"]["schemas"]["HealthIncidentIn"]).lower()
