"""Set up, serve and check the floor app (floorsite), with DATABASE_URL from the environment.

python serve_floor.py setup TOKEN     # the tables (dropped first) and a bearer token
python serve_floor.py serve PORT      # gunicorn with Desk Pemilu's own options
python serve_floor.py verify          # every hash recomputed: "OK <rows>" or exit 1
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "floorsite.settings"

import django

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from floorsite.urls import GENESIS  # noqa: E402

from deskpemilu.core.management.commands.serve import (  # noqa: E402
    DeskApplication,
    default_workers,
    gunicorn_options,
)

TABLES = ("floor_token", "floor_sheet", "floor_audit", "floor_head")


def setup(token: str) -> None:
    serial = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
    with transaction.atomic(), connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute("CREATE TABLE floor_token (hash TEXT PRIMARY KEY, user_id INTEGER)")
        cursor.execute(
            f"CREATE TABLE floor_sheet (id {serial} PRIMARY KEY, tps TEXT NOT NULL,"
            " contest TEXT NOT NULL, number INTEGER NOT NULL, body TEXT NOT NULL,"
            " UNIQUE (tps, contest, number))"
        )
        cursor.execute(
            "CREATE TABLE floor_audit (seq BIGINT PRIMARY KEY, prev TEXT NOT NULL,"
            " hash TEXT NOT NULL, payload TEXT NOT NULL)"
        )
        cursor.execute("CREATE TABLE floor_head (id INTEGER PRIMARY KEY, seq BIGINT, hash TEXT)")
        cursor.execute("INSERT INTO floor_head VALUES (1, 0, %s)", [GENESIS])
        digest = hashlib.sha256(token.encode()).hexdigest()
        cursor.execute("INSERT INTO floor_token VALUES (%s, 1)", [digest])


def verify() -> None:
    """The chain recomputed from the genesis, and one audit row for every stored version."""
    prev, count = GENESIS, 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, prev, hash, payload FROM floor_audit ORDER BY seq")
        for seq, before, digest, payload in cursor.fetchall():
            count += 1
            good = (
                before == prev and digest == hashlib.sha256((prev + payload).encode()).hexdigest()
            )
            if seq != count or not good:
                sys.exit(f"floor chain broken at {seq}")
            prev = digest
        cursor.execute("SELECT COUNT(*) FROM floor_sheet")
        sheets = int(cursor.fetchone()[0])
        cursor.execute("SELECT seq, hash FROM floor_head WHERE id = 1")
        head: Any = cursor.fetchone()
    if sheets != count or head != (count, prev):
        sys.exit(f"floor: {sheets} sheets, {count} audit rows, head {head}")
    print(f"OK {count}")


def serve(port: int) -> None:
    def when_ready(server: Any) -> None:
        print(f"floor ready on {port}", flush=True)

    connections.close_all()
    app = DeskApplication(gunicorn_options(f"127.0.0.1:{port}", default_workers(), when_ready))
    app.load = lambda: __import__("floorsite.wsgi", fromlist=["application"]).application
    app.run()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        setup(sys.argv[2])
    elif command == "serve":
        serve(int(sys.argv[2]))
    elif command == "verify":
        verify()
    else:
        sys.exit(__doc__)
