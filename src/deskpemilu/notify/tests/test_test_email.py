"""The desk's "Kirim pesan uji": a test email to an account through the outbox, received by a
real local SMTP server, and the outbox's state on the settings page (queued, sent, failed)."""

import pytest
from django.core.management import call_command

from deskpemilu.accounts.models import User
from deskpemilu.accounts.tests.helpers import last_entry
from deskpemilu.notify.models import Delivery

pytestmark = pytest.mark.django_db
URL = "/notifikasi/atur/uji-email/"


def run_worker():
    call_command("notify_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_desk_sends_a_test_email_and_sees_it_sent(
    client_for, admin, lurah, smtp_server, settings
):
    settings.DESKPEMILU_SITE_URL = "https://desk-pemilu.mataramkota.go.id"
    User.objects.filter(pk=lurah.pk).update(email="lurah.pejeruk@example.org")
    desk = client_for(admin)
    page = desk.get("/notifikasi/atur/").content.decode()
    assert 'id="test-email"' in page and "lurah.pejeruk@example.org" in page
    response = desk.post(URL, {"akun": lurah.username}, follow=True)
    assert "masuk antrean kirim" in response.content.decode()
    delivery = Delivery.objects.get(event="email.test")
    assert delivery.state == "menunggu"
    assert last_entry("notify.test_email").payload["to"] == "lurah.pejeruk@example.org"
    run_worker()
    assert [m["To"] for m in smtp_server.messages] == ["lurah.pejeruk@example.org"]
    assert "Pesan uji" in smtp_server.messages[0]["Subject"]
    body = smtp_server.messages[0].get_payload(decode=True).decode()
    assert "https://desk-pemilu.mataramkota.go.id/" in body  # links from DESKPEMILU_SITE_URL
    outbox = desk.get("/notifikasi/atur/").content.decode().split("Antrean kirim")[1]
    assert "email.test" in outbox and "terkirim" in outbox


def test_it_refuses_an_account_without_email_and_other_roles(client_for, admin, lurah):
    assert client_for(admin).post(URL, {"akun": lurah.username}).status_code == 302
    assert not Delivery.objects.exists()
    assert client_for(lurah).post(URL, {"akun": lurah.username}).status_code == 403
