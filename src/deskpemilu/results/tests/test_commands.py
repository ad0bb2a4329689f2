import json

import pytest
from django.core.management import CommandError, call_command

from deskpemilu.results.models import Choice, Rollup
from deskpemilu.results.tests.sheets import sheet_for_tps


@pytest.mark.django_db
def test_it_checks_the_recap(api_for, admin, capsys):
    tps = "5271011004001"
    api_for(admin).put(
        f"/api/v1/results/ppwp/{tps}",
        json.dumps(sheet_for_tps(tps)),
        content_type="application/json",
    )
    call_command("check_recap")
    assert "OK" in capsys.readouterr().out
    row = Rollup.objects.get(region_id="5271", contest_id="ppwp", kind="sementara")
    Rollup.objects.filter(pk=row.pk).update(suara_sah=row.suara_sah + 1)
    with pytest.raises(CommandError, match="1 rollups differ"):
        call_command("check_recap")
    call_command("rebuild_rollups")
    call_command("check_recap")


@pytest.mark.django_db
def test_it_imports_a_real_candidate_list(tmp_path, capsys):
    path = tmp_path / "calon.csv"
    path.write_text(
        "kontes,dapil,partai,nomor,nama\n"
        "dprd-kabkota,mataram-1,8,1,Calon Nyata Satu\n"
        "dprd-kabkota,mataram-1,8,2,Calon Nyata Dua\n"
    )
    call_command("import_candidates", str(path))
    labels = list(
        Choice.objects.filter(dapil__code="mataram-1", key__startswith="8.").values_list(
            "key", "label", "is_demo"
        )
    )
    assert labels == [("8.1", "Calon Nyata Satu", False), ("8.2", "Calon Nyata Dua", False)]


@pytest.mark.django_db
def test_it_refuses_candidates_once_sheets_exist(api_for, admin, tmp_path):
    tps = "5271021001001"
    api_for(admin).put(
        f"/api/v1/results/dprd-kabkota/{tps}",
        json.dumps(sheet_for_tps(tps, "dprd-kabkota")),
        content_type="application/json",
    )
    path = tmp_path / "calon.csv"
    path.write_text("kontes,dapil,partai,nomor,nama\ndprd-kabkota,mataram-1,8,1,X Y\n")
    with pytest.raises(CommandError, match="sudah punya lembar"):
        call_command("import_candidates", str(path))


@pytest.mark.django_db
def test_it_refuses_formula_candidate_names(tmp_path):
    path = tmp_path / "calon.csv"
    path.write_text('kontes,dapil,partai,nomor,nama\ndpd,ntb,,5,=HYPERLINK("x")\n')
    with pytest.raises(CommandError, match="rumus"):
        call_command("import_candidates", str(path))
