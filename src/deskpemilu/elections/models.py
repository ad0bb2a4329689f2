"""Elections as data: Pemilu 2024, Pilkada 2024, and whichever the desk prepares next.

Exactly one election is *active*: open for entry, and the one whose voting day the readiness
windows and the stage calendar count from. The others stay browsable, read-only. The database
refuses a second active row (a partial unique index); `election_activate` moves the flag in one
transaction, so there is never none either.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PEMILU = "pemilu", _("Pemilu")
    PILKADA = "pilkada", _("Pilkada")


class Election(models.Model):
    # `pemilu2024`, `pilkada2024`; a later election gets its own (`pilkada2029`).
    code = models.SlugField(max_length=20, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    voting_day = models.DateField(_("hari pemungutan suara"))
    active = models.BooleanField(_("aktif"), default=False)

    class Meta:
        ordering = ["-voting_day", "code"]
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="election_one_active"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in Kind]), name="election_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name
