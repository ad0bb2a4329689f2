"""Today's Laporan Harian: its data (`daily_report_data`, what the API also says) and the PDF
drawn from that data only (`daily_report_pdf`): a summary, then the sections of `sections`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from deskpemilu.accounts.models import User
from deskpemilu.core.heads import head_text
from deskpemilu.core.pdf import Styles, angka, build, jam, letterhead, p, table, tanggal
from deskpemilu.readiness import kerawanan
from deskpemilu.readiness.models import Kerawanan
from deskpemilu.regions.models import Region
from deskpemilu.situation import maps
from deskpemilu.situation.reports import sections
from deskpemilu.situation.reports.labels import when
from deskpemilu.situation.selectors import situation_summary
from deskpemilu.stages.selectors import stages_today


def daily_report_data(user: User, region: Region, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    data = situation_summary(user, region, now)
    local = timezone.localtime(now)
    data["date"] = tanggal(local.date())
    data["time"] = jam(now)
    data["stages_today"] = [
        {
            "name": t.stage.name,
            "done": t.done,
            "total": t.total,
            "problems": [f"{s.kecamatan.name}: {s.note}" for s in t.problems],
        }
        for t in stages_today(local.date())
    ]
    areas = maps.kelurahan_of(region)
    values = maps.measure_values(maps.READINESS, region, areas)
    data["map"] = {
        "measure": maps.READINESS,
        "fills": {code: v.fill for code, v in values.items()},
        "legend": [list(item) for item in maps.legend(maps.READINESS)],
    }
    data["kerawanan"] = kerawanan_data(user, region)
    return data


SANGAT_RAWAN_LISTED = 100


def kerawanan_data(user: User, region: Region) -> dict[str, Any]:
    """TPS per level and the sangat rawan TPS (the first hundred; the count says the rest)."""
    qs = kerawanan.filtered(user, region=region, tingkat=Kerawanan.SANGAT_RAWAN)
    rows = qs.select_related("tps__kelurahan").order_by("tps_id")[:SANGAT_RAWAN_LISTED]
    return {
        "counts": kerawanan.counts(user, region),
        "sangat_rawan": [
            {
                "tps": k.tps_id,
                "tps_name": f"TPS {k.tps.number:03d}",
                "kelurahan": k.tps.kelurahan.name,
                "alasan": k.alasan,
                "petugas": k.petugas,
            }
            for k in rows
        ],
    }


def _summary_rows(data: dict[str, Any]) -> list[list[str]]:
    results = {r["contest"]: r for r in data["results"]}
    ppwp = results.get("ppwp")
    r, i, q = data["readiness"], data["incidents"], data["requests"]
    rows = []
    if ppwp:
        rows.append(
            [
                _("Hasil PPWP masuk / terverifikasi"),
                _("%(reported)s / %(verified)s dari %(total)s TPS")
                % {
                    "reported": angka(ppwp["tps_reported"]),
                    "verified": angka(ppwp["tps_verified"]),
                    "total": angka(ppwp["tps_total"]),
                },
            ]
        )
    rows += [
        [
            _("TPS siap"),
            _("%(ready)s dari %(total)s (%(percent)s%%)")
            % {
                "ready": angka(r["tps_ready"]),
                "total": angka(r["tps_total"]),
                "percent": angka(r["percent_ready"], 1),
            },
        ],
        [
            _("Kejadian terbuka"),
            _("%(open)s (kritis %(critical)s, lewat tenggat %(overdue)s)")
            % {
                "open": angka(i["open_total"]),
                "critical": angka(i["by_severity"].get("kritis", 0)),
                "overdue": angka(i["overdue"]),
            },
        ],
        [
            _("Permintaan fasilitasi terbuka"),
            _("%(open)s (lewat %(overdue)s)")
            % {"open": angka(q["open_total"]), "overdue": angka(q["overdue"])},
        ],
    ]
    k = data["kerawanan"]["counts"]
    rows.append(
        [
            _("TPS sangat rawan / rawan"),
            _("%(sangat)s / %(rawan)s (tidak rawan %(tidak)s, belum dinilai %(belum)s)")
            % {
                "sangat": angka(k["sangat_rawan"]),
                "rawan": angka(k["rawan"]),
                "tidak": angka(k["tidak_rawan"]),
                "belum": angka(k["belum_dinilai"]),
            },
        ]
    )
    if data["health"]:
        t = data["health"]["totals"]
        rows.append([_("Kasus kesehatan (terbuka)"), f"{angka(t['total'])} ({angka(t['open'])})"])
    return rows


def daily_report_pdf(data: dict[str, Any], region: Region) -> bytes:
    s = Styles()
    printed = datetime.fromisoformat(data["at"])
    story: list[Flowable] = letterhead(
        s,
        "LAPORAN HARIAN DESK PEMILU",
        f"{data['date']} · keadaan pukul {data['time']}",
        region_name=region.name,
    )
    story.append(
        table(s, [_("Ringkasan"), ""], _summary_rows(data), [70 * mm, 110 * mm], numeric_from=99)
    )
    if data["last_change"]:
        story.append(
            Paragraph(p(f"Perubahan data terakhir: {when(data['last_change'])} WITA"), s.small)
        )
    story += sections.results(data, s)
    story += sections.readiness(data, region, s)
    story += sections.incidents(data, s)
    story += sections.health(data, s)
    story += sections.requests(data, s)
    story += sections.stages(data, s)
    story.append(Spacer(1, 10))
    story.append(
        Paragraph(
            p(
                "Angka sementara memuat semua lembar C.Hasil yang sudah dientri; angka "
                "terverifikasi hanya lembar yang sudah diperiksa orang kedua terhadap foto "
                "formulir. Kepala rantai audit: "
                f"{head_text(data['audit']['seq'], data['audit']['head'])}."
            ),
            s.small,
        )
    )
    return build(
        story,
        styles=s,
        title=f"Laporan Harian Desk Pemilu — {data['date']}",
        audit=(data["audit"]["seq"], data["audit"]["head"]),
        printed=printed,
    )
