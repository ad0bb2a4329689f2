"""Every route declares its access rule, and no route leaks outside an account's scope.

Like VotingWorks Arlo's `restrict_access`: a page or API operation without a declared rule is
refused at start by the system check of `deskpemilu.api.routes`, so a new route cannot be served
before someone decided who may call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import clear_url_caches

from deskpemilu.api.routes import DECLARED_ELSEWHERE, is_ninja, operations, pages, undeclared

__all__ = ["DECLARED_ELSEWHERE", "api_operations", "django_patterns", "is_ninja"]

# Floors on what the walks below see, so that a change in how routes are found (a renamed
# resolver, an API mounted elsewhere) fails here instead of checking nothing. Raise them as
# routes are added; lowering one needs a reason in the commit.
MIN_PAGES = 110
MIN_API_OPERATIONS = 55
MIN_SCOPED_CHECKS = 60
MIN_OWN_AREA_CHECKS = 25

# Codes of Ampenan (kecamatan 527101), outside the scope of the lurah of Pejeruk: another
# kelurahan, its TPS, its kecamatan's sibling, and the city.
OUTSIDE = {
    "code": ["5271011004", "5271011004001", "527102", "5271", "52"],
    "tps_code": ["5271011004001", "5271031006001"],
    "region_code": ["5271011004", "527102", "5271"],
}
INSIDE = {"code": "5271011006", "tps_code": "5271011006001", "region_code": "5271011006"}
FILLERS = {"contest": "ppwp", "id": "1", "pk": "1", "username": "op_ampenan_selatan"}


def django_patterns(*_ignored: object) -> Iterator[tuple[str, str, object]]:
    """(route, name, view) of every page (the walks of the security tests read it)."""
    for route in pages():
        yield route.path, route.name, route.view


def api_operations() -> Iterator[tuple[str, str, object]]:
    """(method, path, view) of every API operation."""
    for route in operations():
        yield route.method, route.path, route.view


def test_it_declares_a_rule_on_every_page() -> None:
    found = pages()
    assert len(found) >= MIN_PAGES, len(found)
    assert undeclared(found) == []


def test_it_declares_a_rule_on_every_api_operation() -> None:
    found = operations()
    assert len(found) >= MIN_API_OPERATIONS, len(found)
    assert undeclared(found) == []


def test_it_refuses_to_start_with_a_route_without_a_rule(settings) -> None:
    """The system check (run by `check`, `migrate` and `serve`) names the unmarked route."""
    settings.ROOT_URLCONF = "deskpemilu.core.tests.unmarked_urls"
    clear_url_caches()
    try:
        errors = run_checks(tags=["deskpemilu"])
        with pytest.raises(SystemCheckError, match="unmarked/ declares no access rule"):
            call_command("check")
    finally:
        clear_url_caches()
    assert [e.id for e in errors] == ["deskpemilu.E001"]
    assert "unmarked/" in errors[0].msg


def test_the_check_passes_on_the_real_routes() -> None:
    assert run_checks(tags=["deskpemilu"]) == []


def to_url(route: str, values: dict[str, str]) -> str | None:
    """Fill a Django or ninja route with values; None when a parameter has no value."""
    route = "/" + route.lstrip("^").rstrip("$").lstrip("/")

    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        if name not in values:
            raise KeyError(name)
        return values[name]

    try:
        return re.sub(r"[<{]([^>}]+)[>}]", value, route)
    except KeyError:
        return None


def scoped_routes(role: str | None = None) -> Iterator[tuple[str, str]]:
    """(method, route) of every page and API operation that takes a region or TPS code; with
    `role`, only those whose declared rule admits that role."""
    for route, _name, callback in django_patterns():
        takes_code = re.search(r"<(\w+:)?(code|tps_code|region_code)>", route)
        if not is_ninja(callback) and takes_code and admits(callback, role):
            yield "GET", route
            yield "POST", route
    for method, path, view in api_operations():
        if re.search(r"\{(code|tps_code|region_code)\}", path) and admits(view, role):
            yield method, path


def admits(view: object, role: str | None) -> bool:
    """False when the view's rule names roles and `role` is not among them."""
    rule = getattr(view, "access_rule", None)
    return role is None or rule is None or rule.admits_role(role)


def request(client: object, method: str, url: str) -> int:
    call = getattr(client, method.lower())
    kwargs = {"content_type": "application/json"} if method in ("PUT", "PATCH", "POST") else {}
    response = call(url, data="{}" if kwargs else None, **kwargs) if kwargs else call(url)
    return int(response.status_code)


@pytest.mark.django_db
def test_it_hides_other_areas_from_a_kelurahan_account(client_for, api_for, lurah) -> None:
    web, token = client_for(lurah), api_for(lurah)
    checked = 0
    for method, route in scoped_routes():
        client = token if route.startswith("/api/") or route.startswith("api/") else web
        param = next(p for p in ("tps_code", "region_code", "code") if p in route)
        for outside in OUTSIDE[param]:
            url = to_url(route, {**FILLERS, param: outside})
            if url is None:
                continue
            status = request(client, method, url)
            # 422: refused before anything of the area is read (e.g. a body that is not valid).
            assert status in (403, 404, 405, 422), (method, url, status)
            checked += 1
    assert checked >= MIN_SCOPED_CHECKS, checked


@pytest.mark.django_db
def test_it_opens_own_area_to_a_kelurahan_account(client_for, api_for, lurah) -> None:
    """The control: the same routes with the lurah's own codes are reachable."""
    web, token = client_for(lurah), api_for(lurah)
    checked = 0
    for method, route in scoped_routes(role="lurah"):
        if method != "GET":
            continue
        client = token if "api/" in route else web
        param = next(p for p in ("tps_code", "region_code", "code") if p in route)
        url = to_url(route, {**FILLERS, param: INSIDE[param]})
        if url is None:
            continue
        status = request(client, method, url)
        assert status not in (403, 500), (url, status)
        checked += 1
    assert checked >= MIN_OWN_AREA_CHECKS, checked
