"""The audit witness: the notify worker sends the audit head (N:HASH) outside the server on a
schedule, by email over real SMTP and by a signed webhook, and the head it sent is a checkpoint
`verify_audit` holds the chain against."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from deskpemilu.audit.models import AuditEntry
from deskpemilu.notify import worker
from deskpemilu.notify.models import AuditWitness, Delivery
from deskpemilu.notify.witness import audit_witness_due

WITNESS = "saksi@bawaslu-mataram.go.id"


def run_worker() -> None:
    call_command("notify_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def witness_by_email(settings, smtp_server):
    settings.DESKPEMILU_AUDIT_WITNESS_EMAIL = [WITNESS]
    settings.DESKPEMILU_AUDIT_WITNESS_WEBHOOK = ""
    settings.DESKPEMILU_AUDIT_WITNESS_INTERVAL = 30
    return smtp_server


@pytest.mark.django_db
def test_the_worker_emails_the_head_to_the_witness(witness_by_email, admin, capsys) -> None:
    run_worker()
    assert len(witness_by_email.messages) == 1
    message = witness_by_email.messages[0]
    assert message["To"] == WITNESS
    sent = AuditWitness.objects.get()
    head = f"{sent.seq}:{sent.hash}"
    assert head in message["Subject"]
    assert f"verify_audit --checkpoint {head}" in message.get_payload(decode=True).decode()
    assert AuditEntry.objects.get(seq=sent.seq).hash == sent.hash
    entry = AuditEntry.objects.get(action="audit.witness")
    assert entry.payload == {"head": head, "emails": [WITNESS], "webhooks": []}
    assert Delivery.objects.get(event="audit.head").delivered_at is not None
    call_command("verify_audit", "--checkpoint", head)  # what the witness holds, holds
    assert capsys.readouterr().out.startswith("OK ")


@pytest.mark.django_db
def test_it_sends_again_only_when_the_interval_has_passed(witness_by_email) -> None:
    run_worker()
    run_worker()
    assert AuditWitness.objects.count() == 1
    assert len(witness_by_email.messages) == 1
    later = timezone.now() + timedelta(minutes=31)
    second = audit_witness_due(now=later)
    assert second is not None
    assert audit_witness_due(now=later + timedelta(minutes=5)) is None
    worker.run_once(now=later)
    assert len(witness_by_email.messages) == 2
    # The second head covers the first sending's own audit entry.
    assert second.seq > AuditWitness.objects.order_by("sent_at").first().seq


@pytest.mark.django_db
def test_the_worker_calls_the_witness_webhook_signed(settings, webhook_server) -> None:
    settings.DESKPEMILU_AUDIT_WITNESS_EMAIL = []
    settings.DESKPEMILU_AUDIT_WITNESS_WEBHOOK = webhook_server.url
    settings.DESKPEMILU_AUDIT_WITNESS_SECRET = "rahasia-saksi"
    settings.DESKPEMILU_AUDIT_WITNESS_INTERVAL = 15
    run_worker()
    assert len(webhook_server.received) == 1
    call = webhook_server.received[0]
    expected = "sha256=" + hmac.new(b"rahasia-saksi", call.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(call.headers["x-deskpemilu-signature"], expected)
    assert call.headers["x-deskpemilu-event"] == "audit.head"
    data = json.loads(call.body)["data"]
    sent = AuditWitness.objects.get()
    assert data == {"seq": sent.seq, "hash": sent.hash, "head": f"{sent.seq}:{sent.hash}"}
    assert sent.webhooks == ["saksi-audit"]


@pytest.mark.django_db
def test_without_a_witness_nothing_is_sent(settings, smtp_server) -> None:
    settings.DESKPEMILU_AUDIT_WITNESS_EMAIL = []
    settings.DESKPEMILU_AUDIT_WITNESS_WEBHOOK = ""
    run_worker()
    assert not AuditWitness.objects.exists()
    assert not Delivery.objects.filter(event="audit.head").exists()
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_the_outbox_page_names_the_witness_address(witness_by_email, client_for, admin) -> None:
    run_worker()
    page = client_for(admin).get("/notifikasi/atur/")
    assert page.status_code == 200
    assert WITNESS in page.content.decode()
