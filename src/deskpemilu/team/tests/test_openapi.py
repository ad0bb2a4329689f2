"""Every operation of the team, meetings, actions and stages is in the OpenAPI document, with
its request body."""

import pytest

OPERATIONS = {
    ("get", "/api/v1/team/members"),
    ("post", "/api/v1/team/members"),
    ("put", "/api/v1/team/members/{member_id}"),
    ("get", "/api/v1/team/roster"),
    ("post", "/api/v1/team/roster"),
    ("delete", "/api/v1/team/roster/{assignment_id}"),
    ("get", "/api/v1/team/on-duty"),
    ("get", "/api/v1/meetings"),
    ("post", "/api/v1/meetings"),
    ("get", "/api/v1/meetings/{meeting_id}"),
    ("post", "/api/v1/meetings/{meeting_id}/actions"),
    ("get", "/api/v1/actions"),
    ("get", "/api/v1/actions/{action_id}"),
    ("post", "/api/v1/actions/{action_id}/events"),
    ("get", "/api/v1/stages"),
    ("get", "/api/v1/stages/{code}"),
    ("put", "/api/v1/stages/{code}"),
    ("post", "/api/v1/stages/{code}/status"),
}


@pytest.mark.django_db
def test_it_documents_every_operation(client):
    doc = client.get("/api/v1/openapi.json").json()
    found = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert found >= OPERATIONS
    for method, path in OPERATIONS:
        if method in ("post", "put"):
            body = doc["paths"][path][method]["requestBody"]["content"]["application/json"]
            assert body["schema"]["properties"], (method, path)
            assert "$defs" not in str(body), (method, path)
    roster = doc["paths"]["/api/v1/team/roster"]["get"]["parameters"]
    assert {p["name"] for p in roster} == {"from", "to"}
    meeting = doc["paths"]["/api/v1/meetings"]["post"]["requestBody"]["content"]
    action = meeting["application/json"]["schema"]["properties"]["actions"]["items"]
    assert set(action["required"]) == {"text", "agency", "due_on"}
