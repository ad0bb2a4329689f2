"""The pages offer a step exactly when the service accepts it: both ask incidents.rules."""

import pytest

from deskpemilu.incidents.models import FacilitationRequest, Incident
from deskpemilu.incidents.tests.helpers import post, report, step

HANDLE = b'name="action" value="ditangani"'
PROCESS = b'name="action" value="diproses"'


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", ["diverifikasi", "diteruskan", "ditangani", "selesai", "ditolak"]
)
def test_a_liaison_sees_the_handle_button_only_when_it_would_be_accepted(
    client_for, api_for, lurah, admin, polri, status
):
    incident = report(api_for(lurah))["id"]
    desk = api_for(admin)
    assert step(desk, incident, forward_to=["polri"]).status_code == 201
    assert step(desk, incident, status=status, note="desk").status_code == 201
    police = client_for(polri)
    shown = HANDLE in police.get(f"/kejadian/{incident}/").content
    police.post(f"/kejadian/{incident}/langkah/", {"action": "ditangani", "note": "Meluncur"})
    accepted = Incident.objects.get(pk=incident).status == "ditangani" and status != "ditangani"
    accepted = accepted or (status == "ditangani" and _noted(incident, "Meluncur"))
    assert shown == accepted
    assert shown == (status in ("diteruskan", "ditangani"))


def _noted(incident: int, text: str) -> bool:
    return Incident.objects.get(pk=incident).timeline.filter(note=text).exists()


@pytest.mark.django_db
def test_the_reporter_may_note_but_not_handle(client_for, api_for, lurah):
    incident = report(api_for(lurah))["id"]
    page = client_for(lurah).get(f"/kejadian/{incident}/").content
    assert b'id="answer"' in page and HANDLE not in page
    assert step(api_for(lurah), incident, status="ditangani").status_code == 403
    assert step(api_for(lurah), incident, note="Masih ramai").status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("final", ["dipenuhi", "ditolak"])
def test_the_assigned_liaison_may_answer_an_open_request_only(
    client_for, api_for, admin, make_user, polri, final
):
    kpu = make_user("kpu_liaison", "liaison", "", "kpu")
    made = post(
        api_for(kpu),
        "/api/v1/requests",
        {
            "kind": "keamanan",
            "description": "Pengamanan gudang logistik",
            "region_code": "527101",
            "needed_by": "2024-02-13T18:00:00+08:00",
            "requested_by_agency": "kpu",
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    desk = api_for(admin)
    events = f"/api/v1/requests/{pk}/events"
    assert post(desk, events, {"assign_to": "polri"}).status_code == 201
    police = client_for(polri)
    assert PROCESS in police.get(f"/kejadian/permintaan/{pk}/").content
    assert PROCESS not in client_for(kpu).get(f"/kejadian/permintaan/{pk}/").content
    assert post(desk, events, {"status": final}).status_code == 201
    assert PROCESS not in police.get(f"/kejadian/permintaan/{pk}/").content
    assert post(api_for(polri), events, {"status": "diproses"}).status_code == 409
    assert FacilitationRequest.objects.get(pk=pk).status == final
