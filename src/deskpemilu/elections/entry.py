"""What belongs to an election (incidents, requests, health cases, meetings, stages): the one
it is filed under, and the door every write of it passes.

A new record belongs to the active election, chosen here by the service and never by the
client. A record of another election stays readable, and any write to it answers 409
`pemilihan_tidak_aktif`, the code results use for a contest of a closed election.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from deskpemilu.core.errors import Refusal
from deskpemilu.elections.models import Election
from deskpemilu.elections.selectors import browse

CLOSED = "pemilihan_tidak_aktif"
UNKNOWN = "pemilihan_tidak_dikenal"

M = TypeVar("M", bound=Model)


class ElectionClosed(Refusal):
    """409: the record belongs to an election that is not open for entry."""

    def __init__(self) -> None:
        super().__init__(
            409,
            CLOSED,
            _("Pemilihan ini tidak aktif: datanya hanya dapat dibaca."),
            "pemilihan",
        )


def entry_election() -> Election:
    """The election a new record is filed under: the active one (409 when none is)."""
    election = Election.objects.filter(active=True).first()
    if election is None:
        raise ElectionClosed
    return election


def refuse_closed(election: Election) -> None:
    """Writes go only into the active election; the caller loaded `election` with its row."""
    if not election.active:
        raise ElectionClosed


def of_election(qs: QuerySet[M], code: str, field: str = "election") -> QuerySet[M]:
    """The rows of one election: `code`, or the active one when "" (a join, not a query)."""
    if code:
        return qs.filter(**{field: code})
    return qs.filter(**{f"{field}__active": True})


def check_code(code: str) -> bool:
    """`?pemilihan=CODE` on a list: empty (the active one) or an election that exists."""
    if not code:
        return True
    if "\x00" in code or len(code) > 20:
        return False
    return Election.objects.filter(code=code).exists()


def browsing(code: str) -> dict[str, object]:
    """What a list page needs to pick the election it shows (one query): `elections` to pick
    from, and `browsing`, the one shown (`code`, or the active one), as the region pages."""
    picked = browse(code)
    return {"elections": picked.elections, "browsing": picked.election}
