"""Recap sums: the totals of many sheets, and how a new version changes a total."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal

RECAP_FIELDS = ("suara_sah", "suara_tidak_sah", "surat_suara_digunakan")


def add_sheets(sheets: Iterable[Mapping[str, int]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for votes in sheets:
        total.update(votes)
    return total


def delta(old: Mapping[str, int] | None, new: Mapping[str, int] | None) -> dict[str, int]:
    """What replacing `old` by `new` adds to every total (keys of both; zeros dropped)."""
    old = old or {}
    new = new or {}
    keys = set(old) | set(new)
    return {k: new.get(k, 0) - old.get(k, 0) for k in keys if new.get(k, 0) != old.get(k, 0)}


def legislative_party_totals(suara: Mapping[str, int]) -> dict[str, int]:
    """A party's total = its party-only votes + its candidates' votes ("<party>.<candidate>")."""
    totals: dict[str, int] = {}
    for key, votes in suara.items():
        party = key.split(".", 1)[0]
        totals[party] = totals.get(party, 0) + votes
    return totals


def shares(votes: Mapping[str, int], places: int = 2) -> dict[str, Decimal]:
    """Each choice's share of the votes counted, in percent with `places` decimals, summing to
    exactly 100 (largest remainder: the floors, then one unit more to the largest remainders,
    ties to ballot order). Every chart, table, PDF and the portal print these, so they agree to
    the last digit. No votes: every share is 0."""
    total = sum(votes.values())
    if total <= 0:
        return {key: Decimal(0).scaleb(-places) for key in votes}
    units = 100 * 10**places
    floors: dict[str, int] = {}
    remainders: list[tuple[int, int, str]] = []
    for order, (key, count) in enumerate(votes.items()):
        whole, rest = divmod(count * units, total)
        floors[key] = whole
        remainders.append((-rest, order, key))
    missing = units - sum(floors.values())
    for _rest, _order, key in sorted(remainders)[:missing]:
        floors[key] += 1
    return {key: Decimal(n).scaleb(-places) for key, n in floors.items()}
