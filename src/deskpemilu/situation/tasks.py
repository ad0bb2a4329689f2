"""The day's tasks of a field account, first on its home page: what is still to do in its area,
each with how many and where to do it. Read from each feature's own scoped selectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deskpemilu.accounts.models import User
from deskpemilu.health import access as health_access
from deskpemilu.incidents import access as incidents_access
from deskpemilu.incidents.models import OPEN_STATUSES, Status
from deskpemilu.readiness.selectors import region_summary
from deskpemilu.regions.models import Region
from deskpemilu.results.listings import returned_to
from deskpemilu.situation.selectors import REQUEST_OPEN, results_progress
from deskpemilu.team.selectors import open_action_items


@dataclass(frozen=True)
class Task:
    label: Any  # lazy text
    count: int
    url: str
    urgent: bool = False  # waiting on this account, or overdue


def _url(name: str, *args: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the feature is not mounted in this installation
        return ""


def _to_enter(user: User, region: Region) -> list[Task]:
    rows, _ppwp = results_progress(region, user)
    missing = sum(max(r["tps_total"] - r["tps_reported"], 0) for r in rows)
    returned = len(returned_to(user))
    url = _url("results_home")
    return [
        Task(_("Lembar dikembalikan untuk diperbaiki"), returned, url, urgent=returned > 0),
        Task(_("Lembar C.Hasil belum dientri"), missing, url),
    ]


def _readiness(region: Region) -> list[Task]:
    data = region_summary(region, limit=0)
    not_ready = data["tps_total"] - data["tps_ready"]
    url = _url("readiness_home")
    return [
        Task(_("TPS belum siap"), not_ready, url),
        Task(_("TPS dengan masalah kesiapan"), data["tps_problem"], url, urgent=True),
    ]


def _incidents(user: User, region: Region) -> list[Task]:
    qs = incidents_access.incidents_for(user).filter(region__code__startswith=region.code)
    url = _url("incident_board")
    if user.role == "liaison":
        waiting = qs.filter(status=Status.DITERUSKAN).count()
        return [
            Task(_("Kejadian diteruskan ke instansi Anda, belum ditangani"), waiting, url, True)
        ]
    return [
        Task(
            _("Kejadian terbuka di wilayah Anda"), qs.filter(status__in=OPEN_STATUSES).count(), url
        )
    ]


def _requests(user: User, region: Region) -> list[Task]:
    qs = incidents_access.requests_for(user).filter(region__code__startswith=region.code)
    return [
        Task(
            _("Permintaan fasilitasi terbuka"),
            qs.filter(status__in=REQUEST_OPEN).count(),
            _url("request_list"),
        )
    ]


def _health(user: User, now: datetime) -> list[Task]:
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    qs = health_access.incidents_for(user)
    return [
        Task(
            _("Kasus kesehatan petugas hari ini"),
            qs.filter(occurred_at__gte=midnight).count(),
            _url("health_home"),
        )
    ]


def day_tasks(user: User, region: Region | None, now: datetime | None = None) -> list[Task]:
    """The tasks of `user`'s role in `region` (its area); none for the desk roles."""
    if region is None:
        return []
    now = now or timezone.now()
    role = user.role
    tasks: list[Task] = []
    if role == "operator":
        tasks += _to_enter(user, region) + _readiness(region)
    if role in ("lurah", "camat"):
        tasks += _readiness(region) + _incidents(user, region) + _requests(user, region)
    if role == "liaison":
        tasks += _incidents(user, region) + _requests(user, region)
        url = _url("team_actions")
        tasks.append(
            Task(_("Tindak lanjut rapat untuk instansi Anda"), open_action_items(user).count(), url)
        )
    if role == "health" and health_access.can_read_health(user):
        tasks += _health(user, now)
    return [t for t in tasks if t.url]
