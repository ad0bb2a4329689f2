"""TPS vulnerability pages: the form on the TPS page, the list and its filters, the map layer,
the XLSX import (page and command), and refusals to roles that may not set it."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from deskpemilu.audit.models import AuditEntry
from deskpemilu.core.spreadsheet import XlsxBook
from deskpemilu.readiness import kerawanan
from deskpemilu.readiness.models import KerawananEntry, TpsKerawanan
from deskpemilu.readiness.tests.helpers import PEJERUK_TPS, PEJERUK_TPS_2, SANDUBAYA_TPS

PEJERUK = "5271011006"


def fill_of(html: str, code: str) -> str:
    match = re.search(
        rf'<path d="[^"]*" fill="([^"]+)" fill-rule="evenodd" data-code="{code}"', html
    )
    assert match, code
    return match.group(1)


def xlsx(rows, header=("kode_tps", "tingkat", "alasan", "petugas")) -> bytes:
    book = XlsxBook()
    sheet = book.sheet("Kerawanan", header)
    for row in rows:
        sheet.append(row)
    return book.to_bytes()


def set_level(user, tps, level, reason="Alasan uji", officers=2):
    from deskpemilu.regions.models import Tps

    kerawanan.set_kerawanan(
        actor=user, tps=Tps.objects.get(code=tps), level=level, reason=reason, officers=officers
    )


@pytest.mark.django_db
def test_it_sets_the_level_from_the_tps_page(client_for, polri):
    client = client_for(polri)
    page = client.get(f"/kesiapan/tps/{PEJERUK_TPS}/")
    assert page.status_code == 200
    assert 'name="tingkat"' in page.content.decode()
    response = client.post(
        f"/kesiapan/tps/{PEJERUK_TPS}/kerawanan/",
        {
            "tingkat": "sangat_rawan",
            "alasan": "Riwayat konflik",
            "petugas": "4",
            "nama_petugas": "Bripka Made\nBrigpol Lalu",
        },
    )
    assert response.status_code == 302
    current = TpsKerawanan.objects.get(tps_id=PEJERUK_TPS)
    assert (current.tingkat, current.petugas) == ("sangat_rawan", 4)
    assert current.nama_petugas == ["Bripka Made", "Brigpol Lalu"]
    html = client.get(f"/kesiapan/tps/{PEJERUK_TPS}/").content.decode()
    assert 'data-kerawanan="sangat_rawan"' in html
    assert "Riwayat konflik" in html
    assert "Bripka Made" in html


@pytest.mark.django_db
def test_it_shows_the_form_errors_on_the_tps_page(client_for, admin):
    response = client_for(admin).post(
        f"/kesiapan/tps/{PEJERUK_TPS}/kerawanan/", {"tingkat": "rawan", "petugas": "dua"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Alasan wajib diisi" in html
    assert "bilangan bulat" in html
    assert not KerawananEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["lurah", "operator", "viewer"])
def test_it_refuses_the_form_to_roles_that_may_not_set_it(client_for, request, who):
    user = request.getfixturevalue(who)
    tps = "5271011004001" if who == "operator" else PEJERUK_TPS
    client = client_for(user)
    assert 'name="tingkat"' not in client.get(f"/kesiapan/tps/{tps}/").content.decode()
    response = client.post(f"/kesiapan/tps/{tps}/kerawanan/", {"tingkat": "tidak_rawan"})
    assert response.status_code == 403
    assert "Hanya desk serta penghubung Polri dan Bawaslu" in response.content.decode()
    assert not KerawananEntry.objects.exists()


@pytest.mark.django_db
def test_it_lists_and_filters_the_levels(client_for, admin, lurah, viewer):
    set_level(admin, PEJERUK_TPS, "sangat_rawan")
    set_level(admin, PEJERUK_TPS_2, "rawan")
    set_level(admin, SANDUBAYA_TPS, "tidak_rawan", reason="", officers=1)
    client = client_for(viewer)
    html = client.get("/kesiapan/kerawanan/").content.decode()
    assert 'data-level="sangat_rawan">1<' in html
    assert all(code in html for code in (PEJERUK_TPS, PEJERUK_TPS_2, SANDUBAYA_TPS))
    only = client.get("/kesiapan/kerawanan/?tingkat=sangat_rawan").content.decode()
    assert PEJERUK_TPS in only and PEJERUK_TPS_2 not in only
    kec = client.get("/kesiapan/kerawanan/?kecamatan=527106").content.decode()
    assert SANDUBAYA_TPS in kec and PEJERUK_TPS not in kec
    assert client.get("/kesiapan/kerawanan/?tingkat=x").status_code == 404
    assert client.get("/kesiapan/kerawanan/?kelurahan=12").status_code == 404
    mine = client_for(lurah).get("/kesiapan/kerawanan/").content.decode()
    assert PEJERUK_TPS in mine and SANDUBAYA_TPS not in mine
    assert client_for(lurah).get("/kesiapan/kerawanan/?kecamatan=527106").status_code == 403


@pytest.mark.django_db
def test_it_maps_the_levels_as_a_layer(client_for, admin, viewer):
    set_level(admin, PEJERUK_TPS, "sangat_rawan")
    set_level(admin, SANDUBAYA_TPS, "rawan")
    client = client_for(viewer)
    city = client.get("/kesiapan/?lapisan=kerawanan").content.decode()
    assert fill_of(city, PEJERUK) == kerawanan.COLOUR["sangat_rawan"]
    assert fill_of(city, "5271061001") == kerawanan.COLOUR["rawan"]
    assert fill_of(city, "5271011004") == kerawanan.NOT_MAPPED_COLOUR
    assert "Sangat rawan" in city  # the legend
    assert "1 TPS sangat rawan, 0 rawan" in city  # the table's text alternative
    kelurahan = client.get(f"/kesiapan/wilayah/{PEJERUK}/?lapisan=kerawanan").content.decode()
    assert 'data-kerawanan="sangat_rawan"' in kelurahan
    plain = client.get("/kesiapan/").content.decode()
    assert fill_of(plain, PEJERUK) != kerawanan.COLOUR["sangat_rawan"]


@pytest.mark.django_db
def test_it_imports_an_xlsx_all_rows_or_none(client_for, polri):
    client = client_for(polri)
    assert client.get("/kesiapan/kerawanan/impor/").status_code == 200
    good = xlsx(
        [
            [PEJERUK_TPS, "Sangat Rawan", "Riwayat konflik", 4],
            [PEJERUK_TPS_2, "rawan", "Rawan banjir", 2],
            [SANDUBAYA_TPS, "tidak_rawan", "", 1],
        ]
    )
    upload = SimpleUploadedFile("kerawanan.xlsx", good)
    response = client.post("/kesiapan/kerawanan/impor/", {"file": upload})
    assert response.status_code == 200
    assert 'data-testid="changed">3<' in response.content.decode()
    assert TpsKerawanan.objects.get(tps_id=PEJERUK_TPS).tingkat == "sangat_rawan"
    entry = AuditEntry.objects.get(action="kerawanan.import")
    assert entry.payload["counts"] == {"tidak_rawan": 1, "rawan": 1, "sangat_rawan": 1}

    bad = xlsx(
        [
            [PEJERUK_TPS, "tidak_rawan", "", 1],
            ["5271011006999", "rawan", "x", 1],
            [SANDUBAYA_TPS, "gawat", "", 1],
            [PEJERUK_TPS_2, "rawan", "", "dua"],
            [PEJERUK_TPS, "rawan", "=HYPERLINK(1)", 1],
        ]
    )
    response = client.post(
        "/kesiapan/kerawanan/impor/", {"file": SimpleUploadedFile("k.xlsx", bad)}
    )
    assert response.status_code == 422
    html = response.content.decode()
    for line, column in ((3, "kode_tps"), (4, "tingkat"), (5, "alasan"), (5, "petugas")):
        assert re.search(rf"<td class=\"num\">{line}</td><td><code>{column}</code>", html), (
            line,
            column,
        )
    assert "ganda" in html
    assert TpsKerawanan.objects.get(tps_id=PEJERUK_TPS).tingkat == "sangat_rawan"  # unchanged


@pytest.mark.django_db
def test_it_refuses_a_wrong_header_and_a_file_that_is_no_spreadsheet(client_for, admin):
    client = client_for(admin)
    wrong = xlsx([[PEJERUK_TPS, "rawan"]], header=("kode", "tingkat"))
    html = client.post(
        "/kesiapan/kerawanan/impor/", {"file": SimpleUploadedFile("k.xlsx", wrong)}
    ).content.decode()
    assert "Header harus persis" in html
    junk = client.post(
        "/kesiapan/kerawanan/impor/", {"file": SimpleUploadedFile("k.xlsx", b"PK\x03\x04junk")}
    )
    assert junk.status_code == 422
    assert "tidak dapat dibaca" in junk.content.decode()
    formula = b"kode_tps,tingkat,alasan,petugas\r\n5271011006001,rawan,=cmd|x,1\r\n"
    html = client.post(
        "/kesiapan/kerawanan/impor/", {"file": SimpleUploadedFile("k.csv", formula)}
    ).content.decode()
    assert "rumus/formula tidak diterima" in html
    none = client.post("/kesiapan/kerawanan/impor/", {})
    assert none.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["lurah", "viewer", "tni"])
def test_it_refuses_the_import_to_roles_that_may_not_set_it(client_for, make_user, request, who):
    if who == "tni":
        user = make_user("tni_liaison", "liaison", "", "tni")
    else:
        user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get("/kesiapan/kerawanan/impor/").status_code == 403
    upload = SimpleUploadedFile("k.xlsx", xlsx([[PEJERUK_TPS, "rawan", "x", 1]]))
    assert client.post("/kesiapan/kerawanan/impor/", {"file": upload}).status_code == 403
    assert not KerawananEntry.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_and_names_bad_rows(tmp_path):
    good = tmp_path / "kerawanan.xlsx"
    good.write_bytes(
        xlsx(
            [[PEJERUK_TPS, "rawan", "Dekat pasar", 2, "Bripka Made;Brigpol Lalu"]],
            header=("kode_tps", "tingkat", "alasan", "petugas", "nama_petugas"),
        )
    )
    out = io.StringIO()
    call_command("import_kerawanan", str(good), stdout=out)
    assert "1 berubah" in out.getvalue()
    assert TpsKerawanan.objects.get(tps_id=PEJERUK_TPS).nama_petugas == [
        "Bripka Made",
        "Brigpol Lalu",
    ]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([[PEJERUK_TPS, "rawan", "", 2]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="dibatalkan"):
        call_command("import_kerawanan", str(bad), stderr=err)
    assert "Baris 2, kolom alasan" in err.getvalue()
