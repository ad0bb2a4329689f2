from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from deskpemilu.accounts.access import get_region_for
from deskpemilu.core.rules import signed_in
from deskpemilu.regions import selectors


@signed_in
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    region = get_region_for(request.user, code)  # type: ignore[arg-type]
    data = selectors.region_with_children(region)
    return render(request, "regions/region.html", {"region": region, "data": data})
