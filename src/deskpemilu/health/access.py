"""The door to health rows: who reads health, which puskesmas and incidents are an account's.

Like `accounts.access`: the same 404 for "missing" and "not yours". TPS and regions still go
through `accounts.access`; this adds the rows that are fetched by id or slug.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from deskpemilu.accounts.models import User
from deskpemilu.elections.entry import of_election
from deskpemilu.health.models import HealthIncident
from deskpemilu.regions.models import Puskesmas

SLUG = re.compile(r"[a-z0-9-]{1,60}")
READING_ROLES = {"admin", "viewer", "health", "lurah", "camat"}
HEALTH_LIAISON = "dinkes"  # the health office's liaison reads the health pages too
# Health posts, duty shifts, puskesmas readiness, follow-ups.
HEALTH_WRITERS = {"health", "admin"}
# Who may report a health incident: puskesmas staff, and the lurah and camat who hear first.
INCIDENT_REPORTERS = {"health", "admin", "lurah", "camat"}
# Who sees the optional name of the person: the staff who follow the case up, and the desk.
NAME_READERS = {"health", "admin"}


def may_report_incident(user: User) -> bool:
    return user.role in INCIDENT_REPORTERS


def may_write(user: User) -> bool:
    """Health posts, duty shifts, puskesmas readiness, follow-ups."""
    return user.role in HEALTH_WRITERS


def may_set_service_area(user: User) -> bool:
    return user.role == "admin"


def can_read_health(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in READING_ROLES:
        return True
    return user.role == "liaison" and user.agency is not None and user.agency.slug == HEALTH_LIAISON


def require_health_reader(user: User) -> None:
    if not can_read_health(user):
        raise PermissionDenied


def require_role(user: User, allowed: set[str]) -> None:
    if user.role not in allowed:
        raise PermissionDenied


def puskesmas_for(user: User) -> QuerySet[Puskesmas]:
    """The puskesmas an account deals with: those located in its scope, those whose service
    area reaches into it, and — where the area is not yet set — those of its kecamatan."""
    qs = Puskesmas.objects.all()
    if user.sees_all_areas:
        return qs
    if not user.scope:  # accounts.User.sees_all_areas: a scoped role without a scope sees none
        return qs.none()
    scope = user.scope
    condition = Q(kecamatan__code__startswith=scope) | Q(service_area__code__startswith=scope)
    if len(scope) > 6:
        condition |= Q(service_area=None, kecamatan_id=scope[:6])
    ids = Puskesmas.objects.filter(condition).values("pk")
    return qs.filter(pk__in=ids)


def get_puskesmas_for(user: User, slug: str, *, write: bool = False) -> Puskesmas:
    if not SLUG.fullmatch(slug):
        raise Http404
    puskesmas = puskesmas_for(user).filter(code=slug).first()
    if puskesmas is None:
        raise Http404
    if write and user.role not in HEALTH_WRITERS:
        raise PermissionDenied
    return puskesmas


def incidents_for(user: User, election: str = "") -> QuerySet[HealthIncident]:
    """The cases in the account's scope of one election (`election`, or the active one)."""
    return of_election(_visible_incidents(user), election)


def _visible_incidents(user: User) -> QuerySet[HealthIncident]:
    # One case is fetched whatever its election (another election's stay readable).
    return HealthIncident.objects.filter(user.scope_filter("tps__code"))


def get_health_incident_for(user: User, incident_id: int | str) -> HealthIncident:
    """The incident, if it exists and lies in the account's scope; 404 otherwise."""
    text = str(incident_id)
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise Http404
    incident = (
        _visible_incidents(user)
        .select_related("tps__kelurahan", "puskesmas", "reported_by", "election")
        .filter(pk=int(text))
        .first()
    )
    if incident is None:
        raise Http404
    return incident
