"""The audit log: append-only in the database, and a hash chain that catches direct tampering."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from deskpemilu.audit.models import AuditEntry
from deskpemilu.audit.services import record, verify_chain

TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER audit_entry_no_update",
        "DROP TRIGGER audit_entry_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER audit_entry_no_change ON audit_auditentry",
        "DROP TRIGGER audit_entry_no_truncate ON audit_auditentry",
    ],
}


def write_entries(n: int) -> list[AuditEntry]:
    with transaction.atomic():
        return [
            record(
                actor=None,
                action="test.write",
                object_type="thing",
                object_id=i,
                payload={"i": i, "text": "Ampenan Selatan"},
            )
            for i in range(n)
        ]


def drop_triggers() -> None:
    """What someone with direct database access could do."""
    with connection.cursor() as cursor:
        for sql in TRIGGERS[connection.vendor]:
            cursor.execute(sql)


def verify_output(capsys: pytest.CaptureFixture[str]) -> str:
    call_command("verify_audit")
    return capsys.readouterr().out.strip().splitlines()[0]


@pytest.mark.django_db
def test_it_chains_entries_and_verifies(capsys: pytest.CaptureFixture[str]) -> None:
    entries = write_entries(3)
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    out = verify_output(capsys)
    total = AuditEntry.objects.count()
    assert out == f"OK {total} {total}:{entries[-1].hash}"


@pytest.mark.django_db
def test_it_refuses_update_in_the_database() -> None:
    entry = write_entries(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=entry.seq).update(action="changed")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET payload = '{}' WHERE seq = %s", [entry.seq])


@pytest.mark.django_db
def test_it_refuses_delete_in_the_database() -> None:
    entry = write_entries(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=entry.seq).delete()
    assert AuditEntry.objects.filter(seq=entry.seq).exists()


@pytest.mark.django_db
def test_it_catches_a_changed_entry() -> None:
    entries = write_entries(4)
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET payload = %s WHERE seq = %s",
            ['{"i": 1, "text": "Ampenan Utara"}', entries[1].seq],
        )
    with pytest.raises(CommandError, match=f"entry {entries[1].seq}: content changed"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_it_catches_a_changed_actor() -> None:
    entries = write_entries(2)
    drop_triggers()
    AuditEntry.objects.filter(seq=entries[0].seq).update(actor_name="someone_else")
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == entries[0].seq


@pytest.mark.django_db
def test_it_catches_a_deleted_entry() -> None:
    entries = write_entries(3)
    drop_triggers()
    AuditEntry.objects.filter(seq=entries[1].seq).delete()
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == entries[1].seq
    assert report.problem == "entry missing or reordered"


@pytest.mark.django_db
def test_it_catches_deleted_last_entries() -> None:
    entries = write_entries(3)
    drop_triggers()
    AuditEntry.objects.filter(seq=entries[-1].seq).delete()
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == entries[-1].seq


@pytest.mark.django_db
def test_it_catches_reordered_entries() -> None:
    entries = write_entries(3)
    drop_triggers()
    a, b = entries[0].seq, entries[1].seq
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET seq = -1 WHERE seq = %s", [a])
        cursor.execute("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [a, b])
        cursor.execute("UPDATE audit_auditentry SET seq = %s WHERE seq = -1", [b])
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == a


@pytest.mark.django_db
def test_it_catches_a_rewritten_chain_tail_through_the_head() -> None:
    """Rewriting an entry and recomputing its hash still leaves the head and next entry wrong."""
    entries = write_entries(2)
    drop_triggers()
    AuditEntry.objects.filter(seq=entries[1].seq).update(hash="f" * 64)
    assert not verify_chain().ok
