"""Writes of the portal app: the desk's switch for /publik/, and imports of Sirekap files.
Each in one transaction with its audit entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from deskpemilu.audit.services import record
from deskpemilu.portal.models import PortalSetting, SirekapImport, SirekapTps
from deskpemilu.portal.sirekap import PPWP_CHART_IDS, Reading, Record, SirekapError, read_files
from deskpemilu.regions.models import Tps, tps_key
from deskpemilu.results.contests import ContestInfo, dapil_for

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

ENABLED_CACHE_KEY = "portal:enabled"


def portal_set(*, actor: User, enabled: bool) -> PortalSetting:
    """Turn the public portal on or off (the environment's switch still wins when on)."""
    with transaction.atomic():
        setting, _ = PortalSetting.objects.select_for_update().get_or_create(id=1)
        was = setting.enabled
        setting.enabled = enabled
        setting.updated_at = timezone.now()
        setting.updated_by = actor
        setting.save()
        record(
            actor=actor,
            action="portal.on" if enabled else "portal.off",
            object_type="portal",
            object_id="1",
            payload={"enabled": enabled, "was": was},
        )
    cache.delete(ENABLED_CACHE_KEY)
    return setting


@dataclass(frozen=True)
class ImportResult:
    batch: SirekapImport
    reading: Reading


def _choice_keys(contest: ContestInfo) -> Callable[[str], set[str] | None]:
    """The choices a TPS's file may carry (those of its dapil); None for a TPS we do not know."""
    # The TPS of the contest's election (README, "TPS per election").
    known = set(Tps.every.filter(election_id=contest.election).values_list("code", flat=True))

    def keys(code: str) -> set[str] | None:
        if tps_key(code, contest.election) not in known:
            return None
        dapil = dapil_for(contest, code)
        return set(dapil.keys) if dapil is not None else set()

    return keys


def _make_current(batch: SirekapImport, records: Sequence[Record], election: str) -> None:
    """Store the batch's TPS rows as the current ones, the earlier rows of those TPS no longer.
    KPU's files name a TPS by its 13-digit code: it is the TPS of the contest's election."""
    codes = [tps_key(r.tps, election) for r in records]
    for start in range(0, len(codes), 500):
        SirekapTps.objects.filter(
            contest_id=batch.contest_id, is_current=True, tps_id__in=codes[start : start + 500]
        ).update(is_current=False)
    SirekapTps.objects.bulk_create(
        [
            SirekapTps(
                batch=batch,
                contest_id=batch.contest_id,
                tps_id=tps_key(r.tps, election),
                administrasi=r.administrasi,
                suara=r.suara,
                published_at=r.published_at,
                images=r.images,
                sha256=r.sha256,
                is_current=True,
            )
            for r in records
        ],
        batch_size=500,
    )


def sirekap_import(
    *,
    actor: User | None,
    contest: ContestInfo,
    files: Iterable[tuple[str, bytes]],
    source: str,
    mapping: Mapping[str, str] = PPWP_CHART_IDS,
) -> ImportResult:
    """Read Sirekap files and store every readable TPS; the files that cannot be read are kept
    as problems of the import (KPU's data is not ours to refuse wholesale). A TPS imported again
    replaces its earlier row as the current one. No file at all: SirekapError."""
    reading = read_files(files, choice_keys=_choice_keys(contest), mapping=mapping)
    if reading.files == 0:
        raise SirekapError("tidak ada berkas .json untuk diimpor")
    now = timezone.now()
    with transaction.atomic():
        batch = SirekapImport.objects.create(
            contest_id=contest.code,
            imported_at=now,
            imported_by=actor,
            source=source[:200],
            sha256=reading.sha256,
            files=reading.files,
            tps_count=len(reading.records),
            empty=len(reading.empty),
            problems=[p.as_dict() for p in reading.problems[:1000]],
            mapping=dict(mapping),
        )
        _make_current(batch, reading.records, contest.election)
        record(
            actor=actor,
            action="sirekap.import",
            object_type="sirekap_import",
            object_id=batch.pk,
            payload={
                "contest": contest.code,
                "source": source[:200],
                "files": reading.files,
                "tps": len(reading.records),
                "empty": len(reading.empty),
                "problems": len(reading.problems),
                "sha256": reading.sha256,
                "mapping": dict(mapping),
            },
            actor_name="" if actor is not None else "command:import_sirekap",
        )
    return ImportResult(batch, reading)
