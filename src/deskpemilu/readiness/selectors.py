"""Reads of readiness: a TPS's checklist, a region's summary, and both as they were at a time
(the moments the desk looks back at, and `?pada=`, are read in readiness.moments).

Callers fetch the TPS or region through the access helpers first; everything below a region the
reader may see is theirs to see (scopes nest by code prefix).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from deskpemilu.readiness.checklist import fixed_target, items_in_force, target_for
from deskpemilu.readiness.models import (
    ChecklistItem,
    ReadinessReport,
    RegionReadiness,
    Status,
    TpsItemState,
    TpsReadiness,
)
from deskpemilu.readiness.services import percent
from deskpemilu.regions import installation
from deskpemilu.regions.models import Level, Region, Tps

PROBLEM_LIMIT = 200
KELURAHAN_LEVELS = (Level.KELURAHAN, Level.DESA)


# --- Items ------------------------------------------------------------------------------------


def item_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "label": i.label,
            "needs_quantity": i.needs_quantity,
            "target": fixed_target(i),
            "target_rule": i.target_rule,
            "help_text": i.help_text,
        }
        for i in items_in_force()
    ]


# --- One TPS ----------------------------------------------------------------------------------


def _state_dict(state: Any | None) -> dict[str, Any]:
    if state is None:
        return {"status": None, "jumlah": None, "catatan": "", "photo": "", "updated_at": None}
    return {
        "status": state.status,
        "jumlah": state.jumlah,
        "catatan": state.catatan,
        "photo": state.photo_sha256,
        "updated_at": state.updated_at.isoformat() if state.updated_at else None,
    }


@dataclass(frozen=True)
class PastState:
    """An item's state at a past moment: its latest report before then."""

    status: str
    jumlah: int | None
    catatan: str
    photo_sha256: str
    updated_at: datetime


def tps_readiness(tps: Tps, *, at: datetime | None = None) -> dict[str, Any]:
    """The checklist of a TPS with each item's state and per-TPS target, now or at `at`."""
    items = items_in_force()
    states: dict[int, Any]
    if at is None:
        states = {s.item_id: s for s in TpsItemState.objects.filter(tps=tps)}
    else:
        states = {
            item_id: PastState(status, jumlah, catatan, photo, when)
            for (_tps, item_id, status, jumlah, catatan, photo, when) in latest_reports(
                tps.code, at
            )
        }
    rows = []
    ready_count = problems = 0
    for item in items:
        state = states.get(item.pk)
        row = {
            "code": item.code,
            "label": item.label,
            "needs_quantity": item.needs_quantity,
            "target": target_for(item, tps),
            **_state_dict(state),
        }
        target = row["target"]
        row["below_target"] = bool(
            target is not None and row["jumlah"] is not None and row["jumlah"] < target
        )
        ready_count += int(row["status"] == Status.SIAP)
        problems += int(row["status"] == Status.BERMASALAH)
        rows.append(row)
    updated = [r["updated_at"] for r in rows if r["updated_at"]]
    return {
        "tps": tps.code,
        "number": tps.number,
        "kelurahan": tps.kelurahan_id,
        "dpt": tps.dpt,
        "items_ready": ready_count,
        "items_total": len(items),
        "problems": problems,
        "percent_ready": percent(ready_count, len(items)),
        "ready": bool(items) and ready_count == len(items),
        "updated_at": max(updated) if updated else None,
        "at": at.isoformat() if at else None,
        "items": rows,
    }


def tps_history(tps: Tps, *, limit: int = 300) -> list[dict[str, Any]]:
    """Every report of the TPS, newest first."""
    reports = (
        ReadinessReport.objects.filter(tps=tps)
        .select_related("item", "reporter")
        .order_by("-at", "-id")[:limit]
    )
    return [
        {
            "at": r.at.isoformat(),
            "item": r.item.code,
            "label": r.item.label,
            "status": r.status,
            "jumlah": r.jumlah,
            "catatan": r.catatan,
            "photo": r.photo_sha256,
            "reporter": r.reporter.username,
            "source": r.source,
        }
        for r in reports
    ]


# --- A region ---------------------------------------------------------------------------------


def _child_regions(region: Region) -> list[Region]:
    return list(
        installation.children_of(region)
        .only("code", "name", "level", "parent_id", "tps_count")
        .order_by("code")
    )


def _own_readiness(region: Region) -> RegionReadiness | None:
    """The region's readiness row; for the nation (no row of its own) the sum of the
    top-level regions' rows."""
    if not installation.is_nation(region.code):
        return RegionReadiness.objects.filter(region=region).first()
    rows = list(RegionReadiness.objects.filter(region__parent=None))
    if not rows:
        return None
    stamps = [r.updated_at for r in rows if r.updated_at]
    return RegionReadiness(
        tps_ready=sum(r.tps_ready for r in rows),
        tps_reported=sum(r.tps_reported for r in rows),
        tps_problem=sum(r.tps_problem for r in rows),
        updated_at=max(stamps) if stamps else None,
    )


def _tps_name(number: int) -> str:
    return f"TPS {number:03d}"


def _problems_now(code: str, limit: int) -> tuple[list[dict[str, Any]], int]:
    qs = TpsItemState.objects.filter(
        tps__code__startswith=code, status=Status.BERMASALAH, item__is_active=True
    )
    rows = qs.select_related("item", "tps__kelurahan").order_by("status_since", "id")[:limit]
    problems = [
        {
            "tps": s.tps_id,
            "tps_name": _tps_name(s.tps.number),
            "kelurahan": s.tps.kelurahan.name,
            "item": s.item.code,
            "item_label": s.item.label,
            "status": s.status,
            "catatan": s.catatan,
            "since": s.status_since.isoformat(),
        }
        for s in rows
    ]
    total = len(problems) if len(problems) < limit else qs.count()
    return problems, total


def _summary_row(code: str, name: str, level: str, total: int, ready: int) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "level": level,
        "tps_total": total,
        "tps_ready": ready,
        "percent_ready": percent(ready, total),
    }


def region_summary(
    region: Region, *, at: datetime | None = None, limit: int = PROBLEM_LIMIT
) -> dict[str, Any]:
    """CONTRACT.md's summary: TPS ready of the region and of each child, and the problems
    (items marked bermasalah), longest-standing first. At `at`: rebuilt from the reports."""
    if at is not None:
        return _summary_at(region, at, limit)
    own = _own_readiness(region)
    if region.level in KELURAHAN_LEVELS:
        children = _tps_children(region)
    else:
        kids = _child_regions(region)
        rollups = {r.region_id: r for r in RegionReadiness.objects.filter(region__in=kids)}
        children = []
        for c in kids:
            roll = rollups.get(c.code)
            row = _summary_row(c.code, c.name, c.level, c.tps_count, roll.tps_ready if roll else 0)
            row["tps_reported"] = roll.tps_reported if roll else 0
            row["tps_problem"] = roll.tps_problem if roll else 0
            children.append(row)
    problems, problems_total = _problems_now(installation.prefix(region.code), limit)
    ready = own.tps_ready if own else 0
    return {
        "region": region.code,
        "name": region.name,
        "level": region.level,
        "tps_total": region.tps_count,
        "tps_ready": ready,
        "percent_ready": percent(ready, region.tps_count),
        "tps_reported": own.tps_reported if own else 0,
        "tps_problem": own.tps_problem if own else 0,
        "problems": problems,
        "problems_total": problems_total,
        "children": children,
        "updated_at": own.updated_at.isoformat() if own and own.updated_at else None,
        "at": None,
    }


def _tps_children(region: Region) -> list[dict[str, Any]]:
    tps_rows = list(Tps.objects.filter(kelurahan=region).only("code", "number").order_by("code"))
    summaries = {
        s.tps_id: s
        for s in TpsReadiness.objects.filter(tps__kelurahan=region).exclude(updated_at=None)
    }
    total_items = ChecklistItem.objects.filter(is_active=True).count()
    children = []
    for t in tps_rows:
        s = summaries.get(t.code)
        row = _summary_row(t.code, _tps_name(t.number), "tps", 1, int(s.ready) if s else 0)
        # For a TPS, percent_ready is the share of its items that are siap (as in the PUT).
        row["percent_ready"] = percent(s.items_ready, s.items_total) if s else 0.0
        row["items_ready"] = s.items_ready if s else 0
        row["items_total"] = s.items_total if s else total_items
        row["problems"] = s.problems if s else 0
        row["reported"] = s is not None
        children.append(row)
    return children


# --- As it was at a time ----------------------------------------------------------------------


def latest_reports(prefix: str, at: datetime) -> Iterable[tuple[Any, ...]]:
    """(tps, item, status, jumlah, catatan, photo, at) of the latest report of each TPS × item
    under `prefix` made at or before `at`, for items in force."""
    ranked = (
        ReadinessReport.objects.filter(
            tps__code__startswith=prefix, at__lte=at, item__is_active=True
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("tps_id"), F("item_id")],
                order_by=[F("at").desc(), F("id").desc()],
            )
        )
        .filter(rank=1)
    )
    return ranked.values_list(
        "tps_id", "item_id", "status", "jumlah", "catatan", "photo_sha256", "at"
    ).iterator(chunk_size=5000)


def tps_status_at(prefix: str, at: datetime) -> dict[str, dict[str, int]]:
    """Per TPS with a report under `prefix` at `at`: items siap and bermasalah."""
    result: dict[str, dict[str, int]] = defaultdict(lambda: {"siap": 0, "bermasalah": 0})
    for tps_id, _item, status, *_rest in latest_reports(prefix, at):
        counts = result[tps_id]  # a TPS with only "belum" items has still reported
        if status in counts:
            counts[status] += 1
    return dict(result)


def _problems_at(prefix: str, at: datetime, limit: int) -> tuple[list[dict[str, Any]], int]:
    items = {i.pk: i for i in items_in_force()}
    rows = [r for r in latest_reports(prefix, at) if r[2] == Status.BERMASALAH]
    rows.sort(key=lambda r: r[6])
    tps = {
        t.code: t
        for t in Tps.objects.filter(code__in={r[0] for r in rows[:limit]}).select_related(
            "kelurahan"
        )
    }
    problems = [
        {
            "tps": tps_id,
            "tps_name": _tps_name(tps[tps_id].number),
            "kelurahan": tps[tps_id].kelurahan.name,
            "item": items[item_id].code,
            "item_label": items[item_id].label,
            "status": status,
            "catatan": catatan,
            "since": when.isoformat(),
        }
        for tps_id, item_id, status, _jumlah, catatan, _photo, when in rows[:limit]
    ]
    return problems, len(rows)


def _summary_at(region: Region, at: datetime, limit: int) -> dict[str, Any]:
    total_items = ChecklistItem.objects.filter(is_active=True).count()
    status = tps_status_at(installation.prefix(region.code), at)
    ready_tps = {c for c, s in status.items() if total_items and s["siap"] == total_items}
    if region.level in KELURAHAN_LEVELS:
        children = []
        for t in Tps.objects.filter(kelurahan=region).only("code", "number").order_by("code"):
            s = status.get(t.code)
            row = _summary_row(t.code, _tps_name(t.number), "tps", 1, int(t.code in ready_tps))
            row["percent_ready"] = percent(s["siap"], total_items) if s else 0.0
            row["items_ready"] = s["siap"] if s else 0
            row["items_total"] = total_items
            row["problems"] = s["bermasalah"] if s else 0
            row["reported"] = s is not None
            children.append(row)
    else:
        children = []
        for c in _child_regions(region):
            mine = [code for code in status if code.startswith(c.code)]
            row = _summary_row(
                c.code, c.name, c.level, c.tps_count, sum(1 for x in mine if x in ready_tps)
            )
            row["tps_reported"] = len(mine)
            row["tps_problem"] = sum(1 for x in mine if status[x]["bermasalah"])
            children.append(row)
    problems, problems_total = _problems_at(installation.prefix(region.code), at, limit)
    return {
        "region": region.code,
        "name": region.name,
        "level": region.level,
        "tps_total": region.tps_count,
        "tps_ready": len(ready_tps),
        "percent_ready": percent(len(ready_tps), region.tps_count),
        "tps_reported": len(status),
        "tps_problem": sum(1 for s in status.values() if s["bermasalah"]),
        "problems": problems,
        "problems_total": problems_total,
        "children": children,
        "updated_at": None,
        "at": at.isoformat(),
    }


def kelurahan_percent(region: Region, *, at: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Per kelurahan under `region`: tps_total, tps_ready, tps_reported, tps_problem (for the
    map), now or at `at`."""
    # Plain rows, not model instances: a province's map asks for thousands of desa.
    under = installation.prefix(region.code)
    kelurahan = Region.objects.filter(
        code__startswith=under, level__in=KELURAHAN_LEVELS
    ).values_list("code", "tps_count")
    result = {
        code: {"tps_total": total, "tps_ready": 0, "tps_reported": 0, "tps_problem": 0}
        for code, total in kelurahan
    }
    if at is None:
        rows = RegionReadiness.objects.filter(
            region__code__startswith=under, region__level__in=KELURAHAN_LEVELS
        ).values_list("region_id", "tps_ready", "tps_reported", "tps_problem")
        for code, ready, reported, problem in rows:
            if code in result:  # a kelurahan loaded between the two reads is not on this map
                result[code].update(tps_ready=ready, tps_reported=reported, tps_problem=problem)
        return result
    total_items = ChecklistItem.objects.filter(is_active=True).count()
    for code, s in tps_status_at(under, at).items():
        row = result.get(code[:10])
        if row is None:
            continue
        row["tps_reported"] += 1
        row["tps_ready"] += int(bool(total_items) and s["siap"] == total_items)
        row["tps_problem"] += int(s["bermasalah"] > 0)
    return result
