"""INSERT and UPDATE of one model row with a statement built once per process.

For the writes every sheet makes on election night (its version, the sheet, the audit entry):
the same columns and the same conversions as the ORM's `save()` (each field's `pre_save`, so
`auto_now` still stamps, and `get_db_prep_save`, so JSON and time zones are the ORM's), but
Django's building of the statement cost more CPU than the statement itself, inside the lock
every writer queues for. No model of the project has save() signals; these skip them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

_INSERTS: dict[tuple[str, str], tuple[str, list[Field[Any, Any]], bool]] = {}
_UPDATES: dict[tuple[str, str, tuple[str, ...]], tuple[str, list[Field[Any, Any]]]] = {}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _insert_statement(model: type[Model]) -> tuple[str, list[Field[Any, Any]], bool]:
    key = (model._meta.label, connection.vendor)
    if key not in _INSERTS:
        pk = model._meta.pk
        assert pk is not None
        generated = bool(getattr(pk, "db_returning", False))
        fields = [f for f in model._meta.concrete_fields if not (generated and f is pk)]
        columns = ", ".join(_quote(f.column) for f in fields)
        marks = ", ".join("%s" for _ in fields)
        sql = f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
        if generated:
            sql += f" RETURNING {_quote(pk.column)}"
        _INSERTS[key] = (sql, fields, generated)
    return _INSERTS[key]


def insert(instance: Model) -> None:
    """Insert `instance` as `instance.save()` would (a new row), setting a generated key."""
    sql, fields, generated = _insert_statement(type(instance))
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if generated:
            instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias


def update(instance: Model, field_names: Sequence[str]) -> None:
    """`instance.save(update_fields=field_names)` for a row that exists."""
    model = type(instance)
    key = (model._meta.label, connection.vendor, tuple(field_names))
    if key not in _UPDATES:
        concrete: list[Field[Any, Any]] = []
        for name in field_names:
            found = model._meta.get_field(name)
            assert isinstance(found, Field) and found.concrete, name
            concrete.append(found)
        pk = model._meta.pk
        assert pk is not None
        assignments = ", ".join(f"{_quote(f.column)} = %s" for f in concrete)
        sql = (
            f"UPDATE {_quote(model._meta.db_table)} SET {assignments}"  # noqa: S608 - names from the model
            f" WHERE {_quote(pk.column)} = %s"
        )
        _UPDATES[key] = (sql, concrete)
    sql, fields = _UPDATES[key]
    params = [f.get_db_prep_save(f.pre_save(instance, False), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, instance.pk])
