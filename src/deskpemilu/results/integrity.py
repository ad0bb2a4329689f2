"""What `verify_audit` checks in the results besides the hash chain: that the numbers of every
version are the ones its audit entry recorded, that each sheet's state follows from its
verifications (and those from their audit entries), and that the rollups are the sums of the
counted versions (`rollups.check_rollups`, the same check as `check_recap`).

Versions and verifications are append-only in the database (results/0003); these checks catch
someone who went around the triggers. Each reads every row once, in chunks.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from deskpemilu.audit.models import AuditEntry
from deskpemilu.results.digest import CONTENT_KEY, NUMBERS_KEY, content_digest, numbers_hash
from deskpemilu.results.models import (
    Sheet,
    SheetStatus,
    SheetVersion,
    Verification,
    VerificationOutcome,
)

CHUNK = 5000
# The audit actions that make a version and record its hash (sheet.resolve only when it stored
# the re-entry; sheet.generate: the synthetic national dataset).
VERSION_ACTIONS = ("sheet.submit", "sheet.resolve", "sheet.generate")
# The audit actions that write a Verification row, and the outcome each row has.
VERIFICATION_ACTIONS = ("sheet.verify", "sheet.resolve", "sheet.return", "sheet.generate")
# What status the latest verification of the current version allows (a photo added after a
# verification sends a verified sheet back to "entered").
ALLOWED_STATUS: dict[str | None, set[str]] = {
    None: {SheetStatus.ENTERED},
    VerificationOutcome.MATCH: {SheetStatus.VERIFIED, SheetStatus.ENTERED},
    VerificationOutcome.RESOLVED: {SheetStatus.VERIFIED, SheetStatus.ENTERED},
    VerificationOutcome.MISMATCH: {SheetStatus.MISMATCH},
    VerificationOutcome.RETURNED: {SheetStatus.RETURNED},
}


def _name(object_id: str, number: Any) -> str:
    contest, _, tps = object_id.partition("/")
    return f"{contest} TPS {tps} versi {number}"


def _recorded_hashes() -> dict[tuple[str, int], tuple[int, str | None, str | None]]:
    """(contest/tps, version) → (audit seq, content hash, numbers-only hash) as recorded."""
    recorded: dict[tuple[str, int], tuple[int, str | None, str | None]] = {}
    rows = AuditEntry.objects.filter(object_type="sheet", action__in=VERSION_ACTIONS)
    for seq, object_id, payload in rows.values_list("seq", "object_id", "payload").iterator(
        chunk_size=CHUNK
    ):
        content, numbers = payload.get(CONTENT_KEY), payload.get(NUMBERS_KEY)
        if (content or numbers) and "version" in payload:
            recorded[(object_id, int(payload["version"]))] = (seq, content, numbers)
    return recorded


def check_versions() -> tuple[int, list[str]]:
    """(versions checked, problems): every version's numbers against its audit entry's hash.

    An entry written before content hashes existed holds only the numbers-only hash: that is
    checked instead (it still covers every number, not the author or the confirmation)."""
    recorded = _recorded_hashes()
    problems: list[str] = []
    count = 0
    rows = SheetVersion.objects.order_by("pk").values_list(
        "sheet__contest_id",
        "sheet__tps_id",
        "number",
        "administrasi",
        "suara",
        "confirmed_inconsistent",
        "catatan",
        "author_id",
        "request_sha256",
    )
    for contest, tps, number, adm, suara, confirmed, catatan, author, request in rows.iterator(
        chunk_size=CHUNK
    ):
        count += 1
        object_id = f"{contest}/{tps}"
        entry = recorded.pop((object_id, number), None)
        if entry is None:
            problems.append(f"{_name(object_id, number)}: no audit entry records this version")
            continue
        seq, content, numbers = entry
        if content:
            fresh = content_digest(
                contest=contest,
                tps=tps,
                number=number,
                administrasi=adm,
                suara=suara,
                confirmed=confirmed,
                catatan=catatan,
                author_id=author,
                request_sha256=request,
            )
            same = fresh == content
        else:
            same = numbers_hash(adm, suara) == numbers
        if not same:
            problems.append(
                f"{_name(object_id, number)}: changed since audit entry #{seq} recorded it"
            )
    for (object_id, number), (seq, _c, _n) in sorted(recorded.items()):
        problems.append(f"{_name(object_id, number)}: recorded by audit entry #{seq}, missing")
    return count, problems


def _audited_verifications() -> Counter[tuple[str, int, str]]:
    """(contest/tps, version, outcome) of every verification the audit log recorded."""
    counted: Counter[tuple[str, int, str]] = Counter()
    rows = AuditEntry.objects.filter(object_type="sheet", action__in=VERIFICATION_ACTIONS)
    for action, object_id, payload in rows.values_list("action", "object_id", "payload").iterator(
        chunk_size=CHUNK
    ):
        if "version" not in payload:
            continue
        if action == "sheet.verify":
            outcome = payload.get("outcome")
        elif action == "sheet.resolve":
            outcome = VerificationOutcome.RESOLVED
        elif action == "sheet.return":
            outcome = VerificationOutcome.RETURNED
        else:
            outcome = payload.get("verification")
        if outcome:
            counted[(object_id, int(payload["version"]), str(outcome))] += 1
    return counted


def check_states() -> tuple[int, list[str]]:
    """(sheets checked, problems): each verification has its audit entry and each sheet's
    status is one its current version's latest verification allows."""
    problems: list[str] = []
    audited = _audited_verifications()
    stored: Counter[tuple[str, int, str]] = Counter()
    latest: dict[int, str] = {}  # version id → outcome of its latest verification
    rows = Verification.objects.order_by("at", "pk").values_list(
        "version_id", "version__sheet__contest_id", "version__sheet__tps_id", "version__number",
        "outcome", "verifier_id", "version__author_id",
    )  # fmt: skip
    for version_id, contest, tps, number, outcome, verifier, author in rows.iterator(
        chunk_size=CHUNK
    ):
        stored[(f"{contest}/{tps}", number, outcome)] += 1
        latest[version_id] = outcome
        if verifier == author:
            problems.append(f"{_name(f'{contest}/{tps}', number)}: verified by its own author")
    for (object_id, number, outcome), n in sorted((stored - audited).items()):
        problems.append(f"{_name(object_id, number)}: {n} '{outcome}' verification(s) not audited")
    for (object_id, number, outcome), n in sorted((audited - stored).items()):
        problems.append(
            f"{_name(object_id, number)}: {n} audited '{outcome}' verification(s) missing"
        )
    count = 0
    sheets = Sheet.objects.exclude(current=None).values_list(
        "contest_id", "tps_id", "current_id", "current__number", "status"
    )
    for contest, tps, current_id, number, status in sheets.iterator(chunk_size=CHUNK):
        count += 1
        last = latest.get(current_id)
        if status not in ALLOWED_STATUS.get(last, set()):
            problems.append(
                f"{_name(f'{contest}/{tps}', number)}: sheet is '{status}' but its latest"
                f" verification is {last or 'none'}"
            )
    return count, problems
