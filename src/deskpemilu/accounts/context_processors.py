from typing import Any

from django.conf import settings
from django.http import HttpRequest

from deskpemilu.accounts.access import home_region_code
from deskpemilu.core import nav


def desk(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    home = settings.DESKPEMILU_INSTALLATION_REGION
    nav_links: list[tuple[str, Any]] = []
    if user is not None and user.is_authenticated:
        home = home_region_code(user, home)
        # The features' own rules decide which entries this account is shown.
        nav_links = nav.shown_to(user)
    return {
        "home_region": home,
        "nav_links": nav_links,
        "installation_name": "Desk Pemilu Kota Mataram",
        "public_portal_on": settings.DESKPEMILU_PUBLIC_PORTAL,
    }
