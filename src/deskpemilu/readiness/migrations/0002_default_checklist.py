"""The default TPS checklist (the desk changes it on the checklist page; this only seeds it).

Ballots are one item per kind of the five Pemilu 2024 ballots, each expected at DPT + 2%
cadangan of that TPS (computed, never typed). Counts from KPU's rules: 5 ballot boxes, 7 KPPS
members, 2 Linmas per TPS.
"""

from django.db import migrations

DEFAULT_ITEMS = [
    # code, label, needs_quantity, target_rule, target_value, help_text
    ("lokasi", "Lokasi TPS siap", False, "tidak_ada", None, "Tempat, tenda/atap, meja dan kursi"),
    ("kotak_suara", "Kotak suara", True, "tetap", 5, "Satu per jenis surat suara"),
    ("bilik_suara", "Bilik suara", True, "tidak_ada", None, ""),
    ("surat_suara_ppwp", "Surat suara PPWP (Presiden)", True, "dpt_cadangan", None, "Abu-abu"),
    ("surat_suara_dpr", "Surat suara DPR RI", True, "dpt_cadangan", None, "Kuning"),
    ("surat_suara_dpd", "Surat suara DPD RI", True, "dpt_cadangan", None, "Merah"),
    ("surat_suara_dprd_prov", "Surat suara DPRD Provinsi", True, "dpt_cadangan", None, "Biru"),
    ("surat_suara_dprd_kabkota", "Surat suara DPRD Kota", True, "dpt_cadangan", None, "Hijau"),
    ("tinta", "Tinta", False, "tidak_ada", None, ""),
    ("segel", "Segel", False, "tidak_ada", None, ""),
    ("formulir_c", "Formulir C (C.Hasil, salinan)", False, "tidak_ada", None, ""),
    ("template_braille", "Template braille", False, "tidak_ada", None, "Alat bantu tunanetra"),
    ("dpt_ditempel", "DPT ditempel", False, "tidak_ada", None, "Salinan DPT di papan TPS"),
    ("listrik", "Penerangan/listrik", False, "tidak_ada", None, ""),
    ("akses_disabilitas", "Akses disabilitas", False, "tidak_ada", None, "Tanpa tangga, lebar"),
    ("kpps", "KPPS lengkap", True, "tetap", 7, "Tujuh anggota KPPS"),
    ("linmas", "Linmas", True, "tetap", 2, "Dua petugas Linmas"),
]


def add_items(apps, schema_editor):
    ChecklistItem = apps.get_model("readiness", "ChecklistItem")
    for order, (code, label, quantity, rule, value, help_text) in enumerate(DEFAULT_ITEMS):
        ChecklistItem.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "needs_quantity": quantity,
                "target_rule": rule,
                "target_value": value,
                "help_text": help_text,
                "ordering": (order + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("readiness", "0001_initial")]

    operations = [migrations.RunPython(add_items, migrations.RunPython.noop)]
