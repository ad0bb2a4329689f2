"""PUT/GET /api/v1/readiness/{tps}: reports, targets, warnings, validation, scope."""

from __future__ import annotations

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.readiness.checklist import ballots_needed
from deskpemilu.readiness.models import ReadinessReport, TpsItemState
from deskpemilu.readiness.tests.helpers import (
    AMPENAN_SELATAN_TPS,
    PEJERUK_TPS,
    SANDUBAYA_TPS,
    all_siap,
    put,
)
from deskpemilu.regions.models import Tps


@pytest.mark.django_db
def test_it_lists_the_default_checklist(api_for, viewer):
    rows = api_for(viewer).get("/api/v1/readiness/items").json()
    codes = [r["code"] for r in rows]
    assert codes[:2] == ["lokasi", "kotak_suara"]
    assert {"surat_suara_ppwp", "surat_suara_dpd", "kpps", "linmas", "template_braille"} <= set(
        codes
    )
    by_code = {r["code"]: r for r in rows}
    assert by_code["kotak_suara"]["target"] == 5
    assert by_code["kpps"]["target"] == 7
    assert by_code["linmas"]["target"] == 2
    # Ballots are expected per TPS (DPT + 2%): no single target here.
    assert by_code["surat_suara_ppwp"]["target"] is None
    assert by_code["surat_suara_ppwp"]["needs_quantity"] is True
    assert by_code["lokasi"] == {**by_code["lokasi"], "needs_quantity": False, "target": None}


@pytest.mark.django_db
def test_it_marks_a_tps_ready_when_every_item_is_siap(api_for, lurah):
    client = api_for(lurah)
    response = put(client, PEJERUK_TPS, all_siap())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["tps"] == PEJERUK_TPS
    assert body["ready"] is True
    assert body["percent_ready"] == 100.0
    assert AuditEntry.objects.filter(action="readiness.report", object_id=PEJERUK_TPS).count() == 1


@pytest.mark.django_db
def test_it_takes_any_subset_and_reports_the_percentage(api_for, lurah):
    client = api_for(lurah)
    body = put(client, PEJERUK_TPS, {"items": {"lokasi": {"status": "siap"}}}).json()
    assert body["ready"] is False
    assert body["items_ready"] == 1
    assert body["percent_ready"] == round(100 / body["items_total"], 1)
    body = put(client, PEJERUK_TPS, {"items": {"tinta": {"status": "belum"}}}).json()
    assert body["items_ready"] == 1


@pytest.mark.django_db
def test_it_computes_the_ballot_target_from_the_dpt(api_for, lurah):
    tps = Tps.objects.get(code=PEJERUK_TPS)
    detail = api_for(lurah).get(f"/api/v1/readiness/{PEJERUK_TPS}").json()
    items = {i["code"]: i for i in detail["items"]}
    assert items["surat_suara_dpr"]["target"] == ballots_needed(tps.dpt)
    assert items["kotak_suara"]["target"] == 5
    assert items["lokasi"]["status"] is None
    assert ballots_needed(100) == 102
    assert ballots_needed(239) == 244  # 243.78 rounded up
    assert ballots_needed(0) == 0


@pytest.mark.django_db
def test_it_warns_on_a_quantity_below_target_and_keeps_the_status(api_for, lurah):
    tps = Tps.objects.get(code=PEJERUK_TPS)
    short = ballots_needed(tps.dpt) - 3
    body = {
        "items": {
            "surat_suara_ppwp": {"status": "siap", "jumlah": short},
            "kotak_suara": {"status": "siap", "jumlah": 5},
        }
    }
    response = put(api_for(lurah), PEJERUK_TPS, body)
    assert response.status_code == 200
    warnings = response.json()["warnings"]
    assert [(w["item"], w["code"], w["jumlah"]) for w in warnings] == [
        ("surat_suara_ppwp", "jumlah_kurang", short)
    ]
    state = TpsItemState.objects.get(tps_id=PEJERUK_TPS, item__code="surat_suara_ppwp")
    assert state.status == "siap"
    detail = api_for(lurah).get(f"/api/v1/readiness/{PEJERUK_TPS}").json()
    row = next(i for i in detail["items"] if i["code"] == "surat_suara_ppwp")
    assert row["below_target"] is True and row["jumlah"] == short


@pytest.mark.django_db
def test_it_keeps_every_change(api_for, lurah):
    client = api_for(lurah)
    put(client, PEJERUK_TPS, {"items": {"listrik": {"status": "belum"}}})
    put(client, PEJERUK_TPS, {"items": {"listrik": {"status": "bermasalah", "catatan": "padam"}}})
    put(client, PEJERUK_TPS, {"items": {"listrik": {"status": "siap", "catatan": "genset"}}})
    # The same again is not a change: nothing new is recorded.
    put(client, PEJERUK_TPS, {"items": {"listrik": {"status": "siap", "catatan": "genset"}}})
    reports = ReadinessReport.objects.filter(tps_id=PEJERUK_TPS, item__code="listrik")
    assert [r.status for r in reports.order_by("id")] == ["belum", "bermasalah", "siap"]
    history = client.get(f"/api/v1/readiness/{PEJERUK_TPS}/history").json()
    assert [h["status"] for h in history] == ["siap", "bermasalah", "belum"]
    assert history[0]["reporter"] == lurah.username
    assert AuditEntry.objects.filter(action="readiness.report", object_id=PEJERUK_TPS).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field, code",
    [
        (
            {"items": {"bukan_butir": {"status": "siap"}}},
            "items.bukan_butir",
            "butir_tidak_dikenal",
        ),
        ({"items": {"lokasi": {"status": "oke"}}}, "items.lokasi.status", "status_tidak_valid"),
        ({"items": {"lokasi": {}}}, "items.lokasi.status", "kunci_wajib"),
        ({"items": {"lokasi": "siap"}}, "items.lokasi", "bukan_objek"),
        (
            {"items": {"kpps": {"status": "siap", "jumlah": -1}}},
            "items.kpps.jumlah",
            "di_luar_batas",
        ),
        ({"items": {"kpps": {"status": "siap", "jumlah": True}}}, "items.kpps.jumlah", None),
        ({"items": {"kpps": {"status": "siap", "jumlah": "7"}}}, "items.kpps.jumlah", None),
        ({"items": {"lokasi": {"status": "siap", "jumlah": 3}}}, "items.lokasi.jumlah", None),
        ({"items": {"lokasi": {"status": "siap", "catatan": 5}}}, "items.lokasi.catatan", None),
        (
            {"items": {"lokasi": {"status": "siap", "catatan": "x" * 1001}}},
            "items.lokasi.catatan",
            None,
        ),
        ({"items": {"lokasi": {"status": "siap", "foto": "x"}}}, "items.lokasi.foto", None),
        ({"items": {}}, "items", "kunci_wajib"),
        ({"item": {}}, "item", "kunci_tidak_dikenal"),
        ([], "", "bukan_objek"),
        ("{not json", "", "bukan_json"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(api_for, lurah, body, field, code):
    response = put(api_for(lurah), PEJERUK_TPS, body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in [e["field"] for e in errors]
    if code:
        assert code in [e["code"] for e in errors]
    assert not ReadinessReport.objects.filter(tps_id=PEJERUK_TPS).exists()


@pytest.mark.django_db
def test_it_refuses_a_whole_report_when_one_item_is_wrong(api_for, lurah):
    body = {"items": {"lokasi": {"status": "siap"}, "tinta": {"status": "??"}}}
    assert put(api_for(lurah), PEJERUK_TPS, body).status_code == 422
    assert not TpsItemState.objects.filter(tps_id=PEJERUK_TPS).exists()


@pytest.mark.django_db
def test_it_hides_another_kelurahan_from_a_lurah(api_for, lurah):
    client = api_for(lurah)
    assert put(client, AMPENAN_SELATAN_TPS, all_siap()).status_code == 404
    assert client.get(f"/api/v1/readiness/{AMPENAN_SELATAN_TPS}").status_code == 404
    assert put(client, "5271011006999", all_siap()).status_code == 404
    assert put(client, "bukan-kode", all_siap()).status_code == 404
    assert not ReadinessReport.objects.exists()


@pytest.mark.django_db
def test_it_lets_operator_camat_and_admin_write_in_scope(api_for, operator, camat, admin):
    assert put(api_for(operator), AMPENAN_SELATAN_TPS, all_siap()).status_code == 200
    assert put(api_for(camat), SANDUBAYA_TPS, all_siap()).status_code == 200
    assert put(api_for(camat), PEJERUK_TPS, all_siap()).status_code == 404
    assert put(api_for(admin), PEJERUK_TPS, all_siap()).status_code == 200


@pytest.mark.django_db
def test_it_refuses_readers(api_for, viewer, verifier, make_user):
    health = make_user("pkm_ampenan", "health", "527101")
    for user in (viewer, verifier, health):
        response = put(api_for(user), PEJERUK_TPS, all_siap())
        assert response.status_code == 403, user.role
    assert api_for(viewer).get(f"/api/v1/readiness/{PEJERUK_TPS}").status_code == 200
    assert not ReadinessReport.objects.exists()


@pytest.mark.django_db
def test_it_needs_authentication(client):
    assert put(client, PEJERUK_TPS, all_siap()).status_code == 401
    assert client.get("/api/v1/readiness/items").status_code == 401


@pytest.mark.django_db
def test_it_refuses_a_nul_character(api_for, lurah):
    body = {"items": {"lokasi": {"status": "siap", "catatan": "a\x00b"}}}
    response = put(api_for(lurah), PEJERUK_TPS, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items.lokasi.catatan"


@pytest.mark.django_db
def test_it_refuses_a_lone_surrogate(api_for, lurah):
    # JSON's "\ud800" escape is no character: neither database can encode it (once a 500).
    body = {"items": {"lokasi": {"status": "siap", "catatan": "a\ud800b"}}}
    response = put(api_for(lurah), PEJERUK_TPS, body)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0] == {
        "code": "bukan_teks",
        "field": "items.lokasi.catatan",
        "message": "Catatan harus teks.",
    }
    assert not ReadinessReport.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_reader_whatever_calls_it(viewer, make_user):
    """The role check lives in readiness_report itself (the page and the API ask the same
    services.may_report first, so their answers stay 403)."""
    from deskpemilu.readiness import services
    from deskpemilu.readiness.checklist import items_in_force

    health = make_user("pkm_ampenan", "health", "527101")
    tps = Tps.objects.get(code=PEJERUK_TPS)
    entries = services.parse_report(all_siap(), {i.code: i for i in items_in_force()})
    for user in (viewer, health):
        assert not services.may_report(user)
        with pytest.raises(services.ReadinessError) as refused:
            services.readiness_report(actor=user, tps=tps, entries=entries)
        assert refused.value.status == 403
        assert refused.value.errors[0]["code"] == "tidak_berhak"
    assert not ReadinessReport.objects.exists()
