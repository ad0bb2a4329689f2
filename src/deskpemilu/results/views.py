"""Results pages: entering C.Hasil sheets, a sheet's page, its photos, verification, and the
verification and supervisor queues.

Thin, like the API beside them: check access (a rule decorator, then `accounts.access`), turn
the posted form into the API's sheet body, call the same service (`results.services`), render.
Every check of the numbers is the one rule set of `tally`, reached through the service.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.access import get_region_for, get_tps_for, home_region_code, regions_for
from deskpemilu.accounts.models import User
from deskpemilu.core.photos import MAX_UPLOAD_BYTES, PhotoError, StoredPhoto, store_photos
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.regions.models import Level, Region, Tps
from deskpemilu.results import counting, forms, listings, selectors, services, setup
from deskpemilu.results.contests import (
    ContestInfo,
    DapilInfo,
    contest_info,
    contest_info_fresh,
    dapil_for,
)
from deskpemilu.results.models import (
    Contest,
    RollupKind,
    Sheet,
    SheetStatus,
    Source,
    Verification,
    VerificationMode,
)
from deskpemilu.tally.codes import Kind, Problem

KELURAHAN_LEVELS = {Level.KELURAHAN, Level.DESA}


def _user(request: HttpRequest) -> User:
    # Every view here sits behind signed_in or roles(), so the user is a real account.
    return cast(User, request.user)


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "id") or "id"


def _contest(code: str, *, fresh: bool = False) -> ContestInfo:
    # Fresh where the verification mode decides something: another process may have changed it.
    info = contest_info_fresh(code) if fresh else contest_info(code)
    if info is None:
        raise Http404
    return info


def _dapil(info: ContestInfo, tps: Tps) -> DapilInfo:
    dapil = dapil_for(info, tps.code)
    if dapil is None:
        raise Http404
    return dapil


def _sheet_url(name: str, info: ContestInfo, tps: Tps) -> str:
    return reverse(name, args=[info.code, tps.code])


# --- /hasil/: where each TPS stands, and a picker ------------------------------------------


@signed_in
def results_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    code = request.GET.get("wilayah", "") or home_region_code(
        user, settings.DESKPEMILU_INSTALLATION_REGION
    )
    region = get_region_for(user, code[:10])
    context: dict[str, Any] = {
        "region": region,
        "heading": _heading(region),
        "crumbs": _crumbs(user, region),
        "kelurahan_options": list(
            regions_for(user).filter(level__in=KELURAHAN_LEVELS).order_by("name")
        ),
        "contests": listings.all_contests(),
        "can_enter": listings.can_enter(user),
        "can_verify": listings.can_verify(user),
        "returned_to_me": listings.returned_to(user) if listings.can_enter(user) else [],
    }
    context["is_kelurahan"] = region.level in KELURAHAN_LEVELS
    if context["is_kelurahan"]:
        context.update(_kelurahan_grid(user, region))
    else:
        context.update(_children_progress(region))
    return render(request, "results/home.html", context)


def _heading(region: Region) -> str:
    # The data names the kota "Kota Mataram" but a kecamatan just "Ampenan".
    level = str(region.get_level_display())
    if region.name.lower().startswith(level.lower()):
        return region.name
    return f"{level} {region.name}"


def _crumbs(user: User, region: Region) -> list[Region]:
    """The region's ancestors the account may open, top first."""
    codes = [region.code[:n] for n in (2, 4, 6) if n < len(region.code)]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found and user.in_scope(c)]


def _kelurahan_grid(user: User, kelurahan: Region) -> dict[str, Any]:
    tps_list = list(Tps.objects.filter(kelurahan=kelurahan).order_by("number"))
    statuses = listings.tps_statuses(kelurahan)
    shown = listings.contests_for(kelurahan.code + "000")
    entering = listings.can_enter(user)
    rows = []
    for tps in tps_list:
        if not user.in_scope(tps.code):
            continue
        cells = []
        for info in shown:
            status = statuses.get((tps.code, info.code), listings.NOT_ENTERED)
            typing = entering and status in (
                listings.NOT_ENTERED,
                SheetStatus.ENTERED,
                SheetStatus.RETURNED,
            )
            page = "sheet_entry" if typing else "sheet_detail"
            cells.append({"contest": info, "status": status, "url": _sheet_url(page, info, tps)})
        rows.append({"tps": tps, "cells": cells})
    return {"tps_rows": rows, "shown_contests": shown}


def _children_progress(region: Region) -> dict[str, Any]:
    children = list(region.children.order_by("code"))
    length = len(children[0].code) if children else len(region.code)
    progress = listings.child_progress(region, length)
    shown = listings.all_contests()
    rows = [
        {
            "region": child,
            "cells": [
                {"contest": info, "progress": progress.get((child.code, info.code))}
                for info in shown
            ],
        }
        for child in children
    ]
    return {"child_rows": rows, "shown_contests": shown}


@signed_in
def tps_pick(request: HttpRequest) -> HttpResponse:
    """Go to a TPS's sheet by its code (dotted or not) or by kelurahan + number."""
    user = _user(request)
    code = re.sub(r"\D", "", request.GET.get("tps", ""))[:13]
    kelurahan = request.GET.get("kelurahan", "")
    number = request.GET.get("nomor", "").strip()
    if (
        not code
        and kelurahan.isdigit()
        and number.isascii()
        and number.isdigit()
        and len(number) <= 3
    ):
        code = f"{kelurahan}{int(number):03d}"
    try:
        tps = get_tps_for(user, code)
    except Http404:
        messages.error(request, _("TPS %(code)s tidak ditemukan di wilayah Anda.") % {"code": code})
        return redirect("results_home")
    choices = listings.contests_for(tps.code)
    info = contest_info(request.GET.get("kontes", "")) or (choices[0] if choices else None)
    if info is None:
        raise Http404
    page = "sheet_entry" if listings.can_enter(user) else "sheet_detail"
    return redirect(page, info.code, tps.code)


# --- entry -----------------------------------------------------------------------------------


@roles("operator", "admin")
def sheet_entry(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    user = _user(request)
    info = _contest(contest)
    tps = get_tps_for(user, tps_code, write=True)
    dapil = _dapil(info, tps)
    sheet = selectors.sheet_for(tps, info.code)
    if request.method == "POST":
        return _entry_post(request, user, info, tps, dapil, sheet)
    page = EntryPage(request, info, tps, dapil, sheet)
    visible = sheet is not None and counting.sheet_numbers_visible(user, info, sheet)
    page.values = _initial_values(tps, sheet if visible else None)
    page.catatan = sheet.current.catatan if visible and sheet and sheet.current else ""
    return page.render()


def _initial_values(tps: Tps, sheet: Sheet | None) -> dict[str, Any]:
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
        self.layout = forms.sheet_layout(info.kind, dapil)
        self.fields = forms.all_fields(self.layout)
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
        self.values = {name: post.get(name, "") for name, _label in forms.box_labels(self.layout)}
        self.catatan = post.get("catatan", "")
        self.confirmed = post.get("konfirmasi_tidak_konsisten") in ("1", "on")
        self.reason = post.get("alasan_koreksi", "")
        self.key = re.sub(r"[^0-9a-f]", "", post.get("kunci", ""))[:32] or self.key
        posted_version = forms.version_number(post.get("versi"))
        if posted_version is not None:
            self.version = posted_version

    def add(self, problems: list[Problem], status: int = 422) -> None:
        for item in forms.problem_dicts(problems, _language(self.request)):
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
            "sections": forms.bind(self.layout, self.values, self.messages),
            "general": self.messages.general,
            "field_messages": self.messages.by_field,
            "version": self.version,
            "key": self.key,
            "catatan": self.catatan,
            "confirmed": self.confirmed,
            "show_confirm": arithmetic or self.confirmed,
            "reason": self.reason,
            "is_correction": self.version > 0,
            "locked": bool(
                sheet
                and sheet.status == SheetStatus.VERIFIED
                and _user(self.request).role != "admin"
            ),
            "returned": selectors.last_return(sheet) if sheet is not None else None,
            "check_url": _sheet_url("sheet_check", self.info, self.tps),
            "tps_contests": listings.contests_for(self.tps.code),
            "max_photos": forms.MAX_PHOTOS,
            # A browser never sends chosen files twice: after a refusal they must be chosen again.
            "photos_dropped": self.status != 200 and bool(self.request.FILES),
        }

    def render(self, extra: dict[str, Any] | None = None) -> HttpResponse:
        context = {**self.context(), **(extra or {})}
        return render(self.request, self.template, context, status=self.status)


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
        result = services.sheet_submit(
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
    user = _user(request)
    info = _contest(contest)
    tps = get_tps_for(user, tps_code)
    dapil = _dapil(info, tps)
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
    lang = _language(request)
    return JsonResponse(
        {
            "problems": forms.problem_dicts(problems, lang),
            "flags": forms.problem_dicts(flags, lang),
            "confirmable": bool(problems) and all(p.kind == Kind.ARITHMETIC for p in problems),
        }
    )


# --- a sheet's page, its photos --------------------------------------------------------------


@signed_in
def sheet_detail(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    user = _user(request)
    info = _contest(contest, fresh=True)
    tps = get_tps_for(user, tps_code)
    dapil = _dapil(info, tps)
    sheet = selectors.sheet_for(tps, info.code)
    context: dict[str, Any] = {
        "info": info,
        "tps": tps,
        "sheet": sheet,
        "can_enter": listings.can_enter(user),
        "next_tps": listings.next_tps(user, tps) if listings.can_enter(user) else None,
        "next_contest": listings.next_contest(tps, info),
        "tps_contests": listings.contests_for(tps.code),
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
    layout = forms.sheet_layout(info.kind, dapil)
    flags = forms.flag_dicts(sheet.flags, _language(request))
    msgs = forms.Messages()
    for flag in flags:
        msgs.add(flag, forms.all_fields(layout))
    values = forms.values_from_body({"administrasi": current.administrasi, "suara": current.suara})
    photos = listings.photos_of(current)
    return {
        "current": current,
        "hidden": hidden,
        "sections": [] if hidden else forms.bind(layout, values, msgs),
        "flags": [] if hidden else flags,
        "photos": photos,
        "history": listings.versions_with_checks(sheet),
        "counted": counting.counts_in(RollupKind.PROVISIONAL, status=sheet.status, version=current),
        "needs_review": counting.needs_review(status=sheet.status, version=current),
        "returned": selectors.last_return(sheet),
        "may_verify": listings.can_verify(user)
        and current.author_id != user.pk
        and sheet.status == SheetStatus.ENTERED,
        "needs_photo": info.verification_mode == VerificationMode.PHOTO and not photos,
        "may_return": listings.can_verify(user)
        and current.author_id != user.pk
        and sheet.status != SheetStatus.RETURNED,
        "may_resolve": user.role == "admin"
        and sheet.status == SheetStatus.MISMATCH
        and current.author_id != user.pk,
        "may_correct": listings.can_enter(user)
        and (sheet.status != SheetStatus.VERIFIED or user.role == "admin"),
        "locked_for_operator": listings.can_enter(user)
        and user.role != "admin"
        and sheet.status == SheetStatus.VERIFIED,
    }


@require_POST
@roles("verifier", "admin")
def sheet_return(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    """Send the current version back to its operator, with a reason."""
    user = _user(request)
    info = _contest(contest, fresh=True)
    tps = get_tps_for(user, tps_code, write=True)
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None:
        raise Http404
    version = forms.version_number(request.POST.get("versi")) or 0
    try:
        services.sheet_return(
            actor=user,
            sheet=sheet,
            contest=info,
            version_number=version,
            reason=request.POST.get("alasan", "")[:501],
        )
    except services.ResultError as exc:
        text = " ".join(p.message(_language(request)) for p in exc.problems)
        messages.error(request, _("Tidak dikembalikan: %(why)s") % {"why": text})
    else:
        text = _("Dikembalikan ke operator: %(contest)s TPS %(tps)s, versi %(v)s.")
        values = {"contest": info.short_name, "tps": f"{tps.number:03d}", "v": version}
        messages.success(request, text % values)
    return redirect("sheet_detail", info.code, tps.code)


@signed_in
def sheet_photo(request: HttpRequest, sha256: str) -> HttpResponseBase:
    """A photo of a form page, to whoever may see a sheet it belongs to."""
    photo = listings.visible_photo(_user(request), sha256)
    if photo is None:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / photo.file
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    # Content-addressed: the bytes behind this URL never change. Private: behind a login.
    response["Cache-Control"] = "private, max-age=86400, immutable"
    return response


@require_POST
@roles("operator", "admin")
def sheet_photos_add(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    """Photos that arrive after the numbers, attached to the current version."""
    user = _user(request)
    info = _contest(contest)
    tps = get_tps_for(user, tps_code, write=True)
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None:
        raise Http404
    page = EntryPage(request, info, tps, _dapil(info, tps), sheet)
    photos = _store_uploads(request, page)
    if page.messages.any or not photos:
        problems = [m["message"] for m in page.messages.by_field.get("foto", [])]
        messages.error(request, " ".join(problems) or _("Pilih paling sedikit satu foto."))
        return redirect("sheet_detail", info.code, tps.code)
    was_verified = sheet.status == SheetStatus.VERIFIED
    try:
        services.photos_add(actor=user, sheet=sheet, photos=photos)
    except services.ResultError as exc:
        messages.error(request, exc.problems[0].message(_language(request)))
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


# --- verification ------------------------------------------------------------------------------


@roles("verifier", "admin")
def sheet_verify(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    user = _user(request)
    info = _contest(contest, fresh=True)
    tps = get_tps_for(user, tps_code, write=True)
    dapil = _dapil(info, tps)
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None or sheet.current is None:
        messages.info(request, _("Lembar ini belum dientri; belum ada yang dapat diverifikasi."))
        return redirect("sheet_detail", info.code, tps.code)
    page = VerifyPage(request, info, tps, dapil, sheet)
    if request.method == "POST":
        return _verify_post(request, user, page)
    page.refusal = _verify_refusal(request, user, info, sheet)
    if page.blind:
        page.values = _initial_values(tps, None)
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
        flags = forms.flag_dicts(sheet.flags, _language(self.request))
        for flag in flags:
            msgs.add(flag, self.fields)
        context.update(
            {
                "blind": self.blind,
                "current": current,
                "refusal": self.refusal,
                "photos": listings.photos_of(current),
                "numbers": [] if self.blind else forms.bind(self.layout, values, msgs),
                "flags": [] if self.blind else flags,
                "locked": False,
            }
        )
        return context


def _verify_refusal(request: HttpRequest, user: User, info: ContestInfo, sheet: Sheet) -> str:
    lang = _language(request)
    assert sheet.current is not None
    if sheet.current.author_id == user.pk:
        return Problem("verifikator_sama_dengan_pengentri").message(lang)
    if sheet.status == SheetStatus.VERIFIED:
        return _("Lembar ini sudah terverifikasi.")
    if sheet.status == SheetStatus.MISMATCH:
        return Problem("menunggu_supervisor").message(lang)
    if sheet.status == SheetStatus.RETURNED:
        return Problem("sudah_dikembalikan").message(lang)
    if info.verification_mode == VerificationMode.PHOTO and not sheet.current.photos.exists():
        return Problem("foto_wajib").message(lang)
    return ""


def _verify_post(request: HttpRequest, user: User, page: VerifyPage) -> HttpResponse:
    sheet = page.sheet
    assert sheet is not None and sheet.current is not None
    page.posted()
    blind_entry = forms.sheet_body(request.POST, page.dapil.keys) if page.blind else None
    try:
        result = services.sheet_verify(
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
    page.refusal = " ".join(p.message(_language(request)) for p in exc.problems)
    page.status = exc.status
    return page.render()


@roles("verifier", "admin")
def verify_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    contest = request.GET.get("kontes", "")
    kecamatan = request.GET.get("kecamatan", "")
    if contest and contest_info(contest) is None:
        contest = ""
    if not kecamatan.isdigit():
        kecamatan = ""
    rows, total = listings.verify_queue(user, contest=contest, kecamatan=kecamatan)
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


# --- the supervisor ----------------------------------------------------------------------------


@signed_in
def held_list(request: HttpRequest) -> HttpResponse:
    """Sheets held out of every total: "perlu diperiksa" and returned to their operator."""
    user = _user(request)
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
    rows = listings.mismatch_queue(_user(request))
    return render(request, "results/mismatch_queue.html", {"rows": rows})


@roles("admin")
def mismatch_detail(request: HttpRequest, contest: str, tps_code: str) -> HttpResponse:
    user = _user(request)
    info = _contest(contest)
    tps = get_tps_for(user, tps_code, write=True)
    dapil = _dapil(info, tps)
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None or sheet.current is None:
        raise Http404
    if sheet.status != SheetStatus.MISMATCH:
        messages.info(request, _("Lembar ini tidak sedang menunggu keputusan supervisor."))
        return redirect("sheet_detail", info.code, tps.code)
    second = listings.last_mismatch(sheet)
    involved = user.pk in {sheet.current.author_id, second.verifier_id if second else None}
    form = forms.ResolveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.mismatch_resolve(
                    actor=user,
                    sheet=sheet,
                    contest=info,
                    accept=form.cleaned_data["accept"],
                    note=form.cleaned_data["note"],
                )
            except services.ResultError as exc:
                form.add_error(None, exc.problems[0].message(_language(request)))
            else:
                messages.success(request, _("Selisih diputus; lembar terverifikasi."))
                return redirect("mismatch_queue")
        status = 422
    rows = _comparison(forms.sheet_layout(info.kind, dapil), sheet, second)
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
    layout: tuple[forms.Section, ...], sheet: Sheet, blind: Verification | None
) -> list[dict[str, Any]]:
    """Every box of the form with the first entry and the blind re-entry, differences marked."""
    assert sheet.current is not None
    first = forms.values_from_body(
        {"administrasi": sheet.current.administrasi, "suara": sheet.current.suara}
    )
    second = forms.values_from_body(blind.entry or {}) if blind else {}
    rows = []
    for name, label in forms.box_labels(layout):
        a, b = first.get(name, 0), second.get(name, 0)
        rows.append({"name": name, "label": label, "first": a, "second": b, "differs": a != b})
    return rows


# --- the desk's settings of each contest --------------------------------------------------------


@roles("admin")
def contest_settings(request: HttpRequest) -> HttpResponse:
    """Each contest's verification mode, and a form to change it (audited, with a reason)."""
    posted: dict[str, str] = {}
    error = ""
    status = 200
    if request.method == "POST":
        posted = {
            "kontes": request.POST.get("kontes", ""),
            "mode": request.POST.get("mode", ""),
            "alasan": request.POST.get("alasan", ""),
        }
        try:
            # The page asks why (the API's contract body has only the mode); a bad mode or
            # contest is the service's to name first.
            if posted["mode"] in VerificationMode.values and not posted["alasan"].strip():
                raise ValidationError(_("Alasan perubahan wajib diisi."), code="reason")
            change = setup.contest_set_verification_mode(
                actor=_user(request),
                contest_code=posted["kontes"],
                mode=posted["mode"],
                reason=posted["alasan"],
            )
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 422
        else:
            _mode_changed_message(request, change)
            return redirect("contest_settings")
    rows = Contest.objects.filter(is_active=True).annotate(
        waiting=Count("sheets", filter=Q(sheets__status=SheetStatus.ENTERED)),
        mismatched=Count("sheets", filter=Q(sheets__status=SheetStatus.MISMATCH)),
    )
    context = {
        "rows": rows,
        "modes": VerificationMode.choices,
        "posted": posted,
        "error": error,
    }
    return render(request, "results/contest_settings.html", context, status=status)


def _mode_changed_message(request: HttpRequest, change: setup.ModeChange) -> None:
    values = {
        "contest": change.contest.short_name,
        "mode": change.contest.get_verification_mode_display(),
    }
    if change.changed:
        messages.success(request, _("Mode verifikasi %(contest)s kini: %(mode)s.") % values)
    else:
        messages.info(
            request, _("Mode verifikasi %(contest)s sudah %(mode)s; tidak ada perubahan.") % values
        )
