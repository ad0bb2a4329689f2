"""Shares of the vote: largest remainder, two decimals, exactly 100."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from deskpemilu.tally.recap import shares


def test_it_splits_the_pilkada_2024_mataram_plenary_exactly() -> None:
    # KPU Kota Mataram's plenary, Pilwalkot 2024: 112.946 + 86.432 = 199.378 valid votes.
    assert shares({"1": 112_946, "2": 86_432}) == {"1": Decimal("56.65"), "2": Decimal("43.35")}


def test_it_gives_the_leftover_unit_to_the_largest_remainder_then_ballot_order() -> None:
    assert shares({"1": 1, "2": 1, "3": 1}) == {
        "1": Decimal("33.34"),
        "2": Decimal("33.33"),
        "3": Decimal("33.33"),
    }
    assert shares({"1": 1, "2": 2}) == {"1": Decimal("33.33"), "2": Decimal("66.67")}


def test_it_answers_zero_shares_without_votes() -> None:
    assert shares({"1": 0, "2": 0}) == {"1": Decimal("0.00"), "2": Decimal("0.00")}
    assert shares({}) == {}


def test_it_keeps_whole_percentages_when_asked() -> None:
    assert shares({"a": 2, "b": 1}, places=0) == {"a": Decimal(67), "b": Decimal(33)}


@settings(deadline=None, max_examples=300)
@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=30))
def test_property_shares_sum_to_exactly_100_and_stay_within_a_unit(counts: list[int]) -> None:
    votes = {str(i): n for i, n in enumerate(counts, start=1)}
    result = shares(votes)
    total = sum(counts)
    if total == 0:
        assert set(result.values()) == {Decimal("0.00")}
        return
    assert sum(result.values()) == Decimal("100.00")
    for key, n in votes.items():
        exact = Decimal(n * 100) / Decimal(total)
        assert abs(result[key] - exact) < Decimal("0.01")
