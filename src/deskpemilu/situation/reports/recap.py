"""The recap of a kecamatan (PDF): per contest, its kelurahan as columns and the choices as
rows, in the reader's figures and the verified ones (`kecamatan_recap_data`), drawn from that
data only (`kecamatan_recap_pdf`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from deskpemilu.accounts.models import User
from deskpemilu.core.pdf import Styles, angka, build, jam, letterhead, p, table, tanggal
from deskpemilu.dashboard.selectors import PARTY, choice_labels, key_order, parties
from deskpemilu.regions import installation
from deskpemilu.regions.models import Region
from deskpemilu.results.contests import dapil_for
from deskpemilu.results.recap import region_recap
from deskpemilu.results.selectors import recap_for
from deskpemilu.situation.selectors import sorted_contests
from deskpemilu.tally.recap import legislative_party_totals

KELURAHAN_PER_TABLE = 10


def _choice_rows(contest: Any, region: Region, prov: dict[str, Any], ver: dict[str, Any]) -> Any:
    party = contest.kind == PARTY
    labels = choice_labels(contest, dapil_for(contest, region.code), parties() if party else {})

    def votes(totals: dict[str, int]) -> dict[str, int]:
        return legislative_party_totals(totals) if party else dict(totals)

    children = [votes(c["totals"]) for c in prov["children"]]
    total, verified = votes(prov["totals"]), votes(ver["totals"])
    keys = set(total) | set(verified) | {k for c in children for k in c}
    keys |= {k for k in labels if not party or "." not in k}
    rows = []
    for key in sorted(keys, key=key_order):
        short, full = labels.get(key, (key, key))
        rows.append(
            {
                "key": key,
                "label": f"{key}. {short if party else full}",
                "values": [int(c.get(key, 0)) for c in children],
                "total": int(total.get(key, 0)),
                "verified": int(verified.get(key, 0)),
            }
        )
    return rows


def kecamatan_recap_data(region: Region, user: User | None) -> dict[str, Any]:
    """Per contest: the kelurahan of the kecamatan as columns, the choices (party totals for a
    party contest) as rows, in the reader's figures (provisional, or verified only for a blind
    re-entrant: `results.selectors.recap_for`), with the kecamatan's totals and verified totals.
    Held sheets count in neither; their number is `tps_held`."""
    result = []
    for contest in sorted_contests(region.code):
        prov = recap_for(user, region, contest)
        ver = region_recap(region, contest, verified_only=True)
        kids = prov["children"]
        result.append(
            {
                "contest": contest.code,
                "name": contest.name,
                "verified_only": prov["verified_only"],
                "kelurahan": [{"code": c["code"], "name": c["name"]} for c in kids],
                "tps_total": [c["tps_total"] for c in kids],
                "tps_reported": [c["tps_reported"] for c in kids],
                "tps_verified": [c["tps_verified"] for c in kids],
                "suara_sah": [c["suara_sah"] for c in kids],
                "suara_tidak_sah": [c["suara_tidak_sah"] for c in kids],
                "totals": {
                    "tps_total": prov["tps_total"],
                    "tps_reported": prov["tps_reported"],
                    "tps_verified": prov["tps_verified"],
                    "tps_held": prov["tps_held"],
                    "suara_sah": prov["suara_sah"],
                    "suara_tidak_sah": prov["suara_tidak_sah"],
                    "verified_suara_sah": ver["suara_sah"],
                    "verified_suara_tidak_sah": ver["suara_tidak_sah"],
                },
                "choices": _choice_rows(contest, region, prov, ver),
                "updated_at": prov["updated_at"],
            }
        )
    return {"region": {"code": region.code, "name": region.name}, "contests": result}


def _chunks(n: int, size: int) -> list[range]:
    """Ranges of at most `size`, as even as they can be (23 kelurahan: 8, 8, 7)."""
    parts = max(1, -(-n // size))
    even = -(-n // parts) if n else 1
    return [range(i, min(i + even, n)) for i in range(0, max(n, 1), even)]


def _recap_row(
    label: str, values: Sequence[int], part: range, tail: tuple[int, int | None] | None
) -> list[str]:
    """A row over the kelurahan of `part`; the last table adds the total and verified."""
    end = [] if tail is None else [angka(tail[0]), "" if tail[1] is None else angka(tail[1])]
    return [label, *[angka(values[i]) for i in part], *end]


def _recap_tables(c: dict[str, Any], s: Styles) -> list[Flowable]:
    story: list[Flowable] = []
    parts = _chunks(len(c["kelurahan"]), KELURAHAN_PER_TABLE)
    t = c["totals"]
    lines: list[tuple[str, Sequence[int], int, int | None]] = [
        ("TPS", c["tps_total"], t["tps_total"], None),
        (_("TPS masuk"), c["tps_reported"], t["tps_reported"], t["tps_verified"]),
        *[(ch["label"], ch["values"], ch["total"], ch["verified"]) for ch in c["choices"]],
        (_("Suara sah"), c["suara_sah"], t["suara_sah"], t["verified_suara_sah"]),
        (
            _("Suara tidak sah"),
            c["suara_tidak_sah"],
            t["suara_tidak_sah"],
            t["verified_suara_tidak_sah"],
        ),
    ]
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        names = [c["kelurahan"][i]["name"] for i in part]
        extra = [_("Jumlah"), _("Terverifikasi")] if last else []
        rows = [
            _recap_row(label, values, part, (total, verified) if last else None)
            for label, values, total, verified in lines
        ]
        columns = len(names) + len(extra)
        label_width = 46 * mm
        rest = (267 * mm - label_width) / max(columns, 1)
        story.append(
            table(
                s,
                [_("Pilihan"), *names, *extra],
                rows,
                [label_width] + [rest] * columns,
                small_header=True,
            )
        )
        story.append(Spacer(1, 4))
    return story


def kecamatan_recap_pdf(data: dict[str, Any], *, audit: tuple[int, str], now: datetime) -> bytes:
    s = Styles()
    region = data["region"]
    local = timezone.localtime(now)
    story: list[Flowable] = letterhead(
        s,
        f"REKAPITULASI HASIL PENGHITUNGAN SUARA — KECAMATAN {region['name'].upper()}",
        f"{tanggal(local.date())} · keadaan pukul {jam(now)} · angka sementara (semua lembar "
        "yang dientri) dan terverifikasi",
        region_name=installation.name(),
    )
    for c in data["contests"]:
        story.append(Paragraph(p(c["name"]), s.section))
        story += _recap_tables(c, s)
    return build(
        story,
        styles=s,
        title=f"Rekap Kecamatan {region['name']}",
        audit=audit,
        printed=now,
        wide=True,
    )
