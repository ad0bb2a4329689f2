"""Security headers on every kind of response, HSTS and secure cookies under production settings,
and `check --deploy` clean with them."""

from __future__ import annotations

import secrets
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from deskpemilu.conftest import PASSWORD
from deskpemilu.core.middleware import CSP

pytestmark = pytest.mark.django_db

# What settings.py sets when DESKPEMILU_PRODUCTION=1.
PRODUCTION = {
    "DEBUG": False,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "ALLOWED_HOSTS": ["desk.mataramkota.go.id", "testserver"],
}


@pytest.fixture
def production(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    settings.SECRET_KEY = secrets.token_urlsafe(64)
    return settings


def assert_hardened(response) -> None:
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert "script-src 'self';" in CSP and "frame-ancestors 'none'" in CSP
    assert "object-src 'none'" in CSP and "base-uri 'self'" in CSP
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_the_headers(client, client_for, admin, operator) -> None:
    assert_hardened(client.get("/accounts/login/"))
    assert_hardened(client.get("/tidak-ada/"))
    desk = client_for(admin)
    for url in ("/", "/accounts/users/", "/hasil/", "/kejadian/", "/wilayah/5271/"):
        response = desk.get(url)
        assert response.status_code == 200, url
        assert_hardened(response)
        assert "no-store" in response.headers["Cache-Control"]
    assert_hardened(client_for(operator).get("/accounts/users/"))  # a 403 page too


def test_the_api_carries_the_headers(api_for, admin) -> None:
    response = api_for(admin).get("/api/v1/regions/5271")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert_hardened(Client().get("/api/v1/regions/5271"))  # the 401 as well


def test_cookies_are_httponly_and_samesite(client, admin) -> None:
    response = client.post("/accounts/login/", {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


def test_production_redirects_to_https_and_sends_hsts(production) -> None:
    plain = Client().get("/accounts/login/")
    assert plain.status_code == 301
    assert plain.url == "https://testserver/accounts/login/"
    secure = Client().get("/accounts/login/", secure=True)
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert_hardened(secure)
    behind_proxy = Client().get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert behind_proxy.status_code == 200


def test_production_cookies_are_secure(production, admin) -> None:
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    assert page.cookies["csrftoken"]["secure"]
    response = client.post(
        "/accounts/login/",
        {"username": admin.username, "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_check_deploy_is_clean(production) -> None:
    out, err = StringIO(), StringIO()
    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=err)
    assert "no issues" in out.getvalue(), (out.getvalue(), err.getvalue())
