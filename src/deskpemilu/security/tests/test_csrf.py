"""CSRF: every form post needs the token; the API refuses a session's write without it, while a
bearer token (which a forged cross-site request cannot carry) needs none."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import get_resolver

from deskpemilu.accounts.models import User
from deskpemilu.conftest import AMPENAN_SELATAN
from deskpemilu.core.tests.test_routes import api_operations, django_patterns, is_ninja
from deskpemilu.security.tests.conftest import AMPENAN_SELATAN_TPS, SHEET
from deskpemilu.security.tests.test_matrix import Route, url_for

pytestmark = pytest.mark.django_db

FILL = {
    "code": AMPENAN_SELATAN,
    "region_code": AMPENAN_SELATAN,
    "kecamatan": "527101",
    "tps_code": AMPENAN_SELATAN_TPS,
    "contest": "ppwp",
    "slug": "x",
    "sha256": "0" * 64,
    "username": "x",
}
INCIDENT = {
    "category": "logistik",
    "severity": "rendah",
    "tps_code": AMPENAN_SELATAN_TPS,
    "occurred_at": "2024-02-14T09:00:00",
    "description": "Tinta kurang",
}


def page_routes() -> list[str]:
    urls = []
    for route, _name, callback in django_patterns(get_resolver().url_patterns):
        if is_ninja(callback) or route.startswith("api/"):
            continue
        urls.append(url_for(Route("POST", route, "", False), {**_ids(route), **FILL}))
    return urls


def _ids(path: str) -> dict[str, str]:
    return {p: "1" for p in Route("GET", path, "", True).params if p not in FILL}


def signed_in(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(client: Client) -> str:
    client.get("/accounts/me/")  # a page with a form sets the cookie
    return str(client.cookies["csrftoken"].value)


def test_every_form_post_needs_the_token(admin) -> None:
    client = signed_in(admin)
    urls = page_routes()
    open_ = [url for url in urls if client.post(url, {}).status_code != 403]
    assert len(urls) > 80
    assert open_ == [], f"posted without a CSRF token: {open_}"
    # The forms themselves carry it.
    page = client.get(f"/accounts/users/{admin.pk}/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 3


def test_the_sign_in_form_needs_the_token(admin) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": admin.username, "password": "x"})
    assert response.status_code == 403
    assert "Sesi formulir kedaluwarsa" in response.content.decode()


def test_a_post_with_the_token_goes_through(admin) -> None:
    client = signed_in(admin)
    token = csrf_token(client)
    response = client.post("/accounts/tokens/", {"csrfmiddlewaretoken": token, "days": "7"})
    assert response.status_code == 200
    assert "Token baru" in response.content.decode()


def test_the_api_refuses_a_session_write_without_the_token(admin, api_for) -> None:
    client = signed_in(admin)
    writes = [(m, p) for m, p, _view in api_operations() if m != "GET"]
    assert len(writes) > 15
    open_ = []
    for method, path in writes:
        url = url_for(Route(method, path, "", True), {**FILL, **_ids(path)})
        response = getattr(client, method.lower())(url, data="{}", content_type="application/json")
        if response.status_code != 403:
            open_.append((method, url, response.status_code))
    assert open_ == [], open_
    # Reading with the session needs no token.
    assert client.get(f"/api/v1/regions/{AMPENAN_SELATAN}").status_code == 200


def test_the_api_takes_a_session_write_with_the_token(admin) -> None:
    client = signed_in(admin)
    token = csrf_token(client)
    response = client.post(
        "/api/v1/incidents",
        data=json.dumps(INCIDENT),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_a_bearer_token_needs_no_csrf_token(admin, api_for) -> None:
    api = api_for(admin)
    api.handler.enforce_csrf_checks = True
    response = api.put(
        f"/api/v1/results/ppwp/{AMPENAN_SELATAN_TPS}",
        data=json.dumps(SHEET),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = api.post(
        "/api/v1/incidents", data=json.dumps(INCIDENT), content_type="application/json"
    )
    assert created.status_code == 201, created.content
