"""Who may do what to one sheet, now: the one rule the services enforce (to refuse) and the pages
ask (to show only the buttons the service would accept).

Pure: the actor, the sheet's status, its current version and what the contest's mode asks of it
go in; the refusal (a tally `Problem`, whose status is `STATUS[code]`) or None comes out. Seeing
a sheet is the access helpers' question (scope) and counting's (its numbers); this is about
acting on one already seen. What a request adds (the version it names, a reason, a body) stays
with the service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deskpemilu.accounts.models import Role
from deskpemilu.results.models import SheetStatus
from deskpemilu.tally.codes import Problem

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User as Actor
    from deskpemilu.results.models import SheetVersion as Version

# The one definition of who types results and who checks them; everything else imports these.
ENTERING_ROLES = frozenset({Role.OPERATOR.value, Role.ADMIN.value})
VERIFYING_ROLES = frozenset({Role.VERIFIER.value, Role.ADMIN.value})
# Who settles a blind mismatch: the desk.
SUPERVISING_ROLES = frozenset({Role.ADMIN.value})

# The HTTP status of each refusal these rules give, the same from every door.
STATUS = {
    "bukan_pengentri": 403,
    "bukan_verifikator": 403,
    "terkunci": 409,
    "versi_bukan_terkini": 409,
    "verifikator_sama_dengan_pengentri": 409,
    "sudah_terverifikasi": 409,
    "menunggu_supervisor": 409,
    "sudah_dikembalikan": 409,
    "supervisor_terlibat": 409,
    "foto_wajib": 422,
}


def entering(actor: Actor) -> Problem | None:
    """May type results at all (inside their scope)."""
    if actor.role not in ENTERING_ROLES:
        return Problem("bukan_pengentri")
    return None


def verifying(actor: Actor) -> Problem | None:
    """May check results at all (inside their scope)."""
    if actor.role not in VERIFYING_ROLES:
        return Problem("bukan_verifikator")
    return None


def supervising(actor: Actor) -> Problem | None:
    """May settle a blind mismatch at all."""
    if actor.role not in SUPERVISING_ROLES:
        return Problem("bukan_verifikator")
    return None


def enter_refusal(actor: Actor, status: str | None) -> Problem | None:
    """Store a version (a first entry or a correction). A verified sheet is locked for all but
    the desk, who must give a reason (the service asks for it)."""
    if problem := entering(actor):
        return problem
    if status == SheetStatus.VERIFIED and actor.role != Role.ADMIN:
        return Problem("terkunci")
    return None


def verify_refusal(
    actor: Actor, status: str, current: Version | None, *, photo_check: bool, has_photos: bool
) -> Problem | None:
    """The second person's check of the current version. `photo_check`: checked against the
    photo (not by a blind re-entry), which needs a photo of the form on the version.

    `sudah_terverifikasi` is no error to the service: a repeated check answers the first one's
    success; to a page it means there is nothing left to check."""
    if problem := verifying(actor):
        return problem
    if current is None:
        return Problem("versi_bukan_terkini", "version")
    if current.author_id == actor.pk:
        return Problem("verifikator_sama_dengan_pengentri")
    if status == SheetStatus.VERIFIED:
        return Problem("sudah_terverifikasi")
    if status == SheetStatus.MISMATCH:
        # Only a supervisor settles it: retrying until the fields match would defeat it.
        return Problem("menunggu_supervisor")
    if status == SheetStatus.RETURNED:
        return Problem("sudah_dikembalikan")
    if photo_check and not has_photos:
        return Problem("foto_wajib", "foto")
    return None


def return_refusal(actor: Actor, status: str, current: Version | None) -> Problem | None:
    """Send the current version back to its operator (from any state but returned)."""
    if problem := verifying(actor):
        return problem
    if current is None:
        return Problem("versi_bukan_terkini", "version")
    if current.author_id == actor.pk:
        return Problem("verifikator_sama_dengan_pengentri")
    if status == SheetStatus.RETURNED:
        return Problem("sudah_dikembalikan")
    return None


def resolve_refusal(
    actor: Actor, status: str, current: Version | None, reentrant_id: int | None
) -> Problem | None:
    """Settle a blind mismatch: by a third person, neither the first entrant nor the re-entrant
    (`reentrant_id`, the verifier of the re-entry that disagreed)."""
    if problem := supervising(actor):
        return problem
    if status != SheetStatus.MISMATCH or current is None:
        return Problem("versi_bukan_terkini", "status")
    if actor.pk in (current.author_id, reentrant_id):
        return Problem("supervisor_terlibat")
    return None
