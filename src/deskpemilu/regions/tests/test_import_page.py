"""The desk's TPS import page (/wilayah/impor/): admin only, the same service as the command."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from deskpemilu.audit.models import AuditEntry
from deskpemilu.regions import forms
from deskpemilu.regions.models import Tps

from .conftest import EXISTING, GOOD_ROWS, NEW, csv_bytes, snapshot, xlsx_bytes

URL = "/wilayah/impor/"


def upload(client: Client, name: str, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def test_it_shows_the_form(client_for, admin):
    response = client_for(admin).get(URL)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "make"), [("tps.csv", csv_bytes), ("tps.xlsx", xlsx_bytes)], ids=["csv", "xlsx"]
)
def test_it_imports(client_for, admin, name, make):
    data = make(GOOD_ROWS)
    response = upload(client_for(admin), name, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Impor berhasil" in page
    assert "TPS baru<b>1</b>" in page
    assert "TPS diubah<b>1</b>" in page
    assert "Tidak berubah<b>0</b>" in page
    assert hashlib.sha256(data).hexdigest() in page
    assert Tps.objects.get(code=EXISTING).dpt_l == 120
    assert Tps.objects.filter(code=NEW).exists()


def test_it_records_who_imported(client_for, admin):
    upload(client_for(admin), "tps.csv", csv_bytes(GOOD_ROWS))
    entry = AuditEntry.objects.filter(action="tps.import").latest("seq")
    assert entry.actor == admin
    assert entry.payload["source"] == "web"


def test_it_lists_every_problem_and_writes_nothing(client_for, admin):
    before = snapshot()
    rows = [
        *GOOD_ROWS,
        ["5271011004002", "2", "=1+1", "x", "10", "", ""],
        ["5271011999001", "1", "", "10", "10", "", ""],
    ]
    response = upload(client_for(admin), "tps.csv", csv_bytes(rows))
    page = response.content.decode()
    assert "Impor dibatalkan" in page
    assert "rumus/formula tidak diterima" in page
    assert '<td class="num">4</td><td><code>dpt_l</code></td>' in page
    assert '<td class="num">4</td><td><code>alamat</code></td>' in page
    assert "Impor berhasil" not in page
    assert snapshot() == before


def test_it_refuses_unknown_kelurahan(client_for, admin):
    before = snapshot()
    rows = [*GOOD_ROWS, ["5271011999001", "1", "", "10", "10", "", ""]]
    page = upload(client_for(admin), "tps.csv", csv_bytes(rows)).content.decode()
    assert "kelurahan 5271011999 tidak ada di data wilayah" in page
    assert snapshot() == before


def test_it_refuses_latin1(client_for, admin):
    data = "kode_tps,nomor,alamat,dpt_l,dpt_p,lat,lon\n5271011004001,1,Café,1,1,,\n"
    page = upload(client_for(admin), "tps.csv", data.encode("latin-1")).content.decode()
    assert "bukan teks UTF-8" in page


def test_it_refuses_a_damaged_xlsx(client_for, admin):
    page = upload(client_for(admin), "tps.xlsx", b"PK\x03\x04 bukan xlsx").content.decode()
    assert "Berkas XLSX tidak dapat dibaca" in page


def test_it_refuses_other_formats(client_for, admin):
    page = upload(client_for(admin), "tps.txt", csv_bytes(GOOD_ROWS)).content.decode()
    assert "Format berkas harus .csv atau .xlsx" in page
    assert not Tps.objects.filter(code=NEW).exists()


def test_it_refuses_an_oversized_file_while_it_streams(client_for, admin, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 100)
    page = upload(client_for(admin), "tps.csv", csv_bytes(GOOD_ROWS)).content.decode()
    assert "Berkas lebih dari 0 MB; tidak diproses" in page
    assert not Tps.objects.filter(code=NEW).exists()


def test_it_keeps_csrf_protection(admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = upload(client, "tps.csv", csv_bytes(GOOD_ROWS))
    assert response.status_code == 403
    assert not Tps.objects.filter(code=NEW).exists()


@pytest.mark.parametrize("who", ["operator", "lurah", "camat", "viewer", "polri", "verifier"])
def test_it_is_for_the_desk_only(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert upload(client, "tps.csv", csv_bytes(GOOD_ROWS)).status_code == 403
    assert not Tps.objects.filter(code=NEW).exists()


def test_it_sends_strangers_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


PILKADA_ROWS = [
    # TPS 003 of Ampenan Selatan exists in both elections: DPT 245 (Pemilu), 542 (Pilkada).
    ["5271011004003", "3", "Aula Pilkada", "300", "301", "", ""],
    ["5271011004098", "98", "TPS baru Pilkada", "100", "101", "", ""],
]


def test_it_imports_into_the_election_chosen_leaving_the_others_tps(client_for, admin):
    pemilu_before = list(Tps.every.filter(election="pemilu2024").order_by("code").values_list())
    client = client_for(admin)
    form = client.get(URL).content.decode()
    assert 'name="pemilihan"' in form
    assert '<option value="pemilu2024" selected>' in form  # the active one by default
    response = client.post(
        URL,
        {
            "pemilihan": "pilkada2024",
            "file": SimpleUploadedFile("tps.csv", csv_bytes(PILKADA_ROWS)),
        },
    )
    page = response.content.decode()
    assert "Impor berhasil" in page
    assert "TPS Pilkada 2024" in page
    assert 'href="/wilayah/5271/?pemilihan=pilkada2024"' in page
    pilkada = Tps.every.get(code="5271011004003@pilkada2024")
    assert (pilkada.dpt_l, pilkada.address) == (300, "Aula Pilkada")
    assert Tps.every.filter(code="5271011004098@pilkada2024").exists()
    assert not Tps.every.filter(code="5271011004098").exists()
    after = list(Tps.every.filter(election="pemilu2024").order_by("code").values_list())
    assert after == pemilu_before
    entry = AuditEntry.objects.filter(action="tps.import").latest("seq")
    assert entry.payload["election"] == "pilkada2024"


def test_an_unknown_election_is_refused_and_nothing_written(client_for, admin):
    before = snapshot()
    response = client_for(admin).post(
        URL,
        {"pemilihan": "pilkada2029", "file": SimpleUploadedFile("tps.csv", csv_bytes(GOOD_ROWS))},
    )
    assert "Impor berhasil" not in response.content.decode()
    assert snapshot() == before


def test_the_export_gives_the_election_asked(client_for, admin):
    client = client_for(admin)
    page = client.get(URL).content.decode()
    assert "region=5271&amp;pemilihan=pilkada2024" in page
    pemilu = client.get("/wilayah/ekspor/", {"region": "5271011004"}).content.decode()
    pilkada = client.get(
        "/wilayah/ekspor/", {"region": "5271011004", "pemilihan": "pilkada2024"}
    ).content.decode()
    assert pemilu.count("\n") == 1 + 26
    assert pilkada.count("\n") == 1 + 12
    assert "@" not in pilkada
    entry = AuditEntry.objects.filter(action="tps.export").latest("seq")
    assert entry.payload["election"] == "pilkada2024"
    unknown = client.get("/wilayah/ekspor/", {"pemilihan": "pilkada2029"})
    assert unknown.status_code == 404
