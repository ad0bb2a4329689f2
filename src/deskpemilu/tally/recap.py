"""Recap sums: the totals of many sheets, and how a new version changes a total."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

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
