"""The door the device's queue goes through: the JSON API with the web session and its CSRF
token (from /luring/halaman.json), the Idempotency-Key made when the sheet was typed, and the
If-Match of the version it was typed over."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from deskpemilu.results.tests.sheets import sheet_for_tps

TPS = "5271011004001"
URL = f"/api/v1/results/ppwp/{TPS}"


def session_of(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = client.get("/luring/halaman.json").json()["csrf"]
    return client, token


def put(client: Client, token: str, body, key: str, if_match: str):
    headers = {"X-CSRFToken": token, "Idempotency-Key": key, "If-Match": if_match}
    return client.put(URL, json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_a_queued_sheet_is_stored_once_however_often_it_is_sent(operator):
    client, token = session_of(operator)
    body = sheet_for_tps(TPS)
    first = put(client, token, body, "a" * 32, "0")
    again = put(client, token, body, "a" * 32, "0")
    assert first.status_code == 201, first.content
    assert again.json() == first.json() and again.json()["version"] == 1
    history = client.get(URL).json()["history"]
    assert len(history) == 1


@pytest.mark.django_db
def test_a_sheet_typed_over_an_older_version_is_a_conflict(operator, make_user):
    other = make_user("op_lain", "operator", "5271011004", "dishub")
    client, token = session_of(operator)
    body = sheet_for_tps(TPS)
    theirs, their_token = session_of(other)
    assert put(theirs, their_token, body, "b" * 32, "0").status_code == 201
    mine = put(client, token, sheet_for_tps(TPS, turnout=0.7), "c" * 32, "0")
    assert mine.status_code == 409
    assert mine.json()["errors"][0]["code"] == "versi_bukan_terkini"
    current = client.get(URL).json()
    assert current["version"] == 1 and current["history"][0]["author"] == "op_lain"


@pytest.mark.django_db
def test_the_session_door_needs_the_csrf_token(operator):
    client, _token = session_of(operator)
    body = sheet_for_tps(TPS)
    response = client.put(URL, json.dumps(body), content_type="application/json")
    assert response.status_code in (401, 403)
    assert client.get(URL).status_code == 404  # nothing stored
