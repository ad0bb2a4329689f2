from django.http import HttpRequest
from ninja import Router

from deskpemilu.accounts.access import get_region_for, get_tps_for
from deskpemilu.core.rules import api_rule
from deskpemilu.elections.selectors import election_for_api
from deskpemilu.regions import selectors
from deskpemilu.regions.schemas import RegionOut, TpsOut

router = Router(tags=["regions"])


PEMILIHAN_DOC = (
    " TPS belong to an election: `?pemilihan=CODE` (`pemilu2024`, `pilkada2024`: "
    "`GET /api/v1/elections`) gives that election's {what}; without it, the active election's. "
    "An unknown election answers 404 `pemilihan_tidak_dikenal`, a code no election could have "
    "422 `pemilihan_tidak_valid`."
)


@router.get(
    "/regions/{code}",
    response=RegionOut,
    summary="A region and its children",
    description="The region, its children and their TPS count and DPT."
    + PEMILIHAN_DOC.format(what="TPS, counts and DPT"),
)
@api_rule("scoped")
def region_detail(
    request: HttpRequest, code: str, pemilihan: str | None = None
) -> dict[str, object]:
    election = election_for_api(pemilihan)
    region = get_region_for(request.user, code)  # type: ignore[arg-type]
    return selectors.region_with_children(region, election)


@router.get(
    "/tps/{tps_code}",
    response=TpsOut,
    summary="One TPS",
    description="A TPS by its 13-digit KPU code."
    + PEMILIHAN_DOC.format(what="TPS (number, address, DPT)"),
)
@api_rule("scoped")
def tps_detail(
    request: HttpRequest, tps_code: str, pemilihan: str | None = None
) -> dict[str, object]:
    election = election_for_api(pemilihan)
    tps = get_tps_for(
        request.user,  # type: ignore[arg-type]
        tps_code,
        election=election.code if election else None,
    )
    return selectors.tps_as_dict(tps)
