"""`deskpemilu serve`: gunicorn answers, and stops cleanly on SIGTERM and on Ctrl-C (SIGINT)."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from deskpemilu.core.pgharness import free_port


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory):
    """A migrated throwaway SQLite database and var/ directory for the server."""
    tmp = tmp_path_factory.mktemp("serve")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'desk.sqlite3'}",
        "DESKPEMILU_VAR_DIR": str(tmp / "var"),
        "DESKPEMILU_TESTING": "1",
    }
    env.pop("DESKPEMILU_PRODUCTION", None)
    subprocess.run(
        [sys.executable, "-m", "deskpemilu", "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=300,
    )
    return env


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local http
            return int(response.status)
    except urllib.error.HTTPError as e:
        return e.code


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["term", "int"])
def test_it_serves_with_gunicorn_and_stops_on_signal(sqlite_env, tmp_path, stop_signal):
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "deskpemilu", "serve", "--port", str(port), "--workers", "2"],
        env=sqlite_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status = get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, (tmp_path / "serve.log").read_text()
        assert get(f"{base}/accounts/login/") == 200

        proc.send_signal(stop_signal)
        started = time.monotonic()
        assert proc.wait(timeout=15) == 0
        assert time.monotonic() - started < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "gunicorn" in output
    assert f"http://127.0.0.1:{port}/" in output  # the URL it serves is printed
    assert "GET /healthz" in output  # the access log goes to stdout
    assert "Traceback" not in output


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 2), (8, 8)])
def test_it_defaults_to_one_worker_per_core(monkeypatch, cores, workers):
    # Issue 16: on 2 cores 5 workers (2 × cores + 1) measured a p99 2-3× worse than 2.
    from deskpemilu.core.management.commands import serve

    monkeypatch.setattr(serve.multiprocessing, "cpu_count", lambda: cores)
    assert serve.default_workers() == workers
