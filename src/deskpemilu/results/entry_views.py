"""Entering a C.Hasil sheet: the entry form and its live check, photos added after the
numbers. The posted form becomes the API's sheet body and goes through the same service."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.access import get_tps_for
from deskpemilu.accounts.models import User
from deskpemilu.core.photos import MAX_UPLOAD_BYTES, PhotoError, StoredPhoto, store_photos
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.core.summary import ordered_summary
from deskpemilu.regions.models import Tps
from deskpemilu.results import (
    counting,
    form_layout,
    forms,
    listings,
    rules,
    selectors,
    services,
    submission,
)
from deskpemilu.results.contests import ContestInfo, DapilInfo
from deskpemilu.results.models import Sheet, SheetStatus, Source
from deskpemilu.results.pages import contest_or_404, dapil_or_404, language_of, sheet_url, user_of
from deskpemilu.tally.codes import Kind, Problem


@roles("operator", "admin")
def sheet_entry(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    user = user_of(request)
    info = contest_or_404(contest)
    tps = get_tps_for(user, tps_code, write=True, election=info.election)
    dapil = dapil_or_404(info, tps)
    sheet = selectors.sheet_for(tps, info.code)
    if request.method == "POST":
        return _entry_post(request, user, info, tps, dapil, sheet)
    page = EntryPage(request, info, tps, dapil, sheet)
    visible = sheet is not None and counting.sheet_numbers_visible(user, info, sheet)
    page.values = initial_values(tps, sheet if visible else None)
    page.catatan = sheet.current.catatan if visible and sheet and sheet.current else ""
    return page.render()


def initial_values(tps: Tps, sheet: Sheet | None) -> dict[str, Any]:
    """A correction starts from the current version (when its reader may see it); a first
    entry, or a correction by a blind re-entrant, from the master DPT."""
    if sheet is not None and sheet.current is not None:
        current = sheet.current
        return forms.values_from_body(
            {"administrasi": current.administrasi, "suara": current.suara}
        )
    return {"administrasi.pemilih_dpt_l": tps.dpt_l, "administrasi.pemilih_dpt_p": tps.dpt_p}


class EntryPage:
    """The entry form (and the blind re-entry form), with what the operator typed and every
    problem beside its box."""

    template = "results/entry.html"

    def __init__(
        self,
        request: HttpRequest,
        info: ContestInfo,
        tps: Tps,
        dapil: DapilInfo,
        sheet: Sheet | None,
    ) -> None:
        self.request = request
        self.info, self.tps, self.dapil, self.sheet = info, tps, dapil, sheet
        self.layout = form_layout.sheet_layout(info.kind, dapil)
        self.fields = form_layout.all_fields(self.layout)
        self.values: dict[str, Any] = {}
        self.messages = forms.Messages()
        self.catatan = ""
        self.confirmed = False
        self.reason = ""
        current = sheet.current if sheet else None
        self.version = current.number if current else 0
        self.key = uuid.uuid4().hex
        self.status = 200

    def posted(self) -> None:
        post = self.request.POST
        self.values = {
            name: post.get(name, "") for name, _label in form_layout.box_labels(self.layout)
        }
        self.catatan = post.get("catatan", "")
        self.confirmed = post.get("konfirmasi_tidak_konsisten") in ("1", "on")
        self.reason = post.get("alasan_koreksi", "")
        self.key = re.sub(r"[^0-9a-f]", "", post.get("kunci", ""))[:32] or self.key
        posted_version = forms.version_number(post.get("versi"))
        if posted_version is not None:
            self.version = posted_version

    def add(self, problems: list[Problem], status: int = 422) -> None:
        for item in forms.problem_dicts(problems, language_of(self.request)):
            self.messages.add(item, self.fields)
        self.status = max(self.status, status)

    def add_text(self, field: str, message: str, status: int = 422) -> None:
        item = {"code": "", "field": field, "message": message, "kind": Kind.WORKFLOW.value}
        self.messages.add(item, self.fields)
        self.status = max(self.status, status)

    def context(self) -> dict[str, Any]:
        sheet = self.sheet
        arithmetic = any(
            m.get("kind") == Kind.ARITHMETIC.value
            for items in [self.messages.general, *self.messages.by_field.values()]
            for m in items
        )
        return {
            "info": self.info,
            "tps": self.tps,
            "dapil": self.dapil,
            "sheet": sheet,
            "sections": form_layout.bind(self.layout, self.values, self.messages),
            "general": self.messages.general,
            "field_messages": self.messages.by_field,
            "version": self.version,
            "key": self.key,
            "catatan": self.catatan,
            "confirmed": self.confirmed,
            "show_confirm": arithmetic or self.confirmed,
            "reason": self.reason,
            "is_correction": self.version > 0,
            "locked": _locked(user_of(self.request), sheet),
            "returned": selectors.last_return(sheet) if sheet is not None else None,
            "check_url": sheet_url("sheet_check", self.info, self.tps),
            "tps_contests": listings.contests_for(self.tps.code, self.info.election),
            "closed": not listings.is_open(self.info),
            "max_photos": forms.MAX_PHOTOS,
            # A browser never sends chosen files twice: after a refusal they must be chosen again.
            "photos_dropped": self.status != 200 and bool(self.request.FILES),
            "summary": self.summary() if self.status != 200 else [],
            "summary_title": _("Lembar belum disimpan"),
            # For saving offline (offline/pwa.js): the API door of this sheet and what the
            # rules need to check it without the server.
            "api_url": f"/api/v1/results/{self.info.code}/{self.tps.code}",
            "choices_json": json.dumps(list(self.dapil.keys)),
        }

    def summary(self) -> list[dict[str, str]]:
        """Every problem of a refused save, in the order of the paper form, linked to its box."""
        boxes = [
            (name, "f-" + name.replace(".", "-"), label)
            for name, label in form_layout.box_labels(self.layout)
        ]
        return ordered_summary(
            self.messages.by_field, self.messages.general, boxes + self.page_fields()
        )

    def page_fields(self) -> list[tuple[str, str, Any]]:
        """The form's fields beside the boxes: (field, anchor, label), in the page's order."""
        return [
            ("konfirmasi_tidak_konsisten", "f-konfirmasi", _("Formulir memang tertulis demikian")),
            ("catatan", "f-catatan", _("Catatan")),
            ("alasan_koreksi", "f-alasan", _("Alasan koreksi")),
            ("foto", "f-foto", _("Foto formulir")),
        ]

    def render(self, extra: dict[str, Any] | None = None) -> HttpResponse:
        context = {**self.context(), **(extra or {})}
        return render(self.request, self.template, context, status=self.status)


def _locked(user: User, sheet: Sheet | None) -> bool:
    """A verified sheet this account may not correct (results.rules)."""
    if sheet is None:
        return False
    problem = rules.enter_refusal(user, sheet.status)
    return problem is not None and problem.code == "terkunci"


def _entry_post(
    request: HttpRequest,
    user: User,
    info: ContestInfo,
    tps: Tps,
    dapil: DapilInfo,
    sheet: Sheet | None,
) -> HttpResponse:
    page = EntryPage(request, info, tps, dapil, sheet)
    page.posted()
    body = forms.sheet_body(request.POST, dapil.keys)
    reason = page.reason.strip()
    if page.version > 0 and not reason:
        page.add([Problem("alasan_wajib", "alasan_koreksi")])
    try:
        services.check_sheet(body, tps=tps, contest=info)
    except services.ResultError as exc:
        page.add(exc.problems)
    photos: list[StoredPhoto] = []
    if page.status == 200:
        photos = _store_uploads(request, page)
    if page.status != 200:
        return page.render()
    try:
        result = submission.sheet_submit(
            actor=user,
            tps=tps,
            contest=info,
            body=body,
            source=Source.WEB,
            idempotency_key=page.key,
            if_match=page.version,
            reason=reason,
            photos=photos,
        )
    except services.ResultError as exc:
        return _entry_refused(page, exc)
    if result.replayed:
        note = _("Formulir ini sudah terkirim sebelumnya (versi %(v)s); tidak ada versi baru.")
        messages.warning(request, note % {"v": result.version})
    else:
        text = _("Tersimpan: %(contest)s TPS %(tps)s, versi %(v)s.")
        values = {"contest": info.short_name, "tps": f"{tps.number:03d}", "v": result.version}
        messages.success(request, text % values)
    return redirect("sheet_detail", info.code, tps.code)


def _store_uploads(request: HttpRequest, page: EntryPage) -> list[StoredPhoto]:
    uploads = request.FILES.getlist("foto")
    if len(uploads) > forms.MAX_PHOTOS:
        text = _("Paling banyak %(n)s foto sekali kirim.") % {"n": forms.MAX_PHOTOS}
        page.add_text("foto", text)
        return []
    stored = []
    try:
        # The headers of every photo are checked before any is decoded (core/photos.py).
        stored = store_photos([u.read(MAX_UPLOAD_BYTES + 1) for u in uploads])
    except PhotoError as exc:
        name = f"({uploads[exc.index].name})" if exc.index is not None else ""
        page.add([Problem(exc.code, "foto", name)], exc.status)
    return stored


def _entry_refused(page: EntryPage, exc: services.ResultError) -> HttpResponse:
    page.add(exc.problems, exc.status)
    codes = {p.code for p in exc.problems}
    extra: dict[str, Any] = {}
    if "kunci_idempotensi_dipakai" in codes:
        # This form was sent before with other numbers (a back button, a second tab): nothing
        # was stored now. A fresh key lets the operator send these numbers as a new version.
        page.key = uuid.uuid4().hex
        latest = selectors.sheet_for(page.tps, page.info.code)
        extra["conflict"] = latest.current if latest else None
        page.sheet = latest
        page.version = latest.current.number if latest and latest.current else 0
    if "versi_bukan_terkini" in codes:
        # Someone saved another version meanwhile: show whose, and let the operator decide.
        latest = selectors.sheet_for(page.tps, page.info.code)
        extra["conflict"] = latest.current if latest else None
        page.sheet = latest
        page.version = latest.current.number if latest and latest.current else 0
    return page.render(extra)


@require_POST
@signed_in
def sheet_check(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    """The live check of the entry page: the same rules as saving, nothing stored."""
    user = user_of(request)
    info = contest_or_404(contest)
    tps = get_tps_for(user, tps_code, election=info.election)
    dapil = dapil_or_404(info, tps)
    body = forms.sheet_body(request.POST, dapil.keys)
    problems: list[Problem] = []
    flags: list[Problem] = []
    try:
        _parsed, flags = services.check_sheet(body, tps=tps, contest=info)
    except services.ResultError as exc:
        problems = exc.problems
    correcting = (forms.version_number(request.POST.get("versi")) or 0) > 0
    without_reason = not request.POST.get("alasan_koreksi", "").strip()
    if request.POST.get("mode") == "entry" and correcting and without_reason:
        problems.append(Problem("alasan_wajib", "alasan_koreksi"))
    lang = language_of(request)
    return JsonResponse(
        {
            "problems": forms.problem_dicts(problems, lang),
            "flags": forms.problem_dicts(flags, lang),
            "confirmable": bool(problems) and all(p.kind == Kind.ARITHMETIC for p in problems),
        }
    )


@require_POST
@roles("operator", "admin")
def sheet_photos_add(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    """Photos that arrive after the numbers, attached to the current version."""
    user = user_of(request)
    info = contest_or_404(contest)
    tps = get_tps_for(user, tps_code, write=True, election=info.election)
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None:
        raise Http404
    page = EntryPage(request, info, tps, dapil_or_404(info, tps), sheet)
    photos = _store_uploads(request, page)
    if page.messages.any or not photos:
        problems = [m["message"] for m in page.messages.by_field.get("foto", [])]
        messages.error(request, " ".join(problems) or _("Pilih paling sedikit satu foto."))
        return redirect("sheet_detail", info.code, tps.code)
    was_verified = sheet.status == SheetStatus.VERIFIED
    try:
        submission.photos_add(actor=user, sheet=sheet, photos=photos)
    except services.ResultError as exc:
        messages.error(request, exc.problems[0].message(language_of(request)))
    else:
        messages.success(request, _("%(n)s foto ditambahkan.") % {"n": len(photos)})
        if was_verified:
            messages.warning(
                request,
                _(
                    "Lembar ini sudah terverifikasi; foto baru belum diperiksa, jadi lembar "
                    "kembali ke antrean verifikasi dan keluar dari angka terverifikasi sampai "
                    "diverifikasi lagi."
                ),
            )
    return redirect("sheet_detail", info.code, tps.code)
