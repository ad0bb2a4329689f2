"""Who is on duty at the Posko now, including the night shift across midnight (WITA)."""

from datetime import UTC, date, datetime

import pytest

from deskpemilu.accounts.models import Agency
from deskpemilu.team.models import DutyAssignment, Shift, TeamMember
from deskpemilu.team.selectors import current_shifts, on_duty_now
from deskpemilu.team.tests.conftest import wita

URL = "/api/v1/team/on-duty"


@pytest.fixture
def night_watch(db):
    """Yusuf on the night shift of 4 March 2024 (23.00 on the 4th to 07.00 on the 5th)."""
    member = TeamMember.objects.create(
        name="Yusuf Maulana", agency=Agency.objects.get(slug="diskominfo"), team_role="operator"
    )
    DutyAssignment.objects.create(
        date=date(2024, 3, 4), shift=Shift.objects.get(code="malam"), member=member
    )
    return member


def names(at):
    return [d.member.name for d in on_duty_now(at)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "on_duty"),
    [
        (wita(2024, 3, 4, 22, 59), False),
        (wita(2024, 3, 4, 23, 0), True),
        (wita(2024, 3, 5, 0, 30), True),  # after midnight: yesterday's night shift
        (wita(2024, 3, 5, 6, 59), True),
        (wita(2024, 3, 5, 7, 0), False),
        (wita(2024, 3, 5, 23, 30), False),  # the next night is another duty date
        (datetime(2024, 3, 4, 17, 30, tzinfo=UTC), True),  # 01.30 WITA on the 5th
    ],
)
def test_it_follows_the_night_shift_across_midnight(night_watch, moment, on_duty):
    assert ("Yusuf Maulana" in names(moment)) is on_duty


@pytest.mark.django_db
def test_it_names_the_running_shift_and_its_duty_date(db):
    running = current_shifts(wita(2024, 3, 5, 2, 0))
    assert [(d, s.code) for d, s in running] == [(date(2024, 3, 4), "malam")]
    assert [s.code for _d, s in current_shifts(wita(2024, 3, 5, 15, 0))] == ["siang"]


@pytest.mark.django_db
def test_it_leaves_out_inactive_members(night_watch):
    night_watch.active = False
    night_watch.save()
    assert names(wita(2024, 3, 5, 1, 0)) == []


@pytest.mark.django_db
def test_it_answers_on_the_api(api_for, viewer, night_watch):
    response = api_for(viewer).get(URL, {"at": "2024-03-05T01:00:00+08:00"})
    assert response.status_code == 200
    data = response.json()
    assert data["shifts"] == [
        {
            "date": "2024-03-04",
            "shift": "malam",
            "starts": "2024-03-04T23:00:00+08:00",
            "ends": "2024-03-05T07:00:00+08:00",
        }
    ]
    assert [p["name"] for p in data["on_duty"]] == ["Yusuf Maulana"]
    assert data["on_duty"][0]["agency"]["slug"] == "diskominfo"


@pytest.mark.django_db
def test_it_takes_a_time_without_offset_as_wita(api_for, viewer, night_watch):
    data = api_for(viewer).get(URL, {"at": "2024-03-05T01:00:00"}).json()
    assert [p["name"] for p in data["on_duty"]] == ["Yusuf Maulana"]


@pytest.mark.django_db
def test_it_uses_the_clock_by_default(api_for, viewer, freeze):
    freeze(wita(2024, 2, 14, 9, 0))  # voting day, morning shift of the demo roster
    data = api_for(viewer).get(URL).json()
    assert [s["shift"] for s in data["shifts"]] == ["pagi"]
    assert len(data["on_duty"]) == 2


@pytest.mark.django_db
def test_it_refuses_a_bad_time(api_for, viewer):
    assert api_for(viewer).get(URL, {"at": "jam sembilan"}).status_code == 422


@pytest.mark.django_db
def test_it_shows_who_is_on_duty_on_the_team_page(client_for, viewer, night_watch, freeze):
    freeze(wita(2024, 3, 5, 3, 0))
    body = client_for(viewer).get("/tim/").content.decode()
    assert "Piket posko sekarang" in body
    assert "Yusuf Maulana" in body


@pytest.mark.django_db
def test_it_says_when_nobody_is_on_duty(client_for, viewer, freeze):
    freeze(wita(2024, 2, 16, 23, 30))  # the demo roster's gap
    body = client_for(viewer).get("/tim/").content.decode()
    assert "Tidak ada petugas piket" in body
