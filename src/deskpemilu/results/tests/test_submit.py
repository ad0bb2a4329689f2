"""PUT /api/v1/results/{contest}/{tps}: versions, validation, idempotency, If-Match."""

import json

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.results.models import Sheet, SheetVersion
from deskpemilu.results.tests.sheets import sheet_for_tps, with_votes

TPS = "5271011004001"  # Ampenan Selatan TPS 001, the operator's area
URL = f"/api/v1/results/ppwp/{TPS}"


def put(client, body, url=URL, **headers):
    return client.put(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_it_stores_the_first_version_with_201(api_for, operator):
    body = sheet_for_tps(TPS)
    response = put(api_for(operator), body)
    assert response.status_code == 201, response.content
    assert response.json() == {"version": 1, "status": "dientri", "flags": []}
    sheet = Sheet.objects.get(tps_id=TPS, contest_id="ppwp")
    assert sheet.current.suara == body["suara"]
    assert AuditEntry.objects.filter(action="sheet.submit", object_id=f"ppwp/{TPS}").exists()


@pytest.mark.django_db
def test_it_keeps_every_version(api_for, operator):
    client = api_for(operator)
    first = sheet_for_tps(TPS)
    put(client, first)
    second = with_votes(first, {"1": first["suara"]["1"] + 2})
    response = put(client, {**second, "alasan_koreksi": "salah ketik"})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    versions = SheetVersion.objects.filter(sheet__tps_id=TPS).order_by("number")
    assert [v.suara["1"] for v in versions] == [first["suara"]["1"], first["suara"]["1"] + 2]
    detail = client.get(URL).json()
    assert detail["version"] == 2
    assert [h["version"] for h in detail["history"]] == [1, 2]
    assert detail["history"][1]["reason"] == "salah ketik"
    assert detail["history"][0]["author"] == operator.username


@pytest.mark.django_db
def test_it_replays_an_idempotency_key(api_for, operator):
    client = api_for(operator)
    body = sheet_for_tps(TPS)
    first = put(client, body, **{"Idempotency-Key": "abc-1"})
    again = put(client, body, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert SheetVersion.objects.filter(sheet__tps_id=TPS).count() == 1


@pytest.mark.django_db
def test_a_key_belongs_to_one_sheet(api_for, operator):
    """The same key on the TPS's other ballot and on the next TPS is a new request there, and a
    sheet with a correction made without a key replays nothing."""
    client = api_for(operator)
    assert put(client, sheet_for_tps(TPS), **{"Idempotency-Key": "k-1"}).status_code == 201
    dpr = f"/api/v1/results/dpr/{TPS}"
    assert put(client, sheet_for_tps(TPS, "dpr"), dpr, **{"Idempotency-Key": "k-1"}).json() == {
        "version": 1,
        "status": "dientri",
        "flags": [],
    }
    neighbour = "5271011004002"
    next_url = f"/api/v1/results/ppwp/{neighbour}"
    body = sheet_for_tps(neighbour)
    assert put(client, body, next_url, **{"Idempotency-Key": "k-1"}).status_code == 201
    again = put(client, {**body, "alasan_koreksi": "lagi"}, next_url)
    assert again.status_code == 200 and again.json()["version"] == 2
    assert SheetVersion.objects.filter(idempotency_key="k-1").count() == 3


@pytest.mark.django_db
def test_it_refuses_a_key_reused_with_other_numbers(api_for, operator):
    # Found: the second body got 201 and its numbers were silently dropped.
    client = api_for(operator)
    body = sheet_for_tps(TPS)
    assert put(client, body, **{"Idempotency-Key": "abc-1"}).status_code == 201
    other = put(client, with_votes(body, {"1": 0}), **{"Idempotency-Key": "abc-1"})
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "kunci_idempotensi_dipakai"
    reason = put(client, body, **{"Idempotency-Key": "abc-1", "If-Match": "0"})
    assert reason.status_code == 422  # the same numbers, but not the same request
    assert SheetVersion.objects.filter(sheet__tps_id=TPS).count() == 1


@pytest.mark.django_db
def test_it_refuses_a_key_reused_by_another_caller(api_for, operator, make_user):
    colleague = make_user("op_kedua", "operator", TPS[:10], "diskominfo")
    body = sheet_for_tps(TPS)
    first = put(api_for(operator), body, **{"Idempotency-Key": "shared-key"})
    assert first.status_code == 201
    theirs = put(api_for(colleague), body, **{"Idempotency-Key": "shared-key"})
    assert theirs.status_code == 422
    assert theirs.json()["errors"][0]["code"] == "kunci_idempotensi_dipakai"
    mine = put(api_for(operator), body, **{"Idempotency-Key": "shared-key"})
    assert mine.json() == first.json()
    assert SheetVersion.objects.filter(sheet__tps_id=TPS).count() == 1


@pytest.mark.django_db
def test_it_refuses_a_stale_if_match(api_for, operator):
    client = api_for(operator)
    body = sheet_for_tps(TPS)
    put(client, body)
    assert put(client, body, **{"If-Match": "1"}).status_code == 200
    stale = put(client, body, **{"If-Match": "1"})
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "versi_bukan_terkini"
    assert put(client, body, **{"If-Match": '"2"'}).status_code == 200


@pytest.mark.django_db
def test_a_unicode_digit_if_match_is_422_not_500(api_for, operator):
    # "²" passes str.isdigit() but not int(): once a 500 (found by fuzzing).
    client = api_for(operator)
    for value in ("²", '"³"', "1²"):
        response = put(client, sheet_for_tps(TPS), **{"If-Match": value})
        assert response.status_code == 422, (value, response.content)
        assert response.json()["errors"][0]["field"] == "If-Match"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda b: b["administrasi"].pop("suara_sah"), "administrasi.suara_sah"),
        (lambda b: b["administrasi"].update(suara_sah=True), "administrasi.suara_sah"),
        (lambda b: b["suara"].update({"1": -1}), "suara.1"),
        (lambda b: b["suara"].update({"1": 1001}), "suara.1"),
        (lambda b: b["suara"].update({"9": 1}), "suara.9"),
        (lambda b: b["suara"].update({"1": "12"}), "suara.1"),
        (lambda b: b["suara"].update({"1": 1.5}), "suara.1"),
        (lambda b: b.update(catatan="x" * 2001), "catatan"),
        (lambda b: b.update(tambahan=1), "tambahan"),
    ],
)
def test_it_refuses_structural_errors_and_stores_nothing(api_for, operator, mutate, field):
    body = sheet_for_tps(TPS)
    mutate(body)
    response = put(api_for(operator), body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not SheetVersion.objects.filter(sheet__tps_id=TPS).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [b"", b"not json", b"[]", b"null", b'{"administrasi": 5}'])
def test_it_refuses_bodies_that_are_not_sheets(api_for, operator, raw):
    response = api_for(operator).put(URL, data=raw, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]


@pytest.mark.django_db
def test_it_refuses_a_body_above_one_megabyte(api_for, operator):
    body = sheet_for_tps(TPS)
    body["catatan"] = "x" * (1024 * 1024 + 10)
    response = put(api_for(operator), body)
    assert response.status_code in (413, 422)


@pytest.mark.django_db
def test_it_refuses_broken_arithmetic_naming_each_rule(api_for, operator):
    body = sheet_for_tps(TPS)
    body["suara"]["1"] += 500  # the Sirekap misread: a digit added
    body["administrasi"]["surat_suara_rusak"] += 1
    response = put(api_for(operator), body)
    assert response.status_code == 422
    codes = {e["code"] for e in response.json()["errors"]}
    assert codes == {"suara_sah_tidak_sama_rincian", "surat_suara_tidak_seimbang"}
    assert not SheetVersion.objects.exists()


@pytest.mark.django_db
def test_it_stores_a_confirmed_inconsistent_form_flagged(api_for, operator):
    body = sheet_for_tps(TPS)
    body["administrasi"]["surat_suara_rusak"] += 1
    body["konfirmasi_tidak_konsisten"] = True
    without_note = put(api_for(operator), body)
    assert without_note.status_code == 422
    assert without_note.json()["errors"][0]["code"] == "konfirmasi_tanpa_catatan"
    body["catatan"] = "Di formulir memang tertulis 1 surat suara rusak lebih."
    response = put(api_for(operator), body)
    assert response.status_code == 201
    codes = {f["code"] for f in response.json()["flags"]}
    assert codes == {"surat_suara_tidak_seimbang", "dikonfirmasi_tidak_konsisten"}


@pytest.mark.django_db
def test_it_flags_dpt_differing_from_the_master_data(api_for, operator):
    body = sheet_for_tps(TPS)
    body["administrasi"]["pemilih_dpt_l"] += 10
    response = put(api_for(operator), body)
    assert response.status_code == 201
    assert [f["code"] for f in response.json()["flags"]] == ["dpt_beda_data_induk"]


@pytest.mark.django_db
def test_it_hides_other_areas_and_refuses_other_roles(
    api_for, operator, outsider, lurah, viewer, verifier
):
    body = sheet_for_tps(TPS)
    assert put(api_for(outsider), body).status_code == 404
    # The route's rule refuses a role that never submits before any area is read: 403 wherever
    # the TPS lies, so it tells nothing about the area.
    assert put(api_for(lurah), body).status_code == 403
    assert put(api_for(viewer), body).status_code == 403
    assert put(api_for(verifier), body).status_code == 403
    assert put(api_for(operator), body, url="/api/v1/results/pilkada/" + TPS).status_code == 404
    assert not SheetVersion.objects.exists()


@pytest.mark.django_db
def test_it_answers_unknown_sheets_with_404(api_for, operator):
    assert api_for(operator).get(URL).status_code == 404


@pytest.mark.django_db
def test_it_accepts_every_contest_of_the_tps(api_for, operator):
    client = api_for(operator)
    for contest in ["ppwp", "dpr", "dpd", "dprd-prov", "dprd-kabkota"]:
        body = sheet_for_tps(TPS, contest)
        response = put(client, body, url=f"/api/v1/results/{contest}/{TPS}")
        assert response.status_code == 201, (contest, response.content)
        assert response.json()["flags"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["catatan", "alasan_koreksi"])
@pytest.mark.parametrize("text", ["a\x00b", "\ud800"])
def test_it_refuses_a_text_no_database_can_store(api_for, operator, key, text):
    # A NUL (PostgreSQL refuses it) or a lone surrogate (JSON "\ud800"): once a 500 on saving.
    response = put(api_for(operator), {**sheet_for_tps(TPS), key: text})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["code"] == "bukan_teks"
    assert response.json()["errors"][0]["field"] == key
    assert not SheetVersion.objects.filter(sheet__tps_id=TPS).exists()


@pytest.mark.django_db
def test_the_service_itself_refuses_text_no_database_can_store(operator, admin):
    """The API checks notes first; the services check again for every other caller."""
    from deskpemilu.regions.models import Tps
    from deskpemilu.results import services, submission, verification
    from deskpemilu.results.contests import contest_info

    tps, info = Tps.objects.get(code=TPS), contest_info("ppwp")
    for bad in ("a\x00b", "\ud800"):
        with pytest.raises(services.ResultError) as refused:
            submission.sheet_submit(
                actor=operator, tps=tps, contest=info, body=sheet_for_tps(TPS), reason=bad
            )
        assert refused.value.status == 422
        assert [p.code for p in refused.value.problems] == ["bukan_teks"]
    assert not SheetVersion.objects.filter(sheet__tps_id=TPS).exists()
    submission.sheet_submit(actor=operator, tps=tps, contest=info, body=sheet_for_tps(TPS))
    sheet = Sheet.objects.get(tps_id=TPS, contest_id="ppwp")
    with pytest.raises(services.ResultError) as refused:
        verification.sheet_verify(
            actor=admin, sheet=sheet, contest=info, version_number=1, note="x\x00"
        )
    assert [p.code for p in refused.value.problems] == ["bukan_teks"]
    with pytest.raises(services.ResultError) as refused:
        verification.mismatch_resolve(
            actor=admin, sheet=sheet, contest=info, accept="pertama", note="\ud800"
        )
    assert [p.code for p in refused.value.problems] == ["bukan_teks"]
