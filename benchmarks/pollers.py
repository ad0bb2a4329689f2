"""16 screens polling the situation room, as the browser polls: each keeps the ETag of its last
answer and sends it as If-None-Match (304 while nothing changed). Half poll the room's live block,
half the TV mode's; every screen is signed in as a viewer account of its own (the leaders' screens;
a verifier would first need a second factor).

Two runs per installation: quiet (every poll after the first is a 304 or a cached block), and
during the count (a writer adds an audited change every WRITE_EVERY seconds, so the data version
moves and every screen needs the new block). Kota Mataram (1,248 TPS) and the most populous
province of a generated national dataset (`generate_national`, 823,220 TPS by default).

    .venv/bin/python benchmarks/pollers.py [--seconds 20] [--tps 823220] [--postgres]
        [--only mataram|province] [--redraw SECONDS]

The blocks are redrawn at most once per DESKPEMILU_SITUATION_REDRAW_SECONDS (2 by default);
`--redraw 0` measures the old rule, one drawing per write and reader variant.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common import DESKPEMILU, account_with_token, installation, run, server, write_figures

SCREENS = 16
PATHS = ("/situasi/fragmen/", "/situasi/tv/fragmen/")
WRITE_EVERY = 0.2  # seconds: 5 audited changes a second while the count runs


def session_cookie(env: dict[str, str], username: str, role: str) -> str:
    """A desk account and a signed-in session for it (as after the login page)."""
    run(
        [DESKPEMILU, "create_account", username, "--role", role, "--password-stdin"],
        env,
        stdin="Bench-Password-2024!\n",
    )
    code = (
        "from django.conf import settings; from django.test import Client;"
        "from deskpemilu.accounts.models import User;"
        f"c=Client(); c.force_login(User.objects.get(username='{username}'));"
        "n=settings.SESSION_COOKIE_NAME; print(n + '=' + c.cookies[n].value)"
    )
    return run([DESKPEMILU, "shell", "-c", code], env).split()[-1]


class Screen(threading.Thread):
    def __init__(self, url: str, path: str, cookie: str, until: float) -> None:
        super().__init__(daemon=True)
        host, port = url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.path, self.cookie, self.until = path, cookie, until
        self.times: list[float] = []
        self.status: dict[int, int] = {}

    def run(self) -> None:
        etag = ""
        while time.monotonic() < self.until:
            headers = {"Cookie": self.cookie, "X-Requested-With": "fetch"}
            if etag:
                headers["If-None-Match"] = etag
            started = time.perf_counter()
            self.conn.request("GET", self.path, headers=headers)
            response = self.conn.getresponse()
            response.read()
            self.times.append((time.perf_counter() - started) * 1000)
            self.status[response.status] = self.status.get(response.status, 0) + 1
            etag = response.getheader("ETag") or etag


@contextmanager
def writer(url: str, token: str, region: str) -> Iterator[list[int]]:
    """An audited change every WRITE_EVERY seconds (an incident report) while the block runs."""
    host, port = url.removeprefix("http://").split(":")
    done = threading.Event()
    statuses: list[int] = []

    def work() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        body = {
            "category": "logistik",
            "severity": "rendah",
            "region_code": region,
            "occurred_at": "2024-02-14T08:00:00+08:00",
            "description": "Benchmark: kotak suara terlambat",
        }
        while not done.wait(WRITE_EVERY):
            conn.request(
                "POST",
                "/api/v1/incidents",
                body=json.dumps(body),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        yield statuses
    finally:
        done.set()
        thread.join()


def poll(url: str, cookies: list[str], seconds: int) -> dict[str, float]:
    until = time.monotonic() + seconds
    screens = [Screen(url, PATHS[i % len(PATHS)], c, until) for i, c in enumerate(cookies)]
    started = time.monotonic()
    for s in screens:
        s.start()
    for s in screens:
        s.join()
    elapsed = time.monotonic() - started
    times = sorted(t for s in screens for t in s.times)
    status: dict[int, int] = {}
    for s in screens:
        for code, n in s.status.items():
            status[code] = status.get(code, 0) + n
    bad = sum(n for code, n in status.items() if code not in (200, 304))
    if bad:
        sys.exit(f"pollers: {bad} answers other than 200/304: {status}")
    cuts = statistics.quantiles(times, n=100)
    return {
        "per_s": round(len(times) / elapsed, 1),
        "p50_ms": round(cuts[49], 1),
        "p99_ms": round(cuts[98], 1),
        "share_304": round(status.get(304, 0) / len(times), 2),
    }


def measure(env: dict[str, str], label: str, region: str, seconds: int) -> dict[str, float]:
    token = account_with_token(env, "bench_desk", "admin")
    cookies = [session_cookie(env, f"bench_screen_{i}", "viewer") for i in range(SCREENS)]
    figures: dict[str, float] = {}
    with server(env) as url:
        poll(url, cookies, 3)  # warm the workers
        quiet = poll(url, cookies, seconds)
        with writer(url, token, region) as statuses:
            busy = poll(url, cookies, seconds)
        if any(s != 201 for s in statuses):
            sys.exit(f"pollers: the writer got {sorted(set(statuses))}")
    for run_label, result in (("quiet", quiet), ("writes", busy)):
        print(f"[{label}, {run_label}] {json.dumps(result)}", file=sys.stderr)
        for name, value in result.items():
            figures[f"pollers_{label}_{run_label}_{name}"] = value
    figures[f"pollers_{label}_writer_per_s"] = round(len(statuses) / seconds, 1)
    return figures


def mataram(database_url: str | None, seconds: int) -> dict[str, float]:
    with installation(database_url) as env:
        run([DESKPEMILU, "seed_mataram"], env)
        return measure(env, "mataram", "5271011004", seconds)


def province(database_url: str | None, seconds: int, tps: int) -> dict[str, float]:
    with installation(database_url) as env:
        run([DESKPEMILU, "generate_national", "--tps", str(tps)], env)
        code = (
            "from deskpemilu.regions.models import Region as R;"
            "p=R.objects.filter(level='provinsi').order_by('-tps_count').first();"
            "d=R.objects.filter(level='desa', code__startswith=p.code).first();"
            "print(p.code, p.tps_count, d.code)"
        )
        code, count, desa = run([DESKPEMILU, "shell", "-c", code], env).split()[-3:]
        env["DESKPEMILU_REGION"] = code  # an installation for the province
        figures = measure(env, "province", desa, seconds)
        figures["pollers_province_tps"] = float(count)
        return figures


@contextmanager
def database(postgres: bool) -> Iterator[str | None]:
    """None for SQLite; else a PostgreSQL server of its own (generate_national wants an empty
    database)."""
    if not postgres:
        yield None
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from deskpemilu.core.pgharness import Server, find_bindir

    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL binaries not found (apt-get install postgresql)")
    pg = Server(bindir)
    pg.start()
    try:
        yield pg.url
    finally:
        pg.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--tps", type=int, default=823_220)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--only", choices=("mataram", "province"), default="")
    parser.add_argument("--redraw", type=float, default=None, help="the redraw window, seconds")
    args, _rest = parser.parse_known_args()
    if args.redraw is not None:  # the servers inherit it through installation()'s environment
        os.environ["DESKPEMILU_SITUATION_REDRAW_SECONDS"] = str(args.redraw)
    figures: dict[str, float] = {}
    if args.only != "province":
        with database(args.postgres) as url:
            figures.update(mataram(url, args.seconds))
    if args.only != "mataram":
        with database(args.postgres) as url:
            figures.update(province(url, args.seconds, args.tps))
    write_figures(figures)
    for name, value in sorted(figures.items()):
        print(f"{name:44} {value:>10}")


if __name__ == "__main__":
    main()
