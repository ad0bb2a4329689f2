"""The recap at national scale: a synthetic dataset of 823,220 TPS with a full PPWP result,
then the p95 time to read the national, a province and a kecamatan recap through the API.

    .venv/bin/python benchmarks/national.py [--tps 823220] [--postgres] [--requests 200]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
from pathlib import Path

from common import DESKPEMILU, account_with_token, installation, run, server, write_figures


def p95_ms(url: str, path: str, token: str, count: int) -> float:
    host, port = url.removeprefix("http://").split(":")
    times = []
    for _ in range(count):
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        conn.close()
        if response.status != 200:
            sys.exit(f"GET {path} answered {response.status}")
    return statistics.quantiles(times, n=20)[18]


def pick(env: dict[str, str]) -> tuple[str, str]:
    """The most populous province, and a kecamatan in it."""
    code = (
        "from deskpemilu.regions.models import Region as R;"
        "p=R.objects.filter(level='provinsi').order_by('-tps_count').first();"
        "k=R.objects.filter(level='kecamatan', code__startswith=p.code).order_by('-tps_count')"
        ".first(); print(p.code, k.code)"
    )
    province, kecamatan = run([DESKPEMILU, "shell", "-c", code], env).split()[-2:]
    return province, kecamatan


def measure(database_url: str | None, tps: int, count: int) -> dict[str, float]:
    with installation(database_url) as env:
        started = time.monotonic()
        out = run([DESKPEMILU, "generate_national", "--tps", str(tps)], env)
        generated = time.monotonic() - started
        print(out.strip(), file=sys.stderr)
        token = account_with_token(env, "bench_viewer", "viewer")
        province, kecamatan = pick(env)
        with server(env) as url:
            for path in ("/api/v1/recap/ppwp/0", f"/api/v1/recap/ppwp/{province}"):
                p95_ms(url, path, token, 5)  # warm the workers
            figures = {
                "national_tps": float(tps),
                "generate_national_s": round(generated, 1),
                "recap_national_ms": round(p95_ms(url, "/api/v1/recap/ppwp/0", token, count), 1),
                "recap_province_ms": round(
                    p95_ms(url, f"/api/v1/recap/ppwp/{province}", token, count), 1
                ),
                "recap_kecamatan_ms": round(
                    p95_ms(url, f"/api/v1/recap/ppwp/{kecamatan}", token, count), 1
                ),
            }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tps", type=int, default=823_220)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if args.postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        from deskpemilu.core.pgharness import Server, find_bindir

        bindir = find_bindir()
        if bindir is None:
            sys.exit("PostgreSQL binaries not found (apt-get install postgresql)")
        pg = Server(bindir)
        pg.start()
        try:
            figures = measure(pg.url, args.tps, args.requests)
        finally:
            pg.stop()
    else:
        figures = measure(None, args.tps, args.requests)
    write_figures(figures)
    for name, value in sorted(figures.items()):
        print(f"{name:28} {value:>10}")


if __name__ == "__main__":
    main()
