"""The installable field app: its manifest, its service worker, the offline page, the queue
page, the rules for offline checks, and the list of the signed-in account's own pages to keep.

What the service worker keeps (static/offline/sw.js): the app shell (the files below, the same
for everyone) in one cache, and the pages of `account_pages` in a cache named after the account
(`account_key`), emptied when another account signs in on the device or on sign-out. It never
keeps an API answer."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from deskpemilu.accounts.access import tps_for
from deskpemilu.accounts.models import User
from deskpemilu.core.rules import public, signed_in
from deskpemilu.incidents import rules as incident_rules
from deskpemilu.readiness import services as readiness
from deskpemilu.regions import installation
from deskpemilu.results import listings
from deskpemilu.tally import rulebook

# The static files of the shell: every page the operator and the reporter use offline needs
# only these (no CDN, no build step).
SHELL_STATIC = (
    "deskpemilu/desk.css",
    "offline/offline.css",
    "offline/pwa.js",
    "offline/queue.js",
    "offline/icon-192.png",
    "offline/icon-512.png",
    "results/entry.js",
    "results/rules.js",
    "incidents/incidents.css",
    "incidents/report.js",
    "readiness/tps.js",
)
# Entry pages kept per account at most: an operator's kelurahan is a few dozen TPS × 5 ballots;
# a city-wide admin keeps the lists, not every form of the city.
MAX_ENTRY_PAGES = 400
SW_SOURCE = Path(__file__).resolve().parent / "worker.js"


def account_key(user: User) -> str:
    """A per-account value that names the account's cache without revealing who it is."""
    return salted_hmac("deskpemilu.offline.account", f"{user.pk}:{user.username}").hexdigest()[:20]


def shell_urls() -> list[str]:
    return [
        *(static(path) for path in SHELL_STATIC),
        reverse("offline_page"),
        reverse("offline_rules"),
        reverse("offline_manifest"),
    ]


@lru_cache(maxsize=1)
def shell_version() -> str:
    """Changes whenever a shell file or the worker changes, so phones fetch the new shell."""
    digest = hashlib.sha256(SW_SOURCE.read_bytes())
    digest.update(json.dumps(rulebook.describe(), sort_keys=True).encode())
    for path in SHELL_STATIC:
        found = finders.find(path)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


def account_pages(user: User) -> list[str]:
    """The signed-in account's own pages worth having offline: its queue, its TPS list and
    C.Hasil forms (operators), the incident report form (reporters), and the readiness
    checklists of its TPS (those who report readiness within an area)."""
    pages = [reverse("offline_queue")]
    if listings.can_enter(user):
        pages.append(reverse("results_home"))
    # A city-wide account (the desk) works online at the Posko: it keeps the lists, not 400
    # forms of the city, whose fetching kept every server worker busy for half a minute at
    # each sign-in on a desk's computer.
    if listings.can_enter(user) and not user.sees_all_areas:
        for code in tps_for(user).order_by("code").values_list("code", flat=True):
            for info in listings.contests_for(code):
                pages.append(reverse("sheet_entry", args=[info.code, code]))
            if len(pages) > MAX_ENTRY_PAGES:
                break
    if incident_rules.may_report(user):
        pages.append(reverse("incident_report"))
    # A city-wide account reports from the desk, with a signal: it keeps no checklist.
    if readiness.may_report(user) and not user.sees_all_areas:
        for code in tps_for(user).order_by("code").values_list("code", flat=True):
            if len(pages) > MAX_ENTRY_PAGES:
                break
            pages.append(reverse("readiness_tps", args=[code]))
    return pages


@public
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": f"Desk Pemilu {installation.name()}",
        "short_name": "Desk Pemilu",
        "description": _("Entri C.Hasil dan laporan kejadian, juga saat sinyal hilang."),
        "lang": "id",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4e89",
        "icons": [
            {
                "src": static(f"offline/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json")


@public
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker, served from the site root so its scope is the whole app."""
    config = {"version": shell_version(), "shell": shell_urls(), "offline": reverse("offline_page")}
    source = f"var CONFIG = {json.dumps(config)};\n{SW_SOURCE.read_text()}"
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Always asked again: a new version reaches the phones on their next visit.
    response["Cache-Control"] = "no-cache"
    return response


@public
def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown for a page not kept on this device. The same for everyone (it is in the shared
    shell), so it is drawn as for nobody: no name, no menu."""
    return render(request, "offline/offline.html", {"user": AnonymousUser()})


@public
def rules(request: HttpRequest) -> JsonResponse:
    return JsonResponse(rulebook.describe())


@signed_in
def pages(request: HttpRequest) -> JsonResponse:
    """What the worker keeps for this account, and a fresh CSRF token for sending the queue."""
    user = request.user
    assert isinstance(user, User)
    return JsonResponse(
        {"account": account_key(user), "csrf": get_token(request), "pages": account_pages(user)}
    )


@signed_in
def queue(request: HttpRequest) -> HttpResponse:
    """The device's queue: drawn by queue.js from IndexedDB; the server knows nothing of it."""
    return render(request, "offline/queue.html")
