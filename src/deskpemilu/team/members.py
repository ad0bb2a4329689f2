"""The members of the Tim Desk and their duties at the Posko (the roster), each write in one
transaction with its audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from deskpemilu.accounts.models import Agency, User
from deskpemilu.audit.services import record
from deskpemilu.core.text import storable
from deskpemilu.team.models import (
    DutyAssignment,
    Shift,
    TeamMember,
    TeamRole,
)
from deskpemilu.team.services import (
    MAX_NAME,
    PHONE,
    TeamError,
    agency_by_slug,
    check_year,
    clean_text,
    member_by_id,
    refuse_unstorable,
    require_manager,
)


@dataclass(frozen=True)
class MemberInput:
    name: str
    agency: str  # slug
    team_role: str = TeamRole.ANGGOTA
    bidang: str = ""
    phone: str = ""
    email: str = ""
    active: bool = True
    username: str = ""  # the linked account, if any


def _check_member(data: MemberInput, member: TeamMember | None) -> tuple[Agency, User | None]:
    agency = agency_by_slug(data.agency, "agency")
    if data.team_role not in TeamRole.values:
        raise TeamError(422, "peran_tidak_dikenal", "Peran dalam tim tidak dikenal.", "team_role")
    refuse_unstorable(data.email + data.username, "username" if storable(data.email) else "email")
    if not PHONE.match(data.phone.strip()):
        raise TeamError(422, "telepon_tidak_valid", "Nomor telepon tidak valid.", "phone")
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except ValidationError:
            raise TeamError(
                422, "surel_tidak_valid", "Alamat surel tidak valid.", "email"
            ) from None
    user = None
    if data.username.strip():
        user = User.objects.filter(username=data.username.strip()).first()
        if user is None:
            raise TeamError(422, "akun_tidak_dikenal", "Akun tidak dikenal.", "username")
        taken = TeamMember.objects.filter(user=user)
        if member is not None:
            taken = taken.exclude(pk=member.pk)
        if taken.exists():
            raise TeamError(
                409, "akun_sudah_terhubung", "Akun ini sudah milik anggota lain.", "username"
            )
    return agency, user


def member_save(*, actor: User, data: MemberInput, member: TeamMember | None = None) -> TeamMember:
    """Create a team member (member=None) or update one."""
    require_manager(actor)
    name = clean_text(data.name, field="name", limit=MAX_NAME)
    bidang = clean_text(data.bidang, field="bidang", limit=100, required=False)
    agency, user = _check_member(data, member)
    with transaction.atomic():
        created = member is None
        target = (
            TeamMember()
            if member is None
            else TeamMember.objects.select_for_update().get(pk=member.pk)
        )
        target.name = name
        target.agency = agency
        target.team_role = data.team_role
        target.bidang = bidang
        target.phone = data.phone.strip()
        target.email = data.email.strip()
        target.active = data.active
        target.user = user
        target.save()
        record(
            actor=actor,
            action="team.member.create" if created else "team.member.update",
            object_type="team_member",
            object_id=target.pk,
            payload={
                "name": name,
                "agency": agency.slug,
                "team_role": data.team_role,
                "active": data.active,
                "username": user.username if user else "",
            },
        )
    return target


# --- The duty roster -------------------------------------------------------------------------


def duty_assign(
    *, actor: User, day: date, shift_code: str, member_id: int, note: str = ""
) -> DutyAssignment:
    """Put a member on duty at the Posko for one shift of one day."""
    require_manager(actor)
    check_year(day, "date")
    known = storable(shift_code)
    shift = Shift.objects.filter(code=shift_code, active=True).first() if known else None
    if shift is None:
        raise TeamError(422, "sif_tidak_dikenal", "Sif tidak dikenal.", "shift")
    member = member_by_id(member_id, "member")
    assert member is not None
    if not member.active:
        raise TeamError(422, "anggota_nonaktif", "Anggota ini tidak aktif.", "member")
    note = clean_text(note, field="note", limit=200, required=False)
    with transaction.atomic():
        if DutyAssignment.objects.filter(date=day, shift=shift, member=member).exists():
            raise TeamError(409, "sudah_terjadwal", "Anggota ini sudah dijadwalkan pada sif itu.")
        assignment = DutyAssignment.objects.create(
            date=day, shift=shift, member=member, note=note, created_by=actor
        )
        record(
            actor=actor,
            action="team.duty.assign",
            object_type="duty",
            object_id=assignment.pk,
            payload={"date": day, "shift": shift.code, "member": member.pk, "name": member.name},
        )
    return assignment


def duty_remove(*, actor: User, assignment: DutyAssignment) -> None:
    require_manager(actor)
    with transaction.atomic():
        payload = {
            "date": assignment.date,
            "shift": assignment.shift.code,
            "member": assignment.member_id,
            "name": assignment.member.name,
        }
        deleted, _ = DutyAssignment.objects.filter(pk=assignment.pk).delete()
        if not deleted:
            raise TeamError(404, "tidak_ditemukan", "Jadwal tidak ditemukan.")
        record(
            actor=actor,
            action="team.duty.remove",
            object_type="duty",
            object_id=assignment.pk,
            payload=payload,
        )


def demo_clear(*, actor: User) -> dict[str, int]:
    """Remove the demo roster and retire the demo members (they stay in past meetings)."""
    require_manager(actor)
    with transaction.atomic():
        duties, _ = DutyAssignment.objects.filter(is_demo=True).delete()
        members = TeamMember.objects.filter(is_demo=True, active=True).update(active=False)
        counts = {"duties": duties, "members": members}
        record(actor=actor, action="team.demo.clear", object_type="team", payload=counts)
    return counts
