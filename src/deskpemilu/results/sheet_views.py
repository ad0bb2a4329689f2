"""A sheet's page, its photos, and sending a version back to its operator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.access import get_tps_for
from deskpemilu.accounts.models import User
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.results import (
    counting,
    form_layout,
    forms,
    listings,
    returns,
    rules,
    selectors,
    services,
)
from deskpemilu.results.contests import ContestInfo, DapilInfo
from deskpemilu.results.models import RollupKind, Sheet, SheetStatus
from deskpemilu.results.pages import contest_or_404, dapil_or_404, language_of, user_of
from deskpemilu.tally.codes import Problem


@signed_in
def sheet_detail(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    user = user_of(request)
    info = contest_or_404(contest, fresh=True)
    tps = get_tps_for(user, tps_code, election=info.election)
    dapil = dapil_or_404(info, tps)
    sheet = selectors.sheet_for(tps, info.code)
    context: dict[str, Any] = {
        "info": info,
        "tps": tps,
        "sheet": sheet,
        "can_enter": listings.can_enter(user) and listings.is_open(info),
        "next_tps": listings.next_tps(user, tps) if listings.can_enter(user) else None,
        "next_contest": listings.next_contest(tps, info),
        "tps_contests": listings.contests_for(tps.code, info.election),
        "closed": not listings.is_open(info),
    }
    if sheet is not None and sheet.current is not None:
        context.update(_sheet_context(request, user, info, dapil, sheet))
    return render(request, "results/detail.html", context)


def _sheet_context(
    request: HttpRequest, user: User, info: ContestInfo, dapil: DapilInfo, sheet: Sheet
) -> dict[str, Any]:
    current = sheet.current
    assert current is not None
    hidden = not counting.sheet_numbers_visible(user, info, sheet)
    layout = form_layout.sheet_layout(info.kind, dapil)
    flags = forms.flag_dicts(sheet.flags, language_of(request))
    msgs = forms.Messages()
    for flag in flags:
        msgs.add(flag, form_layout.all_fields(layout))
    values = forms.values_from_body({"administrasi": current.administrasi, "suara": current.suara})
    photos = listings.photos_of(current)
    refused = _refusals(user, info, sheet, photos=len(photos))
    return {
        "current": current,
        "hidden": hidden,
        "sections": [] if hidden else form_layout.bind(layout, values, msgs),
        "flags": [] if hidden else flags,
        "photos": photos,
        "history": listings.versions_with_checks(sheet),
        "counted": counting.counts_in(RollupKind.PROVISIONAL, status=sheet.status, version=current),
        "needs_review": counting.needs_review(status=sheet.status, version=current),
        "returned": selectors.last_return(sheet),
        # Each button shows exactly where its service would accept the action (results.rules).
        "may_verify": refused["verify"] is None,
        "needs_photo": _code(refused["verify"]) == "foto_wajib",
        "may_return": refused["return"] is None,
        "may_resolve": refused["resolve"] is None,
        "may_correct": refused["correct"] is None,
        "locked_for_operator": _code(refused["correct"]) == "terkunci",
    }


def _refusals(user: User, info: ContestInfo, sheet: Sheet, *, photos: int) -> dict[str, Any]:
    """results.rules' answer for each action on this sheet (None: the service would accept)."""
    current = sheet.current
    reentrant = None
    if sheet.status == SheetStatus.MISMATCH:
        last = listings.last_mismatch(sheet)
        reentrant = last.verifier_id if last is not None else None
    return {
        "verify": listings.verify_refusal(user, sheet, mode=info.verification_mode, photos=photos),
        "return": rules.return_refusal(user, sheet.status, current),
        "resolve": rules.resolve_refusal(user, sheet.status, current, reentrant),
        "correct": rules.enter_refusal(user, sheet.status),
    }


def _code(problem: Problem | None) -> str:
    return problem.code if problem is not None else ""


@require_POST
@roles("verifier", "admin")
def sheet_return(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    """Send the current version back to its operator, with a reason."""
    user = user_of(request)
    info = contest_or_404(contest, fresh=True)
    tps = get_tps_for(user, tps_code, write=True, election=info.election)
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None:
        raise Http404
    version = forms.version_number(request.POST.get("versi")) or 0
    try:
        returns.sheet_return(
            actor=user,
            sheet=sheet,
            contest=info,
            version_number=version,
            reason=request.POST.get("alasan", "")[:501],
        )
    except services.ResultError as exc:
        text = " ".join(p.message(language_of(request)) for p in exc.problems)
        messages.error(request, _("Tidak dikembalikan: %(why)s") % {"why": text})
    else:
        text = _("Dikembalikan ke operator: %(contest)s TPS %(tps)s, versi %(v)s.")
        values = {"contest": info.short_name, "tps": f"{tps.number:03d}", "v": version}
        messages.success(request, text % values)
    return redirect("sheet_detail", info.code, tps.code)


@signed_in
def sheet_photo(request: HttpRequest, sha256: str) -> HttpResponseBase:
    """A photo of a form page, to whoever may see a sheet it belongs to."""
    photo = listings.visible_photo(user_of(request), sha256)
    if photo is None:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / photo.file
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    # Content-addressed: the bytes behind this URL never change. Private: behind a login.
    response["Cache-Control"] = "private, max-age=86400, immutable"
    return response
