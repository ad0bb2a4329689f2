"""The desk's own work: the Tim Desk, the Posko's duty roster, coordination meetings and the
follow-up of their decisions.

Times are WITA (Asia/Makassar, no daylight saving). A shift whose end is not after its start
(malam 23.00–07.00) ends on the next day: `Shift.window` is the one place that knows it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deskpemilu.accounts.models import Agency
from deskpemilu.elections.models import Election

DEFAULT_PLACE = "Ruang Kenari, Kantor Wali Kota Mataram"


class TeamRole(models.TextChoices):
    PENANGGUNG_JAWAB = "penanggung_jawab", _("Penanggung jawab")
    KOORDINATOR_BIDANG = "koordinator_bidang", _("Koordinator bidang")
    OPERATOR = "operator", _("Operator")
    ANGGOTA = "anggota", _("Anggota")


# The order a team is listed in: who answers for it first.
TEAM_ROLE_ORDER = {role.value: i for i, role in enumerate(TeamRole)}


class TeamMember(models.Model):
    """A member of the Tim Desk. An account is optional: many members never sign in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_member",
    )
    name = models.CharField(_("nama"), max_length=150)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="team_members", verbose_name=_("instansi")
    )
    team_role = models.CharField(
        _("peran dalam tim"), max_length=20, choices=TeamRole.choices, default=TeamRole.ANGGOTA
    )
    bidang = models.CharField(_("bidang"), max_length=100, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("anggota tim")
        verbose_name_plural = _("anggota tim")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team_role__in=[r.value for r in TeamRole]),
                name="team_member_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """A duty shift at the Posko, e.g. pagi 07.00–15.00 WITA."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=50)
    starts_at = models.TimeField(_("mulai"))
    ends_at = models.TimeField(_("selesai"))
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "starts_at"]
        verbose_name = _("sif")
        verbose_name_plural = _("sif")

    def __str__(self) -> str:
        return f"{self.name} {self.starts_at:%H.%M}–{self.ends_at:%H.%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.ends_at <= self.starts_at

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The aware start and end of this shift on the duty date `day` (WITA)."""
        tz = timezone.get_default_timezone()
        start = datetime.combine(day, self.starts_at, tzinfo=tz)
        end_day = day + timedelta(days=1) if self.crosses_midnight else day
        end = datetime.combine(end_day, self.ends_at, tzinfo=tz)
        return start, end

    def covers(self, day: date, at: datetime) -> bool:
        start, end = self.window(day)
        return start <= at < end

    @property
    def hours(self) -> str:
        return f"{self.starts_at:%H.%M}–{self.ends_at:%H.%M}"


class DutyAssignment(models.Model):
    """Who is on duty at the Posko for one shift of one duty date."""

    date = models.DateField(_("tanggal"))
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="assignments")
    member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="duties")
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "shift__order", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["date", "shift", "member"], name="duty_once_per_shift"),
        ]
        indexes = [models.Index(fields=["date", "shift"])]

    def __str__(self) -> str:
        return f"{self.date} {self.shift.code}: {self.member.name}"


class Meeting(models.Model):
    """A coordination meeting (rapat koordinasi) of the Tim Desk."""

    title = models.CharField(_("judul"), max_length=200)
    # The election it belongs to: the active one when recorded (set by the service). The lists
    # show one election at a time; another election's rows are read-only.
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="+", verbose_name=_("pemilihan")
    )
    held_at = models.DateTimeField(_("waktu"))
    place = models.CharField(_("tempat"), max_length=200, default=DEFAULT_PLACE)
    chair = models.CharField(_("pimpinan rapat"), max_length=150, blank=True)
    attendees = models.ManyToManyField(
        TeamMember, blank=True, related_name="meetings", verbose_name=_("peserta")
    )
    # Attendees who are not members of the team: agencies or people, one per entry.
    other_attendees = models.JSONField(_("peserta lain"), default=list, blank=True)
    # The points raised (pokok bahasan), in order.
    points = models.JSONField(_("pokok bahasan"), default=list, blank=True)
    summary = models.TextField(_("ringkasan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_at", "-pk"]
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "terbuka", _("Terbuka")
    DONE = "selesai", _("Selesai")
    CANCELLED = "batal", _("Dibatalkan")


class ActionItem(models.Model):
    """A decision of a meeting and its follow-up: an agency answers for it by a due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField(_("nomor"))
    text = models.TextField(_("keputusan / tindak lanjut"), max_length=1000)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("instansi penanggung jawab"),
    )
    assignee = models.ForeignKey(
        TeamMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("petugas"),
    )
    due_on = models.DateField(_("tenggat"))
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("catatan terakhir"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "meeting_id", "number"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="action_number_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ActionStatus]),
                name="action_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.meeting_id}.{self.number} {self.text[:40]}"

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()


class ActionUpdate(models.Model):
    """The follow-up timeline of an action item. Append-only: rows are added, never edited."""

    action = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    # The status this update set, or empty for a note only.
    status = models.CharField(max_length=10, choices=ActionStatus.choices, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.at:%Y-%m-%d %H:%M} {self.status}"
