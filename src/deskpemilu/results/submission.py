"""Submitting a sheet version (CONTRACT.md's PUT) and adding photos to the current one. Each
write is one transaction with its audit entry; a repeated Idempotency-Key answers the first call
again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from deskpemilu.audit.services import Pending, append, record
from deskpemilu.core.photos import StoredPhoto
from deskpemilu.regions.models import Tps
from deskpemilu.results import rules
from deskpemilu.results.contests import ContestInfo
from deskpemilu.results.digest import CONTENT_KEY, NUMBERS_KEY, content_hash
from deskpemilu.results.models import Sheet, SheetStatus, SheetVersion, Source
from deskpemilu.results.services import (
    MAX_REASON,
    Earlier,
    ResultError,
    Submitted,
    check_body,
    lock_sheet,
    refuse,
    relock,
    require_storable,
    set_state,
)
from deskpemilu.results.versions import attach_photos, judge, store_version
from deskpemilu.tally.codes import Problem

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


def request_hash(body: Any, reason: str, if_match: int | None) -> str:
    """What an Idempotency-Key is bound to, besides its caller: the request as sent."""
    text = json.dumps({"body": body, "reason": reason, "if_match": if_match}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(earlier: Earlier | None, actor: User, request_sha256: str) -> Submitted | None:
    """The first answer again for the same request; a refusal for a key used otherwise."""
    if earlier is None:
        return None
    if earlier.author_id != actor.pk or earlier.request_sha256 not in ("", request_sha256):
        raise ResultError(422, [Problem("kunci_idempotensi_dipakai", "Idempotency-Key")])
    number = earlier.number
    return Submitted(number, SheetStatus.ENTERED, earlier.flags, created=number == 1, replayed=True)


def sheet_submit(
    *,
    actor: User,
    tps: Tps,
    contest: ContestInfo,
    body: Any,
    source: str = Source.API,
    idempotency_key: str = "",
    if_match: int | None = None,
    reason: str = "",
    photos: Sequence[StoredPhoto] = (),
) -> Submitted:
    """Store a new version of the TPS's sheet for the contest (CONTRACT.md's PUT)."""
    _refuse_request(actor, idempotency_key, reason)
    fingerprint = request_hash(body, reason, if_match)
    # The body's own rules before the lock every writer queues for; the signs against the
    # sheets around it are judged against what is stored when the lock is held.
    checked = check_body(body, tps=tps, contest=contest)
    judged = judge(body, tps=tps, contest=contest, checked=checked) if _judge_early() else None
    with transaction.atomic():
        sheet, earlier = lock_sheet(tps, contest.code, idempotency_key)
        replay = _replay(earlier, actor, fingerprint)
        if replay is not None:
            return replay
        _refuse_over(sheet, actor, if_match, reason)
        old = sheet.current
        entries: list[Pending] = []
        was_verified = sheet.status == SheetStatus.VERIFIED
        returned = sheet.status == SheetStatus.RETURNED
        version = store_version(
            sheet=sheet,
            tps=tps,
            contest=contest,
            body=body,
            author=actor,
            actor=actor,
            source=source,
            reason=reason,
            idempotency_key=idempotency_key,
            request_sha256=fingerprint,
            photos=photos,
            checked=checked,
            judged=judged,
            audit=entries,
        )
        payload = {
            **_submitted_payload(version, source, photos),
            "unlocked_verified": was_verified,
            "after_return": returned,
        }
        entries.append(
            Pending(
                actor=actor,
                action="sheet.submit",
                object_type="sheet",
                object_id=f"{contest.code}/{tps.code}",
                payload=payload,
            )
        )
        # The re-flags of the sheets around it, then the submission: one lock of the audit head.
        append(entries)
    return Submitted(version.number, SheetStatus.ENTERED, version.flags, created=old is None)


def _judge_early() -> bool:
    """Whether a body is judged against the sheets around it before the lock, too. On SQLite
    every writer of the database queues for one lock, so what can be done before it is; under
    it the sheets' rows are only compared (`store_version`). On PostgreSQL writers of other
    kelurahan do not wait for this one: judging once, under its lock, costs less."""
    return not connection.features.has_select_for_update


def _refuse_request(actor: User, idempotency_key: str, reason: str) -> None:
    """What is refused before any lock is taken: the role, and texts no database should store."""
    refuse(rules.entering(actor))
    if len(idempotency_key) > 100 or len(reason) > MAX_REASON:
        raise ResultError(422, [Problem("catatan_terlalu_panjang", "reason")])
    require_storable(reason, "alasan_koreksi")
    require_storable(idempotency_key, "Idempotency-Key")


def _refuse_over(sheet: Sheet, actor: User, if_match: int | None, reason: str) -> None:
    """What the locked sheet refuses: a version written over one its sender did not see, and a
    verified sheet reopened by anyone but the desk, or without a reason."""
    current_number = sheet.current.number if sheet.current else 0
    if if_match is not None and if_match != current_number:
        raise ResultError(
            409,
            [Problem("versi_bukan_terkini", "If-Match", f"({if_match} ≠ {current_number})")],
        )
    refuse(rules.enter_refusal(actor, sheet.status))
    was_verified = sheet.status == SheetStatus.VERIFIED
    if was_verified and not reason.strip():
        raise ResultError(422, [Problem("alasan_wajib", "alasan_koreksi")])


def _submitted_payload(
    version: SheetVersion, source: str, photos: Sequence[StoredPhoto]
) -> dict[str, Any]:
    return {
        "version": version.number,
        NUMBERS_KEY: version.content_sha256,
        CONTENT_KEY: content_hash(version),
        "konfirmasi": version.confirmed_inconsistent,
        "source": source,
        "flags": [f["code"] for f in version.flags],
        "photos": [p.sha256 for p in photos],
        "reason": version.reason,
    }


def photos_add(*, actor: User, sheet: Sheet, photos: Sequence[StoredPhoto]) -> int:
    """Attach photos to the current version (evidence may arrive after the numbers).

    A verification checked the photos there were: a photo added to a verified sheet sends it
    back to the verification queue (and the public portal shows only the checked photos)."""
    refuse(rules.entering(actor))
    with transaction.atomic():
        locked = relock(sheet)
        current = locked.current
        if current is None:
            raise ResultError(409, [Problem("versi_bukan_terkini", "version")])
        known = set(current.photos.values_list("sha256", flat=True))
        new = [p for p in photos if p.sha256 not in known]
        attach_photos(current, new, actor)
        unverified = bool(new) and locked.status == SheetStatus.VERIFIED
        if unverified:
            set_state(locked, status=SheetStatus.ENTERED)
        record(
            actor=actor,
            action="sheet.photos",
            object_type="sheet",
            object_id=f"{locked.contest_id}/{locked.tps_id}",
            payload={
                "version": current.number,
                "photos": [p.sha256 for p in photos],
                "unverified": unverified,
            },
        )
    return len(photos)
