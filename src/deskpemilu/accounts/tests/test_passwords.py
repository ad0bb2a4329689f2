"""Passwords are argon2 in production settings; sessions last one 12-hour shift."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

import deskpemilu.settings as settings_module

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_lists_argon2() -> None:
    assert ARGON2 in settings.PASSWORD_HASHERS


def test_it_hashes_with_argon2_first_outside_tests(monkeypatch, tmp_path: Path) -> None:
    # Read the settings file afresh as production would, without the test switch.
    monkeypatch.delenv("DESKPEMILU_TESTING", raising=False)
    monkeypatch.setenv("DESKPEMILU_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DESKPEMILU_PRODUCTION", "1")
    monkeypatch.setenv("DESKPEMILU_SITE_URL", "https://desk.example.org")
    monkeypatch.setenv(
        "DESKPEMILU_SECRET_KEY", "a-production-secret-key-for-this-test-only-0123456789"
    )
    production = runpy.run_path(settings_module.__file__)
    assert production["PASSWORD_HASHERS"][0] == ARGON2
    assert production["SESSION_COOKIE_AGE"] == 12 * 60 * 60
    assert production["SESSION_COOKIE_SECURE"] is True


@pytest.mark.django_db
def test_it_stores_argon2_hashes(make_user) -> None:
    with override_settings(PASSWORD_HASHERS=[ARGON2]):
        user = make_user("argon_test", "viewer")
    assert user.password.startswith("argon2")


def test_it_ends_sessions_after_a_shift() -> None:
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True
