"""The moments the desk looks back at (H-3, H-1, voting day) and the `?pada=` a reader gives:
the times the readiness pages and API read the checklist and the summaries at."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from deskpemilu.elections.selectors import active_voting_day


def election_day() -> date:
    """The active election's voting day: the windows move when the desk switches elections."""
    return active_voting_day()


def moments() -> list[tuple[str, str, datetime]]:
    """The moments the desk looks back at: (key, label, when) — H-3 and H-1 at the end of the
    day, and voting day when the TPS open (07.00 WITA)."""
    day = election_day()
    tz = timezone.get_current_timezone()

    def at(d: date, t: time) -> datetime:
        return datetime.combine(d, t, tzinfo=tz)

    return [
        ("h-3", "H-3", at(day - timedelta(days=3), time(23, 59))),
        ("h-1", "H-1", at(day - timedelta(days=1), time(23, 59))),
        ("hari-h", _("Hari H 07.00"), at(day, time(7, 0))),
    ]


def parse_moment(text: str) -> datetime | None:
    """`?pada=`: a moment key (h-3, h-1, hari-h) or `YYYY-MM-DDTHH:MM` (WITA unless it names
    its offset). None when empty; ValueError when unreadable."""
    text = text.strip()
    if not text:
        return None
    for key, _label, when in moments():
        if text == key:
            return when
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None or not 2000 <= value.year <= 2100:
        raise ValueError(text)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_current_timezone())
    return value
