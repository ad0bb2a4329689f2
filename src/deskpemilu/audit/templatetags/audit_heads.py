"""`{% audit_head seq hash %}`: the head as every page prints it (`N:HASH`, audit.heads)."""

from django import template

from deskpemilu.core.heads import head_text

register = template.Library()


@register.simple_tag
def audit_head(seq: int, digest: str) -> str:
    return head_text(seq, digest)
