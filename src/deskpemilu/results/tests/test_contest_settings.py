"""The desk's page of contest settings /hasil/kontes/: each contest's verification mode (photo
check or blind re-entry), changed by an admin with a reason, audited, and in force at once for
verification, in this server process and in the others (each keeps its own contest cache)."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from deskpemilu.audit.models import AuditEntry
from deskpemilu.results.contests import clear_cache, contest_info
from deskpemilu.results.models import Contest, Sheet
from deskpemilu.results.setup import contest_set_verification_mode
from deskpemilu.results.tests.pages import text
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps

URL = "/hasil/kontes/"
TPS = "5271011004003"
SHEET_API = f"/api/v1/results/ppwp/{TPS}"


@pytest.fixture(autouse=True)
def fresh_cache():
    # The database rolls back after each test; the process's contest cache must follow it.
    clear_cache()
    yield
    clear_cache()


def mode(code="ppwp"):
    return Contest.objects.get(code=code).verification_mode


def change(client, contest="ppwp", new="blind", reason="Rapat desk 13 Februari", **kw):
    return client.post(URL, {"kontes": contest, "mode": new, "alasan": reason}, **kw)


@pytest.fixture
def entered(api_for, operator):
    body = sheet_for_tps(TPS)
    client = api_for(operator)
    response = client.put(SHEET_API, json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    attach_photo(client, "ppwp", TPS)
    return body


def verify(client, body):
    return client.post(SHEET_API + "/verify", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_it_lists_every_contest_with_its_mode(client_for, admin):
    response = client_for(admin).get(URL)
    assert response.status_code == 200
    html = text(response)
    assert "Pengaturan surat suara: mode verifikasi" in html
    for contest in Contest.objects.filter(is_active=True):
        assert f'data-contest="{contest.code}"' in html
    assert 'data-mode="photo">Periksa terhadap foto formulir</b>' in html
    assert '<option value="blind">Entri ganda buta</option>' in html


@pytest.mark.django_db
def test_it_is_linked_from_the_admin_menu_and_the_results_page(client_for, admin, operator):
    assert f'href="{URL}"' in text(client_for(admin).get("/hasil/"))
    assert f'href="{URL}"' in text(client_for(admin).get("/audit/"))
    assert f'href="{URL}"' not in text(client_for(operator).get("/hasil/"))


@pytest.mark.django_db
def test_it_changes_the_mode_and_records_why(client_for, admin):
    response = change(client_for(admin), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Mode verifikasi PPWP kini: Entri ganda buta." in text(response)
    assert 'data-contest="ppwp"' in text(response)
    assert mode() == "blind"
    assert mode("dpr") == "photo"
    entry = AuditEntry.objects.filter(action="contest.verification_mode").get()
    assert entry.actor == admin
    assert (entry.object_type, entry.object_id) == ("contest", "ppwp")
    assert entry.payload == {"old": "photo", "new": "blind", "reason": "Rapat desk 13 Februari"}
    change(client_for(admin), new="photo", reason="Kembali ke periksa foto")
    assert mode() == "photo"
    payloads = [e.payload for e in AuditEntry.objects.filter(action="contest.verification_mode")]
    assert [(p["old"], p["new"]) for p in payloads] == [("photo", "blind"), ("blind", "photo")]


@pytest.mark.django_db
def test_it_records_nothing_when_the_mode_stays(client_for, admin):
    response = change(client_for(admin), new="photo", follow=True)
    assert "sudah Periksa terhadap foto formulir; tidak ada perubahan" in text(response)
    assert not AuditEntry.objects.filter(action="contest.verification_mode").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kontes": "ppwp", "mode": "acak", "alasan": "coba"},
            "Mode verifikasi tidak dikenal: acak. Pilih salah satu: photo, blind.",
        ),
        ({"kontes": "ppwp", "mode": "", "alasan": "coba"}, "Mode verifikasi tidak dikenal"),
        ({"kontes": "pilkada", "mode": "blind", "alasan": "coba"}, "Kontes pilkada tidak dikenal."),
        ({"kontes": "", "mode": "blind", "alasan": "coba"}, "Kontes  tidak dikenal."),
        ({"kontes": "ppwp", "mode": "blind", "alasan": "   "}, "Alasan perubahan wajib diisi."),
        ({"kontes": "ppwp", "mode": "blind", "alasan": "x" * 501}, "paling panjang 500 karakter"),
        ({}, "Mode verifikasi tidak dikenal"),
    ],
)
def test_it_refuses_bad_input_in_indonesian(client_for, admin, data, message):
    response = client_for(admin).post(URL, data)
    assert response.status_code == 422
    html = text(response)
    assert message in html
    assert 'role="alert"' in html
    assert mode() == "photo"
    assert not AuditEntry.objects.filter(action="contest.verification_mode").exists()


@pytest.mark.django_db
def test_it_keeps_what_was_typed_after_a_refusal(client_for, admin):
    data = {"kontes": "dpd", "mode": "blind", "alasan": "x" * 501}
    html = text(client_for(admin).post(URL, data))
    assert f'name="alasan" maxlength="500" required value="{"x" * 501}"' in html
    assert '<option value="blind" selected>' in html


@pytest.mark.django_db
def test_it_speaks_english_when_chosen(client_for, admin):
    client = client_for(admin)
    client.cookies["django_language"] = "en"
    html = text(client.post(URL, {"kontes": "ppwp", "mode": "blind", "alasan": ""}))
    assert "A reason for the change is required." in html
    assert "Blind double entry" in html


@pytest.mark.django_db
def test_only_an_admin_may_open_or_post_it(client, client_for, operator, verifier, viewer, lurah):
    for user in (operator, verifier, viewer, lurah):
        assert client_for(user).get(URL).status_code == 403
        assert change(client_for(user)).status_code == 403
    assert client.get(URL).status_code == 302  # to the sign-in page
    assert change(client).status_code == 302
    assert mode() == "photo"


@pytest.mark.django_db
def test_the_service_refuses_anyone_but_an_admin(verifier):
    # The page's role gate is checked above; this is the service's own.
    with pytest.raises(PermissionDenied):
        contest_set_verification_mode(
            actor=verifier, contest_code="ppwp", mode="blind", reason="ingin buta"
        )
    assert mode() == "photo"


@pytest.mark.django_db
def test_blind_mode_takes_effect_for_verification(client_for, api_for, admin, verifier, entered):
    contest_info("ppwp")  # this process has the contest cached, in photo mode
    change(client_for(admin))
    client = api_for(verifier)
    response = verify(client, {"version": 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "entri_buta_wajib"
    assert 'data-mode="blind"' in text(client_for(verifier).get(f"/hasil/ppwp/{TPS}/verifikasi/"))
    assert verify(client, {"version": 1, "sheet": entered}).status_code == 200
    assert Sheet.objects.get(tps_id=TPS, contest_id="ppwp").status == "terverifikasi"


@pytest.mark.django_db
def test_photo_mode_takes_effect_for_verification(client_for, api_for, admin, verifier, entered):
    change(client_for(admin))
    change(client_for(admin), new="photo", reason="Verifikator kurang")
    response = verify(api_for(verifier), {"version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "terverifikasi"


@pytest.mark.django_db
def test_another_process_sees_the_change_at_once(api_for, client_for, verifier, entered):
    """Another server process changed the mode: this one still holds the old contest cache
    (filled before the change, good for a minute), yet verifies and shows the sheet by the new
    mode."""
    assert contest_info("ppwp").verification_mode == "photo"  # cached here
    Contest.objects.filter(code="ppwp").update(verification_mode="blind")  # by the other process
    assert contest_info("ppwp").verification_mode == "photo"  # still cached here
    client = api_for(verifier)
    assert client.get(SHEET_API).json()["numbers_hidden"] is True
    response = verify(client, {"version": 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "entri_buta_wajib"
    assert "angka entri pertama disembunyikan" in text(
        client_for(verifier).get(f"/hasil/ppwp/{TPS}/")
    )
    assert contest_info("ppwp").verification_mode == "blind"  # and the cache was refreshed
