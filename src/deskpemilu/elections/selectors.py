"""Reading the elections: which one is active, and each with its contests and TPS count."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from deskpemilu.core.errors import ApiError, Refusal
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


def unknown_election(code: str) -> Refusal:
    """The 404 of a page asked for an election that does not exist: it says which code."""
    if not code:
        return Refusal(404, "pemilihan_tidak_ada", _("Belum ada pemilihan yang aktif."))
    message = _("Pemilihan %(code)s tidak dikenal.") % {"code": code[:20]}
    return Refusal(404, "pemilihan_tidak_dikenal", message, field="pemilihan")


def election_or_active(code: str) -> Election:
    """`?pemilihan=CODE` on a page: that election, or the active one when the code is empty;
    404 when it names none."""
    election = get_election(code) if code else active_election()
    if election is None:
        raise unknown_election(code)
    return election


@dataclass(frozen=True)
class Browsing:
    """The election a page shows (`?pemilihan=CODE`, by default the active one) and every
    election, for the switcher."""

    election: Election | None  # None: no election active (an installation before any)
    elections: list[Election]
    asked: bool = False  # named by `?pemilihan=` (not just the active one by default)

    @property
    def read_only(self) -> bool:
        """Another election than the active one: its data are shown, never written."""
        return self.election is not None and not self.election.active

    @property
    def other(self) -> Election | None:
        """The election to read when it is not the active one (None: the active one, which
        `Tps.objects` and the regions' own columns already give)."""
        return self.election if self.read_only else None

    @property
    def query(self) -> str:
        """What the page's links carry to stay in the election shown."""
        return f"?pemilihan={self.election.code}" if self.read_only and self.election else ""


def browsed_election(request: HttpRequest) -> Browsing:
    """`?pemilihan=` of a region or TPS page (README, "TPS per election")."""
    return browse(request.GET.get("pemilihan", ""))


def browse(code: str) -> Browsing:
    """The election `code` names (the active one when empty) and every election, in one query
    whatever their number; an unknown code is a 404 that names it."""
    elections = list(Election.objects.order_by("-voting_day", "code"))
    if code:
        election = next((e for e in elections if e.code == code), None)
        if election is None:
            raise unknown_election(code)
    else:
        election = next((e for e in elections if e.active), None)
    return Browsing(election, elections, asked=bool(code))


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
