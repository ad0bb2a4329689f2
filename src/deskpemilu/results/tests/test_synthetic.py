"""The made-up sheets of the load tests, benchmarks and national dataset pass the form's rules."""

import random

from deskpemilu.results.synthetic import ppwp_sheet
from deskpemilu.tally.sheet import arithmetic_problems, parse_sheet


def test_every_synthetic_sheet_is_consistent() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        dpt_l, dpt_p = rng.randint(0, 300), rng.randint(0, 300)
        body = ppwp_sheet(
            dpt_l,
            dpt_p,
            turnout_pct=(rng.randint(50, 100), rng.randint(50, 100)),
            invalid=rng.randint(0, 3) if dpt_l + dpt_p > 10 else 0,
            shares_pct=(rng.randint(0, 50), rng.randint(0, 50)),
        )
        parsed = parse_sheet(body, ("1", "2", "3"))
        assert parsed.sheet is not None, parsed.problems
        assert arithmetic_problems(parsed.sheet) == [], body
        assert min(body["suara"].values()) >= 0
