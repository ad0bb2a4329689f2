"""Every write to results: submitting a sheet version, adding photos, verifying it, sending
it back, resolving a mismatch.

Each runs in one transaction that also moves the rollups and appends the audit entry, so a
sheet, its totals and its record are committed together or not at all. Each checks the actor's
role itself, whatever door called it. Locks are taken in one order: the kelurahan, the sheet,
the rollups (code order), the audit head.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from deskpemilu.audit.services import record
from deskpemilu.core.errors import Refusal
from deskpemilu.core.photos import StoredPhoto
from deskpemilu.core.text import storable
from deskpemilu.regions.models import Region, Tps
from deskpemilu.results import rollups
from deskpemilu.results.contests import ContestInfo, dapil_for
from deskpemilu.results.digest import CONTENT_KEY, NUMBERS_KEY, content_hash, numbers_hash
from deskpemilu.results.models import (
    Photo,
    Sheet,
    SheetStatus,
    SheetVersion,
    Source,
    Verification,
    VerificationMode,
    VerificationOutcome,
)
from deskpemilu.tally.codes import Problem
from deskpemilu.tally.sheet import (
    NEIGHBOUR_CODES,
    TURNOUT_CODES,
    Context,
    arithmetic_problems,
    misread_signs,
    neighbour_signs,
    parse_sheet,
    turnout_signs,
)

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

MAX_REASON = 500
ENTERING_ROLES = {"operator", "admin"}
VERIFYING_ROLES = {"verifier", "admin"}


class ResultError(Refusal):
    """A refusal with an HTTP-like status and the problems behind it."""

    def __init__(self, status: int, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(
            status,
            errors=[
                {"code": p.code, "field": p.field, "message": p.message()} for p in self.problems
            ],
        )


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


def _require_storable(text: str, field_name: str) -> None:
    # The API checks too; the service is the last door before the database for every caller.
    if not storable(text):
        raise ResultError(422, [Problem("bukan_teks", field_name)])


def _flag_dicts(problems: Sequence[Problem]) -> list[dict[str, str]]:
    return [{"code": p.code, "field": p.field, "message": p.message("id")} for p in problems]


def request_hash(body: Any, reason: str, if_match: int | None) -> str:
    """What an Idempotency-Key is bound to, besides its caller: the request as sent."""
    text = json.dumps({"body": body, "reason": reason, "if_match": if_match}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _used(administrasi: Mapping[str, Any]) -> int:
    return int(administrasi.get("surat_suara_digunakan", 0))


@dataclass
class Surroundings:
    """The sheets whose numbers a sheet's signs are judged against, read once per write (and
    re-judged after it): the same contest at the kelurahan's other TPS, and the TPS's other
    ballots. Both reads are bounded by one kelurahan, never by the size of the installation."""

    neighbours: list[Sheet]
    other_ballots: list[Sheet]

    def context(self, tps: Tps, contest: ContestInfo) -> Context:
        return Context(
            master_dpt=tps.dpt if tps.dpt else None,
            max_voters=contest.max_voters,
            other_ballots_used=[_used(_cur(s).administrasi) for s in self.other_ballots],
            neighbour_votes=[_cur(s).suara for s in self.neighbours],
        )


def _cur(sheet: Sheet) -> SheetVersion:
    # The sheets read for surroundings all have a current version (the query excludes none).
    assert sheet.current is not None
    return sheet.current


def _current(qs: Any) -> list[Sheet]:
    return list(qs.exclude(current=None).select_related("current"))


def surroundings(tps: Tps, contest_code: str) -> Surroundings:
    kelurahan = tps.code[:10]
    # A range on the (tps, contest) unique index: the kelurahan's TPS codes, nothing wider.
    neighbours = Sheet.objects.filter(
        tps_id__gte=kelurahan, tps_id__lt=kelurahan + ":", contest_id=contest_code
    ).exclude(tps_id=tps.code)
    others = Sheet.objects.filter(tps_id=tps.code).exclude(contest_id=contest_code)
    return Surroundings(_current(neighbours), _current(others))


def check_sheet(
    body: Any,
    *,
    tps: Tps,
    contest: ContestInfo,
    around: Surroundings | None = None,
) -> tuple[Any, list[Problem]]:
    """Structure, arithmetic and signs of a body, without storing anything: the one rule set
    that every door (form, API, supervisor resolution, import) goes through.

    Raises ResultError(422) for structure, and for arithmetic unless confirmed with a note.
    Returns the parsed sheet and its flags."""
    dapil = dapil_for(contest, tps.code)
    if dapil is None:
        raise ResultError(404, [Problem("kunci_tidak_dikenal", "contest")])
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
    around = around if around is not None else surroundings(tps, contest.code)
    flags = broken + misread_signs(sheet, around.context(tps, contest))
    return sheet, flags


def _lock_kelurahan(tps_code: str) -> None:
    """Every write to a sheet first locks its kelurahan: the sheets it touches (itself, its
    neighbours' and other ballots' flags) are all in that kelurahan, so writers queue here and
    then take sheet, rollups (code order) and audit head in one fixed order: no deadlock. On
    SQLite the writers' queue already serialises every write."""
    if connection.features.has_select_for_update:
        list(Region.objects.select_for_update().filter(code=tps_code[:10]).values_list("code"))


def _lock_sheet(tps: Tps, contest_code: str) -> Sheet:
    """Lock the TPS × contest row, creating it on the first entry. Every writer of this sheet
    queues here; of two concurrent creators one insert wins and the other finds the row."""
    _lock_kelurahan(tps.code)
    rows = Sheet.objects.select_for_update(of=("self",)).filter(tps=tps, contest_id=contest_code)
    sheet = rows.select_related("current").first()
    if sheet is None:
        Sheet.objects.bulk_create([Sheet(tps=tps, contest_id=contest_code)], ignore_conflicts=True)
        sheet = rows.select_related("current").get()
    return sheet


def _relock(sheet: Sheet) -> Sheet:
    _lock_kelurahan(sheet.tps_id)
    return Sheet.objects.select_for_update(of=("self",)).select_related("current").get(pk=sheet.pk)


def _replay(sheet: Sheet, key: str, actor: User, request_sha256: str) -> Submitted | None:
    """The first answer again for the same request; a refusal for a key used otherwise."""
    if not key:
        return None
    earlier = SheetVersion.objects.filter(sheet=sheet, idempotency_key=key).first()
    if earlier is None:
        return None
    same_request = earlier.request_sha256 in ("", request_sha256)
    if earlier.author_id != actor.pk or not same_request:
        raise ResultError(422, [Problem("kunci_idempotensi_dipakai", "Idempotency-Key")])
    return Submitted(
        earlier.number,
        SheetStatus.ENTERED,
        earlier.flags,
        created=earlier.number == 1,
        replayed=True,
    )


def _set_state(sheet: Sheet, *, current: SheetVersion | None = None, status: str) -> None:
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
    sheet.save(update_fields=["current", "status", "flags", "flag_codes", "updated_at"])


def _codes(flags: Sequence[Mapping[str, str]]) -> str:
    return ",".join(sorted({f["code"] for f in flags}))[:300]


def _store_version(
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
) -> SheetVersion:
    """The one way a version is made (whatever the door): run the rules on the body, store the
    version with its flags, make it current, move the rollups and re-judge the sheets whose
    signs depend on it. The caller holds the sheet's lock and writes the audit entry."""
    around = surroundings(tps, contest.code)
    parsed, flags = check_sheet(body, tps=tps, contest=contest, around=around)
    flag_list = _flag_dicts(flags)
    old = sheet.current
    version = SheetVersion.objects.create(
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
    _attach_photos(version, photos, actor)
    if old is not None:
        # A correction retypes the same paper form: its photos stay with the new version (they
        # also stay in the history of the old one), and more can be added.
        version.photos.add(*old.photos.all())
    sheet.flags = flag_list
    sheet.flag_codes = _codes(flag_list)
    _set_state(sheet, current=version, status=SheetStatus.ENTERED)
    _rejudge(sheet, version, tps, around, actor=actor)
    return version


def _rejudge(
    sheet: Sheet, version: SheetVersion, tps: Tps, around: Surroundings, *, actor: User
) -> None:
    """Keep the flags of the sheets around true now that this one changed: the same contest at
    the kelurahan's other TPS (digit shifts, swapped columns) and the TPS's other ballots
    (turnout across ballots). Each changed sheet gets an audit entry."""
    everyone = [*around.neighbours, sheet]
    for other in around.neighbours:
        votes = [_cur(s).suara for s in everyone if s.pk != other.pk]
        fresh = neighbour_signs(_cur(other).suara, votes)
        _replace_signs(other, NEIGHBOUR_CODES, fresh, actor=actor, cause=sheet)
    ballots = [*around.other_ballots, sheet]
    for other in around.other_ballots:
        used = [_used(_cur(s).administrasi) for s in ballots if s.pk != other.pk]
        fresh = turnout_signs(_used(_cur(other).administrasi), used)
        _replace_signs(other, TURNOUT_CODES, fresh, actor=actor, cause=sheet)


def _replace_signs(
    sheet: Sheet,
    codes: frozenset[str],
    fresh: list[Problem],
    *,
    actor: User,
    cause: Sheet,
) -> None:
    kept = [f for f in sheet.flags if f.get("code") not in codes]
    flags = kept + _flag_dicts(fresh)
    before = sorted(f["code"] for f in sheet.flags if f.get("code") in codes)
    after = sorted(p.code for p in fresh)
    if before == after:
        return
    Sheet.objects.filter(pk=sheet.pk).update(flags=flags, flag_codes=_codes(flags))
    sheet.flags = flags
    record(
        actor=actor,
        action="sheet.reflag",
        object_type="sheet",
        object_id=f"{sheet.contest_id}/{sheet.tps_id}",
        payload={
            "version": sheet.current.number if sheet.current else None,
            "before": before,
            "after": after,
            "because": f"{cause.contest_id}/{cause.tps_id}",
        },
    )


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
    if actor.role not in ENTERING_ROLES:
        raise ResultError(403, [Problem("bukan_pengentri", "")])
    if len(idempotency_key) > 100 or len(reason) > MAX_REASON:
        raise ResultError(422, [Problem("catatan_terlalu_panjang", "reason")])
    _require_storable(reason, "alasan_koreksi")
    _require_storable(idempotency_key, "Idempotency-Key")
    fingerprint = request_hash(body, reason, if_match)
    with transaction.atomic():
        sheet = _lock_sheet(tps, contest.code)
        replay = _replay(sheet, idempotency_key, actor, fingerprint)
        if replay is not None:
            return replay
        old = sheet.current
        current_number = old.number if old else 0
        if if_match is not None and if_match != current_number:
            raise ResultError(
                409,
                [Problem("versi_bukan_terkini", "If-Match", f"({if_match} ≠ {current_number})")],
            )
        was_verified = sheet.status == SheetStatus.VERIFIED
        if was_verified and actor.role != "admin":
            raise ResultError(409, [Problem("terkunci", "", "")])
        if was_verified and not reason.strip():
            raise ResultError(422, [Problem("alasan_wajib", "alasan_koreksi")])
        returned = sheet.status == SheetStatus.RETURNED
        version = _store_version(
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
        )
        record(
            actor=actor,
            action="sheet.submit",
            object_type="sheet",
            object_id=f"{contest.code}/{tps.code}",
            payload={
                "version": version.number,
                NUMBERS_KEY: version.content_sha256,
                CONTENT_KEY: content_hash(version),
                "konfirmasi": version.confirmed_inconsistent,
                "source": source,
                "flags": [f["code"] for f in version.flags],
                "photos": [p.sha256 for p in photos],
                "reason": version.reason,
                "unlocked_verified": was_verified,
                "after_return": returned,
            },
        )
    return Submitted(version.number, SheetStatus.ENTERED, version.flags, created=old is None)


def _attach_photos(version: SheetVersion, photos: Sequence[StoredPhoto], actor: User) -> None:
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


def photos_add(*, actor: User, sheet: Sheet, photos: Sequence[StoredPhoto]) -> int:
    """Attach photos to the current version (evidence may arrive after the numbers).

    A verification checked the photos there were: a photo added to a verified sheet sends it
    back to the verification queue (and the public portal shows only the checked photos)."""
    if actor.role not in ENTERING_ROLES:
        raise ResultError(403, [Problem("bukan_pengentri", "")])
    with transaction.atomic():
        locked = _relock(sheet)
        current = locked.current
        if current is None:
            raise ResultError(409, [Problem("versi_bukan_terkini", "version")])
        known = set(current.photos.values_list("sha256", flat=True))
        new = [p for p in photos if p.sha256 not in known]
        _attach_photos(current, new, actor)
        unverified = bool(new) and locked.status == SheetStatus.VERIFIED
        if unverified:
            _set_state(locked, status=SheetStatus.ENTERED)
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


def differences(first: Mapping[str, Any], second: Mapping[str, Any]) -> list[str]:
    """Field names where two entries of one form differ."""
    diff = []
    for section in ("administrasi", "suara"):
        a, b = first.get(section, {}), second.get(section, {})
        for key in sorted(set(a) | set(b)):
            if a.get(key, 0) != b.get(key, 0):
                diff.append(f"{section}.{key}")
    return diff


def sheet_verify(
    *,
    actor: User,
    sheet: Sheet,
    contest: ContestInfo,
    version_number: int,
    blind_entry: Any = None,
    note: str = "",
) -> Verified:
    """The second person's check: against the photo, or by blind re-entry."""
    if actor.role not in VERIFYING_ROLES:
        raise ResultError(403, [Problem("bukan_verifikator", "")])
    _require_storable(note, "catatan_verifikasi")
    blind = None
    if blind_entry is not None:
        blind, _flags = check_sheet_structure(blind_entry, sheet=sheet, contest=contest)
    elif contest.verification_mode == VerificationMode.BLIND:
        raise ResultError(422, [Problem("entri_buta_wajib", "administrasi")])
    with transaction.atomic():
        locked = _relock(sheet)
        current = locked.current
        if current is None or current.number != version_number:
            raise ResultError(409, [Problem("versi_bukan_terkini", "version")])
        if current.author_id == actor.pk:
            raise ResultError(409, [Problem("verifikator_sama_dengan_pengentri", "")])
        if locked.status == SheetStatus.VERIFIED:
            return Verified(current.number, locked.status)
        if locked.status == SheetStatus.MISMATCH:
            # Only a supervisor settles it: retrying until the fields match would defeat it.
            raise ResultError(409, [Problem("menunggu_supervisor", "")])
        if locked.status == SheetStatus.RETURNED:
            raise ResultError(409, [Problem("sudah_dikembalikan", "")])
        checked = sorted(current.photos.values_list("sha256", flat=True))
        method = VerificationMode.BLIND if blind is not None else VerificationMode.PHOTO
        if method == VerificationMode.PHOTO and not checked:
            raise ResultError(422, [Problem("foto_wajib", "foto")])
        diff = (
            differences({"administrasi": current.administrasi, "suara": current.suara}, blind or {})
            if blind is not None
            else []
        )
        outcome = VerificationOutcome.MISMATCH if diff else VerificationOutcome.MATCH
        Verification.objects.create(
            version=current,
            verifier=actor,
            method=method,
            outcome=outcome,
            entry=blind,
            differences=diff,
            photos=checked,
            note=note[:500],
            at=timezone.now(),
        )
        _set_state(locked, status=SheetStatus.MISMATCH if diff else SheetStatus.VERIFIED)
        record(
            actor=actor,
            action="sheet.verify",
            object_type="sheet",
            object_id=f"{locked.contest_id}/{locked.tps_id}",
            payload={
                "version": current.number,
                "method": method,
                "outcome": outcome,
                "differences": diff,
                "photos": checked,
            },
        )
    if diff:
        raise ResultError(409, [Problem("entri_buta_berbeda", d) for d in diff])
    return Verified(current.number, SheetStatus.VERIFIED)


def check_sheet_structure(
    body: Any, *, sheet: Sheet, contest: ContestInfo
) -> tuple[dict[str, Any], list[Problem]]:
    """A blind re-entry must be a well-formed sheet; its arithmetic is compared, not judged."""
    dapil = dapil_for(contest, sheet.tps_id)
    keys = dapil.keys if dapil else ()
    parsed = parse_sheet(body, keys)
    if parsed.sheet is None:
        raise ResultError(422, parsed.problems)
    return {"administrasi": parsed.sheet.administrasi, "suara": parsed.sheet.suara}, []


def mismatch_resolve(
    *,
    actor: User,
    sheet: Sheet,
    contest: ContestInfo,
    accept: str,
    note: str,
) -> Verified:
    """A supervisor (admin) settles a blind mismatch after looking at the photo.

    accept="pertama": the stored entry is right → verified.
    accept="kedua": the blind re-entry is right → stored as a new version authored by the
    re-entrant (through the same rules as every version), verified by the supervisor. Either
    way the supervisor is a third person: neither the first entrant nor the re-entrant."""
    if actor.role != "admin":
        raise ResultError(403, [Problem("bukan_verifikator", "")])
    if accept not in ("pertama", "kedua") or not note.strip():
        raise ResultError(422, [Problem("alasan_wajib", "note")])
    _require_storable(note, "note")
    with transaction.atomic():
        locked = _relock(sheet)
        current = locked.current
        if locked.status != SheetStatus.MISMATCH or current is None:
            raise ResultError(409, [Problem("versi_bukan_terkini", "status")])
        last = current.verifications.filter(outcome=VerificationOutcome.MISMATCH).last()
        involved = {current.author_id, last.verifier_id if last is not None else None}
        if actor.pk in involved:
            raise ResultError(409, [Problem("supervisor_terlibat", "")])
        chosen = current
        if accept == "kedua" and last is not None and last.entry:
            chosen = _store_version(
                sheet=locked,
                tps=locked.tps,
                contest=contest,
                body=_resolution_body(last.entry, current),
                author=last.verifier,
                actor=actor,
                source=Source.RESOLUTION,
                reason=f"Selisih entri buta diputus: {note.strip()}"[:MAX_REASON],
            )
        checked = sorted(chosen.photos.values_list("sha256", flat=True))
        Verification.objects.create(
            version=chosen,
            verifier=actor,
            method=VerificationMode.PHOTO,
            outcome=VerificationOutcome.RESOLVED,
            photos=checked,
            note=note[:500],
            at=timezone.now(),
        )
        _set_state(locked, status=SheetStatus.VERIFIED)
        payload: dict[str, Any] = {
            "accepted": accept,
            "version": chosen.number,
            "note": note.strip(),
            "photos": checked,
        }
        if chosen is not current:
            payload.update(
                {NUMBERS_KEY: chosen.content_sha256, CONTENT_KEY: content_hash(chosen)},
                konfirmasi=chosen.confirmed_inconsistent,
                author=last.verifier.get_username() if last is not None else "",
                flags=[f["code"] for f in chosen.flags],
            )
        record(
            actor=actor,
            action="sheet.resolve",
            object_type="sheet",
            object_id=f"{locked.contest_id}/{locked.tps_id}",
            payload=payload,
        )
    return Verified(chosen.number, SheetStatus.VERIFIED)


def _resolution_body(entry: Mapping[str, Any], first: SheetVersion) -> dict[str, Any]:
    """The re-entry as a sheet body. Its arithmetic is judged like any entry's: it carries the
    first entry's confirmation (and note) only when it breaks the arithmetic too."""
    body: dict[str, Any] = {
        "administrasi": entry["administrasi"],
        "suara": entry["suara"],
        "catatan": first.catatan,
    }
    parsed = parse_sheet(body, list(entry["suara"]))
    broken = parsed.sheet is not None and bool(arithmetic_problems(parsed.sheet))
    body["konfirmasi_tidak_konsisten"] = broken and first.confirmed_inconsistent
    return body


def sheet_return(
    *,
    actor: User,
    sheet: Sheet,
    contest: ContestInfo,
    version_number: int,
    reason: str,
) -> Verified:
    """A verifier or the desk sends a version back to its operator, with a reason: the sheet
    leaves every total until the operator stores a correction, and the operator is told."""
    if actor.role not in VERIFYING_ROLES:
        raise ResultError(403, [Problem("bukan_verifikator", "")])
    reason = reason.strip()
    if not reason:
        raise ResultError(422, [Problem("alasan_wajib", "reason")])
    if len(reason) > MAX_REASON:
        raise ResultError(422, [Problem("catatan_terlalu_panjang", "reason")])
    _require_storable(reason, "reason")
    with transaction.atomic():
        locked = _relock(sheet)
        current = locked.current
        if current is None or current.number != version_number:
            raise ResultError(409, [Problem("versi_bukan_terkini", "version")])
        if current.author_id == actor.pk:
            raise ResultError(409, [Problem("verifikator_sama_dengan_pengentri", "")])
        if locked.status == SheetStatus.RETURNED:
            raise ResultError(409, [Problem("sudah_dikembalikan", "")])
        was = locked.status
        Verification.objects.create(
            version=current,
            verifier=actor,
            method=contest.verification_mode,
            outcome=VerificationOutcome.RETURNED,
            note=reason,
            at=timezone.now(),
        )
        _set_state(locked, status=SheetStatus.RETURNED)
        object_id = f"{locked.contest_id}/{locked.tps_id}"
        record(
            actor=actor,
            action="sheet.return",
            object_type="sheet",
            object_id=object_id,
            payload={"version": current.number, "reason": reason, "was": was},
        )
        _tell_returned(locked, contest, current, reason, actor)
    return Verified(current.number, SheetStatus.RETURNED)


def _tell_returned(
    sheet: Sheet, contest: ContestInfo, version: SheetVersion, reason: str, actor: User
) -> None:
    from deskpemilu.notify.models import EventKind
    from deskpemilu.notify.services import Event, notify_event

    tps_code = sheet.tps_id
    title = f"{contest.short_name} TPS {tps_code[-3:]} ({tps_code[:10]}) dikembalikan"
    notify_event(
        Event(
            kind=EventKind.SHEET_RETURNED,
            title=title,
            body=f"Versi {version.number} dikembalikan oleh {actor.get_username()}: {reason}",
            url=f"/hasil/{contest.code}/{tps_code}/",
            object_type="sheet",
            object_id=f"{contest.code}/{tps_code}",
            payload={"version": version.number, "reason": reason},
            can_see=lambda user: user.in_scope(tps_code),
            owner_id=version.author_id,
            actor=actor,
        )
    )
