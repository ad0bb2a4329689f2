"""Generate the DEMO TPS list of Kota Mataram (DPT per TPS and positions are not public).

Real: the TPS count and numbers per kelurahan (KawalPemilu's copy of KPU's list) and the city's
DPT total 315,549. Demo: each TPS's DPT (≤ 300, summing to that total) and a position inside its
kelurahan's boundary. The output is in the `import_tps` format, so the desk replaces it by
importing KPU's real list. Deterministic: run it again and the file is identical.

    python scripts/make_demo_tps.py > src/deskpemilu/regions/data/mataram_tps_demo.csv
"""

import csv
import json
import random
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src/deskpemilu/regions/data"
CITY_DPT = 315_549
MAX_PER_TPS = 300


def tps_numbers(row: dict[str, str]) -> list[int]:
    numbers = list(range(1, int(row["regular_tps_count"]) + 1))
    special = row["special_tps_numbers"].strip()
    if special:
        start, end = (int(x) for x in special.split("-"))
        numbers += list(range(start, end + 1))
    return numbers


def inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    hit = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def random_point(rng: random.Random, geometry: dict) -> tuple[float, float]:
    rings = [p for p in polygons(geometry)]
    xs = [pt[0] for poly in rings for pt in poly[0]]
    ys = [pt[1] for poly in rings for pt in poly[0]]
    for _ in range(10_000):
        lon, lat = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
        for poly in rings:
            if inside(lon, lat, poly[0]) and not any(inside(lon, lat, h) for h in poly[1:]):
                return round(lat, 6), round(lon, 6)
    raise RuntimeError("no point found inside the polygon")


def main() -> None:
    rng = random.Random(20240214)
    with (DATA / "mataram_tps_per_kelurahan_kawalpemilu.csv").open() as f:
        kelurahan = list(csv.DictReader(f))
    geo = json.loads((DATA / "geo/mataram_kelurahan.geojson").read_text())
    shapes = {feat["properties"]["code"]: feat["geometry"] for feat in geo["features"]}

    rows = []
    for k in kelurahan:
        code = k["kelurahan_code"].replace(".", "")
        for n in tps_numbers(k):
            # Special-location TPS (a prison) are small; regular ones mostly 200–300 voters.
            weight = rng.uniform(90, 160) if n >= 900 else rng.triangular(180, 300, 265)
            rows.append({"code": code, "dotted": k["kelurahan_code"], "n": n, "w": weight})

    # Scale the weights to the city total, then hand out the remainder one voter at a time.
    total_w = sum(r["w"] for r in rows)
    for r in rows:
        r["dpt"] = min(MAX_PER_TPS, int(r["w"] * CITY_DPT / total_w))
    missing = CITY_DPT - sum(r["dpt"] for r in rows)
    order = sorted(range(len(rows)), key=lambda i: rows[i]["dpt"])
    i = 0
    while missing > 0:
        r = rows[order[i % len(order)]]
        if r["dpt"] < MAX_PER_TPS and r["n"] < 900:
            r["dpt"] += 1
            missing -= 1
        i += 1
    assert sum(r["dpt"] for r in rows) == CITY_DPT
    assert all(r["dpt"] <= MAX_PER_TPS for r in rows)

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["kode_tps", "nomor", "alamat", "dpt_l", "dpt_p", "lat", "lon"])
    for r in rows:
        # The prison TPS is the women's prison (Lapas Perempuan): all its voters are women.
        dpt_l = 0 if r["n"] >= 900 else round(r["dpt"] * rng.uniform(0.47, 0.52))
        lat, lon = random_point(rng, shapes[r["dotted"]])
        address = "Lapas Perempuan Mataram" if r["n"] >= 900 else ""
        out.writerow(
            [f"{r['code']}{r['n']:03d}", r["n"], address, dpt_l, r["dpt"] - dpt_l, lat, lon]
        )


if __name__ == "__main__":
    main()
