"""The labelled demo TPS list of Pilkada 2024: 581 TPS over the 50 kelurahan, DPT 320,604, in
the `import_tps` format (read by the importer's own parser)."""

from pathlib import Path

from deskpemilu.regions.tps_file import parse_rows, read_cells

DEMO = Path(__file__).resolve().parents[2] / "results" / "data" / "pilkada2024_tps_demo.csv"


def test_it_sums_to_the_known_totals():
    rows = parse_rows(read_cells(DEMO.name, DEMO.read_bytes()))
    assert len(rows) == 581
    assert len({r.code[:10] for r in rows}) == 50
    assert sum(r.dpt_l + r.dpt_p for r in rows) == 320_604
    assert max(r.dpt_l + r.dpt_p for r in rows) <= 600  # the Pilkada's ceiling per TPS
    assert len({r.code for r in rows}) == 581
