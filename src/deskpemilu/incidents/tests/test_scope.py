"""Who sees which incident: the desk all, a liaison what was forwarded to their agency, the
others their area. Not visible answers exactly like missing (404)."""

import pytest

from deskpemilu.incidents.tests.helpers import AMPENAN_SELATAN, report, step

LIST = "/api/v1/incidents"


@pytest.fixture
def tni(make_user):
    return make_user("tni_liaison", "liaison", "", "tni")


@pytest.fixture
def incidents(api_for, lurah, operator, camat):
    """One incident in each of three areas: Pejeruk, Ampenan Selatan, a kelurahan of Sandubaya."""
    return {
        "pejeruk": report(api_for(lurah))["id"],
        "ampenan_selatan": report(api_for(operator), tps_code=None, region_code=AMPENAN_SELATAN)[
            "id"
        ],
        "sandubaya": report(api_for(camat), tps_code=None, region_code="5271061001")["id"],
    }


def ids(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.django_db
def test_a_liaison_sees_only_what_was_forwarded_to_their_agency(
    api_for, admin, polri, tni, incidents
):
    step(api_for(admin), incidents["pejeruk"], forward_to=["polri"])
    police, army = api_for(polri), api_for(tni)
    assert ids(police) == {incidents["pejeruk"]}
    assert ids(army) == set()
    assert police.get(f"{LIST}/{incidents['pejeruk']}").status_code == 200
    for incident in incidents.values():
        assert army.get(f"{LIST}/{incident}").status_code == 404
        assert step(army, incident, note="x").status_code == 404
    assert police.get(f"{LIST}/{incidents['sandubaya']}").status_code == 404


@pytest.mark.django_db
def test_a_lurah_sees_only_their_kelurahan(api_for, lurah, incidents):
    client = api_for(lurah)
    assert ids(client) == {incidents["pejeruk"]}
    for name in ("ampenan_selatan", "sandubaya"):
        assert client.get(f"{LIST}/{incidents[name]}").status_code == 404
        assert step(client, incidents[name], note="x").status_code == 404
    # A filter cannot widen the scope: another area's code is 404, like everywhere.
    assert client.get(LIST + "?region=" + AMPENAN_SELATAN).status_code == 404
    assert client.get(LIST + "?region=5271").status_code == 404


@pytest.mark.django_db
def test_a_camat_sees_their_kecamatan(api_for, camat, incidents):
    assert ids(api_for(camat)) == {incidents["sandubaya"]}


@pytest.mark.django_db
def test_the_desk_and_viewers_see_everything(api_for, admin, viewer, incidents):
    assert ids(api_for(admin)) == set(incidents.values())
    assert ids(api_for(viewer)) == set(incidents.values())


@pytest.mark.django_db
def test_an_unknown_id_is_404(api_for, admin):
    client = api_for(admin)
    for value in ("999999", "abc", "-1", "1" * 30):
        assert client.get(f"{LIST}/{value}").status_code == 404


@pytest.mark.django_db
def test_a_unicode_digit_id_is_404_not_500(api_for, admin, incidents):
    """A "²" or "³6" passes str.isdigit() but not int(): once a 500 (found by fuzzing)."""
    client = api_for(admin)
    for value in ("%C2%B2", "%C2%B36", "1%C2%B9"):  # ², ³6, 1¹
        for url in (f"{LIST}/{value}", f"/api/v1/requests/{value}"):
            response = client.get(url)
            assert response.status_code == 404, (url, response.content)
            assert response.json()["errors"][0]["code"] == "not_found"
        assert step(client, value, note="x").status_code == 404
        photos = client.post(f"{LIST}/{value}/photos")
        assert photos.status_code == 404


@pytest.mark.django_db
def test_it_filters(api_for, admin, incidents):
    client = api_for(admin)
    step(client, incidents["pejeruk"], forward_to=["polri"])
    step(client, incidents["sandubaya"], status="selesai")
    assert ids(client, "?agency=polri") == {incidents["pejeruk"]}
    assert ids(client, "?status=selesai") == {incidents["sandubaya"]}
    assert ids(client, "?status=terbuka") == {incidents["pejeruk"], incidents["ampenan_selatan"]}
    assert ids(client, "?region=527101") == {incidents["pejeruk"], incidents["ampenan_selatan"]}
    assert ids(client, "?severity=kritis") == set()
    bad_values = ("?status=x", "?category=x", "?severity=x", "?agency=x", "?page=0", "?q=a%00b")
    for bad in (*bad_values, "?agency=polri%00"):
        response = client.get(LIST + bad)
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["code"]


@pytest.mark.django_db
def test_it_paginates(api_for, lurah, admin):
    reporter = api_for(lurah)
    for _ in range(5):
        report(reporter)
    page = api_for(admin).get(LIST + "?per_page=2&page=3").json()
    assert (page["count"], page["pages"], page["page"], len(page["items"])) == (5, 3, 3, 1)
    assert api_for(admin).get(LIST + "?per_page=2&page=9").json()["items"] == []


@pytest.mark.django_db
def test_the_list_reads_in_constant_queries(api_for, lurah, admin, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reporter, desk = api_for(lurah), api_for(admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert desk.get(LIST).status_code == 200
        return len(queries)

    first = report(reporter)["id"]
    step(desk, first, forward_to=["polri"])
    small = count()
    for _ in range(6):
        new = report(reporter)["id"]
        step(desk, new, forward_to=["polri", "tni"])
    assert count() == small
