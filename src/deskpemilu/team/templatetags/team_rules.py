"""The team's access rules for its templates, so a tab asks the rule the page enforces."""

from __future__ import annotations

from django import template

from deskpemilu.team import access

register = template.Library()


@register.filter
def reads_meetings(user: object) -> bool:
    """{% if user|reads_meetings %}: the rule the meeting pages enforce (team.access)."""
    return access.reads_meetings(user)  # type: ignore[arg-type]
