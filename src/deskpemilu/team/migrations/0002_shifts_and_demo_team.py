"""The Posko's three shifts, and a demo Tim Desk with a demo roster for the election week.

Every demo row is marked is_demo (and shown with a "demo" badge): the desk replaces the members
and the roster with its own, or clears the demo from /tim/piket/. The shifts are the default
configuration (pagi 07–15, siang 15–23, malam 23–07 WITA), not demo data.
H Lalu Martawang, the Assistant I who chaired the meeting in the source article, is named as
the person in charge because the article names him publicly; his contact is left empty.
"""

from datetime import date, time, timedelta

from django.db import migrations

SHIFTS = [
    ("pagi", "Pagi", time(7), time(15), 1),
    ("siang", "Siang", time(15), time(23), 2),
    ("malam", "Malam", time(23), time(7), 3),
]

# The agencies the demo team needs, as regions.seed.DEFAULT_AGENCIES names them (the
# Mataram seed later finds them by slug and changes nothing), plus the Setda.
AGENCIES = [
    ("setda", "Sekretariat Daerah Kota Mataram", "opd"),
    ("bagian-pemerintahan", "Bagian Pemerintahan Setda Kota Mataram", "opd"),
    ("kesbangpol", "Badan Kesbangpol Kota Mataram", "opd"),
    ("diskominfo", "Dinas Komunikasi dan Informatika Kota Mataram", "opd"),
    ("satpol-pp", "Satpol PP Kota Mataram", "liaison"),
    ("dinkes", "Dinas Kesehatan Kota Mataram", "liaison"),
    ("bpbd", "BPBD Kota Mataram", "liaison"),
]

# (key, name, agency, team role, bidang, phone). Phones are obviously fictitious.
MEMBERS = [
    (
        "pj",
        "H Lalu Martawang",
        "setda",
        "penanggung_jawab",
        "Asisten I Bidang Administrasi Pemerintahan dan Kesra",
        "",
    ),
    (
        "pem1",
        "Baiq Nurul Hidayati",
        "bagian-pemerintahan",
        "koordinator_bidang",
        "Koordinasi & administrasi desk",
        "0812-0000-0101",
    ),
    (
        "pem2",
        "Lalu Ahmad Zainuri",
        "bagian-pemerintahan",
        "operator",
        "Operator posko",
        "0812-0000-0102",
    ),
    (
        "kes1",
        "I Made Suarta",
        "kesbangpol",
        "koordinator_bidang",
        "Politik & kewaspadaan",
        "0812-0000-0201",
    ),
    (
        "kom1",
        "Ni Luh Putu Ayu Lestari",
        "diskominfo",
        "koordinator_bidang",
        "Aplikasi & data hasil",
        "0812-0000-0301",
    ),
    (
        "kom2",
        "Muhammad Rizal Hakim",
        "diskominfo",
        "operator",
        "Operator aplikasi Desk Pemilu",
        "0812-0000-0302",
    ),
    (
        "pol1",
        "Hj Sri Wahyuni",
        "satpol-pp",
        "koordinator_bidang",
        "Ketertiban umum",
        "0812-0000-0401",
    ),
    (
        "din1",
        "dr. Lale Febriani",
        "dinkes",
        "koordinator_bidang",
        "Kesehatan petugas & posko kesehatan",
        "0812-0000-0501",
    ),
    ("bpb1", "Ahmad Fauzan", "bpbd", "anggota", "Kebencanaan & logistik darurat", "0812-0000-0601"),
]

# The demo roster of the election week, 10–16 February 2024: two people per shift. The night of
# 16 February is left empty on purpose so that the roster shows what a gap looks like.
ROSTER_DAYS = [date(2024, 2, 10) + timedelta(days=i) for i in range(7)]
ROTATION = ["pem2", "kom2", "pem1", "kes1", "kom1", "pol1", "din1", "bpb1"]


def forwards(apps, schema_editor):
    Shift = apps.get_model("team", "Shift")
    Agency = apps.get_model("accounts", "Agency")
    TeamMember = apps.get_model("team", "TeamMember")
    DutyAssignment = apps.get_model("team", "DutyAssignment")

    shifts = {}
    for code, name, starts, ends, order in SHIFTS:
        shifts[code], _ = Shift.objects.get_or_create(
            code=code, defaults={"name": name, "starts_at": starts, "ends_at": ends, "order": order}
        )
    agencies = {}
    for slug, name, kind in AGENCIES:
        agencies[slug], _ = Agency.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
    if TeamMember.objects.exists():
        return  # a team is already there: never add a demo beside it
    members = {}
    for key, name, agency, role, bidang, phone in MEMBERS:
        members[key] = TeamMember.objects.create(
            name=name,
            agency=agencies[agency],
            team_role=role,
            bidang=bidang,
            phone=phone,
            is_demo=True,
        )
    rows = []
    turn = 0
    for day in ROSTER_DAYS:
        for code in ("pagi", "siang", "malam"):
            if day == ROSTER_DAYS[-1] and code == "malam":
                continue
            for _ in range(2):
                member = members[ROTATION[turn % len(ROTATION)]]
                turn += 1
                rows.append(
                    DutyAssignment(date=day, shift=shifts[code], member=member, is_demo=True)
                )
    DutyAssignment.objects.bulk_create(rows)


def backwards(apps, schema_editor):
    apps.get_model("team", "DutyAssignment").objects.filter(is_demo=True).delete()
    apps.get_model("team", "TeamMember").objects.filter(is_demo=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("team", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
