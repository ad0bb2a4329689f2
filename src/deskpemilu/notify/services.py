"""Every write of notify: telling people of an event, marking as read, webhooks and rules.

`notify_event` is called by other apps' services inside the transaction of the change: the
in-app notifications and the outbox rows (emails, webhook calls) commit with the change or not
at all. Sending happens after commit, in `deskpemilu notify_worker` (and at once on commit when
DESKPEMILU_NOTIFY_IMMEDIATE is on).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.accounts.models import Role
from deskpemilu.audit.services import head, record
from deskpemilu.core.heads import head_text
from deskpemilu.notify import targets
from deskpemilu.notify.models import (
    Audience,
    AuditWitness,
    Channel,
    Delivery,
    EventKind,
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


@dataclass(frozen=True)
class Event:
    """What happened, said once for every channel."""

    kind: str
    title: str
    body: str
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


def _email_payload(user: User, event: Event) -> dict[str, Any]:
    lines = [event.title, "", event.body, "", absolute_url(event.url), "", "-- Desk Pemilu"]
    return {
        "to": user.email,
        "subject": f"[Desk Pemilu] {event.title}"[:250],
        "body": "\n".join(lines),
    }


def _webhook_payload(event: Event, now: Any, event_id: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "event": event.kind,
        "created_at": now.isoformat(),
        "title": event.title,
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
    notes = [
        Notification(
            recipient=user,
            kind=event.kind,
            title=event.title[:200],
            body=event.body,
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
            payload=_email_payload(user, event),
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
            payload=_webhook_payload(event, now, event_id),
            created_at=now,
            next_attempt_at=now,
        )
        for hook in _webhooks_for(event)
    ]
    told.in_app = [n.pk for n in Notification.objects.bulk_create(notes)]
    told.deliveries = [d.pk for d in Delivery.objects.bulk_create(deliveries)]
    if told.deliveries and getattr(settings, "DESKPEMILU_NOTIFY_IMMEDIATE", False):
        from deskpemilu.notify.worker import send_soon

        ids = list(told.deliveries)
        transaction.on_commit(lambda: send_soon(ids))
    return told


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


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_("URL webhook harus http:// atau https://."), code="webhook_url")
    if parts.hostname and targets.host_refused(parts.hostname):
        raise ValidationError(
            _(
                "Webhook tidak boleh menuju alamat lokal atau jaringan privat"
                " (DESKPEMILU_WEBHOOK_ALLOW_PRIVATE=1 mengizinkannya)."
            ),
            code="webhook_private",
        )


def webhook_save(
    *,
    actor: User | None,
    name: str,
    url: str,
    secret: str = "",
    events: Sequence[str] = (),
    min_severity: str = "",
    active: bool = True,
) -> tuple[Webhook, str]:
    """Create or update a webhook; returns it and its secret (generated when none is given)."""
    name = name.strip()
    if "\x00" in name + url + secret:
        raise ValidationError(_("Karakter tidak valid."), code="webhook_name")
    if not name or len(name) > 100:
        raise ValidationError(_("Nama webhook wajib (paling panjang 100)."), code="webhook_name")
    _check_url(url)
    unknown = [e for e in events if e not in EventKind.values]
    if unknown:
        raise ValidationError(
            _("Jenis peristiwa tidak dikenal: %s") % ", ".join(unknown), code="webhook_events"
        )
    if min_severity and min_severity not in SEVERITY_ORDER:
        raise ValidationError(_("Tingkat minimum tidak dikenal."), code="webhook_severity")
    secret = secret or secrets.token_urlsafe(32)
    with transaction.atomic():
        hook, created = Webhook.objects.update_or_create(
            name=name,
            defaults={
                "url": url,
                "secret": secret,
                "events": list(events),
                "min_severity": min_severity,
                "is_active": active,
            },
            create_defaults={
                "url": url,
                "secret": secret,
                "events": list(events),
                "min_severity": min_severity,
                "is_active": active,
                "created_at": timezone.now(),
            },
        )
        record(
            actor=actor,
            action="webhook.create" if created else "webhook.update",
            object_type="webhook",
            object_id=hook.pk,
            payload={
                "name": name,
                "url": url,
                "events": list(events),
                "min_severity": min_severity,
                "active": active,
            },
        )
    return hook, secret


def rule_set_active(*, actor: User, rule: NotificationRule, active: bool) -> None:
    with transaction.atomic():
        NotificationRule.objects.filter(pk=rule.pk).update(is_active=active)
        rule.is_active = active
        record(
            actor=actor,
            action="notification_rule.activate" if active else "notification_rule.deactivate",
            object_type="notification_rule",
            object_id=rule.pk,
            payload={"event": rule.event, "audience": rule.audience, "role": rule.role},
        )


def rule_save(
    *,
    actor: User,
    event: str,
    audience: str,
    role: str = "",
    agency_id: int | None = None,
    min_severity: str = "",
    in_app: bool = True,
    email: bool = False,
) -> NotificationRule:
    if role and role not in Role.values:
        raise ValidationError(_("Peran tidak dikenal."), code="rule_role")
    if event not in EventKind.values or audience not in Audience.values:
        raise ValidationError(_("Peristiwa atau sasaran tidak dikenal."), code="rule")
    if min_severity and min_severity not in SEVERITY_ORDER:
        raise ValidationError(_("Tingkat minimum tidak dikenal."), code="rule_severity")
    if not (in_app or email):
        raise ValidationError(_("Pilih paling sedikit satu saluran."), code="rule_channel")
    with transaction.atomic():
        rule = NotificationRule.objects.create(
            event=event,
            audience=audience,
            role=role,
            agency_id=agency_id,
            min_severity=min_severity,
            in_app=in_app,
            email=email,
        )
        record(
            actor=actor,
            action="notification_rule.create",
            object_type="notification_rule",
            object_id=rule.pk,
            payload={
                "event": event,
                "audience": audience,
                "role": role,
                "agency_id": agency_id,
                "min_severity": min_severity,
                "in_app": in_app,
                "email": email,
            },
        )
    return rule


# The webhook made from DESKPEMILU_AUDIT_WITNESS_WEBHOOK (any webhook subscribed to audit.head
# is sent the head too).
WITNESS_WEBHOOK = "saksi-audit"


def _witness_webhook(actor: User | None) -> None:
    """Keep the witness webhook as the settings say (audited when it changes)."""
    url = str(getattr(settings, "DESKPEMILU_AUDIT_WITNESS_WEBHOOK", ""))
    secret = str(getattr(settings, "DESKPEMILU_AUDIT_WITNESS_SECRET", ""))
    hook = Webhook.objects.filter(name=WITNESS_WEBHOOK).first()
    if not url:
        return
    same = (
        hook is not None
        and hook.url == url
        and hook.is_active
        and hook.events == [EventKind.AUDIT_HEAD]
        and (not secret or hook.secret == secret)
    )
    if not same:
        webhook_save(
            actor=actor,
            name=WITNESS_WEBHOOK,
            url=url,
            secret=secret or (hook.secret if hook else ""),
            events=[EventKind.AUDIT_HEAD],
        )


def audit_witness_send(*, actor: User | None, now: datetime | None = None) -> AuditWitness:
    """Put the current audit head (N:HASH) in the outbox for the witness: an email to each
    witness address and a signed call to each webhook subscribed to audit.head. Audited."""
    emails = list(getattr(settings, "DESKPEMILU_AUDIT_WITNESS_EMAIL", []))
    now = now or timezone.now()
    with transaction.atomic():
        _witness_webhook(actor)
        seq, digest = head()
        text = head_text(seq, digest)
        title = f"Kepala rantai audit {text}"
        body = _(
            "Kepala rantai audit Desk Pemilu pada %(at)s: %(head)s\n\n"
            "Simpan pesan ini. Siapa pun dapat memeriksa kemudian bahwa log audit tidak ditulis "
            "ulang: deskpemilu verify_audit --checkpoint %(head)s"
        ) % {"at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S %z"), "head": text}
        deliveries = [
            Delivery(
                channel=Channel.EMAIL,
                event=EventKind.AUDIT_HEAD,
                payload={"to": address, "subject": f"[Desk Pemilu] {title}", "body": body},
                created_at=now,
                next_attempt_at=now,
            )
            for address in emails
        ]
        hooks = [
            hook
            for hook in Webhook.objects.filter(is_active=True)
            if EventKind.AUDIT_HEAD in hook.events
        ]
        event_id = uuid.uuid4().hex
        deliveries += [
            Delivery(
                channel=Channel.WEBHOOK,
                event=EventKind.AUDIT_HEAD,
                webhook=hook,
                payload={
                    "id": event_id,
                    "event": EventKind.AUDIT_HEAD,
                    "created_at": now.isoformat(),
                    "title": title,
                    "url": absolute_url("/audit/"),
                    "object": {"type": "audit", "id": str(seq)},
                    "data": {"seq": seq, "hash": digest, "head": text},
                },
                created_at=now,
                next_attempt_at=now,
            )
            for hook in hooks
        ]
        ids = [d.pk for d in Delivery.objects.bulk_create(deliveries)]
        witness = AuditWitness.objects.create(
            seq=seq, hash=digest, sent_at=now, emails=emails, webhooks=[h.name for h in hooks]
        )
        record(
            actor=actor,
            actor_name="" if actor is not None else "notify_worker",
            action="audit.witness",
            object_type="audit",
            object_id=seq,
            payload={"head": text, "emails": emails, "webhooks": witness.webhooks},
        )
        if ids and getattr(settings, "DESKPEMILU_NOTIFY_IMMEDIATE", False):
            from deskpemilu.notify.worker import send_soon

            transaction.on_commit(lambda: send_soon(ids))
    return witness


def audit_witness_due(now: datetime | None = None) -> AuditWitness | None:
    """Send the head to the witness when the interval has passed since the last sending (the
    notify worker asks every round); None when it is not due or no witness is configured."""
    minutes = int(getattr(settings, "DESKPEMILU_AUDIT_WITNESS_INTERVAL", 0))
    emails = getattr(settings, "DESKPEMILU_AUDIT_WITNESS_EMAIL", [])
    url = getattr(settings, "DESKPEMILU_AUDIT_WITNESS_WEBHOOK", "")
    if minutes <= 0 or not (emails or url):
        return None
    now = now or timezone.now()
    last = AuditWitness.objects.order_by("-sent_at", "-id").first()
    if last is not None and now - last.sent_at < timedelta(minutes=minutes):
        return None
    return audit_witness_send(actor=None, now=now)
