"""The PUT path does not grow with the installation (issue 16): with 50,000 more TPS and sheets
the same PUT sends the same statements, and none of them scans sheets, versions, TPS, regions,
rollups or the audit log whole (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from deskpemilu.accounts.models import ApiToken
from deskpemilu.regions.models import Level, Region, Tps
from deskpemilu.results import contests, rollups
from deskpemilu.results.models import Sheet, SheetVersion
from deskpemilu.results.tests.sheets import sheet_for_tps, with_votes

TPS = "5271011004001"
URL = f"/api/v1/results/ppwp/{TPS}"
BIG_TABLES = (
    "results_sheet",
    "results_sheetversion",
    "regions_tps",
    "regions_region",
    "results_rollup",
    "audit_auditentry",
)


@contextmanager
def statements() -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent to the database, with its (first) parameters."""
    seen: list[tuple[str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if many:
            params = list(params)  # an iterator would be spent here
        seen.append((sql, (params[0] if params else None) if many else params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def shapes(seen: list[tuple[str, Any]]) -> list[str]:
    return [re.sub(r'"s\d+_x\d+"', "SAVEPOINT", sql) for sql, _ in seen]


def put(client: Any, body: dict[str, Any], key: str) -> Any:
    return client.put(
        URL,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def add_fifty_thousand_tps(operator: Any) -> None:
    """Ten kecamatan of 200 kelurahan of 25 TPS under the city, each with a PPWP sheet."""
    now = timezone.now()
    regions, tps = [], []
    for k in range(10):
        kecamatan = f"52719{k}"
        regions.append(
            Region(code=kecamatan, name=kecamatan, level=Level.KECAMATAN, parent_id="5271")
        )
        for d in range(200):
            kelurahan = f"{kecamatan}{2000 + d}"
            regions.append(
                Region(code=kelurahan, name=kelurahan, level=Level.KELURAHAN, parent_id=kecamatan)
            )
            tps += [
                Tps(
                    code=f"{kelurahan}{n:03}",
                    kelurahan_id=kelurahan,
                    number=n,
                    dpt_l=100,
                    dpt_p=100,
                )
                for n in range(1, 26)
            ]
    Region.objects.bulk_create(regions, batch_size=2000)
    Tps.objects.bulk_create(tps, batch_size=5000)
    Sheet.objects.bulk_create(
        [Sheet(tps_id=t.code, contest_id="ppwp") for t in tps], batch_size=5000
    )
    body = sheet_for_tps(TPS)
    sheets = Sheet.objects.filter(tps__kelurahan__code__startswith="52719").values_list(
        "id", flat=True
    )
    SheetVersion.objects.bulk_create(
        [
            SheetVersion(
                sheet_id=pk,
                number=1,
                administrasi=body["administrasi"],
                suara=body["suara"],
                author=operator,
                created_at=now,
                source="import",
                content_sha256="0" * 64,
            )
            for pk in sheets
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE results_sheet SET current_id = (SELECT v.id FROM results_sheetversion v"
            " WHERE v.sheet_id = results_sheet.id) WHERE current_id IS NULL"
        )
    rollups.ensure_rows()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # production statistics; SQLite is tested without any


# The columns that pick out a few rows; an index search on anything else (a contest, a kind, a
# status) reads a share of the whole installation: the neighbour read once searched
# "(contest_id=?)", every sheet of the contest, 344 ms at 823,220 TPS.
SELECTIVE = re.compile(
    r"\((?:[^)]*\b)?(rowid|id|code|tps_id|sheet_id|sheetversion_id|region_id|kelurahan_id"
    r"|current_id|version_id|token_hash|sha256|seq)=\?"
)


def _whole(line: str) -> bool:
    if line.startswith("SCAN "):
        return "CONSTANT ROW" not in line and any(f" {t}" in line for t in BIG_TABLES)
    return line.startswith("SEARCH ") and SELECTIVE.search(line) is None


def full_scans(sql: str, params: Any) -> list[str]:
    """The plan lines that read one of the big tables whole."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            lines = [str(row[3]) for row in cursor.fetchall()]
            return [line for line in lines if _whole(line)]
        cursor.execute("EXPLAIN " + sql, params)
        lines = [str(row[0]) for row in cursor.fetchall()]
        return [
            line
            for line in lines
            if (m := re.search(r"Seq Scan on (\w+)", line)) and m[1] in BIG_TABLES
        ]


@pytest.mark.django_db
def test_a_put_sends_the_same_indexed_statements_with_fifty_thousand_more_tps(api_for, operator):
    client = api_for(operator)
    body = sheet_for_tps(TPS)
    assert put(client, body, "first").status_code == 201
    ApiToken.objects.update(last_used_at=timezone.now())
    with statements() as small:
        response = put(
            client,
            {**with_votes(body, {"1": body["suara"]["1"] + 1}), "alasan_koreksi": "x"},
            "second",
        )
    assert response.status_code == 200, response.content
    add_fifty_thousand_tps(operator)
    assert Tps.objects.count() > 50_000
    # A token's last use is written at most once a minute, and the contests' cache is read
    # again once a minute; generating the TPS can take longer than that on a loaded machine,
    # so the token is marked used and the cache filled now, as before the first.
    ApiToken.objects.update(last_used_at=timezone.now())
    contests.clear_cache()
    contests.contests()
    with statements() as big:
        response = put(
            client,
            {**with_votes(body, {"1": body["suara"]["1"] + 2}), "alasan_koreksi": "x"},
            "third",
        )
    assert response.status_code == 200, response.content
    assert shapes(big) == shapes(small)
    scans = {
        sql: found
        for sql, params in big
        if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE"))
        and (found := full_scans(sql, params))
    }
    assert scans == {}, [line for found in scans.values() for line in found]
