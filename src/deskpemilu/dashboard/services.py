"""Writes of the dashboard: an export is itself recorded in the audit log, with the head hash
the file carries and the SHA-256 of the file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from django.db import transaction
from django.utils import timezone

from deskpemilu.audit.services import head, record
from deskpemilu.dashboard.exports import Table, write_csv, write_xlsx

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

ExportFormat = Literal["csv", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    audit_seq: int
    audit_head: str


def audit_head_now() -> tuple[int, str, datetime]:
    seq, digest = head()
    return seq, digest, timezone.localtime()


def recap_export(
    *,
    actor: User,
    table: Table,
    kind: str,
    contest: str,
    region: str,
    fmt: ExportFormat,
    filename: str,
) -> ExportFile:
    """Write `table` as CSV or XLSX carrying the current audit head, and record the export."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    # The head read just before the export's own entry: the file proves the log up to there.
    seq, digest, now = audit_head_now()
    writer = write_csv if fmt == "csv" else write_xlsx
    content = writer(table, audit=(seq, digest), at=now)
    with transaction.atomic():
        record(
            actor=actor,
            action="recap.export",
            object_type="recap",
            object_id=f"{contest}/{region}",
            payload={
                "kind": kind,
                "format": fmt,
                "rows": len(table.rows),
                "sha256": hashlib.sha256(content).hexdigest(),
                "audit_seq_in_file": seq,
            },
        )
    return ExportFile(content, CONTENT_TYPES[fmt], f"{filename}.{fmt}", seq, digest)


def print_recorded(*, actor: User, contest: str, region: str, kind: str) -> tuple[int, str]:
    """A printable recap page: record that it was printed; answer the head it shows."""
    seq, digest = head()
    with transaction.atomic():
        record(
            actor=actor,
            action="recap.export",
            object_type="recap",
            object_id=f"{contest}/{region}",
            payload={"kind": kind, "format": "html", "audit_seq_in_file": seq},
        )
    return seq, digest
