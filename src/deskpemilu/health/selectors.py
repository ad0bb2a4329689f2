"""Reads of health, always from querysets already scoped by `health.access`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from deskpemilu.health.facilities import PUSKESMAS_ITEMS, STAFF_FIELDS, current_checks
from deskpemilu.health.models import (
    Condition,
    DutyShift,
    FollowUp,
    HealthIncident,
    HealthPost,
    IncidentStatus,
    PuskesmasCheck,
)
from deskpemilu.regions.models import Level, Puskesmas, Region

CONDITIONS = [c.value for c in Condition]


def incident_row(incident: HealthIncident, *, names: bool) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "election": incident.election_id,
        "tps": incident.tps_id,
        "tps_number": incident.tps.number,
        "kelurahan": incident.tps.kelurahan.name,
        "person_role": incident.person_role,
        "person_role_label": incident.get_person_role_display(),
        "condition": incident.condition,
        "condition_label": incident.get_condition_display(),
        "first_condition": incident.first_condition,
        "occurred_at": incident.occurred_at.isoformat(),
        "puskesmas": incident.puskesmas.code if incident.puskesmas else None,
        "puskesmas_name": incident.puskesmas.name if incident.puskesmas else None,
        "note": incident.note,
        "name": incident.name if names else None,
        "status": incident.status,
        "reported_by": incident.reported_by.username,
        "created_at": incident.created_at.isoformat(),
        "closed_at": incident.closed_at.isoformat() if incident.closed_at else None,
    }


def followup_row(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.pk,
        "at": f.at.isoformat(),
        "actor": f.actor.username,
        "note": f.note,
        "condition": f.condition or None,
        "puskesmas": f.puskesmas.code if f.puskesmas else None,
        "closes": f.closes,
    }


def incident_list(
    qs: QuerySet[HealthIncident], *, names: bool, limit: int = 500
) -> list[dict[str, Any]]:
    rows = qs.select_related("tps__kelurahan", "puskesmas", "reported_by").order_by(
        "-occurred_at", "-id"
    )[:limit]
    return [incident_row(i, names=names) for i in rows]


def incident_detail(incident: HealthIncident, *, names: bool) -> dict[str, Any]:
    followups = incident.followups.select_related("actor", "puskesmas").order_by("at", "id")
    return {
        **incident_row(incident, names=names),
        "followups": [followup_row(f) for f in followups],
    }


def followups_of(incidents: Sequence[HealthIncident]) -> dict[int, list[FollowUp]]:
    result: dict[int, list[FollowUp]] = defaultdict(list)
    rows = FollowUp.objects.filter(incident__in=list(incidents)).select_related("actor")
    for f in rows.order_by("at", "id"):
        result[f.incident_id].append(f)
    return result


def _blank_counts() -> dict[str, int]:
    return {"total": 0, "open": 0, **dict.fromkeys(CONDITIONS, 0)}


def _count(rows: Iterable[dict[str, Any]], key: str) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = defaultdict(_blank_counts)
    for r in rows:
        row = result[str(r[key] or "")]
        row["total"] += r["n"]
        row[r["condition"]] += r["n"]
        if r["status"] == IncidentStatus.TERBUKA:
            row["open"] += r["n"]
    return dict(result)


def counts_by_puskesmas(qs: QuerySet[HealthIncident]) -> list[dict[str, Any]]:
    """Per handling puskesmas (current condition; open = not yet closed)."""
    rows = qs.values("puskesmas_id", "condition", "status").annotate(n=Count("pk")).order_by()
    counts = _count(rows, "puskesmas_id")
    known = {
        str(pk): (code, name)
        for pk, code, name in Puskesmas.objects.filter(
            pk__in=[int(k) for k in counts if k]
        ).values_list("pk", "code", "name")
    }
    result = [{"puskesmas": known[k][0], "name": known[k][1], **v} for k, v in counts.items() if k]
    result.sort(key=lambda r: str(r["name"]))
    if "" in counts:
        result.append({"puskesmas": None, "name": "Belum ditentukan", **counts[""]})
    return result


def counts_by_kecamatan(qs: QuerySet[HealthIncident]) -> list[dict[str, Any]]:
    rows = (
        qs.annotate(kecamatan=Substr("tps_id", 1, 6))
        .values("kecamatan", "condition", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _count(rows, "kecamatan")
    names = dict(Region.objects.filter(code__in=list(counts)).values_list("code", "name"))
    return [{"kecamatan": k, "name": names.get(k, k), **v} for k, v in sorted(counts.items())]


def totals(qs: QuerySet[HealthIncident]) -> dict[str, int]:
    rows = qs.values("condition", "status").annotate(n=Count("pk")).order_by()
    result = _blank_counts()
    for r in rows:
        result["total"] += r["n"]
        result[r["condition"]] += r["n"]
        if r["status"] == IncidentStatus.TERBUKA:
            result["open"] += r["n"]
    return result


# --- Puskesmas --------------------------------------------------------------------------------


@dataclass
class PuskesmasView:
    puskesmas: Puskesmas
    service_area: list[Region]
    area_assumed: bool
    posts: list[HealthPost] = field(default_factory=list)
    shifts: list[DutyShift] = field(default_factory=list)
    checks: dict[str, PuskesmasCheck] = field(default_factory=dict)

    @property
    def staff_today(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for s in self.shifts:
            for f in STAFF_FIELDS:
                counts[f] += getattr(s, f)
        return {f: counts[f] for f in STAFF_FIELDS}

    @property
    def items(self) -> list[tuple[str, str, PuskesmasCheck | None]]:
        return [(code, label, self.checks.get(code)) for code, label in PUSKESMAS_ITEMS]

    @property
    def items_ready(self) -> int:
        return sum(1 for c in self.checks.values() if c.status == "siap")


def puskesmas_views(qs: QuerySet[Puskesmas], *, day: date) -> list[PuskesmasView]:
    """Each puskesmas with its service area (set, or assumed: its kecamatan's kelurahan), its
    active posts, the day's shifts and its readiness, in a fixed number of queries."""
    rows = list(qs.select_related("kecamatan").prefetch_related("service_area").order_by("name"))
    kelurahan_of: dict[str, list[Region]] = defaultdict(list)
    for k in Region.objects.filter(level__in=[Level.KELURAHAN, Level.DESA]).only(
        "code", "name", "parent_id"
    ):
        kelurahan_of[k.parent_id or ""].append(k)
    posts: dict[int, list[HealthPost]] = defaultdict(list)
    for post in HealthPost.objects.filter(puskesmas__in=rows, is_active=True).order_by("name"):
        posts[post.puskesmas_id].append(post)
    shifts: dict[int, list[DutyShift]] = defaultdict(list)
    for s in DutyShift.objects.filter(puskesmas__in=rows, date=day).order_by("shift"):
        shifts[s.puskesmas_id].append(s)
    checks = current_checks(rows)
    views = []
    for p in rows:
        area = sorted(p.service_area.all(), key=lambda r: r.code)
        assumed = not area
        if assumed:
            area = kelurahan_of.get(p.kecamatan_id or "", [])
        views.append(
            PuskesmasView(
                p,
                area,
                assumed,
                posts.get(p.pk, []),
                shifts.get(p.pk, []),
                {c.item: c for c in checks.get(p.pk, [])},
            )
        )
    return views


def puskesmas_row(view: PuskesmasView) -> dict[str, Any]:
    p = view.puskesmas
    return {
        "code": p.code,
        "name": p.name,
        "kecamatan": p.kecamatan_id,
        "address": p.address,
        "service_area": [k.code for k in view.service_area],
        "service_area_assumed": view.area_assumed,
        "posts": [
            {
                "id": post.pk,
                "name": post.name,
                "address": post.address,
                "hours": post.hours,
                "has_ambulance": post.has_ambulance,
                "phone": post.phone,
                "lat": post.lat,
                "lon": post.lon,
            }
            for post in view.posts
        ],
        "shifts": [
            {
                "id": s.pk,
                "date": s.date.isoformat(),
                "shift": s.shift,
                **{f: getattr(s, f) for f in STAFF_FIELDS},
                "note": s.note,
            }
            for s in view.shifts
        ],
        "readiness": [
            {
                "item": code,
                "label": label,
                "status": check.status if check else None,
                "catatan": check.catatan if check else "",
            }
            for code, label, check in view.items
        ],
    }
