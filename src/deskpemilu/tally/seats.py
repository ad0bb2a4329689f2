"""Seat allocation by Sainte-Laguë (divisors 1, 3, 5, 7 …), as used since Pemilu 2019.

Exact: quotients are compared as fractions. Ties on a quotient go to the party with more votes,
then to the lower ballot number (the order the desk can explain; KPU settles real ties by the
wider spread of votes, which the desk reviews by hand).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction


def _ballot_order(party: str) -> tuple[int, str]:
    return (int(party), party) if party.isdigit() else (10**9, party)


def passes_threshold(
    national_votes: Mapping[str, int], threshold_percent: Fraction | int
) -> set[str]:
    """Parties whose national valid votes reach the threshold (DPR: 4 %)."""
    total = sum(national_votes.values())
    if total == 0:
        return set()
    return {p for p, v in national_votes.items() if Fraction(v * 100, total) >= threshold_percent}


def sainte_lague(
    votes: Mapping[str, int], seats: int, eligible: set[str] | None = None
) -> dict[str, int]:
    """Seats per party. `eligible`, when given, limits the parties (a threshold's survivors)."""
    if seats < 0:
        raise ValueError("seats must not be negative")
    parties = [p for p, v in votes.items() if v > 0 and (eligible is None or p in eligible)]
    won = {p: 0 for p in votes}
    for _ in range(seats):
        if not parties:
            break
        best = max(
            parties,
            key=lambda p: (
                Fraction(votes[p], 2 * won[p] + 1),
                votes[p],
                -_ballot_order(p)[0],
            ),
        )
        won[best] += 1
    return won


def quotient_table(votes: Mapping[str, int], rounds: int) -> dict[str, list[Fraction]]:
    """The quotients v/1, v/3, v/5 … per party, for showing the allocation."""
    return {p: [Fraction(v, 2 * i + 1) for i in range(rounds)] for p, v in votes.items()}
