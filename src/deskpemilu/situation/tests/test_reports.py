"""The daily report and the recap per kecamatan as PDF, and the situation's lists as XLSX:
generated on the server, their figures equal the API's, the audit head on every page, every
download recorded in the audit log."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from deskpemilu.audit.models import AuditEntry
from deskpemilu.audit.services import head
from deskpemilu.core.pdf import angka, tanggal
from deskpemilu.regions.models import Region
from deskpemilu.situation.reports.daily import daily_report_data
from deskpemilu.situation.tests.helpers import election_morning

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning(api_for, admin, verifier):
    return election_morning(api_for(admin), api_for(verifier))


def pdf_text(content: bytes) -> tuple[list[str], PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages], reader


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_it_formats_dates_and_numbers_in_indonesian():
    from datetime import date

    assert tanggal(date(2024, 2, 14)) == "Rabu, 14 Februari 2024"
    assert angka(315549) == "315.549"
    assert angka(72.456, 1) == "72,5"


def test_it_serves_the_daily_report_as_a_pdf(client_for, viewer, morning):
    response = client_for(viewer).get("/laporan/harian.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "laporan-harian-desk-pemilu-" in response["Content-Disposition"]
    pages, reader = pdf_text(response.content)
    everything = flat(" ".join(pages))
    assert "PEMERINTAH KOTA MATARAM — TIM DESK PEMILU 2024" in everything
    assert "LAPORAN HARIAN DESK PEMILU" in everything
    seq, digest = response["X-Audit-Head"].split(":")
    for text in pages:  # the audit head, N:HASH, in the footer of every page
        assert f"{seq}:{digest}" in flat(text)
    assert len(reader.pages) >= 2


def test_it_puts_the_api_figures_into_the_pdf(client_for, api_for, admin, morning):
    api = api_for(admin)
    region = Region.objects.get(code="5271")
    data = daily_report_data(admin, region)
    # The report's data equals the API's.
    by_contest = {r["contest"]: r for r in data["results"]}
    for contest in ("ppwp", "dpr", "dpd", "dprd-prov", "dprd-kabkota"):
        recap = api.get(f"/api/v1/recap/{contest}/5271").json()
        row = by_contest[contest]
        assert (row["tps_reported"], row["tps_verified"]) == (
            recap["tps_reported"],
            recap["tps_verified"],
        )
        assert (row["suara_sah"], row["suara_tidak_sah"]) == (
            recap["suara_sah"],
            recap["suara_tidak_sah"],
        )
        verified = api.get(f"/api/v1/recap/{contest}/5271?verified_only=true").json()
        assert row["verified_suara_sah"] == verified["suara_sah"]
    recap = api.get("/api/v1/recap/ppwp/5271").json()
    verified = api.get("/api/v1/recap/ppwp/5271?verified_only=true").json()
    assert {ln["key"]: ln["votes"] for ln in data["ppwp"]["lines"]} == recap["totals"]
    assert {ln["key"]: ln["verified"] for ln in data["ppwp"]["lines"]} == verified["totals"]
    readiness = api.get("/api/v1/readiness/summary/5271").json()
    assert data["readiness"]["tps_ready"] == readiness["tps_ready"]
    assert [(c["code"], c["tps_ready"]) for c in data["readiness"]["children"]] == [
        (c["code"], c["tps_ready"]) for c in readiness["children"]
    ]
    for severity, n in data["incidents"]["by_severity"].items():
        listed = api.get(f"/api/v1/incidents?status=terbuka&severity={severity}").json()
        assert n == listed["count"]
    requests = api.get("/api/v1/requests?status=terbuka").json()
    assert data["requests"]["open_total"] == requests["count"]
    assert data["requests"]["overdue"] == sum(1 for r in requests["items"] if r["due"] == "lewat")
    health = api.get("/api/v1/health/summary").json()
    assert data["health"]["totals"] == health["totals"]

    # The PDF is drawn from that data: its figures are in the text.
    response = client_for(admin).get("/laporan/harian.pdf")
    pages, _reader = pdf_text(response.content)
    everything = flat(" ".join(pages))
    for line in data["ppwp"]["lines"]:
        assert angka(line["votes"]) in everything
        assert line["label"] in everything
    assert f"Jumlah suara sah {angka(recap['suara_sah'])}" in everything
    ppwp = by_contest["ppwp"]
    assert f"PPWP {angka(ppwp['tps_total'])} {angka(ppwp['tps_reported'])}" in everything
    for child in readiness["children"]:
        assert (
            f"{child['name']} {angka(child['tps_total'])} {angka(child['tps_reported'])} "
            f"{angka(child['tps_ready'])}" in everything
        )
    assert f"Terbuka {angka(data['incidents']['open_total'])}," in everything
    assert "Kritis 1" in everything
    assert f"Terbuka {angka(data['requests']['open_total'])} (diajukan" in everything
    assert "Dirawat" in everything
    assert data["date"] in everything


def test_it_draws_the_map_in_the_pdf(client_for, admin, morning):
    response = client_for(admin).get("/laporan/harian.pdf")
    pages, reader = pdf_text(response.content)
    everything = flat(" ".join(pages))
    assert "Peta kesiapan TPS per kelurahan" in everything
    for kecamatan in ("Ampenan", "Cakranegara", "Sandubaya", "Sekarbela", "Selaparang"):
        assert kecamatan in everything
    assert "semua TPS siap" in everything  # the legend
    # The fifty kelurahan are filled paths (even-odd, so holes stay holes).
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert content.count(b"h\nB*\n") >= 50


def test_it_labels_the_tables_in_the_readers_language(client_for, admin, morning):
    web = client_for(admin)
    web.cookies["django_language"] = "en"
    everything = flat(" ".join(pdf_text(web.get("/laporan/harian.pdf").content)[0]))
    for english in ("Summary", "Ballot", "Reported", "Valid votes (verified)", "< 1 hour"):
        assert english in everything, english
    for indonesian in ("Ringkasan", "Masuk", "Suara sah (terverifikasi)", "< 1 jam"):
        assert indonesian not in everything, indonesian
    recap = flat(" ".join(pdf_text(web.get("/laporan/rekap-527101.pdf").content)[0]))
    assert "TPS reported" in recap and "Valid votes" in recap
    assert "TPS masuk" not in recap


def test_it_records_each_report_in_the_audit_log(client_for, admin):
    web = client_for(admin)
    before, _ = head()
    response = web.get("/laporan/harian.pdf")
    entry = AuditEntry.objects.get(seq=before + 1)
    assert entry.action == "report.export"
    assert entry.payload["kind"] == "laporan-harian"
    assert entry.payload["audit_seq_in_file"] == before
    import hashlib

    assert entry.payload["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_it_keeps_the_daily_report_to_the_desk(client_for, lurah, camat, operator):
    for user in (lurah, camat, operator):
        assert client_for(user).get("/laporan/harian.pdf").status_code == 403


def test_it_recaps_a_kecamatan_as_a_pdf(client_for, api_for, admin, morning):
    response = client_for(admin).get("/laporan/rekap-527101.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    pages, _ = pdf_text(response.content)
    everything = flat(" ".join(pages))
    assert "KECAMATAN AMPENAN" in everything
    recap = api_for(admin).get("/api/v1/recap/ppwp/527101").json()
    for child in recap["children"]:
        assert child["name"] in everything
    assert f"Suara sah {angka(recap['children'][0]['suara_sah'])}" in everything
    assert "Presiden dan Wakil Presiden" in everything
    assert "Kepala" not in everything or "kepala rantai audit" in everything


def test_it_gives_a_camat_their_own_kecamatan_only(client_for, camat, lurah):
    web = client_for(camat)
    assert web.get("/laporan/rekap-527106.pdf").status_code == 200
    assert web.get("/laporan/rekap-527101.pdf").status_code == 403
    assert client_for(lurah).get("/laporan/rekap-527101.pdf").status_code == 403
    assert web.get("/laporan/rekap-5271061001.pdf").status_code == 404  # not a kecamatan


def test_it_exports_the_lists_as_xlsx(client_for, admin, morning):
    response = client_for(admin).get("/laporan/situasi.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert {"Hasil", "PPWP", "Kesiapan", "Kejadian terbuka", "Permintaan terbuka", "Info"} <= set(
        book.sheetnames
    )
    assert book["Kejadian terbuka"].max_row == 1 + 4
    assert book["Permintaan terbuka"].max_row == 1 + 2
    info = [[c.value for c in row] for row in book["Info"].iter_rows()]
    assert ["Kepala rantai audit", response["X-Audit-Head"]] in info


def test_it_lists_the_reports(client_for, verifier):
    page = client_for(verifier).get("/laporan/").content.decode()
    assert "/laporan/harian.pdf" in page
    assert "/laporan/rekap-527101.pdf" in page
    assert "/laporan/situasi.xlsx" in page
