"""Who is told and where: the webhooks (their targets checked) and the notification rules.
Every write audited."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deskpemilu.accounts.models import Role
from deskpemilu.audit.services import record
from deskpemilu.notify import targets
from deskpemilu.notify.models import Audience, EventKind, NotificationRule, Webhook
from deskpemilu.notify.services import SEVERITY_ORDER

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


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
