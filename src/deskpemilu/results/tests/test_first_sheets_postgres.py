"""Concurrent first sheets across new regions on PostgreSQL: no deadlock (issue 16).

The first sheet below a region once inserted the region's rollup rows while holding the locks of
the rows above it, and two such writers deadlocked (HTTP 500 in 2 of 9 load runs). Now the rows
exist from the election's loading (rollups.ensure_rows) and every write locks kelurahan, sheet,
rollups (code order) and audit head in one order. Two real servers, real connections, 16
clients, the first sheets of every kelurahan interleaved, in two phases: with every rollup row
deleted (regions the loaders never saw: the writes make the rows), then with the rows made up
front. Like the crash proofs it starts its own PostgreSQL, once, in the SQLite pass.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator

import pytest

from deskpemilu.core.tests.loadkit import Installation, load, postgres, ppwp_sheet, tps_list

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs once, in the SQLite pass; it starts its own PostgreSQL and servers",
)

PER_KELURAHAN = 4


@pytest.fixture
def pg_installation() -> Iterator[Installation]:
    with postgres() as server:
        installation = Installation(server.url)
        yield installation
        installation.close()


def interleaved_first_sheets(installation: Installation, offset: int) -> list[tuple[str, dict]]:
    """PER_KELURAHAN first sheets of every kelurahan, ordered so that consecutive requests fall
    in different kelurahan and kecamatan (the load takes them from the end)."""
    by_kelurahan: dict[str, list[tuple[str, int, int]]] = {}
    for code, dl, dp in tps_list(installation):
        by_kelurahan.setdefault(code[:10], []).append((code, dl, dp))
    work = []
    for round_ in range(offset, offset + PER_KELURAHAN):
        for i, rows in enumerate(by_kelurahan.values()):
            if round_ < len(rows):
                code, dl, dp = rows[round_]
                work.append((code, ppwp_sheet(dl, dp, round_ * 100 + i)))
    return list(reversed(work))


def run_python(installation: Installation, code: str) -> str:
    prefix = "from deskpemilu.results.models import Rollup as R; "
    return installation.run("shell", "-c", prefix + code).strip().splitlines()[-1]


def test_concurrent_first_sheets_across_new_regions_never_fail(
    pg_installation: Installation,
) -> None:
    installation = pg_installation
    assert int(run_python(installation, "print(R.objects.count())")) > 0, "made by the loaders"
    # First: every rollup row gone, as for regions the loaders never saw, so the writes make
    # them. Then: the rows made again (rebuild_rollups) and the next sheets of every kelurahan.
    run_python(installation, "print(R.objects.all().delete())")
    figures = []
    for phase, offset in (("rows made by the writes", 0), ("rows up front", PER_KELURAHAN)):
        if offset:
            installation.run("rebuild_rollups")
        work = interleaved_first_sheets(installation, offset)
        urls = [installation.serve(workers=2), installation.serve(workers=2)]
        try:
            outcome = load(urls, installation.token, work, 16, threading.Event())
        finally:
            installation.stop_servers()
        assert outcome.failures == 0, f"{phase}: {outcome.failures} failed (5xx or no answer)"
        assert outcome.conflicts == 0, phase
        assert len(outcome.acknowledged) == len(work), phase
        assert installation.run("check_recap").startswith("OK"), phase
        assert installation.run("verify_audit").startswith("OK"), phase
        figures.append(len(work))
    assert figures == [200, 200]  # 50 kelurahan × PER_KELURAHAN, each phase
    assert neighbour_read_plan(installation) == []


# The plan lines of the neighbour read and the sheet's lock that go by the contest (a share of
# the installation) rather than by the kelurahan's TPS, printed by a shell in the installation.
PLAN = """
import json
from django.db import connection
from deskpemilu.results.services import _SURROUNDINGS_SQL
from deskpemilu.results.services import _LOCK_SHEET_SQL
params = ["ppwp", "5271011004", "5271011004001", "5271011004001", "ppwp"]
lines = []
with connection.cursor() as cursor:
    cursor.execute("EXPLAIN " + _SURROUNDINGS_SQL["postgresql"], params)
    lines += [row[0] for row in cursor.fetchall()]
    cursor.execute("EXPLAIN " + _LOCK_SHEET_SQL["postgresql"], ["k", "5271011004001", "ppwp"])
    lines += [row[0] for row in cursor.fetchall()]
print(json.dumps([line for line in lines if "contest_id" in line and "Index Cond" in line
                  and "tps_id" not in line or "Seq Scan on results_sheet" in line]))
"""


def neighbour_read_plan(installation: Installation) -> list[str]:
    """The night's first minutes: the tables filled a moment ago, PostgreSQL's statistics still
    those of the empty tables. The neighbour read once walked every sheet of the contest then
    (3.3 ms at 300 sheets, growing with the nation); it must go from the kelurahan's TPS."""
    found: list[str] = json.loads(installation.run("shell", "-c", PLAN).strip().splitlines()[-1])
    return found
