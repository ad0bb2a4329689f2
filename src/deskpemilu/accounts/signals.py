"""Every login, successful or not, is audited."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from deskpemilu.accounts import services
from deskpemilu.core.addresses import client_address


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return client_address(request)


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    services.login_recorded(user=user, address=_address(request))


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    services.login_failure_recorded(
        username=str(credentials.get("username", "")), address=_address(request)
    )
