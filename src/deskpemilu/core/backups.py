"""Backups of a whole installation: the database, the media (photos) and a manifest.

A backup is a directory:

    db.sqlite3 or db.dump   the database: SQLite's online backup, or pg_dump's custom format
    media/                  a copy of DESKPEMILU_MEDIA_ROOT (content-addressed photos)
    manifest.json           what was copied: the audit head (seq, hash) and entry count *of the
                            copied database*, the SHA-256 of the database file, the time

Both copies are consistent snapshots taken while the server keeps writing: SQLite's backup API
copies in one step under a read transaction (WAL lets writers go on); pg_dump runs on a snapshot
exported by the same transaction that reads the audit head, so the manifest describes exactly
the dumped data. Media is copied after the database: photos are written before the version that
names them commits, so every photo the copy refers to is there.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from deskpemilu.core.files import private_tree
from deskpemilu.core.pgharness import find_bindir

FORMAT = "deskpemilu-backup/1"
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DB_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


@dataclass(frozen=True)
class AuditState:
    seq: int
    hash: str
    entries: int


# --- The database in use ----------------------------------------------------------------------


def engine() -> str:
    if connection.vendor in {"sqlite", "postgresql"}:
        return str(connection.vendor)
    raise BackupError(f"unsupported database engine {connection.vendor}")


def sqlite_path() -> Path:
    return Path(str(settings.DATABASES["default"]["NAME"]))


def pg_env() -> dict[str, str]:
    """libpq's environment for the configured database: the password never goes on argv."""
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def pg_tool(name: str) -> str:
    """pg_dump/pg_restore: the newest installed version first (it must not be older than the
    server), then whatever the PATH has."""
    bindir = find_bindir()
    if bindir is not None and (bindir / name).exists():
        return str(bindir / name)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"{name} not found: install the PostgreSQL client (postgresql-client)")


def _pg_connect() -> Any:
    import psycopg

    env = pg_env()
    return psycopg.connect(
        autocommit=True,
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
        dbname=env.get("PGDATABASE"),
        sslmode=env.get("PGSSLMODE"),
        connect_timeout=10,
    )


def database_counts() -> tuple[int, int]:
    """(audit entries, accounts) of the configured database; (0, 0) when it has no tables."""
    from django.db import connection

    tables = set(connection.introspection.table_names())
    counts = []
    for table in ("audit_auditentry", "accounts_user"):
        if table not in tables:
            counts.append(0)
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed table names
            counts.append(int(cursor.fetchone()[0]))
    return counts[0], counts[1]


# --- Copying ----------------------------------------------------------------------------------


def _audit_state(cursor: Any) -> AuditState:
    cursor.execute("SELECT seq, hash FROM audit_audithead WHERE id = 1")
    row = cursor.fetchone()
    cursor.execute("SELECT COUNT(*) FROM audit_auditentry")
    entries = int(cursor.fetchone()[0])
    if row is None:
        return AuditState(0, "0" * 64, entries)
    return AuditState(int(row[0]), str(row[1]), entries)


def snapshot_sqlite(dest: Path) -> AuditState:
    source_path = sqlite_path()
    if not source_path.exists():
        raise BackupError(f"the database {source_path} does not exist")
    source = sqlite3.connect(source_path, timeout=20)
    target = sqlite3.connect(dest)
    try:
        # pages=-1: the whole database in one step, i.e. one read transaction: a consistent
        # snapshot. A step-by-step copy would restart each time a writer commits.
        source.backup(target, pages=-1)
        # A self-contained file (no -wal beside it), so its SHA-256 describes all of it.
        target.execute("PRAGMA journal_mode=DELETE")
        return _audit_state(target.cursor())
    finally:
        target.close()
        source.close()


def snapshot_postgresql(dest: Path) -> AuditState:
    tool = pg_tool("pg_dump")
    conn = _pg_connect()
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        state = _audit_state(conn.cursor())
        # pg_dump sees exactly what this transaction sees, while it stays open.
        result = subprocess.run(  # noqa: S603 - a fixed tool, no shell
            [tool, "--format=custom", f"--snapshot={snapshot}", f"--file={dest}"],
            env=pg_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return state
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def copy_media(source: Path, dest: Path) -> tuple[int, int]:
    """Copy the photo files (not half-written *.tmp ones); returns (files, bytes). Existing
    files are kept: names are content hashes, so a file of the same name is the same photo."""
    files = size = 0
    dest.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return 0, 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.suffix == ".tmp":
            continue
        target = dest / path.relative_to(source)
        files += 1
        size += path.stat().st_size
        if target.exists() and target.stat().st_size == path.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return files, size


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version() -> str:
    try:
        return metadata.version("deskpemilu")
    except metadata.PackageNotFoundError:
        return "unknown"


def make_backup(target: Path) -> dict[str, Any]:
    """Write a backup directory at `target` (which must not exist, or be empty); returns the
    manifest. Built beside the target and renamed into place, so a half-made backup never
    looks complete."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} already exists and is not empty: choose a new path")
    kind = engine()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = target.parent / f".{target.name}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(mode=0o700)
    try:
        db_file = work / DB_FILES[kind]
        state = snapshot_sqlite(db_file) if kind == "sqlite" else snapshot_postgresql(db_file)
        files, size = copy_media(Path(settings.MEDIA_ROOT), work / MEDIA_DIR)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": kind,
            "database_file": db_file.name,
            "database_sha256": sha256_of(db_file),
            "database_bytes": db_file.stat().st_size,
            "audit": asdict(state),
            "media": {"files": files, "bytes": size},
            "deskpemilu_version": _version(),
        }
        _write_synced(work / MANIFEST, json.dumps(manifest, indent=2) + "\n")
        private_tree(work)  # a copy of the database is as secret as the database
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _write_synced(path: Path, text: str) -> None:
    with path.open("w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


# --- Restoring --------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a backup directory, after checking the database file against it."""
    path = source / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{path} not found: not a Desk Pemilu backup") from exc
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} cannot be read: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
    db_file = source / str(manifest.get("database_file", ""))
    if manifest.get("database_file") not in DB_FILES.values() or not db_file.is_file():
        raise BackupError(f"the database file of {source} is missing")
    if sha256_of(db_file) != manifest.get("database_sha256"):
        raise BackupError(f"{db_file} does not match its SHA-256 in the manifest: damaged copy")
    return manifest


def restore_sqlite(db_file: Path) -> None:
    target_path = sqlite_path()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=20)
    try:
        # Through SQLite, not a file copy: a -wal file beside the target cannot be replayed
        # over the restored pages, and the target keeps its WAL mode.
        source.backup(target, pages=-1)
    finally:
        target.close()
        source.close()


def restore_postgresql(db_file: Path) -> None:
    tool = pg_tool("pg_restore")
    result = subprocess.run(  # noqa: S603 - a fixed tool, no shell
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={pg_env()['PGDATABASE']}",
            str(db_file),
        ],
        env=pg_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing changed): {result.stderr.strip()}")
