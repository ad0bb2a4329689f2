"""Puskesmas: service areas (set or assumed), posts, staff on duty, readiness."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from deskpemilu.audit.models import AuditEntry
from deskpemilu.health.access import puskesmas_for
from deskpemilu.health.facilities import service_area_set
from deskpemilu.health.models import DutyShift, HealthPost
from deskpemilu.regions.models import Puskesmas, Region


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def nurse(make_user):
    return make_user("pkm_ampenan", "health", "527101")


@pytest.mark.django_db
def test_it_lists_puskesmas_with_an_assumed_service_area(api_for, nurse):
    rows = api_for(nurse).get("/api/v1/health/puskesmas").json()
    assert rows, "Ampenan has puskesmas"
    pejeruk = next(r for r in rows if r["code"] == "pejeruk")
    kelurahan = set(Region.objects.filter(parent_id="527101").values_list("code", flat=True))
    assert pejeruk["service_area_assumed"] is True
    assert set(pejeruk["service_area"]) == kelurahan
    assert all(r["kecamatan"] == "527101" for r in rows)


@pytest.mark.django_db
def test_it_lets_the_desk_set_a_service_area(admin, make_user):
    pejeruk = Puskesmas.objects.get(code="pejeruk")
    service_area_set(
        actor=admin,
        puskesmas=pejeruk,
        kelurahan=list(Region.objects.filter(code__in=["5271011006", "5271011004"])),
    )
    assert AuditEntry.objects.filter(action="health.service_area_set").exists()
    # A health account of a kelurahan deals with the puskesmas that serve it.
    pejeruk_nurse = make_user("pkm_pejeruk", "health", "5271011006")
    codes = set(puskesmas_for(pejeruk_nurse).values_list("code", flat=True))
    assert "pejeruk" in codes
    elsewhere = make_user("pkm_dasan", "health", "5271061001")
    assert "pejeruk" not in set(puskesmas_for(elsewhere).values_list("code", flat=True))


@pytest.mark.django_db
def test_it_records_posts_shifts_and_readiness(api_for, nurse, viewer):
    client = api_for(nurse)
    post = send(
        client,
        "post",
        "/api/v1/health/puskesmas/pejeruk/posts",
        {"name": "Posko Kantor Lurah Pejeruk", "hours": "07.00–22.00", "has_ambulance": True},
    )
    assert post.status_code == 201, post.content
    today = timezone.localdate().isoformat()
    shift = {"date": today, "shift": "pagi", "dokter": 1, "perawat": 3, "bidan": 1}
    assert send(client, "put", "/api/v1/health/puskesmas/pejeruk/shifts", shift).status_code == 201
    shift["sopir_ambulans"] = 1
    assert send(client, "put", "/api/v1/health/puskesmas/pejeruk/shifts", shift).status_code == 200
    ready = send(
        client,
        "put",
        "/api/v1/health/puskesmas/pejeruk/readiness",
        {"items": {"ambulans": {"status": "siap"}, "obat": {"status": "bermasalah"}}},
    )
    assert ready.json() == {"changed": ["ambulans", "obat"]}
    rows = api_for(viewer).get("/api/v1/health/puskesmas").json()
    pejeruk = next(r for r in rows if r["code"] == "pejeruk")
    assert pejeruk["posts"][0]["has_ambulance"] is True
    assert pejeruk["shifts"][0]["sopir_ambulans"] == 1
    assert {r["item"]: r["status"] for r in pejeruk["readiness"]}["obat"] == "bermasalah"
    assert HealthPost.objects.count() == 1 and DutyShift.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_other_areas_and_readers(api_for, nurse, viewer, lurah):
    body = {"name": "Posko"}
    assert send(
        api_for(nurse), "post", "/api/v1/health/puskesmas/cakranegara/posts", body
    ).status_code in (403, 404)
    assert (
        send(api_for(viewer), "post", "/api/v1/health/puskesmas/pejeruk/posts", body).status_code
        == 403
    )
    assert (
        send(api_for(lurah), "post", "/api/v1/health/puskesmas/pejeruk/posts", body).status_code
        == 403
    )
    bad = {"date": "2024-02-14", "shift": "pagi", "dokter": True}
    assert (
        send(api_for(nurse), "put", "/api/v1/health/puskesmas/pejeruk/shifts", bad).status_code
        == 422
    )
    assert not HealthPost.objects.exists()


@pytest.mark.django_db
def test_the_services_refuse_by_the_same_rules_whatever_calls_them(viewer, lurah):
    """The pages and the API refuse first (403); the services refuse too, for any caller."""
    from deskpemilu.health import facilities, services

    pejeruk = Puskesmas.objects.get(code="pejeruk")
    area = list(Region.objects.filter(code="5271011006"))
    for user in (viewer, lurah):
        with pytest.raises(services.HealthError) as refused:
            facilities.service_area_set(actor=user, puskesmas=pejeruk, kelurahan=area)
        assert refused.value.status == 403
        with pytest.raises(services.HealthError) as refused:
            facilities.puskesmas_check(actor=user, puskesmas=pejeruk, entries={})
        assert refused.value.status == 403
    assert not AuditEntry.objects.filter(action__startswith="health.").exists()
