"""Tamper evidence that covers the numbers (issue #13): someone with direct database access
drops the triggers and edits a verified version; `verify_audit` names the version. A chain
rewritten after the edit is caught against a head printed before it (`--checkpoint N:HASH`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from deskpemilu.audit.chain import entry_hash
from deskpemilu.audit.models import AuditEntry, AuditHead
from deskpemilu.results.digest import CONTENT_KEY, NUMBERS_KEY, content_hash, numbers_hash
from deskpemilu.results.models import Sheet, SheetVersion, Verification
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps

TPS = "5271011004001"
NAMED = f"ppwp TPS {TPS} versi 1"

DROP = {
    "sqlite": [
        "DROP TRIGGER results_sheetversion_no_update",
        "DROP TRIGGER audit_entry_no_update",
    ],
    "postgresql": [
        "DROP TRIGGER results_sheetversion_no_change ON results_sheetversion",
        "DROP TRIGGER audit_entry_no_change ON audit_auditentry",
    ],
}


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def verify(capsys: pytest.CaptureFixture[str], *checkpoints: str) -> str:
    args = [arg for c in checkpoints for arg in ("--checkpoint", c)]
    call_command("verify_audit", *args)
    return capsys.readouterr().out


def printed_head(capsys: pytest.CaptureFixture[str]) -> str:
    """The head as verify_audit prints it: `OK <entries> <N:HASH>`."""
    return verify(capsys).splitlines()[0].split()[2]


@pytest.fixture
def verified(api_for, operator, verifier) -> SheetVersion:
    op = api_for(operator)
    body = json.dumps(sheet_for_tps(TPS))
    response = op.put(f"/api/v1/results/ppwp/{TPS}", body, content_type="application/json")
    assert response.status_code == 201, response.content
    attach_photo(op, "ppwp", TPS)
    response = api_for(verifier).post(
        f"/api/v1/results/ppwp/{TPS}/verify",
        json.dumps({"version": 1}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return SheetVersion.objects.select_related("sheet").get(sheet__tps_id=TPS, number=1)


def drop_triggers() -> None:
    """What someone with direct database access can do."""
    for statement in DROP[connection.vendor]:
        sql(statement)


def edit_numbers(version: SheetVersion) -> None:
    """Move 50 votes from paslon 2 to paslon 1 (the triggers dropped)."""
    suara = dict(version.suara)
    suara["1"] += 50
    suara["2"] -= 50
    sql("UPDATE results_sheetversion SET suara = %s WHERE id = %s", [json.dumps(suara), version.pk])


def rewrite_chain_from(seq: int, change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """Give entry `seq` the payload `change` makes of it and recompute every hash from there on:
    the chain alone then verifies."""
    prev = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        payload = change(dict(entry.payload)) if entry.seq == seq else entry.payload
        digest = entry_hash(
            prev_hash=prev,
            seq=entry.seq,
            at=entry.at.astimezone(UTC),
            actor_name=entry.actor_name,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            payload=payload,
        )
        sql(
            "UPDATE audit_auditentry SET payload = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [json.dumps(payload), prev, digest, entry.seq],
        )
        prev = digest
    AuditHead.objects.filter(id=1).update(hash=prev)


def submit_seq() -> int:
    return AuditEntry.objects.get(action="sheet.submit", object_id=f"ppwp/{TPS}").seq


@pytest.mark.django_db
def test_the_audit_entry_of_a_version_records_its_content_hash(verified: SheetVersion) -> None:
    entry = AuditEntry.objects.get(seq=submit_seq())
    assert entry.payload[CONTENT_KEY] == content_hash(verified)
    assert entry.payload[NUMBERS_KEY] == verified.content_sha256


@pytest.mark.django_db
def test_an_edited_verified_version_is_named_by_verify_audit(
    verified: SheetVersion, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify(capsys).startswith("OK ")
    drop_triggers()
    edit_numbers(verified)
    call_command("rebuild_rollups")
    call_command("check_recap")  # the rollups now agree with the edited numbers...
    with pytest.raises(CommandError, match=NAMED) as failure:
        call_command("verify_audit")  # ...but not with what the audit log recorded
    assert failure.value.returncode == 1
    assert "changed since audit entry" in str(failure.value)


@pytest.mark.django_db
def test_an_old_entry_without_a_content_hash_is_checked_by_its_numbers_hash(
    verified: SheetVersion, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entries written before content hashes hold only `sha256`, the numbers-only hash: still
    enough to catch changed numbers."""
    drop_triggers()
    rewrite_chain_from(submit_seq(), lambda p: {k: v for k, v in p.items() if k != CONTENT_KEY})
    assert verify(capsys).startswith("OK ")  # as if written by the older code
    edit_numbers(verified)
    with pytest.raises(CommandError, match=NAMED):
        call_command("verify_audit")


@pytest.mark.django_db
def test_a_rewritten_chain_is_caught_against_a_head_printed_before(
    verified: SheetVersion, capsys: pytest.CaptureFixture[str]
) -> None:
    published = printed_head(capsys)
    assert verify(capsys, published).startswith("OK ")  # the checkpoint holds
    drop_triggers()
    edit_numbers(verified)
    call_command("rebuild_rollups")
    verified.refresh_from_db()

    def record_the_edit(payload: dict[str, Any]) -> dict[str, Any]:
        payload[NUMBERS_KEY] = numbers_hash(verified.administrasi, verified.suara)
        payload[CONTENT_KEY] = content_hash(verified)
        return payload

    rewrite_chain_from(submit_seq(), record_the_edit)
    assert verify(capsys).startswith("OK ")  # the chain and the hashes agree again...
    with pytest.raises(CommandError, match=f"checkpoint {published}") as failure:
        call_command("verify_audit", "--checkpoint", published)  # ...not with the witness
    assert failure.value.returncode == 1


@pytest.mark.django_db
def test_rebuild_rollups_leaves_an_audit_entry_and_checkpoints_hold(
    verified: SheetVersion, capsys: pytest.CaptureFixture[str]
) -> None:
    first = f"1:{AuditEntry.objects.get(seq=1).hash}"
    before = printed_head(capsys)
    call_command("rebuild_rollups")
    capsys.readouterr()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.actor_name) == ("rollups.rebuild", "command:rebuild_rollups")
    assert entry.payload["differed"] == 0
    out = verify(capsys, before, first)
    assert out.startswith(f"OK {entry.seq} {entry.seq}:{entry.hash}")
    assert "2 checkpoint(s) hold" in out


@pytest.mark.django_db
def test_a_checkpoint_must_be_n_colon_hash_of_an_existing_entry(verified: SheetVersion) -> None:
    with pytest.raises(CommandError, match="expected N:HASH"):
        call_command("verify_audit", "--checkpoint", "12 abc")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("verify_audit", "--checkpoint", f"999999:{'a' * 64}")


@pytest.mark.django_db
def test_a_sheet_marked_verified_without_a_verification_is_caught(
    api_for, operator, verified: SheetVersion
) -> None:
    other = "5271011004002"
    body = json.dumps(sheet_for_tps(other))
    response = api_for(operator).put(
        f"/api/v1/results/ppwp/{other}", body, content_type="application/json"
    )
    assert response.status_code == 201
    Sheet.objects.filter(tps_id=other).update(status="terverifikasi")
    call_command("rebuild_rollups")
    with pytest.raises(CommandError, match=f"ppwp TPS {other} versi 1: sheet is 'terverifikasi'"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_a_verification_inserted_behind_the_audit_log_is_caught(
    verified: SheetVersion, admin
) -> None:
    Verification.objects.create(
        version=verified, verifier=admin, method="photo", outcome="cocok", at=verified.created_at
    )
    with pytest.raises(CommandError, match=f"{NAMED}: 1 'cocok' verification"):
        call_command("verify_audit")


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="starts its own SQLite database; runs once, in the SQLite pass",
)
def test_the_synthetic_national_dataset_passes_verify_audit(tmp_path: Path) -> None:
    """generate_national writes the verifications and content hashes a real desk would."""
    env = {k: v for k, v in os.environ.items() if k != "DESKPEMILU_TESTING"}
    env["DESKPEMILU_VAR_DIR"] = str(tmp_path)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'nasional.sqlite3'}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "deskpemilu", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    assert run("migrate", "--noinput", "-v0").returncode == 0
    assert run("generate_national", "--tps", "3000").returncode == 0
    result = run("verify_audit")
    assert result.returncode == 0, result.stderr
    assert "3000 versions match their audit entries, 3000 sheets" in result.stdout
