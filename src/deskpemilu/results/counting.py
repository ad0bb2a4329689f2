"""The two rules every total and every page of results asks: which sheets count, and who may see
which numbers. Nothing else decides either (rollups, recap, pages, exports, PDFs, the portal and
the audit check all ask here).

Counting. A sheet counts in the provisional totals when it has a current version that is clean
or checked: not sent back to its operator, and not stored with `konfirmasi_tidak_konsisten`
(its arithmetic is broken on the form itself) unless a second person has verified it. It counts
in the verified totals only when verified. A sheet held out for its broken arithmetic is shown
as "perlu diperiksa" until it is verified or corrected.

Seeing. In a contest verified by blind re-entry, whoever may type the re-entry (a verifier, or
an admin) must not read the first entry anywhere: not on the sheet, and not in a total, since a
kelurahan total with one pending sheet *is* that sheet. Such a reader sees verified figures only,
and a sheet's own numbers once it is verified or awaits the supervisor (the re-entry is done).
The public sees verified figures only, in every contest. The version's author always sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from deskpemilu.results.models import RollupKind, SheetStatus, VerificationMode
from deskpemilu.results.rules import VERIFYING_ROLES

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User
    from deskpemilu.results.contests import ContestInfo
    from deskpemilu.results.models import Sheet

# The statuses in which a sheet's numbers are no secret from a blind re-entrant: verified, or
# re-entered already and waiting for the supervisor.
SETTLED = frozenset({SheetStatus.VERIFIED, SheetStatus.MISMATCH})


class Version(Protocol):
    confirmed_inconsistent: bool


def counts_in(kind: str, *, status: str, version: Version | None) -> bool:
    """Whether a sheet in `status` with current `version` adds to the rollups of `kind`
    (provisional, verified, or held out of both)."""
    if version is None:
        return False
    if kind == RollupKind.HELD:
        return status == SheetStatus.RETURNED or needs_review(status=status, version=version)
    if status == SheetStatus.RETURNED:
        return False
    if status == SheetStatus.VERIFIED:
        return True
    return kind == RollupKind.PROVISIONAL and not version.confirmed_inconsistent


def needs_review(*, status: str, version: Version | None) -> bool:
    """Held out of the totals for arithmetic the operator confirmed broken: "perlu diperiksa"."""
    return (
        version is not None
        and version.confirmed_inconsistent
        and status not in (SheetStatus.VERIFIED, SheetStatus.RETURNED)
    )


def may_reenter(user: User | None, contest: ContestInfo) -> bool:
    """Whether `user` is a possible blind re-entrant of this contest's sheets."""
    return (
        user is not None
        and contest.verification_mode == VerificationMode.BLIND
        and getattr(user, "role", "") in VERIFYING_ROLES
    )


def sees_unverified(user: User | None, contest: ContestInfo) -> bool:
    """Whether `user` may read figures that include unverified sheets (provisional totals,
    per-TPS numbers of pending sheets). `None` is the public."""
    return user is not None and not may_reenter(user, contest)


def sheet_numbers_visible(user: User | None, contest: ContestInfo, sheet: Sheet) -> bool:
    """Whether `user` may read this sheet's current numbers, note and flags."""
    if sheet.status == SheetStatus.VERIFIED:
        return True
    if user is None:
        return False
    current = sheet.current
    if current is not None and current.author_id == user.pk:
        return True
    return sees_unverified(user, contest) or sheet.status in SETTLED


def reader_variant(user: User | None, contest: ContestInfo) -> str:
    """A short tag that separates cached pages and ETags by what the reader may see."""
    return "all" if sees_unverified(user, contest) else "verified"
