"""Kerawanan follows the active election's TPS (README, "TPS per election"): Polri's list names
TPS by their 13-digit KPU code, and with Pilkada 2024 active those are Pilkada's TPS, stored
under their own key, while Pemilu 2024's TPS of the same code keep their own level."""

import io

import pytest
from django.core.management import call_command

from deskpemilu.readiness.demo import seed_kerawanan_demo
from deskpemilu.readiness.models import TpsKerawanan
from deskpemilu.regions.models import Tps

SHARED = "5271011004003"  # a TPS code in both elections


@pytest.fixture
def pilkada_active():
    call_command("activate_election", "pilkada2024", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_import_sets_the_active_elections_tps(tmp_path, api_for, admin, pilkada_active):
    path = tmp_path / "kerawanan.csv"
    path.write_text(f"kode_tps,tingkat,alasan,petugas\n{SHARED},sangat_rawan,Sengketa paslon,4\n")
    call_command("import_kerawanan", str(path), stdout=io.StringIO())
    assert list(TpsKerawanan.objects.values_list("tps_id", "tingkat")) == [
        (f"{SHARED}@pilkada2024", "sangat_rawan")
    ]
    answer = api_for(admin).get(f"/api/v1/tps/{SHARED}/kerawanan").json()
    assert answer["tingkat"] == "sangat_rawan"


@pytest.mark.django_db
def test_the_import_refuses_a_code_the_active_election_lacks(tmp_path, pilkada_active):
    pemilu_only = "5271011004020"
    path = tmp_path / "kerawanan.csv"
    path.write_text(f"kode_tps,tingkat,alasan,petugas\n{pemilu_only},rawan,Banjir,2\n")
    with pytest.raises(Exception, match="dibatalkan"):
        call_command("import_kerawanan", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not TpsKerawanan.objects.exists()


@pytest.mark.django_db
def test_the_demo_maps_the_active_elections_tps(pilkada_active):
    assert "sangat rawan" in seed_kerawanan_demo()
    assert TpsKerawanan.objects.count() == Tps.objects.filter(is_demo=True).count() == 581
    keys = TpsKerawanan.objects.values_list("tps_id", flat=True)
    assert all(key.endswith("@pilkada2024") for key in keys)


@pytest.mark.django_db
def test_the_public_tps_page_shows_the_active_elections_tps(client, settings, pilkada_active):
    settings.DESKPEMILU_PUBLIC_PORTAL = True
    response = client.get(f"/publik/tps/{SHARED}/")
    assert response.status_code == 200
