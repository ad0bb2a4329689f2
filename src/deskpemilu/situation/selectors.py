"""What the situation room shows, as plain data: the same dict feeds the page, the TV mode, the
daily report (PDF and XLSX) and `GET /api/v1/situation/summary`.

Query-light: the results come from the rollups of the installation's region (one query for
every contest), readiness from its region rollups, incidents from one query over the open ones.
The reads of incidents, requests and health go through each app's access helper, so a reader
only ever counts what they may see.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from deskpemilu.accounts.models import User
from deskpemilu.audit.services import head
from deskpemilu.dashboard.selectors import PARTY, choice_labels, key_order
from deskpemilu.health import access as health_access
from deskpemilu.health import selectors as health_selectors
from deskpemilu.incidents import access as incidents_access
from deskpemilu.incidents import selectors as incidents_selectors
from deskpemilu.incidents.models import (
    OPEN_STATUSES,
    REQUEST_CLOSED,
    Incident,
    RequestStatus,
    Severity,
)
from deskpemilu.incidents.sla import clock
from deskpemilu.readiness.selectors import region_summary
from deskpemilu.regions.installation import prefix
from deskpemilu.regions.models import Region
from deskpemilu.results.contests import ContestInfo, active_contests, dapil_for
from deskpemilu.results.models import Rollup, RollupKind
from deskpemilu.results.recap import rollups_of
from deskpemilu.results.selectors import reader_kinds
from deskpemilu.tally.recap import legislative_party_totals, shares

DESK_ROLES = ("admin", "viewer", "verifier")
PPWP = "ppwp"
TOP = 5
# Age of an open incident since it was reported: (key, label, upper bound in hours).
AGES = (
    ("lt1", gettext_lazy("< 1 jam"), 1),
    ("1-6", gettext_lazy("1–6 jam"), 6),
    ("6-24", gettext_lazy("6–24 jam"), 24),
    ("gt24", gettext_lazy("> 24 jam"), 0),
)
SEVERITIES = [s.value for s in reversed(Severity)]  # kritis first
REQUEST_OPEN = [s.value for s in RequestStatus if s not in REQUEST_CLOSED]


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 0.0


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def sorted_contests(region_code: str = "") -> list[ContestInfo]:
    """The situation room watches the active election's contests cast in its region."""
    return active_contests(region_code)


# --- Results ----------------------------------------------------------------------------------


def results_progress(
    region: Region, user: User | None, kinds: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Per contest: TPS reported, verified and held, valid and invalid votes (the reader's
    figures beside the verified ones); and the PPWP totals per paslon. One query for every
    contest. The reader's figures are provisional, or verified only where provisional ones
    would show a pending entry (`results.selectors.reader_kind`: a blind re-entrant, the
    public); held sheets are in neither (`counting.counts_in`). `kinds`: `reader_kinds(user)`
    when the caller read it already (a cached block is drawn with the kinds its key names)."""
    rollups = {(r.contest_id, r.kind): r for r in rollups_of(region.code)}
    rows = []
    ppwp = None
    kinds = reader_kinds(user) if kinds is None else kinds
    for contest in sorted_contests(region.code):
        kind = kinds.get(contest.code, RollupKind.VERIFIED)
        prov = rollups.get((contest.code, kind))
        reported_row = rollups.get((contest.code, RollupKind.PROVISIONAL))
        ver = rollups.get((contest.code, RollupKind.VERIFIED))
        held = rollups.get((contest.code, RollupKind.HELD))
        reported = reported_row.tps_reported if reported_row else 0
        verified = ver.tps_reported if ver else 0
        rows.append(
            {
                "contest": contest.code,
                "name": contest.name,
                "short_name": contest.short_name,
                "verified_only": kind == RollupKind.VERIFIED,
                "tps_total": region.tps_count,
                "tps_reported": reported,
                "tps_verified": verified,
                "tps_held": held.tps_reported if held else 0,
                "reported_percent": percent(reported, region.tps_count),
                "verified_percent": percent(verified, region.tps_count),
                "suara_sah": prov.suara_sah if prov else 0,
                "suara_tidak_sah": prov.suara_tidak_sah if prov else 0,
                "verified_suara_sah": ver.suara_sah if ver else 0,
                "verified_suara_tidak_sah": ver.suara_tidak_sah if ver else 0,
                "updated_at": _iso(reported_row.updated_at if reported_row else None),
            }
        )
        if contest.code == PPWP:
            ppwp = _choice_totals(contest, region, prov, ver)
            ppwp["verified_only"] = kind == RollupKind.VERIFIED
            ppwp["tps_held"] = rows[-1]["tps_held"]
    return rows, ppwp


def _choice_totals(
    contest: ContestInfo, region: Region, prov: Rollup | None, ver: Rollup | None
) -> dict[str, Any]:
    """`prov` is the reader's kind of rollup. Percentages are largest-remainder shares of the
    votes counted (`tally.recap.shares`): they sum to 100, as on the recap page and the portal."""
    labels = choice_labels(contest, dapil_for(contest, region.code), {})
    totals = dict(prov.totals) if prov else {}
    verified = dict(ver.totals) if ver else {}
    if contest.kind == PARTY:
        totals, verified = legislative_party_totals(totals), legislative_party_totals(verified)
    sah = prov.suara_sah if prov else 0
    sah_v = ver.suara_sah if ver else 0
    keys = sorted(set(labels) | set(totals) | set(verified), key=key_order)
    mine = shares({k: int(totals.get(k, 0)) for k in keys})
    theirs = shares({k: int(verified.get(k, 0)) for k in keys})
    lines = [
        {
            "key": k,
            "label": labels.get(k, (k, k))[1],
            "votes": int(totals.get(k, 0)),
            "verified": int(verified.get(k, 0)),
            "percent": float(mine[k]),
            "verified_percent": float(theirs[k]),
        }
        for k in keys
    ]
    used = prov.surat_suara_digunakan if prov else 0
    dpt = prov.pemilih_dpt if prov else 0
    return {
        "contest": contest.code,
        "lines": lines,
        "suara_sah": sah,
        "suara_tidak_sah": prov.suara_tidak_sah if prov else 0,
        "verified_suara_sah": sah_v,
        "verified_suara_tidak_sah": ver.suara_tidak_sah if ver else 0,
        "surat_suara_digunakan": used,
        "pemilih_dpt": dpt,
        "turnout_percent": percent(used, dpt),
    }


# --- Readiness --------------------------------------------------------------------------------


def readiness_overview(region: Region) -> dict[str, Any]:
    data = region_summary(region, limit=TOP)
    return {
        "tps_total": data["tps_total"],
        "tps_ready": data["tps_ready"],
        "percent_ready": round(data["percent_ready"], 2),
        "tps_reported": data["tps_reported"],
        "tps_problem": data["tps_problem"],
        "problems_total": data["problems_total"],
        "problems": data["problems"],
        "children": data["children"],
        "updated_at": data["updated_at"],
    }


# --- Incidents --------------------------------------------------------------------------------


def _age_key(reported_at: datetime, now: datetime) -> str:
    hours = (now - reported_at).total_seconds() / 3600
    for key, _label, bound in AGES:
        if bound and hours < bound:
            return key
    return AGES[-1][0]


def incident_overview(user: User, region: Region, now: datetime) -> dict[str, Any]:
    """Open incidents by severity and age, overdue against the SLA, today's counts, the worst
    and oldest few, and the open ones per kelurahan (for the map)."""
    qs = incidents_access.incidents_for(user).filter(region__code__startswith=prefix(region.code))
    open_rows = qs.filter(status__in=OPEN_STATUSES).values_list(
        "severity", "status", "reported_at", "acknowledged_at", "resolved_at", "region_id"
    )
    by_age: dict[str, Counter[str]] = {s: Counter() for s in SEVERITIES}
    by_status: Counter[str] = Counter()
    by_area: dict[str, list[str]] = defaultdict(list)
    overdue = 0
    for severity, status, reported, acknowledged, resolved, area in open_rows.order_by():
        by_age.setdefault(severity, Counter())[_age_key(reported, now)] += 1
        by_status[status] += 1
        by_area[area].append(severity)
        sla = clock(
            severity=severity,
            status=status,
            reported_at=reported,
            acknowledged_at=acknowledged,
            resolved_at=resolved,
            now=now,
        )
        overdue += int(sla.overdue)
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    day = qs.aggregate(
        reported_today=Count("id", filter=Q(reported_at__gte=midnight)),
        closed_today=Count("id", filter=Q(resolved_at__gte=midnight)),
        total=Count("id"),
        last=Max("updated_at"),
    )
    top = incidents_selectors.board_order(
        incidents_selectors.with_list_relations(qs.filter(status__in=OPEN_STATUSES))
    )[:TOP]
    by_severity = {s: sum(by_age.get(s, Counter()).values()) for s in SEVERITIES}
    return {
        "open_total": sum(by_severity.values()),
        "overdue": overdue,
        "by_severity": by_severity,
        "by_age": {s: {key: by_age[s].get(key, 0) for key, _l, _b in AGES} for s in SEVERITIES},
        "by_status": {s: by_status.get(s, 0) for s in OPEN_STATUSES},
        "reported_today": day["reported_today"],
        "closed_today": day["closed_today"],
        "total": day["total"],
        "top": [_incident_row(i, now) for i in top],
        "open_by_area": dict(by_area),
        "updated_at": _iso(day["last"]),
    }


def _incident_row(incident: Incident, now: datetime) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "number": incident.number,
        "category": incident.category,
        "category_label": incident.get_category_display(),
        "severity": incident.severity,
        "status": incident.status,
        "status_label": incident.get_status_display(),
        "region_name": incident.region.name,
        "reported_at": incident.reported_at.isoformat(),
        "age": _age_key(incident.reported_at, now),
        "overdue": incidents_selectors.incident_clock(incident, now).overdue,
        "description": incident.description[:140],
    }


# --- Health, requests ---------------------------------------------------------------------------


def health_overview(user: User, region: Region) -> dict[str, Any] | None:
    """None for an account that does not read health (the health app decides who does)."""
    if not health_access.can_read_health(user):
        return None
    qs = health_access.incidents_for(user).filter(tps__code__startswith=prefix(region.code))
    last = qs.aggregate(last=Max("updated_at"))["last"]
    return {
        "totals": health_selectors.totals(qs),
        "by_kecamatan": health_selectors.counts_by_kecamatan(qs),
        "updated_at": _iso(last),
    }


def requests_overview(user: User, region: Region, now: datetime) -> dict[str, Any]:
    qs = incidents_access.requests_for(user).filter(region__code__startswith=prefix(region.code))
    counts = qs.aggregate(
        total=Count("id"),
        last=Max("updated_at"),
        **{s: Count("id", filter=Q(status=s)) for s in REQUEST_OPEN},
        overdue=Count("id", filter=Q(status__in=REQUEST_OPEN, needed_by__lt=now)),
        due_soon=Count(
            "id",
            filter=Q(
                status__in=REQUEST_OPEN,
                needed_by__gte=now,
                needed_by__lt=now + incidents_selectors.DUE_SOON,
            ),
        ),
    )
    top = (
        qs.filter(status__in=REQUEST_OPEN)
        .select_related("region", "requested_by_agency")
        .order_by("needed_by", "id")[:TOP]
    )
    return {
        "open_total": sum(counts[s] for s in REQUEST_OPEN),
        "by_status": {s: counts[s] for s in REQUEST_OPEN},
        "overdue": counts["overdue"],
        "due_soon": counts["due_soon"],
        "total": counts["total"],
        "top": [
            {
                "id": r.pk,
                "number": r.number,
                "kind": r.kind,
                "kind_label": r.get_kind_display(),
                "status": r.status,
                "status_label": r.get_status_display(),
                "region_name": r.region.name,
                "agency": r.requested_by_agency.name,
                "needed_by": r.needed_by.isoformat(),
                "due": incidents_selectors.request_due(r, now),
            }
            for r in top
        ],
        "updated_at": _iso(counts["last"]),
    }


# --- All of it --------------------------------------------------------------------------------


def _last_change(parts: dict[str, str | None]) -> tuple[str | None, str]:
    stamps = [(v, k) for k, v in parts.items() if v]
    if not stamps:
        return None, ""
    latest = max(stamps, key=lambda p: datetime.fromisoformat(p[0]))
    return latest[0], latest[1]


def situation_summary(
    user: User,
    region: Region,
    now: datetime | None = None,
    *,
    kinds: dict[str, str] | None = None,
) -> dict[str, Any]:
    now = now or timezone.now()
    results, ppwp = results_progress(region, user, kinds)
    readiness = readiness_overview(region)
    incidents = incident_overview(user, region, now)
    health = health_overview(user, region)
    requests = requests_overview(user, region, now)
    seq, digest = head()
    last, area = _last_change(
        {
            "hasil": max((r["updated_at"] for r in results if r["updated_at"]), default=None),
            "kesiapan": readiness["updated_at"],
            "kejadian": incidents["updated_at"],
            "kesehatan": health["updated_at"] if health else None,
            "permintaan": requests["updated_at"],
        }
    )
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "at": now.isoformat(),
        "audit": {"seq": seq, "head": digest},
        "last_change": last,
        "last_change_area": area,
        "results": results,
        "ppwp": ppwp,
        "readiness": readiness,
        "incidents": incidents,
        "health": health,
        "requests": requests,
    }
