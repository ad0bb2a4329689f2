"""GET /api/v1/readiness/summary/{region}: rollups by kelurahan, kecamatan and city; problems."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from deskpemilu.readiness.configuration import ItemSpec, checklist_item_save
from deskpemilu.readiness.models import RegionReadiness, TpsItemState
from deskpemilu.readiness.rollups import check_readiness, rebuild_readiness
from deskpemilu.readiness.tests.helpers import (
    AMPENAN_SELATAN_TPS,
    PEJERUK_TPS,
    PEJERUK_TPS_2,
    all_siap,
    put,
)
from deskpemilu.regions.models import Region

PEJERUK = "5271011006"


def summary(client, code):
    response = client.get(f"/api/v1/readiness/summary/{code}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_it_rolls_a_ready_tps_up_to_the_city(api_for, lurah, viewer):
    put(api_for(lurah), PEJERUK_TPS, all_siap())
    city = summary(api_for(viewer), "5271")
    assert city["tps_ready"] == 1
    assert city["tps_total"] == Region.objects.get(code="5271").tps_count
    assert city["percent_ready"] == round(100 / city["tps_total"], 1)
    ampenan = next(c for c in city["children"] if c["code"] == "527101")
    assert ampenan["tps_ready"] == 1
    assert sum(c["tps_ready"] for c in city["children"]) == 1
    kelurahan = summary(api_for(lurah), PEJERUK)
    assert kelurahan["tps_ready"] == 1
    tps_row = next(c for c in kelurahan["children"] if c["code"] == PEJERUK_TPS)
    assert tps_row == {**tps_row, "level": "tps", "tps_total": 1, "tps_ready": 1}
    assert tps_row["percent_ready"] == 100.0


@pytest.mark.django_db
def test_it_takes_a_tps_back_when_an_item_falls(api_for, lurah, viewer):
    client = api_for(lurah)
    put(client, PEJERUK_TPS, all_siap())
    put(client, PEJERUK_TPS, {"items": {"tinta": {"status": "bermasalah", "catatan": "hilang"}}})
    city = summary(api_for(viewer), "5271")
    assert city["tps_ready"] == 0
    assert city["tps_problem"] == 1
    assert city["problems"] == [
        {
            **city["problems"][0],
            "tps": PEJERUK_TPS,
            "item": "tinta",
            "status": "bermasalah",
            "catatan": "hilang",
        }
    ]
    assert check_readiness() == []


@pytest.mark.django_db
def test_it_lists_problems_oldest_first(api_for, lurah, admin):
    client = api_for(lurah)
    put(client, PEJERUK_TPS_2, {"items": {"listrik": {"status": "bermasalah", "catatan": "b"}}})
    put(client, PEJERUK_TPS, {"items": {"lokasi": {"status": "bermasalah", "catatan": "a"}}})
    # The second TPS's problem is older.
    TpsItemState.objects.filter(tps_id=PEJERUK_TPS_2).update(
        status_since=timezone.now() - timedelta(hours=5)
    )
    put(api_for(admin), AMPENAN_SELATAN_TPS, {"items": {"segel": {"status": "bermasalah"}}})
    problems = summary(client, PEJERUK)["problems"]
    assert [p["tps"] for p in problems] == [PEJERUK_TPS_2, PEJERUK_TPS]
    # A note that is only a change of note keeps the problem's age.
    put(client, PEJERUK_TPS_2, {"items": {"listrik": {"status": "bermasalah", "catatan": "c"}}})
    assert [p["tps"] for p in summary(client, PEJERUK)["problems"]] == [PEJERUK_TPS_2, PEJERUK_TPS]


@pytest.mark.django_db
def test_it_hides_other_regions(api_for, lurah, camat):
    assert api_for(lurah).get("/api/v1/readiness/summary/5271").status_code == 404
    assert api_for(lurah).get("/api/v1/readiness/summary/5271011004").status_code == 404
    assert api_for(camat).get("/api/v1/readiness/summary/527101").status_code == 404
    assert api_for(camat).get("/api/v1/readiness/summary/527106").status_code == 200


@pytest.mark.django_db
def test_it_keeps_rollups_equal_to_a_recount(api_for, lurah, operator, admin):
    put(api_for(lurah), PEJERUK_TPS, all_siap())
    put(api_for(lurah), PEJERUK_TPS_2, all_siap(tinta={"status": "belum"}))
    put(api_for(operator), AMPENAN_SELATAN_TPS, all_siap(segel={"status": "bermasalah"}))
    put(api_for(operator), AMPENAN_SELATAN_TPS, {"items": {"segel": {"status": "siap"}}})
    put(api_for(admin), "5271061001001", {"items": {"lokasi": {"status": "belum"}}})
    assert check_readiness() == []
    stored = {
        r.region_id: (r.tps_ready, r.tps_reported, r.tps_problem)
        for r in RegionReadiness.objects.all()
    }
    assert stored["5271"] == (2, 4, 0)
    assert stored["527101"] == (2, 3, 0)
    with transaction.atomic():
        rebuild_readiness()
    after = {
        r.region_id: (r.tps_ready, r.tps_reported, r.tps_problem)
        for r in RegionReadiness.objects.all()
    }
    assert after == stored


@pytest.mark.django_db
def test_it_recounts_when_the_checklist_changes(api_for, lurah, admin):
    put(api_for(lurah), PEJERUK_TPS, all_siap())
    checklist_item_save(
        actor=admin, spec=ItemSpec(code="genset", label="Genset cadangan", ordering=500)
    )
    assert summary(api_for(lurah), PEJERUK)["tps_ready"] == 0
    assert check_readiness() == []
    put(api_for(lurah), PEJERUK_TPS, {"items": {"genset": {"status": "siap"}}})
    assert summary(api_for(lurah), PEJERUK)["tps_ready"] == 1
    checklist_item_save(
        actor=admin,
        spec=ItemSpec(code="genset", label="Genset cadangan", ordering=500, is_active=False),
    )
    items = api_for(lurah).get("/api/v1/readiness/items").json()
    assert "genset" not in [i["code"] for i in items]
    assert summary(api_for(lurah), PEJERUK)["tps_ready"] == 1
    assert check_readiness() == []


@pytest.mark.django_db
def test_it_reads_a_summary_in_few_queries(api_for, admin, lurah, django_assert_max_num_queries):
    for tps in (PEJERUK_TPS, PEJERUK_TPS_2):
        put(api_for(lurah), tps, all_siap(lokasi={"status": "bermasalah"}))
    client = api_for(admin)
    for code in ("5271", "527101", PEJERUK):
        with django_assert_max_num_queries(12):
            summary(client, code)
