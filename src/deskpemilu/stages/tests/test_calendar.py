"""The calendar of election stages (/tahapan/), with their status per kecamatan."""

from datetime import date, datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from deskpemilu.stages.models import Stage
from deskpemilu.stages.selectors import stages_today

URL = "/api/v1/stages"
WITA = timezone.get_fixed_timezone(8 * 60)


@pytest.fixture
def voting_day(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2024, 2, 14, 10, 0, tzinfo=WITA))


@pytest.mark.django_db
def test_it_seeds_the_pemilu_stages_in_order(api_for, viewer):
    stages = api_for(viewer).get(URL).json()
    codes = [s["code"] for s in stages]
    assert codes[0] == "logistik-gudang"
    assert (
        codes.index("distribusi-ppk")
        < codes.index("distribusi-pps")
        < codes.index("distribusi-tps")
        < codes.index("pemungutan")
        < codes.index("rekap-ppk")
        < codes.index("rekap-kota")
    )
    voting = next(s for s in stages if s["code"] == "pemungutan")
    assert (voting["starts_on"], voting["ends_on"]) == ("2024-02-14", "2024-02-14")
    assert len(voting["kecamatan"]) == 6
    assert voting["counts"] == {"belum": 6, "berjalan": 0, "selesai": 0, "bermasalah": 0}
    assert not any(s["election"] == "pilkada2024" for s in stages)  # not followed by default


@pytest.mark.django_db
def test_it_shows_the_desk_the_stages_not_followed(api_for, admin):
    stages = api_for(admin).get(URL, {"election": "pilkada2024"}).json()
    assert stages and all(not s["active"] for s in stages)
    assert "pilkada-pemungutan" in [s["code"] for s in stages]


@pytest.mark.django_db
def test_it_marks_todays_stages(api_for, viewer, voting_day):
    stages = api_for(viewer).get(URL, {"today_only": "true"}).json()
    assert [s["code"] for s in stages] == ["pemungutan", "penghitungan"]
    assert all(s["today"] for s in stages)
    other_day = api_for(viewer).get(URL, {"date": "2024-02-09", "today_only": "true"}).json()
    assert [s["code"] for s in other_day] == ["distribusi-ppk"]


@pytest.mark.django_db
def test_it_shows_a_camat_their_own_kecamatan(api_for, camat, lurah):
    stage = api_for(camat).get(f"{URL}/pemungutan").json()
    assert [k["kecamatan_code"] for k in stage["kecamatan"]] == ["527106"]
    # A lurah sees the kecamatan holding their kelurahan.
    stage = api_for(lurah).get(f"{URL}/pemungutan").json()
    assert [k["kecamatan_code"] for k in stage["kecamatan"]] == ["527101"]


@pytest.mark.django_db
def test_it_answers_404_for_unknown_or_unfollowed_stages(api_for, viewer, admin):
    assert api_for(viewer).get(f"{URL}/tidak-ada").status_code == 404
    assert api_for(viewer).get(f"{URL}/pilkada-pemungutan").status_code == 404
    assert api_for(admin).get(f"{URL}/pilkada-pemungutan").status_code == 200
    assert api_for(viewer).get(URL, {"election": "pemilu2099"}).status_code == 422


@pytest.mark.django_db
def test_it_lists_the_stages_in_few_queries(
    api_for, client_for, viewer, django_assert_max_num_queries
):
    client = api_for(viewer)
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200
    web = client_for(viewer)
    with django_assert_max_num_queries(12):
        assert web.get("/tahapan/").status_code == 200


@pytest.mark.django_db
def test_it_shows_the_calendar_page(client_for, viewer, voting_day):
    response = client_for(viewer).get("/tahapan/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kalender tahapan" in body
    assert "Tahapan hari ini" in body
    assert "Pemungutan suara" in body
    assert body.count('class="is-today') == 2
    assert "Sandubaya" in body and "Ampenan" in body
    assert 'class="cell belum"' in body


@pytest.mark.django_db
def test_it_shows_a_stage_page(client_for, viewer, camat):
    body = client_for(viewer).get("/tahapan/distribusi-ppk/").content.decode()
    assert "Distribusi logistik ke PPK" in body
    assert "Kamis, 8 Februari 2024" in body
    assert "Perbarui status" not in body  # viewers read
    assert "Perbarui status" in client_for(camat).get("/tahapan/distribusi-ppk/").content.decode()
    assert client_for(viewer).get("/tahapan/tidak-ada/").status_code == 404


@pytest.mark.django_db
def test_it_counts_todays_stages_for_the_situation_room(voting_day):
    today = stages_today()
    assert [t.stage.code for t in today] == ["pemungutan", "penghitungan"]
    assert today[0].total == 6 and today[0].counts["belum"] == 6
    assert stages_today(date(2024, 3, 10)) == []
    html = render_to_string("stages/_today.html", {"stages_today": today})
    assert "Tahapan hari ini" in html and "Pemungutan suara" in html


@pytest.mark.django_db
def test_it_keeps_stage_dates_ordered(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.create(
            code="x",
            name="x",
            election_id="pemilu2024",
            starts_on=date(2024, 2, 2),
            ends_on=date(2024, 2, 1),
        )
