"""Rollups: the sums of the counted sheets per region and contest, moved by deltas.

Which sheets count in which kind (provisional, verified) is `counting.counts_in`'s rule alone.

Called inside the transaction that changes a sheet, so a reader never sees a rollup that
disagrees with the sheets. Rows are locked in code order (province first) so two writers
cannot deadlock. `check_rollups` recomputes everything from the sheets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db import connection, transaction
from django.utils import timezone

from deskpemilu.audit.services import record
from deskpemilu.core.rows import database
from deskpemilu.regions.models import Region
from deskpemilu.results.counting import counts_in
from deskpemilu.results.models import Contest, Rollup, RollupKind, Sheet, SheetVersion
from deskpemilu.tally.recap import delta

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

ROLLUP_FIELDS = ("suara_sah", "suara_tidak_sah", "surat_suara_digunakan")
ROLLUP_COLUMNS = [
    "totals",
    "suara_sah",
    "suara_tidak_sah",
    "surat_suara_digunakan",
    "pemilih_dpt",
    "tps_reported",
    "updated_at",
]


def ancestor_codes(tps_code: str) -> list[str]:
    return [tps_code[:n] for n in (2, 4, 6, 10)]


class Numbers(Protocol):
    administrasi: Any
    suara: Any


def version_numbers(version: Numbers | None) -> dict[str, Any]:
    """What one version contributes to a rollup: votes per choice and the counts."""
    if version is None:
        return {"totals": {}, "counts": {}, "reported": 0}
    a = version.administrasi
    counts = {f: int(a.get(f, 0)) for f in ROLLUP_FIELDS}
    counts["pemilih_dpt"] = int(a.get("pemilih_dpt_l", 0)) + int(a.get("pemilih_dpt_p", 0))
    return {"totals": dict(version.suara), "counts": counts, "reported": 1}


def move(
    *,
    tps_code: str,
    contest_code: str,
    before: tuple[SheetVersion | None, str],
    after: tuple[SheetVersion | None, str],
) -> None:
    """Move both kinds of rollups for a sheet going from (version, status) `before` to `after`:
    what counts in each kind is `counting.counts_in`'s answer, nothing else."""
    for kind in RollupKind.values:
        old = before[0] if counts_in(kind, status=before[1], version=before[0]) else None
        new = after[0] if counts_in(kind, status=after[1], version=after[0]) else None
        if old is not None and new is not None and old.pk == new.pk:
            continue
        if old is None and new is None:
            continue
        apply(tps_code=tps_code, contest_code=contest_code, kind=kind, old=old, new=new)


def apply(
    *,
    tps_code: str,
    contest_code: str,
    kind: str,
    old: SheetVersion | None,
    new: SheetVersion | None,
) -> None:
    """Move the rollups of every region above the TPS from `old` to `new`."""
    before, after = version_numbers(old), version_numbers(new)
    votes = delta(before["totals"], after["totals"])
    counts = delta(before["counts"], after["counts"])
    reported = after["reported"] - before["reported"]
    if not votes and not counts and not reported:
        return
    codes = ancestor_codes(tps_code)
    rows = _locked(codes, contest_code, kind)
    if len(rows) < len(codes) and ensure_rows(region_codes=codes, contest_codes=[contest_code]):
        # A region made after the election was loaded (the loaders make every row up front):
        # its rows of every kind at once, so this transaction inserts at most once.
        rows = _locked(codes, contest_code, kind)
    now = timezone.now()
    for row in rows:
        totals = Counter(row.totals)
        totals.update(votes)
        row.totals = {k: v for k, v in totals.items() if v}
        row.suara_sah += counts.get("suara_sah", 0)
        row.suara_tidak_sah += counts.get("suara_tidak_sah", 0)
        row.surat_suara_digunakan += counts.get("surat_suara_digunakan", 0)
        row.pemilih_dpt += counts.get("pemilih_dpt", 0)
        row.tps_reported += reported
        row.updated_at = now
    _save(rows)


_LOCK_SQL = (
    "SELECT id, region_id, totals, suara_sah, suara_tidak_sah, surat_suara_digunakan,"
    " pemilih_dpt, tps_reported FROM {table} WHERE contest_id = %s AND kind = %s"
    " AND region_id IN (%s, %s, %s, %s) ORDER BY region_id"
)


def _locked(codes: list[str], contest_code: str, kind: str) -> list[Rollup]:
    """The rows above a TPS, locked in code order (province first), read with hand-written SQL:
    on the hottest path of election night the ORM's query building cost more than the query."""
    sql = _LOCK_SQL.format(table=connection.ops.quote_name(Rollup._meta.db_table))
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    totals = Rollup._meta.get_field("totals")
    with connection.cursor() as cursor:
        cursor.execute(sql, [contest_code, kind, *codes])
        return [
            Rollup(
                id=pk,
                region_id=region,
                contest_id=contest_code,
                kind=kind,
                totals=totals.from_db_value(raw, None, connection),  # type: ignore[arg-type]
                suara_sah=sah,
                suara_tidak_sah=tidak_sah,
                surat_suara_digunakan=digunakan,
                pemilih_dpt=dpt,
                tps_reported=reported,
            )
            for pk, region, raw, sah, tidak_sah, digunakan, dpt, reported in cursor.fetchall()
        ]


def ensure_rows(
    *, region_codes: Sequence[str] | None = None, contest_codes: Sequence[str] | None = None
) -> int:
    """Make the empty rollup row of every region × contest × kind that has none (all regions and
    contests unless narrowed), in one INSERT that skips the rows already there.

    The loaders (election_load, generate_national, migration results/0004) call it, so a sheet
    write only ever locks and updates rows that exist: no write inserts rollup rows while it
    holds the locks of others, the cause of the PostgreSQL deadlock of issue 16."""
    table, regions, contests = (
        connection.ops.quote_name(m._meta.db_table) for m in (Rollup, Region, Contest)
    )
    kinds = " UNION ALL ".join("SELECT %s AS kind" for _ in RollupKind.values)
    params: list[Any] = [*RollupKind.values]
    where = ["c.is_active"]
    if region_codes is not None:
        where.append(f"r.code IN ({', '.join('%s' for _ in region_codes)})")
        params += list(region_codes)
    if contest_codes is not None:
        where.append(f"c.code IN ({', '.join('%s' for _ in contest_codes)})")
        params += list(contest_codes)
    # The WHERE also keeps SQLite from reading ON CONFLICT as part of the join.
    sql = (
        f"INSERT INTO {table} (region_id, contest_id, kind, totals, suara_sah, suara_tidak_sah,"  # noqa: S608 - names from the models
        " surat_suara_digunakan, pemilih_dpt, tps_reported, updated_at)"
        " SELECT r.code, c.code, k.kind, '{}', 0, 0, 0, 0, 0, NULL"
        f" FROM {regions} r CROSS JOIN {contests} c CROSS JOIN ({kinds}) k"
        f" WHERE {' AND '.join(where)}"
        " ON CONFLICT (region_id, contest_id, kind) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(max(cursor.rowcount, 0))


def rows_for_new_regions(sender: object, codes: Sequence[str], **kwargs: object) -> None:
    """The empty rows of regions just created (`regions.signals.regions_created`, inside the
    loader's transaction): a later sheet of theirs then only locks and updates, as everywhere.
    In slices, under every database's limit of query parameters."""
    for start in range(0, len(codes), 1000):
        ensure_rows(region_codes=codes[start : start + 1000])


def _save(rows: list[Rollup]) -> None:
    """Write the locked rows back with one prepared UPDATE. This is the hottest statement of
    election night: bulk_update's CASE expressions cost more CPU than the whole rest of a
    submission, so the fields go through their own db-prep (JSON, time zone) and executemany."""
    fields = [f for f in Rollup._meta.concrete_fields if f.name in ROLLUP_COLUMNS]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    table = connection.ops.quote_name(Rollup._meta.db_table)
    sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608 - names from the model
    db = database()  # not the proxy: dozens of attribute reads follow
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), db) for f in fields] + [row.pk] for row in rows
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, params)


@dataclass(slots=True)
class _Current:
    """What the sums need of a current version, read as values rather than as a model."""

    administrasi: dict[str, Any]
    suara: dict[str, Any]
    confirmed_inconsistent: bool


def _add(
    sums: dict[tuple[str, str, str], dict[str, Any]],
    key: tuple[str, str, str],
    part: dict[str, Any],
    reported: int,
) -> None:
    row = sums.get(key)
    if row is None:
        row = sums[key] = {"totals": Counter(), "counts": Counter(), "reported": 0}
    row["totals"].update(part["totals"])
    row["counts"].update(part["counts"])
    row["reported"] += reported


def expected_rollups() -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every rollup recomputed from the current versions (for the invariant check): summed per
    kelurahan first, then carried up, so each sheet is added once per kind, not once per level."""
    by_kelurahan: dict[tuple[str, str, str], dict[str, Any]] = {}
    rows = Sheet.objects.exclude(current=None).values_list(
        "tps_id",
        "contest_id",
        "status",
        "current__administrasi",
        "current__suara",
        "current__confirmed_inconsistent",
    )
    all_kinds = RollupKind.values
    for tps, contest, status, administrasi, suara, confirmed in rows.iterator(chunk_size=2000):
        current = _Current(administrasi, suara, confirmed)
        kinds = [k for k in all_kinds if counts_in(k, status=status, version=current)]
        if not kinds:
            continue
        numbers = version_numbers(current)
        for kind in kinds:
            _add(by_kelurahan, (tps[:10], contest, kind), numbers, 1)
    expected: dict[tuple[str, str, str], dict[str, Any]] = {}
    for (kelurahan, contest, kind), part in by_kelurahan.items():
        for code in ancestor_codes(kelurahan):
            _add(expected, (code, contest, kind), part, part["reported"])
    return expected


def check_rollups() -> list[str]:
    """Differences between the stored rollups and the sums of the sheets (empty = consistent)."""
    existing = set(Region.objects.values_list("code", flat=True))
    expected = {k: v for k, v in expected_rollups().items() if k[0] in existing}
    problems: list[str] = []
    seen = set()
    stored = Rollup.objects.values_list(
        "region_id", "contest_id", "kind", "totals", "suara_sah", "suara_tidak_sah",
        "surat_suara_digunakan", "pemilih_dpt", "tps_reported",
    )  # fmt: skip
    for region, contest, kind, totals, *figures in stored.iterator(chunk_size=5000):
        key = (region, contest, kind)
        seen.add(key)
        want = expected.get(key, {"totals": Counter(), "counts": Counter(), "reported": 0})
        have_totals = {k: v for k, v in totals.items() if v}
        want_totals = {k: v for k, v in want["totals"].items() if v}
        have = (have_totals, *figures)
        counts: Mapping[str, int] = want["counts"]
        wanted = (
            want_totals,
            counts.get("suara_sah", 0),
            counts.get("suara_tidak_sah", 0),
            counts.get("surat_suara_digunakan", 0),
            counts.get("pemilih_dpt", 0),
            want["reported"],
        )
        if have != wanted:
            problems.append(f"{key}: stored {have} != sheets {wanted}")
    for key in expected.keys() - seen:
        problems.append(f"{key}: missing rollup")
    return problems


def rebuild_rollups(*, actor: User | None) -> int:
    """Recompute every rollup from the sheets (after a restore or a repair), audited with what
    differed before: a rebuild also hides a changed rollup, so it leaves its own record."""
    with transaction.atomic():
        differed = check_rollups()
        Rollup.objects.all().delete()
        now = timezone.now()
        rows = [
            Rollup(
                region_id=code,
                contest_id=contest,
                kind=kind,
                totals={k: v for k, v in data["totals"].items() if v},
                suara_sah=data["counts"].get("suara_sah", 0),
                suara_tidak_sah=data["counts"].get("suara_tidak_sah", 0),
                surat_suara_digunakan=data["counts"].get("surat_suara_digunakan", 0),
                pemilih_dpt=data["counts"].get("pemilih_dpt", 0),
                tps_reported=data["reported"],
                updated_at=now,
            )
            for (code, contest, kind), data in expected_rollups().items()
        ]
        existing = set(Region.objects.values_list("code", flat=True))
        Rollup.objects.bulk_create([r for r in rows if r.region_id in existing], batch_size=1000)
        ensure_rows()  # and the empty rows, which writes expect to find
        record(
            actor=actor,
            actor_name="" if actor is not None else "command:rebuild_rollups",
            action="rollups.rebuild",
            object_type="rollup",
            payload={"rows": len(rows), "differed": len(differed), "first": differed[:10]},
        )
    return len(rows)
