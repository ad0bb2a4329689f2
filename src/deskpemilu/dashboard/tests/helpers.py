"""Entering sheets through the API, as the operators do, to give the recap pages data."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps, with_votes

AMPENAN_SELATAN = "5271011004"  # kelurahan in Kecamatan Ampenan (527101)
PEJERUK = "5271011006"
CAKRANEGARA_TIMUR = "5271031006"


def put(client: Client, contest: str, tps: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.put(
        f"/api/v1/results/{contest}/{tps}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (200, 201), response.content
    if response.status_code == 201:  # the first version: its operator adds the form photo
        attach_photo(client, contest, tps)
    result: dict[str, Any] = response.json()
    return result


def verify(client: Client, contest: str, tps: str, version: int = 1) -> None:
    response = client.post(
        f"/api/v1/results/{contest}/{tps}/verify",
        json.dumps({"version": version}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def votes_only(tps: str, contest: str, votes: dict[str, int]) -> dict[str, Any]:
    """A consistent sheet whose section IV holds exactly `votes` (every other choice 0)."""
    body = sheet_for_tps(tps, contest)
    zero = dict.fromkeys(body["suara"], 0)
    return with_votes(body, {**zero, **votes})


def enter(client: Client, contest: str, tps: str, seed: int = 0) -> dict[str, Any]:
    body = sheet_for_tps(tps, contest, seed=seed)
    put(client, contest, tps, body)
    return body
