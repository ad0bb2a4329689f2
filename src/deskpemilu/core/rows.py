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

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model

_INSERTS: dict[tuple[str, str], tuple[str, list[Field[Any, Any]], bool]] = {}
_UPDATES: dict[tuple[str, str, tuple[str, ...]], tuple[str, list[Field[Any, Any]]]] = {}


def database() -> Any:
    """The connection itself, not `django.db.connection`, the proxy that looks it up again on
    each of the dozens of attribute reads a row's conversions make."""
    return connections[DEFAULT_DB_ALIAS]


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


def insert(instance: Model, *, ignore_conflicts: bool = False) -> bool:
    """Insert `instance` as `instance.save()` would (a new row), setting a generated key.
    With `ignore_conflicts`, a row that would break a unique constraint is not inserted (as
    `bulk_create(ignore_conflicts=True)`): False then."""
    sql, fields, generated = _insert_statement(type(instance))
    if ignore_conflicts:
        # Both databases put ON CONFLICT between the VALUES and the RETURNING.
        sql = sql.replace(") RETURNING ", ") ON CONFLICT DO NOTHING RETURNING ")
        if not generated:
            sql += " ON CONFLICT DO NOTHING"
    db = database()
    params = [f.get_db_prep_save(f.pre_save(instance, True), db) for f in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        if generated:
            row = cursor.fetchone()
            if row is None:
                return False
            instance.pk = row[0]
        elif cursor.rowcount == 0:
            return False
    instance._state.adding = False
    instance._state.db = connection.alias
    return True


def insert_many(instances: Sequence[Model]) -> None:
    """Insert rows of one model in one executemany (keys given, not generated)."""
    if not instances:
        return
    sql, fields, generated = _insert_statement(type(instances[0]))
    if generated:
        for instance in instances:
            insert(instance)
        return
    db = database()
    params = [
        [f.get_db_prep_save(f.pre_save(instance, True), db) for f in fields]
        for instance in instances
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, params)
    for instance in instances:
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
    db = database()
    params = [f.get_db_prep_save(f.pre_save(instance, False), db) for f in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, [*params, instance.pk])


_CONVERTERS: dict[tuple[str, str, tuple[str, ...]], list[tuple[Any, list[Any]]]] = {}


def _converters(model: type[Model], names: tuple[str, ...]) -> list[tuple[Any, list[Any]]]:
    """Per selected field, its column and the conversions the ORM's compiler applies to it
    (the backend's, then the field's: time zones, booleans, JSON), in concrete-field order."""
    key = (model._meta.label, connection.vendor, names)
    if key not in _CONVERTERS:
        chosen = []
        for f in model._meta.concrete_fields:
            if names and f.attname not in names:
                continue
            col = f.get_col(model._meta.db_table)
            chosen.append(
                (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            )
        _CONVERTERS[key] = chosen
    return _CONVERTERS[key]


def load(model: type[Model], values: Sequence[Any], names: Sequence[str] = ()) -> Any:
    """An instance from a row of `model`'s columns (all concrete fields, or those whose
    attnames are `names`, the others deferred) converted as the ORM converts them."""
    chosen = _converters(model, tuple(names))
    assert len(values) == len(chosen), (model, len(values), len(chosen))
    converted = []
    for value, (col, converters) in zip(values, chosen, strict=True):
        for convert in converters:
            value = convert(value, col, connection)
        converted.append(value)
    attnames = [col.target.attname for col, _ in chosen]
    return model.from_db(connection.alias, attnames, converted)


class Prepared:
    """An ORM query built and compiled once per process and database, then sent with new
    parameters: for the reads every sheet write makes (its token, its TPS), whose building
    cost more CPU than the read. `build()` must give the same SQL for every parameter value;
    `params(*args)` gives its parameters in order."""

    def __init__(self, build: Any, params: Any) -> None:
        self._build = build
        self._params = params
        self._sql: dict[str, str] = {}

    def rows(self, *args: Any) -> list[tuple[Any, ...]]:
        sql = self._sql.get(connection.vendor)
        if sql is None:
            sql, _ = self._build().query.sql_with_params()
            self._sql[connection.vendor] = sql
        with connection.cursor() as cursor:
            cursor.execute(sql, self._params(*args))
            return list(cursor.fetchall())
