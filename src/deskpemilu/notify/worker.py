"""Sending the outbox: emails through SMTP and signed webhook calls, retried with back-off.

A run claims the due rows (leasing them, so a second worker or a crash does not send twice
within the lease), sends each outside any transaction, and writes the outcome back. A failure
is tried again after base·2^(attempt−1) seconds (capped), until the last attempt gives up.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from deskpemilu.notify import targets
from deskpemilu.notify.models import Channel, Delivery

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
SIGNATURE_HEADER = "X-DeskPemilu-Signature"


class DeliveryError(Exception):
    pass


@dataclass
class RunSummary:
    sent: int = 0
    retried: int = 0
    gave_up: int = 0


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def backoff(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, …)."""
    base = float(_setting("DESKPEMILU_NOTIFY_RETRY_BASE_SECONDS", 30))
    cap = float(_setting("DESKPEMILU_NOTIFY_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), cap))


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes of a webhook call: the signature covers these."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(delivery: Delivery) -> None:
    hook = delivery.webhook
    if hook is None or not hook.is_active:
        raise DeliveryError("webhook dinonaktifkan")
    if not hook.url.startswith(("http://", "https://")):
        raise DeliveryError("URL bukan http(s)")
    body = body_bytes(delivery.payload)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "DeskPemilu-Webhook/1",
            "X-DeskPemilu-Event": delivery.event,
            "X-DeskPemilu-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature(hook.secret, body),
        },
    )
    timeout = float(_setting("DESKPEMILU_WEBHOOK_TIMEOUT", 10))
    try:
        with targets.opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, targets.TargetRefused):
            raise DeliveryError("alamat tujuan tidak diizinkan (private address)") from exc
        # Never the socket's own words: they would tell the desk which ports are open where.
        raise DeliveryError("connection failed") from exc
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise DeliveryError("connection failed") from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")


def send_email(delivery: Delivery) -> None:
    data = delivery.payload
    backend = _setting("DESKPEMILU_NOTIFY_EMAIL_BACKEND", settings.EMAIL_BACKEND)
    try:
        with get_connection(backend, fail_silently=False) as conn:
            message = EmailMessage(
                subject=str(data.get("subject", "")),
                body=str(data.get("body", "")),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[str(data.get("to", ""))],
                connection=conn,
                headers={"X-DeskPemilu-Event": delivery.event},
            )
            message.send()
    except Exception as exc:  # SMTP, socket and DNS errors alike: try again later
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc


SENDERS = {Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook}


def claim(now: datetime, limit: int = 100, ids: Iterable[int] | None = None) -> list[Delivery]:
    """Take the due rows and lease them: attempts+1, next try after the lease."""
    with transaction.atomic():
        qs = Delivery.objects.filter(
            delivered_at=None, failed_at=None, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "id")
        if ids is not None:
            qs = qs.filter(pk__in=list(ids))
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        rows = list(qs.select_related("webhook")[:limit])
        Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(
            attempts=F("attempts") + 1, next_attempt_at=now + LEASE
        )
    for row in rows:
        row.attempts += 1
    return rows


def _outcome(delivery: Delivery, error: str | None, summary: RunSummary) -> None:
    now = timezone.now()
    if error is None:
        Delivery.objects.filter(pk=delivery.pk).update(delivered_at=now, last_error="")
        summary.sent += 1
        return
    max_attempts = int(_setting("DESKPEMILU_NOTIFY_MAX_ATTEMPTS", 8))
    if delivery.attempts >= max_attempts:
        Delivery.objects.filter(pk=delivery.pk).update(failed_at=now, last_error=error[:500])
        summary.gave_up += 1
        log.warning("delivery %s gave up after %s attempts: %s", delivery.pk, max_attempts, error)
        return
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=now + backoff(delivery.attempts), last_error=error[:500]
    )
    summary.retried += 1


def run_once(
    now: datetime | None = None, *, limit: int = 100, ids: Iterable[int] | None = None
) -> RunSummary:
    summary = RunSummary()
    for delivery in claim(now or timezone.now(), limit, ids):
        try:
            SENDERS[Channel(delivery.channel)](delivery)
            error = None
        except DeliveryError as exc:
            error = str(exc) or "error"
        _outcome(delivery, error, summary)
    return summary


def send_soon(ids: list[int]) -> None:
    """Try these deliveries now, in a background thread (after the commit that made them)."""

    def work() -> None:
        try:
            run_once(ids=ids)
        except Exception:  # the worker command will retry whatever this did not send
            log.exception("immediate delivery failed")
        finally:
            close_old_connections()
            connection.close()

    threading.Thread(target=work, name="notify-send", daemon=True).start()
