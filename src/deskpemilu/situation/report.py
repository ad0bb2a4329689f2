"""The desk's reports, built on the server: today's Laporan Harian (PDF), the recap of a
kecamatan (PDF) and the situation's lists (XLSX).

Each report is built from a data dict first (`daily_report_data`, `kecamatan_recap_data`), and
the PDF is drawn from that dict only, so a test can compare the dict with the API and then find
its figures in the PDF's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from deskpemilu.accounts.models import User
from deskpemilu.core.heads import head_text
from deskpemilu.core.pdf import (
    Styles,
    angka,
    build,
    jam,
    letterhead,
    p,
    table,
    tanggal,
)
from deskpemilu.core.spreadsheet import XlsxBook
from deskpemilu.dashboard.selectors import PARTY, choice_labels, key_order, parties
from deskpemilu.incidents.models import Severity, Status
from deskpemilu.regions.models import Region
from deskpemilu.regions.pdfmap import map_drawing
from deskpemilu.results.contests import dapil_for
from deskpemilu.results.recap import region_recap
from deskpemilu.results.selectors import recap_for
from deskpemilu.situation import maps
from deskpemilu.situation.selectors import AGES, SEVERITIES, situation_summary, sorted_contests
from deskpemilu.stages.selectors import stages_today
from deskpemilu.tally.recap import legislative_party_totals

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Labels in the reader's language: looked up when a report is built, not at import.
SEVERITY_LABEL = {s.value: s.label for s in Severity}
STATUS_LABEL = {s.value: s.label for s in Status}
CONDITION_LABEL = {
    "sakit_ringan": gettext_lazy("Sakit ringan"),
    "dirawat": gettext_lazy("Dirawat"),
    "dirujuk_rs": gettext_lazy("Dirujuk ke RS"),
    "meninggal": gettext_lazy("Meninggal"),
}
KELURAHAN_PER_TABLE = 10


# --- Daily report -----------------------------------------------------------------------------


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
    return data


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
    if data["health"]:
        t = data["health"]["totals"]
        rows.append([_("Kasus kesehatan (terbuka)"), f"{angka(t['total'])} ({angka(t['open'])})"])
    return rows


def _results_section(data: dict[str, Any], s: Styles) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("1. Hasil penghitungan suara", s.section)]
    rows = [
        [
            r["short_name"],
            angka(r["tps_total"]),
            angka(r["tps_reported"]),
            angka(r["reported_percent"], 1),
            angka(r["tps_verified"]),
            angka(r["verified_percent"], 1),
            angka(r["suara_sah"]),
            angka(r["verified_suara_sah"]),
            angka(r["suara_tidak_sah"]),
        ]
        for r in data["results"]
    ]
    header = [
        _("Surat suara"),
        "TPS",
        pgettext("TPS reported", "Masuk"),
        "%",
        _("Terverifikasi"),
        "%",
        _("Suara sah (sementara)"),
        _("Suara sah (terverifikasi)"),
        _("Tidak sah"),
    ]
    widths = [26 * mm, 15 * mm, 15 * mm, 12 * mm, 24 * mm, 12 * mm, 25 * mm, 26 * mm, 18 * mm]
    story.append(table(s, header, rows, widths))
    held = [
        f"{r['short_name']} {angka(r['tps_held'])}" for r in data["results"] if r.get("tps_held")
    ]
    if held:
        text = _("TPS perlu diperiksa atau dikembalikan, di luar semua jumlah: %s")
        story.append(Paragraph(p(text % ", ".join(held)), s.small))
    blind = [r["short_name"] for r in data["results"] if r.get("verified_only")]
    if blind:
        text = _(
            "Entri ganda buta, pembaca dapat mengetik entri ulang: angka terverifikasi saja (%s)"
        )
        story.append(Paragraph(p(text % ", ".join(blind)), s.small))
    ppwp = data["ppwp"]
    if ppwp:
        story.append(Spacer(1, 6))
        story.append(Paragraph("Perolehan suara Presiden dan Wakil Presiden (PPWP)", s.body))
        lines = [
            [
                ln["key"],
                ln["label"],
                angka(ln["votes"]),
                angka(ln["percent"], 2),
                angka(ln["verified"]),
                angka(ln["verified_percent"], 2),
            ]
            for ln in ppwp["lines"]
        ]
        lines.append(
            [
                "",
                _("Jumlah suara sah"),
                angka(ppwp["suara_sah"]),
                "100" if ppwp["suara_sah"] else "0",
                angka(ppwp["verified_suara_sah"]),
                "100" if ppwp["verified_suara_sah"] else "0",
            ]
        )
        story.append(
            table(
                s,
                [
                    pgettext("number column", "No"),
                    pgettext("report column", "Pasangan calon"),
                    _("Sementara"),
                    "%",
                    _("Terverifikasi"),
                    "%",
                ],
                lines,
                [10 * mm, 80 * mm, 24 * mm, 16 * mm, 24 * mm, 16 * mm],
                numeric_from=2,
                total_last=True,
            )
        )
        story.append(
            Paragraph(
                p(
                    f"Partisipasi PPWP (sementara): {angka(ppwp['turnout_percent'], 2)}% — "
                    f"{angka(ppwp['surat_suara_digunakan'])} surat suara digunakan dari DPT "
                    f"{angka(ppwp['pemilih_dpt'])} pada TPS yang melapor."
                ),
                s.small,
            )
        )
    return story


def _readiness_section(data: dict[str, Any], region: Region, s: Styles) -> list[Flowable]:
    r = data["readiness"]
    rows = [
        [
            c["name"],
            angka(c["tps_total"]),
            angka(c.get("tps_reported", 0)),
            angka(c["tps_ready"]),
            angka(c["percent_ready"], 1),
            angka(c.get("tps_problem", 0)),
        ]
        for c in r["children"]
    ]
    rows.append(
        [
            _("Jumlah"),
            angka(r["tps_total"]),
            angka(r["tps_reported"]),
            angka(r["tps_ready"]),
            angka(r["percent_ready"], 1),
            angka(r["tps_problem"]),
        ]
    )
    story: list[Flowable] = [
        Paragraph("2. Kesiapan TPS (lokasi, kotak dan surat suara, perlengkapan)", s.section),
        table(
            s,
            [
                _("Kecamatan"),
                "TPS",
                _("Melapor"),
                _("Siap"),
                # xgettext:no-python-format
                _("% siap"),
                _("Ada masalah"),
            ],
            rows,
            [50 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm, 24 * mm],
            total_last=True,
        ),
    ]
    areas = maps.kelurahan_of(region)
    labels = list(Region.objects.filter(parent=region)) if len(region.code) < 6 else []
    drawing = map_drawing(
        areas,
        data["map"]["fills"],
        labels=labels,
        legend=[(c, t) for c, t in data["map"]["legend"]],
        width=150 * mm,
        font=s.regular,
    )
    story.append(
        KeepTogether(
            [
                Spacer(1, 6),
                Paragraph(f"Peta kesiapan TPS per kelurahan, {p(region.name)}", s.body),
                drawing,
            ]
        )
    )
    if r["problems"]:
        story.append(Paragraph("Masalah terlama:", s.body))
        story.append(
            table(
                s,
                ["TPS", _("Kelurahan"), _("Butir"), _("Catatan")],
                [
                    [x["tps_name"], x["kelurahan"], x["item_label"], x["catatan"] or "-"]
                    for x in r["problems"]
                ],
                [20 * mm, 35 * mm, 50 * mm, 75 * mm],
                numeric_from=99,
            )
        )
    return story


def _incidents_section(data: dict[str, Any], s: Styles) -> list[Flowable]:
    i = data["incidents"]
    rows = []
    for sev in SEVERITIES:
        ages = i["by_age"][sev]
        rows.append(
            [str(SEVERITY_LABEL[sev]), angka(i["by_severity"][sev])]
            + [angka(ages[key]) for key, _l, _b in AGES]
        )
    rows.append(
        [_("Jumlah"), angka(i["open_total"])]
        + [angka(sum(i["by_age"][sev][key] for sev in SEVERITIES)) for key, _l, _b in AGES]
    )
    story: list[Flowable] = [
        Paragraph("3. Kejadian (kamtibmas, bencana, logistik, dan lainnya)", s.section),
        Paragraph(
            p(
                f"Terbuka {angka(i['open_total'])}, lewat tenggat layanan {angka(i['overdue'])}; "
                f"dilaporkan hari ini {angka(i['reported_today'])}, selesai hari ini "
                f"{angka(i['closed_today'])}; seluruhnya {angka(i['total'])}."
            ),
            s.body,
        ),
        table(
            s,
            [_("Tingkat"), _("Terbuka"), *[str(label) for _k, label, _b in AGES]],
            rows,
            [35 * mm, 25 * mm, 30 * mm, 30 * mm, 30 * mm, 30 * mm],
            total_last=True,
        ),
    ]
    if i["top"]:
        story.append(Spacer(1, 4))
        story.append(Paragraph("Terberat dan terlama:", s.body))
        story.append(
            table(
                s,
                [
                    _("Nomor"),
                    _("Tingkat"),
                    _("Kategori"),
                    _("Kelurahan"),
                    _("Status"),
                    pgettext("report column", "Uraian"),
                ],
                [
                    [
                        x["number"],
                        str(SEVERITY_LABEL.get(x["severity"], x["severity"])),
                        x["category_label"],
                        x["region_name"],
                        x["status_label"] + (_(" (lewat tenggat)") if x["overdue"] else ""),
                        x["description"],
                    ]
                    for x in i["top"]
                ],
                [27 * mm, 16 * mm, 26 * mm, 28 * mm, 28 * mm, 55 * mm],
                numeric_from=99,
            )
        )
    return story


def _health_section(data: dict[str, Any], s: Styles) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("4. Kesehatan petugas dan pemilih", s.section)]
    health = data["health"]
    if health is None:
        story.append(Paragraph("Tidak termasuk dalam laporan untuk akun ini.", s.body))
        return story
    conditions = list(CONDITION_LABEL)
    rows = [
        [k["name"], angka(k["total"]), angka(k["open"]), *[angka(k[c]) for c in conditions]]
        for k in health["by_kecamatan"]
    ]
    t = health["totals"]
    rows.append(
        [_("Jumlah"), angka(t["total"]), angka(t["open"]), *[angka(t[c]) for c in conditions]]
    )
    story.append(
        table(
            s,
            [_("Kecamatan"), _("Kasus"), _("Terbuka"), *map(str, CONDITION_LABEL.values())],
            rows,
            [40 * mm, 20 * mm, 20 * mm, 25 * mm, 22 * mm, 27 * mm, 25 * mm],
            total_last=True,
        )
    )
    return story


def _requests_section(data: dict[str, Any], s: Styles) -> list[Flowable]:
    q = data["requests"]
    story: list[Flowable] = [
        Paragraph("5. Permintaan fasilitasi KPU dan Bawaslu", s.section),
        Paragraph(
            p(
                f"Terbuka {angka(q['open_total'])} (diajukan {angka(q['by_status']['diajukan'])}, "
                f"diproses {angka(q['by_status']['diproses'])}); lewat tanggal dibutuhkan "
                f"{angka(q['overdue'])}, jatuh tempo dalam 24 jam {angka(q['due_soon'])}; "
                f"seluruhnya {angka(q['total'])}."
            ),
            s.body,
        ),
    ]
    if q["top"]:
        story.append(
            table(
                s,
                [
                    _("Nomor"),
                    _("Jenis"),
                    pgettext("report column", "Wilayah"),
                    _("Peminta"),
                    _("Dibutuhkan"),
                    _("Status"),
                ],
                [
                    [
                        x["number"],
                        x["kind_label"],
                        x["region_name"],
                        x["agency"],
                        _when(x["needed_by"]),
                        x["status_label"] + (_(" (lewat)") if x["due"] == "lewat" else ""),
                    ]
                    for x in q["top"]
                ],
                [27 * mm, 22 * mm, 30 * mm, 40 * mm, 33 * mm, 28 * mm],
                numeric_from=99,
            )
        )
    return story


def _when(iso: str) -> str:
    moment = timezone.localtime(datetime.fromisoformat(iso))
    return f"{tanggal(moment.date(), with_day=False)} {moment:%H.%M}"


def _stages_section(data: dict[str, Any], s: Styles) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("6. Tahapan hari ini", s.section)]
    if not data["stages_today"]:
        story.append(Paragraph("Tidak ada tahapan yang berjalan hari ini.", s.body))
        return story
    story.append(
        table(
            s,
            [pgettext("report column", "Tahapan"), _("Kecamatan selesai"), _("Catatan masalah")],
            [
                [t["name"], f"{t['done']} / {t['total']}", "; ".join(t["problems"]) or "-"]
                for t in data["stages_today"]
            ],
            [70 * mm, 30 * mm, 80 * mm],
            numeric_from=99,
        )
    )
    return story


def daily_report_pdf(data: dict[str, Any], region: Region) -> bytes:
    s = Styles()
    printed = datetime.fromisoformat(data["at"])
    story: list[Flowable] = letterhead(
        s,
        "LAPORAN HARIAN DESK PEMILU",
        f"{data['date']} · keadaan pukul {data['time']}",
    )
    story.append(
        table(s, [_("Ringkasan"), ""], _summary_rows(data), [70 * mm, 110 * mm], numeric_from=99)
    )
    if data["last_change"]:
        story.append(
            Paragraph(p(f"Perubahan data terakhir: {_when(data['last_change'])} WITA"), s.small)
        )
    story += _results_section(data, s)
    story += _readiness_section(data, region, s)
    story += _incidents_section(data, s)
    story += _health_section(data, s)
    story += _requests_section(data, s)
    story += _stages_section(data, s)
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


# --- Recap of a kecamatan -----------------------------------------------------------------------


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
    for contest in sorted_contests():
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


# --- XLSX -----------------------------------------------------------------------------------


def situation_workbook(
    data: dict[str, Any],
    *,
    incidents: Sequence[dict[str, Any]],
    requests: Sequence[dict[str, Any]],
) -> bytes:
    """The situation's lists, one sheet each (every open incident and request in full), and an
    Info sheet with the audit head."""
    book = XlsxBook()

    def sheet(name: str, header: list[str], rows: list[list[object]]) -> None:
        book.sheet(name, header).extend(rows)

    sheet(
        "Hasil",
        [
            "kontes",
            "nama",
            "tps_total",
            "tps_masuk",
            "tps_terverifikasi",
            "suara_sah",
            "suara_tidak_sah",
            "suara_sah_terverifikasi",
            "suara_tidak_sah_terverifikasi",
        ],
        [
            [
                r["contest"],
                r["name"],
                r["tps_total"],
                r["tps_reported"],
                r["tps_verified"],
                r["suara_sah"],
                r["suara_tidak_sah"],
                r["verified_suara_sah"],
                r["verified_suara_tidak_sah"],
            ]
            for r in data["results"]
        ],
    )
    if data["ppwp"]:
        sheet(
            "PPWP",
            [
                "nomor",
                "pasangan_calon",
                "sementara",
                "persen",
                "terverifikasi",
                "persen_terverifikasi",
            ],
            [
                [
                    ln["key"],
                    ln["label"],
                    ln["votes"],
                    ln["percent"],
                    ln["verified"],
                    ln["verified_percent"],
                ]
                for ln in data["ppwp"]["lines"]
            ],
        )
    r = data["readiness"]
    sheet(
        "Kesiapan",
        ["kode", "kecamatan", "tps_total", "tps_melapor", "tps_siap", "persen_siap", "tps_masalah"],
        [
            [
                c["code"],
                c["name"],
                c["tps_total"],
                c.get("tps_reported", 0),
                c["tps_ready"],
                c["percent_ready"],
                c.get("tps_problem", 0),
            ]
            for c in r["children"]
        ],
    )
    i = data["incidents"]
    sheet(
        "Kejadian per tingkat",
        ["tingkat", "terbuka", *[k for k, _l, _b in AGES]],
        [
            [sev, i["by_severity"][sev], *[i["by_age"][sev][k] for k, _l, _b in AGES]]
            for sev in SEVERITIES
        ],
    )
    sheet(
        "Kejadian terbuka",
        ["nomor", "kategori", "tingkat", "status", "kode_wilayah", "dilaporkan", "lewat_tenggat"],
        [
            [
                x["number"],
                x["category"],
                x["severity"],
                x["status"],
                x.get("region_code", ""),
                x.get("reported_at", ""),
                "ya" if x.get("overdue") else "",
            ]
            for x in incidents
        ],
    )
    if data["health"]:
        sheet(
            "Kesehatan",
            ["kecamatan", "nama", "kasus", "terbuka", *CONDITION_LABEL],
            [
                [k["kecamatan"], k["name"], k["total"], k["open"], *[k[c] for c in CONDITION_LABEL]]
                for k in data["health"]["by_kecamatan"]
            ],
        )
    sheet(
        "Permintaan terbuka",
        ["nomor", "jenis", "kode_wilayah", "peminta", "dibutuhkan", "status", "tenggat"],
        [
            [
                x["number"],
                x["kind"],
                x["region_code"],
                x["requested_by_agency"],
                x["needed_by"],
                x["status"],
                x["due"],
            ]
            for x in requests
        ],
    )
    info = book.sheet("Info")
    info.append(["Laporan situasi Desk Pemilu", data["region"]["name"]])
    info.append(["Keadaan pada", data["at"]])
    info.append(["Kepala rantai audit", head_text(data["audit"]["seq"], data["audit"]["head"])])
    return book.to_bytes()
