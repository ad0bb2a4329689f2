"""Webhooks call public addresses only (unless the installation allows private ones), checked
when the webhook is saved and again, after resolving the name, when it is sent; the outbox shows
the HTTP status or "connection failed", never the socket's own error text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from deskpemilu.incidents.tests.helpers import report
from deskpemilu.notify import worker
from deskpemilu.notify.models import Delivery, Webhook
from deskpemilu.notify.subscriptions import webhook_save
from deskpemilu.notify.targets import is_public
from deskpemilu.notify.tests.servers import free_port


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.5/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
    ],
)
@pytest.mark.django_db
def test_it_refuses_a_local_or_private_webhook_at_save(url, settings):
    settings.DESKPEMILU_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as caught:
        webhook_save(actor=None, name="dalam", url=url)
    assert caught.value.error_list[0].code == "webhook_private"
    assert not Webhook.objects.exists()


@pytest.mark.django_db
def test_the_settings_page_shows_the_refusal(client_for, admin, settings):
    settings.DESKPEMILU_WEBHOOK_ALLOW_PRIVATE = False
    data = {"webhook_name": "x", "webhook_url": "http://127.0.0.1:5432/"}
    response = client_for(admin).post("/notifikasi/atur/", data, follow=True)
    assert "jaringan privat" in response.content.decode()
    assert not Webhook.objects.exists()


@pytest.mark.django_db
def test_a_lan_installation_may_allow_private_targets(settings):
    settings.DESKPEMILU_WEBHOOK_ALLOW_PRIVATE = True
    hook, _secret = webhook_save(actor=None, name="lan", url="http://192.168.0.10/hook")
    assert hook.pk


@pytest.mark.django_db
def test_it_refuses_a_private_target_at_send_and_says_nothing_of_ports(api_for, lurah, settings):
    # Saved while allowed (or before the rule), sent after: the send checks the address again.
    settings.DESKPEMILU_WEBHOOK_ALLOW_PRIVATE = True
    webhook_save(actor=None, name="dalam", url=f"http://127.0.0.1:{free_port()}/hook")
    settings.DESKPEMILU_WEBHOOK_ALLOW_PRIVATE = False
    report(api_for(lurah))
    assert worker.run_once().retried == 1
    error = Delivery.objects.get().last_error
    assert "private" in error
    assert "Connection" not in error and "Errno" not in error


@pytest.mark.django_db
def test_a_closed_port_is_only_a_failed_connection(api_for, lurah, settings):
    settings.DESKPEMILU_WEBHOOK_ALLOW_PRIVATE = True
    webhook_save(actor=None, name="tutup", url=f"http://127.0.0.1:{free_port()}/hook")
    report(api_for(lurah))
    assert worker.run_once().retried == 1
    assert Delivery.objects.get().last_error == "connection failed"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("100.64.0.1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:10.0.0.1", False),
        ("224.0.0.1", False),
    ],
)
def test_it_knows_a_public_address(address, public):
    assert is_public(address) is public
