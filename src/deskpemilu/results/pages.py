"""What every results page shares: the signed-in account, the reader's language, and the
contest, dapil and URL of a sheet's page (a 404 for a contest or dapil that is not there)."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest
from django.urls import reverse

from deskpemilu.accounts.models import User
from deskpemilu.regions.models import Tps
from deskpemilu.results.contests import (
    ContestInfo,
    DapilInfo,
    contest_info,
    contest_info_fresh,
    dapil_for,
)


def user_of(request: HttpRequest) -> User:
    # Every view here sits behind signed_in or roles(), so the user is a real account.
    return cast(User, request.user)


def language_of(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "id") or "id"


def contest_or_404(code: str, *, fresh: bool = False) -> ContestInfo:
    # Fresh where the verification mode decides something: another process may have changed it.
    info = contest_info_fresh(code) if fresh else contest_info(code)
    if info is None:
        raise Http404
    return info


def dapil_or_404(info: ContestInfo, tps: Tps) -> DapilInfo:
    dapil = dapil_for(info, tps.code)
    if dapil is None:
        raise Http404
    return dapil


def sheet_url(name: str, info: ContestInfo, tps: Tps) -> str:
    return reverse(name, args=[info.code, tps.kpu_code])
