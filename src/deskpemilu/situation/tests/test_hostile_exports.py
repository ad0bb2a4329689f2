"""Every export, CSV and XLSX, with a formula in every free-text field that reaches it: no cell
of any of them is a formula when the file is opened (core/spreadsheet.py guards them all)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from deskpemilu.accounts.models import Agency, User
from deskpemilu.health.models import FollowUp, HealthIncident, HealthPost
from deskpemilu.incidents.models import Incident
from deskpemilu.readiness.models import TpsItemState
from deskpemilu.readiness.tests.helpers import all_siap, put
from deskpemilu.regions.models import Region, Tps
from deskpemilu.results.models import Choice, Party
from deskpemilu.results.tests.sheets import sheet_for_tps
from deskpemilu.situation.tests.helpers import enter
from deskpemilu.team.models import ActionItem, DutyAssignment, Meeting, TeamMember
from deskpemilu.team.tests.conftest import meeting_body, post_json

HOSTILE = '=HYPERLINK("http://x","y")'
PEJERUK = "5271011006"
PEJERUK_TPS = "5271011006003"
AMPENAN_TPS = "5271011004003"

EXPORTS = [
    "/kejadian/ekspor.xlsx",
    f"/kesiapan/ekspor/?region={PEJERUK}",
    "/kesehatan/ekspor/",
    "/tim/piket.xlsx?dari=2024-02-16&sampai=2024-02-16",
    "/tim/tindak-lanjut.xlsx",
    "/laporan/situasi.xlsx",
    "/rekap/ppwp/5271/ekspor.csv",
    "/rekap/ppwp/5271/ekspor.xlsx",
    "/rekap/tps.csv?contest=ppwp&region=5271011004",
    "/rekap/tps.xlsx?contest=ppwp&region=5271011004",
    "/wilayah/ekspor/?format=csv&region=5271011004",
    "/wilayah/ekspor/?format=xlsx&region=5271011004",
    "/situasi/kpu/selisih.csv?wilayah=5271",
    "/publik/data/ppwp/5271.csv",
    "/publik/data/ppwp/5271011004/tps.csv",
    "/publik/kpu/5271/selisih.csv",
]


@pytest.fixture
def hostile_desk(api_for, client_for, admin, operator, lurah, make_user, settings):
    """The desk's data, written the ordinary way, then every free-text field made hostile."""
    settings.DESKPEMILU_PUBLIC_PORTAL = True
    assert post_json(api_for(admin), "/api/v1/meetings", meeting_body()).status_code == 201
    enter(api_for(operator), AMPENAN_TPS, sheet_for_tps(AMPENAN_TPS))
    body = {"category": "keamanan", "severity": "tinggi", "tps_code": PEJERUK_TPS}
    body |= {"occurred_at": "2024-02-14T08:15:00+08:00", "description": HOSTILE}
    response = api_for(lurah).post("/api/v1/incidents", json.dumps(body), "application/json")
    assert response.status_code == 201, response.content
    note = {"status": "bermasalah", "catatan": HOSTILE}
    assert put(api_for(lurah), PEJERUK_TPS, all_siap(tinta=note)).status_code in (200, 201)
    nurse = make_user("pkm_ampenan", "health", "527101")
    health = {
        "tps_code": PEJERUK_TPS,
        "person_role": "kpps",
        "condition": "dirawat",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "puskesmas": "pejeruk",
        "note": HOSTILE,
        "name": HOSTILE,
    }
    assert client_for(nurse).post("/kesehatan/kasus/baru/", health).status_code == 302
    # Text the desk types elsewhere (names, places, notes), and an account name as odd as
    # the database allows, set directly: each reaches at least one export.
    for model, fields in (
        (Incident, ["description"]),
        (HealthIncident, ["note", "name"]),
        (FollowUp, ["note"]),
        (HealthPost, ["name", "address"]),
        (TpsItemState, ["catatan"]),
        (Tps, ["address"]),
        (Region, ["name"]),
        (Agency, ["name"]),
        (Party, ["name"]),
        (Choice, ["label"]),
        (TeamMember, ["name", "phone", "bidang"]),
        (DutyAssignment, ["note"]),
        (Meeting, ["title"]),
        (ActionItem, ["text", "note"]),
    ):
        model.objects.update(**dict.fromkeys(fields, HOSTILE))  # type: ignore[attr-defined]
    User.objects.filter(pk=lurah.pk).update(username="@" + lurah.username)
    return client_for(admin)


def cells(response) -> list[object]:
    body = (
        response.content if hasattr(response, "content") else b"".join(response.streaming_content)
    )
    if response["Content-Type"].startswith("text/csv"):
        lines = body.decode("utf-8").splitlines()
        return [c for row in csv.reader(lines) for c in row]
    book = load_workbook(io.BytesIO(body))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                found.append(cell.value)
    return found


def runs_as_formula(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    if value[0] == "-":  # a negative number is a number; "-x" is not
        try:
            float(value)
        except ValueError:
            return True
        return False
    return value[0] in "=+@\t\r"


@pytest.mark.django_db
@pytest.mark.parametrize("url", EXPORTS)
def test_no_cell_of_any_export_is_a_formula(hostile_desk, url):
    response = hostile_desk.get(url)
    assert response.status_code == 200, (url, response.status_code)
    values = cells(response)
    assert [v for v in values if runs_as_formula(v)] == []
    # The hostile text did reach this export, as text (a cell, or the '# …' line above a CSV).
    assert any(isinstance(v, str) and ("HYPERLINK" in v or v.startswith("'@")) for v in values)
