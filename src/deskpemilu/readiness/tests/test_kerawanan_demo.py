"""The demo's kerawanan: setup_demo maps every demo TPS once, most of them tidak rawan, each
demo reason labelled; a second run changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from deskpemilu.audit.models import AuditEntry
from deskpemilu.readiness.models import KerawananEntry, TpsKerawanan
from deskpemilu.regions.models import Tps


@pytest.mark.django_db
def test_setup_demo_maps_every_demo_tps_once(client_for, viewer):
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    assert "Kerawanan TPS demo:" in out.getvalue()
    total = Tps.objects.filter(is_demo=True).count()
    assert TpsKerawanan.objects.count() == total
    tidak = TpsKerawanan.objects.filter(tingkat="tidak_rawan").count()
    sangat = TpsKerawanan.objects.filter(tingkat="sangat_rawan")
    assert tidak > 0.75 * total
    assert 0 < sangat.count() < 0.06 * total
    assert all(k.petugas == 4 and k.alasan.startswith("(demo)") for k in sangat)
    assert AuditEntry.objects.filter(action="kerawanan.import").count() == 1

    again = io.StringIO()
    call_command("setup_demo", stdout=again)
    assert "Kerawanan TPS demo:" not in again.getvalue()
    assert KerawananEntry.objects.count() == total
    html = client_for(viewer).get("/kesiapan/kerawanan/?tingkat=sangat_rawan").content.decode()
    assert "(demo)" in html
