"""A TPS's readiness summary and the region rollups above it: moved by each report (in its
transaction), recomputed from the states after a checklist change, and checked against a
recount (the invariant)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from deskpemilu.readiness.models import (
    ChecklistItem,
    RegionReadiness,
    Status,
    TpsItemState,
    TpsReadiness,
)
from deskpemilu.regions.models import Region, Tps

ANCESTOR_LENGTHS = (2, 4, 6, 10)


def ancestor_codes(tps_code: str) -> list[str]:
    return [tps_code[:n] for n in ANCESTOR_LENGTHS]


def counts(tps: Tps, total: int) -> tuple[int, int, bool]:
    counts = TpsItemState.objects.filter(tps=tps, item__is_active=True).aggregate(
        ready=Count("pk", filter=Q(status=Status.SIAP)),
        problems=Count("pk", filter=Q(status=Status.BERMASALAH)),
    )
    ready, problems = int(counts["ready"]), int(counts["problems"])
    return ready, problems, total > 0 and ready == total


def flags(summary: TpsReadiness) -> tuple[int, int, int]:
    """What one TPS contributes to a region: (ready, reported, with a problem)."""
    reported = summary.updated_at is not None
    return int(summary.ready), int(reported), int(reported and summary.problems > 0)


def move_rollups(tps_code: str, before: tuple[int, int, int], after: tuple[int, int, int]) -> None:
    ready, reported, problem = (a - b for a, b in zip(after, before, strict=True))
    if not (ready or reported or problem):
        return
    codes = ancestor_codes(tps_code)
    existing = list(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    RegionReadiness.objects.bulk_create(
        [RegionReadiness(region_id=c) for c in existing], ignore_conflicts=True
    )
    # Lock in code order (province first), so two writers cannot deadlock.
    locked = list(
        RegionReadiness.objects.select_for_update()
        .filter(region_id__in=existing)
        .order_by("region_id")
        .values_list("region_id", flat=True)
    )
    RegionReadiness.objects.filter(region_id__in=locked).update(
        tps_ready=F("tps_ready") + ready,
        tps_reported=F("tps_reported") + reported,
        tps_problem=F("tps_problem") + problem,
        updated_at=timezone.now(),
    )


def expected_summaries() -> dict[str, tuple[int, int, int, bool]]:
    """Per TPS with any state: (items_ready, items_total, problems, ready) from the states."""
    total = ChecklistItem.objects.filter(is_active=True).count()
    rows = (
        TpsItemState.objects.values("tps_id")
        .annotate(
            ready=Count("pk", filter=Q(status=Status.SIAP, item__is_active=True)),
            problems=Count("pk", filter=Q(status=Status.BERMASALAH, item__is_active=True)),
        )
        .order_by()
    )
    return {
        r["tps_id"]: (r["ready"], total, r["problems"], total > 0 and r["ready"] == total)
        for r in rows
    }


def expected_rollups(
    summaries: Mapping[str, tuple[int, int, int, bool]],
) -> dict[str, Counter[str]]:
    existing = set(Region.objects.values_list("code", flat=True))
    sums: dict[str, Counter[str]] = {}
    for code, (_ready_items, _total, problems, ready) in summaries.items():
        for region in ancestor_codes(code):
            if region in existing:
                row = sums.setdefault(region, Counter())
                row["ready"] += int(ready)
                row["reported"] += 1
                row["problem"] += int(problems > 0)
    return sums


def rebuild_readiness() -> int:
    """Recompute every TPS summary and region rollup from the current states. Must run inside
    the transaction of the change that calls for it. Returns the number of TPS summarised."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rebuild_readiness must run inside a transaction")
    now = timezone.now()
    summaries = expected_summaries()
    last_change = dict(
        TpsItemState.objects.values("tps_id")
        .annotate(at=Max("updated_at"))
        .order_by()
        .values_list("tps_id", "at")
    )
    TpsReadiness.objects.all().delete()
    TpsReadiness.objects.bulk_create(
        [
            TpsReadiness(
                tps_id=code,
                items_ready=ready_items,
                items_total=total,
                problems=problems,
                ready=ready,
                updated_at=last_change.get(code) or now,
            )
            for code, (ready_items, total, problems, ready) in summaries.items()
        ],
        batch_size=2000,
    )
    RegionReadiness.objects.all().delete()
    RegionReadiness.objects.bulk_create(
        [
            RegionReadiness(
                region_id=code,
                tps_ready=row["ready"],
                tps_reported=row["reported"],
                tps_problem=row["problem"],
                updated_at=now,
            )
            for code, row in expected_rollups(summaries).items()
        ],
        batch_size=2000,
    )
    return len(summaries)


def check_readiness() -> list[str]:
    """Differences between the stored summaries/rollups and a recount (empty = consistent)."""
    summaries = expected_summaries()
    problems: list[str] = []
    stored = {
        s.tps_id: (s.items_ready, s.items_total, s.problems, s.ready)
        for s in TpsReadiness.objects.exclude(updated_at=None)
    }
    for code in sorted(set(stored) | set(summaries)):
        if stored.get(code) != summaries.get(code):
            problems.append(f"tps {code}: {stored.get(code)} != {summaries.get(code)}")
    rollups = expected_rollups(summaries)
    have = {
        r.region_id: (r.tps_ready, r.tps_reported, r.tps_problem)
        for r in RegionReadiness.objects.all()
    }
    for code in sorted(set(have) | set(rollups)):
        want = rollups.get(code, Counter())
        expected = (want["ready"], want["reported"], want["problem"])
        if have.get(code, (0, 0, 0)) != expected:
            problems.append(f"region {code}: {have.get(code)} != {expected}")
    return problems
