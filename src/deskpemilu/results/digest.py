"""The hashes a version's audit entry records, so `verify_audit` can tell changed numbers.

`content_hash` covers what makes the version what it is: where (contest, TPS), which (version
number), the numbers as stored, the confirmation and its note, who typed it and the request
behind it. `numbers_hash` is the older, numbers-only hash (the `content_sha256` column and the
`sha256` key of audit entries written before `content_hash` existed). Neither formula may ever
change: audit entries hold them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deskpemilu.results.models import SheetVersion

# The key of a version's audit entry payload that holds its content hash.
CONTENT_KEY = "content_sha256"
# The older key, the numbers-only hash: still checked in entries that have no content hash.
NUMBERS_KEY = "sha256"


def numbers_hash(administrasi: Mapping[str, Any], suara: Mapping[str, Any]) -> str:
    body = json.dumps({"administrasi": administrasi, "suara": suara}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def content_digest(
    *,
    contest: str,
    tps: str,
    number: int,
    administrasi: Mapping[str, Any],
    suara: Mapping[str, Any],
    confirmed: bool,
    catatan: str,
    author_id: int,
    request_sha256: str,
) -> str:
    """The content hash from a version's fields (verify_audit reads them without models)."""
    fields: dict[str, Any] = {
        "contest": contest,
        "tps": tps,
        "version": number,
        "administrasi": administrasi,
        "suara": suara,
        "konfirmasi_tidak_konsisten": confirmed,
        "catatan": catatan,
        "author": author_id,
    }
    if request_sha256:
        fields["request_sha256"] = request_sha256
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def content_hash(version: SheetVersion) -> str:
    sheet = version.sheet
    return content_digest(
        contest=sheet.contest_id,
        tps=sheet.tps_id,
        number=version.number,
        administrasi=version.administrasi,
        suara=version.suara,
        confirmed=version.confirmed_inconsistent,
        catatan=version.catatan,
        author_id=version.author_id,
        request_sha256=version.request_sha256,
    )
