"""The situation room: `/` and /situasi/ for the desk, the leaders and the verifiers; the
numbers it shows equal the API's; few queries; the map by the chosen measure; everyone else
keeps their own home."""

from __future__ import annotations

import re

import pytest

from deskpemilu.situation.tests.helpers import PEJERUK, election_morning, tps_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning(api_for, admin, verifier):
    return election_morning(api_for(admin), api_for(verifier))


def text(response) -> str:
    return response.content.decode()


def test_it_shows_the_situation_room_at_home_to_the_desk(client_for, admin, viewer, verifier):
    for user in (admin, viewer, verifier):
        response = client_for(user).get("/")
        assert response.status_code == 200
        assert "situation/room.html" in [t.name for t in response.templates]
        assert 'id="sit-live" data-live' in text(response)
        assert "/static/deskpemilu/live.js" in text(response)  # the recap's poller too


def test_it_keeps_their_own_home_for_other_roles(client_for, lurah, operator, camat, polri):
    for user in (lurah, operator, camat, polri):
        response = client_for(user).get("/")
        assert response.status_code == 200
        assert "situation/home.html" in [t.name for t in response.templates]
        assert "sit-live" not in text(response)
        assert client_for(user).get("/situasi/").status_code == 403
    camat_home = text(client_for(camat).get("/"))
    assert "/laporan/rekap-527106.pdf" in camat_home
    assert "/kesiapan/" in text(client_for(lurah).get("/"))


def test_it_sends_a_visitor_to_sign_in(client):
    response = client.get("/situasi/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_it_shows_the_numbers_of_the_api(client_for, api_for, admin, morning):
    page = text(client_for(admin).get("/situasi/"))
    api = api_for(admin)
    recap = api.get("/api/v1/recap/ppwp/5271").json()
    verified = api.get("/api/v1/recap/ppwp/5271?verified_only=true").json()
    assert recap["tps_reported"] == 6 and recap["tps_verified"] == 4
    assert re.search(rf'data-testid="reported-ppwp">{recap["tps_reported"]}<', page)
    assert re.search(rf'data-testid="verified-ppwp">{recap["tps_verified"]}<', page)
    for key, votes in recap["totals"].items():
        shown = f"{votes:,}".replace(",", ".")
        assert re.search(rf'data-testid="ppwp-{key}">{shown}<', page), (key, votes)
    assert verified["totals"] != recap["totals"]  # two entered sheets are not verified yet
    summary = api.get("/api/v1/readiness/summary/5271").json()
    assert summary["tps_ready"] == 3
    percent = f"{summary['percent_ready']:.1f}".replace(".", ",")
    assert f'data-testid="readiness-percent">{percent}%' in page
    open_ = api.get("/api/v1/incidents?status=terbuka").json()["count"]
    assert f'data-testid="incidents-open">{open_}<' in page
    for severity in ("kritis", "tinggi", "sedang", "rendah"):
        n = api.get(f"/api/v1/incidents?status=terbuka&severity={severity}").json()["count"]
        assert f'data-testid="severity-{severity}">{n}<' in page
    requests_open = api.get("/api/v1/requests?status=terbuka").json()["count"]
    assert f'data-testid="requests-open">{requests_open}<' in page
    health = api.get("/api/v1/health/summary").json()["totals"]
    assert f'data-testid="health-total">{health["total"]}<' in page


def test_it_shows_the_last_change_and_the_audit_head(client_for, admin, morning):
    from deskpemilu.audit.services import head

    web = client_for(admin)  # signing in is itself an audit entry
    seq, digest = head()
    page = text(web.get("/situasi/"))
    assert f"{seq}:{digest}" in page
    assert "Perubahan terakhir" in page


def test_it_reads_few_queries(client_for, admin, morning, django_assert_max_num_queries):
    web = client_for(admin)
    web.get("/situasi/")  # warm the per-process contest cache
    for measure in ("kesiapan", "hasil", "partisipasi", "kejadian"):
        # 30, and one for which election is active (read fresh: the desk may switch it).
        with django_assert_max_num_queries(31):
            assert web.get(f"/situasi/?peta={measure}").status_code == 200


def test_it_draws_the_map_by_the_chosen_measure(client_for, admin, morning):
    web = client_for(admin)
    ready = text(web.get("/situasi/?peta=kesiapan"))
    pejeruk = re.search(rf'<a href="/wilayah/{PEJERUK}/"><title>([^<]*)</title><path[^>]*', ready)
    assert pejeruk is not None
    assert "3 dari" in pejeruk.group(1)
    assert len(re.findall(r'<path d="[^"]+" fill="#[0-9a-f]{6}"', ready)) == 50
    turnout = text(web.get("/situasi/?peta=partisipasi"))
    assert "partisipasi" in turnout and "surat suara digunakan" in turnout
    incidents = text(web.get("/situasi/?peta=kejadian"))
    assert "terberat: kritis" in incidents
    reported = text(web.get("/situasi/?peta=hasil"))
    assert "TPS melapor PPWP" in reported
    assert text(web.get("/situasi/?peta=apa")).count('aria-current="true"') >= 1


def test_it_links_each_kelurahan_to_its_tps(client_for, admin):
    page = text(client_for(admin).get("/situasi/"))
    links = set(re.findall(r'<a href="/wilayah/(\d{10})/"><title>', page))
    assert len(links) == 50
    region = client_for(admin).get(f"/wilayah/{PEJERUK}/")
    assert tps_of(PEJERUK, 1)[0] in text(region)


def test_it_includes_duty_actions_and_stages(client_for, viewer):
    page = text(client_for(viewer).get("/situasi/"))
    assert 'class="card on-duty"' in page
    assert 'class="card action-items"' in page
    assert 'class="card stages-today"' in page


def test_it_leaves_health_out_for_a_verifier(client_for, verifier, admin, morning):
    assert 'data-testid="health"' not in text(client_for(verifier).get("/situasi/"))
    assert 'data-testid="health"' in text(client_for(admin).get("/situasi/"))


def test_it_reads_well_on_a_phone_and_a_big_screen(client_for, admin):
    """The layout is CSS (checked in the browser suite); here: the viewport meta and the
    stylesheet, no inline script."""
    page = text(client_for(admin).get("/situasi/"))
    assert 'name="viewport"' in page
    assert "situation/situation.css" in page
    assert "<script>" not in page and "<script " in page


def test_a_field_home_starts_with_the_days_tasks_and_names_the_area(client_for, operator):
    html = client_for(operator).get("/").content.decode()
    assert "Kelurahan Ampenan Selatan" in html and "(5271011004)" in html
    tasks = html.split('data-testid="day-tasks"')[1].split("</section>")[0]
    assert html.index('data-testid="day-tasks"') < html.index('data-testid="home-links"')
    assert "Tugas hari ini" in tasks
    assert "Lembar C.Hasil belum dientri" in tasks and 'href="/hasil/"' in tasks
    assert "TPS belum siap" in tasks


def test_a_liaison_home_lists_what_waits_for_their_agency(client_for, polri):
    tasks = client_for(polri).get("/").content.decode().split('data-testid="day-tasks"')[1]
    assert "Kejadian diteruskan ke instansi Anda, belum ditangani" in tasks
