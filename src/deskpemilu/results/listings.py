"""Reads behind the results pages: status grids, queues, histories, photo access.

Every list here costs a fixed number of queries whatever its length (tests guard it). Callers
pass the signed-in account; rows outside its scope are never returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from deskpemilu.accounts.models import User
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region, Tps
from deskpemilu.results import rules, selectors
from deskpemilu.results.contests import ContestInfo, active_election_code, contests, dapil_for
from deskpemilu.results.models import (
    Photo,
    Sheet,
    SheetStatus,
    SheetVersion,
    Verification,
    VerificationMode,
    VerificationOutcome,
)
from deskpemilu.tally.codes import Problem

NOT_ENTERED = "belum"
QUEUE_LIMIT = 200


def can_enter(user: User) -> bool:
    return rules.entering(user) is None


def can_verify(user: User) -> bool:
    return rules.verifying(user) is None


def contests_for(tps_code: str, election: str = "") -> list[ContestInfo]:
    """The ballots a TPS votes on in an election (default: the active one), in ballot order."""
    return [c for c in all_contests(election) if dapil_for(c, tps_code) is not None]


def is_open(contest: ContestInfo) -> bool:
    """Is the contest's election the active one (open for entry)? The services refuse writes to
    the others whatever the page shows; this only spares a page's form."""
    return contest.election == active_election_code()


def all_contests(election: str = "") -> list[ContestInfo]:
    """The contests of an election (default: the active one), in ballot order."""
    election = election or active_election_code()
    found = [c for c in contests().values() if c.election == election]
    return sorted(found, key=lambda c: (c.order, c.code))


def _scoped(qs: QuerySet[Sheet], user: User) -> QuerySet[Sheet]:
    return qs.filter(user.scope_filter("tps__code"))


# --- the status grid of /hasil/ ------------------------------------------------------------


def tps_statuses(kelurahan: Region) -> dict[tuple[str, str], str]:
    """(TPS code, contest code) → status, for every sheet of a kelurahan: one query."""
    rows = Sheet.objects.filter(tps__kelurahan=kelurahan).exclude(current=None)
    return {(t, c): s for t, c, s in rows.values_list("tps_id", "contest_id", "status")}


@dataclass
class Progress:
    entered: int = 0  # sheets with a version, whatever their status
    verified: int = 0
    mismatch: int = 0


def child_progress(region: Region, child_length: int) -> dict[tuple[str, str], Progress]:
    """(child region code, contest) → counts of sheets by status, for the children of a
    region: one grouped query."""
    rows = (
        Sheet.objects.filter(tps__code__startswith=installation.prefix(region.code))
        .exclude(current=None)
        .annotate(child=Substr("tps_id", 1, child_length))
        .values("child", "contest_id", "status")
        .annotate(n=Count("id"))
    )
    progress: dict[tuple[str, str], Progress] = {}
    for row in rows:
        p = progress.setdefault((row["child"], row["contest_id"]), Progress())
        p.entered += row["n"]
        if row["status"] == SheetStatus.VERIFIED:
            p.verified += row["n"]
        elif row["status"] == SheetStatus.MISMATCH:
            p.mismatch += row["n"]
    return progress


# --- queues ----------------------------------------------------------------------------------


def verify_queue(user: User, *, contest: str = "", kecamatan: str = "") -> tuple[list[Sheet], int]:
    """Sheets waiting for a second person that this account may verify, oldest first."""
    qs = _scoped(Sheet.objects.filter(status=SheetStatus.ENTERED), user)
    qs = qs.exclude(current=None).exclude(current__author=user)
    if contest:
        qs = qs.filter(contest_id=contest)
    if kecamatan:
        qs = qs.filter(tps__code__startswith=kecamatan)
    total = qs.count()
    rows: list[Sheet] = list(
        qs.select_related("tps__kelurahan", "current__author", "contest")
        .annotate(photo_count=Count("current__photos"))
        .order_by("current__created_at", "pk")[:QUEUE_LIMIT]
    )
    # A flag repeats a number: the count of a sheet's current flags only where its numbers are
    # the reader's to see (not a pending entry they are to re-type blind).
    visible = set(
        Sheet.objects.filter(pk__in=[r.pk for r in rows])
        .filter(selectors.numbers_visible_everywhere(user))
        .values_list("pk", flat=True)
    )
    for row in rows:
        row.flag_count = len(row.flags) if row.pk in visible else None  # type: ignore[attr-defined]
        # The button only where the service would accept the check (a photo may be missing).
        photos: int = row.photo_count  # type: ignore[attr-defined]
        mode = row.contest.verification_mode
        row.refusal = verify_refusal(user, row, mode=mode, photos=photos)  # type: ignore[attr-defined]
    return rows, total


def verify_refusal(user: User, sheet: Sheet, *, mode: str, photos: int) -> Problem | None:
    """results.rules' answer for checking this sheet from a page: against the photo unless the
    contest is verified by blind re-entry (the page then asks for the re-entry)."""
    return rules.verify_refusal(
        user,
        sheet.status,
        sheet.current,
        photo_check=mode != VerificationMode.BLIND,
        has_photos=photos > 0,
    )


def held_list(user: User, *, contest: str = "", region: str = "") -> tuple[list[Sheet], int]:
    """Sheets held out of every total, oldest first: "perlu diperiksa" (stored as inconsistent,
    not yet verified) and those returned to their operator. An operator sees those in their
    area (their own returns first of all)."""
    review = Q(current__confirmed_inconsistent=True) & ~Q(
        status__in=[SheetStatus.VERIFIED, SheetStatus.RETURNED]
    )
    qs = _scoped(Sheet.objects.filter(review | Q(status=SheetStatus.RETURNED)), user)
    qs = qs.exclude(current=None)
    if contest:
        qs = qs.filter(contest_id=contest)
    if region:
        qs = qs.filter(tps__code__startswith=region)
    total = qs.count()
    rows = qs.select_related("tps__kelurahan", "current__author", "contest").order_by(
        "updated_at", "pk"
    )[:QUEUE_LIMIT]
    return list(rows), total


def returned_to(user: User) -> list[Sheet]:
    """Sheets sent back to this operator (the author of their current version)."""
    qs = Sheet.objects.filter(status=SheetStatus.RETURNED, current__author=user)
    return list(qs.select_related("tps__kelurahan", "contest").order_by("updated_at")[:QUEUE_LIMIT])


def mismatch_queue(user: User) -> list[Sheet]:
    qs = _scoped(Sheet.objects.filter(status=SheetStatus.MISMATCH), user)
    return list(
        qs.select_related("tps__kelurahan", "current__author", "contest").order_by("updated_at")[
            :QUEUE_LIMIT
        ]
    )


def kecamatan_choices(user: User) -> list[Region]:
    """The kecamatan holding the account's area, or all of them (the one empty-scope rule)."""
    qs = Region.objects.filter(level="kecamatan")
    if user.sees_all_areas:
        return list(qs.order_by("code"))
    if not user.scope:  # a scoped role without a scope sees none
        return []
    return list(qs.filter(code__startswith=user.scope[:6]).order_by("code"))


# --- one sheet ---------------------------------------------------------------------------------


def versions_with_checks(sheet: Sheet) -> list[dict[str, Any]]:
    """Every version, newest first, with its verifications: who entered, changed and checked
    what, and when. Three queries."""
    versions = list(
        SheetVersion.objects.filter(sheet=sheet)
        .select_related("author")
        .annotate(photo_count=Count("photos"))
        .order_by("-number")
    )
    checks: dict[int, list[Verification]] = {}
    for v in Verification.objects.filter(version__sheet=sheet).select_related("verifier"):
        checks.setdefault(v.version_id, []).append(v)
    return [{"version": v, "checks": checks.get(v.pk, [])} for v in versions]


def last_mismatch(sheet: Sheet) -> Verification | None:
    """The blind re-entry that disagreed with the current version."""
    if sheet.current is None:
        return None
    return (
        Verification.objects.filter(version=sheet.current, outcome=VerificationOutcome.MISMATCH)
        .select_related("verifier")
        .order_by("at")
        .last()
    )


def photos_of(version: SheetVersion | None) -> list[Photo]:
    if version is None:
        return []
    return list(version.photos.order_by("uploaded_at", "sha256"))


def visible_photo(user: User, sha256: str) -> Photo | None:
    """The photo, when the account can see a sheet one of whose versions shows it."""
    photo = Photo.objects.filter(sha256=sha256).first()
    if photo is None:
        return None
    codes = SheetVersion.objects.filter(photos=photo).values_list("sheet__tps_id", flat=True)
    if any(user.in_scope(code) for code in set(codes)):
        return photo
    return None


# --- where to go next ---------------------------------------------------------------------------


def next_tps(user: User, tps: Tps) -> Tps | None:
    """The next TPS of the same kelurahan, for typing a stack of forms in a row."""
    following = Tps.every.filter(
        election_id=tps.election_id, kelurahan_id=tps.kelurahan_id, number__gt=tps.number
    )
    for candidate in following.order_by("number")[:5]:
        if user.in_scope(candidate.code):
            return candidate
    return None


def next_contest(tps: Tps, contest: ContestInfo) -> ContestInfo | None:
    """The next ballot of the same TPS (the five come in one box)."""
    order = contests_for(tps.code, contest.election)
    codes = [c.code for c in order]
    if contest.code not in codes:
        return None
    index = codes.index(contest.code)
    return order[index + 1] if index + 1 < len(order) else None
