"""Reading the elections: which one is active, and each with its contests and TPS count."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from deskpemilu.elections.models import Election
from deskpemilu.regions.models import Tps

# When no row is active (an installation migrated before any election was loaded): the day the
# software was first built for, so the readiness windows still have a day to count from.
FALLBACK_DAY = date(2024, 2, 14)


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
    """The TPS of an election. Every election shares the installation's TPS list for now (one
    TPS set per election is the next step: README, "Elections")."""
    return Tps.objects.count()
