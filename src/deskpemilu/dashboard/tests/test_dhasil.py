"""The printable D.Hasil per kecamatan: one column per kelurahan plus the total, the form's
items as rows, print CSS, the audit head; printing is audited."""

from __future__ import annotations

import re

import pytest

from deskpemilu.audit.models import AuditEntry
from deskpemilu.audit.services import head
from deskpemilu.dashboard.tests.helpers import AMPENAN_SELATAN, PEJERUK, enter, verify


def row(d, label_start: str):
    rows = d.admin_rows + d.vote_rows + d.valid_rows
    return next(r for r in rows if r.label.startswith(label_start))


@pytest.mark.django_db
def test_it_sums_the_kelurahan_of_a_kecamatan(client_for, api_for, admin):
    api = api_for(admin)
    a = [enter(api, "ppwp", f"{AMPENAN_SELATAN}{n:03d}", seed=n) for n in (1, 2)]
    b = enter(api, "ppwp", f"{PEJERUK}001", seed=3)
    web = client_for(admin)
    seq, digest = head()
    page = web.get("/rekap/ppwp/527101/dhasil/")
    assert page.status_code == 200
    d = page.context["d"]
    names = [c.name for c in d.columns]
    assert "Ampenan Selatan" in names and "Pejeruk" in names
    i, j = names.index("Ampenan Selatan"), names.index("Pejeruk")
    assert (d.columns[i].tps_counted, d.columns[j].tps_counted, d.tps_counted) == (2, 1, 3)
    paslon_one = row(d, "1. ")
    assert paslon_one.values[i] == sum(x["suara"]["1"] for x in a)
    assert paslon_one.values[j] == b["suara"]["1"]
    assert paslon_one.values[-1] == sum(x["suara"]["1"] for x in [*a, b])
    sah = row(d, "Jumlah suara sah")
    assert sah.values[-1] == sum(x["administrasi"]["suara_sah"] for x in [*a, b])
    dpt = row(d, "Pemilih dalam DPT — jumlah")
    admin_a = [x["administrasi"] for x in a]
    assert dpt.values[i] == sum(x["pemilih_dpt_l"] + x["pemilih_dpt_p"] for x in admin_a)
    html = page.content.decode()
    assert "/static/dashboard/dhasil.css" in html
    assert "Jumlah akhir" in html
    assert digest in html and page.context["audit_seq"] == seq
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    entry = AuditEntry.objects.get(seq=seq + 1)
    assert (entry.action, entry.payload["kind"]) == ("recap.export", "dhasil")


@pytest.mark.django_db
def test_it_counts_verified_sheets_only_on_request(client_for, api_for, admin, verifier):
    api = api_for(admin)
    enter(api, "ppwp", f"{AMPENAN_SELATAN}001", seed=1)
    kept = enter(api, "ppwp", f"{AMPENAN_SELATAN}002", seed=2)
    verify(api_for(verifier), "ppwp", f"{AMPENAN_SELATAN}002")
    d = client_for(admin).get("/rekap/ppwp/527101/dhasil/?data=terverifikasi").context["d"]
    assert d.tps_counted == 1
    assert row(d, "Jumlah suara sah").values[-1] == kept["administrasi"]["suara_sah"]


@pytest.mark.django_db
def test_it_lists_parties_and_candidates_inside_one_dapil(client_for, api_for, admin):
    body = enter(api_for(admin), "dprd-kabkota", f"{AMPENAN_SELATAN}001")
    web = client_for(admin)
    d = web.get("/rekap/dprd-kabkota/527101/dhasil/").context["d"]
    assert d.with_candidates
    party_one = sum(v for k, v in body["suara"].items() if k.split(".")[0] == "1")
    assert row(d, "1. Partai Kebangkitan Bangsa — jumlah").values[-1] == party_one
    assert row(d, "1. Partai Kebangkitan Bangsa — suara partai").values[-1] == body["suara"]["1"]
    assert row(d, "1.1 ").values[-1] == body["suara"]["1.1"]
    city = web.get("/rekap/dprd-kabkota/5271/dhasil/").context["d"]
    assert not city.with_candidates
    assert [c.code for c in city.columns][:2] == ["527101", "527102"]
    assert row(city, "1. Partai Kebangkitan Bangsa — jumlah").values[-1] == party_one


@pytest.mark.django_db
def test_it_keeps_the_print_page_inside_the_readers_scope(client_for, lurah):
    web = client_for(lurah)
    assert web.get("/rekap/ppwp/527101/dhasil/").status_code == 403
    own = web.get(f"/rekap/ppwp/{PEJERUK}/dhasil/")
    assert own.status_code == 200
    assert own.context["d"].columns[0].name == "TPS 001"
