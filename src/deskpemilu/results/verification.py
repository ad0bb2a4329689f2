"""The second person's check of a sheet (against the photos, or by blind re-entry) and the
supervisor's settling of a blind mismatch. Each is one transaction with its audit entry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from deskpemilu.audit.services import record
from deskpemilu.results import rules
from deskpemilu.results.contests import ContestInfo, dapil_for
from deskpemilu.results.digest import CONTENT_KEY, NUMBERS_KEY, content_hash
from deskpemilu.results.models import (
    Sheet,
    SheetStatus,
    SheetVersion,
    Source,
    Verification,
    VerificationMode,
    VerificationOutcome,
)
from deskpemilu.results.services import (
    MAX_REASON,
    ResultError,
    Verified,
    refuse,
    relock,
    require_storable,
    set_state,
)
from deskpemilu.results.versions import store_version
from deskpemilu.tally.codes import Problem
from deskpemilu.tally.sheet import arithmetic_problems, parse_sheet

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


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
    blind = _blind_entry(actor, sheet, contest, blind_entry, note)
    with transaction.atomic():
        locked = relock(sheet)
        current = _version_to_check(locked, version_number)
        checked = sorted(current.photos.values_list("sha256", flat=True))
        method = VerificationMode.BLIND if blind is not None else VerificationMode.PHOTO
        problem = rules.verify_refusal(
            actor,
            locked.status,
            current,
            photo_check=method == VerificationMode.PHOTO,
            has_photos=bool(checked),
        )
        if problem is not None and problem.code == "sudah_terverifikasi":
            return Verified(current.number, locked.status)  # a repeated check: its success again
        refuse(problem)
        diff = (
            differences({"administrasi": current.administrasi, "suara": current.suara}, blind or {})
            if blind is not None
            else []
        )
        _store_check(locked, current, actor, method, blind, diff, checked, note)
    if diff:
        raise ResultError(409, [Problem("entri_buta_berbeda", d) for d in diff])
    return Verified(current.number, SheetStatus.VERIFIED)


def _blind_entry(
    actor: User, sheet: Sheet, contest: ContestInfo, blind_entry: Any, note: str
) -> dict[str, Any] | None:
    """What is refused before any lock (the role, the note, a malformed re-entry), and the
    re-entry as a sheet's numbers; a blind contest requires one."""
    refuse(rules.verifying(actor))
    require_storable(note, "catatan_verifikasi")
    if blind_entry is not None:
        blind, _flags = check_sheet_structure(blind_entry, sheet=sheet, contest=contest)
        return blind
    if contest.verification_mode == VerificationMode.BLIND:
        raise ResultError(422, [Problem("entri_buta_wajib", "administrasi")])
    return None


def _version_to_check(locked: Sheet, version_number: int) -> SheetVersion:
    """The current version, when it is the one the verifier saw."""
    current = locked.current
    if current is None or current.number != version_number:
        raise ResultError(409, [Problem("versi_bukan_terkini", "version")])
    return current


def _store_check(
    locked: Sheet,
    current: SheetVersion,
    actor: User,
    method: str,
    blind: dict[str, Any] | None,
    diff: list[str],
    checked: list[str],
    note: str,
) -> None:
    """The verification, the sheet's new state with its rollups, and the audit entry."""
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
    set_state(locked, status=SheetStatus.MISMATCH if diff else SheetStatus.VERIFIED)
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
    refuse(rules.supervising(actor))
    if accept not in ("pertama", "kedua") or not note.strip():
        raise ResultError(422, [Problem("alasan_wajib", "note")])
    require_storable(note, "note")
    with transaction.atomic():
        locked = relock(sheet)
        current = locked.current
        last = None
        if locked.status == SheetStatus.MISMATCH and current is not None:
            last = current.verifications.filter(outcome=VerificationOutcome.MISMATCH).last()
        reentrant = last.verifier_id if last is not None else None
        refuse(rules.resolve_refusal(actor, locked.status, current, reentrant))
        assert current is not None
        chosen = _chosen_version(locked, contest, last, accept=accept, actor=actor, note=note)
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
        set_state(locked, status=SheetStatus.VERIFIED)
        record(
            actor=actor,
            action="sheet.resolve",
            object_type="sheet",
            object_id=f"{locked.contest_id}/{locked.tps_id}",
            payload=_resolved_payload(accept, chosen, current, last, note, checked),
        )
    return Verified(chosen.number, SheetStatus.VERIFIED)


def _chosen_version(
    locked: Sheet,
    contest: ContestInfo,
    last: Verification | None,
    *,
    accept: str,
    actor: User,
    note: str,
) -> SheetVersion:
    """The stored entry, or the blind re-entry stored as a new version by its re-entrant."""
    current = locked.current
    assert current is not None
    if accept != "kedua" or last is None or not last.entry:
        return current
    return store_version(
        sheet=locked,
        tps=locked.tps,
        contest=contest,
        body=_resolution_body(last.entry, current),
        author=last.verifier,
        actor=actor,
        source=Source.RESOLUTION,
        reason=f"Selisih entri buta diputus: {note.strip()}"[:MAX_REASON],
    )


def _resolved_payload(
    accept: str,
    chosen: SheetVersion,
    current: SheetVersion,
    last: Verification | None,
    note: str,
    checked: list[str],
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "accepted": accept,
        "version": chosen.number,
        "note": note.strip(),
        "photos": checked,
    }
    if chosen is not current:
        # A new version: its numbers go into the record like a submission's.
        payload.update(
            {NUMBERS_KEY: chosen.content_sha256, CONTENT_KEY: content_hash(chosen)},
            konfirmasi=chosen.confirmed_inconsistent,
            author=last.verifier.get_username() if last is not None else "",
            flags=[f["code"] for f in chosen.flags],
        )
    return payload


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
