"""Reads of the public portal: is it on, what a region and a TPS show, which photos are public.

Nothing here names a person: no authors, verifiers, reporters or uploaders (DESIGN.md: the
public sees numbers and form photos only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

from deskpemilu.dashboard.selectors import PARTY, choice_labels, key_order, parties
from deskpemilu.portal.models import PortalSetting
from deskpemilu.portal.services import ENABLED_CACHE_KEY
from deskpemilu.regions.models import Region, Tps
from deskpemilu.results.contests import ContestInfo, active_contests, dapil_for
from deskpemilu.results.models import (
    Photo,
    Sheet,
    SheetStatus,
    SheetVersion,
    Verification,
    VerificationOutcome,
)
from deskpemilu.results.selectors import published, recap_for, shows_numbers
from deskpemilu.tally.recap import legislative_party_totals
from deskpemilu.tally.sheet import ADMINISTRASI_REQUIRED

ENABLED_SECONDS = 5


def portal_enabled() -> bool:
    """On by the environment, or by the desk's switch (read at most every few seconds: a rush
    on the portal must not become a rush on the database)."""
    if settings.DESKPEMILU_PUBLIC_PORTAL:
        return True
    value = cache.get(ENABLED_CACHE_KEY)
    if value is None:
        value = PortalSetting.objects.filter(id=1, enabled=True).exists()
        cache.set(ENABLED_CACHE_KEY, value, ENABLED_SECONDS)
    return bool(value)


def portal_setting() -> PortalSetting:
    return PortalSetting.objects.select_related("updated_by").filter(id=1).first() or (
        PortalSetting(id=1)
    )


def sorted_contests(region_code: str = "") -> list[ContestInfo]:
    """The portal publishes the active election's contests (cast in the region, if given)."""
    return active_contests(region_code)


def contests_of_tps(code: str) -> list[ContestInfo]:
    return [c for c in sorted_contests() if dapil_for(c, code) is not None]


# --- Open data tables -------------------------------------------------------------------------


def _region_keys(contest: ContestInfo, *totals: dict[str, int]) -> list[str]:
    keys: set[str] = set()
    for t in totals:
        keys |= set(legislative_party_totals(t) if contest.kind == PARTY else t)
    return sorted(keys, key=key_order)


def _votes(contest: ContestInfo, totals: dict[str, int]) -> dict[str, int]:
    return legislative_party_totals(totals) if contest.kind == PARTY else dict(totals)


def region_table(region: Region, contest: ContestInfo) -> tuple[list[str], list[list[object]]]:
    """The region's children (and the region itself, last) with their verified numbers: the
    public reads verified sheets only (`results.selectors.recap_for` with no reader). A party
    contest shows party totals (party + its candidates). `tps_ditahan`: sheets held out of every
    total (perlu diperiksa, or returned to the operator)."""
    ver = recap_for(None, region, contest)
    keys = _region_keys(contest, ver["totals"], *[c["totals"] for c in ver["children"]])
    header = [
        "kode_wilayah",
        "nama",
        "tingkat",
        "tps_total",
        "tps_masuk",
        "tps_terverifikasi",
        "tps_ditahan",
        "suara_sah_terverifikasi",
        "suara_tidak_sah_terverifikasi",
        *[f"terverifikasi_{k}" for k in keys],
    ]
    rows: list[list[object]] = [_row(contest, keys, child) for child in ver["children"]]
    own = {**ver, **ver["region"]}
    rows.append(_row(contest, keys, own))
    return header, rows


def _row(contest: ContestInfo, keys: list[str], ver: dict[str, Any]) -> list[object]:
    vv = _votes(contest, ver["totals"])
    return [
        ver["code"],
        ver["name"],
        ver["level"],
        ver["tps_total"],
        ver["tps_reported"],
        ver.get("tps_verified", 0),
        ver.get("tps_held", 0),
        ver["suara_sah"],
        ver["suara_tidak_sah"],
        *[vv.get(k, 0) for k in keys],
    ]


ADMIN_COLUMNS = ADMINISTRASI_REQUIRED  # the form's administrasi, in its order


def tps_table(region: Region, contest: ContestInfo) -> tuple[list[str], list[list[object]]]:
    """Every TPS under `region` with a verified sheet: the whole verified version (the C.Hasil
    numbers), one query. The public never reads an unverified sheet
    (`results.selectors.published` with no reader)."""
    rows = list(
        Sheet.objects.filter(contest_id=contest.code, tps__code__startswith=region.code)
        .filter(published(None, contest))
        .order_by("tps_id")
        .values_list(
            "tps_id", "status", "current__number", "current__administrasi", "current__suara"
        )
    )
    keys = sorted({k for r in rows for k in (r[4] or {})}, key=key_order)
    header = ["kode_tps", "status", "versi", *ADMIN_COLUMNS, *[f"suara_{k}" for k in keys]]
    table: list[list[object]] = []
    for code, status, number, admin, votes in rows:
        admin, votes = admin or {}, votes or {}
        table.append(
            [
                code,
                status,
                number,
                *[admin.get(c, "") for c in ADMIN_COLUMNS],
                *[votes.get(k, 0) for k in keys],
            ]
        )
    return header, table


# --- A TPS ----------------------------------------------------------------------------------


@dataclass
class TpsLine:
    key: str
    label: str
    votes: int
    verified: int | None  # None: the sheet is not verified
    candidates: list[TpsLine] = field(default_factory=list)
    kpu: int | None = None  # KPU's published number, where imported


@dataclass
class TpsBallot:
    contest: ContestInfo
    status: str  # "belum", "dientri", "terverifikasi", "selisih"
    lines: list[TpsLine]
    administrasi: dict[str, int]
    photos: list[str]  # sha256 of the photos the verification checked
    updated_at: Any = None
    kpu: Any = None  # the current SirekapTps row, where imported

    @property
    def verified(self) -> bool:
        return self.status == SheetStatus.VERIFIED


def tps_ballots(tps: Tps) -> list[TpsBallot]:
    """Each ballot of the TPS: its status, and — only once verified — its numbers and the
    photos of the form that the second person checked (`Verification.photos`), never a photo
    added after."""
    ballots = contests_of_tps(tps.code)
    sheets = {
        s.contest_id: s
        for s in Sheet.objects.filter(tps=tps).exclude(current=None).select_related("current")
    }
    party_rows = parties() if any(c.kind == PARTY for c in ballots) else {}
    result = []
    for contest in ballots:
        sheet = sheets.get(contest.code)
        labels = choice_labels(contest, dapil_for(contest, tps.code), party_rows)
        if sheet is None or sheet.current is None:
            result.append(TpsBallot(contest, "belum", [], {}, []))
            continue
        version = sheet.current
        if not shows_numbers(None, contest, sheet):
            result.append(TpsBallot(contest, sheet.status, [], {}, []))
            continue
        lines = _tps_lines(contest, dict(version.suara), labels, True)
        photos = checked_photos(version)
        result.append(
            TpsBallot(
                contest, sheet.status, lines, dict(version.administrasi), photos, sheet.updated_at
            )
        )
    return result


def checked_photos(version: SheetVersion) -> list[str]:
    """The photos the verification of `version` was made against (the latest check that
    passed), in the order it recorded them."""
    check = (
        Verification.objects.filter(
            version=version,
            outcome__in=[VerificationOutcome.MATCH, VerificationOutcome.RESOLVED],
        )
        .order_by("-at", "-id")
        .first()
    )
    return [str(sha) for sha in (check.photos if check is not None else [])]


def _tps_lines(
    contest: ContestInfo,
    votes: dict[str, int],
    labels: dict[str, tuple[str, str]],
    verified: bool,
) -> list[TpsLine]:
    def line(key: str, value: int) -> TpsLine:
        return TpsLine(key, labels.get(key, (key, key))[1], value, value if verified else None)

    if contest.kind != PARTY:
        return [line(k, int(votes[k])) for k in sorted(votes, key=key_order)]
    totals = legislative_party_totals(votes)
    lines = []
    for party in sorted(totals, key=key_order):
        row = line(party, int(totals[party]))
        row.candidates = [
            line(k, int(votes[k]))
            for k in sorted(votes, key=key_order)
            if k.partition(".")[0] == party and "." in k and votes[k]
        ]
        lines.append(row)
    return lines


def public_photo(sha256: str) -> Photo | None:
    """The photo, only while a verified sheet's current version was verified against it
    (`Verification.photos`): a photo attached after the check is not public."""
    versions = SheetVersion.objects.filter(
        photos=sha256, sheet__status=SheetStatus.VERIFIED, sheet__current_id=F("id")
    )
    if not any(sha256 in checked_photos(v) for v in versions):
        return None
    return Photo.objects.filter(sha256=sha256).first()
