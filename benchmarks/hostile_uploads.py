"""The worst hostile request's worker time: ten 39-megapixel PNGs (131 KB each) attached to one
sheet (and three, the most still accepted), an XLSX zip bomb and an XLSX that declares every
cell of Excel, sent to the TPS import page. Each request goes alone to a one-worker
`deskpemilu serve`, so its wall time is the time it held that worker.

    .venv/bin/python benchmarks/hostile_uploads.py [--source DIR] [--timeout 120]

--source DIR runs the server from DIR/src instead (an export of an older commit, e.g.
`git archive <commit> src | tar -x -C DIR`), to measure before and after with the same client.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import time
from pathlib import Path

import requests
from common import DESKPEMILU, ROOT, installation, run, server, write_figures
from PIL import Image

sys.path.insert(0, str(ROOT / "src"))
from deskpemilu.regions.tests.hostile_xlsx import dimension_bomb, zip_bomb

PASSWORD = "Bench-Hostile-2024!"  # noqa: S105 - a throwaway installation's
TPS = "5271011004003"


def big_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (7800, 5000), (200, 200, 200)).save(buffer, "PNG")  # 39 Mpx, ~131 KB
    return buffer.getvalue()


def sheet_body() -> dict:
    """A consistent PPWP sheet for TPS (the numbers do not matter here, only that it stores)."""
    adm = {
        "pemilih_dpt_l": 120, "pemilih_dpt_p": 125, "pengguna_dpt_l": 100,
        "pengguna_dpt_p": 110, "pengguna_dptb_l": 0, "pengguna_dptb_p": 0,
        "pengguna_non_dpt_l": 0, "pengguna_non_dpt_p": 0, "surat_suara_diterima": 251,
        "surat_suara_digunakan": 210, "surat_suara_rusak": 0,
        "surat_suara_tidak_digunakan": 41, "suara_sah": 205, "suara_tidak_sah": 5,
    }  # fmt: skip
    return {"administrasi": adm, "suara": {"1": 50, "2": 100, "3": 55}}


def timed(call) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        answer = call()
        outcome = f"{answer.status_code}"
        codes = re.findall(r'"code": ?"([a-z_]+)"', answer.text)
        if codes:
            outcome += " " + codes[0]
        elif "terlalu besar" in answer.text or "lebih dari" in answer.text:
            outcome += " refused"
    except requests.RequestException as exc:
        outcome = f"no answer ({type(exc).__name__})"
    return time.perf_counter() - started, outcome


def signed_in(url: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(url + "/accounts/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    answer = session.post(url + "/accounts/login/", data=data, timeout=30, allow_redirects=False)
    assert answer.status_code == 302, answer.status_code
    return session


def upload_import(session: requests.Session, url: str, data: bytes, timeout: float):
    page = session.get(url + "/wilayah/impor/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    files = {"file": ("tps.xlsx", data)}
    return lambda: session.post(
        url + "/wilayah/impor/", data={"csrfmiddlewaretoken": token}, files=files, timeout=timeout
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, help="run the server from DIR/src")
    parser.add_argument("--timeout", type=float, default=120.0, help="client timeout, seconds")
    parser.add_argument("--label", default="", help="suffix of the figures' names")
    args = parser.parse_args()
    if args.source:
        os.environ["PYTHONPATH"] = str(args.source.resolve() / "src")
    print("building the hostile files…", flush=True)
    png = big_png()
    bomb = zip_bomb(unpacked_mb=290)  # under the 300 MB the old check allowed
    dimension = dimension_bomb()
    print(f"PNG {len(png) // 1024} KB ×10, zip bomb {len(bomb) // 1024} KB, dimension bomb "
          f"{len(dimension) // 1024} KB", flush=True)  # fmt: skip
    figures: dict[str, float] = {}
    with installation(None) as env:
        env["DESKPEMILU_2FA_ENFORCED"] = "0"
        run([DESKPEMILU, "seed_mataram"], env)
        for name, role, scope in (
            ("bench_op", "operator", "5271011004"),
            ("bench_admin", "admin", ""),
        ):
            extra = ["--scope", scope] if scope else []
            run([DESKPEMILU, "create_account", name, "--role", role, *extra, "--password-stdin"],
                env, stdin=PASSWORD + "\n")  # fmt: skip
        token = run([DESKPEMILU, "issue_token", "bench_op", "--days", "1"], env).strip()
        with server(env, workers=1) as url:
            api = requests.Session()
            api.headers["Authorization"] = f"Bearer {token}"
            sheet = f"{url}/api/v1/results/ppwp/{TPS}"
            stored = api.put(sheet, data=json.dumps(sheet_body()), timeout=30)
            assert stored.status_code in (200, 201), stored.text
            photos = [("foto", (f"p{i}.png", png, "image/png")) for i in range(10)]
            limit = args.timeout
            cases = {
                "ten_39mp_pngs": lambda: api.post(sheet + "/photos", files=photos, timeout=limit),
                # The heaviest request still accepted: three of them (117 of 130 megapixels).
                "three_39mp_pngs": lambda: api.post(
                    sheet + "/photos", files=photos[:3], timeout=limit
                ),
            }
            admin = signed_in(url, "bench_admin")
            cases["xlsx_zip_bomb"] = upload_import(admin, url, bomb, args.timeout)
            cases["xlsx_dimension_bomb"] = upload_import(admin, url, dimension, args.timeout)
            for name, call in cases.items():
                seconds, outcome = timed(call)
                print(f"{name:22} {seconds:8.2f} s   {outcome}", flush=True)
                figures[f"hostile_{name}{args.label}_s"] = round(seconds, 2)
    print(f"figures in {write_figures(figures)}")


if __name__ == "__main__":
    main()
