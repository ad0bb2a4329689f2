"""The stages of Pemilu 2024 the desk follows, and those of Pilkada 2024 (not followed until the
desk turns them on at /tahapan/).

Dates follow the national schedule (PKPU 3/2022 for Pemilu 2024, PKPU 2/2024 for Pilkada 2024)
as the city desk lived it; the desk corrects them to the KPU Kota Mataram's own decisions from
each stage's page.
"""

from datetime import date

from django.db import migrations

STAGES = [
    # code, name, election, starts, ends, description
    (
        "logistik-gudang",
        "Logistik tiba di gudang KPU",
        "pemilu2024",
        date(2024, 1, 2),
        date(2024, 1, 31),
        "Kotak suara, bilik, surat suara dan formulir diterima di gudang KPU Kota Mataram; "
        "sortir dan lipat surat suara.",
    ),
    (
        "distribusi-ppk",
        "Distribusi logistik ke PPK",
        "pemilu2024",
        date(2024, 2, 8),
        date(2024, 2, 10),
        "Logistik dari gudang KPU ke sekretariat PPK di tiap kecamatan, dengan pengawalan Polri.",
    ),
    (
        "distribusi-pps",
        "Distribusi logistik ke PPS",
        "pemilu2024",
        date(2024, 2, 10),
        date(2024, 2, 12),
        "Logistik dari PPK ke PPS di tiap kelurahan.",
    ),
    (
        "masa-tenang",
        "Masa tenang",
        "pemilu2024",
        date(2024, 2, 11),
        date(2024, 2, 13),
        "Tanpa kampanye; penertiban alat peraga kampanye oleh Satpol PP bersama Bawaslu.",
    ),
    (
        "distribusi-tps",
        "Distribusi logistik ke TPS",
        "pemilu2024",
        date(2024, 2, 13),
        date(2024, 2, 13),
        "Logistik dari PPS ke KPPS; TPS didirikan dan siap pada H-1.",
    ),
    (
        "pemungutan",
        "Pemungutan suara",
        "pemilu2024",
        date(2024, 2, 14),
        date(2024, 2, 14),
        "Hari pemungutan suara, 07.00–13.00 WITA.",
    ),
    (
        "penghitungan",
        "Penghitungan suara di TPS",
        "pemilu2024",
        date(2024, 2, 14),
        date(2024, 2, 15),
        "Penghitungan suara di TPS dan pengisian formulir C.Hasil; dapat berlanjut sampai 15 Februari.",
    ),
    (
        "rekap-ppk",
        "Rekapitulasi di PPK (kecamatan)",
        "pemilu2024",
        date(2024, 2, 15),
        date(2024, 3, 2),
        "Rekapitulasi hasil penghitungan suara tingkat kecamatan.",
    ),
    (
        "rekap-kota",
        "Rekapitulasi di KPU Kota",
        "pemilu2024",
        date(2024, 3, 3),
        date(2024, 3, 5),
        "Rekapitulasi hasil tingkat Kota Mataram.",
    ),
    (
        "pilkada-distribusi-tps",
        "Pilkada: distribusi logistik ke TPS",
        "pilkada2024",
        date(2024, 11, 24),
        date(2024, 11, 26),
        "Logistik Pilkada dari gudang KPU melalui PPK dan PPS sampai ke TPS.",
    ),
    (
        "pilkada-masa-tenang",
        "Pilkada: masa tenang",
        "pilkada2024",
        date(2024, 11, 24),
        date(2024, 11, 26),
        "",
    ),
    (
        "pilkada-pemungutan",
        "Pilkada: pemungutan suara",
        "pilkada2024",
        date(2024, 11, 27),
        date(2024, 11, 27),
        "Pemilihan Gubernur NTB dan Wali Kota Mataram.",
    ),
    (
        "pilkada-penghitungan",
        "Pilkada: penghitungan suara di TPS",
        "pilkada2024",
        date(2024, 11, 27),
        date(2024, 11, 27),
        "",
    ),
    (
        "pilkada-rekap-kecamatan",
        "Pilkada: rekapitulasi di kecamatan",
        "pilkada2024",
        date(2024, 11, 28),
        date(2024, 12, 3),
        "",
    ),
    (
        "pilkada-rekap-kota",
        "Pilkada: rekapitulasi di KPU Kota",
        "pilkada2024",
        date(2024, 12, 1),
        date(2024, 12, 5),
        "",
    ),
]


def forwards(apps, schema_editor):
    Stage = apps.get_model("stages", "Stage")
    for order, (code, name, election, starts, ends, description) in enumerate(STAGES, start=1):
        Stage.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "election": election,
                "starts_on": starts,
                "ends_on": ends,
                "description": description,
                "order": order,
                "active": election == "pemilu2024",
            },
        )


def backwards(apps, schema_editor):
    Stage = apps.get_model("stages", "Stage")
    Stage.objects.filter(code__in=[s[0] for s in STAGES], statuses=None, updates=None).delete()


class Migration(migrations.Migration):
    dependencies = [("stages", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
