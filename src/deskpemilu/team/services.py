"""What the writes of the desk's own work share (the refusal, the checks of text, identifiers
and years), and the audited exports. The writes live by concern: team.members (members and the
duty roster), team.meetings (meetings and their action items).

Each write runs in one transaction with its audit entry. Identifiers (agency slugs, shift codes,
member ids) are resolved here, so the page and the API refuse bad input with the same codes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from deskpemilu.accounts.models import Agency, User
from deskpemilu.audit.services import head as audit_head
from deskpemilu.audit.services import record
from deskpemilu.core.errors import Refusal
from deskpemilu.core.text import storable
from deskpemilu.team import documents
from deskpemilu.team.access import manages_team
from deskpemilu.team.models import (
    ActionItem,
    Meeting,
    TeamMember,
)
from deskpemilu.team.selectors import meeting_detail as meeting_parts
from deskpemilu.team.selectors import roster

MAX_NAME = 150
MAX_TITLE = 200
MAX_TEXT = 1000
MAX_NOTE = 2000
MAX_POINT = 500
MAX_POINTS = 50
MAX_ACTIONS = 50
MAX_ATTENDEES = 200
MAX_ID = 2**63 - 1
# The years a desk may plan in; anything else is a typo (and 9999 overflows when made UTC).
YEARS = range(2000, 2101)
PHONE = re.compile(r"^[0-9+()\- .]{0,30}$")


class TeamError(Refusal):
    """A refusal: an HTTP-like status, a stable code, a message, the field it concerns."""


def require_manager(actor: User) -> None:
    if not manages_team(actor):
        raise TeamError(403, "bukan_admin_desk", "Hanya admin desk yang dapat mengubah ini.")


def refuse_unstorable(text: str, field: str) -> None:
    # A NUL character or a lone surrogate: no database stores it; no person types one.
    if not storable(text):
        raise TeamError(422, "karakter_tidak_sah", "Mengandung karakter yang tidak sah.", field)


def clean_text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    refuse_unstorable(text, field)
    if required and not text:
        raise TeamError(422, "wajib_diisi", "Wajib diisi.", field)
    if len(text) > limit:
        raise TeamError(422, "terlalu_panjang", f"Paling banyak {limit} karakter.", field)
    return text


def agency_by_slug(slug: str, field: str) -> Agency:
    slug = (slug or "").strip()
    # Not compared when unstorable: PostgreSQL refuses a NUL even in a WHERE clause.
    agency = Agency.objects.filter(slug=slug).first() if storable(slug) else None
    if agency is None:
        raise TeamError(422, "instansi_tidak_dikenal", "Instansi tidak dikenal.", field)
    return agency


def id_ok(value: int) -> bool:
    # Beyond a 64-bit key no row exists, and some databases refuse to even compare it.
    return 0 < value <= MAX_ID


def member_by_id(member_id: int | None, field: str) -> TeamMember | None:
    if member_id is None:
        return None
    member = TeamMember.objects.filter(pk=member_id).first() if id_ok(member_id) else None
    if member is None:
        raise TeamError(422, "anggota_tidak_dikenal", "Anggota tim tidak dikenal.", field)
    return member


def check_year(value: date, field: str) -> None:
    if value.year not in YEARS:
        raise TeamError(422, "tanggal_di_luar_rentang", "Tahun harus 2000–2100.", field)


# --- Exports (each recorded in the audit log, with the chain's head printed in the file) ------


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes
    sha256: str


def _export(
    *,
    actor: User,
    action: str,
    object_id: str | int,
    filename: str,
    content_type: str,
    content: bytes,
    payload: dict[str, object],
) -> ExportFile:
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        record(
            actor=actor,
            action=action,
            object_type="export",
            object_id=object_id,
            payload={**payload, "sha256": digest, "bytes": len(content)},
        )
    return ExportFile(filename, content_type, content, digest)


def minutes_export(*, actor: User, meeting: Meeting) -> ExportFile:
    """The meeting's minutes as a PDF. The caller has checked that `actor` may read it."""
    attendees, actions = meeting_parts(meeting)
    # Read before the entry is written: the head just before this export is the witness.
    seq, head_hash = audit_head()
    content = documents.minutes_pdf(
        meeting, attendees, actions, audit_seq=seq, audit_head=head_hash
    )
    return _export(
        actor=actor,
        action="meeting.minutes",
        object_id=meeting.pk,
        filename=f"notulen-rapat-{meeting.pk}-{timezone.localtime(meeting.held_at):%Y%m%d}.pdf",
        content_type="application/pdf",
        content=content,
        payload={"meeting": meeting.pk, "audit_seq_in_file": seq},
    )


def roster_export(*, actor: User, start: date, end: date) -> ExportFile:
    days = roster(start, end)
    seq, head_hash = audit_head()
    content = documents.roster_xlsx(days, audit_seq=seq, audit_head=head_hash)
    return _export(
        actor=actor,
        action="team.roster.export",
        object_id=f"{days[0].date}/{days[-1].date}",
        filename=f"jadwal-piket-{days[0].date:%Y%m%d}-{days[-1].date:%Y%m%d}.xlsx",
        content_type=documents.XLSX_TYPE,
        content=content,
        payload={"from": days[0].date, "to": days[-1].date, "audit_seq_in_file": seq},
    )


def actions_export(*, actor: User, actions: Sequence[ActionItem]) -> ExportFile:
    """The action items the caller selected (already scoped to what `actor` may see)."""
    seq, head_hash = audit_head()
    content = documents.actions_xlsx(actions, audit_seq=seq, audit_head=head_hash)
    return _export(
        actor=actor,
        action="action.export",
        object_id=len(actions),
        filename=f"tindak-lanjut-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        content_type=documents.XLSX_TYPE,
        content=content,
        payload={"rows": len(actions), "audit_seq_in_file": seq},
    )
