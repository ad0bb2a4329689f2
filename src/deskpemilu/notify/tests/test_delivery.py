"""Notifications that really arrive: email over SMTP to a real local server, webhooks signed
with HMAC to a real local HTTP server, both sent after commit by the worker, with retries."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from deskpemilu.accounts.models import User
from deskpemilu.incidents.tests.helpers import report, step
from deskpemilu.notify import worker
from deskpemilu.notify.models import Delivery, Notification
from deskpemilu.notify.subscriptions import webhook_save


def with_email(user, address):
    User.objects.filter(pk=user.pk).update(email=address)
    user.email = address
    return user


def run_worker():
    call_command("notify_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.django_db
def test_it_emails_the_desk_through_smtp(api_for, lurah, admin, smtp_server):
    with_email(admin, "desk@mataramkota.go.id")
    number = report(api_for(lurah))["number"]
    delivery = Delivery.objects.get(channel="email")
    assert delivery.delivered_at is None  # written with the report, sent after commit
    run_worker()
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "desk@mataramkota.go.id"
    assert number in message["Subject"]
    assert "Kerumunan massa" in message.get_payload(decode=True).decode()
    assert smtp_server.envelopes[0].rcpt_tos == ["desk@mataramkota.go.id"]
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 1


@pytest.mark.django_db
def test_it_signs_webhooks_with_hmac(api_for, lurah, webhook_server):
    _hook, secret = webhook_save(actor=None, name="posko-provinsi", url=webhook_server.url)
    incident = report(api_for(lurah))
    run_worker()
    assert len(webhook_server.received) == 1
    call = webhook_server.received[0]
    expected = "sha256=" + hmac.new(secret.encode(), call.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(call.headers["x-deskpemilu-signature"], expected)
    assert call.headers["x-deskpemilu-event"] == "incident.reported"
    data = json.loads(call.body)
    assert data["event"] == "incident.reported"
    assert data["data"]["number"] == incident["number"]
    assert data["data"]["status"] == "baru"
    assert data["url"].endswith(f"/kejadian/{incident['id']}/")


@pytest.mark.django_db
def test_a_webhook_only_gets_the_events_it_asked_for(api_for, lurah, admin, webhook_server):
    webhook_save(actor=None, name="polda", url=webhook_server.url, events=["incident.forwarded"])
    incident = report(api_for(lurah))["id"]
    step(api_for(admin), incident, forward_to=["polri"])
    run_worker()
    assert [json.loads(r.body)["event"] for r in webhook_server.received] == ["incident.forwarded"]


@pytest.mark.django_db
def test_it_retries_with_back_off(api_for, lurah, webhook_server, settings):
    settings.DESKPEMILU_NOTIFY_RETRY_BASE_SECONDS = 60
    webhook_server.answers = [500]
    webhook_save(actor=None, name="posko", url=webhook_server.url)
    report(api_for(lurah))
    before = timezone.now()
    run_worker()
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.delivered_at is None and delivery.attempts == 1
    assert delivery.last_error == "HTTP 500"
    wait = delivery.next_attempt_at - before
    assert timedelta(seconds=55) < wait < timedelta(seconds=70)
    run_worker()  # not due yet: nothing is sent
    assert len(webhook_server.received) == 1
    summary = worker.run_once(now=timezone.now() + timedelta(seconds=61))
    assert summary.sent == 1
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 2
    assert len(webhook_server.received) == 2
    # The same body, so the same signature, on every attempt.
    assert webhook_server.received[0].body == webhook_server.received[1].body


@pytest.mark.django_db
def test_the_back_off_doubles_and_is_capped(settings):
    settings.DESKPEMILU_NOTIFY_RETRY_BASE_SECONDS = 30
    settings.DESKPEMILU_NOTIFY_RETRY_MAX_SECONDS = 600
    assert [worker.backoff(n).total_seconds() for n in range(1, 7)] == [
        30,
        60,
        120,
        240,
        480,
        600,
    ]


@pytest.mark.django_db
def test_it_gives_up_after_the_last_attempt(api_for, lurah, webhook_server, settings):
    settings.DESKPEMILU_NOTIFY_MAX_ATTEMPTS = 2
    settings.DESKPEMILU_NOTIFY_RETRY_BASE_SECONDS = 0
    webhook_server.answers = [503, 503, 503]
    webhook_save(actor=None, name="posko", url=webhook_server.url)
    report(api_for(lurah))
    later = timezone.now() + timedelta(minutes=5)  # past the lease of each claim
    worker.run_once()
    summary = worker.run_once(now=later)
    assert summary.gave_up == 1
    delivery = Delivery.objects.get()
    assert delivery.failed_at is not None and delivery.attempts == 2
    assert worker.run_once(now=later + timedelta(minutes=5)).sent == 0


@pytest.mark.django_db
def test_an_unreachable_smtp_server_is_retried(api_for, lurah, admin, settings):
    from deskpemilu.notify.tests.servers import free_port

    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.DESKPEMILU_NOTIFY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with_email(admin, "desk@mataramkota.go.id")
    report(api_for(lurah))
    summary = worker.run_once()
    assert (summary.sent, summary.retried) == (0, 1)
    delivery = Delivery.objects.get()
    assert "ConnectionRefusedError" in delivery.last_error


@pytest.mark.django_db
def test_nothing_is_announced_for_a_refused_step(api_for, lurah, admin, make_user):
    incident = report(api_for(lurah))["id"]
    other = make_user("admin_desk_2", "admin")
    step(api_for(admin), incident, status="selesai")
    notes, deliveries = Notification.objects.count(), Delivery.objects.count()
    assert (
        step(api_for(other), incident, status="ditolak", expected_status="baru").status_code == 409
    )
    assert (Notification.objects.count(), Delivery.objects.count()) == (notes, deliveries)
