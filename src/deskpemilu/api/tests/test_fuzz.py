"""Schemathesis over the whole OpenAPI document, with a real admin token: for any input the API
answers with a documented error, never a 500 (CONTRACT.md). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, close_old_connections, connection
from hypothesis import HealthCheck, settings

from deskpemilu.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(db, make_user):
    from deskpemilu.accounts.services import token_issue

    user = make_user("fuzz_admin", "admin")
    value, _ = token_issue(actor=None, user=user, days=1)
    return value


@pytest.fixture(autouse=True)
def keep_test_connection() -> Iterator[None]:
    """The calls go through the real WSGI application, whose request signals run
    close_old_connections. Inside the test's transaction autocommit is off, so Django would
    close the connection at the first request (on PostgreSQL; SQLite's in-memory database is
    never closed) and every later query would fail. Django's own test Client disconnects the
    handler in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_it_never_answers_500(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    # A query error caught without a savepoint leaves PostgreSQL's transaction aborted: name the
    # call that did it, rather than fail every later call with InFailedSqlTransaction.
    assert not (broken := _unusable()), (case.method, case.formatted_path, broken)


def _unusable() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return f"left the database connection unusable: {exc}"
    return ""
