"""Every list of what belongs to an election documents `?pemilihan=` in the OpenAPI document."""

import pytest

LISTS = [
    "/api/v1/incidents",
    "/api/v1/requests",
    "/api/v1/health/incidents",
    "/api/v1/health/summary",
    "/api/v1/meetings",
    "/api/v1/actions",
    "/api/v1/stages",
]


@pytest.mark.django_db
def test_each_list_documents_pemilihan(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path in LISTS:
        operation = doc["paths"][path]["get"]
        assert "pemilihan" in {p["name"] for p in operation["parameters"]}, path
        assert "pemilihan" in operation["description"], path
    for schema in ("IncidentOut", "RequestOut", "HealthIncidentOut", "MeetingOut"):
        assert "election" in doc["components"]["schemas"][schema]["properties"], schema
