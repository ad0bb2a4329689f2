"""Languages: Bahasa Indonesia first, English selectable by the language cookie.

The English catalogue (locale/en/LC_MESSAGES/django.po) is committed together with its compiled
django.mo, so a machine without gettext still speaks English. These tests check that the cookie
switches the language, that the .mo says exactly what the .po says, and that the .po is complete.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from deskpemilu.accounts.models import User
from deskpemilu.core import nav

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# Admin pages of the main menu: each must speak the chosen language.
ADMIN_PAGES = ["home", "results_home", "recap_home", "incident_board", "team_home", "stages"]


# --- A tiny .po reader ---------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        # gettext stores a context as "context\x04msgid".
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header included, obsolete "#~" entries left out)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry is not None and target is not None:
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            target = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else (keyword, 0)
            text = ""
        elif line.startswith('"') and target is not None:
            literal = line
            text = _text_of(target, entry)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        value = text + ast.literal_eval(literal)
        if target[0] == "msgstr":
            entry.msgstr[target[1]] = value
        else:
            setattr(entry, target[0], value)
    finish()
    return entries


def _text_of(target: tuple[str, int], entry: Entry) -> str:
    if target[0] == "msgstr":
        return entry.msgstr[target[1]]
    return getattr(entry, target[0]) or ""


def catalogue_of(entries: list[Entry]) -> dict[str | tuple[str, int], str]:
    """What msgfmt would compile: translated, non-fuzzy entries, keyed as GNUTranslations keys."""
    catalogue: dict[str | tuple[str, int], str] = {}
    for entry in entries:
        if not entry.msgid or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural is not None:
            if all(entry.msgstr.values()):
                for index, text in entry.msgstr.items():
                    catalogue[(entry.key, index)] = text
        elif entry.msgstr.get(0):
            catalogue[entry.key] = entry.msgstr[0]
    return catalogue


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run makemessages -l en"
    return read_po(PO_PATH)


@pytest.fixture(scope="module")
def translatable(po_entries: list[Entry]) -> list[Entry]:
    return [e for e in po_entries if e.msgid]


# --- The cookie chooses the language -------------------------------------------------------------


def client_with_language(language: str | None, client: Client | None = None) -> Client:
    client = client or Client()
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.django_db
def test_it_shows_login_page_in_english_with_en_cookie() -> None:
    page = client_with_language("en").get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in to Desk Pemilu" in page
    assert "Username" in page
    assert "Masuk" not in page
    assert "Kata sandi" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", None])
def test_it_shows_login_page_in_indonesian_by_default_and_with_id_cookie(
    language: str | None,
) -> None:
    page = client_with_language(language).get(reverse("login")).content.decode()
    assert '<html lang="id">' in page
    assert "Masuk ke Desk Pemilu" in page
    assert "Sign in" not in page


@pytest.mark.django_db
def test_it_shows_wrong_password_message_in_english() -> None:
    response = client_with_language("en").post(
        reverse("login"), {"username": "nobody_here", "password": "not-the-password"}
    )
    page = response.content.decode()
    assert "Wrong username or password." in page
    assert "salah" not in page


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_it_shows_admin_pages_in_english_with_en_cookie(
    client_for: Callable[[User], Client], admin: User, name: str
) -> None:
    response = client_with_language("en", client_for(admin)).get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    for english in ["Sign out", "Main menu"]:
        assert english in page, english
    for indonesian in ["Keluar", "Menu utama"]:
        assert indonesian not in page, indonesian
    assert_menu_in(page, admin, "en", other="id")


@pytest.mark.parametrize("language", ["id", None])
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_it_shows_admin_pages_in_indonesian_by_default_and_with_id_cookie(
    client_for: Callable[[User], Client], admin: User, name: str, language: str | None
) -> None:
    response = client_with_language(language, client_for(admin)).get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="id">' in page
    for indonesian in ["Keluar", "Menu utama"]:
        assert indonesian in page, indonesian
    assert "Sign out" not in page
    assert_menu_in(page, admin, "id", other="en")


def menu_links(user: User, language: str) -> list[str]:
    """The menu's entries as core.nav gives them to `user`, as links in `language`."""
    with translation.override(language):
        return [f'<a href="{url}">{escape(label)}</a>' for url, label in nav.shown_to(user)]


def assert_menu_in(page: str, user: User, language: str, *, other: str) -> None:
    """Every entry core.nav offers the account is in the page in `language`, none in `other`
    (where the two words differ)."""
    shown = menu_links(user, language)
    assert shown
    for link in shown:
        assert link in page, link
    for link in menu_links(user, other):
        assert link in shown or link not in page, link


@pytest.mark.parametrize(
    ("language", "expected", "unexpected"),
    [
        ("en", "Verification queue", "Antrean verifikasi"),
        ("id", "Antrean verifikasi", "Verification queue"),
    ],
)
def test_it_shows_results_page_body_in_chosen_language(
    client_for: Callable[[User], Client], admin: User, language: str, expected: str, unexpected: str
) -> None:
    client = client_with_language(language, client_for(admin))
    page = client.get(reverse("results_home")).content.decode()
    assert expected in page
    assert unexpected not in page


@pytest.mark.django_db
def test_it_switches_language_with_the_header_button() -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in to Desk Pemilu" in client.get(reverse("login")).content.decode()

    client.post(reverse("set_language"), {"language": "id", "next": "/accounts/login/"})
    assert "Masuk ke Desk Pemilu" in client.get(reverse("login")).content.decode()


# --- The committed catalogue -------------------------------------------------------------------


def test_it_commits_a_compiled_catalogue() -> None:
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run compilemessages and commit it"


def test_it_keeps_the_mo_up_to_date_with_the_po(po_entries: list[Entry]) -> None:
    expected = catalogue_of(po_entries)
    with MO_PATH.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    actual = {key: text for key, text in compiled._catalog.items() if key != ""}  # type: ignore[attr-defined]
    stale = sorted(str(k) for k in expected.keys() ^ actual.keys())
    assert not stale, f"django.mo and django.po differ (run compilemessages): {stale[:10]}"
    changed = sorted(str(k) for k in expected if expected[k] != actual[k])
    assert not changed, f"django.mo and django.po differ (run compilemessages): {changed[:10]}"
    assert compiled.info().get("language") == "en"
    assert compiled.ngettext("%(n)s akun", "%(n)s akun", 1) == "%(n)s account"
    assert compiled.ngettext("%(n)s akun", "%(n)s akun", 2) == "%(n)s accounts"


def test_it_translates_every_string(translatable: list[Entry]) -> None:
    assert len(translatable) > 1000
    empty = [
        f"line {e.line}: {e.msgid!r}"
        for e in translatable
        if not e.msgstr or not all(e.msgstr.values())
    ]
    assert not empty, f"{len(empty)} untranslated: {empty[:10]}"


def test_it_has_no_fuzzy_entries(po_entries: list[Entry]) -> None:
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in po_entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries are ignored by Django; check and unflag: {fuzzy[:10]}"


def test_it_gives_plural_entries_both_forms(translatable: list[Entry]) -> None:
    plural = [e for e in translatable if e.msgid_plural is not None]
    assert plural
    for entry in plural:
        assert sorted(entry.msgstr) == [0, 1], entry.msgid


_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*[sdif]|%[sd]|\{\{.*?\}\}|</?\w+")


def test_it_keeps_placeholders_and_markup(translatable: list[Entry]) -> None:
    wrong = []
    for entry in translatable:
        sources = [entry.msgid, entry.msgid_plural or entry.msgid]
        for index, text in entry.msgstr.items():
            source = sources[min(index, 1)]
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text)):
                wrong.append(f"line {entry.line}: {source!r} -> {text!r}")
    assert not wrong, wrong[:10]
