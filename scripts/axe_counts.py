"""Serious + critical axe-core violations per page and viewport, for a before/after note.

Not part of `make test`. It builds a throw-away SQLite installation from a source tree
(`--src`, by default this checkout's `src/`), starts `deskpemilu serve` from it, signs in as each
role of the accessibility gate (browser/tests/test_accessibility.py: the same cast, menu walk
and key flows) in headless Chromium at 1366×900 and 390×844, and prints a JSON table
`{viewport: {"user path": [violations, nodes]}}` on standard output (violations: serious or
critical rules failed on the page, as the gate counts them; nodes: the elements they flag).
Another commit: `git worktree add /tmp/axe-before COMMIT` and `--src /tmp/axe-before/src`
(this venv runs it).

    .venv/bin/python scripts/axe_counts.py [--src DIR] [-o FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "src"))

from deskpemilu.browser.tests.conftest import CHROMIUM_ARGS, PASSWORD  # noqa: E402
from deskpemilu.browser.tests.test_accessibility import (  # noqa: E402
    CAST,
    FLOWS,
    VIEWPORTS,
    menu,
    severe_violations,
    sign_in,
)
from deskpemilu.core.pgharness import free_port  # noqa: E402


class Desk:
    def __init__(self, url: str) -> None:
        self.url = url


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run(  # noqa: S603  (our own command line)
        [sys.executable, "-m", "deskpemilu", *args],
        env=env, input=stdin, text=True, check=True, capture_output=True, timeout=600,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=str(HERE / "src"))
    parser.add_argument("-o", "--output", default="")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="axe-counts-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(args.src).resolve()),
        "DATABASE_URL": f"sqlite:///{tmp / 'desk.sqlite3'}",
        "DESKPEMILU_VAR_DIR": str(tmp / "var"),
        "DESKPEMILU_TESTING": "1",
    }
    for name in ("DESKPEMILU_PRODUCTION", "DESKPEMILU_MEDIA_ROOT", "DESKPEMILU_DEBUG"):
        env.pop(name, None)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_mataram")
    for username, role, scope, agency in CAST:
        extra = (["--scope", scope] if scope else []) + (["--agency", agency] if agency else [])
        manage(env, "create_account", username, "--role", role, *extra, "--password-stdin",
               stdin=PASSWORD + "\n")  # fmt: skip
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603  (our own command line)
        [sys.executable, "-m", "deskpemilu", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        table = walk(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    text = json.dumps(table, indent=1, ensure_ascii=False)
    if args.output:
        Path(args.output).write_text(text)
    print(text)


def walk(url: str) -> dict[str, dict[str, list[int]]]:
    from playwright.sync_api import sync_playwright

    desk = Desk(url)
    table: dict[str, dict[str, list[int]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for viewport, size in VIEWPORTS.items():
            for username, *_rest in CAST:
                context = browser.new_context(viewport=size, locale="id-ID")
                page = sign_in(context, desk, username)  # type: ignore[arg-type]
                for path in menu(page) + FLOWS.get(username, []):
                    response = page.goto(f"{url}{path}")
                    status = response.status if response else 0
                    found = severe_violations(page) if status == 200 else []
                    key = f"{username} {path}" + ("" if status == 200 else f" [{status}]")
                    table.setdefault(viewport, {})[key] = [
                        len(found),
                        sum(v["nodes"] for v in found),
                    ]
                context.close()
        browser.close()
    return table


if __name__ == "__main__":
    main()
