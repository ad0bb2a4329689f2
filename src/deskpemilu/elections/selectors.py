"""Reading the elections: which one is active, and each with its contests and TPS count."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from deskpemilu.core.errors import ApiError
from deskpemilu.elections.models import Election
from deskpemilu.regions.models import Tps

# When no row is active (an installation migrated before any election was loaded): the day the
# software was first built for, so the readiness windows still have a day to count from.
FALLBACK_DAY = date(2024, 2, 14)
SLUG = re.compile(r"[a-z0-9_-]+")


def active_election() -> Election | None:
    return Election.objects.filter(active=True).first()


def active_voting_day() -> date:
    """The voting day the readiness windows (H-3, H-1, H) count from."""
    day = Election.objects.filter(active=True).values_list("voting_day", flat=True).first()
    return day or FALLBACK_DAY


def elections_with_contests() -> QuerySet[Election]:
    return Election.objects.prefetch_related("contests").order_by("-voting_day", "code")


def get_election(code: str) -> Election | None:
    """The election named by `?pemilihan=` (None when unknown: the caller answers 404)."""
    if not code or "\x00" in code or len(code) > 20:
        return None
    return Election.objects.filter(code=code).first()


def election_or_active(code: str) -> Election:
    """`?pemilihan=CODE` on a page: that election, or the active one when the code is empty;
    404 when it names none."""
    election = get_election(code) if code else active_election()
    if election is None:
        raise Http404
    return election


def tps_count(election: Election) -> int:
    """How many TPS the election has (each election its own set: README, "TPS per election")."""
    return Tps.every.filter(election=election).count()


def election_for_api(code: str | None) -> Election | None:
    """`?pemilihan=CODE` on the API: that election; None (the active one, which `Tps.objects`
    reads without a query of its own) when absent or empty. A code no election could have
    answers 422, a well-formed unknown one 404 (ApiError)."""
    if not code:
        return None
    if len(code) > 20 or not SLUG.fullmatch(code):
        raise ApiError(422, "pemilihan_tidak_valid", "not an election code", field="pemilihan")
    election = Election.objects.filter(code=code).first()
    if election is None:
        raise ApiError(404, "pemilihan_tidak_dikenal", "unknown election", field="pemilihan")
    return election
