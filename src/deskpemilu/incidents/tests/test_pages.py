"""The pages: board, quick report, detail with its actions, requests, export."""

import io

import pytest
from openpyxl import load_workbook
from PIL import Image

from deskpemilu.audit.models import AuditEntry
from deskpemilu.incidents.models import Incident, IncidentPhoto
from deskpemilu.incidents.tests.helpers import PEJERUK, report, step


def jpeg(colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "kejadian.jpg"
    return buffer


@pytest.mark.django_db
def test_the_board_shows_open_incidents_worst_first(client_for, api_for, lurah, admin):
    reporter = api_for(lurah)
    low = report(reporter, severity="rendah")["number"]
    critical = report(reporter, severity="kritis", lat=-8.58, lon=116.09)["number"]
    page = client_for(admin).get("/kejadian/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(critical) < html.index(low)
    assert "<svg" in html and 'data-code="kjd-' in html  # a marker at the reported position
    assert 'data-code="kel-5271011006"' in html  # the other one at Pejeruk's label point


@pytest.mark.django_db
def test_overdue_incidents_are_highlighted(client_for, api_for, lurah, admin):
    from datetime import timedelta

    from django.utils import timezone

    number = report(api_for(lurah), severity="kritis")["number"]
    Incident.objects.filter(number=number).update(
        reported_at=timezone.now() - timedelta(minutes=20)
    )
    html = client_for(admin).get("/kejadian/?overdue=1").content.decode()
    assert number in html and "belum ditanggapi" in html
    assert "overdue" in html


@pytest.mark.django_db
def test_a_lurah_reports_from_the_form(client_for, lurah):
    client = client_for(lurah)
    form = client.get("/kejadian/lapor/")
    assert form.status_code == 200
    assert b"report.js" in form.content and b"<script>" not in form.content
    response = client.post(
        "/kejadian/lapor/",
        {
            "category": "keamanan",
            "severity": "tinggi",
            "kelurahan": PEJERUK,
            "tps": "1",
            "occurred_at": "2024-02-14T08:15",
            "description": "Kerumunan di depan TPS",
            "lat": "-8.5801",
            "lon": "116.0912",
            "foto": [jpeg()],
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kejadian/{incident.pk}/"
    assert incident.tps_id == "5271011006001" and incident.lat == -8.5801
    assert IncidentPhoto.objects.filter(incident=incident).count() == 1
    detail = client.get(response["Location"])
    assert b"Kerumunan di depan TPS" in detail.content
    photo = IncidentPhoto.objects.get()
    image = client.get(f"/kejadian/{incident.pk}/foto/{photo.sha256}.jpg")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


@pytest.mark.django_db
def test_the_form_refuses_a_tps_that_does_not_exist(client_for, lurah):
    response = client_for(lurah).post(
        "/kejadian/lapor/",
        {
            "category": "keamanan",
            "severity": "tinggi",
            "kelurahan": PEJERUK,
            "tps": "777",
            "occurred_at": "2024-02-14T08:15",
            "description": "x",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "TPS tidak ditemukan" in html
    # Summed up above the form, focused, linked to the box.
    summary = html.split('id="ringkasan-masalah"')[1].split("</div>")[0]
    assert "Laporan belum dikirim: 1 masalah" in summary and "autofocus" in summary
    assert 'href="#id_tps"' in summary
    assert html.index('id="ringkasan-masalah"') < html.index('id="report-form"')
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_the_desk_acts_from_the_detail_page(client_for, api_for, lurah, admin, polri):
    incident = report(api_for(lurah))["id"]
    desk = client_for(admin)
    url = f"/kejadian/{incident}/langkah/"
    desk.post(url, {"action": "diverifikasi", "expected_status": "baru", "note": "cek"})
    desk.post(
        url, {"action": "diteruskan", "agencies": ["polri"], "expected_status": "diverifikasi"}
    )
    assert Incident.objects.get(pk=incident).status == "diteruskan"
    police = client_for(polri)
    assert b"Sedang ditangani" in police.get(f"/kejadian/{incident}/").content
    police.post(url, {"action": "ditangani", "note": "Meluncur", "expected_status": "diteruskan"})
    desk.post(url, {"action": "selesai", "expected_status": "ditangani"})
    detail = desk.get(f"/kejadian/{incident}/").content.decode()
    for word in ("diverifikasi", "Diteruskan", "Meluncur", "Selesai"):
        assert word in detail


@pytest.mark.django_db
def test_a_stale_form_is_told_not_applied(client_for, api_for, lurah, admin, make_user):
    incident = report(api_for(lurah))["id"]
    other = make_user("admin_desk_2", "admin")
    client_for(admin).post(
        f"/kejadian/{incident}/langkah/", {"action": "selesai", "expected_status": "baru"}
    )
    response = client_for(other).post(
        f"/kejadian/{incident}/langkah/",
        {"action": "ditolak", "expected_status": "baru"},
        follow=True,
    )
    assert "baru saja diubah oleh orang lain" in response.content.decode()
    assert Incident.objects.get(pk=incident).status == "selesai"


@pytest.mark.django_db
def test_a_viewer_reads_but_cannot_act(client_for, api_for, lurah, viewer):
    incident = report(api_for(lurah))["id"]
    client = client_for(viewer)
    assert client.get(f"/kejadian/{incident}/").status_code == 200
    assert client.get("/kejadian/lapor/").status_code == 403
    response = client.post(f"/kejadian/{incident}/langkah/", {"action": "catatan", "note": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_export_is_xlsx_with_the_audit_head(client_for, api_for, lurah, admin):
    from django.utils import timezone

    from deskpemilu.incidents.services import next_number

    first = report(api_for(lurah))
    step(api_for(admin), first["id"], forward_to=["polri"])
    base = Incident.objects.get(pk=first["id"])
    now = timezone.now()
    clones = []
    from django.db import transaction

    with transaction.atomic():
        for _ in range(299):
            clones.append(
                Incident(
                    number=next_number("KJD", now),
                    election_id=base.election_id,
                    category="logistik",
                    severity="sedang",
                    region_id=base.region_id,
                    occurred_at=now,
                    reported_at=now,
                    description="Kotak suara kurang",
                    reporter=lurah,
                    updated_at=now,
                )
            )
        Incident.objects.bulk_create(clones)
    response = client_for(admin).get("/kejadian/ekspor.xlsx?status=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book["kejadian"].values)
    assert rows[0][0] == "nomor" and len(rows) == 301
    assert rows[1][0] == first["number"] and rows[1][12] == "polri"
    info = {r[0]: r[1:] for r in book["info"].values}
    assert info["jumlah kejadian"][0] == 300
    seq = int(response["X-Audit-Head"].split(":")[0])
    assert info["kepala rantai audit"][0] == response["X-Audit-Head"]  # N:HASH
    assert info["kepala rantai audit"][0].startswith(f"{seq}:")
    entry = AuditEntry.objects.get(action="incident.export")
    assert entry.payload["rows"] == 300


@pytest.mark.django_db
def test_the_board_reads_in_constant_queries(client_for, api_for, lurah, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reporter, desk_api, desk = api_for(lurah), api_for(admin), client_for(admin)
    desk.get("/")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert desk.get("/kejadian/").status_code == 200
        return len(queries)

    step(desk_api, report(reporter)["id"], forward_to=["polri"])
    small = count()
    for _ in range(5):
        step(desk_api, report(reporter, lat=-8.58, lon=116.09)["id"], forward_to=["tni"])
    assert count() == small


@pytest.mark.django_db
def test_the_requests_page(client_for, admin, make_user):
    kpu = make_user("kpu_liaison", "liaison", "", "kpu")
    client = client_for(kpu)
    assert client.get("/kejadian/permintaan/").status_code == 200
    response = client.post(
        "/kejadian/permintaan/",
        {
            "kind": "listrik",
            "description": "Genset untuk gudang logistik PPK",
            "region": "527101",
            "needed_by": "2024-02-13T18:00",
            "requested_by_agency": "kpu",
            "requested_by_unit": "PPK Ampenan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    desk = client_for(admin)
    listing = desk.get("/kejadian/permintaan/").content.decode()
    assert "Genset untuk gudang" in listing and "lewat tenggat" in listing
    pk = response["Location"].rstrip("/").split("/")[-1]
    desk.post(f"/kejadian/permintaan/{pk}/langkah/", {"action": "tugaskan", "assign_to": "bpbd"})
    assert "BPBD" in desk.get(f"/kejadian/permintaan/{pk}/").content.decode().upper()


@pytest.mark.django_db
def test_it_names_agencies_not_slugs(client_for, api_for, lurah, admin):
    incident = report(api_for(lurah))["id"]
    desk = client_for(admin)
    desk.post(
        f"/kejadian/{incident}/langkah/", {"action": "diverifikasi", "expected_status": "baru"}
    )
    desk.post(
        f"/kejadian/{incident}/langkah/",
        {"action": "diteruskan", "agencies": ["polri"], "expected_status": "diverifikasi"},
    )
    detail = desk.get(f"/kejadian/{incident}/").content.decode()
    timeline = detail.split('id="timeline"')[1].split("</ol>")[0]
    assert "Polri (Polresta Mataram)" in timeline
    assert '<span class="agency">polri</span>' not in detail
    board = desk.get("/kejadian/").content.decode()
    assert "Polri (Polresta Mataram)" in board
