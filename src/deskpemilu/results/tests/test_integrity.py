"""A count you can trust (issue #13): each way wrong or unverified numbers got through, as a test.

Every case here was reproduced on the code before the fix and failed there.
"""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from PIL import Image

from deskpemilu.audit.models import AuditEntry
from deskpemilu.notify.models import Notification
from deskpemilu.results.models import Sheet, SheetVersion
from deskpemilu.results.rollups import check_rollups
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps, with_votes

KELURAHAN = "5271011004"  # Ampenan Selatan, the operator's area
TPS = f"{KELURAHAN}001"


def url(tps: str = TPS, contest: str = "ppwp") -> str:
    return f"/api/v1/results/{contest}/{tps}"


def put(client: Any, body: dict[str, Any], tps: str = TPS, contest: str = "ppwp", **headers: str):
    return client.put(
        url(tps, contest), json.dumps(body), content_type="application/json", headers=headers
    )


def post(client: Any, path: str, body: dict[str, Any]):
    return client.post(path, json.dumps(body), content_type="application/json")


def recap(client: Any, region: str = KELURAHAN, **query: str) -> dict[str, Any]:
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    response = client.get(f"/api/v1/recap/ppwp/{region}{suffix}")
    assert response.status_code == 200, response.content
    result: dict[str, Any] = response.json()
    return result


def code_of(response: Any) -> str:
    return str(response.json()["errors"][0]["code"])


def misread(tps: str = TPS) -> dict[str, Any]:
    """A form the operator confirms as written although its sum is broken: paslon 1 typed as
    617 where the form says 117 (Sirekap's famous misread)."""
    body = sheet_for_tps(tps)
    body["suara"]["1"] += 500
    body["konfirmasi_tidak_konsisten"] = True
    body["catatan"] = "Formulir memang tertulis 617 untuk paslon 1"
    return body


def another_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 210, 220)).save(buffer, "JPEG")
    return buffer.getvalue()


def set_mode(client: Any, mode: str) -> None:
    response = client.put(
        "/api/v1/contests/ppwp",
        json.dumps({"verification_mode": mode}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


@pytest.fixture
def desk(api_for, operator, verifier, admin):
    return {"op": api_for(operator), "ver": api_for(verifier), "admin": api_for(admin)}


# --- 2. Phantom votes -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sheet_confirmed_inconsistent_counts_in_no_total_until_verified(desk):
    clean = sheet_for_tps(f"{KELURAHAN}002")
    assert put(desk["op"], clean, f"{KELURAHAN}002").status_code == 201
    stored = put(desk["op"], misread())
    assert stored.status_code == 201
    assert "dikonfirmasi_tidak_konsisten" in [f["code"] for f in stored.json()["flags"]]

    city = recap(desk["admin"], "5271")
    assert city["totals"] == {k: v for k, v in clean["suara"].items() if v}
    assert (city["tps_reported"], city["tps_held"]) == (1, 1)
    row = next(c for c in recap(desk["op"])["children"] if c["code"] == TPS)
    assert (row["totals"], row["tps_reported"], row["tps_held"]) == ({}, 0, 1)
    detail = desk["op"].get(url()).json()
    assert (detail["counted"], detail["perlu_diperiksa"]) == (False, True)

    attach_photo(desk["op"], "ppwp", TPS)
    assert post(desk["ver"], url() + "/verify", {"version": 1}).status_code == 200
    city = recap(desk["admin"], "5271")
    assert city["totals"]["1"] == clean["suara"]["1"] + misread()["suara"]["1"]
    assert (city["tps_reported"], city["tps_verified"], city["tps_held"]) == (2, 1, 0)
    assert check_rollups() == []


@pytest.mark.django_db
def test_shares_are_of_the_counted_votes_and_sum_to_exactly_100(desk):
    for n in (1, 2, 3):
        body = with_votes(sheet_for_tps(f"{KELURAHAN}{n:03d}"), {"1": 50, "2": 50, "3": 50})
        put(desk["op"], body, f"{KELURAHAN}{n:03d}")
    put(desk["op"], misread(f"{KELURAHAN}004"), f"{KELURAHAN}004")
    city = recap(desk["admin"], "5271")
    assert city["shares"] == {"1": "33.34", "2": "33.33", "3": "33.33"}
    assert sum(Decimal(v) for v in city["shares"].values()) == 100


# --- 3. Verification that checks something ---------------------------------------------------


@pytest.mark.django_db
def test_photo_verification_needs_a_photo(desk):
    put(desk["op"], sheet_for_tps(TPS))
    refused = post(desk["ver"], url() + "/verify", {"version": 1})
    assert refused.status_code == 422
    assert code_of(refused) == "foto_wajib"
    assert Sheet.objects.get(tps_id=TPS, contest_id="ppwp").status == "dientri"
    attach_photo(desk["op"], "ppwp", TPS)
    assert post(desk["ver"], url() + "/verify", {"version": 1}).status_code == 200


@pytest.mark.django_db
def test_a_photo_added_after_verification_sends_the_sheet_back_to_the_queue(desk, client_for):
    body = sheet_for_tps(TPS)
    put(desk["op"], body)
    attach_photo(desk["op"], "ppwp", TPS)
    post(desk["ver"], url() + "/verify", {"version": 1})
    assert recap(desk["op"], verified_only="true")["tps_verified"] == 1

    attach_photo(desk["op"], "ppwp", TPS, photo=another_photo())
    detail = desk["op"].get(url()).json()
    assert detail["status"] == "dientri"
    verified = recap(desk["op"], verified_only="true")
    assert (verified["tps_verified"], verified["totals"]) == (0, {})
    assert check_rollups() == []
    entry = AuditEntry.objects.filter(action="sheet.photos").last()
    assert entry is not None and entry.payload["unverified"] is True


@pytest.mark.django_db
def test_a_correction_keeps_the_earlier_photos(desk):
    body = sheet_for_tps(TPS)
    put(desk["op"], body)
    attach_photo(desk["op"], "ppwp", TPS)
    put(desk["op"], with_votes(body, {"1": body["suara"]["1"] - 1}), alasan_koreksi="x")
    assert len(desk["op"].get(url()).json()["photos"]) == 1


# --- 4. No self-approval, one way to make a version --------------------------------------------


@pytest.fixture
def mismatched(desk, operator):
    """A blind contest, a first entry by the operator and a re-entry by the verifier that
    differs in one box (and corrects the DPT the operator mistyped)."""
    set_mode(desk["admin"], "blind")
    first = sheet_for_tps(TPS)
    first["administrasi"]["pemilih_dpt_l"] += 10  # a sign: DPT differs from the master data
    assert put(desk["op"], first).status_code == 201
    second = copy.deepcopy(sheet_for_tps(TPS))
    response = post(desk["ver"], url() + "/verify", {"version": 1, "sheet": second})
    assert response.status_code == 409
    return first, second


@pytest.mark.django_db
def test_the_supervisor_resolution_runs_the_rules_and_the_reentrant_is_its_author(
    desk, mismatched, verifier
):
    response = post(desk["admin"], url() + "/resolve", {"accept": "kedua", "note": "foto jelas"})
    assert response.status_code == 200, response.content
    version = SheetVersion.objects.get(sheet__tps_id=TPS, number=2)
    assert version.author == verifier
    assert version.source == "resolusi"
    detail = desk["op"].get(url()).json()
    assert detail["status"] == "terverifikasi"
    assert "dpt_beda_data_induk" not in [f["code"] for f in detail["flags"]]
    assert "dpt_beda_data_induk" not in [f["code"] for f in version.flags]
    assert check_rollups() == []


@pytest.mark.django_db
def test_the_resolution_refuses_a_reentry_that_breaks_the_arithmetic(desk, operator):
    set_mode(desk["admin"], "blind")
    put(desk["op"], sheet_for_tps(TPS))
    broken = sheet_for_tps(TPS)
    broken["suara"]["1"] += 5  # valid votes no longer the sum of section IV
    post(desk["ver"], url() + "/verify", {"version": 1, "sheet": broken})
    response = post(desk["admin"], url() + "/resolve", {"accept": "kedua", "note": "cek"})
    assert response.status_code == 422
    assert code_of(response) == "suara_sah_tidak_sama_rincian"
    assert Sheet.objects.get(tps_id=TPS, contest_id="ppwp").status == "selisih"


@pytest.mark.django_db
def test_nobody_settles_a_mismatch_on_their_own_entry(api_for, make_user, operator):
    first_admin = make_user("admin_pertama", "admin")
    second_admin = make_user("admin_kedua", "admin")
    third_admin = make_user("admin_ketiga", "admin")
    set_mode(api_for(third_admin), "blind")
    assert put(api_for(first_admin), sheet_for_tps(TPS)).status_code == 201
    typed = with_votes(sheet_for_tps(TPS), {"1": 1})
    post(api_for(second_admin), url() + "/verify", {"version": 1, "sheet": typed})
    for involved in (first_admin, second_admin):
        response = post(api_for(involved), url() + "/resolve", {"accept": "pertama", "note": "x"})
        assert response.status_code == 409
        assert code_of(response) == "supervisor_terlibat"
    response = post(api_for(third_admin), url() + "/resolve", {"accept": "pertama", "note": "x"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_mismatch_page_tells_an_involved_admin_why_not(client_for, api_for, make_user):
    first_admin = make_user("admin_pertama", "admin")
    reentrant = make_user("admin_kedua", "admin")
    set_mode(api_for(first_admin), "blind")
    put(api_for(first_admin), sheet_for_tps(TPS))
    post(api_for(reentrant), url() + "/verify", {"version": 1, "sheet": sheet_for_tps(TPS, seed=3)})
    page = client_for(reentrant).get(f"/hasil/selisih/ppwp/{TPS}/")
    assert 'id="terlibat"' in page.content.decode()
    assert 'value="kedua"' not in page.content.decode()


# --- 6. Flags that stay true -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_digit_shift_is_flagged_when_the_neighbours_arrive_and_cleared_on_correction(desk):
    shifted = with_votes(sheet_for_tps(TPS), {"1": 60, "2": 40, "3": 80})
    assert put(desk["op"], shifted).json()["flags"] == []  # no neighbours yet
    for n in (2, 3, 4):
        tps = f"{KELURAHAN}{n:03d}"
        put(desk["op"], with_votes(sheet_for_tps(tps), {"1": 100, "2": 60, "3": 20}), tps)
    flags = [f["code"] for f in desk["op"].get(url()).json()["flags"]]
    assert flags == ["digit_bergeser"]
    assert Sheet.objects.get(tps_id=TPS, contest_id="ppwp").flag_codes == "digit_bergeser"
    reflag = AuditEntry.objects.filter(action="sheet.reflag", object_id=f"ppwp/{TPS}")
    assert reflag.count() == 1
    assert reflag.get().payload["after"] == ["digit_bergeser"]

    fixed = with_votes(shifted, {"3": 20})
    assert put(desk["op"], fixed, alasan_koreksi="salah ketik").json()["flags"] == []
    assert desk["op"].get(url()).json()["flags"] == []


def more_voters(body: dict[str, Any], n: int) -> dict[str, Any]:
    """The same form with n more DPT voters, all of whose ballots were invalid."""
    new = copy.deepcopy(body)
    a = new["administrasi"]
    a["pengguna_dpt_l"] += n
    a["surat_suara_digunakan"] += n
    a["surat_suara_tidak_digunakan"] -= n
    a["suara_tidak_sah"] += n
    return new


@pytest.mark.django_db
def test_turnout_across_ballots_is_rechecked_on_the_other_ballot(desk):
    put(desk["op"], sheet_for_tps(TPS))
    dpr = more_voters(sheet_for_tps(TPS, "dpr"), 20)
    stored = put(desk["op"], dpr, contest="dpr").json()
    assert "partisipasi_beda_antar_surat" in [f["code"] for f in stored["flags"]]
    ppwp = desk["op"].get(url()).json()
    assert "partisipasi_beda_antar_surat" in [f["code"] for f in ppwp["flags"]]

    put(desk["op"], sheet_for_tps(TPS, "dpr"), contest="dpr", alasan_koreksi="salah ketik")
    assert desk["op"].get(url()).json()["flags"] == []
    assert desk["op"].get(url(contest="dpr")).json()["flags"] == []


# --- 7. Idempotency keys bound to caller and body: test_submit.py ---------------------------


# --- 8. Send back ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_verifier_returns_a_version_to_its_operator(desk, operator, client_for):
    body = sheet_for_tps(TPS)
    put(desk["op"], body)
    response = post(desk["ver"], url() + "/return", {"version": 1, "reason": "Foto kabur"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "dikembalikan"

    detail = desk["op"].get(url()).json()
    assert detail["returned"]["reason"] == "Foto kabur"
    assert detail["counted"] is False
    city = recap(desk["admin"], "5271")
    assert (city["totals"], city["tps_reported"], city["tps_held"]) == ({}, 0, 1)
    assert Notification.objects.filter(recipient=operator, kind="sheet.returned").exists()
    home = client_for(operator).get("/hasil/").content.decode()
    assert 'id="dikembalikan"' in home
    page = client_for(operator).get(f"/hasil/ppwp/{TPS}/isi/").content.decode()
    assert "Foto kabur" in page
    assert AuditEntry.objects.filter(action="sheet.return").exists()

    refused = post(desk["ver"], url() + "/verify", {"version": 1})
    assert code_of(refused) == "sudah_dikembalikan"
    fixed = put(desk["op"], with_votes(body, {"1": 1}), alasan_koreksi="dibaca ulang")
    assert fixed.json()["status"] == "dientri"
    assert recap(desk["admin"], "5271")["tps_reported"] == 1
    assert check_rollups() == []


@pytest.mark.django_db
def test_a_verified_sheet_can_be_returned_so_its_operator_may_correct_it(
    desk, client_for, operator
):
    body = sheet_for_tps(TPS)
    put(desk["op"], body)
    attach_photo(desk["op"], "ppwp", TPS)
    post(desk["ver"], url() + "/verify", {"version": 1})
    page = client_for(operator).get(f"/hasil/ppwp/{TPS}/").content.decode()
    assert 'id="terkunci"' in page  # says why the correction button is gone, and what to do
    assert put(desk["op"], with_votes(body, {"1": 0}), alasan_koreksi="x").status_code == 409

    returned = post(desk["ver"], url() + "/return", {"version": 1, "reason": "PPS minta"})
    assert returned.status_code == 200
    assert put(desk["op"], with_votes(body, {"1": 0}), alasan_koreksi="x").status_code == 200
    assert check_rollups() == []


@pytest.mark.django_db
def test_a_return_needs_a_reason_another_person_and_the_current_version(desk, api_for, admin):
    put(desk["op"], sheet_for_tps(TPS))
    missing = post(desk["ver"], url() + "/return", {"version": 1, "reason": "  "})
    assert (missing.status_code, code_of(missing)) == (422, "alasan_wajib")
    stale = post(desk["ver"], url() + "/return", {"version": 2, "reason": "x"})
    assert (stale.status_code, code_of(stale)) == (409, "versi_bukan_terkini")
    assert post(desk["op"], url() + "/return", {"version": 1, "reason": "x"}).status_code == 403

    mine = sheet_for_tps(f"{KELURAHAN}002")
    put(desk["admin"], mine, f"{KELURAHAN}002")
    own = post(desk["admin"], url(f"{KELURAHAN}002") + "/return", {"version": 1, "reason": "x"})
    assert (own.status_code, code_of(own)) == (409, "verifikator_sama_dengan_pengentri")


@pytest.mark.django_db
def test_the_page_sends_a_sheet_back(desk, client_for, verifier):
    put(desk["op"], sheet_for_tps(TPS))
    response = client_for(verifier).post(
        f"/hasil/ppwp/{TPS}/kembalikan/", {"versi": "1", "alasan": "Halaman 2 tidak terbaca"}
    )
    assert response.status_code == 302
    assert Sheet.objects.get(tps_id=TPS, contest_id="ppwp").status == "dikembalikan"
    held = client_for(verifier).get("/hasil/ditahan/").content.decode()
    assert f"/hasil/ppwp/{TPS}/" in held


# --- the contests API (the desk's choice of verification mode) -------------------------------


@pytest.mark.django_db
def test_it_lists_and_sets_the_verification_mode(desk):
    listed = desk["op"].get("/api/v1/contests").json()
    assert {"code": "ppwp", "name": listed[0]["name"], "verification_mode": "photo"} in listed
    changed = desk["admin"].put(
        "/api/v1/contests/ppwp",
        json.dumps({"verification_mode": "blind"}),
        content_type="application/json",
    )
    assert changed.json()["verification_mode"] == "blind"
    assert AuditEntry.objects.filter(action="contest.verification_mode").exists()
    refused = desk["ver"].put(
        "/api/v1/contests/ppwp",
        json.dumps({"verification_mode": "photo"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    bad = desk["admin"].put(
        "/api/v1/contests/ppwp",
        json.dumps({"verification_mode": "acak"}),
        content_type="application/json",
    )
    assert (bad.status_code, code_of(bad)) == (422, "mode_tidak_dikenal")
    unknown = desk["admin"].put(
        "/api/v1/contests/tidak-ada",
        json.dumps({"verification_mode": "blind"}),
        content_type="application/json",
    )
    assert unknown.status_code == 404


# --- 1. Blind re-entry is blind (the API; every route is walked in security/tests) ------------


@pytest.mark.django_db
def test_a_blind_reentrant_reads_verified_figures_only_in_the_recap(desk):
    set_mode(desk["admin"], "blind")
    body = sheet_for_tps(TPS)
    put(desk["op"], body)
    for reader in ("ver", "admin"):
        data = recap(desk[reader])
        assert data["verified_only"] is True
        assert data["totals"] == {}
        row = next(c for c in data["children"] if c["code"] == TPS)
        assert (row["totals"], row["suara_sah"], row["status"]) == ({}, 0, "dientri")
    assert recap(desk["op"])["totals"] == {k: v for k, v in body["suara"].items() if v}


@pytest.mark.django_db
def test_the_resolution_carries_the_confirmation_only_when_the_reentry_needs_it(desk):
    set_mode(desk["admin"], "blind")
    put(desk["op"], misread())
    clean = sheet_for_tps(TPS)  # the re-entrant read the form right: nothing to confirm
    post(desk["ver"], url() + "/verify", {"version": 1, "sheet": clean})
    response = post(desk["admin"], url() + "/resolve", {"accept": "kedua", "note": "foto"})
    assert response.status_code == 200, response.content
    version = SheetVersion.objects.get(sheet__tps_id=TPS, number=2)
    assert version.confirmed_inconsistent is False
    assert version.flags == []


@pytest.mark.django_db
def test_the_form_sent_again_with_other_numbers_is_not_stored_and_says_so(client_for, operator):
    from deskpemilu.results.tests.pages import form_data

    page = f"/hasil/ppwp/{TPS}/isi/"
    body = sheet_for_tps(TPS)
    first = client_for(operator).post(page, {**form_data(body), "kunci": "ab" * 16})
    assert first.status_code == 302
    again = client_for(operator).post(
        page, {**form_data(with_votes(body, {"1": 0})), "kunci": "ab" * 16}
    )
    assert again.status_code == 422
    html = again.content.decode()
    assert "ab" * 16 not in html  # a fresh key to send these numbers as a new version
    assert SheetVersion.objects.filter(sheet__tps_id=TPS).count() == 1
