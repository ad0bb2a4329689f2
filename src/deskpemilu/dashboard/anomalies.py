"""The anomaly list: every sheet whose current version carries flags, inside the reader's scope.

`Sheet.flag_codes` holds the current version's codes (comma-separated, sorted), so filtering by
rule needs no JSON parsing. The rows are read in a fixed number of queries whatever the page
size: the sheet with its version, author, TPS and kelurahan in one, the photos in a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from deskpemilu.accounts.access import tps_for
from deskpemilu.accounts.models import User
from deskpemilu.dashboard.selectors import sheet_path
from deskpemilu.regions.models import Region
from deskpemilu.results.models import Photo, Sheet
from deskpemilu.results.selectors import numbers_visible_everywhere, photo_url
from deskpemilu.tally.codes import RULES, Kind

# The codes a stored version can carry: signs of a misread form, and broken arithmetic that the
# operator confirmed the form really shows.
FLAG_KINDS = (Kind.SIGN, Kind.ARITHMETIC)


class FilterError(ValueError):
    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Filters:
    contest: str = ""
    kecamatan: Region | None = None
    rule: str = ""


def flag_rules() -> list[tuple[str, str, str]]:
    """(code, Indonesian message, English message) of every rule a flag can name."""
    return [(r.code, r.id, r.en) for r in RULES.values() if r.kind in FLAG_KINDS]


def check_rule(rule: str) -> None:
    if rule and (rule not in RULES or RULES[rule].kind not in FLAG_KINDS):
        raise FilterError("rule", "aturan_tidak_dikenal")


def _has_code(rule: str) -> Q:
    # Exact matches inside the comma-separated list, never a substring of another code.
    return (
        Q(flag_codes=rule)
        | Q(flag_codes__startswith=rule + ",")
        | Q(flag_codes__endswith="," + rule)
        | Q(flag_codes__contains="," + rule + ",")
    )


def flagged_sheets(user: User, filters: Filters) -> QuerySet[Sheet]:
    check_rule(filters.rule)
    qs = (
        Sheet.objects.filter(tps__in=tps_for(user))
        .filter(numbers_visible_everywhere(user))  # a flag repeats a number
        .exclude(flag_codes="")
        .exclude(current=None)
        .select_related("current", "current__author", "tps", "tps__kelurahan")
        .prefetch_related(
            Prefetch("current__photos", queryset=Photo.objects.only("sha256").order_by("sha256"))
        )
    )
    if filters.contest:
        qs = qs.filter(contest_id=filters.contest)
    if filters.kecamatan is not None:
        qs = qs.filter(tps__code__startswith=filters.kecamatan.code)
    if filters.rule:
        qs = qs.filter(_has_code(filters.rule))
    return qs.order_by("-updated_at", "-id")


@dataclass(frozen=True)
class Flag:
    code: str
    field: str
    message: str


@dataclass(frozen=True)
class AnomalyRow:
    contest: str
    tps: str
    tps_number: int
    kelurahan_code: str
    kelurahan: str
    kecamatan_code: str
    status: str
    version: int
    flags: list[Flag]
    author: str
    at: datetime
    sheet_url: str
    photo_url: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "contest": self.contest,
            "tps": self.tps,
            "kelurahan": {"code": self.kelurahan_code, "name": self.kelurahan},
            "kecamatan": self.kecamatan_code,
            "status": self.status,
            "version": self.version,
            "flags": [{"code": f.code, "field": f.field, "message": f.message} for f in self.flags],
            "author": self.author,
            "at": self.at.isoformat(),
            "sheet_url": self.sheet_url,
            "photo_url": self.photo_url,
        }


def _message(code: str, language: str) -> str:
    rule = RULES.get(code)
    if rule is None:
        return code
    return rule.en if language.startswith("en") else rule.id


def anomaly_row(sheet: Sheet, language: str = "id") -> AnomalyRow:
    version = sheet.current
    assert version is not None
    flags = [
        Flag(
            str(f.get("code", "")), str(f.get("field", "")), _message(str(f.get("code")), language)
        )
        for f in sheet.flags  # as re-judged now, not as stored with the version
        if isinstance(f, dict)
    ]
    photos = list(version.photos.all())
    return AnomalyRow(
        sheet.contest_id,
        sheet.tps_id,
        sheet.tps.number,
        sheet.tps.kelurahan_id,
        sheet.tps.kelurahan.name,
        sheet.tps_id[:6],
        sheet.status,
        version.number,
        flags,
        version.author.get_username(),
        version.created_at,
        sheet_path(sheet.contest_id, sheet.tps_id),
        photo_url(photos[0].sha256) if photos else None,
    )
