"""What every write to results shares: the refusal and answer types, the one rule set of a
sheet body (`check_sheet`), the sheets around a sheet, the locks and the sheet's state with its
rollups. The writes themselves are split by concern, one entry point each: submission.py
(`sheet_submit`, `photos_add`), verification.py (`sheet_verify`, `mismatch_resolve`),
returns.py (`sheet_return`); versions.py makes every version.

Each write runs in one transaction that also moves the rollups and appends the audit entry, so a
sheet, its totals and its record are committed together or not at all. Each checks the actor's
role itself, whatever door called it. Locks are taken in one order: the kelurahan, the sheet,
the rollups (code order), the audit head.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import translation

from deskpemilu.core import rows
from deskpemilu.core.errors import Refusal
from deskpemilu.core.text import storable
from deskpemilu.regions.models import Region, Tps
from deskpemilu.results import rollups, rules
from deskpemilu.results.contests import ContestInfo, dapil_for
from deskpemilu.results.models import Contest, Sheet, SheetVersion
from deskpemilu.tally.codes import Problem
from deskpemilu.tally.sheet import Context, arithmetic_problems, misread_signs, parse_sheet

if TYPE_CHECKING:
    pass

MAX_REASON = 500


class ResultError(Refusal):
    """A refusal with an HTTP-like status and the problems behind it, in the language of the
    request being answered (the active one)."""

    def __init__(self, status: int, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        language = translation.get_language() or "id"
        super().__init__(
            status,
            "" if self.problems else "invalid",
            errors=[
                {"code": p.code, "field": p.field, "message": p.message(language)}
                for p in self.problems
            ],
        )


def refuse(problem: Problem | None) -> None:
    """Raise the refusal of one of results.rules, with its status: the services act on exactly
    the answer the pages show their buttons by."""
    if problem is not None:
        raise ResultError(rules.STATUS[problem.code], [problem])


@dataclass(frozen=True)
class Submitted:
    version: int
    status: str
    flags: list[dict[str, str]]
    created: bool  # True when this call made the sheet's first version
    replayed: bool = False  # True when an Idempotency-Key matched an earlier call


@dataclass(frozen=True)
class Verified:
    version: int
    status: str
    differences: list[str] = field(default_factory=list)


def require_storable(text: str, field_name: str) -> None:
    # The API checks too; the service is the last door before the database for every caller.
    if not storable(text):
        raise ResultError(422, [Problem("bukan_teks", field_name)])


def used_ballots(administrasi: Mapping[str, Any]) -> int:
    return int(administrasi.get("surat_suara_digunakan", 0))


@dataclass(slots=True)
class Around:
    """A sheet around the one being written, as much of it as its signs need: its flags, its
    current version's number and the numbers judged (votes of a neighbour, the counts of
    another ballot). Read with one hand-written statement, not as models: a kelurahan of 25 TPS
    gives 28 of them on every write, inside the lock."""

    pk: int
    tps_id: str
    contest_id: str
    flags: list[dict[str, str]]
    number: int
    suara: dict[str, int]
    administrasi: dict[str, Any]


@dataclass
class Surroundings:
    """The sheets whose numbers a sheet's signs are judged against, read once per write (and
    re-judged after it): the same contest at the kelurahan's other TPS, and the TPS's other
    ballots. Both reads are bounded by one kelurahan, never by the size of the installation."""

    neighbours: list[Around]
    other_ballots: list[Around]

    def context(self, tps: Tps, contest: ContestInfo) -> Context:
        return Context(
            master_dpt=tps.dpt if tps.dpt else None,
            max_voters=contest.max_voters,
            other_ballots_used=[used_ballots(s.administrasi) for s in self.other_ballots],
            neighbour_votes=[s.suara for s in self.neighbours],
        )


_SHEET = Sheet._meta.db_table
_VERSION = SheetVersion._meta.db_table
_TPS = Tps._meta.db_table
# The sheets around one, in one statement: the contest at the kelurahan's other TPS, driven from
# the kelurahan's TPS (the TPS kelurahan index, then the (tps, contest) unique index: a range on
# sheets by contest grew with the nation on SQLite, 344 ms at 823,220 TPS), and the TPS's other
# ballots. Only sheets with a current version; the columns the signs and re-judging need.
_COLUMNS = (
    "s.id, s.tps_id, s.contest_id, s.status, s.flags, v.id, v.number,"
    " v.administrasi, v.suara, v.confirmed_inconsistent"
)
_OTHER_BALLOTS = (
    f" UNION ALL SELECT {_COLUMNS} FROM {_SHEET} s JOIN {_VERSION} v ON v.id = s.current_id"  # noqa: S608 - names from the models
    " WHERE s.tps_id = %s AND s.contest_id <> %s"
)
_SURROUNDINGS_SQL = {
    "sqlite": (
        f"SELECT {_COLUMNS} FROM {_SHEET} s JOIN {_VERSION} v ON v.id = s.current_id"  # noqa: S608 - names from the models
        f" WHERE s.tps_id IN (SELECT code FROM {_TPS} WHERE kelurahan_id = %s)"
        " AND s.contest_id = %s AND s.tps_id <> %s" + _OTHER_BALLOTS
    ),
    # PostgreSQL picks its indexes by its statistics, and those of a table filled a moment ago
    # (election night's first minutes, until autovacuum analyzes it) say "a few rows": it
    # walked every sheet of the contest by the contest index. Here the sheets are found by
    # TPS only (a TPS has one per contest), behind OFFSET 0, which PostgreSQL never flattens
    # or pushes the contest into: no plan can take a share of the installation.
    "postgresql": (
        f"SELECT {_COLUMNS} FROM {_TPS} t CROSS JOIN LATERAL"  # noqa: S608 - names from the models
        f" (SELECT * FROM {_SHEET} x WHERE x.tps_id = t.code OFFSET 0) s"
        f" JOIN {_VERSION} v ON v.id = s.current_id"
        " WHERE s.contest_id = %s AND t.kelurahan_id = %s AND t.code <> %s" + _OTHER_BALLOTS
    ),
}
_JSON = Sheet._meta.get_field("flags")


def decode_json(value: Any) -> Any:
    """A JSON column's value as hand-written SQL fetched it, decoded as the ORM decodes it."""
    return _JSON.from_db_value(value, None, connection)  # type: ignore[arg-type]


# In the models' field order, as Model.from_db wants them.
_SHEET_FIELDS = ["id", "tps_id", "contest_id", "current_id", "status", "flags"]
_VERSION_FIELDS = ["id", "sheet_id", "number", "administrasi", "suara", "confirmed_inconsistent"]


def _sheet(sheet_row: Sequence[Any], version_row: Sequence[Any] | None) -> Sheet:
    """A sheet and its current version from hand-written SQL, as the ORM would load them with
    only these columns (the others load on access, never a silent default)."""
    db = connection.alias
    pk, tps_id, contest_id, status, flags, current_id = sheet_row
    sheet = Sheet.from_db(
        db, _SHEET_FIELDS, [pk, tps_id, contest_id, current_id, status, decode_json(flags)]
    )
    if version_row is not None and version_row[0] is not None:
        vid, sheet_id, number, adm, suara, confirmed = version_row
        values = [vid, sheet_id, number, decode_json(adm), decode_json(suara), bool(confirmed)]
        sheet.current = SheetVersion.from_db(db, _VERSION_FIELDS, values)
    return sheet


def read_surroundings(tps: Tps, contest_code: str) -> list[tuple[Any, ...]]:
    """The sheets around a sheet as the database holds them (rows of `_COLUMNS`): what
    `surroundings` decodes, and what a write compares to learn whether they changed."""
    if connection.vendor == "postgresql":
        params = [contest_code, tps.kelurahan_id, tps.code, tps.code, contest_code]
    else:
        params = [tps.kelurahan_id, contest_code, tps.code, tps.code, contest_code]
    with connection.cursor() as cursor:
        cursor.execute(_SURROUNDINGS_SQL[connection.vendor], params)
        return list(cursor.fetchall())


def surroundings(
    tps: Tps, contest_code: str, rows: Sequence[tuple[Any, ...]] | None = None
) -> Surroundings:
    """The sheets around a sheet, decoded from `rows` (read now unless given)."""
    if rows is None:
        rows = read_surroundings(tps, contest_code)
    neighbours: list[Around] = []
    others: list[Around] = []
    # Only what each kind is judged by is decoded: a neighbour's votes, a ballot's counts.
    for pk, tps_id, contest, _status, flags, _vid, number, adm, suara, _confirmed in rows:
        if tps_id == tps.code:
            others.append(
                Around(pk, tps_id, contest, decode_json(flags), number, {}, decode_json(adm))
            )
        else:
            neighbours.append(
                Around(pk, tps_id, contest, decode_json(flags), number, decode_json(suara), {})
            )
    return Surroundings(neighbours, others)


def check_sheet(
    body: Any,
    *,
    tps: Tps,
    contest: ContestInfo,
    around: Surroundings | None = None,
    checked: CheckedBody | None = None,
) -> tuple[Any, list[Problem]]:
    """Structure, arithmetic and signs of a body, without storing anything: the one rule set
    that every door (form, API, supervisor resolution, import) goes through.

    Raises ResultError(422) for structure, and for arithmetic unless confirmed with a note.
    Returns the parsed sheet and its flags."""
    if checked is None or checked.body is not body:
        checked = check_body(body, tps=tps, contest=contest)
    around = around if around is not None else surroundings(tps, contest.code)
    return checked.sheet, checked.broken + misread_signs(
        checked.sheet, around.context(tps, contest)
    )


@dataclass(frozen=True)
class CheckedBody:
    """A body whose structure and arithmetic passed (`check_body`), and the body it was."""

    body: Any
    sheet: Any
    broken: list[Problem]


def check_body(body: Any, *, tps: Tps, contest: ContestInfo) -> CheckedBody:
    """The rules that need nothing but the body and the TPS's ballot: run before any lock is
    taken (the writers queue for the lock; these need not hold it). Part of `check_sheet`."""
    dapil = dapil_for(contest, tps.code)
    if dapil is None:  # no dapil of the contest covers the TPS: not on its ballot
        raise ResultError(422, [Problem("kontes_tidak_di_tps", "contest")])
    parsed = parse_sheet(body, dapil.keys)
    if parsed.sheet is None:
        raise ResultError(422, parsed.problems)
    sheet = parsed.sheet
    broken = arithmetic_problems(sheet)
    if broken:
        if not sheet.konfirmasi_tidak_konsisten:
            raise ResultError(422, broken)
        if not sheet.catatan:
            raise ResultError(422, [Problem("konfirmasi_tanpa_catatan", "catatan")])
    return CheckedBody(body, sheet, broken)


_ELECTION = Contest._meta.get_field("election")
_OPEN = (
    f"SELECT 1 FROM {Contest._meta.db_table} c JOIN {_ELECTION.related_model._meta.db_table} e"  # type: ignore[union-attr]  # noqa: S608 - names from the models
    f" ON e.code = c.{_ELECTION.column} WHERE c.code = %s AND e.active = %s"
)
_ENTER_SQL = {
    "sqlite": _OPEN,
    # With the kelurahan's lock, in the same statement: one round trip fewer on every write.
    "postgresql": (
        f"SELECT code FROM {Region._meta.db_table} WHERE code = %s"  # noqa: S608 - names from the model
        f" AND EXISTS ({_OPEN}) FOR UPDATE"
    ),
}


def _enter(tps_code: str, contest_code: str) -> None:
    """The door every write to a sheet passes (`lock_sheet`, `relock`): only the active
    election takes writes, the others stay readable; and the sheet's kelurahan is locked.

    The sheets a write touches (itself, its neighbours' and other ballots' flags) are all in
    one kelurahan, so writers queue for it first and then take sheet, rollups (code order) and
    audit head in one fixed order: no deadlock. On SQLite the writers' queue already
    serialises every write, and only the election is checked."""
    if connection.vendor == "postgresql":
        params: list[Any] = [tps_code[:10], contest_code, True]
    else:
        params = [contest_code, True]
    with connection.cursor() as cursor:
        cursor.execute(_ENTER_SQL[connection.vendor], params)
        open_for_entry = cursor.fetchone() is not None
    if not open_for_entry:
        raise ResultError(409, [Problem("pemilihan_tidak_aktif", "contest")])


@dataclass(frozen=True)
class Earlier:
    """The version an Idempotency-Key already made on the sheet: what its replay answers."""

    number: int
    flags: list[dict[str, str]]
    author_id: int | None
    request_sha256: str


def lock_sheet(
    tps: Tps, contest_code: str, idempotency_key: str = ""
) -> tuple[Sheet, Earlier | None]:
    """Lock the TPS × contest row, creating it on the first entry, with the version the
    Idempotency-Key made before if any. Every writer of this sheet queues here; of two
    concurrent creators one insert wins and the other finds the row."""
    _enter(tps.code, contest_code)
    found = _locked_sheet(tps.code, contest_code, idempotency_key)
    if found is None:
        rows.insert(Sheet(tps=tps, contest_id=contest_code), ignore_conflicts=True)
        found = _locked_sheet(tps.code, contest_code, idempotency_key)
        assert found is not None
    return found


_LOCK_SHEET_COLUMNS = (
    "s.id, s.tps_id, s.contest_id, s.status, s.flags, s.current_id, v.id, v.sheet_id,"
    " v.number, v.administrasi, v.suara, v.confirmed_inconsistent,"
    " k.number, k.flags, k.author_id, k.request_sha256"
)
# The version of the Idempotency-Key (NULL when there is none: it matches nothing), by the
# partial unique index of (sheet, key) where the key is not empty.
_LOCK_SHEET_JOINS = (
    f" LEFT JOIN {_VERSION} v ON v.id = s.current_id"
    f" LEFT JOIN {_VERSION} k ON k.sheet_id = s.id AND k.idempotency_key = %s"
    " AND k.idempotency_key <> ''"
)
_LOCK_SHEET_SQL = {
    "sqlite": (
        f"SELECT {_LOCK_SHEET_COLUMNS} FROM {_SHEET} s{_LOCK_SHEET_JOINS}"  # noqa: S608 - names from the models
        " WHERE s.tps_id = %s AND s.contest_id = %s"
    ),
    # The TPS's sheets (a few) first, then the contest: as for the sheets around it, no plan
    # can take the contest index on PostgreSQL's statistics of a table filled a moment ago.
    "postgresql": (
        f"SELECT {_LOCK_SHEET_COLUMNS} FROM {_SHEET} s{_LOCK_SHEET_JOINS}"  # noqa: S608 - names from the models
        " WHERE s.id IN"
        f" (SELECT x.id FROM (SELECT id, contest_id FROM {_SHEET} WHERE tps_id = %s OFFSET 0) x"
        " WHERE x.contest_id = %s) FOR UPDATE OF s"
    ),
}


def _locked_sheet(
    tps_code: str, contest_code: str, idempotency_key: str
) -> tuple[Sheet, Earlier | None] | None:
    """The sheet row locked (FOR UPDATE OF the sheet alone) with its current version and the
    Idempotency-Key's version, in one hand-written statement: the ORM's query building cost
    more than the query on this path."""
    params = [idempotency_key or None, tps_code, contest_code]
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_SHEET_SQL[connection.vendor], params)
        row = cursor.fetchone()
    if row is None:
        return None
    earlier = None
    if row[12] is not None:
        earlier = Earlier(row[12], decode_json(row[13]), row[14], row[15])
    return _sheet(row[:6], row[6:12]), earlier


def relock(sheet: Sheet) -> Sheet:
    _enter(sheet.tps_id, sheet.contest_id)
    return Sheet.objects.select_for_update(of=("self",)).select_related("current").get(pk=sheet.pk)


def set_state(sheet: Sheet, *, current: SheetVersion | None = None, status: str) -> None:
    """Move a locked sheet to a new current version and/or status, with its rollups."""
    before = (sheet.current, sheet.status)
    if current is not None:
        sheet.current = current
    sheet.status = status
    rollups.move(
        tps_code=sheet.tps_id,
        contest_code=sheet.contest_id,
        before=before,
        after=(sheet.current, status),
    )
    rows.update(sheet, ["current", "status", "flags", "flag_codes", "updated_at"])
