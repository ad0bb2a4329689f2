"""No route leaks an incident or request: every page and API operation of incidents (with an
id) answers 403/404 to a lurah of another kelurahan and to a liaison it was not forwarded to,
and the lists leave it out."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, get_resolver

from deskpemilu.api.router import api
from deskpemilu.incidents.tests.helpers import post, report, step


def page_routes():
    resolver = get_resolver()
    for prefix, app in (("kejadian/", "deskpemilu.incidents.urls"),):
        module = __import__(app, fromlist=["urlpatterns"])
        for entry in module.urlpatterns:
            assert isinstance(entry, URLPattern)
            yield "/" + prefix + str(entry.pattern)
    assert resolver


def api_routes():
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            if not path.startswith(("/incidents", "/requests")):
                continue
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, "/api/v1" + prefix.rstrip("/") + path


def fill(route, incident_id, request_id):
    route = route.replace("<int:pk>", "{pk}").replace("<str:sha256>", "0" * 64)
    value = request_id if "permintaan" in route or "/requests" in route else incident_id
    return re.sub(r"\{(pk|incident_id|request_id)\}", str(value), route)


@pytest.fixture
def hidden(api_for, operator, admin, make_user):
    """An incident and a request in Ampenan Selatan, the incident forwarded to Polri."""
    incident = report(api_for(operator), tps_code="5271011004001")["id"]
    step(api_for(admin), incident, forward_to=["polri"])
    response = post(
        api_for(admin),
        "/api/v1/requests",
        {
            "kind": "tempat",
            "description": "Tempat rapat pleno PPS",
            "region_code": "5271011004",
            "needed_by": "2024-02-15T09:00:00+08:00",
            "requested_by_agency": "kpu",
        },
    )
    assert response.status_code == 201
    return incident, response.json()["id"]


@pytest.fixture
def tni(make_user):
    return make_user("tni_liaison", "liaison", "", "tni")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["lurah", "tni"])
def test_every_route_hides_it(request, client_for, api_for, hidden, who):
    user = request.getfixturevalue(who)
    incident, req = hidden
    web, token = client_for(user), api_for(user)
    checked = 0
    for route in page_routes():
        if "<" not in route:
            continue
        url = fill(route, incident, req)
        for method in ("get", "post"):
            status = getattr(web, method)(url).status_code
            assert status in (403, 404, 405), (method, url, status)
            checked += 1
    for method, route in api_routes():
        if "{" not in route:
            continue
        url = fill(route, incident, req)
        if method == "GET":
            status = token.get(url).status_code
        else:
            call = getattr(token, method.lower())
            status = call(url, data="{}", content_type="application/json").status_code
        assert status in (403, 404, 405), (method, url, status)
        checked += 1
    assert checked >= 12


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["lurah", "tni"])
def test_the_lists_leave_it_out(request, client_for, api_for, hidden, who):
    from io import BytesIO

    from openpyxl import load_workbook

    from deskpemilu.incidents.models import FacilitationRequest, Incident

    user = request.getfixturevalue(who)
    incident, req = hidden
    number = Incident.objects.get(pk=incident).number
    request_number = FacilitationRequest.objects.get(pk=req).number
    web, token = client_for(user), api_for(user)
    assert number not in web.get("/kejadian/?status=").content.decode()
    assert request_number not in web.get("/kejadian/permintaan/?status=").content.decode()
    assert token.get("/api/v1/incidents").json()["items"] == []
    assert token.get("/api/v1/requests").json()["items"] == []
    export = web.get("/kejadian/ekspor.xlsx?status=")
    book = load_workbook(BytesIO(b"".join(export.streaming_content)), read_only=True)
    assert len(list(book["kejadian"].values)) == 1  # the header only


@pytest.mark.django_db
def test_the_polri_liaison_does_see_it(client_for, api_for, hidden, polri):
    incident, _req = hidden
    assert client_for(polri).get(f"/kejadian/{incident}/").status_code == 200
    assert api_for(polri).get(f"/api/v1/incidents/{incident}").status_code == 200
