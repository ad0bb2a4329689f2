"""How an audit head is written wherever it is printed (PDFs, exports, headers, pages): `N:HASH`,
the form `verify_audit --checkpoint` reads back."""

from __future__ import annotations

import re

CHECKPOINT = re.compile(r"^([0-9]+):([0-9a-f]{64})$")


def head_text(seq: int, digest: str) -> str:
    return f"{seq}:{digest}"


def parse_checkpoint(text: str) -> tuple[int, str] | None:
    """(N, HASH) from `N:HASH`, or None when it is not one."""
    match = CHECKPOINT.match(text.strip().lower())
    return (int(match.group(1)), match.group(2)) if match else None
