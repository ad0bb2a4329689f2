"""The floor: the least a durable sheet write can cost in Django on this machine.

No apps, no middleware, one view: check the bearer token (one indexed read), parse the JSON
sheet, and in one transaction lock the audit head, insert the sheet's next version, append a
hash-chained audit row and move the head. The same database settings as Desk Pemilu (SQLite in
WAL mode with synchronous=FULL behind Desk Pemilu's writer queue, or the same PostgreSQL), served
by the same gunicorn options. `benchmarks/submit.py` measures Desk Pemilu's submissions against
it (issue 16)."""

from __future__ import annotations

import os

import dj_database_url

SECRET_KEY = "floor-benchmark-only-not-a-secret"  # noqa: S105 - a benchmark, never deployed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "floorsite.urls"
USE_TZ = True

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "deskpemilu.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
