"""Reads of notify: always the reader's own notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from deskpemilu.accounts.models import User
from deskpemilu.notify.models import Notification


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at=None) if unread_only else qs


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notification_dict(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "severity": n.severity,
        "created_at": n.created_at.isoformat(),
        "read_at": n.read_at.isoformat() if n.read_at else None,
    }
