"""The incident XLSX export on a big election day: N synthetic incidents (a third forwarded to
one or two agencies) in a fresh installation, then the time to build the workbook through the
same service the page uses, and to download it through `deskpemilu serve`.

    .venv/bin/python benchmarks/incidents_export.py [--incidents 20000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from common import DESKPEMILU, installation, run, server, write_figures

# Runs inside the installation (deskpemilu shell): makes the incidents, times the service.
SCRIPT = """
import json, random, time
from datetime import timedelta
from django.db import transaction
from django.utils import timezone
from deskpemilu.accounts.models import Agency, User
from deskpemilu.accounts.services import account_save
from deskpemilu.incidents.models import Forward, Incident, TimelineEvent
from deskpemilu.incidents.services import incidents_export
from deskpemilu.regions.models import Tps

N = {n}
rng = random.Random(14022024)
admin, _ = account_save(
    actor=None, username="bench_admin", role="admin", password="Bench-Export-2024!"
)
tps = list(Tps.objects.values_list("code", "kelurahan_id"))
agencies = list(Agency.objects.filter(slug__in=["polri", "tni", "bpbd", "kpu", "bawaslu"]))
now = timezone.now()
started = time.perf_counter()
with transaction.atomic():
    rows = []
    for i in range(N):
        code, kelurahan = rng.choice(tps)
        at = now - timedelta(minutes=rng.randint(0, 60 * 24))
        rows.append(Incident(
            number=f"KJD-BENCH-{{i + 1:06d}}", category=rng.choice(["keamanan", "logistik",
            "listrik_jaringan", "bencana", "kesehatan", "pelanggaran", "lainnya"]),
            severity=rng.choice(["rendah", "sedang", "tinggi", "kritis"]),
            tps_id=code, region_id=kelurahan, occurred_at=at, reported_at=at,
            description="Laporan uji beban nomor %d: kerumunan, logistik terlambat." % i,
            reporter=admin, status=rng.choice(["baru", "diteruskan", "ditangani", "selesai"]),
            updated_at=at,
        ))
    Incident.objects.bulk_create(rows, batch_size=2000)
    forwards = []
    for incident in Incident.objects.only("pk", "reported_at").iterator(chunk_size=5000):
        if incident.pk % 3 == 0:
            for agency in rng.sample(agencies, rng.randint(1, 2)):
                forwards.append(Forward(incident_id=incident.pk, agency=agency,
                                        at=incident.reported_at, by=admin))
    Forward.objects.bulk_create(forwards, batch_size=2000)
made = time.perf_counter() - started
started, cpu = time.perf_counter(), time.process_time()
result = incidents_export(actor=admin, incidents=Incident.objects.all(), filters={{}})
size = len(result.file.read())
built, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({{"rows": result.rows, "forwards": len(forwards), "bytes": size,
                  "seconds": round(built, 3), "cpu_seconds": round(cpu, 3),
                  "setup_seconds": round(made, 1)}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=20000)
    parser.add_argument("--postgres", default="", help="a postgres:// URL to run against")
    args = parser.parse_args()
    with installation(args.postgres or None) as env:
        run([DESKPEMILU, "seed_mataram"], env)
        output = run([DESKPEMILU, "shell", "-c", SCRIPT.format(n=args.incidents)], env)
        figures = json.loads(output.strip().splitlines()[-1])
        # The same export through the page, as the desk downloads it (session login).
        run(
            [DESKPEMILU, "create_account", "bench_web", "--role", "admin", "--password-stdin"],
            env,
            stdin="Bench-Export-2024!\n",
        )
        # A benchmark account signs in with its password only (no authenticator app here).
        with server({**env, "DESKPEMILU_2FA_ENFORCED": "0"}, workers=2) as url:
            web = page_download_seconds(url)
    database = "postgresql" if args.postgres else "sqlite"
    print(
        f"incident export ({database}): {figures['rows']:,} incidents, "
        f"{figures['forwards']:,} forwards -> {figures['bytes'] / 1e6:.1f} MB XLSX "
        f"built in {figures['seconds']:.2f} s ({figures['cpu_seconds']:.2f} s CPU); downloaded "
        f"from /kejadian/ekspor.xlsx in {web:.2f} s (load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs)"
    )
    write_figures(
        {
            f"incident_export_{database}_rows": figures["rows"],
            f"incident_export_{database}_seconds": figures["seconds"],
            f"incident_export_{database}_cpu_seconds": figures["cpu_seconds"],
            f"incident_export_{database}_http_seconds": round(web, 3),
        }
    )


def page_download_seconds(url: str) -> float:
    """Sign in like a browser, then time GET /kejadian/ekspor.xlsx?status= (every incident)."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = opener.open(f"{url}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    if token is None:
        sys.exit("no CSRF token on the login page")
    data = urllib.parse.urlencode(
        {
            "username": "bench_web",
            "password": "Bench-Export-2024!",
            "csrfmiddlewaretoken": token.group(1),
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - local server
        f"{url}/accounts/login/", data=data, headers={"Referer": f"{url}/accounts/login/"}
    )
    opener.open(request).read()
    started = time.perf_counter()
    body = opener.open(f"{url}/kejadian/ekspor.xlsx?status=", timeout=600).read()
    elapsed = time.perf_counter() - started
    if not body.startswith(b"PK"):
        sys.exit("the export did not answer an XLSX file: " + body[:300].decode(errors="replace"))
    return elapsed


if __name__ == "__main__":
    main()
