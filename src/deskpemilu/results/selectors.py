"""Reads of results. Callers fetch the TPS through the access helpers first.

Who reads which numbers is decided here, once, on top of `counting`: `numbers_visible` (whose
numbers, notes and flags a reader may see, as a database filter), `counted` (which sheets add
to a total), `published` (both: the rows of a per-TPS listing), `recap_for` (the totals a
reader may read: verified only for a blind re-entrant and for the public) and `variant` (what
separates their cached answers). Every page, export, PDF and API answer that prints per-TPS
numbers or totals goes through them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from deskpemilu.regions.models import Region, Tps
from deskpemilu.results import counting, rules
from deskpemilu.results.contests import ContestInfo, contest_info_fresh, contests
from deskpemilu.results.counting import counts_in, needs_review
from deskpemilu.results.models import (
    Contest,
    RollupKind,
    Sheet,
    SheetStatus,
    SheetVersion,
    Verification,
    VerificationMode,
    VerificationOutcome,
)
from deskpemilu.results.recap import region_recap

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


# --- Who reads which numbers: the one rule every page, export, PDF and API answer asks. ---


def sees_provisional(user: User | None, contest: ContestInfo, *, fresh: bool = False) -> bool:
    """Whether `user` may read figures that include unverified sheets. Not the public, and not a
    possible blind re-entrant of `contest` (a total with one pending sheet *is* that sheet).
    `fresh`: the caller read `contest` with `contest_info_fresh` already."""
    if not fresh and user is not None and getattr(user, "role", "") in rules.VERIFYING_ROLES:
        # The mode decides, and another process may have just changed it: read it fresh.
        contest = contest_info_fresh(contest.code) or contest
    return counting.sees_unverified(user, contest)


def reader_kind(user: User | None, contest: ContestInfo) -> str:
    """The rollup kind `user` reads for `contest`: provisional, or verified only."""
    if sees_provisional(user, contest):
        return RollupKind.PROVISIONAL
    return RollupKind.VERIFIED


def counted(kind: str, prefix: str = "") -> Q:
    """`counting.counts_in` as a database filter on sheets (`prefix` for a related sheet, e.g.
    "sheet__"): the sheets that add to the rollups of `kind`."""
    p = prefix
    has_version = Q(**{f"{p}current__isnull": False})
    verified = Q(**{f"{p}status": SheetStatus.VERIFIED})
    if kind == RollupKind.VERIFIED:
        return has_version & verified
    pending = Q(**{f"{p}status__in": [SheetStatus.ENTERED, SheetStatus.MISMATCH]})
    clean = Q(**{f"{p}current__confirmed_inconsistent": False})
    if kind == RollupKind.PROVISIONAL:
        return has_version & (verified | (pending & clean))
    returned = Q(**{f"{p}status": SheetStatus.RETURNED})
    return has_version & (returned | (pending & ~clean))


def numbers_visible(user: User | None, contest: ContestInfo, prefix: str = "") -> Q:
    """`counting.sheet_numbers_visible` as a database filter on one contest's sheets: the sheets
    whose current numbers, note and flags `user` may read."""
    p = prefix
    if sees_provisional(user, contest):
        return Q()
    verified = Q(**{f"{p}status": SheetStatus.VERIFIED})
    if user is None:
        return verified
    settled = Q(**{f"{p}status__in": sorted(counting.SETTLED)})
    return verified | settled | Q(**{f"{p}current__author": user})


def blind_contests() -> set[str]:
    """The codes of the contests verified by blind re-entry, read fresh (one query)."""
    rows = Contest.objects.filter(verification_mode=VerificationMode.BLIND)
    return set(rows.values_list("code", flat=True))


def reader_kinds(user: User | None) -> dict[str, str]:
    """`reader_kind` of every contest at once (one query at most), for pages over contests."""
    everything = contests()
    if user is None:
        return dict.fromkeys(everything, RollupKind.VERIFIED)
    blind = blind_contests() if getattr(user, "role", "") in rules.VERIFYING_ROLES else set()
    return {
        code: RollupKind.VERIFIED if code in blind else RollupKind.PROVISIONAL
        for code in everything
    }


def numbers_visible_everywhere(user: User | None) -> Q:
    """`numbers_visible` over every contest at once, for lists across contests (the anomaly
    list): one query for the contests verified blind, read fresh."""
    verified = Q(status=SheetStatus.VERIFIED)
    if user is None:
        return verified
    if getattr(user, "role", "") not in rules.VERIFYING_ROLES:
        return Q()
    blind = sorted(blind_contests())
    if not blind:
        return Q()
    settled = Q(status__in=sorted(counting.SETTLED | {SheetStatus.VERIFIED}))
    return ~Q(contest_id__in=blind) | settled | Q(current__author=user)


def published(user: User | None, contest: ContestInfo, prefix: str = "") -> Q:
    """The sheets whose numbers a per-TPS listing prints for `user`: visible to them and counted
    in the totals they read, so that the rows add up to the total printed beside them."""
    return numbers_visible(user, contest, prefix) & counted(reader_kind(user, contest), prefix)


def shows_numbers(user: User | None, contest: ContestInfo, sheet: Sheet) -> bool:
    """`published` for one sheet already in hand."""
    version = sheet.current
    if user is not None and getattr(user, "role", "") in rules.VERIFYING_ROLES:
        contest = contest_info_fresh(contest.code) or contest
    return counting.sheet_numbers_visible(user, contest, sheet) and counting.counts_in(
        reader_kind(user, contest), status=sheet.status, version=version
    )


def recap_for(
    user: User | None,
    region: Region,
    contest: ContestInfo,
    *,
    verified_only: bool = False,
    fresh: bool = False,
) -> dict[str, Any]:
    """The recap `user` may read: verified figures only where provisional ones would show a
    pending entry to a blind re-entrant (or to the public)."""
    if not sees_provisional(user, contest, fresh=fresh):
        verified_only = True
    return region_recap(region, contest, verified_only=verified_only)


def variant(user: User | None, contest: ContestInfo) -> str:
    """What separates cached answers and ETags: the reader's variant of `contest`."""
    return "all" if sees_provisional(user, contest) else "verified"
