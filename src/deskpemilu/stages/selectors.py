"""Reads of the stage calendar. The situation room (dashboard) calls `stages_today(date=None)`
and includes stages/_today.html with its result as `stages_today`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from deskpemilu.regions.models import Level, Region
from deskpemilu.stages.models import Stage, StageStatus, StageUpdate, State

STATE_ORDER = [s.value for s in State]


@dataclass
class Cell:
    stage: Stage
    kecamatan: Region
    status: str = State.BELUM
    note: str = ""
    updated_at: datetime | None = None

    @property
    def label(self) -> str:
        return str(State(self.status).label)


@dataclass
class TodayStage:
    """A stage running on a day, with how many kecamatan are at each status."""

    stage: Stage
    counts: dict[str, int]
    total: int
    problems: list[StageStatus] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.counts.get(State.SELESAI, 0)

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _kecamatan_all() -> QuerySet[Region]:
    return Region.objects.filter(
        level=Level.KECAMATAN, code__startswith=settings.DESKPEMILU_INSTALLATION_REGION
    ).order_by("code")


def stages_today(date: date | None = None) -> list[TodayStage]:
    """The followed stages of the active election running on `date` (default: today, WITA),
    with their status counts over the installation's kecamatan and the kecamatan reporting a
    problem. Three queries."""
    day = date or timezone.localdate()
    stages = list(
        Stage.objects.filter(
            active=True, election__active=True, starts_on__lte=day, ends_on__gte=day
        )
    )
    if not stages:
        return []
    total = _kecamatan_all().count()
    statuses = StageStatus.objects.filter(
        stage__in=stages, kecamatan__code__startswith=settings.DESKPEMILU_INSTALLATION_REGION
    ).select_related("kecamatan")
    counts: dict[int, Counter[str]] = {s.pk: Counter() for s in stages}
    problems: dict[int, list[StageStatus]] = {s.pk: [] for s in stages}
    for row in statuses:
        counts[row.stage_id][row.status] += 1
        if row.status == State.BERMASALAH:
            problems[row.stage_id].append(row)
    result = []
    for stage in stages:
        c = counts[stage.pk]
        c[State.BELUM] += total - sum(c.values())
        result.append(
            TodayStage(stage, {s: c.get(s, 0) for s in STATE_ORDER}, total, problems[stage.pk])
        )
    return result


def grid(stages: list[Stage], kecamatan: list[Region]) -> list[tuple[Region, list[Cell]]]:
    """Rows of kecamatan × stage cells; a cell without a status row is `belum`. One query."""
    found = {
        (row.stage_id, row.kecamatan_id): row
        for row in StageStatus.objects.filter(stage__in=stages, kecamatan__in=kecamatan)
    }
    rows = []
    for k in kecamatan:
        cells = []
        for s in stages:
            row = found.get((s.pk, k.code))
            if row is None:
                cells.append(Cell(s, k))
            else:
                cells.append(Cell(s, k, row.status, row.note, row.updated_at))
        rows.append((k, cells))
    return rows


def history(stage: Stage, kecamatan: list[Region], limit: int = 100) -> list[StageUpdate]:
    return list(
        StageUpdate.objects.filter(stage=stage, kecamatan__in=kecamatan)
        .select_related("kecamatan")
        .order_by("-at", "-pk")[:limit]
    )
