from typing import Any

from django import template

from deskpemilu.accounts.models import User
from deskpemilu.offline.views import account_key as key_of

register = template.Library()


@register.simple_tag
def account_key(user: Any) -> str:
    """The value that names this account's offline cache and tags its queued items."""
    return key_of(user) if isinstance(user, User) else ""
