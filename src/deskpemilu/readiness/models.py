"""TPS readiness: the checklist the desk configures, every report kept, and the current state.

`ReadinessReport` is append-only: each change of one item at one TPS, who made it and when, so
the desk can see readiness as it was at H-3 or H-1. `TpsItemState` (one row per TPS × item),
`TpsReadiness` (one row per TPS that has reports) and `RegionReadiness` (one row per region
above it) are kept by `readiness.services` in the same transaction as the report, so summaries
read O(children). `rebuild_readiness` recomputes them from the states (the invariant).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deskpemilu.regions.models import Region, Tps


class Status(models.TextChoices):
    SIAP = "siap", _("Siap")
    BELUM = "belum", _("Belum")
    BERMASALAH = "bermasalah", _("Bermasalah")


class TargetRule(models.TextChoices):
    NONE = "tidak_ada", _("Tanpa target")
    FIXED = "tetap", _("Jumlah tetap")
    # Ballots: a TPS receives its DPT plus a 2% reserve of each kind (GLOSSARY.md).
    DPT_RESERVE = "dpt_cadangan", _("DPT + 2% cadangan")


class Source(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"


class ChecklistItem(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    label = models.CharField(_("nama"), max_length=120)
    needs_quantity = models.BooleanField(_("perlu jumlah"), default=False)
    target_rule = models.CharField(
        _("target"), max_length=12, choices=TargetRule.choices, default=TargetRule.NONE
    )
    target_value = models.PositiveIntegerField(_("jumlah target"), null=True, blank=True)
    help_text = models.CharField(_("keterangan"), max_length=300, blank=True)
    ordering = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("berlaku"), default=True)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("butir daftar periksa")
        verbose_name_plural = _("butir daftar periksa")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_rule__in=[r.value for r in TargetRule]),
                name="readiness_item_rule_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(target_rule="tetap") | models.Q(target_value__isnull=False),
                name="readiness_item_fixed_has_value",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ReadinessReport(models.Model):
    """One change of one item at one TPS. Never updated or deleted."""

    tps = models.ForeignKey(Tps, on_delete=models.PROTECT, related_name="readiness_reports")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(max_length=10, choices=Status.choices)
    jumlah = models.PositiveIntegerField(null=True, blank=True)
    catatan = models.CharField(max_length=1000, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    photo_path = models.CharField(max_length=200, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=4, choices=Source.choices, default=Source.WEB)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["tps", "item", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Status]),
                name="readiness_report_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tps_id} {self.item_id} {self.status}"


class TpsItemState(models.Model):
    """The current state of one item at one TPS: its latest report."""

    tps = models.ForeignKey(Tps, on_delete=models.PROTECT, related_name="readiness_states")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="states")
    status = models.CharField(max_length=10, choices=Status.choices)
    jumlah = models.PositiveIntegerField(null=True, blank=True)
    catatan = models.CharField(max_length=1000, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    report = models.ForeignKey(ReadinessReport, on_delete=models.PROTECT, related_name="+")
    # When the status last changed: a problem's age, for "oldest first".
    status_since = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["tps", "item__ordering"]
        constraints = [
            models.UniqueConstraint(fields=["tps", "item"], name="readiness_state_unique"),
        ]
        indexes = [models.Index(fields=["status", "status_since"])]

    def __str__(self) -> str:
        return f"{self.tps_id} {self.item_id} {self.status}"


class TpsReadiness(models.Model):
    """Per TPS: how many items in force are siap, and whether all of them are."""

    tps = models.OneToOneField(Tps, on_delete=models.PROTECT, primary_key=True, related_name="+")
    items_ready = models.PositiveSmallIntegerField(default=0)
    items_total = models.PositiveSmallIntegerField(default=0)
    problems = models.PositiveSmallIntegerField(default=0)
    ready = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.tps_id} {self.items_ready}/{self.items_total}"


class RegionReadiness(models.Model):
    """Per region: TPS ready, TPS with a report, TPS with a problem (the TPS total is the
    region's own tps_count, kept by the regions app)."""

    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    tps_ready = models.PositiveIntegerField(default=0)
    tps_reported = models.PositiveIntegerField(default=0)
    tps_problem = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.region_id} {self.tps_ready}"


# --- TPS vulnerability (kerawanan) ---------------------------------------------------------------


class Kerawanan(models.TextChoices):
    """Polri's and Bawaslu's three levels of a TPS (pemetaan TPS rawan)."""

    TIDAK_RAWAN = "tidak_rawan", _("Tidak rawan")
    RAWAN = "rawan", _("Rawan")
    SANGAT_RAWAN = "sangat_rawan", _("Sangat rawan")


class KerawananEntry(models.Model):
    """One setting of a TPS's level, who set it and why. Never updated or deleted."""

    tps = models.ForeignKey(Tps, on_delete=models.PROTECT, related_name="kerawanan_entries")
    tingkat = models.CharField(_("tingkat"), max_length=12, choices=Kerawanan.choices)
    alasan = models.CharField(_("alasan"), max_length=500, blank=True)
    petugas = models.PositiveSmallIntegerField(_("jumlah petugas"), default=0)
    nama_petugas = models.JSONField(_("nama petugas"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=10, default="web")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["tps", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tingkat__in=[k.value for k in Kerawanan]),
                name="readiness_kerawanan_entry_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tps_id} {self.tingkat}"


class TpsKerawanan(models.Model):
    """The current level of a TPS: its latest entry. A TPS without a row is not mapped yet."""

    tps = models.OneToOneField(Tps, on_delete=models.PROTECT, primary_key=True, related_name="+")
    tingkat = models.CharField(max_length=12, choices=Kerawanan.choices, db_index=True)
    alasan = models.CharField(max_length=500, blank=True)
    petugas = models.PositiveSmallIntegerField(default=0)
    nama_petugas = models.JSONField(default=list, blank=True)
    entry = models.ForeignKey(KerawananEntry, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["tps"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tingkat__in=[k.value for k in Kerawanan]),
                name="readiness_kerawanan_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tps_id} {self.tingkat}"
