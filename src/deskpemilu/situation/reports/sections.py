"""The numbered sections of the daily report's PDF, drawn from `daily_report_data` only. Each
table is a list of columns (header, width, the cell an item gives), so a column is read, moved
or added in one line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from deskpemilu.core.pdf import Column, Styles, angka, cells, column_table, p
from deskpemilu.regions.models import Region
from deskpemilu.regions.pdfmap import map_drawing
from deskpemilu.situation import maps
from deskpemilu.situation.reports.labels import CONDITION_LABEL, SEVERITY_LABEL, when
from deskpemilu.situation.selectors import AGES, SEVERITIES


def number(key: str, decimals: int = 0) -> Callable[[dict[str, Any]], str]:
    return lambda item: angka(item[key], decimals)


def text(key: str) -> Callable[[dict[str, Any]], object]:
    return lambda item: item[key]


# --- 1. Results -----------------------------------------------------------------------------

CONTEST_COLUMNS = [
    Column(gettext_lazy("Surat suara"), 26 * mm, text("short_name")),
    Column("TPS", 15 * mm, number("tps_total")),
    Column(pgettext_lazy("TPS reported", "Masuk"), 15 * mm, number("tps_reported")),
    Column("%", 12 * mm, number("reported_percent", 1)),
    Column(gettext_lazy("Terverifikasi"), 24 * mm, number("tps_verified")),
    Column("%", 12 * mm, number("verified_percent", 1)),
    Column(gettext_lazy("Suara sah (sementara)"), 25 * mm, number("suara_sah")),
    Column(gettext_lazy("Suara sah (terverifikasi)"), 26 * mm, number("verified_suara_sah")),
    Column(gettext_lazy("Tidak sah"), 18 * mm, number("suara_tidak_sah")),
]
PPWP_COLUMNS = [
    Column(pgettext_lazy("number column", "No"), 10 * mm, text("key")),
    Column(pgettext_lazy("report column", "Pasangan calon"), 80 * mm, text("label")),
    Column(gettext_lazy("Sementara"), 24 * mm, number("votes")),
    Column("%", 16 * mm, number("percent", 2)),
    Column(gettext_lazy("Terverifikasi"), 24 * mm, number("verified")),
    Column("%", 16 * mm, number("verified_percent", 2)),
]


def results(data: dict[str, Any], s: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph("1. Hasil penghitungan suara", s.section),
        column_table(s, CONTEST_COLUMNS, data["results"]),
    ]
    held = [
        f"{r['short_name']} {angka(r['tps_held'])}" for r in data["results"] if r.get("tps_held")
    ]
    if held:
        note = _("TPS perlu diperiksa atau dikembalikan, di luar semua jumlah: %s")
        story.append(Paragraph(p(note % ", ".join(held)), s.small))
    blind = [r["short_name"] for r in data["results"] if r.get("verified_only")]
    if blind:
        note = _(
            "Entri ganda buta, pembaca dapat mengetik entri ulang: angka terverifikasi saja (%s)"
        )
        story.append(Paragraph(p(note % ", ".join(blind)), s.small))
    if data["ppwp"]:
        story += _ppwp(data["ppwp"], s)
    return story


def _ppwp(ppwp: dict[str, Any], s: Styles) -> list[Flowable]:
    total = [
        "",
        _("Jumlah suara sah"),
        angka(ppwp["suara_sah"]),
        "100" if ppwp["suara_sah"] else "0",
        angka(ppwp["verified_suara_sah"]),
        "100" if ppwp["verified_suara_sah"] else "0",
    ]
    turnout = (
        f"Partisipasi PPWP (sementara): {angka(ppwp['turnout_percent'], 2)}% — "
        f"{angka(ppwp['surat_suara_digunakan'])} surat suara digunakan dari DPT "
        f"{angka(ppwp['pemilih_dpt'])} pada TPS yang melapor."
    )
    return [
        Spacer(1, 6),
        Paragraph("Perolehan suara Presiden dan Wakil Presiden (PPWP)", s.body),
        column_table(s, PPWP_COLUMNS, ppwp["lines"], total=total, numeric_from=2),
        Paragraph(p(turnout), s.small),
    ]


# --- 2. Readiness ---------------------------------------------------------------------------

READINESS_COLUMNS = [
    Column(gettext_lazy("Kecamatan"), 50 * mm, text("name")),
    Column("TPS", 22 * mm, number("tps_total")),
    Column(gettext_lazy("Melapor"), 22 * mm, lambda c: angka(c.get("tps_reported", 0))),
    Column(gettext_lazy("Siap"), 22 * mm, number("tps_ready")),
    # xgettext:no-python-format
    Column(gettext_lazy("% siap"), 22 * mm, number("percent_ready", 1)),
    Column(gettext_lazy("Ada masalah"), 24 * mm, lambda c: angka(c.get("tps_problem", 0))),
]
PROBLEM_COLUMNS = [
    Column("TPS", 20 * mm, text("tps_name")),
    Column(gettext_lazy("Kelurahan"), 35 * mm, text("kelurahan")),
    Column(gettext_lazy("Butir"), 50 * mm, text("item_label")),
    Column(gettext_lazy("Catatan"), 75 * mm, lambda x: x["catatan"] or "-"),
]


def readiness(data: dict[str, Any], region: Region, s: Styles) -> list[Flowable]:
    r = data["readiness"]
    story: list[Flowable] = [
        Paragraph("2. Kesiapan TPS (lokasi, kotak dan surat suara, perlengkapan)", s.section),
        column_table(
            s,
            READINESS_COLUMNS,
            r["children"],
            total=cells(READINESS_COLUMNS, {**r, "name": _("Jumlah")}),
        ),
        _readiness_map(data, region, s),
    ]
    if r["problems"]:
        story.append(Paragraph("Masalah terlama:", s.body))
        story.append(column_table(s, PROBLEM_COLUMNS, r["problems"], numeric_from=99))
    story += _kerawanan(data["kerawanan"], s)
    return story


KERAWANAN_COLUMNS = [
    Column("TPS", 20 * mm, text("tps_name")),
    Column(gettext_lazy("Kelurahan"), 40 * mm, text("kelurahan")),
    Column(gettext_lazy("Alasan"), 102 * mm, lambda x: x["alasan"] or "-"),
    Column(gettext_lazy("Petugas"), 18 * mm, number("petugas")),
]


def _kerawanan(k: dict[str, Any], s: Styles) -> list[Flowable]:
    """Polri's and Bawaslu's mapping: TPS per level, then every sangat rawan TPS."""
    c = k["counts"]
    line = _(
        "Kerawanan TPS (pemetaan Polri dan Bawaslu): sangat rawan %(sangat)s, rawan "
        "%(rawan)s, tidak rawan %(tidak)s, belum dinilai %(belum)s."
    ) % {
        "sangat": angka(c["sangat_rawan"]),
        "rawan": angka(c["rawan"]),
        "tidak": angka(c["tidak_rawan"]),
        "belum": angka(c["belum_dinilai"]),
    }
    story: list[Flowable] = [Spacer(1, 6), Paragraph(p(line), s.body)]
    if k["sangat_rawan"]:
        story.append(Paragraph(_("TPS sangat rawan:"), s.body))
        story.append(column_table(s, KERAWANAN_COLUMNS, k["sangat_rawan"], numeric_from=3))
        listed = len(k["sangat_rawan"])
        if c["sangat_rawan"] > listed:
            more = _("… dan %s TPS sangat rawan lainnya (daftar lengkap di /kesiapan/kerawanan/).")
            story.append(Paragraph(p(more % angka(c["sangat_rawan"] - listed)), s.small))
    return story


def _readiness_map(data: dict[str, Any], region: Region, s: Styles) -> Flowable:
    """The kelurahan of the region filled by readiness, the kecamatan named on a city's map."""
    labels = list(Region.objects.filter(parent=region)) if len(region.code) < 6 else []
    drawing = map_drawing(
        maps.kelurahan_of(region),
        data["map"]["fills"],
        labels=labels,
        legend=[(c, t) for c, t in data["map"]["legend"]],
        width=150 * mm,
        font=s.regular,
    )
    return KeepTogether(
        [
            Spacer(1, 6),
            Paragraph(f"Peta kesiapan TPS per kelurahan, {p(region.name)}", s.body),
            drawing,
        ]
    )


# --- 3. Incidents ---------------------------------------------------------------------------

INCIDENT_COLUMNS = [
    Column(gettext_lazy("Nomor"), 27 * mm, text("number")),
    Column(
        gettext_lazy("Tingkat"),
        16 * mm,
        lambda x: str(SEVERITY_LABEL.get(x["severity"], x["severity"])),
    ),
    Column(gettext_lazy("Kategori"), 26 * mm, text("category_label")),
    Column(gettext_lazy("Kelurahan"), 28 * mm, text("region_name")),
    Column(
        gettext_lazy("Status"),
        28 * mm,
        lambda x: x["status_label"] + (_(" (lewat tenggat)") if x["overdue"] else ""),
    ),
    Column(pgettext_lazy("report column", "Uraian"), 55 * mm, text("description")),
]


def _age_columns(i: dict[str, Any]) -> list[Column]:
    """Open incidents by severity (the rows) and by age."""

    def age(key: str) -> Callable[[str], str]:
        return lambda sev: angka(i["by_age"][sev][key])

    return [
        Column(gettext_lazy("Tingkat"), 35 * mm, lambda sev: str(SEVERITY_LABEL[sev])),
        Column(gettext_lazy("Terbuka"), 25 * mm, lambda sev: angka(i["by_severity"][sev])),
        *[Column(label, 30 * mm, age(key)) for key, label, _b in AGES],
    ]


def incidents(data: dict[str, Any], s: Styles) -> list[Flowable]:
    i = data["incidents"]
    total = [
        _("Jumlah"),
        angka(i["open_total"]),
        *[angka(sum(i["by_age"][sev][key] for sev in SEVERITIES)) for key, _l, _b in AGES],
    ]
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
        column_table(s, _age_columns(i), SEVERITIES, total=total),
    ]
    if i["top"]:
        story.append(Spacer(1, 4))
        story.append(Paragraph("Terberat dan terlama:", s.body))
        story.append(column_table(s, INCIDENT_COLUMNS, i["top"], numeric_from=99))
    return story


# --- 4. Health ------------------------------------------------------------------------------

HEALTH_COLUMNS = [
    Column(gettext_lazy("Kecamatan"), 40 * mm, text("name")),
    Column(gettext_lazy("Kasus"), 20 * mm, number("total")),
    Column(gettext_lazy("Terbuka"), 20 * mm, number("open")),
    *[
        Column(label, width, number(condition))
        for (condition, label), width in zip(
            CONDITION_LABEL.items(), (25 * mm, 22 * mm, 27 * mm, 25 * mm), strict=True
        )
    ],
]


def health(data: dict[str, Any], s: Styles) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("4. Kesehatan petugas dan pemilih", s.section)]
    found = data["health"]
    if found is None:
        story.append(Paragraph("Tidak termasuk dalam laporan untuk akun ini.", s.body))
        return story
    total = cells(HEALTH_COLUMNS, {**found["totals"], "name": _("Jumlah")})
    story.append(column_table(s, HEALTH_COLUMNS, found["by_kecamatan"], total=total))
    return story


# --- 5. Facilitation requests ---------------------------------------------------------------

REQUEST_COLUMNS = [
    Column(gettext_lazy("Nomor"), 27 * mm, text("number")),
    Column(gettext_lazy("Jenis"), 22 * mm, text("kind_label")),
    Column(pgettext_lazy("report column", "Wilayah"), 30 * mm, text("region_name")),
    Column(gettext_lazy("Peminta"), 40 * mm, text("agency")),
    Column(gettext_lazy("Dibutuhkan"), 33 * mm, lambda x: when(x["needed_by"])),
    Column(
        gettext_lazy("Status"),
        28 * mm,
        lambda x: x["status_label"] + (_(" (lewat)") if x["due"] == "lewat" else ""),
    ),
]


def requests(data: dict[str, Any], s: Styles) -> list[Flowable]:
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
        story.append(column_table(s, REQUEST_COLUMNS, q["top"], numeric_from=99))
    return story


# --- 6. Stages of today ---------------------------------------------------------------------

STAGE_COLUMNS = [
    Column(pgettext_lazy("report column", "Tahapan"), 70 * mm, text("name")),
    Column(gettext_lazy("Kecamatan selesai"), 30 * mm, lambda t: f"{t['done']} / {t['total']}"),
    Column(gettext_lazy("Catatan masalah"), 80 * mm, lambda t: "; ".join(t["problems"]) or "-"),
]


def stages(data: dict[str, Any], s: Styles) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("6. Tahapan hari ini", s.section)]
    if not data["stages_today"]:
        story.append(Paragraph("Tidak ada tahapan yang berjalan hari ini.", s.body))
        return story
    story.append(column_table(s, STAGE_COLUMNS, data["stages_today"], numeric_from=99))
    return story
