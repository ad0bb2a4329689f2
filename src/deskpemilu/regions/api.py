from django.http import HttpRequest
from ninja import Router

from deskpemilu.accounts.access import get_region_for, get_tps_for
from deskpemilu.core.rules import api_rule
from deskpemilu.regions import selectors
from deskpemilu.regions.schemas import RegionOut, TpsOut

router = Router(tags=["regions"])


@router.get("/regions/{code}", response=RegionOut, summary="A region and its children")
@api_rule("scoped")
def region_detail(request: HttpRequest, code: str) -> dict[str, object]:
    region = get_region_for(request.user, code)  # type: ignore[arg-type]
    return selectors.region_with_children(region)


@router.get("/tps/{tps_code}", response=TpsOut, summary="One TPS")
@api_rule("scoped")
def tps_detail(request: HttpRequest, tps_code: str) -> dict[str, object]:
    tps = get_tps_for(request.user, tps_code)  # type: ignore[arg-type]
    return selectors.tps_as_dict(tps)
