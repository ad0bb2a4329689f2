"""Sending a version back to its operator, with a reason: one transaction with its audit entry,
and the operator is told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from deskpemilu.audit.services import record
from deskpemilu.results import rules
from deskpemilu.results.contests import ContestInfo
from deskpemilu.results.models import (
    Sheet,
    SheetStatus,
    SheetVersion,
    Verification,
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
from deskpemilu.tally.codes import Problem

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


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
    refuse(rules.verifying(actor))
    reason = reason.strip()
    if not reason:
        raise ResultError(422, [Problem("alasan_wajib", "reason")])
    if len(reason) > MAX_REASON:
        raise ResultError(422, [Problem("catatan_terlalu_panjang", "reason")])
    require_storable(reason, "reason")
    with transaction.atomic():
        locked = relock(sheet)
        current = locked.current
        if current is None or current.number != version_number:
            raise ResultError(409, [Problem("versi_bukan_terkini", "version")])
        refuse(rules.return_refusal(actor, locked.status, current))
        was = locked.status
        Verification.objects.create(
            version=current,
            verifier=actor,
            method=contest.verification_mode,
            outcome=VerificationOutcome.RETURNED,
            note=reason,
            at=timezone.now(),
        )
        set_state(locked, status=SheetStatus.RETURNED)
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
    # Functions: the operator reads them in their own language.
    notify_event(
        Event(
            kind=EventKind.SHEET_RETURNED,
            title=lambda: (
                gettext("%(contest)s TPS %(tps)s (%(kelurahan)s) dikembalikan")
                % {"contest": contest.short_name, "tps": tps_code[-3:], "kelurahan": tps_code[:10]}
            ),
            body=lambda: (
                gettext("Versi %(version)s dikembalikan oleh %(name)s: %(reason)s")
                % {"version": version.number, "name": actor.get_username(), "reason": reason}
            ),
            url=f"/hasil/{contest.code}/{tps_code}/",
            object_type="sheet",
            object_id=f"{contest.code}/{tps_code}",
            payload={"version": version.number, "reason": reason},
            can_see=lambda user: user.in_scope(tps_code),
            owner_id=version.author_id,
            actor=actor,
        )
    )
