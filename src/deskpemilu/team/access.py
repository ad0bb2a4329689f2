"""Who may see and do what in the desk's own work.

The desk (admin) manages the team, the roster and the meetings; the desk's staff and the leaders
(verifier, viewer) read everything. Any other account that belongs to an agency sees the action
items assigned to that agency while they are open, and may answer them. Protected rows are
fetched only through the `get_*_for` helpers, which answer 404 for "missing" and "not yours".
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from deskpemilu.accounts.models import Role, User
from deskpemilu.team.models import ActionItem, ActionStatus, Meeting

MANAGERS = {Role.ADMIN}
DESK_READERS = {Role.ADMIN, Role.VERIFIER, Role.VIEWER}


def manages_team(user: User) -> bool:
    return user.is_authenticated and user.role in MANAGERS


def reads_meetings(user: User) -> bool:
    return user.is_authenticated and user.role in DESK_READERS


def actions_for(user: User) -> QuerySet[ActionItem]:
    """The action items `user` may see: all for the desk; their agency's open ones otherwise."""
    qs = ActionItem.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.role in DESK_READERS:
        return qs
    if user.agency_id is None:
        return qs.none()
    return qs.filter(agency_id=user.agency_id, status=ActionStatus.OPEN)


def answers_action(user: User, action: ActionItem) -> bool:
    """May `user` add follow-up notes to `action` (and mark it done)?"""
    if user.role in MANAGERS:
        return True
    if user.role in DESK_READERS:
        return False  # the leaders and verifiers read; they do not act for an agency
    return (
        user.agency_id is not None
        and user.agency_id == action.agency_id
        and action.status == ActionStatus.OPEN
    )


def get_meeting_for(user: User, pk: int) -> Meeting:
    if not reads_meetings(user):
        raise Http404
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def get_action_for(user: User, pk: int) -> ActionItem:
    action = (
        actions_for(user)
        .select_related("meeting", "agency", "assignee", "done_by", "created_by")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    return action
