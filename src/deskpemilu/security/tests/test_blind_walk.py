"""Blind re-entry is blind on every route: nothing a possible re-entrant can GET reveals the
pending first entry.

PPWP and DPRD Kota are verified by blind re-entry. Two worlds differ only in the numbers and the
note of a pending first entry of each (typed by the operator of Ampenan Selatan, in one TPS);
everything else is the same
(a verified sheet, the admin's own sheet, incidents, a photo, the portal on, the clock). Every
GET route of the URL table and of the API is called in both worlds, with its parameters filled
by real objects (the pending TPS, its kelurahan, kecamatan and city, the photo, the contest) as
a verifier and as an admin who did not type it: the answers must be the same, byte for byte,
once CSRF tokens, nonces, hashes and timestamps are taken out (PDFs and spreadsheets are
compared by their text and cells). The controls: the operator who typed the entries, and a
viewer (who reads provisional figures over the whole city): their answers must differ, so the
walk can tell. A minimum number of calls guards against a walk that
checks nothing.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone

from deskpemilu.accounts.models import User
from deskpemilu.conftest import AMPENAN_SELATAN
from deskpemilu.core.tests.test_routes import DECLARED_ELSEWHERE, api_operations, django_patterns
from deskpemilu.results.contests import clear_cache
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps
from deskpemilu.security.tests.conftest import World, build_world, send
from deskpemilu.security.tests.test_matrix import (
    Area,
    Route,
    area,
    object_values,
    region_values,
    url_for,
)

PENDING = AMPENAN_SELATAN + "002"  # the first entry to be re-typed blind
VERIFIED = AMPENAN_SELATAN + "003"  # verified before either world begins
KECAMATAN = AMPENAN_SELATAN[:6]
KOTA = AMPENAN_SELATAN[:4]
NOTES = ("Kotak suara dibuka ulang, paslon 1: 111", "Kotak suara dibuka ulang, paslon 1: 222")
# Never called: logging out would end the session the rest of the walk uses; the 2FA set-up page
# draws a new random secret on every visit (and shows no result).
SKIP = {"accounts/logout/", "accounts/2fa/"}
# The blind contests: a presidential one, and a legislative one (party pages, seats).
CONTESTS = ("ppwp", "dprd-kabkota")
# What every page may be given: the contest and region a page would otherwise take as default.
# (`peta`: the situation room's map by turnout, which repeats the sheets' numbers.)
QUERIES = [f"?kontes={c}&contest={c}&region={AMPENAN_SELATAN}&peta=partisipasi" for c in CONTESTS]
MIN_CALLS = 400  # per reader and world; the walk makes over 500 today

TOKEN = re.compile(r"[A-Za-z0-9_\-]{32,}")
HEX = re.compile(r"\b(?=[0-9a-f]*[a-f])[0-9a-f]{10,}\b|\b[0-9a-f]{10,}(?=…)")
NONCE = re.compile(r'nonce="[^"]*"')
# The clock where it is read outside `timezone.now` (ages, the audit log's own stamps): a time of
# day or an age, never a count.
AGO = re.compile(r"\d+\xa0(?:detik|menit|jam)(?: yang lalu)?")
TV_CLOCK = re.compile(r'(id="tv-clock"[^>]*>)[^<]*')
CLOCK = re.compile(r"\d{1,2} \w{3,9} \d{4},? \d{1,2}\.\d{2}(?:\.\d{2})?")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def pending_entry(world: int, contest: str) -> dict[str, Any]:
    """Consistent sheets with other votes per choice and another turnout; the second also
    carries a flag (its DPT differs from the master data by ten)."""
    body = sheet_for_tps(PENDING, contest, turnout=(0.8, 0.7)[world], seed=world * 2)
    body["catatan"] = NOTES[world]
    body["administrasi"]["pemilih_dpt_l"] += 10 * world
    return body


def text_of(response: Any) -> str:
    """The answer as comparable text: PDFs by their text, spreadsheets by their cells."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    kind = response.get("Content-Type", "")
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    elif content.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(content)):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        text = "\n".join(
            f"{sheet.title}:{row}" for sheet in book.worksheets for row in sheet.values
        )
    elif kind.startswith("image/"):
        text = content.hex()
    else:
        text = content.decode("utf-8", errors="replace")
    marks = [(NONCE, 'nonce=""'), (ISO, "<waktu>"), (AGO, "<umur>"), (CLOCK, "<waktu>")]
    marks.append((TV_CLOCK, r"\1<jam>"))
    for pattern, mark in [*marks, (TOKEN, "<t>"), (HEX, "<h>")]:
        text = pattern.sub(mark, text)
    return f"{response.status_code}\n{text}"


@dataclass
class Reader:
    name: str
    user: User
    web: Client
    api: Client


def get_routes() -> list[Route]:
    found = []
    for route, name, _callback in django_patterns(get_resolver().url_patterns):
        if route.startswith("api/v1/") or route in SKIP or name in DECLARED_ELSEWHERE:
            continue
        found.append(Route("GET", route, "", api=False))
    for method, path, _view in api_operations():
        if method == "GET":
            found.append(Route("GET", path, "", api=True))
    return found


def urls(route: Route, world: World, home: Area) -> list[str]:
    """The route's URLs: each region parameter at the kelurahan, its kecamatan and the city
    (a total above one pending sheet can be that sheet); each URL bare and with each query."""
    levels = [home]
    if {"region_code", "code"} & set(route.params) and not route.path.startswith(
        ("tahapan/", "/api/v1/stages/")
    ):
        levels += [Area(KECAMATAN, KECAMATAN, home.tps, home.puskesmas)]
        levels += [Area(KOTA, KECAMATAN, home.tps, home.puskesmas)]
    contests = CONTESTS if "contest" in route.params else CONTESTS[:1]
    found = []
    for level in levels:
        for contest in contests:
            values = {**object_values(route, world), **region_values(route, level, world)}
            url = url_for(route, {**values, "contest": contest})
            found += [url, *[url + query for query in QUERIES]]
    return list(dict.fromkeys(found))


def walk(readers: list[Reader], world: World, home: Area) -> dict[tuple[str, str], str]:
    answers = {}
    for reader in readers:
        for route in get_routes():
            client = reader.api if route.api else reader.web
            for url in urls(route, world, home):
                answers[(reader.name, url)] = text_of(client.get(url))
    return answers


def build_pending(operator_api: Client, world: int) -> None:
    for contest in CONTESTS:
        body = pending_entry(world, contest)
        response = send(operator_api, "PUT", f"/api/v1/results/{contest}/{PENDING}", body)
        assert response.status_code == 201, response.content
        attach_photo(operator_api, contest, PENDING)


@pytest.fixture(autouse=True)
def media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DESKPEMILU_PUBLIC_PORTAL = True
    # No page cache: the portal's 30-second cache would answer a later reader with a page made
    # at another point of the walk (another audit head), depending on how fast the walk ran.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def shared(
    admin: User,
    operator: User,
    verifier: User,
    api_for: Callable[[User], Client],
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
) -> World:
    """What both worlds hold: PPWP verified blind, a verified sheet, the security world."""
    clear_cache()
    for contest in CONTESTS:
        set_mode = {"kontes": contest, "mode": "blind", "alasan": "uji entri ganda buta"}
        assert client_for(admin).post("/hasil/kontes/", set_mode).status_code == 302
    world = build_world(api_for(admin), make_user("korban_uji", "viewer"))
    body = sheet_for_tps(VERIFIED, seed=1)
    op = api_for(operator)
    assert send(op, "PUT", f"/api/v1/results/ppwp/{VERIFIED}", body).status_code == 201
    check = {"version": 1, "sheet": body}
    answer = send(api_for(verifier), "POST", f"/api/v1/results/ppwp/{VERIFIED}/verify", check)
    assert answer.status_code == 200, answer.content
    return world


def in_world(
    number: int, operator_api: Client, readers: list[Reader], world: World, fixed: Any
) -> Any:
    """Build world `number` inside a savepoint at the clock `fixed`, walk it, roll it back."""
    cache.clear()
    clear_cache()
    home = Area(AMPENAN_SELATAN, KECAMATAN, PENDING, area(AMPENAN_SELATAN).puskesmas)
    with mock.patch("django.utils.timezone.now", return_value=fixed), transaction.atomic():
        build_pending(operator_api, number)
        answers = walk(readers, world, home)
        transaction.set_rollback(True)
    cache.clear()
    clear_cache()
    return answers


def differences(a: dict[Any, str], b: dict[Any, str], who: str) -> list[str]:
    return sorted(
        f"{url}" for (name, url), text in a.items() if name == who and b[(name, url)] != text
    )


@pytest.mark.django_db
def test_no_route_reveals_the_pending_first_entry(
    shared: World,
    admin: User,
    operator: User,
    verifier: User,
    viewer: User,
    api_for: Callable[[User], Client],
    client_for: Callable[[User], Client],
) -> None:
    cast = (("verifier", verifier), ("admin", admin), ("operator", operator), ("viewer", viewer))
    readers = [Reader(name, user, client_for(user), api_for(user)) for name, user in cast]
    # The clock is fixed inside each world; the sessions and tokens were made just before.
    typist = api_for(operator)
    fixed = timezone.now().replace(microsecond=0)
    first = in_world(0, typist, readers, shared, fixed)
    second = in_world(1, typist, readers, shared, fixed)
    assert first.keys() == second.keys()
    calls = {name: sum(1 for who, _ in first if who == name) for name in ("verifier", "admin")}
    summary = {
        "calls": calls,
        "routes": len(get_routes()),
        "missing objects": shared.missing,
        "statuses": sorted({t.split("\n", 1)[0] for t in first.values()}),
    }
    leaks = {who: differences(first, second, who) for who in ("verifier", "admin")}
    assert leaks == {"verifier": [], "admin": []}, json.dumps(
        {**summary, "leaks": leaks, "sample": _sample(first, second, leaks)}, indent=1
    )
    # The control: the operator typed it, and reads it, so the worlds differ for them.
    control = differences(first, second, "operator")
    for contest in CONTESTS:
        assert f"/api/v1/results/{contest}/{PENDING}" in control, control
        assert f"/hasil/{contest}/{PENDING}/" in control, control
        assert f"/api/v1/recap/{contest}/{AMPENAN_SELATAN}" in control, control
    assert any(url.startswith("/rekap/tps.csv") for url in control), control
    assert any("dprd-kabkota" in url and "/dhasil/" in url for url in control), control
    seen = differences(first, second, "viewer")
    for part in ("/kursi/", "/situasi/", "/laporan/harian.pdf", "/laporan/situasi.xlsx"):
        assert any(part in url for url in seen), (part, seen)
    # The public reads verified sheets only: the portal is the same for the controls too.
    assert not [url for url in control + seen if url.startswith("/publik/")]
    assert min(calls.values()) >= MIN_CALLS, summary


def _sample(first: dict[Any, str], second: dict[Any, str], leaks: dict[str, list[str]]) -> Any:
    """The first differing lines of a few leaking answers, to read in the failure."""
    out = {}
    for who, found in leaks.items():
        for url in found[:6]:
            a, b = first[(who, url)].splitlines(), second[(who, url)].splitlines()
            lines = [f"{x!r} != {y!r}" for x, y in zip(a, b, strict=False) if x != y][:3]
            out[f"{who} {url}"] = lines or [f"{len(a)} lines != {len(b)} lines"]
    return out


def test_the_normalisation_keeps_the_numbers() -> None:
    """What is taken out is never a count: a vote of 117 against 617 still differs."""

    @dataclass
    class Fake:
        content: bytes
        status_code: int = 200

        def get(self, key: str, default: str = "") -> str:
            return "text/html"

    one = text_of(Fake(b'<td class="num">117</td> 2026-12-05T07:00:00+08:00 nonce="abc"'))
    two = text_of(Fake(b'<td class="num">617</td> 2026-12-05T08:00:00+08:00 nonce="xyz"'))
    assert one != two
    assert text_of(Fake(b'nonce="abc" 2026-12-05 07:00')) == text_of(
        Fake(b'nonce="xyz" 2026-12-05 09:13')
    )
