"""Reads of results. Callers fetch the TPS through the access helpers first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deskpemilu.regions.models import Tps
from deskpemilu.results.contests import ContestInfo
from deskpemilu.results.listings import can_verify
from deskpemilu.results.models import (
    Sheet,
    SheetStatus,
    SheetVersion,
    Verification,
    VerificationMode,
)

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


def sheet_for(tps: Tps, contest_code: str) -> Sheet | None:
    return (
        Sheet.objects.select_related("current", "current__author")
        .filter(tps=tps, contest_id=contest_code)
        .exclude(current=None)
        .first()
    )


def photo_url(sha256: str) -> str:
    return f"/hasil/foto/{sha256}.jpg"


def history(sheet: Sheet) -> list[dict[str, Any]]:
    versions = list(
        SheetVersion.objects.filter(sheet=sheet).select_related("author").order_by("number")
    )
    checks: dict[int, list[str]] = {}
    for v in Verification.objects.filter(version__sheet=sheet).select_related("verifier"):
        checks.setdefault(v.version_id, []).append(
            f"{v.verifier.username} ({v.get_method_display()}: {v.get_outcome_display()})"
        )
    return [
        {
            "version": v.number,
            "author": v.author.username,
            "at": v.created_at.isoformat(),
            "source": v.source,
            "reason": v.reason,
            "verified_by": checks.get(v.pk, []),
        }
        for v in versions
    ]


def numbers_hidden(user: User, contest: ContestInfo, sheet: Sheet) -> bool:
    """While a blind re-entry is due, whoever may type it must not see the first entry's
    numbers: a verifier or an admin who is not the version's author. Once the sheet is verified
    or awaits the supervisor, the numbers are no secret. The sheet page and the API both ask
    here, so the rule is the same in both."""
    return (
        contest.verification_mode == VerificationMode.BLIND
        and sheet.status == SheetStatus.ENTERED
        and can_verify(user)
        and sheet.current is not None
        and sheet.current.author_id != user.pk
    )


def sheet_detail(
    sheet: Sheet, contest: ContestInfo, *, hide_numbers: bool = False
) -> dict[str, Any]:
    """The API's view of a sheet. With `hide_numbers` the shape stays the same, but the numbers
    and everything that could repeat them (the note, the flags' messages) are left empty."""
    current = sheet.current
    assert current is not None
    return {
        "contest": sheet.contest_id,
        "tps": sheet.tps_id,
        "version": current.number,
        "status": sheet.status,
        "verification_mode": contest.verification_mode,
        "numbers_hidden": hide_numbers,
        "administrasi": {} if hide_numbers else current.administrasi,
        "suara": {} if hide_numbers else current.suara,
        "catatan": "" if hide_numbers else current.catatan,
        "flags": [] if hide_numbers else current.flags,
        "photos": [{"sha256": p.sha256, "url": photo_url(p.sha256)} for p in current.photos.all()],
        "history": history(sheet),
        "updated_at": sheet.updated_at.isoformat(),
    }
