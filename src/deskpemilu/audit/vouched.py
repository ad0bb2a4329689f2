"""What the audit log vouches for besides itself. An app whose rows the log records (results: the
sheet versions, the verifications, the rollups) registers a check from its `AppConfig.ready`;
`verify_audit` runs every registered check after the chain, so audit imports no feature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# A check returns (how many things it checked, one line per problem found).
Check = Callable[[], tuple[int, list[str]]]


@dataclass(frozen=True)
class Vouched:
    what: str  # "sheet versions match their audit entries", printed after the count
    check: Check


_CHECKS: list[Vouched] = []


def vouch(what: str, check: Check) -> None:
    if all(v.what != what for v in _CHECKS):
        _CHECKS.append(Vouched(what, check))


def registered() -> list[Vouched]:
    return list(_CHECKS)
