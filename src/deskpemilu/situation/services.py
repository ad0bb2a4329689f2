"""Writes of the situation app: a report handed out is an export, recorded in the audit log with
the head hash the file carries and the SHA-256 of the file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from deskpemilu.audit.services import head, record

if TYPE_CHECKING:
    from deskpemilu.accounts.models import User

PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    content_type: str
    filename: str
    audit_seq: int
    audit_head: str


def report_export(
    *,
    actor: User,
    kind: str,
    object_id: str,
    filename: str,
    content_type: str,
    make: Callable[[tuple[int, str], datetime], bytes],
) -> ReportFile:
    """Build a report with the audit head as it stands (the file proves the log up to there),
    then record the export."""
    seq, digest = head()
    now = timezone.now()
    content = make((seq, digest), now)
    with transaction.atomic():
        record(
            actor=actor,
            action="report.export",
            object_type="report",
            object_id=object_id,
            payload={
                "kind": kind,
                "filename": filename,
                "sha256": hashlib.sha256(content).hexdigest(),
                "bytes": len(content),
                "audit_seq_in_file": seq,
            },
        )
    return ReportFile(content, content_type, filename, seq, digest)
