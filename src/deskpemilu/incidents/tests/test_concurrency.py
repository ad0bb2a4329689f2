"""Two desk staff acting on one incident at once never overwrite each other."""

import pytest

from deskpemilu.incidents import services, workflow
from deskpemilu.incidents.models import Incident, TimelineEvent
from deskpemilu.incidents.tests.helpers import report, step


@pytest.fixture
def admin2(make_user):
    return make_user("admin_desk_2", "admin")


@pytest.mark.django_db
def test_a_stale_version_answers_409(api_for, lurah, admin, admin2):
    incident = report(api_for(lurah))["id"]
    first, second = api_for(admin), api_for(admin2)
    seen = first.get(f"/api/v1/incidents/{incident}")
    version = seen.json()["version"]
    assert seen["ETag"] == f'"{version}"'
    # Both read version 1; the first to act wins, the second is told instead of overwriting.
    assert step(first, incident, status="selesai", if_match=version).status_code == 201
    stale = step(second, incident, status="ditolak", if_match=version)
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "versi_bukan_terkini"
    assert Incident.objects.get(pk=incident).status == "selesai"


@pytest.mark.django_db
def test_a_stale_expected_status_answers_409(api_for, lurah, admin, admin2):
    incident = report(api_for(lurah))["id"]
    ok = step(api_for(admin), incident, status="diverifikasi", expected_status="baru")
    assert ok.status_code == 201
    late = step(api_for(admin2), incident, status="ditolak", expected_status="baru")
    assert late.status_code == 409
    assert late.json()["errors"][0]["code"] == "status_berubah"
    statuses = TimelineEvent.objects.filter(incident_id=incident).values_list("status", flat=True)
    assert list(statuses) == ["baru", "diverifikasi"]


@pytest.mark.django_db
def test_the_check_reads_the_locked_row_not_the_callers_copy(api_for, lurah, admin, admin2):
    """The service is handed an incident read before the other's step: it re-reads under the
    lock, so the stale copy cannot carry an old status or version back into the row."""
    incident_id = report(api_for(lurah))["id"]
    stale_copy = Incident.objects.get(pk=incident_id)
    workflow.incident_step(
        actor=admin,
        incident=Incident.objects.get(pk=incident_id),
        step=workflow.Step(status="selesai"),
    )
    with pytest.raises(services.IncidentError) as refused:
        workflow.incident_step(
            actor=admin2,
            incident=stale_copy,
            step=workflow.Step(status="ditolak", if_match=stale_copy.version),
        )
    assert refused.value.status == 409
    # Without a precondition the second step is applied on top, and both stay in the timeline.
    workflow.incident_step(actor=admin2, incident=stale_copy, step=workflow.Step(note="cek"))
    current = Incident.objects.get(pk=incident_id)
    assert current.status == "selesai" and current.version == 3


@pytest.mark.django_db
def test_if_match_must_be_a_number(api_for, lurah, admin):
    incident = report(api_for(lurah))["id"]
    response = step(api_for(admin), incident, status="selesai", if_match="abc")
    assert response.status_code == 422
    # "²" passes str.isdigit() but not int(): once a 500 (found by fuzzing).
    for value in ("²", '"³"', "1²"):
        response = step(api_for(admin), incident, status="selesai", if_match=value)
        assert response.status_code == 422, (value, response.content)
        assert response.json()["errors"][0]["field"] == "If-Match"
