"""The audit witness: the current audit head (N:HASH) sent outside the server, by email to the
witness addresses and by a signed call to each webhook subscribed to audit.head, on the notify
worker's schedule. Every sending audited."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.audit.services import head, record
from deskpemilu.core.heads import head_text
from deskpemilu.notify.models import AuditWitness, Channel, Delivery, EventKind, Webhook
from deskpemilu.notify.services import Event, render, send_after_commit, webhook_payload
from deskpemilu.notify.subscriptions import webhook_save

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


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


def _message(seq: int, digest: str, now: datetime) -> Event:
    """The head as an event: its title and text for the email, its object for the webhooks."""
    text = head_text(seq, digest)
    body = _(
        "Kepala rantai audit Desk Pemilu pada %(at)s: %(head)s\n\n"
        "Simpan pesan ini. Siapa pun dapat memeriksa kemudian bahwa log audit tidak ditulis "
        "ulang: deskpemilu verify_audit --checkpoint %(head)s"
    ) % {"at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S %z"), "head": text}
    return Event(
        kind=EventKind.AUDIT_HEAD,
        title=f"Kepala rantai audit {text}",
        body=body,
        url="/audit/",
        object_type="audit",
        object_id=str(seq),
        payload={"seq": seq, "hash": digest, "head": text},
    )


def _deliveries(
    message: Event, emails: list[str], hooks: list[Webhook], now: datetime
) -> list[Delivery]:
    """An email to each witness address, a call to each webhook (one event id for all)."""
    # The witness is an address, not an account: the installation's language.
    language = settings.LANGUAGE_CODE
    title, body = render(message.title, language), render(message.body, language)
    email = {"subject": f"[Desk Pemilu] {title}", "body": body}
    event_id = uuid.uuid4().hex
    return [
        *[
            Delivery(
                channel=Channel.EMAIL,
                event=message.kind,
                payload={"to": address, **email},
                created_at=now,
                next_attempt_at=now,
            )
            for address in emails
        ],
        *[
            Delivery(
                channel=Channel.WEBHOOK,
                event=message.kind,
                webhook=hook,
                payload=webhook_payload(message, now, event_id),
                created_at=now,
                next_attempt_at=now,
            )
            for hook in hooks
        ],
    ]


def audit_witness_send(*, actor: User | None, now: datetime | None = None) -> AuditWitness:
    """Put the current audit head (N:HASH) in the outbox for the witness: an email to each
    witness address and a signed call to each webhook subscribed to audit.head. Audited."""
    emails = list(getattr(settings, "DESKPEMILU_AUDIT_WITNESS_EMAIL", []))
    now = now or timezone.now()
    with transaction.atomic():
        _witness_webhook(actor)
        seq, digest = head()
        hooks = [
            hook
            for hook in Webhook.objects.filter(is_active=True)
            if EventKind.AUDIT_HEAD in hook.events
        ]
        deliveries = _deliveries(_message(seq, digest, now), emails, hooks, now)
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
            payload={
                "head": head_text(seq, digest),
                "emails": emails,
                "webhooks": witness.webhooks,
            },
        )
        send_after_commit(ids)
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
