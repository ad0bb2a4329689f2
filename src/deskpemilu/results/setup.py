"""Loading an election's configuration (contests, parties, dapil, choices) from data, and the
desk's settings of a contest (its verification mode).

Another kota/kabupaten, or a Pilkada, is a different JSON file, not a code change.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from deskpemilu.audit.services import record
from deskpemilu.elections.models import Election, Kind
from deskpemilu.regions.installation import NATION
from deskpemilu.regions.models import Region
from deskpemilu.results import rollups
from deskpemilu.results.contests import clear_cache
from deskpemilu.results.models import (
    Choice,
    Contest,
    Dapil,
    Party,
    Sheet,
    VerificationMode,
)

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


def _choices_for(
    dapil_data: dict[str, Any], kind: str, parties: list[Party]
) -> list[tuple[str, str, int | None, bool]]:
    """(key, label, party number, is_demo) for a dapil's section IV, in ballot order."""
    rows: list[tuple[str, str, int | None, bool]] = []
    if kind == "party":
        per_party = int(dapil_data.get("demo_candidates", 0))
        for party in parties:
            rows.append((str(party.number), party.name, party.number, False))
            for n in range(1, per_party + 1):
                rows.append(
                    (f"{party.number}.{n}", f"Calon {n} {party.abbr} (demo)", party.number, True)
                )
        return rows
    for key, label in dapil_data.get("choices", []):
        rows.append((str(key), label, None, False))
    # Placeholders with a label of the file's own (an example's paslon), marked demo as well.
    for key, label in dapil_data.get("demo_choices", []):
        rows.append((str(key), label, None, True))
    for number in dapil_data.get("demo_numbers", []):
        rows.append((str(number), f"Calon DPD nomor {number} (demo)", None, True))
    return sorted(rows, key=lambda r: int(r[0]))


def election_load(*, actor: User | None, data: dict[str, Any]) -> dict[str, int]:
    """Create what is missing, and bring an existing dapil's area up to the file's (_widen);
    never changes the choices of a contest."""
    counts = {"elections": 0, "parties": 0, "contests": 0, "dapil": 0, "choices": 0, "areas": 0}
    with transaction.atomic():
        election, created = _election_of(data)
        counts["elections"] += int(created)
        for number, abbr, name in data.get("parties", []):
            _, created = Party.objects.get_or_create(
                number=number, defaults={"abbr": abbr, "name": name}
            )
            counts["parties"] += int(created)
        parties = list(Party.objects.order_by("number"))
        for c in data["contests"]:
            contest, created = Contest.objects.get_or_create(
                code=c["code"],
                defaults={
                    "election": election,
                    "name": c["name"],
                    "short_name": c.get("short_name", c["name"]),
                    "kind": c["kind"],
                    "ballot_colour": c.get("ballot_colour", ""),
                    "order": c.get("order", 0),
                    "max_voters_per_tps": c.get("max_voters_per_tps", 300),
                    "threshold_percent": c.get("threshold_percent", 0),
                },
            )
            counts["contests"] += int(created)
            for d in c["dapil"]:
                counts["dapil"] += _load_dapil(contest, d, parties, counts)
        # Every region's empty rollup rows, before any sheet: writes then only lock and update.
        rollups.ensure_rows()
        if any(counts.values()):
            record(
                actor=actor,
                action="election.load",
                object_type="election",
                object_id=str(data.get("name", ""))[:64],
                payload=counts,
            )
    clear_cache()
    return counts


def _election_of(data: dict[str, Any]) -> tuple[Election, bool]:
    """The election a file describes (`election`, `kind`, `date`); a file from before elections
    were data is Pemilu 2024's. A new election starts inactive: the desk opens it."""
    day = date.fromisoformat(str(data.get("date", "2024-02-14")))
    return Election.objects.get_or_create(
        code=str(data.get("election", "pemilu2024")),
        defaults={
            "name": str(data.get("election_name", data.get("name", "")))[:120],
            "kind": str(data.get("kind", Kind.PEMILU)),
            "voting_day": day,
        },
    )


def _load_dapil(
    contest: Contest, d: dict[str, Any], parties: list[Party], counts: dict[str, int]
) -> int:
    """Create a dapil with its choices; for one already there, only bring its area up to the
    file's (see _widen). "0" among the regions is the nation (Dapil.nationwide)."""
    codes = [str(code) for code in d["regions"]]
    nationwide = NATION in codes
    listed = [code for code in codes if code != NATION]
    regions = list(Region.objects.filter(code__in=listed))
    if len(regions) != len(listed):
        raise ValidationError(f"dapil {d['code']}: unknown region in {d['regions']}")
    dapil, created = Dapil.objects.get_or_create(
        contest=contest,
        code=d["code"],
        defaults={
            "name": d["name"],
            "seats": d.get("seats", 0),
            "note": d.get("note", ""),
            "is_inferred": bool(d.get("inferred", False)),
            "nationwide": nationwide,
        },
    )
    if not created:
        counts["areas"] += _widen(dapil, nationwide, regions)
        return 0
    dapil.regions.set(regions)
    rows = _choices_for(d, contest.kind, parties)
    Choice.objects.bulk_create(
        Choice(dapil=dapil, key=key, label=label, party_id=party, order=i, is_demo=demo)
        for i, (key, label, party, demo) in enumerate(rows)
    )
    counts["choices"] += len(rows)
    return 1


def _widen(dapil: Dapil, nationwide: bool, regions: list[Region]) -> int:
    """Give an existing dapil the area its file now lists (a database loaded when ppwp listed
    only Kota Mataram gets the nation on the next `seed_mataram`). Only a wider area once the
    contest has sheets: each region listed before must lie inside the new area, so no stored
    sheet loses its dapil. Returns 1 when the area changed."""
    old = set(dapil.regions.values_list("code", flat=True))
    new = {r.code for r in regions}
    if old == new and dapil.nationwide == nationwide:
        return 0
    inside = nationwide or all(any(code.startswith(n) for n in new) for code in old)
    if not inside and Sheet.objects.filter(contest_id=dapil.contest_id).exists():
        raise ValidationError(
            f"dapil {dapil.contest_id}/{dapil.code}: the file narrows its area "
            f"({sorted(old)} → {sorted(new)}) but the contest has sheets"
        )
    dapil.nationwide = nationwide
    dapil.save(update_fields=["nationwide"])
    dapil.regions.set(regions)
    return 1


CANDIDATE_HEADER = ["kontes", "dapil", "partai", "nomor", "nama"]


def candidates_import(*, actor: User | None, name: str, data: bytes) -> int:
    """Replace a dapil's candidates with the real list (CSV: kontes,dapil,partai,nomor,nama).

    Refused once any sheet of the contest exists: the keys of stored sheets must not change
    meaning under them."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError("Berkas bukan teks UTF-8.") from exc
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if header != CANDIDATE_HEADER:
        raise ValidationError("Header harus persis: " + ",".join(CANDIDATE_HEADER))
    rows: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for line, raw in enumerate(reader, start=2):
        if not any(c.strip() for c in raw):
            continue
        if len(raw) != 5:
            raise ValidationError(f"Baris {line}: harus 5 kolom.")
        contest, dapil, party, number, label = (c.strip() for c in raw)
        if not (number.isdigit() and (party == "" or party.isdigit()) and label):
            raise ValidationError(f"Baris {line}: nomor/partai harus angka, nama wajib.")
        if label.startswith(("=", "+", "-", "@")):
            raise ValidationError(f"Baris {line}, kolom nama: rumus tidak diterima.")
        rows.setdefault((contest, dapil), []).append((party, number, label))
    with transaction.atomic():
        total = 0
        for (contest_code, dapil_code), candidates in rows.items():
            total += _replace_candidates(contest_code, dapil_code, candidates)
        record(
            actor=actor,
            action="candidates.import",
            object_type="candidates",
            object_id=name[:64],
            payload={"rows": total, "dapil": len(rows)},
        )
    clear_cache()
    return total


def _replace_candidates(
    contest_code: str, dapil_code: str, candidates: list[tuple[str, str, str]]
) -> int:
    dapil = (
        Dapil.objects.select_related("contest")
        .filter(contest_id=contest_code, code=dapil_code)
        .first()
    )
    if dapil is None:
        raise ValidationError(f"Dapil {contest_code}/{dapil_code} tidak dikenal.")
    if Sheet.objects.filter(contest_id=contest_code).exists():
        raise ValidationError(
            f"Kontes {contest_code} sudah punya lembar hasil; daftar calon "
            "tidak dapat diganti lagi."
        )
    party_kind = dapil.contest.kind == "party"
    if party_kind:
        dapil.choices.exclude(key__regex=r"^[0-9]+$").delete()
    else:
        dapil.choices.all().delete()
    order_base = 0
    new = []
    for party, number, label in candidates:
        key = f"{party}.{number}" if party_kind else number
        new.append(
            Choice(
                dapil=dapil,
                key=key,
                label=label,
                party_id=int(party) if party_kind else None,
                is_demo=False,
            )
        )
    Choice.objects.bulk_create(new)
    # Keep ballot order: each party's own column, then its candidates by number.
    for i, choice in enumerate(sorted(dapil.choices.all(), key=_ballot_key)):
        Choice.objects.filter(pk=choice.pk).update(order=order_base + i)
    return len(new)


def _ballot_key(choice: Choice) -> tuple[int, int]:
    party, _, number = choice.key.partition(".")
    return int(party), int(number or 0)


MAX_MODE_REASON = 500


@dataclass(frozen=True)
class ModeChange:
    contest: Contest
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def contest_set_verification_mode(
    *, actor: User, contest_code: str, mode: str, reason: str
) -> ModeChange:
    """Set how a contest's sheets are verified: against the photo, or by blind re-entry.

    Admin only; the reason is recorded when given (the page asks for one; the API's contract
    body has only the mode). Takes effect for the next verification: sheets already verified
    stay verified, and a blind mismatch still waits for the supervisor. Choosing the mode the
    contest already has changes and records nothing."""
    if actor.role != "admin":
        raise PermissionDenied
    if mode not in VerificationMode.values:
        raise ValidationError(
            _("Mode verifikasi tidak dikenal: %(mode)s. Pilih salah satu: %(choices)s."),
            code="mode",
            params={"mode": mode[:20], "choices": ", ".join(VerificationMode.values)},
        )
    reason = reason.strip()
    if len(reason) > MAX_MODE_REASON:
        raise ValidationError(
            _("Alasan paling panjang %(n)s karakter."),
            code="reason",
            params={"n": MAX_MODE_REASON},
        )
    with transaction.atomic():
        contest = (
            Contest.objects.select_for_update().filter(code=contest_code, is_active=True).first()
        )
        if contest is None:
            raise ValidationError(
                _("Kontes %(code)s tidak dikenal."),
                code="contest",
                params={"code": contest_code[:20]},
            )
        change = ModeChange(contest, contest.verification_mode, mode)
        if not change.changed:
            return change
        contest.verification_mode = mode
        contest.save(update_fields=["verification_mode"])
        record(
            actor=actor,
            action="contest.verification_mode",
            object_type="contest",
            object_id=contest.code,
            payload={"old": change.old, "new": mode, "reason": reason},
        )
    # This process at once; the others read the mode afresh where it decides anything
    # (contests.contest_info_fresh).
    clear_cache()
    return change
