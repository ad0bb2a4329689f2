"""A real Desk Pemilu for the browser: `deskpemilu serve` (gunicorn) on a throwaway SQLite
database, migrated and seeded in subprocesses, and Playwright driving Debian's Chromium.

Not pytest-django's live_server: it shares the test database and flushes it after each test,
and the audit table's triggers refuse the DELETE that a flush needs (rightly: the log is
append-only). A separate server also runs what an installation runs: migrations, the seed, the
production WSGI server, static files, the CSP headers.

Skipped when Chromium or Playwright is missing on a developer's machine; under CI (CI=true) a
missing browser is a failure, not a skip. It runs once per `make test`: in the SQLite pass, not
again when the suite is repeated against PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from deskpemilu.core.pgharness import free_port, in_ci

PASSWORD = "Peramban-Desk-2024!"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLIND_DPD = (
    "from deskpemilu.results.models import Contest; "
    "Contest.objects.filter(code='dpd').update(verification_mode='blind')"
)
ARTIFACTS = Path(__file__).resolve().parents[4] / "var" / "artifacts"


def need(condition: object, reason: str) -> None:
    """Skip on a developer's machine; fail under CI, where the browser suite must run."""
    if condition:
        return
    if in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Desk:
    url: str
    env: dict[str, str]
    log: Path
    accounts: dict[str, str] = field(default_factory=dict)

    def manage(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "deskpemilu", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def account(self, username: str, role: str, scope: str = "", agency: str = "") -> str:
        args = ["create_account", username, "--role", role, "--password-stdin"]
        if scope:
            args += ["--scope", scope]
        if agency:
            args += ["--agency", agency]
        self.manage(*args, stdin=PASSWORD + "\n")
        self.accounts[username] = PASSWORD
        return username

    def token(self, username: str) -> str:
        return self.manage("issue_token", username, "--days", "1").strip()

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise AssertionError("deskpemilu serve did not start:\n" + log.read_text(errors="replace"))


@pytest.fixture(scope="session")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the browser suite runs once, in the SQLite pass")
    need(shutil.which("chromium"), "Chromium is not installed (Debian: apt-get install chromium)")
    tmp = tmp_path_factory.mktemp("browser")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'desk.sqlite3'}",
        "DESKPEMILU_VAR_DIR": str(tmp / "var"),
        "DESKPEMILU_TESTING": "1",
        # The incident flow's webhook receiver listens on 127.0.0.1.
        "DESKPEMILU_WEBHOOK_ALLOW_PRIVATE": "1",
    }
    for name in ("DESKPEMILU_PRODUCTION", "DESKPEMILU_MEDIA_ROOT", "DESKPEMILU_DEBUG"):
        env.pop(name, None)
    desk = Desk(url="", env=env, log=tmp / "serve.log")
    desk.manage("migrate", "--noinput", "-v0")
    desk.manage("seed_mataram")
    # The desk chooses the verification mode per contest; this run has DPD checked by blind
    # double entry and the other four against the photo.
    desk.manage("shell", "-c", BLIND_DPD)
    port = free_port()
    desk.url = f"http://127.0.0.1:{port}"
    with desk.log.open("w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "deskpemilu", "serve", "--port", str(port), "--workers", "3"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(desk.url, proc, desk.log)
            yield desk
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def browser(desk: Desk) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        need(False, "the playwright package is not installed (pip install -e '.[dev]')")
        return
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed browser test shows the server's last requests beside the traceback: CI keeps
    no artifacts, and a timeout says nothing of what the server was doing."""
    report = yield
    desk = getattr(item, "funcargs", {}).get("desk")
    if report.failed and isinstance(desk, Desk) and desk.log.exists():
        tail = desk.server_log().splitlines()[-60:]
        report.sections.append(("deskpemilu serve (last 60 lines)", "\n".join(tail)))
    return report
