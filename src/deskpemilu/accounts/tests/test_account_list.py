"""The admin's account list: who exists, with role, scope, agency, status and last login."""

from __future__ import annotations

import pytest

from deskpemilu.accounts.services import account_set_active


@pytest.mark.django_db
def test_it_lists_accounts_with_their_details(client_for, admin, operator, polri, lurah) -> None:
    account_set_active(actor=admin, user=lurah, active=False)
    html = client_for(admin).get("/accounts/users/").content.decode()
    for text in ["op_ampenan_selatan", "Operator instansi", "5271011004", "Ampenan Selatan"]:
        assert text in html
    assert "Dinas Komunikasi dan Informatika" in html
    assert "Polri (Polresta Mataram)" in html
    assert "nonaktif" in html


@pytest.mark.django_db
def test_it_shows_the_last_login(client, client_for, admin, operator) -> None:
    client.post(
        "/accounts/login/", {"username": operator.username, "password": "Rahasia-Desk-2024!"}
    )
    html = client_for(admin).get("/accounts/users/").content.decode()
    assert "belum pernah" not in html.split("op_ampenan_selatan")[1].split("</tr>")[0]


@pytest.mark.django_db
def test_it_filters_by_role_and_text(client_for, admin, operator, lurah, camat) -> None:
    web = client_for(admin)
    html = web.get("/accounts/users/", {"peran": "lurah"}).content.decode()
    assert "lurah_pejeruk" in html
    assert "camat_sandubaya" not in html
    html = web.get("/accounts/users/", {"q": "52.71.06"}).content.decode()
    assert "camat_sandubaya" in html
    assert "lurah_pejeruk" not in html


@pytest.mark.django_db
def test_it_reads_the_list_in_a_fixed_number_of_queries(
    client_for, django_assert_num_queries, make_user, admin
) -> None:
    web = client_for(admin)
    make_user("op_satu", "operator", "527101", "dishub")
    web.get("/accounts/users/")  # warm up (session, content types)
    with django_assert_num_queries(4) as few:
        web.get("/accounts/users/")
    for n in range(8):
        make_user(f"lurah_{n}", "lurah", "5271011006")
        make_user(f"polri_{n}", "liaison", "", "polri")
        make_user(f"op_{n}", "operator", "527103", "dinas-pupr")
    with django_assert_num_queries(len(few.captured_queries)):
        response = web.get("/accounts/users/")
    assert response.content.decode().count("<tr>") == 26 + 1  # 26 accounts and the header


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator", "verifier", "lurah", "camat", "polri", "viewer"])
def test_it_is_for_admins_only(client_for, request, who) -> None:
    web = client_for(request.getfixturevalue(who))
    for url in ["/accounts/users/", "/accounts/users/new/"]:
        assert web.get(url).status_code == 403


@pytest.mark.django_db
def test_it_sends_strangers_to_sign_in(client) -> None:
    response = client.get("/accounts/users/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
