"""Issue 18, item 8: the pages call a ballot "Surat suara", not "Kontes" (not natural
Indonesian for the ballot or election type), on every page of the desk's menu."""

from __future__ import annotations

import re

import pytest

from deskpemilu.accounts.tests.test_nav import nav_links

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_page_of_the_desk_says_kontes(client_for, admin) -> None:
    desk = client_for(admin)
    pages = ["/", *nav_links(desk.get("/").content.decode()), "/hasil/verifikasi/"]
    pages += ["/hasil/ditahan/", "/hasil/kontes/", "/rekap/ppwp/5271/"]
    saying = [url for url in pages if "Kontes" in visible_text(desk.get(url).content.decode())]
    assert saying == []
