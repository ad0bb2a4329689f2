"""Every route × every role × inside/outside its scope: no 500, no leak.

The routes are enumerated from the URL resolver and the API router (as core/tests/test_routes.py
does), so a new route is walked without anyone adding it here. For each role of the cast (and an
anonymous visitor) every page is fetched and posted an empty form, and every API operation is
called with its method and an empty JSON body; routes that take a region or TPS code are called
with a code inside the role's scope and with codes outside it, routes that take an object's id
with an object in Kelurahan Ampenan Selatan (outside the scope of the lurah of Pejeruk, the camat
of Sandubaya and the operator of Cakranegara Timur; a Polri liaison sees an incident only once it
is forwarded to Polri).

Checked:
- never a 5xx;
- outside the scope: only 302/401/403/404/405/422, never data (a 200);
- a route marked `roles:…` never lets another role in (403/404/405), nor an API write marked
  `scoped:…` another role;
- an anonymous visitor gets nothing but the public routes.
The counts go into the assertion message and var/artifacts/security-matrix.json.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver

from deskpemilu.accounts.models import User
from deskpemilu.conftest import AMPENAN_SELATAN, CAKRANEGARA_TIMUR, PEJERUK, SANDUBAYA
from deskpemilu.core.tests.test_routes import DECLARED_ELSEWHERE, api_operations, django_patterns
from deskpemilu.regions.models import Puskesmas, Region, Tps
from deskpemilu.security.tests.conftest import MISSING, World, send

OUTSIDE_OK = {302, 401, 403, 404, 405, 422}
DENIED_OK = {302, 401, 403, 404, 405}
SUCCESS = {200, 201, 204, 304}
# Never posted to: it would end the session that the rest of the walk uses.
NO_POST = {"/accounts/logout/"}
REGION_PARAMS = {"code", "region_code", "kecamatan", "tps_code"}
# Objects that lie in Kelurahan Ampenan Selatan, by the route parameter that names them.
LOCATED = {"incident", "request", "health_incident", "photo"}
# Documents (PDF, spreadsheets) take a second to build: inside its scope each is built for a few
# roles only; every role still gets the cheap outside and refused calls.
DOCUMENT = re.compile(r"\.pdf|\.xlsx|\.csv|ekspor|dhasil")
DOCUMENT_ROLES = {"admin", "operator", "camat", "health", "anonymous"}


@dataclass(frozen=True)
class Area:
    kelurahan: str
    kecamatan: str
    tps: str
    puskesmas: str


@dataclass
class Actor:
    name: str
    user: User | None
    web: Client
    api: Client
    inside: Area
    outside: Area | None
    # Kinds of located objects (in Ampenan Selatan) that this account may see.
    sees: frozenset[str]


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # Django route string or ninja path
    rule: str
    api: bool

    @property
    def params(self) -> list[str]:
        return re.findall(r"[<{](?:\w+:)?(\w+)[>}]", self.path)


def area(kelurahan: str) -> Area:
    region = Region.objects.get(code=kelurahan)
    kecamatan = kelurahan[:6]
    tps = Tps.objects.filter(code__startswith=kelurahan).order_by("code").first()
    puskesmas = Puskesmas.objects.filter(kecamatan__code=kecamatan).order_by("code").first()
    assert tps is not None and region is not None
    return Area(kelurahan, kecamatan, tps.code, puskesmas.code if puskesmas else "tidak-ada")


def routes() -> Iterator[Route]:
    for route, name, callback in django_patterns(get_resolver().url_patterns):
        if route.startswith("api/v1/"):
            if name in DECLARED_ELSEWHERE:
                yield Route("GET", route, "public", api=False)
            continue
        rule = str(getattr(callback, "access_rule", ""))
        yield Route("GET", route, rule, api=False)
        if "/" + route not in NO_POST:
            yield Route("POST", route, rule, api=False)
    for method, path, view in api_operations():
        yield Route(method, path, str(getattr(view, "access_rule", "")), api=True)


def url_for(route: Route, values: dict[str, str]) -> str:
    path = route.path

    def named_group(match: re.Match[str]) -> str:
        return values[match.group(1)]

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", named_group, path)  # re_path groups
    path = re.sub(r"[<{](?:\w+:)?(\w+)[>}]", lambda m: values[m.group(1)], path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return path if path.startswith("/") else "/" + path


def object_values(route: Route, world: World) -> dict[str, str]:
    """Ids by the route's prefix: `pk` and `incident_id` name different things in different
    places."""
    p = route.path
    by_prefix = [
        ("accounts/users/", "pk", "victim"),
        ("accounts/tokens/", "pk", "victim_token"),
        ("kejadian/permintaan/", "pk", "request"),
        ("kejadian/", "pk", "incident"),
        ("kesehatan/kasus/", "incident_id", "health_incident"),
        ("tim/anggota/", "pk", "member"),
        ("tim/piket/", "pk", "assignment"),
        ("tim/rapat/", "pk", "meeting"),
        ("tim/tindak-lanjut/", "pk", "action"),
        ("/api/v1/health/incidents/", "incident_id", "health_incident"),
        ("/api/v1/incidents/", "incident_id", "incident"),
    ]
    values: dict[str, str] = {}
    for prefix, param, kind in by_prefix:
        if p.startswith(prefix) and param not in values:
            values[param] = str(world.get(kind))
    for param, kind in (
        ("request_id", "request"),
        ("member_id", "member"),
        ("assignment_id", "assignment"),
        ("meeting_id", "meeting"),
        ("action_id", "action"),
        ("sha256", "photo"),
    ):
        values[param] = str(world.get(kind))
    if values["sha256"] == str(MISSING):
        values["sha256"] = "0" * 64
    return values


def located_kinds(route: Route) -> set[str]:
    p = route.path
    kinds = set()
    if "sha256" in route.params and p.startswith(("hasil/", "publik/")):
        kinds.add("photo")
    if p.startswith("kejadian/permintaan/<") or "{request_id}" in p:
        kinds.add("request")
    elif (p.startswith("kejadian/<") or p.startswith("/api/v1/incidents/{")) and (
        "pk" in route.params or "incident_id" in route.params
    ):
        kinds.add("incident")
    if p.startswith(("kesehatan/kasus/<", "/api/v1/health/incidents/{")):
        kinds.add("health_incident")
    return kinds


def region_values(route: Route, where: Area, world: World) -> dict[str, str]:
    stage = str(world.get("stage"))
    is_stage = route.path.startswith(("tahapan/", "/api/v1/stages/"))
    return {
        "code": stage if is_stage else where.kelurahan,
        "region_code": where.kelurahan,
        "kecamatan": where.kecamatan,
        "tps_code": where.tps,
        "contest": "ppwp",
        "slug": where.puskesmas,
        "username": "korban_uji",
    }


def outside_variants(route: Route, outside: Area) -> list[Area]:
    """The outside area, and the city above every scope (a parent is outside a child scope)."""
    variants = [outside]
    if {"code", "region_code"} & set(route.params) and not route.path.startswith(
        ("tahapan/", "/api/v1/stages/")
    ):
        variants.append(Area("5271", outside.kecamatan, outside.tps, outside.puskesmas))
    return variants


def allowed_roles(rule: str) -> set[str] | None:
    """Roles a `roles:` rule lets in (liaison(dinkes) means a Dinkes liaison only)."""
    if not rule.startswith(("roles:", "scoped:")) or rule in ("scoped",):
        return None
    listed = rule.split(":", 1)[1].split(",")
    return {r for r in listed if r}


def role_of(actor: Actor) -> str:
    if actor.user is None:
        return "anonymous"
    if actor.user.role == "liaison" and actor.user.agency is not None:
        return f"liaison({actor.user.agency.slug})"
    return actor.user.role


def gate_refuses(route: Route, actor: Actor) -> bool:
    allowed = allowed_roles(route.rule)
    if allowed is None or actor.user is None:
        return False
    if route.rule.startswith("scoped:") and route.method == "GET":
        return False  # a scoped list may answer an empty page; the write must be refused
    role = role_of(actor)
    return role not in allowed and role.split("(")[0] not in allowed


def is_public(route: Route) -> bool:
    return route.rule == "public"


@dataclass
class Tally:
    checks: int = 0
    outside: int = 0
    failures: list[str] | None = None
    statuses: Counter[int] | None = None
    # 400 and 409 answers are not failures, but worth a look: which routes give them.
    unusual: set[str] | None = None

    def __post_init__(self) -> None:
        self.failures = []
        self.statuses = Counter()
        self.unusual = set()


def check(
    tally: Tally, actor: Actor, route: Route, url: str, where: str, status: int, limit: int
) -> None:
    assert tally.failures is not None and tally.statuses is not None
    tally.checks += 1
    tally.statuses[status] += 1
    problem = ""
    if status >= 500:
        problem = "server error"
    elif actor.user is None and not is_public(route) and status not in DENIED_OK:
        problem = "anonymous let in"
    elif where == "outside" and status not in OUTSIDE_OK:
        problem = "outside the scope"
    elif gate_refuses(route, actor) and status not in DENIED_OK | {422}:
        problem = "role gate open"
    if where == "outside":
        tally.outside += 1
    if status in (400, 409) and tally.unusual is not None:
        tally.unusual.add(f"{status} {route.method} {route.path}")
    if problem and len(tally.failures) < limit:
        tally.failures.append(f"{problem}: {actor.name} {route.method} {url} → {status}")


def call(actor: Actor, route: Route, url: str) -> int:
    if route.api:
        client = actor.api
        body = None if route.method == "GET" else {}
        return int(send(client, route.method, url, body).status_code)
    if route.method == "POST":
        return int(actor.web.post(url, {}).status_code)
    return int(actor.web.get(url).status_code)


@pytest.fixture
def cast(
    admin, operator, verifier, lurah, camat, polri, health, viewer, outsider, client_for, api_for
) -> list[Actor]:
    ampenan_selatan, pejeruk = area(AMPENAN_SELATAN), area(PEJERUK)
    cakra = area(CAKRANEGARA_TIMUR)
    first_kel = Region.objects.filter(parent__code=SANDUBAYA).order_by("code").first()
    assert first_kel is not None
    sandubaya = area(first_kel.code)
    everything = frozenset(LOCATED)
    plan: list[tuple[str, User | None, Area, Area | None, frozenset[str]]] = [
        ("operator", operator, ampenan_selatan, cakra, everything),
        ("lurah", lurah, pejeruk, ampenan_selatan, frozenset()),
        ("camat", camat, sandubaya, ampenan_selatan, frozenset()),
        ("health", health, ampenan_selatan, cakra, everything),
        ("outsider", outsider, cakra, ampenan_selatan, frozenset()),
        # Liaisons see incidents forwarded to their agency, and health cases only for Dinkes.
        ("polri", polri, ampenan_selatan, None, frozenset({"photo", "request"})),
        ("verifier", verifier, ampenan_selatan, None, everything),
        ("viewer", viewer, ampenan_selatan, None, everything),
        ("anonymous", None, ampenan_selatan, None, frozenset()),
        # Last: the admin's empty posts may change things (delete a duty, switch the portal).
        ("admin", admin, ampenan_selatan, None, everything),
    ]
    actors = []
    for name, user, inside, outside, sees in plan:
        web = client_for(user) if user is not None else Client()
        api = api_for(user) if user is not None else Client()
        actors.append(Actor(name, user, web, api, inside, outside, sees))
    return actors


def region_params(route: Route) -> set[str]:
    params = REGION_PARAMS & set(route.params)
    if route.path.startswith(("tahapan/", "/api/v1/stages/")):
        params.discard("code")  # a stage's code there, not a region's
    return params


TIMES: Counter[str] = Counter()


def timed_call(actor: Actor, route: Route, url: str) -> int:
    started = time.monotonic()
    status = call(actor, route, url)
    TIMES[f"{route.method} {route.path}"] += time.monotonic() - started
    return status


def walk(
    actors: list[Actor], world: World, select: Callable[[Route], bool], limit: int = 60
) -> Tally:
    tally = Tally()
    every = [r for r in routes() if select(r)]
    for actor in actors:
        for route in every:
            if route.path.startswith("api/v1/") and actor.user is not None:
                continue  # the OpenAPI document and docs: public, the same for everyone
            heavy = DOCUMENT.search(route.path) and route.method == "GET"
            values = {**object_values(route, world), **region_values(route, actor.inside, world)}
            kinds = located_kinds(route)
            where = "outside" if kinds - actor.sees and actor.user is not None else "inside"
            url = url_for(route, values)
            if not heavy or actor.name in DOCUMENT_ROLES or gate_refuses(route, actor):
                check(tally, actor, route, url, where, timed_call(actor, route, url), limit)
            if actor.outside is None or not region_params(route):
                continue
            for outside in outside_variants(route, actor.outside):
                values = {**object_values(route, world), **region_values(route, outside, world)}
                url = url_for(route, values)
                check(tally, actor, route, url, "outside", timed_call(actor, route, url), limit)
    return tally


def report(name: str, tally: Tally, actors: list[Actor], world: World, seconds: float) -> str:
    assert tally.statuses is not None and tally.failures is not None
    summary = {
        "part": name,
        "routes": len({(r.method, r.path) for r in routes()}),
        "roles": [a.name for a in actors],
        "checks": tally.checks,
        "outside_checks": tally.outside,
        "statuses": dict(sorted(tally.statuses.items())),
        "failures": tally.failures,
        "unusual": sorted(tally.unusual or ()),
        "objects_missing": world.missing,
        "seconds": round(seconds, 1),
        "slowest": [(k, round(v, 2)) for k, v in TIMES.most_common(15)],
    }
    folder = settings.VAR_DIR / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"security-matrix-{name}.json").write_text(json.dumps(summary, indent=2))
    return json.dumps(summary, indent=1, ensure_ascii=False)


@pytest.mark.django_db
def test_no_page_leaks_or_fails(cast: list[Actor], world: World) -> None:
    started = time.monotonic()
    tally = walk(cast, world, lambda r: not r.api)
    text = report("pages", tally, cast, world, time.monotonic() - started)
    assert not tally.failures, text
    assert tally.checks > 1500 and tally.outside > 100, text


@pytest.mark.django_db
def test_no_api_operation_leaks_or_fails(cast: list[Actor], world: World) -> None:
    started = time.monotonic()
    tally = walk(cast, world, lambda r: r.api)
    text = report("api", tally, cast, world, time.monotonic() - started)
    assert not tally.failures, text
    assert tally.checks > 400 and tally.outside > 100, text
