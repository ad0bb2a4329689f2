"""Who may do what to one incident or request: the one rule the services enforce (to refuse) and
the pages ask (to show only the buttons the service would accept).

Seeing an object is access.py's question; this is about acting on one already seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskpemilu.accounts.models import Role, User
from deskpemilu.incidents.access import REPORTING_ROLES, REQUESTING_ROLES
from deskpemilu.incidents.models import (
    REQUEST_CLOSED,
    FacilitationRequest,
    Forward,
    Incident,
    RequestStatus,
    Status,
)

# The status a liaison may set on an incident forwarded to their agency...
LIAISON_STATUSES = {Status.DITANGANI}
# ...while it is with them; not one that is closed or not yet routed.
LIAISON_FROM = {Status.DITERUSKAN, Status.DITANGANI}
# The statuses the liaison of the assigned agency may set on an open request.
LIAISON_REQUEST_STATUSES = {RequestStatus.DIPROSES, RequestStatus.DIPENUHI}


def may_report(actor: User) -> bool:
    """May report an incident (inside their scope)."""
    return actor.role in REPORTING_ROLES


def may_request(actor: User) -> bool:
    """May submit a facilitation request (a liaison only for their own agency)."""
    return actor.role in REQUESTING_ROLES


@dataclass(frozen=True)
class Allowed:
    """What one actor may do to one incident or request, now.

    note: add a note (and photos); desk: everything (forward, merge, assign, every status);
    handle: set the liaison's status now; answers: the actor is a liaison the object is with
    (so may set `statuses`, when `open`)."""

    note: bool
    desk: bool
    answers: bool
    open: bool
    statuses: frozenset[str]

    @property
    def handle(self) -> bool:
        return self.desk or (self.answers and self.open)

    def may_set(self, status: str) -> bool:
        """May set `status` at all (whether it applies now is `open`)."""
        return self.desk or (self.answers and status in self.statuses)


def allowed_actions(actor: User, incident: Incident, forwarded: set[int] | None = None) -> Allowed:
    """The contract's rule: the desk (admin) may do anything; a liaison of an agency it was
    forwarded to may add notes and set `ditangani`; the reporter may add notes.

    `forwarded`: the agency ids it was forwarded to, when the caller has them (read under the
    row lock by the services)."""
    if forwarded is None:
        forwarded = set(
            Forward.objects.filter(incident=incident).values_list("agency_id", flat=True)
        )
    desk = actor.role == Role.ADMIN
    liaison = actor.role == Role.LIAISON and actor.agency_id in forwarded
    reporter = incident.reporter_id == actor.pk
    return Allowed(
        note=desk or liaison or reporter,
        desk=desk,
        answers=liaison,
        open=incident.status in LIAISON_FROM,
        statuses=frozenset(LIAISON_STATUSES),
    )


def allowed_request_actions(actor: User, request: FacilitationRequest) -> Allowed:
    """The desk may do anything; the liaison of the assigned agency may add notes and set
    `diproses`/`dipenuhi` while it is open; the requesting agency's liaison and the requester
    may add notes."""
    desk = actor.role == Role.ADMIN
    agency = actor.agency_id if actor.role == Role.LIAISON else None
    assigned = agency is not None and agency == request.assigned_agency_id
    requesting = agency is not None and agency == request.requested_by_agency_id
    requester = request.requester_id == actor.pk
    return Allowed(
        note=desk or assigned or requesting or requester,
        desk=desk,
        answers=assigned,
        open=request.status not in REQUEST_CLOSED,
        statuses=frozenset(LIAISON_REQUEST_STATUSES),
    )
