"""One rule of an empty scope, in every access module: a role in SCOPED_ROLES without a scope
sees nothing (never everything); the desk roles, and unscoped verifiers, see every area."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from deskpemilu.accounts.access import regions_for, tps_for
from deskpemilu.accounts.models import SCOPED_ROLES, Agency, User
from deskpemilu.incidents.access import can_see_request, requests_for
from deskpemilu.incidents.facilitation import request_submit
from deskpemilu.incidents.tests.helpers import report
from deskpemilu.regions.models import Region
from deskpemilu.stages.access import kecamatan_for

PEJERUK = "5271011006"
PEJERUK_TPS = "5271011006001"


@pytest.fixture(autouse=True)
def election_night(monkeypatch):
    fixed = dt.datetime(2024, 2, 15, 1, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: fixed)


@pytest.fixture
def unscoped(make_user):
    """Accounts of each scoped role whose scope was emptied (an old row, an import, a bug)."""

    def make(role: str) -> User:
        user = make_user(f"tanpa_wilayah_{role}", role, PEJERUK[:6] if role == "camat" else PEJERUK)
        User.objects.filter(pk=user.pk).update(scope="")
        user.refresh_from_db()
        return user

    return make


def items(response) -> list:
    assert response.status_code == 200, response.content
    data = response.json()
    return data["items"] if isinstance(data, dict) else data


def test_the_rule_lives_on_the_account() -> None:
    for role in SCOPED_ROLES:
        user = User(role=role, scope="")
        assert not user.sees_all_areas and not user.in_scope(PEJERUK)
    for role in ("admin", "viewer", "verifier"):
        assert User(role=role, scope="").sees_all_areas
    assert User(role="admin", scope=PEJERUK).in_scope("5271031006")
    assert not User(role="lurah", scope=PEJERUK).in_scope("5271031006")


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(SCOPED_ROLES))
def test_accounts_regions_and_tps(api_for, unscoped, verifier, role) -> None:
    user = unscoped(role)
    assert not regions_for(user).exists() and not tps_for(user).exists()
    assert api_for(user).get(f"/api/v1/regions/{PEJERUK}").status_code == 404
    assert api_for(user).get(f"/api/v1/tps/{PEJERUK_TPS}").status_code == 404
    assert api_for(verifier).get(f"/api/v1/regions/{PEJERUK}").status_code == 200


@pytest.mark.django_db
def test_incidents(api_for, client_for, unscoped, admin, verifier) -> None:
    report(api_for(admin))
    assert len(items(api_for(verifier).get("/api/v1/incidents"))) == 1
    for role in ("lurah", "camat", "operator"):
        assert items(api_for(unscoped(role)).get("/api/v1/incidents")) == []


@pytest.mark.django_db
def test_facilitation_requests(unscoped, admin, verifier) -> None:
    request = request_submit(
        actor=admin,
        kind="personel",
        description="Pengamanan gudang logistik",
        region=Region.objects.get(code=PEJERUK),
        needed_by=timezone.now() + dt.timedelta(days=2),
        requested_by_agency=Agency.objects.get(slug="kpu"),
    )
    assert requests_for(verifier).count() == 1 and can_see_request(verifier, request)
    for role in ("lurah", "camat", "operator"):
        user = unscoped(role)
        assert not requests_for(user).exists() and not can_see_request(user, request)


@pytest.mark.django_db
def test_health(api_for, make_user, unscoped, admin) -> None:
    nurse = make_user("pkm_ampenan", "health", "527101")
    created = api_for(nurse).post(
        "/api/v1/health/incidents",
        data=json.dumps(
            {
                "tps_code": PEJERUK_TPS,
                "person_role": "kpps",
                "condition": "dirawat",
                "occurred_at": "2024-02-14T22:15:00+08:00",
                "note": "Pingsan saat penghitungan suara",
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert len(items(api_for(admin).get("/api/v1/health/incidents"))) == 1
    assert items(api_for(admin).get("/api/v1/health/puskesmas"))
    for role in ("health", "lurah", "camat"):
        user = unscoped(role)
        assert items(api_for(user).get("/api/v1/health/incidents")) == []
        assert items(api_for(user).get("/api/v1/health/puskesmas")) == []


@pytest.mark.django_db
def test_stages(unscoped, verifier) -> None:
    assert kecamatan_for(verifier).count() >= 6
    for role in sorted(SCOPED_ROLES):
        assert not kecamatan_for(unscoped(role)).exists()


@pytest.mark.django_db
def test_results_nation_recap(api_for, unscoped, admin, verifier) -> None:
    """The nation's recap (region code "0") is for accounts that see every area."""
    url = "/api/v1/recap/ppwp/0"
    assert api_for(admin).get(url).status_code == 200
    assert api_for(verifier).get(url).status_code == 200
    assert api_for(unscoped("operator")).get(url).status_code == 404
