"""Readiness as it was at a time (H-3, H-1, the day), rebuilt from the kept reports."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from deskpemilu.readiness.models import ReadinessReport
from deskpemilu.readiness.moments import moments, parse_moment
from deskpemilu.readiness.tests.helpers import PEJERUK_TPS, PEJERUK_TPS_2, all_siap, put

WITA = timezone.get_fixed_timezone(8 * 60)


def backdate(tps_code: str, when: datetime) -> None:
    """Move every report of a TPS made so far to `when` (as if entered then)."""
    ReadinessReport.objects.filter(tps_id=tps_code, at__gt=when).update(at=when)


@pytest.mark.django_db
def test_it_shows_readiness_as_it_was_at_h_minus_3(api_for, lurah):
    client = api_for(lurah)
    h3 = datetime(2024, 2, 11, 12, 0, tzinfo=WITA)
    put(client, PEJERUK_TPS, all_siap(listrik={"status": "bermasalah", "catatan": "padam"}))
    backdate(PEJERUK_TPS, h3 - timedelta(days=1))
    put(client, PEJERUK_TPS, {"items": {"listrik": {"status": "siap", "catatan": "genset"}}})
    put(client, PEJERUK_TPS_2, all_siap())

    then = client.get("/api/v1/readiness/summary/5271011006?pada=h-3").json()
    assert then["at"].startswith("2024-02-11T23:59")
    assert then["tps_ready"] == 0
    assert then["tps_reported"] == 1
    assert [(p["tps"], p["item"], p["catatan"]) for p in then["problems"]] == [
        (PEJERUK_TPS, "listrik", "padam")
    ]
    detail = client.get(f"/api/v1/readiness/{PEJERUK_TPS}?pada=2024-02-11T12:00").json()
    listrik = next(i for i in detail["items"] if i["code"] == "listrik")
    assert listrik["status"] == "bermasalah"
    assert detail["ready"] is False

    now = client.get("/api/v1/readiness/summary/5271011006").json()
    assert now["tps_ready"] == 2
    assert now["problems"] == []
    assert client.get(f"/api/v1/readiness/{PEJERUK_TPS}").json()["ready"] is True


@pytest.mark.django_db
def test_it_rebuilds_the_city_at_a_time(api_for, lurah, viewer):
    put(api_for(lurah), PEJERUK_TPS, all_siap())
    backdate(PEJERUK_TPS, datetime(2024, 2, 12, 9, 0, tzinfo=WITA))
    reader = api_for(viewer)
    h3 = reader.get("/api/v1/readiness/summary/5271?pada=h-3").json()
    h1 = reader.get("/api/v1/readiness/summary/5271?pada=h-1").json()
    assert (h3["tps_ready"], h1["tps_ready"]) == (0, 1)
    ampenan = next(c for c in h1["children"] if c["code"] == "527101")
    assert ampenan["tps_ready"] == 1


@pytest.mark.django_db
def test_it_refuses_an_unreadable_time(api_for, lurah):
    response = api_for(lurah).get("/api/v1/readiness/summary/5271011006?pada=kemarin")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "pada"


@pytest.mark.django_db
def test_it_knows_the_moments_of_the_desk():
    keys = {key: when for key, _label, when in moments()}
    assert keys["h-1"].date().isoformat() == "2024-02-13"
    assert keys["hari-h"].hour == 7
    assert parse_moment("2024-02-13T10:30").utcoffset() == timedelta(hours=8)
    assert parse_moment("") is None
    with pytest.raises(ValueError):
        parse_moment("2024-13-40T99:99")


@pytest.mark.django_db
def test_the_windows_follow_the_active_election(api_for, lurah, admin, client_for):
    """Pilkada 2024 (27 November) active: H-1 is 26 November, on the API and the page."""
    client_for(admin).post("/pemilihan/", {"pemilihan": "pilkada2024"})
    reader = api_for(lurah)
    h1 = reader.get("/api/v1/readiness/summary/5271011006?pada=h-1").json()
    assert h1["at"].startswith("2024-11-26T23:59")
    day = reader.get("/api/v1/readiness/summary/5271011006?pada=hari-h").json()
    assert day["at"].startswith("2024-11-27T07:00")
    page = client_for(lurah).get("/kesiapan/?pada=h-3", follow=True)
    assert page.status_code == 200
    assert "2024-11-24T23:59" in page.content.decode()
