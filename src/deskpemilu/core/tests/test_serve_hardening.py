"""Against a real `deskpemilu serve` set up by `make run`'s steps under a permissive umask:
the var directory, database, secret key, photos and backups are the service user's own, and the
lock-out behind a trusted proxy stops the guesser's address, not the account's owner."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from deskpemilu.core.pgharness import free_port

PASSWORD = "Sandi-Operator-Kenari-2024"


def run(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "deskpemilu", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        # A permissive umask, as a login shell often has: the modes must not depend on it.
        preexec_fn=lambda: os.umask(0o002),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def serve(env: dict, log_path: Path):
    """`deskpemilu serve` (two workers) started under a permissive umask: (process, log, url)."""
    port = free_port()
    log = log_path.open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "deskpemilu", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=lambda: os.umask(0o002),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                return proc, log, base
        except (OSError, urllib.error.URLError):
            if time.monotonic() > deadline or proc.poll() is not None:
                log.seek(0)
                raise AssertionError("serve did not start:\n" + log.read()) from None
            time.sleep(0.2)


def stop(proc, log) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """`make run`'s steps on the embedded default (SQLite under var/), then the server."""
    tmp = tmp_path_factory.mktemp("hardening")
    var = tmp / "var"
    env = {**os.environ, "DESKPEMILU_VAR_DIR": str(var), "DESKPEMILU_TRUSTED_PROXIES": "127.0.0.1"}
    for name in (
        "DATABASE_URL",
        "DESKPEMILU_TESTING",
        "DESKPEMILU_PRODUCTION",
        "DESKPEMILU_MEDIA_ROOT",
    ):
        env.pop(name, None)
    run(env, "migrate", "--noinput", "-v0")
    run(env, "seed_mataram")
    run(env, "setup_demo")
    run(env, "create_account", "op_kunci", "--role", "viewer", "--password-stdin", stdin=PASSWORD)
    proc, log, base = serve(env, tmp / "serve.log")
    try:
        yield {"url": base, "env": env, "var": var, "tmp": tmp}
    finally:
        stop(proc, log)


@pytest.fixture(scope="module")
def lockout_desk(request, tmp_path_factory):
    """The embedded desk; in the PostgreSQL pass, a server on that PostgreSQL instead."""
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        yield request.getfixturevalue("desk")
        return
    tmp = tmp_path_factory.mktemp("lockout-pg")
    env = {
        **os.environ,
        "DESKPEMILU_VAR_DIR": str(tmp / "var"),
        "DESKPEMILU_TRUSTED_PROXIES": "127.0.0.1",
    }
    for name in ("DESKPEMILU_TESTING", "DESKPEMILU_PRODUCTION", "DESKPEMILU_MEDIA_ROOT"):
        env.pop(name, None)
    run(env, "migrate", "--noinput", "-v0")
    run(env, "create_account", "op_kunci", "--role", "viewer", "--password-stdin", stdin=PASSWORD)
    proc, log, base = serve(env, tmp / "serve.log")
    try:
        yield {"url": base, "env": env}
    finally:
        stop(proc, log)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(desk, username: str, password: str, forwarded_for: str) -> int:
    """One browser from one address: fetch the form, post it; the answer's status."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    headers = {"X-Forwarded-For": forwarded_for}
    url = desk["url"] + "/accounts/login/"
    with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as page:  # noqa: S310
        html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, html
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(url, data=body, headers={**headers, "Referer": url})  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_five_wrong_passwords_lock_only_the_guessers_address(lockout_desk):
    desk = lockout_desk
    statuses = [sign_in(desk, "op_kunci", "salah-sandi", "203.0.113.66") for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert sign_in(desk, "op_kunci", PASSWORD, "203.0.113.66") == 429  # the guesser is stopped
    assert sign_in(desk, "op_kunci", PASSWORD, "198.51.100.7") == 302  # the owner is not


def test_the_files_are_the_service_users_own(desk):
    var, env, tmp = desk["var"], desk["env"], desk["tmp"]
    # A request that writes: the server's workers keep the database open (its -wal and -shm).
    assert sign_in(desk, "op_kunci", "salah-sandi", "192.0.2.1") == 200
    # A photo through the store, and a backup, as the running installation would make them.
    run(
        env,
        "shell",
        "-c",
        (
            "import io; from PIL import Image; from deskpemilu.core.photos import store_photo; "
            "b = io.BytesIO(); Image.new('RGB', (64, 48), 'white').save(b, 'JPEG'); "
            "store_photo(b.getvalue())"
        ),
    )
    run(env, "backup", str(tmp / "cadangan"))
    assert mode(var) == 0o700
    database = var / "deskpemilu.sqlite3"
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        assert path.exists(), path
        assert mode(path) == 0o600, path
    assert mode(var / "secret_key") == 0o600
    for path in [var / "media", *(var / "media").rglob("*")]:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path
    backup = tmp / "cadangan"
    for path in [backup, *backup.rglob("*")]:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path
    others = [p for p in var.rglob("*") if p.stat().st_mode & 0o077 and "static" not in p.parts]
    assert others == []
