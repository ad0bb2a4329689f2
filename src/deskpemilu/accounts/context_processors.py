from typing import Any

from django.conf import settings
from django.http import HttpRequest

from deskpemilu.accounts.access import home_region_code
from deskpemilu.accounts.twofactor import enforced_for, session_verified
from deskpemilu.core import nav
from deskpemilu.regions import installation


def desk(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    home = settings.DESKPEMILU_INSTALLATION_REGION
    nav_links: list[tuple[str, Any]] = []
    pending = False
    if user is not None and user.is_authenticated:
        home = home_region_code(user, home)
        # Until the second factor is done every page but its own bounces (TwoFactorMiddleware),
        # so the header offers that step and sign-out only.
        pending = enforced_for(user) and not session_verified(user)
        # The features' own rules decide which entries this account is shown.
        nav_links = [] if pending else nav.shown_to(user)
    # The region this installation serves (DESKPEMILU_REGION), named in the header and title.
    region_name = installation.name()
    return {
        "home_region": home,
        "installation_region_name": region_name,
        "nav_links": nav_links,
        "twofactor_pending": pending,
        "installation_name": f"Desk Pemilu {region_name}",
        "public_portal_on": settings.DESKPEMILU_PUBLIC_PORTAL,
        # A page the service worker fetches to keep offline (offline/worker.js) leaves the
        # one-time messages to the page the person is shown beside it.
        "offline_keep": request.headers.get("X-Offline-Keep") == "1",
    }
