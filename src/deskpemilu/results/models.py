"""Contests, choices and C.Hasil sheets as chains of immutable versions, with rollups.

A Sheet is one TPS × contest. Each entry or correction adds a SheetVersion; nothing is updated in
place except the sheet's pointer to its current version and its status. Rollups hold the sums of
current versions per region, changed in the same transaction as the version that moves them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deskpemilu.elections.models import Election
from deskpemilu.regions.models import Region, Tps


class ContestKind(models.TextChoices):
    PASLON = "paslon", _("Pasangan calon")
    PERSON = "person", _("Perseorangan (DPD)")
    PARTY = "party", _("Partai dan calon legislatif")


class VerificationMode(models.TextChoices):
    PHOTO = "photo", _("Periksa terhadap foto formulir")
    BLIND = "blind", _("Entri ganda buta")


class Party(models.Model):
    number = models.PositiveSmallIntegerField(primary_key=True)
    abbr = models.CharField(max_length=30)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return f"{self.number}. {self.abbr}"


class Contest(models.Model):
    # Unique in the installation, across elections: KPU's own codes (`ppwp`, `pkwkk`); a later
    # election of the same kind takes a code with its year (`pkwkk2029`).
    code = models.SlugField(max_length=20, primary_key=True)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="contests")
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=30)
    kind = models.CharField(max_length=10, choices=ContestKind.choices)
    ballot_colour = models.CharField(max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    max_voters_per_tps = models.PositiveSmallIntegerField(default=300)
    verification_mode = models.CharField(
        max_length=10, choices=VerificationMode.choices, default=VerificationMode.PHOTO
    )
    # DPR: the national threshold in percent (4); 0 for the others.
    threshold_percent = models.DecimalField(max_digits=4, decimal_places=2, default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Dapil(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="dapil_set")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    seats = models.PositiveSmallIntegerField(default=0)
    # The regions it covers (a kecamatan, the kota, or a province for a larger installation).
    regions = models.ManyToManyField(Region, related_name="dapil_set")
    # The whole nation (region "0" in the election file): every TPS of the installation,
    # whichever province, without a region row to list (the nation has none).
    nationwide = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    is_inferred = models.BooleanField(default=False)

    class Meta:
        ordering = ["contest", "code"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="dapil_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Choice(models.Model):
    """A column of section IV: a paslon, a DPD candidate, a party, or a party's candidate."""

    dapil = models.ForeignKey(Dapil, on_delete=models.CASCADE, related_name="choices")
    key = models.CharField(max_length=12)  # "2", "4" (party) or "4.3" (party 4, candidate 3)
    label = models.CharField(max_length=200)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT)
    order = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["dapil", "order"]
        constraints = [models.UniqueConstraint(fields=["dapil", "key"], name="choice_unique_key")]

    def __str__(self) -> str:
        return f"{self.key} {self.label}"


class SheetStatus(models.TextChoices):
    ENTERED = "dientri", _("Dientri")
    VERIFIED = "terverifikasi", _("Terverifikasi")
    MISMATCH = "selisih", _("Selisih (menunggu supervisor)")
    # Sent back to its operator by a verifier or the desk, with a reason: out of every total
    # until the operator stores a correction.
    RETURNED = "dikembalikan", _("Dikembalikan ke operator")


class Sheet(models.Model):
    tps = models.ForeignKey(Tps, on_delete=models.PROTECT, related_name="sheets")
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="sheets")
    current = models.OneToOneField(
        "SheetVersion", null=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=14, choices=SheetStatus.choices, default=SheetStatus.ENTERED
    )
    # The current version's flags as they stand now: the signs that depend on other sheets
    # (neighbouring TPS, the TPS's other ballots) are re-checked when those sheets change, so
    # they may differ from the flags the version was stored with (SheetVersion.flags).
    flags = models.JSONField(default=list)
    # Their codes, for filtering the anomaly list without parsing JSON.
    flag_codes = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tps", "contest"], name="sheet_unique_tps_contest")
        ]
        indexes = [models.Index(fields=["contest", "status"])]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.tps_id}"


class Source(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    IMPORT = "import", "Impor"
    # A supervisor settled a blind mismatch in favour of the re-entry: the re-entrant's numbers.
    RESOLUTION = "resolusi", "Putusan supervisor"


class Photo(models.Model):
    """A page of the form, re-encoded by Pillow, stored under its SHA-256."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    file = models.CharField(max_length=200)
    public_file = models.CharField(max_length=200, blank=True)  # without EXIF/GPS
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    gps = models.JSONField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256


class SheetVersion(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    administrasi = models.JSONField()
    suara = models.JSONField()
    catatan = models.TextField(blank=True)
    confirmed_inconsistent = models.BooleanField(default=False)
    flags = models.JSONField(default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    reason = models.CharField(max_length=500, blank=True)  # why a correction was made
    idempotency_key = models.CharField(max_length=100, blank=True)
    # SHA-256 of the request that made it (body, reason, If-Match): an Idempotency-Key replays
    # only the same request from the same author.
    request_sha256 = models.CharField(max_length=64, blank=True)
    content_sha256 = models.CharField(max_length=64)
    photos = models.ManyToManyField(Photo, blank=True, related_name="versions")

    class Meta:
        ordering = ["sheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["sheet", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="version_unique_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} v{self.number}"


class VerificationOutcome(models.TextChoices):
    MATCH = "cocok", _("Cocok")
    MISMATCH = "selisih", _("Selisih")
    RESOLVED = "diputus", _("Diputus supervisor")
    RETURNED = "dikembalikan", _("Dikembalikan ke operator")


class Verification(models.Model):
    version = models.ForeignKey(
        SheetVersion, on_delete=models.PROTECT, related_name="verifications"
    )
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=10, choices=VerificationMode.choices)
    outcome = models.CharField(max_length=14, choices=VerificationOutcome.choices)
    # A blind re-entry as typed by the second person, kept to show the supervisor.
    entry = models.JSONField(null=True, blank=True)
    differences = models.JSONField(default=list)
    # The SHA-256 of the photos the check was made against: the public portal shows these only,
    # never a photo attached later.
    photos = models.JSONField(default=list)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.version} {self.outcome}"


class RollupKind(models.TextChoices):
    PROVISIONAL = "sementara", _("Sementara (semua versi terkini)")
    VERIFIED = "terverifikasi", _("Terverifikasi")
    # Sheets held out of both: confirmed inconsistent and not yet verified ("perlu diperiksa"),
    # or returned to their operator. Kept so the pages can say how many, in O(children).
    HELD = "ditahan", _("Ditahan (perlu diperiksa atau dikembalikan)")


class Rollup(models.Model):
    """Sums of current sheets below a region, per contest; kept in the sheet's transaction."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="rollups")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rollups")
    kind = models.CharField(max_length=14, choices=RollupKind.choices)
    totals = models.JSONField(default=dict)  # choice key → votes
    suara_sah = models.PositiveIntegerField(default=0)
    suara_tidak_sah = models.PositiveIntegerField(default=0)
    surat_suara_digunakan = models.PositiveIntegerField(default=0)
    pemilih_dpt = models.PositiveIntegerField(default=0)
    tps_reported = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "contest", "kind"], name="rollup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.region_id} {self.kind}"
