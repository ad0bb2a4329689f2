"""The floor server beside Desk Pemilu's (see floor/floorsite): started on the same database
server (SQLite: a file of its own in the installation's var dir; PostgreSQL: tables of its own
in the same database), with the same gunicorn options, and its chain checked after a run."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path

from common import BIN, free_port, run, serving

SCRIPT = Path(__file__).resolve().parent / "floor" / "serve_floor.py"
PYTHON = str(BIN / "python")


def floor_env(env: dict[str, str]) -> dict[str, str]:
    var = Path(env["DESKPEMILU_VAR_DIR"])
    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        url = f"sqlite:///{var / 'floor.sqlite3'}"
    return {**env, "DATABASE_URL": url}


@contextlib.contextmanager
def floor_server(env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(url, token) of a fresh floor server."""
    env = floor_env(env)
    token = secrets.token_urlsafe(32)
    run([PYTHON, str(SCRIPT), "setup", token], env)
    port = free_port()
    with serving([PYTHON, str(SCRIPT), "serve", str(port)], env, port, "floor.log") as url:
        yield url, token


def verify_floor(env: dict[str, str]) -> str:
    """'OK <rows>' when every floor hash recomputes and every sheet has its audit row."""
    return run([PYTHON, str(SCRIPT), "verify"], floor_env(env)).strip()
