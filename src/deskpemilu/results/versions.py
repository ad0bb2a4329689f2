"""The one way a sheet version is made, whatever the door (an entry, the API, a supervisor's
resolution): the rules on the body, the version with its flags and photos, the rollups, and the
flags of the sheets around it kept true. The callers hold the sheet's lock and write the audit
entry in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    audit: list[Pending] | None = None,
) -> SheetVersion:
    """The one way a version is made (whatever the door): run the rules on the body, store the
    version with its flags, make it current, move the rollups and re-judge the sheets whose
    signs depend on it. The caller holds the sheet's lock and writes the audit entry."""
    around = surroundings(tps, contest.code)
    parsed, flags = check_sheet(body, tps=tps, contest=contest, around=around, checked=checked)
    flag_list = _flag_dicts(flags)
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
    # The sheets around re-judged before the rollups are locked, and their entries appended
    # after: on PostgreSQL every writer of the city queues for its rollup rows and the audit
    # head, so those are held for as short a time as the rules allow.
    reflags = _rejudge(sheet, version, around, actor=actor)
    set_state(sheet, current=version, status=SheetStatus.ENTERED)
    if audit is None:
        append(reflags)
    else:  # the caller appends them before its own entry, the audit head locked once
        audit.extend(reflags)
    return version


def _rejudge(
    sheet: Sheet, version: SheetVersion, around: Surroundings, *, actor: User
) -> list[Pending]:
    """Keep the flags of the sheets around true now that this one changed: the same contest at
    the kelurahan's other TPS (digit shifts, swapped columns) and the TPS's other ballots
    (turnout across ballots). Each changed sheet is updated; its audit entry is returned."""
    votes = [s.suara for s in around.neighbours] + [version.suara]
    judged = neighbourhood_signs(votes)
    entries = [
        _replace_signs(other, NEIGHBOUR_CODES, fresh, actor=actor, cause=sheet)
        for other, fresh in zip(around.neighbours, judged, strict=False)
    ]
    used = [used_ballots(s.administrasi) for s in around.other_ballots]
    used.append(used_ballots(version.administrasi))
    for i, other in enumerate(around.other_ballots):
        fresh = turnout_signs(used[i], used[:i] + used[i + 1 :])
        entries.append(_replace_signs(other, TURNOUT_CODES, fresh, actor=actor, cause=sheet))
    return [e for e in entries if e is not None]


def _replace_signs(
    sheet: Around,
    codes: frozenset[str],
    fresh: list[Problem],
    *,
    actor: User,
    cause: Sheet,
) -> Pending | None:
    before = sorted(f["code"] for f in sheet.flags if f.get("code") in codes)
    after = sorted(p.code for p in fresh)
    if before == after:
        return None
    kept = [f for f in sheet.flags if f.get("code") not in codes]
    flags = kept + _flag_dicts(fresh)
    with connection.cursor() as cursor:
        cursor.execute(
            _REFLAG_SQL, [_FLAGS.get_db_prep_save(flags, connection), _codes(flags), sheet.pk]
        )
    sheet.flags = flags
    return Pending(
        actor=actor,
        action="sheet.reflag",
        object_type="sheet",
        object_id=f"{sheet.contest_id}/{sheet.tps_id}",
        payload={
            "version": sheet.number,
            "before": before,
            "after": after,
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
