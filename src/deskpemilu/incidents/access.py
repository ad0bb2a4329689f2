"""The only door to incidents and requests (like accounts.access for regions and TPS).

Who sees what:
- the desk (admin), viewers and unscoped desk staff (verifier): everything;
- a liaison: the incidents forwarded to their agency (and the ones they reported themselves),
  the requests their agency made or was assigned;
- everyone else (lurah, camat, operator, health): what lies inside their scope.
Missing and not visible answer the same 404.

The lists show one election at a time: `election` is its code, "" the active one. One incident
or request is fetched whatever its election (another election's stay readable).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from deskpemilu.accounts.models import Role, User
from deskpemilu.elections.entry import of_election
from deskpemilu.incidents.models import FacilitationRequest, Forward, Incident

# Who may report an incident (inside their scope).
REPORTING_ROLES = {Role.ADMIN, Role.OPERATOR, Role.LURAH, Role.CAMAT, Role.LIAISON, Role.HEALTH}
# Who may submit a facilitation request (liaisons only for their own agency).
REQUESTING_ROLES = {Role.ADMIN, Role.LIAISON, Role.LURAH, Role.CAMAT, Role.OPERATOR}
# The roles that only read.
READ_ONLY_ROLES = {Role.VIEWER, Role.VERIFIER}


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _sees_all(user: User) -> bool:
    # A liaison is narrowed by its agency whatever its scope; the area rule is the account's.
    return user.sees_all_areas and (user.sees_everything or user.role != Role.LIAISON)


def incidents_for(user: User, election: str = "") -> QuerySet[Incident]:
    """The incidents `user` sees in one election (`election`, or the active one)."""
    return of_election(_visible_incidents(user), election)


def _visible_incidents(user: User) -> QuerySet[Incident]:
    qs = Incident.objects.all()
    if not _active(user):
        return qs.none()
    if _sees_all(user):
        return qs
    if user.role == Role.LIAISON:
        visible = Q(reporter=user)
        if user.agency_id is not None:
            forwarded = Forward.objects.filter(incident=OuterRef("pk"), agency_id=user.agency_id)
            visible |= Q(Exists(forwarded))
        qs = qs.filter(visible)
    return qs.filter(user.scope_filter("region__code"))


def _pk(value: int | str) -> int:
    text = str(value)
    # ASCII only: str.isdigit() also accepts "²" or "³", which int() refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise Http404
    return int(text)


def get_incident_for(user: User, pk: int | str, *, write: bool = False) -> Incident:
    """The incident if `user` may see it, else 404; with write=True, 403 for read-only roles."""
    incident = (
        _visible_incidents(user)
        .select_related("region", "tps", "reporter", "duplicate_of", "election")
        .filter(pk=_pk(pk))
        .first()
    )
    if incident is None:
        raise Http404
    if write and user.role in READ_ONLY_ROLES:
        raise PermissionDenied
    return incident


def can_see_incident(user: User, incident: Incident, agency_ids: set[int]) -> bool:
    """The same rule as incidents_for, for one loaded incident (used to pick who is told)."""
    if not _active(user):
        return False
    if _sees_all(user):
        return True
    in_scope = user.in_scope(incident.region_id)
    if user.role == Role.LIAISON:
        mine = incident.reporter_id == user.pk or user.agency_id in agency_ids
        return mine and in_scope
    return in_scope


def requests_for(user: User, election: str = "") -> QuerySet[FacilitationRequest]:
    """The requests `user` sees in one election (`election`, or the active one)."""
    return of_election(_visible_requests(user), election)


def _visible_requests(user: User) -> QuerySet[FacilitationRequest]:
    qs = FacilitationRequest.objects.all()
    if not _active(user):
        return qs.none()
    if _sees_all(user):
        return qs
    if user.role == Role.LIAISON:
        if user.agency_id is None:
            return qs.filter(requester=user)
        return qs.filter(
            Q(requested_by_agency_id=user.agency_id)
            | Q(assigned_agency_id=user.agency_id)
            | Q(requester=user)
        )
    return qs.filter(user.scope_filter("region__code"))


def get_request_for(user: User, pk: int | str, *, write: bool = False) -> FacilitationRequest:
    request = (
        _visible_requests(user)
        .select_related("region", "requested_by_agency", "assigned_agency", "requester", "election")
        .filter(pk=_pk(pk))
        .first()
    )
    if request is None:
        raise Http404
    if write and user.role in READ_ONLY_ROLES:
        raise PermissionDenied
    return request


def can_see_request(user: User, request: FacilitationRequest) -> bool:
    if not _active(user):
        return False
    if _sees_all(user):
        return True
    if user.role == Role.LIAISON:
        return request.requester_id == user.pk or (
            user.agency_id is not None
            and user.agency_id in (request.requested_by_agency_id, request.assigned_agency_id)
        )
    return user.in_scope(request.region_id)
