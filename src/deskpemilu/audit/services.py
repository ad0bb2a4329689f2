"""The one function that writes the audit log, and the check that reads it back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from deskpemilu.audit.chain import GENESIS_HASH, entry_hash
from deskpemilu.audit.models import AuditEntry, AuditHead
from deskpemilu.core import rows
from deskpemilu.core.heads import head_text

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    # Dates, decimals and UUIDs become strings exactly as they will be read back.
    result: dict[str, Any] = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    return result


@dataclass(frozen=True)
class Pending:
    """One entry to append: what `record` takes, to be appended with others in one go."""

    actor: User | None
    action: str
    object_type: str = ""
    object_id: str | int = ""
    payload: dict[str, Any] | None = None
    actor_name: str = ""


def record(
    *,
    actor: User | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    payload: dict[str, Any] | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the change it records."""
    return append([Pending(actor, action, object_type, object_id, payload, actor_name)])[0]


def append(pending: Sequence[Pending]) -> list[AuditEntry]:
    """Append entries in order, chained, with the head locked and moved once: the re-flags a
    sheet write causes go in with one lock and three statements, not three each. Must run
    inside the transaction of the change they record."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    if not pending:
        return []
    head = _locked_head()
    if head is None:  # the very first entry: make the head row, then lock it
        AuditHead.objects.bulk_create(
            [AuditHead(id=1, seq=0, hash=GENESIS_HASH)], ignore_conflicts=True
        )
        head = _locked_head()
        assert head is not None
    seq, prev = head
    at = datetime.now(UTC)
    entries = []
    for item in pending:
        seq += 1
        entry = _chained(item, seq=seq, prev=prev, at=at)
        entries.append(entry)
        prev = entry.hash
    rows.insert_many(entries)
    move_head = f"UPDATE {_HEAD_TABLE} SET seq = %s, hash = %s WHERE id = 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(move_head, [seq, prev])
    return entries


def _chained(item: Pending, *, seq: int, prev: str, at: datetime) -> AuditEntry:
    name = item.actor_name or (item.actor.get_username() if item.actor is not None else "")
    data = _jsonable(item.payload or {})
    digest = entry_hash(
        prev_hash=prev,
        seq=seq,
        at=at,
        actor_name=name,
        action=item.action,
        object_type=item.object_type,
        object_id=str(item.object_id),
        payload=data,
    )
    return AuditEntry(
        seq=seq,
        at=at,
        actor=item.actor,
        actor_name=name,
        action=item.action,
        object_type=item.object_type,
        object_id=str(item.object_id),
        payload=data,
        prev_hash=prev,
        hash=digest,
    )


def record_many(
    *, actor: User | None, actor_name: str, entries: Iterable[tuple[str, str, str, dict[str, Any]]]
) -> int:
    """Append many entries (action, object type, object id, payload) of one actor at once, for
    bulk loads (the synthetic national dataset): `append`, after an entry of its own that says
    a batch follows."""
    batch = [Pending(actor, *entry, actor_name=actor_name) for entry in entries]
    header = Pending(actor, "audit.batch", payload={"entries": len(batch)}, actor_name=actor_name)
    return len(append([header, *batch])) - 1


# Every write of the desk passes here, so the head is read and moved with plain SQL: the ORM's
# query building cost more than the statements themselves. The table name is the model's own.
_HEAD_TABLE = AuditHead._meta.db_table


def _locked_head() -> tuple[int, str] | None:
    """The head row, locked until the transaction ends (SQLite: the whole database already is)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {_HEAD_TABLE} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""


def head() -> tuple[int, str]:
    row = AuditHead.objects.filter(id=1).first()
    if row is None:
        return 0, GENESIS_HASH
    return row.seq, row.hash


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; the first entry that does not fit is reported."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    rows = AuditEntry.objects.order_by("seq").values_list(
        "seq",
        "at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "payload",
        "prev_hash",
        "hash",
    )
    for (
        seq,
        at,
        actor_name,
        action,
        object_type,
        object_id,
        payload,
        stored_prev,
        stored,
    ) in rows.iterator(chunk_size=batch_size):
        if seq != expected_seq:
            return ChainReport(False, count, prev_hash, expected_seq, "entry missing or reordered")
        if stored_prev != prev_hash:
            return ChainReport(False, count, prev_hash, seq, "previous hash does not match")
        digest = entry_hash(
            prev_hash=prev_hash,
            seq=seq,
            at=at.astimezone(UTC),
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            payload=payload,
        )
        if digest != stored:
            return ChainReport(False, count, prev_hash, seq, "content changed")
        prev_hash = stored
        expected_seq += 1
        count += 1
    head_seq, head_hash = head()
    if head_seq != count or head_hash != prev_hash:
        return ChainReport(False, count, prev_hash, count + 1, "entries after the last one missing")
    return ChainReport(True, count, prev_hash)


def current_head_text() -> str:
    """The head as printed everywhere: `N:HASH`."""
    return head_text(*head())


def check_checkpoint(seq: int, digest: str) -> str:
    """'' when entry `seq` has hash `digest`, else what is wrong: a head published earlier
    catches a chain rewritten from an older entry on, which the chain alone cannot."""
    if seq == 0:
        return "" if digest == GENESIS_HASH else f"checkpoint {head_text(seq, digest)}: not genesis"
    stored = AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first()
    if stored is None:
        return f"checkpoint {head_text(seq, digest)}: entry {seq} does not exist"
    if stored != digest:
        return f"checkpoint {head_text(seq, digest)}: entry {seq} now has hash {stored}"
    return ""
