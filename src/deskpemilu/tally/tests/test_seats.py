"""Sainte-Laguë against hand-checked answers, and its properties."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from deskpemilu.tally.seats import passes_threshold, sainte_lague


def test_it_allocates_the_textbook_example() -> None:
    # Quotients: A 100k 33.3k 20k; B 80k 26.7k 16k; C 30k; D 20k → A3 B3 C1 D1.
    votes = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}
    assert sainte_lague(votes, 8) == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_it_allocates_the_three_party_example() -> None:
    # 53k / 24k / 23k for 7 seats: 53k 24k 23k 17.7k 10.6k 8k 7.7k 7.6k → A3 B2 C2.
    assert sainte_lague({"A": 53_000, "B": 24_000, "C": 23_000}, 7) == {"A": 3, "B": 2, "C": 2}


def test_it_differs_from_dhondt_where_it_should() -> None:
    # D'Hondt gives the big party both seats (1000, 500 > 400); Sainte-Laguë: 1000, 400 > 333.
    assert sainte_lague({"1": 1000, "2": 400}, 2) == {"1": 1, "2": 1}


def test_it_breaks_a_tie_by_votes_then_ballot_number() -> None:
    # 300/3 = 100 equals 100/1: the party with more votes wins the tie.
    assert sainte_lague({"4": 300, "8": 100}, 2) == {"4": 2, "8": 0}
    assert sainte_lague({"8": 100, "4": 100}, 1) == {"8": 0, "4": 1}


def test_it_applies_the_dpr_threshold() -> None:
    national = {"1": 960, "2": 40, "3": 30}  # 2 and 3 are below 4 % of 1030
    eligible = passes_threshold(national, Fraction(4))
    assert eligible == {"1"}
    assert sainte_lague({"1": 10, "2": 500, "3": 0}, 3, eligible) == {"1": 3, "2": 0, "3": 0}


def test_it_handles_no_votes() -> None:
    assert sainte_lague({"1": 0, "2": 0}, 5) == {"1": 0, "2": 0}


votes_strategy = st.dictionaries(
    st.integers(1, 24).map(str), st.integers(0, 200_000), min_size=1, max_size=18
)


@given(votes_strategy, st.integers(0, 50))
def test_property_every_seat_is_allocated(votes: dict[str, int], seats: int) -> None:
    result = sainte_lague(votes, seats)
    expected = seats if any(votes.values()) else 0
    assert sum(result.values()) == expected


@given(votes_strategy, st.integers(0, 49))
def test_property_one_more_seat_takes_none_away(votes: dict[str, int], seats: int) -> None:
    before = sainte_lague(votes, seats)
    after = sainte_lague(votes, seats + 1)
    assert all(after[p] >= before[p] for p in votes)
