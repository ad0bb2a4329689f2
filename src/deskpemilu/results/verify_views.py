"""Verification: a photo check or a blind re-entry of a sheet, and the verifier's queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from deskpemilu.accounts.access import get_tps_for
from deskpemilu.accounts.models import User
from deskpemilu.core.rules import roles
from deskpemilu.results import form_layout, forms, listings, selectors, services, verification
from deskpemilu.results.contests import ContestInfo, contest_info
from deskpemilu.results.entry_views import EntryPage, initial_values
from deskpemilu.results.models import Sheet, VerificationMode
from deskpemilu.results.pages import contest_or_404, dapil_or_404, language_of, user_of


@roles("verifier", "admin")
def sheet_verify(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    user = user_of(request)
    info = contest_or_404(contest, fresh=True)
    tps = get_tps_for(user, tps_code, write=True, election=info.election)
    dapil = dapil_or_404(info, tps)
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None or sheet.current is None:
        messages.info(request, _("Lembar ini belum dientri; belum ada yang dapat diverifikasi."))
        return redirect("sheet_detail", info.code, tps.code)
    page = VerifyPage(request, info, tps, dapil, sheet)
    if request.method == "POST":
        return _verify_post(request, user, page)
    page.refusal = _verify_refusal(request, user, info, sheet)
    if page.blind:
        page.values = initial_values(tps, None)
    return page.render()


class VerifyPage(EntryPage):
    """A photo check (the numbers beside the photos) or a blind re-entry (an empty form
    beside the photos)."""

    template = "results/verify.html"

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.blind = self.info.verification_mode == VerificationMode.BLIND
        self.refusal = ""

    def context(self) -> dict[str, Any]:
        sheet = self.sheet
        assert sheet is not None and sheet.current is not None
        current = sheet.current
        context = super().context()
        values = forms.values_from_body(
            {"administrasi": current.administrasi, "suara": current.suara}
        )
        msgs = forms.Messages()
        flags = forms.flag_dicts(sheet.flags, language_of(self.request))
        for flag in flags:
            msgs.add(flag, self.fields)
        context.update(
            {
                "blind": self.blind,
                "current": current,
                "refusal": self.refusal,
                "photos": listings.photos_of(current),
                "numbers": [] if self.blind else form_layout.bind(self.layout, values, msgs),
                "flags": [] if self.blind else flags,
                "locked": False,
                "summary_title": _("Verifikasi belum disimpan"),
            }
        )
        return context

    def page_fields(self) -> list[tuple[str, str, Any]]:
        return [("catatan_verifikasi", "f-catatan-verifikasi", _("Catatan verifikasi"))]


def _verify_refusal(request: HttpRequest, user: User, info: ContestInfo, sheet: Sheet) -> str:
    """Why the service would refuse this check now (results.rules), or "" when it would not."""
    assert sheet.current is not None
    photos = sheet.current.photos.count()
    problem = listings.verify_refusal(user, sheet, mode=info.verification_mode, photos=photos)
    return problem.message(language_of(request)) if problem else ""


def _verify_post(request: HttpRequest, user: User, page: VerifyPage) -> HttpResponse:
    sheet = page.sheet
    assert sheet is not None and sheet.current is not None
    page.posted()
    blind_entry = forms.sheet_body(request.POST, page.dapil.keys) if page.blind else None
    try:
        result = verification.sheet_verify(
            actor=user,
            sheet=sheet,
            contest=page.info,
            version_number=page.version,
            blind_entry=blind_entry,
            note=request.POST.get("catatan_verifikasi", "")[:500],
        )
    except services.ResultError as exc:
        return _verify_refused(request, page, exc)
    text = _("Terverifikasi: %(contest)s TPS %(tps)s %(kel)s, versi %(v)s.")
    values = {
        "contest": page.info.short_name,
        "tps": f"{page.tps.number:03d}",
        "kel": page.tps.kelurahan.name,
        "v": result.version,
    }
    messages.success(request, text % values)
    return redirect("verify_queue")


def _verify_refused(
    request: HttpRequest, page: VerifyPage, exc: services.ResultError
) -> HttpResponse:
    codes = {p.code for p in exc.problems}
    if "entri_buta_berbeda" in codes:
        text = _(
            "Entri ulang berbeda dari entri pertama pada %(n)s kolom; lembar diteruskan ke "
            "supervisor."
        )
        messages.warning(request, text % {"n": len(exc.problems)})
        return redirect("verify_queue")
    if exc.status == 422 and page.blind:
        page.add(exc.problems)
        return page.render()
    if "versi_bukan_terkini" in codes:
        # A correction arrived meanwhile: show the current version and check that instead.
        assert page.sheet is not None and page.sheet.current is not None
        page.version = page.sheet.current.number
        page.add(exc.problems, exc.status)
        return page.render()
    # The form gives way to the refusal; the summary at the top says why, focused.
    page.refusal = " ".join(p.message(language_of(request)) for p in exc.problems)
    page.add(exc.problems, exc.status)
    return page.render()


@roles("verifier", "admin")
def verify_queue(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    contest = request.GET.get("kontes", "")
    kecamatan = request.GET.get("kecamatan", "")
    if contest and contest_info(contest) is None:
        contest = ""
    if not kecamatan.isdigit():
        kecamatan = ""
    rows, total = listings.verify_queue(user, contest=contest, kecamatan=kecamatan)
    lang = language_of(request)
    for row in rows:
        refusal = row.refusal  # type: ignore[attr-defined]
        row.refusal_text = refusal.message(lang) if refusal else ""  # type: ignore[attr-defined]
    context = {
        "rows": rows,
        "total": total,
        "limit": listings.QUEUE_LIMIT,
        "contests": listings.all_contests(),
        "kecamatan_options": listings.kecamatan_choices(user),
        "chosen_contest": contest,
        "chosen_kecamatan": kecamatan,
    }
    return render(request, "results/verify_queue.html", context)
