"""The desk's lists of sheets held out of the totals, and settling a blind mismatch."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from deskpemilu.accounts.access import get_tps_for
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.results import (
    form_layout,
    forms,
    listings,
    rules,
    selectors,
    services,
    verification,
)
from deskpemilu.results.contests import contest_info
from deskpemilu.results.models import Sheet, SheetStatus, Verification
from deskpemilu.results.pages import contest_or_404, dapil_or_404, language_of, user_of


@signed_in
def held_list(request: HttpRequest) -> HttpResponse:
    """Sheets held out of every total: "perlu diperiksa" and returned to their operator."""
    user = user_of(request)
    contest = request.GET.get("kontes", "")
    if contest and contest_info(contest) is None:
        contest = ""
    region = request.GET.get("wilayah", "")
    if not (region.isascii() and region.isdigit()) or not user.in_scope(region):
        region = ""
    rows, total = listings.held_list(user, contest=contest, region=region[:13])
    context = {
        "rows": rows,
        "total": total,
        "limit": listings.QUEUE_LIMIT,
        "contests": listings.all_contests(),
        "chosen_contest": contest,
    }
    return render(request, "results/held_list.html", context)


@roles("admin")
def mismatch_queue(request: HttpRequest) -> HttpResponse:
    rows = listings.mismatch_queue(user_of(request))
    return render(request, "results/mismatch_queue.html", {"rows": rows})


@roles("admin")
def mismatch_detail(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    user = user_of(request)
    info = contest_or_404(contest)
    tps = get_tps_for(user, tps_code, write=True, election=info.election)
    dapil = dapil_or_404(info, tps)
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None or sheet.current is None:
        raise Http404
    if sheet.status != SheetStatus.MISMATCH:
        messages.info(request, _("Lembar ini tidak sedang menunggu keputusan supervisor."))
        return redirect("sheet_detail", info.code, tps.code)
    second = listings.last_mismatch(sheet)
    reentrant = second.verifier_id if second else None
    refused = rules.resolve_refusal(user, sheet.status, sheet.current, reentrant)
    involved = refused is not None and refused.code == "supervisor_terlibat"
    form = forms.ResolveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                verification.mismatch_resolve(
                    actor=user,
                    sheet=sheet,
                    contest=info,
                    accept=form.cleaned_data["accept"],
                    note=form.cleaned_data["note"],
                )
            except services.ResultError as exc:
                form.add_error(None, exc.problems[0].message(language_of(request)))
            else:
                messages.success(request, _("Selisih diputus; lembar terverifikasi."))
                return redirect("mismatch_queue")
        status = 422
    rows = _comparison(form_layout.sheet_layout(info.kind, dapil), sheet, second)
    context = {
        "info": info,
        "tps": tps,
        "sheet": sheet,
        "form": form,
        "second": second,
        "rows": rows,
        "differing": [r for r in rows if r["differs"]],
        "photos": listings.photos_of(sheet.current),
        "involved": involved,
    }
    return render(request, "results/mismatch_detail.html", context, status=status)


def _comparison(
    layout: tuple[form_layout.Section, ...], sheet: Sheet, blind: Verification | None
) -> list[dict[str, Any]]:
    """Every box of the form with the first entry and the blind re-entry, differences marked."""
    assert sheet.current is not None
    first = forms.values_from_body(
        {"administrasi": sheet.current.administrasi, "suara": sheet.current.suara}
    )
    second = forms.values_from_body(blind.entry or {}) if blind else {}
    rows = []
    for name, label in form_layout.box_labels(layout):
        a, b = first.get(name, 0), second.get(name, 0)
        rows.append({"name": name, "label": label, "first": a, "second": b, "differs": a != b})
    return rows
