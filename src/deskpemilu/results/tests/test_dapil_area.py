"""A dapil's area: the nation for ppwp ("0" in the election file), province 52 for DPD NTB and
the Pilgub, and an existing database brought up to the shipped files by `seed_mataram` again."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from deskpemilu.results.contests import clear_cache, contest_info, dapil_for, read_election
from deskpemilu.results.models import Dapil
from deskpemilu.results.setup import election_load
from deskpemilu.results.tests.sheets import sheet_for_tps

JAKARTA_TPS = "3171011001001"  # a TPS of another province: only the nation covers it
KSB_TPS = "5207012001001"


@pytest.fixture(autouse=True)
def _fresh_lookups():
    clear_cache()
    yield
    clear_cache()


@pytest.mark.django_db
def test_each_contest_covers_its_real_area():
    ppwp, dpd, pkwkp, pkwkk = (contest_info(c) for c in ("ppwp", "dpd", "pkwkp", "pkwkk"))
    assert ppwp and dpd and pkwkp and pkwkk
    assert dapil_for(ppwp, JAKARTA_TPS).code == "nasional"
    assert dapil_for(ppwp, "0").code == "nasional"  # the national recap's labels
    assert dapil_for(dpd, KSB_TPS).code == "ntb"
    assert dapil_for(dpd, JAKARTA_TPS) is None
    assert dapil_for(pkwkp, KSB_TPS).code == "provinsi"
    assert dapil_for(pkwkk, KSB_TPS) is None
    assert dapil_for(pkwkk, "5271011004001").code == "kota"


def _as_first_shipped() -> None:
    """The areas a database loaded before issue 17 has: everything Kota Mataram only."""
    for dapil in Dapil.objects.filter(contest_id__in=["ppwp", "dpd", "pkwkp"]):
        dapil.nationwide = False
        dapil.save(update_fields=["nationwide"])
        dapil.regions.set(["5271"])


@pytest.mark.django_db
def test_seed_mataram_again_widens_an_existing_database(api_for, admin):
    tps = "5271011004001"
    answer = api_for(admin).put(
        f"/api/v1/results/ppwp/{tps}", json.dumps(sheet_for_tps(tps)), "application/json"
    )
    assert answer.status_code == 201
    _as_first_shipped()
    out = io.StringIO()
    call_command("seed_mataram", stdout=out)
    assert "areas 3" in out.getvalue()
    nasional = Dapil.objects.get(contest_id="ppwp", code="nasional")
    assert nasional.nationwide and not nasional.regions.exists()
    assert list(Dapil.objects.get(contest_id="dpd").regions.values_list("code", flat=True)) == [
        "52"
    ]
    out = io.StringIO()
    call_command("seed_mataram", stdout=out)
    assert "tidak ada yang diubah" in out.getvalue()  # idempotent once widened


@pytest.mark.django_db
def test_a_file_may_not_narrow_a_contest_that_has_sheets(api_for, admin):
    tps = "5271011004001"
    answer = api_for(admin).put(
        f"/api/v1/results/dpd/{tps}", json.dumps(sheet_for_tps(tps, "dpd")), "application/json"
    )
    assert answer.status_code == 201
    data = read_election()
    dpd = next(c for c in data["contests"] if c["code"] == "dpd")
    dpd["dapil"][0]["regions"] = ["527101"]  # Ampenan only: narrower than province 52
    with pytest.raises(ValidationError, match="narrows"):
        election_load(actor=None, data=data)
    assert list(Dapil.objects.get(contest_id="dpd").regions.values_list("code", flat=True)) == [
        "52"
    ]
