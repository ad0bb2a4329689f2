from typing import Any

from django.conf import settings
from django.http import HttpRequest

from deskpemilu.accounts.access import home_region_code


def desk(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    home = settings.DESKPEMILU_INSTALLATION_REGION
    if user is not None and user.is_authenticated:
        home = home_region_code(user, home)
    return {
        "home_region": home,
        # Roles that may open the health page (the Dinkes liaison among the liaisons).
        "health_roles": ("admin", "viewer", "health", "lurah", "camat", "liaison"),
        "installation_name": "Desk Pemilu Kota Mataram",
        "public_portal_on": settings.DESKPEMILU_PUBLIC_PORTAL,
    }
