"""How an entry's hash is computed. Pure functions, shared by writing and verifying."""

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    payload: Any,
) -> str:
    body = canonical(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor_name,
            "action": action,
            "object": f"{object_type}:{object_id}",
            "payload": payload,
        }
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()
