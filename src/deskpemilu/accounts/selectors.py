"""Reads of accounts for the pages; each list is a fixed number of queries, whatever its size."""

from __future__ import annotations

from django.db.models import Q

from deskpemilu.accounts.models import Role, User
from deskpemilu.regions.models import Region


def account_rows(*, role: str = "", query: str = "") -> list[User]:
    """Accounts for the admin's list, each with `scope_region` (its Region, or None)."""
    qs = User.objects.select_related("agency").order_by("username")
    if role in Role.values:
        qs = qs.filter(role=role)
    if query:
        qs = qs.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(scope__startswith=query.replace(".", ""))
        )
    accounts = list(qs)
    regions = Region.objects.in_bulk({a.scope for a in accounts if a.scope})
    for account in accounts:
        account.scope_region = regions.get(account.scope)  # type: ignore[attr-defined]
    return accounts


def scope_region(code: str) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(code=code).first()
