"""The one write of elections: which one is open for entry. One transaction, audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from deskpemilu.audit.services import record
from deskpemilu.core.errors import Refusal
from deskpemilu.elections.models import Election
from deskpemilu.regions.services import recount_regions

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


class ElectionError(Refusal):
    """A refusal: an HTTP-like status, a stable code, a message."""


@dataclass(frozen=True)
class Activation:
    election: Election
    previous: str  # the code of the election that was active before, "" when none
    changed: bool


def election_activate(*, actor: User | None, code: str) -> Activation:
    """Make `code` the active election (open for entry; its voting day drives the readiness
    windows). `actor` None is the command line. Activating the active one changes nothing."""
    if actor is not None and actor.role != "admin":
        raise ElectionError(403, "tidak_berhak", _("Hanya desk yang mengganti pemilihan aktif."))
    with transaction.atomic():
        # Locked in code order, so two switches at once queue instead of both passing the check.
        rows = list(Election.objects.select_for_update().order_by("code"))
        target = next((e for e in rows if e.code == code), None)
        if target is None:
            raise ElectionError(
                404, "pemilihan_tidak_dikenal", _("Pemilihan tidak ditemukan."), "code"
            )
        previous = next((e.code for e in rows if e.active), "")
        if previous == code:
            return Activation(target, previous, changed=False)
        # Off first, then on: the partial unique index allows one active row at any moment.
        Election.objects.filter(active=True).update(active=False)
        Election.objects.filter(code=code).update(active=True)
        target.active = True
        # The regions' TPS counts and DPT are the active election's (README, "TPS per
        # election"): recounted over the new election's TPS in the same transaction.
        recount_regions()
        record(
            actor=actor,
            action="election.activate",
            object_type="election",
            object_id=code,
            payload={"from": previous, "to": code},
        )
    return Activation(target, previous, changed=True)
