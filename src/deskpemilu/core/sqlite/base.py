"""SQLite with a queue for writers: the database engine of `DATABASE_URL=sqlite:///…`.

SQLite lets one writer in at a time. A second writer's BEGIN IMMEDIATE is refused and SQLite's
busy handler retries after growing sleeps (1, 2, 5 … 100 ms), so under load the lock sits idle
while waiters sleep: on election night five server workers managed 36 sheets/s with a p99 of
1.9 s. Here each write transaction first takes an advisory lock on a file beside the database
(`<database>.writers`), polled every fraction of a millisecond, and SQLite's own lock is then
always free. Readers never touch it (WAL). The kernel drops the lock when a process dies, so a
killed worker cannot block the others.
"""

from __future__ import annotations

import fcntl
import functools
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

from deskpemilu.core.files import private_file

FIRST_POLL_S = 0.0002
LONGEST_POLL_S = 0.002


@functools.lru_cache(maxsize=1024)
def _qmark(query: str) -> str:
    return str(base.FORMAT_QMARK_REGEX.sub("?", query)).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, remembering its conversion of `%s` to `?` per statement: a regular
    expression over every statement's text cost a sheet write more than some statements."""

    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None:
            return _qmark(query)
        return query % {name: f":{name}" for name in param_names}  # as Django's own


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: Any = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None

    def get_new_connection(self, conn_params: Any) -> Any:
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            # SQLite gives -wal and -shm the mode of the database file: 0600 for all three.
            name = str(self.settings_dict["NAME"])
            for path in (name, f"{name}-wal", f"{name}-shm", f"{name}.writers"):
                private_file(path)
        return connection

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writers"

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer_lock()
            raise

    def _take_writer_lock(self) -> None:
        path = self._writer_lock_path()
        if path is None or self._writer_fd is not None:
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 20))
        deadline = time.monotonic() + timeout
        pause = FIRST_POLL_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise OperationalError("database is locked (writer queue)") from None
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_POLL_S)
            else:
                self._writer_fd = fd
                return

    def _release_writer_lock(self) -> None:
        fd, self._writer_fd = self._writer_fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_writer_lock()
