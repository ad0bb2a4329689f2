"""API tokens: random, shown once, stored as SHA-256, expiring and revocable."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "dp_"  # noqa: S105  (a visible prefix, not a secret)


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
