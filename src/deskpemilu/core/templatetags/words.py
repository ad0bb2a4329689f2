"""Words instead of codes in templates: a code looked up in a mapping the view passes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def named(code: Any, names: Mapping[str, Any] | None) -> Any:
    """`{{ slug|named:agency_names }}`: the name for `code`, or the code itself when unknown."""
    if not names:
        return code
    return names.get(str(code), code)
