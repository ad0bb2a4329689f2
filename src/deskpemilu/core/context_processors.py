from typing import Any

from django.conf import settings
from django.http import HttpRequest


def desk(request: HttpRequest) -> dict[str, Any]:
    return {
        "installation_name": "Desk Pemilu Kota Mataram",
        "public_portal_on": settings.DESKPEMILU_PUBLIC_PORTAL,
    }
