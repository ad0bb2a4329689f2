"""The README's screenshots, from a real run: `setup_demo` on a throw-away SQLite database,
`deskpemilu serve`, and headless Chromium (/usr/bin/chromium) signing in as the demo cast, on the
desk's screen (1366×900) and on a phone (390×844). PNGs go to docs/screenshots/, reduced to a
palette so each stays well under 200 KB. Run `make screenshots` (not part of `make test`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "src"))

from deskpemilu.browser.tests.conftest import CHROMIUM_ARGS  # noqa: E402
from deskpemilu.core.pgharness import free_port  # noqa: E402

OUT = HERE / "docs" / "screenshots"
PASSWORD = "Tangkapan-Layar-2024!"  # noqa: S105  (a throw-away demo database)
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# The accounts pictured, as setup_demo makes them: (username, role, scope, agency).
CAST = [
    ("admin", "admin", "", ""),
    ("operator_ampenan_selatan", "operator", "5271011004", "diskominfo"),
    ("lurah_pejeruk", "lurah", "5271011006", ""),
]
OPERATOR, ENTRY = "operator_ampenan_selatan", "/hasil/ppwp/5271011004001/isi/"
# (file, account, path, viewport)
SHOTS = [
    ("situasi-desktop.png", "admin", "/", DESKTOP),
    ("rekap-desktop.png", "admin", "/rekap/ppwp/5271/", DESKTOP),
    ("entri-chasil-desktop.png", OPERATOR, ENTRY, DESKTOP),
    ("beranda-operator-ponsel.png", OPERATOR, "/", PHONE),
    ("entri-chasil-ponsel.png", OPERATOR, ENTRY, PHONE),
    ("lapor-kejadian-ponsel.png", "lurah_pejeruk", "/kejadian/lapor/", PHONE),
]  # fmt: skip


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run(  # noqa: S603  (our own command line)
        [sys.executable, "-m", "deskpemilu", *args],
        env=env, input=stdin, text=True, check=True, capture_output=True, timeout=600,
    )  # fmt: skip


def small_png(data: bytes, path: Path) -> int:
    """A palette PNG: screenshots of flat colours and text lose nothing visible."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    return path.stat().st_size


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="screenshots-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'desk.sqlite3'}",
        "DESKPEMILU_VAR_DIR": str(tmp / "var"),
        # The demo's admin enrols an authenticator at first sign-in; not for a screenshot.
        "DESKPEMILU_2FA_ENFORCED": "0",
    }
    for name in ("DESKPEMILU_PRODUCTION", "DESKPEMILU_MEDIA_ROOT", "DESKPEMILU_DEBUG"):
        env.pop(name, None)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")  # as make run does: whitenoise serves them
    manage(env, "seed_mataram")
    manage(env, "setup_demo")
    # setup_demo's passwords are random and printed once; give the cast one we know.
    for username, role, scope, agency in CAST:
        extra = (["--scope", scope] if scope else []) + (["--agency", agency] if agency else [])
        manage(env, "create_account", username, "--role", role, *extra,
               "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
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
        shoot(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def shoot(url: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for name, username, path, viewport in SHOTS:
            context = browser.new_context(viewport=viewport, locale="id-ID")
            page = context.new_page()
            page.goto(f"{url}/accounts/login/?next={path}")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
            page.goto(f"{url}{path}")
            page.wait_for_load_state("networkidle")
            size = small_png(page.screenshot(), OUT / name)
            print(f"{name}: {size // 1024} KB")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
