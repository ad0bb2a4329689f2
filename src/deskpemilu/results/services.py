"""Every write to results: submitting a sheet version, verifying it, resolving a mismatch.

Each runs in one transaction that also moves the rollups and appends the audit entry, so a
sheet, its totals and its record are committed together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from deskpemilu.audit.services import record
from deskpemilu.core.text import storable
from deskpemilu.regions.models import Tps
from deskpemilu.results import rollups
from deskpemilu.results.contests import ContestInfo, dapil_for
from deskpemilu.results.models import (
    Photo,
    RollupKind,
    Sheet,
    SheetStatus,
    SheetVersion,
    Source,
    Verification,
    VerificationMode,
    VerificationOutcome,
)
from deskpemilu.results.photos import StoredPhoto
from deskpemilu.tally.codes import Problem
from deskpemilu.tally.sheet import (
    Context,
    arithmetic_problems,
    misread_signs,
    parse_sheet,
)

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

MAX_REASON = 500
VERIFYING_ROLES = {"verifier", "admin"}


class ResultError(Exception):
    """A refusal with an HTTP-like status and the problems behind it."""

    def __init__(self, status: int, problems: Sequence[Problem]) -> None:
        super().__init__(", ".join(p.code for p in problems))
        self.status = status
        self.problems = list(problems)


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


def _content_hash(administrasi: Mapping[str, int], suara: Mapping[str, int]) -> str:
    body = json.dumps({"administrasi": administrasi, "suara": suara}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def _context(tps: Tps, contest: ContestInfo) -> Context:
    """Master DPT, the TPS's other ballots, and this contest at neighbouring TPS."""
    others = (
        Sheet.objects.filter(tps=tps)
        .exclude(contest_id=contest.code)
        .exclude(current=None)
        .values_list("current__administrasi", flat=True)
    )
    used = [int(a.get("surat_suara_digunakan", 0)) for a in others]
    neighbours = (
        Sheet.objects.filter(tps__kelurahan_id=tps.kelurahan_id, contest_id=contest.code)
        .exclude(tps=tps)
        .exclude(current=None)
        .values_list("current__suara", flat=True)[:40]
    )
    return Context(
        master_dpt=tps.dpt if tps.dpt else None,
        max_voters=contest.max_voters,
        other_ballots_used=used,
        neighbour_votes=list(neighbours),
    )


def check_sheet(body: Any, *, tps: Tps, contest: ContestInfo) -> tuple[Any, list[Problem]]:
    """Structure, arithmetic and signs of a body, without storing anything.

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
    flags = broken + misread_signs(sheet, _context(tps, contest))
    return sheet, flags


def _lock_sheet(tps: Tps, contest_code: str) -> Sheet:
    """Lock the TPS × contest row, creating it on the first entry. Every writer of this sheet
    queues here; of two concurrent creators one insert wins and the other finds the row."""
    rows = Sheet.objects.select_for_update().filter(tps=tps, contest_id=contest_code)
    sheet = rows.first()
    if sheet is None:
        Sheet.objects.bulk_create([Sheet(tps=tps, contest_id=contest_code)], ignore_conflicts=True)
        sheet = rows.get()
    return sheet


def _replay(sheet: Sheet, key: str) -> Submitted | None:
    if not key:
        return None
    earlier = SheetVersion.objects.filter(sheet=sheet, idempotency_key=key).first()
    if earlier is None:
        return None
    return Submitted(
        earlier.number,
        SheetStatus.ENTERED,
        earlier.flags,
        created=earlier.number == 1,
        replayed=True,
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
    if len(idempotency_key) > 100 or len(reason) > MAX_REASON:
        raise ResultError(422, [Problem("catatan_terlalu_panjang", "reason")])
    _require_storable(reason, "alasan_koreksi")
    _require_storable(idempotency_key, "Idempotency-Key")
    parsed, flags = check_sheet(body, tps=tps, contest=contest)
    with transaction.atomic():
        sheet = _lock_sheet(tps, contest.code)
        replay = _replay(sheet, idempotency_key)
        if replay is not None:
            return replay
        old = sheet.current
        current_number = old.number if old else 0
        if if_match is not None and if_match != current_number:
            raise ResultError(
                409,
                [Problem("versi_bukan_terkini", "If-Match", f"({if_match} ≠ {current_number})")],
            )
        if sheet.status == SheetStatus.VERIFIED and actor.role != "admin":
            raise ResultError(409, [Problem("terkunci", "", "")])
        if sheet.status == SheetStatus.VERIFIED and not reason.strip():
            raise ResultError(422, [Problem("alasan_wajib", "alasan_koreksi")])
        flag_list = _flag_dicts(flags)
        # The sheet row is locked, so the version number and the idempotency key cannot race.
        version = SheetVersion.objects.create(
            sheet=sheet,
            number=current_number + 1,
            administrasi=parsed.administrasi,
            suara=parsed.suara,
            catatan=parsed.catatan,
            confirmed_inconsistent=parsed.konfirmasi_tidak_konsisten,
            flags=flag_list,
            author=actor,
            created_at=timezone.now(),
            source=source,
            reason=reason.strip(),
            idempotency_key=idempotency_key,
            content_sha256=_content_hash(parsed.administrasi, parsed.suara),
        )
        _attach_photos(version, photos, actor)
        was_verified = sheet.status == SheetStatus.VERIFIED
        sheet.current = version
        sheet.status = SheetStatus.ENTERED
        sheet.flag_codes = ",".join(sorted({f["code"] for f in flag_list}))[:300]
        sheet.save(update_fields=["current", "status", "flag_codes", "updated_at"])
        rollups.apply(
            tps_code=tps.code,
            contest_code=contest.code,
            kind=RollupKind.PROVISIONAL,
            old=old,
            new=version,
        )
        if was_verified:
            rollups.apply(
                tps_code=tps.code,
                contest_code=contest.code,
                kind=RollupKind.VERIFIED,
                old=old,
                new=None,
            )
        record(
            actor=actor,
            action="sheet.submit",
            object_type="sheet",
            object_id=f"{contest.code}/{tps.code}",
            payload={
                "version": version.number,
                "sha256": version.content_sha256,
                "source": source,
                "flags": [f["code"] for f in flag_list],
                "photos": [p.sha256 for p in photos],
                "reason": version.reason,
                "unlocked_verified": was_verified,
            },
        )
    return Submitted(version.number, SheetStatus.ENTERED, flag_list, created=old is None)


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
    """Attach photos to the current version (evidence may arrive after the numbers)."""
    with transaction.atomic():
        locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.current is None:
            raise ResultError(409, [Problem("versi_bukan_terkini", "version")])
        _attach_photos(locked.current, photos, actor)
        record(
            actor=actor,
            action="sheet.photos",
            object_type="sheet",
            object_id=f"{locked.contest_id}/{locked.tps_id}",
            payload={"version": locked.current.number, "photos": [p.sha256 for p in photos]},
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
        locked = (
            Sheet.objects.select_for_update(of=("self",)).select_related("current").get(pk=sheet.pk)
        )
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
        method = VerificationMode.BLIND if blind is not None else VerificationMode.PHOTO
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
            note=note[:500],
            at=timezone.now(),
        )
        if diff:
            locked.status = SheetStatus.MISMATCH
        else:
            locked.status = SheetStatus.VERIFIED
            rollups.apply(
                tps_code=locked.tps_id,
                contest_code=locked.contest_id,
                kind=RollupKind.VERIFIED,
                old=None,
                new=current,
            )
        locked.save(update_fields=["status", "updated_at"])
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
    accept="kedua": the blind re-entry is right → stored as a new version, verified, since two
    people (the re-entrant and the supervisor) agree on it."""
    if actor.role != "admin":
        raise ResultError(403, [Problem("bukan_verifikator", "")])
    if accept not in ("pertama", "kedua") or not note.strip():
        raise ResultError(422, [Problem("alasan_wajib", "note")])
    _require_storable(note, "note")
    with transaction.atomic():
        locked = (
            Sheet.objects.select_for_update(of=("self",)).select_related("current").get(pk=sheet.pk)
        )
        current = locked.current
        if locked.status != SheetStatus.MISMATCH or current is None:
            raise ResultError(409, [Problem("versi_bukan_terkini", "status")])
        last = current.verifications.filter(outcome=VerificationOutcome.MISMATCH).last()
        chosen = current
        if accept == "kedua" and last is not None and last.entry:
            chosen = SheetVersion.objects.create(
                sheet=locked,
                number=current.number + 1,
                administrasi=last.entry["administrasi"],
                suara=last.entry["suara"],
                catatan=current.catatan,
                flags=current.flags,
                author=actor,
                created_at=timezone.now(),
                source=Source.WEB,
                reason=f"Selisih entri buta diputus: {note.strip()}"[:MAX_REASON],
                content_sha256=_content_hash(last.entry["administrasi"], last.entry["suara"]),
            )
            chosen.photos.set(current.photos.all())
            rollups.apply(
                tps_code=locked.tps_id,
                contest_code=locked.contest_id,
                kind=RollupKind.PROVISIONAL,
                old=current,
                new=chosen,
            )
        Verification.objects.create(
            version=chosen,
            verifier=actor,
            method=VerificationMode.PHOTO,
            outcome=VerificationOutcome.RESOLVED,
            note=note[:500],
            at=timezone.now(),
        )
        locked.current = chosen
        locked.status = SheetStatus.VERIFIED
        locked.save(update_fields=["current", "status", "updated_at"])
        rollups.apply(
            tps_code=locked.tps_id,
            contest_code=locked.contest_id,
            kind=RollupKind.VERIFIED,
            old=None,
            new=chosen,
        )
        record(
            actor=actor,
            action="sheet.resolve",
            object_type="sheet",
            object_id=f"{locked.contest_id}/{locked.tps_id}",
            payload={"accepted": accept, "version": chosen.number, "note": note.strip()},
        )
    return Verified(chosen.number, SheetStatus.VERIFIED)
