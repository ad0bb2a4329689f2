"""/notifikasi/: the list, marking read, the badge's count, and the desk's settings page."""

import pytest

from deskpemilu.incidents.tests.helpers import report
from deskpemilu.notify.models import Notification, NotificationRule, Webhook


@pytest.mark.django_db
def test_the_list_and_marking_read(client_for, api_for, lurah, admin):
    report(api_for(lurah))
    report(api_for(lurah), severity="kritis")
    client = client_for(admin)
    page = client.get("/notifikasi/")
    assert page.status_code == 200
    assert page.content.decode().count('class="card unread"') == 2
    assert client.get("/notifikasi/jumlah.json").json() == {"unread": 2}
    first = Notification.objects.filter(recipient=admin).first()
    client.post("/notifikasi/baca/", {"id": first.pk})
    assert client.get("/notifikasi/jumlah.json").json() == {"unread": 1}
    # "²".isdigit() is true but it is no id: not a 500, and not "mark everything" either.
    assert client.post("/notifikasi/baca/", {"id": "²"}).status_code == 302
    assert client.get("/notifikasi/jumlah.json").json() == {"unread": 1}
    client.post("/notifikasi/baca/")
    assert client.get("/notifikasi/jumlah.json").json() == {"unread": 0}


@pytest.mark.django_db
def test_the_badge_costs_a_page_no_query(client_for, admin):
    """The header badge is filled by notify/badge.js, so other apps' pages keep their counts."""
    html = client_for(admin).get("/").content.decode()
    assert 'id="notif-badge"' in html and "notify/badge.js" in html


@pytest.mark.django_db
def test_the_settings_page_is_the_desks(client_for, admin, lurah):
    assert client_for(lurah).get("/notifikasi/atur/").status_code == 403
    client = client_for(admin)
    assert client.get("/notifikasi/atur/").status_code == 200
    rule = NotificationRule.objects.filter(event="incident.reported", role="admin").get()
    client.post("/notifikasi/atur/", {"rule": rule.pk, "active": "0"})
    rule.refresh_from_db()
    assert not rule.is_active
    client.post(
        "/notifikasi/atur/",
        {
            "webhook_name": "posko-provinsi",
            "webhook_url": "https://posko.example.go.id/hook",
            "webhook_events": ["incident.forwarded"],
        },
    )
    hook = Webhook.objects.get()
    assert hook.events == ["incident.forwarded"] and len(hook.secret) >= 32
    client.post("/notifikasi/atur/", {"webhook_name": "x", "webhook_url": "ftp://nope"})
    assert Webhook.objects.count() == 1


@pytest.mark.django_db
def test_the_desk_adds_a_rule(client_for, api_for, admin, lurah, make_user):
    bpbd = make_user("bpbd_liaison", "liaison", "", "bpbd")
    client_for(admin).post(
        "/notifikasi/atur/",
        {
            "rule_event": "incident.reported",
            "rule_audience": "role",
            "rule_role": "liaison",
            "rule_agency": "bpbd",
            "rule_min_severity": "kritis",
            "rule_in_app": "1",
        },
    )
    rule = NotificationRule.objects.get(agency__slug="bpbd")
    assert (rule.role, rule.min_severity, rule.in_app, rule.email) == (
        "liaison",
        "kritis",
        True,
        False,
    )
    report(api_for(lurah), severity="tinggi")
    assert not Notification.objects.filter(recipient=bpbd).exists()
    report(api_for(lurah), severity="kritis")
    # Told only of what BPBD may see: a report not forwarded to BPBD stays hidden from it.
    assert not Notification.objects.filter(recipient=bpbd).exists()
