"""The SQLite engine's queue for writers (core/sqlite/base.py), on a real database file."""

from __future__ import annotations

import fcntl
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db.utils import OperationalError

from deskpemilu.core.sqlite.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker: Any) -> Any:
    # These tests open SQLite files of their own, on either test database.
    with django_db_blocker.unblock():
        yield


def wrapper(path: Path, timeout: float = 20) -> DatabaseWrapper:
    settings_dict = {
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": timeout,
            "init_command": "PRAGMA journal_mode=WAL;",
        },
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(settings_dict)


def begin(db: DatabaseWrapper) -> None:
    # What transaction.atomic() does on SQLite when it opens the outermost block.
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def finish(db: DatabaseWrapper) -> None:
    db.commit()
    db.set_autocommit(True)


def in_thread(work: Any) -> threading.Thread:
    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_a_second_writer_waits_for_the_first_and_then_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    first_in, release, events = threading.Event(), threading.Event(), []

    def first() -> None:
        db = wrapper(path)
        begin(db)
        db.cursor().execute("CREATE TABLE t (v INTEGER)")
        first_in.set()
        release.wait(10)
        events.append("first commits")
        finish(db)
        db.close()

    def second() -> None:
        db = wrapper(path)
        first_in.wait(10)
        begin(db)  # queues on the lock file until the first commits
        events.append("second begins")
        db.cursor().execute("INSERT INTO t VALUES (1)")
        finish(db)
        db.close()

    threads = [in_thread(first), in_thread(second)]
    first_in.wait(10)
    time.sleep(0.2)
    assert events == []  # the second writer is waiting, not failing
    with open(f"{path}.writers") as lock_file, pytest.raises(BlockingIOError):
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the first holds the queue
    release.set()
    for thread in threads:
        thread.join(10)
    assert events == ["first commits", "second begins"]


def test_a_writer_that_waits_past_the_timeout_gets_database_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    holding, done, failures = threading.Event(), threading.Event(), []

    def holder() -> None:
        db = wrapper(path)
        begin(db)
        holding.set()
        done.wait(10)
        finish(db)
        db.close()

    def impatient() -> None:
        db = wrapper(path, timeout=0.2)
        holding.wait(10)
        started = time.monotonic()
        try:
            begin(db)
        except OperationalError as error:
            failures.append((str(error), time.monotonic() - started))
        db.close()

    threads = [in_thread(holder), in_thread(impatient)]
    threads[1].join(10)
    done.set()
    threads[0].join(10)
    assert len(failures) == 1
    message, waited = failures[0]
    assert "locked" in message
    assert 0.2 <= waited < 2


def test_a_rolled_back_or_closed_writer_lets_the_next_one_in(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    db = wrapper(path, timeout=0.5)
    begin(db)
    db.rollback()
    db.set_autocommit(True)
    begin(db)
    db.close()  # a connection dropped in the middle of a transaction
    other = wrapper(path, timeout=0.5)
    begin(other)  # would raise "locked" if either left the lock held
    finish(other)
    other.close()


@pytest.mark.parametrize("name", [":memory:", "file:memorydb_x?mode=memory&cache=shared"])
def test_in_memory_databases_have_no_lock_file(name: str) -> None:
    db = wrapper(Path(name))
    db.settings_dict["NAME"] = name
    assert db._writer_lock_path() is None


@pytest.mark.parametrize(
    "query",
    [
        "SELECT a FROM t WHERE b = %s AND c LIKE '50%%' AND d IN (%s, %s)",
        "UPDATE t SET a = %s WHERE id = %s",
        "SELECT 1",
    ],
)
def test_the_remembered_conversion_to_qmarks_is_djangos(query):
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    from deskpemilu.core.sqlite.base import CursorWrapper

    django_own = SQLiteCursorWrapper.convert_query(None, query)  # type: ignore[arg-type]
    assert CursorWrapper.convert_query(None, query) == django_own  # type: ignore[arg-type]
    assert CursorWrapper.convert_query(None, query) == django_own  # type: ignore[arg-type]
    named = "SELECT %(a)s, %(b)s"
    assert CursorWrapper.convert_query(None, named, param_names=["a", "b"]) == (  # type: ignore[arg-type]
        SQLiteCursorWrapper.convert_query(None, named, param_names=["a", "b"])  # type: ignore[arg-type]
    )
