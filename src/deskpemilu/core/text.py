"""Text a database can store: one check for every free-text field that reaches a query."""

from __future__ import annotations


def storable(text: str) -> bool:
    """False for a NUL character (PostgreSQL refuses it in text; SQLite takes it) and for a lone
    surrogate (what a JSON "\\ud800" escape decodes to: no character, and not encodable as
    UTF-8 for either database). No person types either; both come from hostile clients."""
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
