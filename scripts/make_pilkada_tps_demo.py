"""Generate the DEMO TPS list of Pilkada 2024 in Kota Mataram (27 November 2024).

Real: 581 TPS in the city (TPS were merged for the Pilkada; Pemilu 2024 had 1,248) and the
city's DPT, 320,604 (pilkada2024_mataram.csv). Not known here: the TPS per kelurahan and the DPT
per TPS. Demo: the 581 TPS shared over the 50 kelurahan in proportion to each kelurahan's
Pemilu 2024 DPT (at least one each), the city DPT shared the same way, each kelurahan's DPT
split evenly over its TPS (at most 600 voters per TPS, the Pilkada ceiling), the L/P split and
the positions of the kelurahan's Pemilu 2024 demo TPS. The output is in the `import_tps` format,
so KPU's real list replaces it. Deterministic: run it again and the file is identical.

    python scripts/make_pilkada_tps_demo.py > src/deskpemilu/results/data/pilkada2024_tps_demo.csv
"""

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src/deskpemilu"
PEMILU_TPS = ROOT / "regions/data/mataram_tps_demo.csv"
CITY_TPS = 581
CITY_DPT = 320_604
MAX_PER_TPS = 600


def largest_remainder(total: int, weights: dict[str, int], floor: int = 0) -> dict[str, int]:
    """`total` shared in proportion to `weights`, each at least `floor`, summing exactly."""
    keys = sorted(weights)
    rest = total - floor * len(keys)
    whole = sum(weights.values())
    exact = {k: rest * weights[k] / whole for k in keys}
    shares = {k: floor + int(exact[k]) for k in keys}
    left = total - sum(shares.values())
    for k in sorted(keys, key=lambda k: (-(exact[k] - int(exact[k])), k))[:left]:
        shares[k] += 1
    return shares


def main() -> None:
    rows = list(csv.DictReader(PEMILU_TPS.open(encoding="utf-8")))
    by_kelurahan: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_kelurahan[row["kode_tps"][:10]].append(row)
    dpt = {k: sum(int(r["dpt_l"]) + int(r["dpt_p"]) for r in v) for k, v in by_kelurahan.items()}
    men = {k: sum(int(r["dpt_l"]) for r in v) for k, v in by_kelurahan.items()}
    counts = largest_remainder(CITY_TPS, dpt, floor=1)
    voters = largest_remainder(CITY_DPT, dpt)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["kode_tps", "nomor", "alamat", "dpt_l", "dpt_p", "lat", "lon"])
    for kelurahan in sorted(by_kelurahan):
        n = counts[kelurahan]
        per_tps = largest_remainder(voters[kelurahan], {f"{i:03d}": 1 for i in range(1, n + 1)})
        assert max(per_tps.values()) <= MAX_PER_TPS, kelurahan
        places = by_kelurahan[kelurahan]
        for i in range(1, n + 1):
            total = per_tps[f"{i:03d}"]
            l_count = round(total * men[kelurahan] / dpt[kelurahan])
            place = places[(i - 1) % len(places)]
            code = f"{kelurahan}{i:03d}"
            out.writerow([code, i, "", l_count, total - l_count, place["lat"], place["lon"]])


if __name__ == "__main__":
    main()
