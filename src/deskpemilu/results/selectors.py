"""Reads of results. Callers fetch the TPS through the access helpers first."""

from __future__ import annotations

from typing import Any

from deskpemilu.regions.models import Tps
from deskpemilu.results.contests import ContestInfo
from deskpemilu.results.counting import counts_in, needs_review
from deskpemilu.results.models import (
    RollupKind,
    Sheet,
    SheetStatus,
    SheetVersion,
    Verification,
    VerificationOutcome,
)


def sheet_for(tps: Tps, contest_code: str) -> Sheet | None:
    return (
        Sheet.objects.select_related("current", "current__author")
        .filter(tps=tps, contest_id=contest_code)
        .exclude(current=None)
        .first()
    )


def photo_url(sha256: str) -> str:
    return f"/hasil/foto/{sha256}.jpg"


def history(sheet: Sheet, *, hide_reasons: bool = False) -> list[dict[str, Any]]:
    """The versions, who checked each and how. A reason may quote a number, so it is blanked
    where the numbers are hidden."""
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
            "reason": "" if hide_reasons else v.reason,
            "verified_by": checks.get(v.pk, []),
        }
        for v in versions
    ]


def last_return(sheet: Sheet) -> Verification | None:
    """Why a returned sheet was sent back: the latest return of its current version."""
    if sheet.status != SheetStatus.RETURNED or sheet.current is None:
        return None
    return (
        Verification.objects.filter(version=sheet.current, outcome=VerificationOutcome.RETURNED)
        .select_related("verifier")
        .last()
    )


def sheet_detail(
    sheet: Sheet, contest: ContestInfo, *, hide_numbers: bool = False
) -> dict[str, Any]:
    """The API's view of a sheet. With `hide_numbers` (counting.sheet_numbers_visible said no)
    the shape stays the same, but the numbers and everything that could repeat them (the note,
    the flags, the reasons) are left empty."""
    current = sheet.current
    assert current is not None
    returned = last_return(sheet)
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
        "flags": [] if hide_numbers else sheet.flags,
        "counted": counts_in(RollupKind.PROVISIONAL, status=sheet.status, version=current),
        "perlu_diperiksa": needs_review(status=sheet.status, version=current),
        "returned": None
        if returned is None
        else {
            "by": returned.verifier.username,
            "at": returned.at.isoformat(),
            "reason": "" if hide_numbers else returned.note,
        },
        "photos": [{"sha256": p.sha256, "url": photo_url(p.sha256)} for p in current.photos.all()],
        "history": history(sheet, hide_reasons=hide_numbers),
        "updated_at": sheet.updated_at.isoformat(),
    }
