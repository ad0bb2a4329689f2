"""XLSX exports of the roster and the action items: readable, scoped, formula-safe, audited."""

import io

import pytest
from openpyxl import load_workbook

from deskpemilu.audit.models import AuditEntry
from deskpemilu.team.tests.conftest import THREE_DECISIONS, meeting_body, post_json

FORMULA = '=HYPERLINK("http://evil.example","klik")'


def sheet_rows(response, name):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    return book, [list(r) for r in book[name].iter_rows(values_only=True)]


@pytest.mark.django_db
def test_it_exports_the_roster_with_its_gaps(client_for, viewer):
    response = client_for(viewer).get("/tim/piket.xlsx?dari=2024-02-16&sampai=2024-02-16")
    book, rows = sheet_rows(response, "Jadwal piket")
    assert rows[0][:5] == ["tanggal", "hari", "sif", "jam", "nama"]
    assert [r[2] for r in rows[1:]] == ["Pagi", "Pagi", "Siang", "Siang", "Malam"]
    assert rows[-1][8] == "KOSONG: belum ada petugas"
    info = [list(r) for r in book["Info"].iter_rows(values_only=True)]
    assert info[-1][0] == "kepala rantai audit"
    assert AuditEntry.objects.filter(action="team.roster.export", actor_name=viewer.username)


@pytest.mark.django_db
def test_it_exports_the_action_items(client_for, viewer, meeting):
    _book, rows = sheet_rows(client_for(viewer).get("/tim/tindak-lanjut.xlsx"), "Tindak lanjut")
    assert rows[0][4] == "keputusan"
    assert [r[4] for r in rows[1:]] == [d["text"] for d in THREE_DECISIONS]
    assert AuditEntry.objects.filter(action="action.export").exists()


@pytest.mark.django_db
def test_it_exports_only_what_a_liaison_sees(client_for, polri, meeting):
    _book, rows = sheet_rows(client_for(polri).get("/tim/tindak-lanjut.xlsx"), "Tindak lanjut")
    assert [r[5] for r in rows[1:]] == ["Polri (Polresta Mataram)"]


@pytest.mark.django_db
def test_it_never_writes_a_formula(api_for, client_for, admin):
    body = meeting_body(title=FORMULA)
    body["actions"] = [
        {**THREE_DECISIONS[0], "text": FORMULA},
        {**THREE_DECISIONS[1], "text": "+1"},
    ]
    assert post_json(api_for(admin), "/api/v1/meetings", body).status_code == 201
    response = client_for(admin).get("/tim/tindak-lanjut.xlsx")
    book, rows = sheet_rows(response, "Tindak lanjut")
    cells = [c for row in book["Tindak lanjut"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert rows[1][1] == "'" + FORMULA
    assert rows[1][4] == "'" + FORMULA
    assert rows[2][4] == "'+1"
