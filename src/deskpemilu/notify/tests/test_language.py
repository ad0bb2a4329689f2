"""Notifications in each recipient's language: the in-app text and the email (subject, body,
links from DESKPEMILU_SITE_URL) are written per recipient, not once in the actor's language."""

import pytest
from django.core.management import call_command

from deskpemilu.accounts.models import User
from deskpemilu.incidents.tests.helpers import body, post, step

pytestmark = pytest.mark.django_db
SITE = "https://desk-pemilu.mataramkota.go.id"


def run_worker():
    call_command("notify_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115


def with_email(user, address):
    User.objects.filter(pk=user.pk).update(email=address)
    return user


def switch_language(client, language):
    """The header's button, as a signed-in person presses it."""
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


def titles(client):
    return [n["title"] for n in client.get("/api/v1/notifications").json()["items"]]


def test_each_recipient_reads_the_same_report_in_their_own_language(
    client_for, api_for, make_user, admin, lurah, smtp_server, settings
):
    settings.DESKPEMILU_SITE_URL = SITE
    desk_en = make_user("desk_english", "admin")
    switch_language(client_for(desk_en), "en")
    with_email(admin, "desk@mataramkota.go.id")
    with_email(desk_en, "desk.en@mataramkota.go.id")
    # The reporter writes in English: the Indonesian recipient still reads Indonesian.
    response = post(api_for(lurah), "/api/v1/incidents", body(), **{"Accept-Language": "en"})
    assert response.status_code == 201
    incident = response.json()

    assert titles(client_for(admin)) == [
        f"{incident['number']}: Keamanan dan ketertiban (Tinggi) di TPS 001 Pejeruk"
    ]
    (title_en,) = titles(client_for(desk_en))
    assert "Security and order (High)" in title_en and "Tinggi" not in title_en

    run_worker()
    mail = {m["To"]: m for m in smtp_server.messages}
    assert set(mail) == {"desk@mataramkota.go.id", "desk.en@mataramkota.go.id"}
    assert "Keamanan dan ketertiban (Tinggi)" in mail["desk@mataramkota.go.id"]["Subject"]
    assert "Security and order (High)" in mail["desk.en@mataramkota.go.id"]["Subject"]
    for message in mail.values():
        text = message.get_payload(decode=True).decode()
        assert f"{SITE}/kejadian/{incident['id']}/" in text  # links from DESKPEMILU_SITE_URL
        assert "Kerumunan massa" in text  # what the reporter wrote stays as written


def test_a_status_change_reaches_the_reporter_in_their_language(
    client_for, api_for, admin, lurah, viewer
):
    switch_language(client_for(lurah), "en")
    incident = post(api_for(lurah), "/api/v1/incidents", body()).json()
    assert step(api_for(admin), incident["id"], status="selesai", note="Aman").status_code == 201
    (title,) = titles(client_for(lurah))
    assert title.endswith(": Resolved") and "(High)" in title
    admin_titles = titles(client_for(admin))  # told of the report, in Indonesian
    assert any("(Tinggi)" in t for t in admin_titles)


def test_the_test_message_follows_the_recipients_language(client_for, admin, lurah, smtp_server):
    switch_language(client_for(lurah), "en")
    with_email(lurah, "lurah.pejeruk@example.org")
    client_for(admin).post("/notifikasi/atur/uji-email/", {"akun": lurah.username})
    run_worker()
    assert smtp_server.messages[0]["Subject"] == "[Desk Pemilu] Test message"


def test_an_escalation_by_the_system_is_written_per_recipient(
    client_for, api_for, make_user, admin, lurah
):
    from datetime import timedelta

    from django.utils import timezone

    from deskpemilu.incidents.escalation import incidents_escalate

    desk_en = make_user("desk_english", "admin")
    switch_language(client_for(desk_en), "en")
    post(api_for(lurah), "/api/v1/incidents", body(severity="kritis"))
    assert incidents_escalate(now=timezone.now() + timedelta(minutes=16)) == 1

    def escalation(user):
        items = client_for(user).get("/api/v1/notifications").json()["items"]
        return next(n for n in items if n["kind"] == "incident.escalated")

    mine, theirs = escalation(admin), escalation(desk_en)
    assert "(Kritis)" in mine["title"] and "Eskalasi" in mine["body"]
    assert "(Critical)" in theirs["title"] and "(Kritis)" not in theirs["title"]
