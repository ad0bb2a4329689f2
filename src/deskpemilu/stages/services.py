"""Every write of the stage calendar: a stage's status in a kecamatan, and the desk's changes to
a stage (dates, followed or not). One transaction each, with its audit entry."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from deskpemilu.accounts.models import User
from deskpemilu.audit.services import record
from deskpemilu.core.errors import Refusal
from deskpemilu.elections.entry import ElectionClosed
from deskpemilu.elections.models import Election
from deskpemilu.regions.models import Region
from deskpemilu.stages.access import manages_stages, updates_stages, writable_kecamatan
from deskpemilu.stages.models import Stage, StageStatus, StageUpdate, State

MAX_NOTE = 500
YEARS = range(2000, 2101)


class StageError(Refusal):
    """A refusal: an HTTP-like status, a stable code, a message, the field it concerns."""


def _refuse_closed(stage: Stage) -> None:
    """Only the active election's calendar is kept: another election's stages are read-only
    (409 `pemilihan_tidak_aktif`, as results). Read in the transaction, after any lock."""
    if not Election.objects.filter(pk=stage.election_id, active=True).exists():
        raise ElectionClosed


def stage_status_set(
    *, actor: User, stage: Stage, kecamatan: Region, status: str, note: str = ""
) -> StageStatus:
    """Set the status of `stage` in `kecamatan`; the history keeps every change."""
    if not updates_stages(actor):
        raise StageError(403, "tidak_berhak", "Hanya desk dan camat yang memperbarui tahapan.")
    if not writable_kecamatan(actor).filter(code=kecamatan.code).exists():
        raise StageError(404, "not_found", "Kecamatan tidak ditemukan.", "kecamatan_code")
    if not stage.active and not manages_stages(actor):
        raise StageError(404, "not_found", "Tahapan tidak ditemukan.")
    if status not in State.values:
        raise StageError(422, "status_tidak_dikenal", "Status tidak dikenal.", "status")
    note = (note or "").strip()
    if "\x00" in note:  # PostgreSQL cannot store it; no person types it
        raise StageError(422, "karakter_tidak_sah", "Karakter tidak sah.", "note")
    if len(note) > MAX_NOTE:
        raise StageError(422, "terlalu_panjang", f"Paling banyak {MAX_NOTE} karakter.", "note")
    if status == State.BERMASALAH and not note:
        raise StageError(422, "catatan_wajib", "Jelaskan masalahnya di catatan.", "note")
    now = timezone.now()
    with transaction.atomic():
        _refuse_closed(stage)
        current, _ = StageStatus.objects.select_for_update().get_or_create(
            stage=stage, kecamatan=kecamatan
        )
        previous = current.status
        StageUpdate.objects.create(
            stage=stage,
            kecamatan=kecamatan,
            status=status,
            note=note,
            at=now,
            actor=actor,
            actor_name=actor.get_username(),
        )
        current.status = status
        current.note = note
        current.updated_at = now
        current.updated_by = actor
        current.save()
        record(
            actor=actor,
            action="stage.status",
            object_type="stage",
            object_id=f"{stage.code}/{kecamatan.code}",
            payload={"from": previous, "status": status, "note": note},
        )
    return current


def stage_change(
    *, actor: User, stage: Stage, starts_on: date, ends_on: date, active: bool
) -> Stage:
    """The desk corrects a stage's dates (to the KPU's decisions) or starts/stops following it;
    only a stage of the active election."""
    if not manages_stages(actor):
        raise StageError(403, "tidak_berhak", "Hanya desk yang mengubah tahapan.")
    if starts_on.year not in YEARS or ends_on.year not in YEARS:
        raise StageError(422, "tanggal_di_luar_rentang", "Tahun harus 2000–2100.", "starts_on")
    if ends_on < starts_on:
        raise StageError(
            422, "rentang_terbalik", "Tanggal selesai sebelum tanggal mulai.", "ends_on"
        )
    with transaction.atomic():
        locked = Stage.objects.select_for_update().get(pk=stage.pk)
        _refuse_closed(locked)
        before = {"starts_on": locked.starts_on, "ends_on": locked.ends_on, "active": locked.active}
        locked.starts_on, locked.ends_on, locked.active = starts_on, ends_on, active
        locked.save(update_fields=["starts_on", "ends_on", "active"])
        record(
            actor=actor,
            action="stage.change",
            object_type="stage",
            object_id=locked.code,
            payload={
                "election": locked.election_id,
                "before": before,
                "after": {"starts_on": starts_on, "ends_on": ends_on, "active": active},
            },
        )
    return locked
