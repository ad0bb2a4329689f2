"""GET /api/v1/situation/summary: the situation room's numbers, for the desk and leaders."""

from __future__ import annotations

import pytest

from deskpemilu.situation.tests.helpers import election_morning

pytestmark = pytest.mark.django_db


def test_it_answers_the_summary(api_for, admin, verifier, viewer):
    election_morning(api_for(admin), api_for(verifier))
    data = api_for(viewer).get("/api/v1/situation/summary").json()
    recap = api_for(viewer).get("/api/v1/recap/ppwp/5271").json()
    ppwp = next(r for r in data["results"] if r["contest"] == "ppwp")
    assert ppwp["tps_reported"] == recap["tps_reported"] == 6
    assert ppwp["tps_verified"] == recap["tps_verified"] == 4
    assert data["incidents"]["open_total"] == 4
    assert data["incidents"]["by_severity"] == {"kritis": 1, "tinggi": 1, "sedang": 1, "rendah": 1}
    assert data["incidents"]["by_age"]["kritis"]["lt1"] == 1
    assert data["requests"]["open_total"] == 2 and data["requests"]["overdue"] == 1
    assert data["readiness"]["tps_ready"] == 3
    assert data["audit"]["seq"] > 0 and len(data["audit"]["head"]) == 64
    assert data["last_change"] is not None
    assert "open_by_area" not in data["incidents"]


def test_it_counts_incidents_by_age(api_for, admin, verifier):
    from datetime import timedelta

    from django.utils import timezone

    from deskpemilu.incidents.models import Incident

    m = election_morning(api_for(admin), api_for(verifier))
    # Age the critical one by two days (as if reported then) — only its clock moves.
    Incident.objects.filter(pk=m.incidents[0]).update(
        reported_at=timezone.now() - timedelta(days=2)
    )
    data = api_for(admin).get("/api/v1/situation/summary").json()
    assert data["incidents"]["by_age"]["kritis"] == {"lt1": 0, "1-6": 0, "6-24": 0, "gt24": 1}
    assert data["incidents"]["overdue"] >= 1


def test_it_refuses_other_roles(api_for, lurah, operator, polri):
    for user in (lurah, operator, polri):
        assert api_for(user).get("/api/v1/situation/summary").status_code == 403


def test_it_needs_a_token(client):
    assert client.get("/api/v1/situation/summary").status_code == 401
