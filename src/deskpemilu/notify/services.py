"""Telling people of an event, and marking what they were told as read. The webhooks and rules
that say who is told are set in `subscriptions`; the audit head's witness is `witness`.

`notify_event` is called by other apps' services inside the transaction of the change: the
in-app notifications and the outbox rows (emails, webhook calls) commit with the change or not
at all. Sending happens after commit, in `deskpemilu notify_worker` (and at once on commit when
DESKPEMILU_NOTIFY_IMMEDIATE is on).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from deskpemilu.audit.services import record
from deskpemilu.notify.models import (
    Audience,
    Channel,
    Delivery,
    Notification,
    NotificationRule,
    Webhook,
)

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

SEVERITY_ORDER = ("rendah", "sedang", "tinggi", "kritis")


def severity_at_least(severity: str, minimum: str) -> bool:
    """True when `severity` reaches `minimum` (a blank minimum lets everything through)."""
    if not minimum:
        return True
    if severity not in SEVERITY_ORDER or minimum not in SEVERITY_ORDER:
        return False
    return SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(minimum)


def _nobody(user: User) -> bool:
    return False


# A notification's title or body: a string, or a function that writes it in the active
# language (its gettext calls run again for each recipient's language).
Text = str | Callable[[], str]


def render(text: Text, language: str) -> str:
    with translation.override(language):
        return text() if callable(text) else str(text)


def language_of(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Event:
    """What happened, said once for every channel, in each recipient's language."""

    kind: str
    title: Text
    body: Text
    url: str  # a path inside the site
    object_type: str
    object_id: str
    payload: dict[str, Any]
    # Whether a candidate recipient may see the object (the access rule of its app).
    can_see: Callable[[User], bool] = _nobody
    severity: str = ""
    agency_ids: tuple[int, ...] = ()  # the agencies concerned (forwarded to, assigned)
    owner_id: int | None = None  # the reporter or requester
    actor: User | None = None


@dataclass
class Told:
    in_app: list[int] = field(default_factory=list)
    deliveries: list[int] = field(default_factory=list)


def _rule_users(rule: NotificationRule, event: Event) -> Iterable[User]:
    from deskpemilu.accounts.models import User

    users = User.objects.filter(is_active=True).select_related("agency")
    if rule.role:
        users = users.filter(role=rule.role)
    if rule.agency_id is not None:
        users = users.filter(agency_id=rule.agency_id)
    if rule.audience == Audience.AGENCY:
        if not event.agency_ids:
            return []
        users = users.filter(agency_id__in=event.agency_ids)
    elif rule.audience == Audience.OWNER:
        if event.owner_id is None:
            return []
        users = users.filter(pk=event.owner_id)
    return users


def recipients(event: Event) -> dict[int, tuple[User, bool, bool]]:
    """user id → (user, in_app, email), merged over every matching rule."""
    chosen: dict[int, tuple[User, bool, bool]] = {}
    rules = NotificationRule.objects.filter(event=event.kind, is_active=True)
    for rule in rules:
        if not severity_at_least(event.severity, rule.min_severity):
            continue
        for user in _rule_users(rule, event):
            if event.actor is not None and user.pk == event.actor.pk:
                continue  # nobody is told of their own step
            if user.pk not in chosen and not event.can_see(user):
                continue
            _old, in_app, email = chosen.get(user.pk, (user, False, False))
            chosen[user.pk] = (user, in_app or rule.in_app, email or rule.email)
    return chosen


def absolute_url(path: str) -> str:
    return str(getattr(settings, "DESKPEMILU_SITE_URL", "")).rstrip("/") + path


@dataclass(frozen=True)
class Said:
    """An event's title and body in one language."""

    title: str
    body: str


def said_in(event: Event, language: str, cache: dict[str, Said]) -> Said:
    """The event in `language`, written once per language however many are told."""
    if language not in cache:
        cache[language] = Said(render(event.title, language), render(event.body, language))
    return cache[language]


def _email_payload(user: User, said: Said, event: Event) -> dict[str, Any]:
    lines = [said.title, "", said.body, "", absolute_url(event.url), "", "-- Desk Pemilu"]
    return {
        "to": user.email,
        "subject": f"[Desk Pemilu] {said.title}"[:250],
        "body": "\n".join(lines),
    }


def webhook_payload(event: Event, now: Any, event_id: str) -> dict[str, Any]:
    """Outside systems read the installation's language."""
    return {
        "id": event_id,
        "event": event.kind,
        "created_at": now.isoformat(),
        "title": render(event.title, settings.LANGUAGE_CODE),
        "url": absolute_url(event.url),
        "object": {"type": event.object_type, "id": event.object_id},
        "data": event.payload,
    }


def _webhooks_for(event: Event) -> list[Webhook]:
    return [
        hook
        for hook in Webhook.objects.filter(is_active=True)
        if (not hook.events or event.kind in hook.events)
        and severity_at_least(event.severity, hook.min_severity)
    ]


def notify_event(event: Event) -> Told:
    """Write the in-app notifications and the outbox of `event`. Inside the change's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify_event must run inside the transaction of the change")
    now = timezone.now()
    told = Told()
    chosen = recipients(event)
    said: dict[str, Said] = {}
    notes = [
        Notification(
            recipient=user,
            kind=event.kind,
            title=said_in(event, language_of(user), said).title[:200],
            body=said_in(event, language_of(user), said).body,
            url=event.url[:300],
            severity=event.severity,
            created_at=now,
        )
        for user, in_app, _email in chosen.values()
        if in_app
    ]
    deliveries = [
        Delivery(
            channel=Channel.EMAIL,
            event=event.kind,
            recipient=user,
            payload=_email_payload(user, said_in(event, language_of(user), said), event),
            created_at=now,
            next_attempt_at=now,
        )
        for user, _in_app, email in chosen.values()
        if email and user.email
    ]
    event_id = uuid.uuid4().hex
    deliveries += [
        Delivery(
            channel=Channel.WEBHOOK,
            event=event.kind,
            webhook=hook,
            payload=webhook_payload(event, now, event_id),
            created_at=now,
            next_attempt_at=now,
        )
        for hook in _webhooks_for(event)
    ]
    told.in_app = [n.pk for n in Notification.objects.bulk_create(notes)]
    told.deliveries = [d.pk for d in Delivery.objects.bulk_create(deliveries)]
    send_after_commit(told.deliveries)
    return told


def send_after_commit(ids: list[int]) -> None:
    """With DESKPEMILU_NOTIFY_IMMEDIATE on, send these outbox rows once the change commits (the
    worker sends them otherwise)."""
    if ids and getattr(settings, "DESKPEMILU_NOTIFY_IMMEDIATE", False):
        from deskpemilu.notify.worker import send_soon

        chosen = list(ids)
        transaction.on_commit(lambda: send_soon(chosen))


def notifications_mark_read(*, actor: User, ids: Sequence[int] | None = None) -> int:
    """Mark the actor's notifications read: those of `ids`, or all when `ids` is None."""
    with transaction.atomic():
        qs = Notification.objects.filter(recipient=actor, read_at=None)
        if ids is not None:
            # Ids beyond a database integer are nobody's notification (and would raise).
            qs = qs.filter(pk__in=[i for i in ids if 0 < i < 2**63])
        count = qs.update(read_at=timezone.now())
        record(
            actor=actor,
            action="notification.read",
            object_type="user",
            object_id=actor.pk,
            payload={"count": count, "all": ids is None},
        )
    return count


def test_email_queue(*, actor: User, recipient: User) -> Delivery:
    """A test message to `recipient`'s address, through the outbox like any notification, so
    the desk sees the whole path work (or its error) on the outbox table. Audited."""
    from django.utils.translation import gettext, override

    if not recipient.email:
        raise ValueError("recipient has no email")
    now = timezone.now()
    with override(language_of(recipient)):
        subject = gettext("[Desk Pemilu] Pesan uji")
        body = gettext(
            "Ini pesan uji dari Desk Pemilu, dikirim oleh %(actor)s. Bila Anda menerimanya, "
            "notifikasi email ke alamat ini berfungsi."
        ) % {"actor": actor.username}
    with transaction.atomic():
        delivery = Delivery.objects.create(
            channel=Channel.EMAIL,
            event="email.test",
            recipient=recipient,
            payload={
                "to": recipient.email,
                "subject": subject,
                "body": "\n".join([body, "", absolute_url("/"), "", "-- Desk Pemilu"]),
            },
            created_at=now,
            next_attempt_at=now,
        )
        record(
            actor=actor,
            action="notify.test_email",
            object_type="delivery",
            object_id=delivery.pk,
            payload={"recipient": recipient.username, "to": recipient.email},
        )
    send_after_commit([delivery.pk])
    return delivery
