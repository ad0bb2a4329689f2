"""The PostgreSQL harness: starts a throwaway server, runs a command against it, removes it."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deskpemilu.core import pgharness

needs_postgres = pytest.mark.skipif(
    pgharness.find_bindir() is None and not pgharness.in_ci(),
    reason="PostgreSQL binaries (initdb) not installed; under CI this never skips",
)

PROBE = """
import os, psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
    print("select", conn.execute("SELECT 1").fetchone()[0])
    print("fsync", conn.execute("SHOW fsync").fetchone()[0])
    print("superuser", conn.execute("SHOW is_superuser").fetchone()[0])
raise SystemExit(7)
"""


def harness(*command: str, **kwargs: object) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.Popen(
        [sys.executable, "-m", "deskpemilu.core.pgharness", "--", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,  # type: ignore[arg-type]
    )


def cluster_of(line: str) -> tuple[int, Path]:
    found = re.search(r"on 127\.0\.0\.1:(\d+), cluster (\S+),", line)
    assert found, line
    return int(found.group(1)), Path(found.group(2))


def refuses(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) != 0


@needs_postgres
def test_it_runs_a_command_against_a_fresh_server_and_removes_it():
    proc = harness(sys.executable, "-c", PROBE)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 7, out  # the command's exit code, passed on
    assert "select 1" in out
    assert "fsync on" in out
    assert "superuser on" in out  # the test runner creates test_deskpemilu itself
    port, cluster = cluster_of(out)
    assert not cluster.exists()
    assert refuses(port)


@needs_postgres
def test_it_stops_the_server_when_terminated():
    proc = harness(
        sys.executable, "-c", "import time; print('child ready', flush=True); time.sleep(120)"
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    port, cluster = cluster_of(first)
    assert proc.stdout.readline().strip() == "child ready"
    assert not refuses(port)
    proc.send_signal(signal.SIGTERM)
    started = time.monotonic()
    proc.communicate(timeout=60)
    assert time.monotonic() - started < 30
    assert proc.returncode == 130
    assert not cluster.exists()
    assert refuses(port)


def test_it_skips_without_postgres_outside_ci(monkeypatch, capsys):
    monkeypatch.setattr(pgharness, "find_bindir", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    assert pgharness.main(["--", "true"]) == 0
    assert "PostgreSQL not found: skipping the PostgreSQL run" in capsys.readouterr().out


def test_it_fails_without_postgres_under_ci(monkeypatch, capsys):
    monkeypatch.setattr(pgharness, "find_bindir", lambda: None)
    monkeypatch.setenv("CI", "true")
    assert pgharness.main(["--", "true"]) == 1
    assert "under CI this is an error" in capsys.readouterr().err


def test_it_wants_a_command():
    assert pgharness.main(["--"]) == 2
