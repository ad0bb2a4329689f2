"""The live check /hasil/<contest>/<tps>/periksa/: the entry page posts what is typed and gets
back each broken rule with its box and Indonesian message, nothing stored."""

import pytest

from deskpemilu.results.models import Sheet
from deskpemilu.results.tests.pages import form_data
from deskpemilu.results.tests.sheets import sheet_for_tps

TPS = "5271011004001"
URL = f"/hasil/ppwp/{TPS}/periksa/"


@pytest.mark.django_db
def test_it_answers_no_problem_for_a_correct_sheet(client_for, operator):
    response = client_for(operator).post(URL, form_data(sheet_for_tps(TPS), mode="entry"))
    assert response.status_code == 200
    assert response.json() == {"problems": [], "flags": [], "confirmable": False}
    assert not Sheet.objects.exists()


@pytest.mark.django_db
def test_it_names_each_broken_rule_with_its_box(client_for, operator):
    body = sheet_for_tps(TPS)
    body["suara"]["1"] += 500
    body["administrasi"]["surat_suara_rusak"] += 1
    answer = client_for(operator).post(URL, form_data(body)).json()
    assert answer["confirmable"] is True
    by_field = {p["field"]: p for p in answer["problems"]}
    valid, section_iv = body["administrasi"]["suara_sah"], sum(body["suara"].values())
    assert by_field["administrasi.suara_sah"]["message"] == (
        f"Suara sah tidak sama dengan jumlah perolehan suara (bagian IV). ({valid} ≠ {section_iv})"
    )
    assert by_field["administrasi.surat_suara_diterima"]["code"] == "surat_suara_tidak_seimbang"
    assert {p["kind"] for p in answer["problems"]} == {"arithmetic"}
    assert not Sheet.objects.exists()


@pytest.mark.django_db
def test_it_names_missing_boxes_as_structure(client_for, operator):
    data = form_data(sheet_for_tps(TPS))
    data["administrasi.surat_suara_digunakan"] = ""
    answer = client_for(operator).post(URL, data).json()
    assert answer["problems"] == [
        {
            "code": "kunci_wajib",
            "field": "administrasi.surat_suara_digunakan",
            "message": "Kolom wajib belum diisi.",
            "kind": "structure",
        }
    ]
    assert answer["confirmable"] is False


@pytest.mark.django_db
def test_it_returns_signs_as_flags(client_for, operator):
    body = sheet_for_tps(TPS)
    body["administrasi"]["pemilih_dpt_l"] += 10
    answer = client_for(operator).post(URL, form_data(body)).json()
    assert answer["problems"] == []
    assert [f["code"] for f in answer["flags"]] == ["dpt_beda_data_induk"]


@pytest.mark.django_db
def test_it_asks_for_a_reason_when_correcting(client_for, operator):
    data = form_data(sheet_for_tps(TPS), version=1, mode="entry")
    answer = client_for(operator).post(URL, data).json()
    assert [p["field"] for p in answer["problems"]] == ["alasan_koreksi"]


@pytest.mark.django_db
def test_it_speaks_english_when_asked(client_for, operator):
    client = client_for(operator)
    client.cookies["django_language"] = "en"
    data = form_data(sheet_for_tps(TPS))
    data["administrasi.surat_suara_digunakan"] = ""
    answer = client.post(URL, data).json()
    assert answer["problems"][0]["message"] == "A required key is missing."


@pytest.mark.django_db
def test_it_is_post_only_scoped_and_csrf_protected(client_for, operator, outsider):
    from django.test import Client

    assert client_for(operator).get(URL).status_code == 405
    assert client_for(outsider).post(URL, {}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator)
    assert strict.post(URL, form_data(sheet_for_tps(TPS))).status_code == 403
