"""TPS in links: the 13-digit KPU code plus the election, never the storage key
`<code>@<election>` (README, "TPS per election")."""

from __future__ import annotations

from django import template
from django.urls import reverse

from deskpemilu.regions.models import Tps, election_of_key, kpu_code

register = template.Library()


def _key(tps: Tps | str) -> str:
    return tps.code if isinstance(tps, Tps) else str(tps)


@register.filter(name="kpu_code")
def kpu_code_filter(tps: Tps | str) -> str:
    """`{{ tps|kpu_code }}` or `{{ sheet.tps_id|kpu_code }}`: the KPU code of a TPS or key, for
    the results pages of a contest (the contest names the election)."""
    return kpu_code(_key(tps))


@register.filter
def tps_url(tps: Tps | str) -> str:
    """`{{ tps|tps_url }}`: the TPS page of this TPS, in its own election whichever is active
    (a link of a row that belongs to an election: a readiness report, a health case)."""
    key = _key(tps)
    return reverse("tps", args=[kpu_code(key)]) + f"?pemilihan={election_of_key(key)}"
