"""Regions (provinsi → kota/kab → kecamatan → kelurahan/desa) and TPS.

Codes are KPU-style undotted digits and nest by prefix (5271 ⊂ 527101 ⊂ 5271011004 ⊂
5271011004001), which is what makes a scope check a prefix test. Counts (TPS, DPT) are kept on
each region by `regions.services.recount_regions`, so a region page reads O(children).

TPS belong to an election (README, "TPS per election"): the same 13-digit code names a different
TPS in Pemilu 2024 and in Pilkada 2024. The primary key stays the code for Pemilu 2024's TPS (the
rows every sheet, report and incident already points at) and is `<code>@<election>` for the TPS
of any other election, so the prefix tests above still hold on every key.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KOTA = "kota", _("Kota")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")


CODE_LENGTH = {2: 0, 4: 1, 6: 2, 10: 3}  # code length → depth


def dotted(code: str) -> str:
    """Kemendagri form of a KPU code: 5271011004 → 52.71.01.1004 (TPS keep their number)."""
    parts = [code[0:2], code[2:4], code[4:6], code[6:10]]
    text = ".".join(p for p in parts if p)
    return f"{text} TPS {code[10:]}" if len(code) == 13 else text


class Region(models.Model):
    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Kept by recount_regions(): the sums over the active election's TPS below this region...
    tps_count = models.PositiveIntegerField(default=0)
    dpt_l = models.PositiveIntegerField(default=0)
    dpt_p = models.PositiveIntegerField(default=0)
    # ...and over each election's: {"pilkada2024": [tps_count, dpt_l, dpt_p]}, so a recap of
    # any election's contest reads its counts from the row it already has.
    election_counts = models.JSONField(default=dict, blank=True)
    # GeoJSON geometry (Polygon/MultiPolygon, lon/lat), and a point inside it for the label.
    boundary = models.JSONField(null=True, blank=True)
    label_lat = models.FloatField(null=True, blank=True)
    label_lon = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[lv.value for lv in Level]), name="region_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dpt(self) -> int:
        return self.dpt_l + self.dpt_p

    @property
    def dotted_code(self) -> str:
        return dotted(self.code)

    def counts_in(self, election: str) -> tuple[int, int, int]:
        """(tps_count, dpt_l, dpt_p) over the TPS of `election`. A row never recounted per
        election (a bulk-generated tree) has only the active election's fields."""
        if not self.election_counts:
            return self.tps_count, self.dpt_l, self.dpt_p
        n, dpt_l, dpt_p = self.election_counts.get(election, (0, 0, 0))
        return int(n), int(dpt_l), int(dpt_p)


# The election whose TPS keep their bare 13-digit code as key: the TPS predating elections as
# data. Every other election's TPS are keyed `<code>@<election>`.
BARE_KEY_ELECTION = "pemilu2024"


def tps_key(code: str, election_code: str) -> str:
    """The storage key of TPS `code` (13 digits) in election `election_code`."""
    return code if election_code == BARE_KEY_ELECTION else f"{code}@{election_code}"


def kpu_code(key: str) -> str:
    """The 13-digit KPU code of a TPS storage key (`tps_key`)."""
    return key.partition("@")[0]


def election_of_key(key: str) -> str:
    """The election of a TPS storage key (`tps_key`)."""
    return key.partition("@")[2] or BARE_KEY_ELECTION


class ActiveElectionTps(models.Manager["Tps"]):
    """`Tps.objects`: the TPS of the active election, what every page and count of the desk
    means by "the TPS". A subquery, not a join, so `select_for_update` locks the TPS row only."""

    def get_queryset(self) -> models.QuerySet[Tps]:
        from deskpemilu.elections.models import Election

        active = Election.objects.filter(active=True).values("code")
        return super().get_queryset().filter(election_id__in=active)

    def with_kpu_code(self, code: str) -> models.QuerySet[Tps]:
        """The active election's TPS with this 13-digit KPU code, whichever its storage key:
        one query."""
        return self.filter(models.Q(code=code) | models.Q(code__startswith=code + "@"))


class Tps(models.Model):
    # The storage key: the KPU code, plus `@<election>` outside Pemilu 2024 (tps_key).
    code = models.CharField(max_length=34, primary_key=True)
    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.PROTECT,
        related_name="tps_set",
        default=BARE_KEY_ELECTION,
    )
    kelurahan = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="tps_set")
    number = models.PositiveSmallIntegerField(_("nomor"))
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    dpt_l = models.PositiveIntegerField(_("DPT laki-laki"), default=0)
    dpt_p = models.PositiveIntegerField(_("DPT perempuan"), default=0)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # True while DPT and position are generated demo values, until KPU's list is imported.
    is_demo = models.BooleanField(default=False)

    objects = ActiveElectionTps()
    # Every election's TPS: imports, exports of a given election, per-election counts.
    every = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        ordering = ["code"]
        verbose_name = "TPS"
        verbose_name_plural = "TPS"
        constraints = [
            models.UniqueConstraint(
                fields=["election", "kelurahan", "number"], name="tps_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=999), name="tps_number_range"
            ),
        ]

    def __str__(self) -> str:
        return f"TPS {self.number:03d} {self.kelurahan_id}"

    @property
    def dpt(self) -> int:
        return self.dpt_l + self.dpt_p

    @property
    def is_special(self) -> bool:
        return self.number >= 900

    @property
    def kpu_code(self) -> str:
        """The 13-digit KPU code, whichever the election."""
        return kpu_code(self.code)


class Puskesmas(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kecamatan = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="puskesmas_set"
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # The kelurahan this puskesmas serves (its service area).
    service_area = models.ManyToManyField(Region, blank=True, related_name="served_by")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "puskesmas"

    def __str__(self) -> str:
        return self.name
