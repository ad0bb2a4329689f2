"""The one way a sheet version is made, whatever the door (an entry, the API, a supervisor's
resolution): the rules on the body, the version with its flags and photos, the rollups, and the
flags of the sheets around it kept true. The callers hold the sheet's lock and write the audit
entry in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import timezone

from deskpemilu.audit.services import Pending, append
from deskpemilu.core import rows
from deskpemilu.core.photos import StoredPhoto
from deskpemilu.regions.models import Tps
from deskpemilu.results.contests import ContestInfo
from deskpemilu.results.digest import numbers_hash
from deskpemilu.results.models import Photo, Sheet, SheetStatus, SheetVersion
from deskpemilu.results.services import (
    Around,
    CheckedBody,
    Surroundings,
    check_sheet,
    read_surroundings,
    set_state,
    surroundings,
    used_ballots,
)
from deskpemilu.tally.codes import Problem
from deskpemilu.tally.sheet import (
    NEIGHBOUR_CODES,
    TURNOUT_CODES,
    neighbourhood_signs,
    turnout_signs,
)

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


def _flag_dicts(problems: Sequence[Problem]) -> list[dict[str, str]]:
    return [{"code": p.code, "field": p.field, "message": p.message("id")} for p in problems]


def _codes(flags: Sequence[Mapping[str, str]]) -> str:
    return ",".join(sorted({f["code"] for f in flags}))[:300]


@dataclass(frozen=True)
class Reflag:
    """A sheet around the one written whose signs change with it: its flags after."""

    sheet: Around
    flags: list[dict[str, str]]
    before: list[str]
    after: list[str]


@dataclass(frozen=True)
class Judged:
    """A body judged against the sheets around it as `around_rows` held them: its flags and
    the re-flags of those sheets. Valid for that body while those rows are unchanged."""

    body: Any
    around_rows: list[tuple[Any, ...]]
    parsed: Any
    flags: list[Problem]
    reflags: list[Reflag]


def judge(
    body: Any,
    *,
    tps: Tps,
    contest: ContestInfo,
    checked: CheckedBody | None = None,
    around_rows: list[tuple[Any, ...]] | None = None,
) -> Judged:
    """Judge a body against the sheets around it (read now unless `around_rows` are given), without
    writing: `check_sheet`'s rules, and what the sheets around it are flagged once it is stored.

    A submission on SQLite judges before it takes the lock every writer of the database queues
    for, and `store_version` only checks under the lock that the rows did not change since
    (judging again if they did): the flags are those of what is stored, the lock held shorter."""
    if around_rows is None:
        around_rows = read_surroundings(tps, contest.code)
    around = surroundings(tps, contest.code, around_rows)
    parsed, flags = check_sheet(body, tps=tps, contest=contest, around=around, checked=checked)
    reflags = _rejudge(parsed.suara, parsed.administrasi, around)
    return Judged(body, around_rows, parsed, flags, reflags)


def store_version(
    *,
    sheet: Sheet,
    tps: Tps,
    contest: ContestInfo,
    body: Any,
    author: User,
    actor: User,
    source: str,
    reason: str = "",
    idempotency_key: str = "",
    request_sha256: str = "",
    photos: Sequence[StoredPhoto] = (),
    checked: CheckedBody | None = None,
    judged: Judged | None = None,
    audit: list[Pending] | None = None,
) -> SheetVersion:
    """The one way a version is made (whatever the door): run the rules on the body, store the
    version with its flags, make it current, move the rollups and re-judge the sheets whose
    signs depend on it. The caller holds the sheet's lock and writes the audit entry.

    `judged`, from `judge` before the lock, is used only if the sheets around are still as it
    read them; otherwise the body is judged again here, under the lock."""
    around_rows = read_surroundings(tps, contest.code)
    if judged is None or judged.body is not body or judged.around_rows != around_rows:
        judged = judge(body, tps=tps, contest=contest, checked=checked, around_rows=around_rows)
    parsed = judged.parsed
    flag_list = _flag_dicts(judged.flags)
    old = sheet.current
    version = SheetVersion(
        sheet=sheet,
        number=(old.number if old else 0) + 1,
        administrasi=parsed.administrasi,
        suara=parsed.suara,
        catatan=parsed.catatan,
        confirmed_inconsistent=parsed.konfirmasi_tidak_konsisten,
        flags=flag_list,
        author=author,
        created_at=timezone.now(),
        source=source,
        reason=reason.strip(),
        idempotency_key=idempotency_key,
        request_sha256=request_sha256,
        content_sha256=numbers_hash(parsed.administrasi, parsed.suara),
    )
    rows.insert(version)
    attach_photos(version, photos, actor)
    if old is not None:
        # A correction retypes the same paper form: its photos stay with the new version (they
        # also stay in the history of the old one), and more can be added.
        _copy_photos(old, version)
    sheet.flags = flag_list
    sheet.flag_codes = _codes(flag_list)
    # The sheets around re-flagged before the rollups are locked, and their entries appended
    # after: on PostgreSQL every writer of the city queues for its rollup rows and the audit
    # head, so those are held for as short a time as the rules allow.
    reflags = [_store_reflag(r, actor=actor, cause=sheet) for r in judged.reflags]
    set_state(sheet, current=version, status=SheetStatus.ENTERED)
    if audit is None:
        append(reflags)
    else:  # the caller appends them before its own entry, the audit head locked once
        audit.extend(reflags)
    return version


def _rejudge(
    suara: Mapping[str, int], administrasi: Mapping[str, Any], around: Surroundings
) -> list[Reflag]:
    """What keeps the flags of the sheets around true once a sheet with these numbers is
    stored: the same contest at the kelurahan's other TPS (digit shifts, swapped columns) and
    the TPS's other ballots (turnout across ballots). Only the sheets whose signs change."""
    votes = [s.suara for s in around.neighbours] + [suara]
    judged = neighbourhood_signs(votes)
    changes = [
        _reflag(other, NEIGHBOUR_CODES, fresh)
        for other, fresh in zip(around.neighbours, judged, strict=False)
    ]
    used = [used_ballots(s.administrasi) for s in around.other_ballots]
    used.append(used_ballots(administrasi))
    for i, other in enumerate(around.other_ballots):
        fresh = turnout_signs(used[i], used[:i] + used[i + 1 :])
        changes.append(_reflag(other, TURNOUT_CODES, fresh))
    return [c for c in changes if c is not None]


def _reflag(sheet: Around, codes: frozenset[str], fresh: list[Problem]) -> Reflag | None:
    before = sorted(f["code"] for f in sheet.flags if f.get("code") in codes)
    after = sorted(p.code for p in fresh)
    if before == after:
        return None
    kept = [f for f in sheet.flags if f.get("code") not in codes]
    return Reflag(sheet, kept + _flag_dicts(fresh), before, after)


def _store_reflag(change: Reflag, *, actor: User, cause: Sheet) -> Pending:
    """Write a re-flag; its audit entry is returned, to be appended with the write's own."""
    other = change.sheet
    with connection.cursor() as cursor:
        cursor.execute(
            _REFLAG_SQL,
            [_FLAGS.get_db_prep_save(change.flags, connection), _codes(change.flags), other.pk],
        )
    return Pending(
        actor=actor,
        action="sheet.reflag",
        object_type="sheet",
        object_id=f"{other.contest_id}/{other.tps_id}",
        payload={
            "version": other.number,
            "before": change.before,
            "after": change.after,
            "because": f"{cause.contest_id}/{cause.tps_id}",
        },
    )


_FLAGS = Sheet._meta.get_field("flags")
_REFLAG_SQL = f"UPDATE {Sheet._meta.db_table} SET flags = %s, flag_codes = %s WHERE id = %s"  # noqa: S608 - names from the model


def _copy_photos(old: SheetVersion, new: SheetVersion) -> None:
    links = SheetVersion.photos.through
    table = connection.ops.quote_name(links._meta.db_table)
    sql = (
        f"INSERT INTO {table} (sheetversion_id, photo_id)"  # noqa: S608 - the model's table
        f" SELECT %s, photo_id FROM {table} WHERE sheetversion_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [new.pk, old.pk])


def attach_photos(version: SheetVersion, photos: Sequence[StoredPhoto], actor: User) -> None:
    for stored in photos:
        photo, _ = Photo.objects.get_or_create(
            sha256=stored.sha256,
            defaults={
                "file": stored.relative_path,
                "width": stored.width,
                "height": stored.height,
                "size": stored.size,
                "gps": stored.gps,
                "uploaded_by": actor,
            },
        )
        version.photos.add(photo)
