"""Issue 18, item 13: in English mode the incident severity labels, the report form's location
messages and the public portal's switch messages are English, not Indonesian."""

from __future__ import annotations

import pytest
from django.conf import settings

from deskpemilu.incidents.tests.helpers import report

pytestmark = pytest.mark.django_db


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_incident_board_names_severities_in_english(client_for, api_for, admin, lurah):
    report(api_for(lurah), severity="tinggi")
    board = in_english(client_for(admin)).get("/kejadian/").content.decode()
    assert "High" in board and "Critical" in board
    assert ">Tinggi<" not in board and ">Kritis<" not in board


def test_the_report_form_speaks_english_about_the_location(client_for, lurah):
    form = in_english(client_for(lurah)).get("/kejadian/lapor/").content.decode()
    assert 'data-searching="Locating…"' in form
    assert "Mencari lokasi" not in form and "Lokasi tidak tersedia" not in form
    assert "High — " in form and "Tinggi — " not in form  # the severity choices


def test_the_portal_switch_answers_in_english(client_for, admin):
    desk = in_english(client_for(admin))
    opened = desk.post("/situasi/portal/", {"aktif": "1"}, follow=True).content.decode()
    assert "Public portal opened at /publik/." in opened
    closed = desk.post("/situasi/portal/", {"aktif": "0"}, follow=True).content.decode()
    assert "Public portal closed." in closed
    assert "Portal publik" not in closed.split('<ul class="messages">')[1].split("</ul>")[0]
