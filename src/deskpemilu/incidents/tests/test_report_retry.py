"""POST /api/v1/incidents with an Idempotency-Key: a report queued offline and sent again after
a lost answer is one incident."""

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.incidents.models import Incident
from deskpemilu.incidents.tests.helpers import body, post

URL = "/api/v1/incidents"


@pytest.mark.django_db
def test_it_answers_a_retry_with_the_first_incident(api_for, lurah):
    client = api_for(lurah)
    first = post(client, URL, body(), **{"Idempotency-Key": "a1b2c3"})
    again = post(client, URL, body(), **{"Idempotency-Key": "a1b2c3"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Incident.objects.count() == 1
    assert AuditEntry.objects.filter(action="incident.report").count() == 1


@pytest.mark.django_db
def test_it_refuses_the_key_with_another_report(api_for, lurah):
    client = api_for(lurah)
    post(client, URL, body(), **{"Idempotency-Key": "k-1"})
    other = post(client, URL, body(description="Lain."), **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "kunci_idempotensi_dipakai"
    assert Incident.objects.count() == 1


@pytest.mark.django_db
def test_it_keeps_each_reporters_keys_apart(api_for, lurah, admin):
    post(api_for(lurah), URL, body(), **{"Idempotency-Key": "same"})
    response = post(api_for(admin), URL, body(), **{"Idempotency-Key": "same"})
    assert response.status_code == 201
    assert Incident.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["x" * 65, "a b", "kunci\u00e9"])
def test_it_refuses_a_malformed_key(api_for, lurah, key):
    response = post(api_for(lurah), URL, body(), **{"Idempotency-Key": key})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "kunci_idempotensi_tidak_valid"
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_it_reports_twice_without_a_key(api_for, lurah):
    client = api_for(lurah)
    post(client, URL, body())
    post(client, URL, body())
    assert Incident.objects.count() == 2


@pytest.mark.django_db
def test_two_sends_of_one_key_at_once_make_one_incident(api_for, lurah, monkeypatch):
    """The second request looked before the first had stored (the race): the database's
    constraint refuses its insert, and it answers the first request's incident."""
    from deskpemilu.incidents import reports

    first = post(api_for(lurah), URL, body(), **{"Idempotency-Key": "race-1"}).json()
    real = reports._reported_once
    calls = []

    def looked_too_early(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(reports, "_reported_once", looked_too_early)
    second = post(api_for(lurah), URL, body(), **{"Idempotency-Key": "race-1"})
    assert second.status_code == 201 and second.json()["id"] == first["id"]
    assert len(calls) == 2
    assert Incident.objects.count() == 1
    assert AuditEntry.objects.filter(action="incident.report").count() == 1
