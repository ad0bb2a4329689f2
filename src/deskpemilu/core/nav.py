"""The main menu: each feature registers its entry, with the rule that decides who is shown it.

A feature registers in its AppConfig.ready() the same rule function its page asks (the health
page's `can_read_health`, ...), so the menu never offers a page that answers 403. `core` lists
what was registered and imports no feature; the accounts context processor asks it per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, resolve, reverse


def anyone(user: Any) -> bool:
    """Any signed-in account (the page scopes what it shows)."""
    return True


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: Any  # a lazy translation
    order: int
    may: Callable[[Any], bool] = anyone


_entries: dict[str, NavEntry] = {}


def register(url_name: str, label: Any, order: int, may: Callable[[Any], bool] = anyone) -> None:
    _entries[url_name] = NavEntry(url_name, label, order, may)


def entries() -> list[NavEntry]:
    return sorted(_entries.values(), key=lambda e: e.order)


def shown_to(user: Any) -> list[tuple[str, Any]]:
    """(url, label) of the entries `user` may open, in menu order."""
    links = []
    for entry in entries():
        if not entry.may(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # the feature's pages are not mounted in this installation
            continue
        # The page's own access rule too: the menu never offers what would answer 403.
        rule = getattr(resolve(url).func, "access_rule", None)
        if rule is not None and not rule.admits(user):
            continue
        links.append((url, entry.label))
    return links
