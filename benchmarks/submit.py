"""PPWP sheets through the HTTP API to the production server, 16 concurrent clients (wrk).

Every request is a real PUT: validated, stored as a new version, audited and rolled up. The
first pass over Kota Mataram's 1,248 TPS makes first versions, later passes corrections.
Also measures a bare Django JSON view (/healthz) under the same server, for the ratio, and on
PostgreSQL the same load shared by two servers on the one database (scale-out).

    .venv/bin/python benchmarks/submit.py [--postgres] [--seconds 20]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from pathlib import Path

from common import (
    DESKPEMILU,
    account_with_token,
    installation,
    run,
    server,
    write_figures,
    wrk,
    wrk_together,
)

from deskpemilu.results.synthetic import ppwp_sheet

SCRIPT = Path(__file__).resolve().parent / "submit.lua"


def sheet(dpt_l: int, dpt_p: int, rng: random.Random) -> dict[str, object]:
    return ppwp_sheet(
        dpt_l,
        dpt_p,
        turnout_pct=(rng.randint(70, 90), rng.randint(70, 90)),
        invalid=rng.randint(0, 6),
        shares_pct=(rng.randint(0, 50), rng.randint(0, 50)),
    )


def requests_file(env: dict[str, str], path: Path) -> int:
    text = run([DESKPEMILU, "export_tps", "--format", "csv"], env)
    rng = random.Random(14_02_2024)
    lines = []
    for row in csv.DictReader(io.StringIO(text)):
        body = sheet(int(row["dpt_l"]), int(row["dpt_p"]), rng)
        lines.append(f"/api/v1/results/ppwp/{row['kode_tps']} {json.dumps(body)}")
    rng.shuffle(lines)
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


def report(label: str, result: dict[str, float], count: int, env: dict[str, str]) -> None:
    """Print the run, and stop the benchmark if a request failed or the data does not add up."""
    check = run([DESKPEMILU, "check_recap"], env).strip()
    audit = run([DESKPEMILU, "verify_audit"], env).strip()
    print(
        f"[{label}] {count} TPS; {result['requests']:.0f} PUTs, {result['per_s']:.0f}/s, "
        f"p99 {result['p99_ms']:.1f} ms, non-2xx {result['non_2xx']:.0f}; {check}; "
        f"audit {audit[:40]}…",
        file=sys.stderr,
    )
    if result["non_2xx"]:
        sys.exit(f"[{label}] {result['non_2xx']:.0f} requests failed")


def measure(
    database_url: str | None, seconds: int, label: str, two_servers: bool = False
) -> dict[str, float]:
    with installation(database_url) as env:
        run([DESKPEMILU, "seed_mataram"], env)
        token = account_with_token(env, "bench_operator", "admin")
        path = Path(env["DESKPEMILU_VAR_DIR"]) / "requests.txt"
        count = requests_file(env, path)
        with server(env) as url:
            wrk(url + "/healthz", seconds=3)  # warm the workers
            result = wrk(url, seconds=seconds, script=SCRIPT, script_args=[str(path), token])
            bare = wrk(url + "/healthz", seconds=seconds)
        report(label, result, count, env)
        print(f"[{label}] bare view {bare['per_s']:.0f}/s", file=sys.stderr)
        figures = {
            f"submit_per_s_{label}": round(result["per_s"], 1),
            f"submit_p99_ms_{label}": round(result["p99_ms"], 1),
            f"bare_view_per_s_{label}": round(bare["per_s"], 1),
        }
        if two_servers:
            # Scale-out: two `deskpemilu serve` (each with its default workers) on the one
            # database, the same 16 clients split between them, writing the same TPS.
            with server(env) as first, server(env) as second:
                wrk_together([first + "/healthz", second + "/healthz"], seconds=3)
                both = wrk_together(
                    [first, second], seconds=seconds, script=SCRIPT, script_args=[str(path), token]
                )
            report(f"{label}, two servers", both, count, env)
            figures[f"submit_per_s_{label}_two_servers"] = round(both["per_s"], 1)
            figures[f"submit_p99_ms_{label}_two_servers"] = round(both["p99_ms"], 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    if args.sqlite or not args.postgres:
        figures.update(measure(None, args.seconds, "sqlite"))
    if args.postgres or not args.sqlite:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        from deskpemilu.core.pgharness import Server, find_bindir

        bindir = find_bindir()
        if bindir is None:
            sys.exit("PostgreSQL binaries not found (apt-get install postgresql)")
        pg = Server(bindir)
        pg.start()
        try:
            figures.update(measure(pg.url, args.seconds, "postgres", two_servers=True))
        finally:
            pg.stop()
    figures["bare_view_per_s"] = figures.get(
        "bare_view_per_s_sqlite", figures.get("bare_view_per_s_postgres", 0.0)
    )
    write_figures(figures)
    for name, value in sorted(figures.items()):
        print(f"{name:28} {value:>10}")


if __name__ == "__main__":
    main()
