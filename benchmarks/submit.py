"""PPWP sheets through the HTTP API to the production server, 16 concurrent clients (wrk).

Every request is a real PUT: validated, stored as a new version, audited and rolled up. The
first pass over Kota Mataram's 1,248 TPS makes first versions, later passes corrections.
Each database gets three short runs (--runs), each a bare Django JSON view (/healthz) and then
the submissions under the same server: the ratio submission ÷ bare view of each run, the middle
run's figures, the spread over the runs, and check_recap and verify_audit after every run.
Each run also measures the floor (floor/floorsite: the least a durable sheet write costs in
Django here, served the same way) between the bare view and the submissions: floor ÷ bare
view, and submission ÷ floor. On
PostgreSQL also the same load shared by two servers on the one database (scale-out).

    .venv/bin/python benchmarks/submit.py [--postgres|--sqlite] [--seconds 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import statistics
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
from floor import floor_server, verify_floor

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
        f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"non-2xx {result['non_2xx']:.0f}; {check[:40]}; audit {audit[:40]}…",
        file=sys.stderr,
    )
    if result["non_2xx"] or result["socket_errors"]:
        sys.exit(f"[{label}] {result['non_2xx']:.0f} requests failed")
    if not check.startswith("OK") or not audit.startswith("OK"):
        sys.exit(f"[{label}] check_recap or verify_audit failed")


def report_floor(label: str, result: dict[str, float], env: dict[str, str], acked: float) -> None:
    """Stop the benchmark if a floor request failed, its chain does not verify, or it stored
    fewer sheets than the runs so far acknowledged (`acked`)."""
    chain = verify_floor(env)
    print(
        f"[{label}] {result['requests']:.0f} PUTs, {result['per_s']:.0f}/s, p99"
        f" {result['p99_ms']:.1f} ms, non-2xx {result['non_2xx']:.0f}; chain {chain}",
        file=sys.stderr,
    )
    if result["non_2xx"] or result["socket_errors"] or not chain.startswith("OK"):
        sys.exit(f"[{label}] the floor failed")
    # Every answered PUT is stored (a few more may have been committed after wrk stopped).
    if int(chain.split()[1]) < acked:
        sys.exit(f"[{label}] the floor stored fewer sheets than it acknowledged")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def spread(values: list[float]) -> str:
    return f"{min(values):.3g}–{max(values):.3g}"


def measure(
    database_url: str | None, seconds: int, label: str, runs: int, two_servers: bool = False
) -> dict[str, float]:
    """`runs` short runs, each the bare view and then the submissions under the same server:
    the ratio of each run is measured within seconds, so a shared machine's load shifts both."""
    with installation(database_url) as env:
        run([DESKPEMILU, "seed_mataram"], env)
        token = account_with_token(env, "bench_operator", "admin")
        path = Path(env["DESKPEMILU_VAR_DIR"]) / "requests.txt"
        count = requests_file(env, path)
        results, bares, floors, floor_bares, loads = [], [], [], [], []
        with server(env) as url, floor_server(env) as (floor_url, floor_token):
            wrk(url + "/healthz", seconds=3)  # warm the workers
            wrk(floor_url + "/healthz", seconds=3)
            for n in range(runs):
                # Back to back under the same conditions: Desk Pemilu's bare view, the floor's
                # bare view and durable write (floor/floorsite), then the submissions.
                loads.append(load_average())
                bares.append(wrk(url + "/healthz", seconds=seconds))
                floor_bares.append(wrk(floor_url + "/healthz", seconds=seconds))
                floors.append(
                    wrk(
                        floor_url,
                        seconds=seconds,
                        script=SCRIPT,
                        script_args=[str(path), floor_token],
                    )
                )
                acked = sum(f["requests"] for f in floors)
                report_floor(f"{label} run {n + 1}, floor", floors[-1], env, acked)
                results.append(
                    wrk(url, seconds=seconds, script=SCRIPT, script_args=[str(path), token])
                )
                report(f"{label} run {n + 1}", results[-1], count, env)
                loads[-1] += " → " + load_average()
        ratios = [r["per_s"] / b["per_s"] for r, b in zip(results, bares, strict=True)]
        floor_ratios = [f["per_s"] / b["per_s"] for f, b in zip(floors, bares, strict=True)]
        versus = [r["per_s"] / f["per_s"] for r, f in zip(results, floors, strict=True)]
        for n in range(runs):
            r, b, f, fb = results[n], bares[n], floors[n], floor_bares[n]
            print(
                f"[{label} run {n + 1}] load {loads[n]}; bare view {b['per_s']:.0f}/s (floor's"
                f" {fb['per_s']:.0f}/s); floor write {f['per_s']:.0f}/s = {floor_ratios[n]:.3f}"
                f" of bare, p99 {f['p99_ms']:.1f} ms; submission {r['per_s']:.0f}/s ="
                f" {ratios[n]:.3f} of bare, {versus[n]:.3f} of the floor; p50 {r['p50_ms']:.1f} ms,"
                f" p99 {r['p99_ms']:.1f} ms",
                file=sys.stderr,
            )
        middle = sorted(range(runs), key=lambda i: ratios[i])[runs // 2]
        floor_middle = sorted(range(runs), key=lambda i: floor_ratios[i])[runs // 2]
        figures = {
            f"floor_per_s_{label}": round(floors[floor_middle]["per_s"], 1),
            f"floor_p99_ms_{label}": round(floors[floor_middle]["p99_ms"], 1),
            f"floor_ratio_{label}": round(floor_ratios[floor_middle], 3),
            f"floor_ratio_spread_{label}": spread(floor_ratios),  # type: ignore[dict-item]
            f"submit_vs_floor_{label}": round(statistics.median(versus), 3),
            f"submit_vs_floor_spread_{label}": spread(versus),  # type: ignore[dict-item]
            f"submit_per_s_{label}": round(results[middle]["per_s"], 1),
            f"submit_p50_ms_{label}": round(results[middle]["p50_ms"], 1),
            f"submit_p99_ms_{label}": round(results[middle]["p99_ms"], 1),
            f"bare_view_per_s_{label}": round(bares[middle]["per_s"], 1),
            f"submit_ratio_{label}": round(ratios[middle], 3),
            f"submit_ratio_spread_{label}": spread(ratios),  # type: ignore[dict-item]
            f"submit_p99_spread_{label}": spread([r["p99_ms"] for r in results]),  # type: ignore[dict-item]
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
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    if args.sqlite or not args.postgres:
        figures.update(measure(None, args.seconds, "sqlite", args.runs))
    if args.postgres or not args.sqlite:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        from deskpemilu.core.pgharness import Server, find_bindir

        bindir = find_bindir()
        if bindir is None:
            sys.exit("PostgreSQL binaries not found (apt-get install postgresql)")
        pg = Server(bindir)
        pg.start()
        try:
            figures.update(measure(pg.url, args.seconds, "postgres", args.runs, two_servers=True))
        finally:
            pg.stop()
    figures["bare_view_per_s"] = figures.get(
        "bare_view_per_s_sqlite", figures.get("bare_view_per_s_postgres", 0.0)
    )
    write_figures(figures)
    for name, value in sorted(figures.items()):
        print(f"{name:34} {value:>10}")


if __name__ == "__main__":
    main()
