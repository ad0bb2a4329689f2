"""The menu asks the pages' own rules: no demo account is offered a link that answers 403."""

from __future__ import annotations

import re

import pytest

from deskpemilu.accounts.management.commands.setup_demo import DEMO_ACCOUNTS
from deskpemilu.core import nav

MIN_LINKS_OF_THE_DESK = 10


def nav_links(html: str) -> list[str]:
    block = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    assert block is not None
    return re.findall(r'href="([^"]+)"', block.group(0))


@pytest.mark.django_db
@pytest.mark.parametrize("demo", DEMO_ACCOUNTS, ids=lambda d: d.username)
def test_every_link_of_the_menu_opens(make_user, client_for, demo) -> None:
    user = make_user(demo.username, demo.role, demo.scope, demo.agency)
    client = client_for(user)
    home = client.get("/")
    assert home.status_code == 200
    links = nav_links(home.content.decode())
    assert links
    if demo.role == "admin":
        assert len(links) >= MIN_LINKS_OF_THE_DESK, links
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, (demo.username, url, response.status_code)


@pytest.mark.django_db
def test_the_health_entry_follows_the_health_rule(make_user, client_for) -> None:
    polri = make_user("polri_mataram", "liaison", "", "polri")
    dinkes = make_user("dinkes_mataram", "liaison", "", "dinkes")
    assert "/kesehatan/" not in nav_links(client_for(polri).get("/").content.decode())
    assert "/kesehatan/" in nav_links(client_for(dinkes).get("/").content.decode())
    assert client_for(polri).get("/kesehatan/").status_code == 403


def test_the_features_register_their_entries() -> None:
    names = {e.url_name for e in nav.entries()}
    assert {"results_home", "recap_home", "incident_board", "health_home", "stages"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["operator", "lurah", "camat", "liaison", "health"])
def test_field_accounts_are_not_offered_api_tokens(make_user, client_for, role) -> None:
    scope = {"operator": "5271011004", "lurah": "5271011006", "camat": "527106"}.get(role, "")
    scope = "527101" if role == "health" else scope
    user = make_user(f"field_{role}", role, scope, "polri" if role == "liaison" else "")
    client = client_for(user)
    assert "/accounts/tokens/" not in nav_links(client.get("/").content.decode())
    # Still theirs to open, from the profile.
    assert client.get("/accounts/tokens/").status_code == 200
    assert 'href="/accounts/tokens/"' in client.get("/accounts/me/").content.decode()


@pytest.mark.django_db
def test_the_desk_menu_comes_from_the_registry(client_for, admin, viewer) -> None:
    links = nav_links(client_for(admin).get("/").content.decode())
    for url in ["/accounts/users/", "/accounts/tokens/", "/audit/", "/hasil/kontes/"]:
        assert url in links
    viewer_links = nav_links(client_for(viewer).get("/").content.decode())
    assert "/accounts/users/" not in viewer_links  # the page's own rule: admin only
    assert "/accounts/tokens/" in viewer_links


@pytest.mark.django_db
def test_an_account_that_must_enrol_is_offered_only_the_enrolment(settings, admin) -> None:
    from django.test import Client

    from deskpemilu.conftest import PASSWORD

    settings.DESKPEMILU_2FA_ENFORCED = True
    settings.DESKPEMILU_2FA_ROLES = ["admin", "verifier"]
    web = Client()
    web.post("/accounts/login/", {"username": admin.username, "password": PASSWORD})
    html = web.get("/accounts/2fa/").content.decode()
    assert nav_links(html) == ["/accounts/2fa/"]
    header = html.split('<header class="top">')[1].split("</header>")[0]
    assert "/accounts/me/" not in header and "/notifikasi/" not in header
    assert 'action="/accounts/logout/"' in header
