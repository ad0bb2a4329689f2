"""/api/v1/docs works on the desk's offline LAN: Swagger UI comes from this server, not a CDN."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_everything_from_this_server(client_for, admin) -> None:
    client = client_for(admin)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    scripts = page["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert "unsafe-inline" not in scripts
    for asset in assets:
        if asset.startswith("/static/"):
            response = client.get(asset)
            assert response.status_code == 200, asset
