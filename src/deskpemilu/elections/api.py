"""/api/v1/elections: the elections of the installation and which one is active. Thin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from deskpemilu.core.rules import api_rule
from deskpemilu.elections import selectors
from deskpemilu.elections.schemas import ELECTIONS_DESCRIPTION, ElectionOut

router = Router(tags=["elections"])


@router.get(
    "/elections",
    response=list[ElectionOut],
    summary="The elections (pemilihan), their contests, and the one open for entry",
    description=ELECTIONS_DESCRIPTION,
)
@api_rule("signed_in")
def election_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": e.code,
            "name": e.name,
            "kind": e.kind,
            "voting_day": e.voting_day,
            "active": e.active,
            "tps_count": selectors.tps_count(e),
            "contests": [
                {"code": c.code, "name": c.name}
                for c in sorted(e.contests.all(), key=lambda c: (c.order, c.code))
            ],
        }
        for e in selectors.elections_with_contests()
    ]
