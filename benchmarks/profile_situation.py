"""One drawing of the situation room's live blocks for the most populous province of a generated
national dataset, taken apart: CPU per drawing and a cProfile of where it goes.

In one process, through Django's test client, signed in as a viewer. Each request is given a
new data version (as after a write), so the block is drawn anew while what is kept under the
hash of what it shows (the map's SVG) stays in the cache, as under a stream of writes.

    .venv/bin/python benchmarks/profile_situation.py [--tps 300000] [--draws 10] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import sys
import time
from pathlib import Path

from common import DESKPEMILU, installation, run, write_figures

PATHS = {"room": "/situasi/fragmen/", "tv": "/situasi/tv/fragmen/"}


def measure(env: dict[str, str], draws: int, top: int) -> dict[str, float]:
    code = (
        "from deskpemilu.regions.models import Region as R;"
        "p=R.objects.filter(level='provinsi').order_by('-tps_count').first();"
        "print(p.code, p.tps_count)"
    )
    province, count = run([DESKPEMILU, "shell", "-c", code], env).split()[-2:]
    env["DESKPEMILU_REGION"] = province
    env["DESKPEMILU_SITUATION_REDRAW_SECONDS"] = "0"
    run(
        [DESKPEMILU, "create_account", "profile_viewer", "--role", "viewer", "--password-stdin"],
        env,
        stdin="Bench-Password-2024!\n",
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskpemilu.settings")
    import django

    django.setup()
    from django.test import Client

    from deskpemilu.accounts.models import User
    from deskpemilu.situation import fragments

    # A new data version per request: the block's key moves as after a write.
    versions = itertools.count(10**9)
    fragments.head = lambda: (next(versions), "profil")  # type: ignore[assignment]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="profile_viewer"))
    figures: dict[str, float] = {"profile_situation_tps": float(count)}
    for label, path in PATHS.items():
        assert client.get(path).status_code == 200  # the first: the map's SVG too
        started = time.process_time()
        for _ in range(draws):
            assert client.get(path).status_code == 200
        cpu = (time.process_time() - started) / draws * 1000
        print(f"[{label}] {count} TPS: CPU per drawing {cpu:.1f} ms (no profiler)")
        figures[f"profile_situation_{label}_cpu_ms"] = round(cpu, 1)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(draws):
            client.get(path)
        profile.disable()
        print(f"[{label}] cProfile, cumulative, {draws} drawings (profiler overhead included):")
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats("deskpemilu", top)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tps", type=int, default=300_000)
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    with installation(None) as env:
        run([DESKPEMILU, "generate_national", "--tps", str(args.tps)], env)
        figures = measure(env, args.draws, args.top)
    write_figures(figures)


if __name__ == "__main__":
    main()
