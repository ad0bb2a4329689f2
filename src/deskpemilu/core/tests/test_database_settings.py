"""PostgreSQL's prepared statements: on by default, off for a transaction-pooling PgBouncer."""

import runpy

import pytest

from deskpemilu import settings as settings_module

URL = "postgres://desk:secret@127.0.0.1:5432/deskpemilu"


def database_options(monkeypatch: pytest.MonkeyPatch, prepared: str | None) -> dict:
    monkeypatch.setenv("DATABASE_URL", URL)
    if prepared is None:
        monkeypatch.delenv("DESKPEMILU_PG_PREPARED", raising=False)
    else:
        monkeypatch.setenv("DESKPEMILU_PG_PREPARED", prepared)
    database = runpy.run_path(settings_module.__file__)["DATABASES"]["default"]
    options: dict = database.get("OPTIONS", {})
    return options


def test_postgresql_prepares_the_statements_it_sends_again(monkeypatch) -> None:
    options = database_options(monkeypatch, None)
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


@pytest.mark.parametrize("off", ["0", "false", "no"])
def test_a_pooler_can_turn_them_off(monkeypatch, off) -> None:
    options = database_options(monkeypatch, off)
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options
