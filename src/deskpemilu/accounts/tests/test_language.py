"""An account's language (the one its notifications are written in): the header's switch,
the profile's select, the desk's account form and `create_account --language`; audited."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from deskpemilu.accounts.models import User
from deskpemilu.accounts.tests.helpers import actions, last_entry
from deskpemilu.accounts.tests.test_account_form import edit_data, new_account

pytestmark = pytest.mark.django_db


def language_of(user: User) -> str:
    user.refresh_from_db()
    return user.language


def test_a_new_account_is_indonesian(lurah) -> None:
    assert language_of(lurah) == "id"


def test_the_header_switch_keeps_the_cookie_and_stores_the_language(client_for, lurah) -> None:
    web = client_for(lurah)
    response = web.post("/i18n/setlang/", {"language": "en", "next": "/accounts/me/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert language_of(lurah) == "en"
    assert last_entry("account.language").payload == {"username": lurah.username, "language": "en"}
    web.post("/i18n/setlang/", {"language": "en", "next": "/"})  # no change: no audit entry
    assert actions(action="account.language") == ["account.language"]
    assert "My account" in web.get("/accounts/me/").content.decode()
    web.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert language_of(lurah) == "id"


@pytest.mark.parametrize("language", ["xx", "de", ""])
def test_the_switch_ignores_a_language_the_desk_does_not_offer(client_for, lurah, language):
    response = client_for(lurah).post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    assert language_of(lurah) == "id"


def test_the_switch_still_works_signed_out(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_profile_sets_the_language(client_for, lurah) -> None:
    web = client_for(lurah)
    page = web.get("/accounts/me/").content.decode()
    assert 'id="language-form"' in page and '<select name="language"' in page
    saved = web.post("/accounts/me/", {"language": "en"})
    assert saved.status_code == 302
    assert saved.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"  # the pages follow
    assert language_of(lurah) == "en"
    assert last_entry("account.language").actor == lurah
    refused = web.post("/accounts/me/", {"language": "jv"})
    assert refused.status_code == 422 and "errorlist" in refused.content.decode()
    assert language_of(lurah) == "en"


def test_the_desk_sets_the_language_on_the_account_form(client_for, admin, operator) -> None:
    desk = client_for(admin)
    assert '<select name="language"' in desk.get("/accounts/users/new/").content.decode()
    made = desk.post("/accounts/users/new/", new_account(language="en"))
    assert made.status_code == 302
    assert User.objects.get(username="op_baru").language == "en"
    url = f"/accounts/users/{operator.pk}/"
    assert desk.post(url, edit_data(operator, language="en")).status_code == 302
    assert language_of(operator) == "en"
    assert last_entry("account.update").payload["language"] == "en"
    assert desk.post(url, edit_data(operator)).status_code == 302  # not sent: kept
    assert language_of(operator) == "en"


def test_create_account_takes_a_language(monkeypatch) -> None:
    def run(*args: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("Kenari-Posko-2024\n"))
        call_command("create_account", *args, stdout=io.StringIO())

    run("pimpinan_2", "--role", "viewer", "--language", "en", "--password-stdin")
    assert User.objects.get(username="pimpinan_2").language == "en"
    run("pimpinan_2", "--role", "viewer")  # no --language: kept
    assert User.objects.get(username="pimpinan_2").language == "en"
    with pytest.raises(CommandError):
        run("pimpinan_2", "--role", "viewer", "--language", "fr")


def test_signing_in_on_a_new_device_shows_the_accounts_language(client, lurah) -> None:
    from deskpemilu.conftest import PASSWORD

    User.objects.filter(pk=lurah.pk).update(language="en")
    signed_in = client.post("/accounts/login/", {"username": lurah.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "My account" in client.get("/accounts/me/").content.decode()


def test_signing_in_keeps_the_language_chosen_on_the_device(client, lurah) -> None:
    from deskpemilu.conftest import PASSWORD

    User.objects.filter(pk=lurah.pk).update(language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    signed_in = client.post("/accounts/login/", {"username": lurah.username, "password": PASSWORD})
    assert settings.LANGUAGE_COOKIE_NAME not in signed_in.cookies
    assert "Akun saya" in client.get("/accounts/me/").content.decode()
