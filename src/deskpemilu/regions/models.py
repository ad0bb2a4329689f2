"""Regions (provinsi → kota/kab → kecamatan → kelurahan/desa) and TPS.

Codes are KPU-style undotted digits and nest by prefix (5271 ⊂ 527101 ⊂ 5271011004 ⊂
5271011004001), which is what makes a scope check a prefix test. Counts (TPS, DPT) are kept on
each region by `regions.services.recount_regions`, so a region page reads O(children).
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
    # Kept by recount_regions(): the sums over the TPS below this region.
    tps_count = models.PositiveIntegerField(default=0)
    dpt_l = models.PositiveIntegerField(default=0)
    dpt_p = models.PositiveIntegerField(default=0)
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


class Tps(models.Model):
    code = models.CharField(max_length=13, primary_key=True)
    kelurahan = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="tps_set")
    number = models.PositiveSmallIntegerField(_("nomor"))
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    dpt_l = models.PositiveIntegerField(_("DPT laki-laki"), default=0)
    dpt_p = models.PositiveIntegerField(_("DPT perempuan"), default=0)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # True while DPT and position are generated demo values, until KPU's list is imported.
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "TPS"
        verbose_name_plural = "TPS"
        constraints = [
            models.UniqueConstraint(fields=["kelurahan", "number"], name="tps_number_unique"),
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
