import pytest

from deskpemilu.audit.services import head


@pytest.mark.django_db
def test_it_shows_the_head_hash_to_the_admin(client_for, admin):
    response = client_for(admin).get("/audit/")
    assert response.status_code == 200
    _seq, head_hash = head()
    assert head_hash in response.content.decode()


@pytest.mark.django_db
def test_it_lists_account_changes(client_for, admin, lurah):
    body = client_for(admin).get("/audit/?action=account").content.decode()
    assert "account.create" in body


@pytest.mark.django_db
def test_it_verifies_the_chain_on_request(client_for, admin):
    body = client_for(admin).get("/audit/?verify=1").content.decode()
    assert "Rantai utuh" in body


@pytest.mark.django_db
def test_it_keeps_the_log_from_other_roles(client_for, viewer, lurah):
    assert client_for(viewer).get("/audit/").status_code == 403
    assert client_for(lurah).get("/audit/").status_code == 403


@pytest.mark.django_db
def test_it_lists_a_page_in_constant_queries(client_for, admin, django_assert_max_num_queries):
    client = client_for(admin)
    with django_assert_max_num_queries(8):
        assert client.get("/audit/").status_code == 200
