"""/api/v1/notifications: the caller's own in-app notifications."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja import Field, Router, Schema

from deskpemilu.accounts.models import User
from deskpemilu.core.rules import api_rule
from deskpemilu.notify import selectors, services

router = Router(tags=["notify"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    severity: str
    created_at: str
    read_at: str | None


class NotificationList(Schema):
    unread: int
    items: list[NotificationOut]


class ReadIn(Schema):
    ids: list[int] | None = Field(None, max_length=500, description="omit to mark all read")


class ReadOut(Schema):
    marked: int


@router.get(
    "/notifications",
    response=NotificationList,
    summary="The caller's notifications, newest first (at most 100)",
)
@api_rule("self")
def notification_list(request: HttpRequest, unread: bool = False) -> dict[str, Any]:
    user = cast(User, request.user)
    items = selectors.notifications_for(user, unread_only=unread)[:100]
    return {
        "unread": selectors.unread_count(user),
        "items": [selectors.notification_dict(n) for n in items],
    }


@router.post(
    "/notifications/read",
    response=ReadOut,
    summary="Mark the caller's notifications read (the given ids, or all)",
)
@api_rule("self")
def notification_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    user = cast(User, request.user)
    return {"marked": services.notifications_mark_read(actor=user, ids=payload.ids)}
