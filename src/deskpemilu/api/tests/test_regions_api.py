"""GET /api/v1/regions/{code} and /api/v1/tps/{code}, per CONTRACT.md."""

import pytest
from django.test import Client

NOT_FOUND = {"errors": [{"code": "not_found", "field": "", "message": "Not found"}]}


@pytest.mark.django_db
def test_it_returns_the_city_with_its_kecamatan(api_for, admin):
    data = api_for(admin).get("/api/v1/regions/5271").json()
    assert (data["code"], data["name"], data["level"]) == ("5271", "Kota Mataram", "kota")
    assert (data["tps_count"], data["dpt"]) == (1248, 315549)
    assert [c["code"] for c in data["children"]] == [f"52710{i}" for i in range(1, 7)]
    assert sum(c["tps_count"] for c in data["children"]) == 1248
    assert sum(c["dpt"] for c in data["children"]) == 315549
    assert data["dpt_is_demo"] is True


@pytest.mark.django_db
def test_it_returns_fifty_kelurahan_across_the_kecamatan(api_for, admin):
    client = api_for(admin)
    kecamatan = client.get("/api/v1/regions/5271").json()["children"]
    kelurahan = [
        k for c in kecamatan for k in client.get(f"/api/v1/regions/{c['code']}").json()["children"]
    ]
    assert len(kelurahan) == 50
    assert {k["level"] for k in kelurahan} == {"kelurahan"}
    assert sum(k["tps_count"] for k in kelurahan) == 1248


@pytest.mark.django_db
def test_it_lists_a_kelurahan_tps_as_children(api_for, admin):
    data = api_for(admin).get("/api/v1/regions/5271051001").json()  # Mataram Barat
    assert data["name"] == "Mataram Barat"
    codes = [c["code"] for c in data["children"]]
    assert len(codes) == 17
    assert "5271051001901" in codes  # the women's prison TPS
    assert all(c["level"] == "tps" and c["tps_count"] == 1 for c in data["children"])
    assert sum(c["dpt"] for c in data["children"]) == data["dpt"]


@pytest.mark.django_db
def test_it_returns_one_tps(api_for, operator):
    data = api_for(operator).get("/api/v1/tps/5271011004001").json()
    assert data["code"] == "5271011004001"
    assert data["number"] == 1
    assert data["kelurahan"] == "5271011004"
    assert 0 < data["dpt"] <= 300
    assert {"address", "lat", "lon"} <= data.keys()


@pytest.mark.django_db
def test_it_answers_out_of_scope_exactly_like_missing(api_for, lurah):
    client = api_for(lurah)
    outside = client.get("/api/v1/tps/5271011004001")
    missing = client.get("/api/v1/tps/5271011006999")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json() == NOT_FOUND
    assert client.get("/api/v1/regions/527101").status_code == 404
    assert client.get("/api/v1/regions/5271011006").status_code == 200


@pytest.mark.django_db
def test_it_rejects_nonsense_codes_without_error(api_for, admin):
    client = api_for(admin)
    for code in ["x", "5271'--", "9" * 40, "%00", "52.71"]:
        assert client.get(f"/api/v1/regions/{code}").status_code == 404
        assert client.get(f"/api/v1/tps/{code}").status_code == 404


@pytest.mark.django_db
def test_it_requires_authentication():
    response = Client().get("/api/v1/regions/5271")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthenticated"
    bad = Client(headers={"Authorization": "Bearer dp_not-a-token"}).get("/api/v1/regions/5271")
    assert bad.status_code == 401


@pytest.mark.django_db
def test_it_works_with_the_web_session(client_for, camat):
    response = client_for(camat).get("/api/v1/regions/527106")
    assert response.status_code == 200
    assert response.json()["name"] == "Sandubaya"


@pytest.mark.django_db
def test_it_reads_a_region_in_constant_queries(api_for, admin, django_assert_max_num_queries):
    client = api_for(admin)
    # Token lookup, the region, its children (and the demo check): never one per child.
    with django_assert_max_num_queries(5):
        client.get("/api/v1/regions/5271")
    with django_assert_max_num_queries(5):
        client.get("/api/v1/regions/5271011005")  # 32 TPS


def test_it_publishes_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/regions/{code}" in doc["paths"]
    assert "/api/v1/tps/{tps_code}" in doc["paths"]
