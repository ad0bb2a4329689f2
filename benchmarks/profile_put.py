"""One PUT of a PPWP sheet, taken apart: SQL statements per PUT, CPU per PUT, and a cProfile of
where that CPU goes (token, TPS and scope, the rules' reads, the sheet, the rollups, the audit).

In one process, through Django's test client (the whole middleware and ninja stack, no socket),
on a fresh Kota Mataram installation: first versions, then corrections.

    .venv/bin/python benchmarks/profile_put.py [--postgres] [--sheets 400]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from common import DESKPEMILU, account_with_token, installation, run, write_figures

# Each component is the cumulative time of the functions that do it (module suffix, name).
COMPONENTS: dict[str, list[tuple[str, str]]] = {
    "token": [("api/auth.py", "authenticate")],
    "tps_scope": [("accounts/access.py", "get_tps_for")],
    "rules_reads": [("results/services.py", "read_surroundings")],
    # On SQLite before the lock; under it again only if the sheets around changed.
    "judge": [("results/versions.py", "judge")],
    "rules": [("results/services.py", "check_sheet")],
    "sheet_lock": [("results/services.py", "lock_sheet"), ("results/submission.py", "_replay")],
    "rollups": [("results/rollups.py", "move")],
    "rejudge": [("results/versions.py", "_rejudge")],
    "store_version": [("results/versions.py", "store_version")],
    "audit": [("audit/services.py", "append")],
    "service_total": [("results/submission.py", "sheet_submit")],
}


def sheet(dpt_l: int, dpt_p: int, rng: random.Random) -> dict[str, Any]:
    from deskpemilu.results.synthetic import ppwp_sheet

    return ppwp_sheet(
        dpt_l,
        dpt_p,
        turnout_pct=(rng.randint(70, 90), rng.randint(70, 90)),
        invalid=rng.randint(0, 6),
        shares_pct=(rng.randint(0, 50), rng.randint(0, 50)),
    )


def measure(env: dict[str, str], label: str, sheets: int) -> dict[str, float]:
    text = run([DESKPEMILU, "export_tps", "--format", "csv"], env)
    rows = list(csv.DictReader(io.StringIO(text)))[:sheets]
    token = account_with_token(env, "profile_admin", "admin")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskpemilu.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
    rng = random.Random(16)

    def put(row: dict[str, str], n: int) -> int:
        body = sheet(int(row["dpt_l"]), int(row["dpt_p"]), rng)
        if n:
            body["alasan_koreksi"] = "koreksi"
        response = client.put(
            f"/api/v1/results/ppwp/{row['kode_tps']}",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": f"p{n}-{row['kode_tps']}"},
        )
        assert response.status_code in (200, 201), response.content
        return response.status_code

    # Statements: one first version and one correction, each execute (or executemany) the
    # database is sent, transaction control included.
    first: list[str] = []
    again: list[str] = []

    def counting(seen: list[str]) -> Any:
        def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            seen.append(sql)
            return execute(sql, params, many, context)

        return wrapper

    with connection.execute_wrapper(counting(first)):
        put(rows[0], 0)
    with connection.execute_wrapper(counting(again)):
        put(rows[0], 1)
    # CPU without the profiler, then where it goes with it (on corrections, the common case
    # after the first hour, and on first versions).
    started = time.process_time()
    for row in rows[1:]:
        put(row, 0)
    cpu_first = (time.process_time() - started) / (len(rows) - 1) * 1000
    held = _timing_the_transaction()
    in_sql: list[float] = []
    by_statement: dict[str, float] = {}

    def timing(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            in_sql.append(spent)
            by_statement[sql[:70]] = by_statement.get(sql[:70], 0.0) + spent

    started = time.process_time()
    with connection.execute_wrapper(timing):
        for row in rows[1:]:
            put(row, 1)
    cpu_again = (time.process_time() - started) / (len(rows) - 1) * 1000
    sql_ms = sum(in_sql) / (len(rows) - 1) * 1000
    # On SQLite every writer queues for the one write lock: the time a PUT holds it (BEGIN
    # IMMEDIATE to COMMIT, fsync included) is the ceiling of sheets per second, whatever the cores.
    held_ms = sorted(held)[len(held) // 2] * 1000
    profile = cProfile.Profile()
    profile.enable()
    for row in rows[1:]:
        put(row, 2)
    profile.disable()
    stats = pstats.Stats(profile)
    per_put: dict[str, float] = {}
    whole = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if name == "put" and filename.endswith("profile_put.py"):
            whole = ct
        for component, functions in COMPONENTS.items():
            if any(filename.endswith(suffix) and name == fn for suffix, fn in functions):
                per_put[component] = per_put.get(component, 0.0) + ct
    n = len(rows) - 1
    print(f"\n[{label}] per PUT, statements: first version {len(first)}, correction {len(again)}")
    for sql in again:
        print(f"    {sql[:110]}")
    print(
        f"[{label}] CPU per PUT (no profiler): first {cpu_first:.2f} ms,"
        f" correction {cpu_again:.2f} ms"
    )
    print(
        f"[{label}] write transaction of a correction (lock to commit): p50 {held_ms:.2f} ms,"
        f" a ceiling of {1000 / held_ms:.0f} sheets/s where writers queue for one lock;"
        f" the whole PUT waits {sql_ms:.2f} ms on its statements"
        f" ({len(in_sql) / (len(rows) - 1):.1f})"
    )
    slowest = sorted(by_statement.items(), key=lambda item: -item[1])[:6]
    for sql, spent in slowest:
        print(f"    {spent / (len(rows) - 1) * 1000:6.3f} ms  {sql}")
    print(
        f"[{label}] cProfile of a correction (ms per PUT, cumulative, profiler overhead included):"
    )
    print(f"    {'whole request':16} {whole / n * 1000:7.2f}")
    for component in COMPONENTS:
        print(f"    {component:16} {per_put.get(component, 0.0) / n * 1000:7.2f}")
    if os.environ.get("PROFILE_TOP"):
        stats.sort_stats("cumulative").print_stats("deskpemilu", int(os.environ["PROFILE_TOP"]))
    check = run([DESKPEMILU, "check_recap"], env).strip()
    audit = run([DESKPEMILU, "verify_audit"], env).strip()
    print(f"[{label}] {check[:60]}; audit {audit[:40]}")
    if not check.startswith("OK") or not audit.startswith("OK"):
        sys.exit(f"[{label}] check_recap or verify_audit failed")
    return {
        f"put_statements_first_{label}": len(first),
        f"put_statements_correction_{label}": len(again),
        f"put_cpu_ms_first_{label}": round(cpu_first, 2),
        f"put_cpu_ms_correction_{label}": round(cpu_again, 2),
        f"put_transaction_ms_correction_{label}": round(held_ms, 2),
    }


def _timing_the_transaction() -> list[float]:
    """Time each sheet_submit's transaction, from the lock (BEGIN IMMEDIATE) to its commit."""
    from deskpemilu.results import submission

    real = submission.transaction
    held: list[float] = []

    @contextmanager
    def atomic(*args: Any, **kwargs: Any) -> Iterator[None]:
        started = time.perf_counter()
        with real.atomic(*args, **kwargs):
            yield
        held.append(time.perf_counter() - started)

    submission.transaction = SimpleNamespace(atomic=atomic)  # type: ignore[assignment]
    return held


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheets", type=int, default=400)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    if args.postgres:
        from deskpemilu.core.pgharness import Server, find_bindir

        bindir = find_bindir()
        if bindir is None:
            sys.exit("PostgreSQL binaries not found (apt-get install postgresql)")
        pg = Server(bindir)
        pg.start()
        try:
            with installation(pg.url) as env:
                run([DESKPEMILU, "seed_mataram"], env)
                figures = measure(env, "postgres", args.sheets)
        finally:
            pg.stop()
    else:
        with installation(None) as env:
            run([DESKPEMILU, "seed_mataram"], env)
            figures = measure(env, "sqlite", args.sheets)
    write_figures(figures)


if __name__ == "__main__":
    main()
