"""Readiness pages: the summary of an area with its map, a TPS's checklist (the form operators,
lurah and camat fill on a phone), the desk's checklist settings and the XLSX export. Views only
check access, read parameters and call selectors or services."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from deskpemilu.accounts.access import get_region_for, get_tps_for, home_region_code
from deskpemilu.accounts.models import User
from deskpemilu.core.heads import head_text
from deskpemilu.core.photos import MAX_UPLOAD_BYTES, PhotoError, StoredPhoto, store_photos
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.core.summary import summary_item
from deskpemilu.readiness import configuration, kerawanan, moments, selectors, services
from deskpemilu.readiness.checklist import items_in_force
from deskpemilu.readiness.maps import kerawanan_map, kerawanan_title, readiness_map
from deskpemilu.readiness.models import (
    ChecklistItem,
    Kerawanan,
    ReadinessReport,
    Source,
    TargetRule,
)
from deskpemilu.regions.selectors import region_ancestors

MAX_PHOTOS_PER_SAVE = 6


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _moment(request: HttpRequest) -> datetime | None:
    try:
        return moments.parse_moment(request.GET.get("pada", ""))
    except ValueError:
        raise BadRequest("pada") from None


def _crumbs(user: User, code: str) -> list[Any]:
    top = home_region_code(user, settings.DESKPEMILU_INSTALLATION_REGION)
    return region_ancestors(code, top=top)


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    code = home_region_code(_user(request), settings.DESKPEMILU_INSTALLATION_REGION)
    return region_page(request, code)


@signed_in
@require_GET
def region_page(request: HttpRequest, region_code: str) -> HttpResponse:
    user = _user(request)
    region = get_region_for(user, region_code)
    at = _moment(request)
    summary = selectors.region_summary(region, at=at)
    _local_times(summary["problems"], "since")
    # The kerawanan layer (?lapisan=kerawanan): the map by level, and the table says it in words.
    layer = request.GET.get("lapisan", "") == KERAWANAN_LAYER
    if layer:
        _kerawanan_column(region, summary["children"])
    context = {
        "region": region,
        "summary": summary,
        "at": at,
        "pada": request.GET.get("pada", ""),
        "moments": moments.moments(),
        "layer": layer,
        "map": kerawanan_map(region, user) if layer else readiness_map(region, user, at=at),
        "crumbs": _crumbs(user, region.code),
        "is_kelurahan": region.level in selectors.KELURAHAN_LEVELS,
        "can_export": True,
    }
    return render(request, "readiness/region.html", context)


KERAWANAN_LAYER = "kerawanan"


def _kerawanan_column(region: Any, children: list[dict[str, Any]]) -> None:
    """Add `kerawanan` (a TPS's level) or `kerawanan_text` (an area's TPS per level) to each
    row of the region's table: the map's text alternative."""
    if region.level in selectors.KELURAHAN_LEVELS:
        levels = kerawanan.levels_of(c["code"] for c in children)
        for c in children:
            c["kerawanan"] = levels.get(c["code"], "")
        return
    per_child: dict[str, dict[str, int]] = {}
    for code, area_levels in kerawanan.area_counts(region).items():
        for c in children:
            if code.startswith(c["code"]):
                row = per_child.setdefault(c["code"], dict.fromkeys(kerawanan.LEVELS, 0))
                for level, n in area_levels.items():
                    row[level] += n
    for c in children:
        c["kerawanan_text"] = kerawanan_title("", per_child.get(c["code"], {})).lstrip(" ·")


def _local_times(rows: list[dict[str, Any]], key: str) -> None:
    """Add `<key>_local`: the ISO time of a row as a datetime, for the template's date filter."""
    for row in rows:
        row[f"{key}_local"] = parse_datetime(row[key]) if row.get(key) else None


def _form_body(
    request: HttpRequest, items: list[ChecklistItem]
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The form's fields as the API's body; quantities that are not numbers are errors."""
    entries: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    for item in items:
        status = request.POST.get(f"status-{item.code}", "")
        if not status:
            continue
        entry: dict[str, Any] = {"status": status}
        entry["catatan"] = request.POST.get(f"catatan-{item.code}", "")
        raw = request.POST.get(f"jumlah-{item.code}", "").strip()
        if item.needs_quantity and raw:
            if not (raw.isascii() and raw.isdigit()) or len(raw) > 7:
                errors.append(
                    {"field": f"items.{item.code}.jumlah", "message": _("Jumlah harus angka.")}
                )
                continue
            entry["jumlah"] = int(raw)
        entries[item.code] = entry
    return {"items": entries}, errors


def _photos(request: HttpRequest, codes: set[str]) -> dict[str, StoredPhoto]:
    uploads: dict[str, UploadedFile] = {}
    for key in request.FILES:
        upload = request.FILES.get(key)
        if key.removeprefix("foto-") in codes and key.startswith("foto-") and upload is not None:
            uploads[key.removeprefix("foto-")] = upload
    if len(uploads) > MAX_PHOTOS_PER_SAVE:
        raise PhotoError("foto_terlalu_banyak", _("Paling banyak 6 foto sekali simpan."))
    stored = store_photos([f.read(MAX_UPLOAD_BYTES + 1) for f in uploads.values()])
    return dict(zip(uploads, stored, strict=True))


def _save(
    request: HttpRequest, user: User, tps: Any
) -> tuple[HttpResponse | None, list[dict[str, str]]]:
    items = items_in_force()
    body, errors = _form_body(request, items)
    if errors:
        return None, errors
    if not body["items"]:
        return None, [{"field": "", "message": _("Pilih status sedikitnya satu butir.")}]
    try:
        parsed = services.parse_report(body, {i.code: i for i in items})
        photos = _photos(request, set(parsed))
    except services.ReadinessError as exc:
        return None, exc.errors
    except PhotoError as exc:
        return None, [{"field": "foto", "message": str(exc)}]
    entries = {
        code: services.ItemInput(e.status, e.jumlah, e.catatan, photos.get(code))
        for code, e in parsed.items()
    }
    result = services.readiness_report(actor=user, tps=tps, entries=entries, source=Source.WEB)
    if result.changed:
        messages.success(
            request,
            _("Tersimpan: %(n)s butir berubah. TPS %(pct)s%% siap.")
            % {"n": len(result.changed), "pct": number_format(result.percent_ready, 1)},
        )
    else:
        messages.info(request, _("Tidak ada perubahan."))
    for warning in result.warnings:
        messages.warning(request, warning["message"])
    return redirect("readiness_tps", tps.code), []


@signed_in
def tps_page(request: HttpRequest, tps_code: str) -> HttpResponse:
    user = _user(request)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        tps = get_tps_for(user, tps_code, write=True)
        if not services.may_report(user):
            raise PermissionDenied
        response, errors = _save(request, user, tps)
        if response is not None:
            return response
    else:
        tps = get_tps_for(user, tps_code)
    return tps_page_response(request, tps, errors=errors, status=422 if errors else 200)


def tps_page_response(
    request: HttpRequest,
    tps: Any,
    *,
    errors: list[dict[str, str]] | None = None,
    kerawanan_errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The readiness TPS page, with the errors of the form just posted (the checklist's or
    the kerawanan form's, readiness.kerawanan_views)."""
    user = _user(request)
    errors = errors or []
    at = _moment(request)
    detail = selectors.tps_readiness(tps, at=at)
    field_errors = {e["field"]: e["message"] for e in errors}
    for row in detail["items"]:
        prefix = f"items.{row['code']}"
        row["errors"] = [m for f, m in field_errors.items() if f.startswith(prefix)]
        if errors:  # show what was typed, not what is stored
            row["status"] = request.POST.get(f"status-{row['code']}", row["status"])
            row["catatan"] = request.POST.get(f"catatan-{row['code']}", row["catatan"])
    history = selectors.tps_history(tps, limit=60)
    _local_times(detail["items"], "updated_at")
    _local_times(history, "at")
    context = {
        "tps": tps,
        "detail": detail,
        "at": at,
        "errors": [e for e in errors if not e["field"].startswith("items.")],
        "editable": services.may_report(user) and at is None,
        "history": history,
        "crumbs": _crumbs(user, tps.code),
        "statuses": [("siap", _("Siap")), ("belum", _("Belum")), ("bermasalah", _("Bermasalah"))],
        "summary": _summary(errors, detail["items"]),
        "summary_title": _("Kesiapan belum disimpan"),
        **kerawanan_context(request, user, tps, kerawanan_errors or []),
    }
    return render(request, "readiness/tps.html", context, status=status)


def kerawanan_context(
    request: HttpRequest, user: User, tps: Any, errors: list[dict[str, str]]
) -> dict[str, Any]:
    """The TPS's vulnerability level, its history and the form (for those who may set it)."""
    current = kerawanan.level_of(tps)
    posted = request.POST if errors else None
    return {
        "kerawanan": current,
        "kerawanan_label": kerawanan.label(current.tingkat) if current else "",
        "kerawanan_history": kerawanan.history(tps)[:30],
        "kerawanan_levels": Kerawanan.choices,
        "kerawanan_errors": errors,
        "kerawanan_form": {
            "tingkat": posted.get("tingkat", "")
            if posted
            else (current.tingkat if current else ""),
            "alasan": posted.get("alasan", "") if posted else (current.alasan if current else ""),
            "petugas": posted.get("petugas", "")
            if posted
            else (current.petugas if current else ""),
            "nama_petugas": posted.get("nama_petugas", "")
            if posted
            else "\n".join(current.nama_petugas if current else []),
        },
        "can_set_kerawanan": kerawanan.may_set_kerawanan(user),
    }


def _summary(errors: list[dict[str, str]], rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """A refused report's problems, each linked to its item's box (field `items.<code>...`)."""
    labels = {row["code"]: row["label"] for row in rows}
    items = []
    for error in errors:
        parts = error["field"].split(".")
        code = parts[1] if len(parts) > 1 and parts[0] == "items" else ""
        if code in labels:
            items.append(summary_item(error["message"], f"butir-{code}", labels[code]))
        else:
            items.append(summary_item(error["message"]))
    return items


@signed_in
@require_GET
def tps_photo(request: HttpRequest, tps_code: str, sha256: str) -> FileResponse:
    tps = get_tps_for(_user(request), tps_code)
    report = ReadinessReport.objects.filter(tps=tps, photo_sha256=sha256).first()
    if report is None or not report.photo_path:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / report.photo_path
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/jpeg")


@signed_in
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    code = request.GET.get("region") or home_region_code(
        user, settings.DESKPEMILU_INSTALLATION_REGION
    )
    region = get_region_for(user, code)
    file = services.readiness_export(actor=user, region=region, at=_moment(request))
    response = HttpResponse(
        file.content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["X-Audit-Head"] = head_text(file.audit_seq, file.audit_head)
    return response


def _spec(request: HttpRequest, code: str) -> configuration.ItemSpec:
    raw_value = request.POST.get("target_value", "").strip()
    raw_order = request.POST.get("ordering", "100").strip()
    return configuration.ItemSpec(
        code=code,
        label=request.POST.get("label", ""),
        needs_quantity=request.POST.get("needs_quantity") == "on",
        target_rule=request.POST.get("target_rule", TargetRule.NONE),
        target_value=int(raw_value)
        if raw_value.isascii() and raw_value.isdigit() and len(raw_value) < 7
        else None,
        help_text=request.POST.get("help_text", "")[:300],
        ordering=int(raw_order)
        if raw_order.isascii() and raw_order.isdigit() and len(raw_order) < 5
        else 100,
        is_active=request.POST.get("is_active") == "on",
    )


@roles("admin")
def checklist(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        code = request.POST.get("code", "").strip()
        try:
            item, created = configuration.checklist_item_save(
                actor=_user(request), spec=_spec(request, code)
            )
        except services.ReadinessError as exc:
            errors = exc.errors
        else:
            message = _("Butir ditambahkan.") if created else _("Butir diubah.")
            messages.success(request, f"{message} {item.label}")
            return redirect("readiness_checklist")
    context = {
        "items": ChecklistItem.objects.all(),
        "rules": TargetRule.choices,
        "errors": errors,
        "posted": request.POST if errors else None,
    }
    return render(request, "readiness/checklist.html", context, status=422 if errors else 200)
