"""Production refuses to start with a weak secret key (not only a warning of `check --deploy`)."""

import os
import runpy
import subprocess
import sys

import pytest

from deskpemilu import settings as settings_module

STRONG = "a-production-secret-key-for-this-test-only-0123456789"


def production_settings(monkeypatch, tmp_path, key: str | None) -> dict:
    monkeypatch.delenv("DESKPEMILU_TESTING", raising=False)
    monkeypatch.setenv("DESKPEMILU_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DESKPEMILU_PRODUCTION", "1")
    monkeypatch.setenv("DESKPEMILU_SITE_URL", "https://desk.example.org")
    if key is None:
        monkeypatch.delenv("DESKPEMILU_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("DESKPEMILU_SECRET_KEY", key)
    return runpy.run_path(settings_module.__file__)


@pytest.mark.parametrize(
    "key",
    [None, "", "short-but-random-Xy7#", "k" * 60, "abcd" * 20],
    ids=["missing", "empty", "short", "one-character", "four-characters"],
)
def test_it_refuses_a_weak_key_in_production(monkeypatch, tmp_path, key) -> None:
    with pytest.raises(RuntimeError, match="DESKPEMILU_SECRET_KEY"):
        production_settings(monkeypatch, tmp_path, key)


def test_it_accepts_a_strong_key(monkeypatch, tmp_path) -> None:
    assert production_settings(monkeypatch, tmp_path, STRONG)["SECRET_KEY"] == STRONG


def test_the_server_does_not_start_with_a_weak_key(tmp_path) -> None:
    env = {
        **os.environ,
        "DESKPEMILU_PRODUCTION": "1",
        "DESKPEMILU_SECRET_KEY": "x" * 80,
        "DESKPEMILU_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}",
    }
    env.pop("DESKPEMILU_TESTING", None)
    result = subprocess.run(
        [sys.executable, "-m", "deskpemilu", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DESKPEMILU_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "url", ["", "desk.example.org", "ftp://desk.example.org", "javascript:alert(1)", "https://"]
)
def test_it_refuses_a_missing_or_non_http_site_url_in_production(monkeypatch, tmp_path, url):
    monkeypatch.setenv("DESKPEMILU_SITE_URL", url)
    monkeypatch.delenv("DESKPEMILU_TESTING", raising=False)
    monkeypatch.setenv("DESKPEMILU_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DESKPEMILU_PRODUCTION", "1")
    monkeypatch.setenv("DESKPEMILU_SECRET_KEY", STRONG)
    with pytest.raises(RuntimeError, match="DESKPEMILU_SITE_URL"):
        runpy.run_path(settings_module.__file__)


def test_it_takes_the_site_url_for_email_links(monkeypatch, tmp_path):
    production_settings(monkeypatch, tmp_path, STRONG)  # sets the production environment
    monkeypatch.setenv("DESKPEMILU_SITE_URL", "https://desk-pemilu.mataramkota.go.id/")
    read = runpy.run_path(settings_module.__file__)
    assert read["DESKPEMILU_SITE_URL"] == "https://desk-pemilu.mataramkota.go.id"
