"""/api/v1/results: CONTRACT.md's sheet endpoints. Thin: parse, check access, call a service."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Status

from deskpemilu.accounts.access import get_region_for, get_tps_for
from deskpemilu.core.errors import ApiError
from deskpemilu.core.photos import MAX_UPLOAD_BYTES, PhotoError, photos_body_doc, store_photos
from deskpemilu.core.rules import api_rule
from deskpemilu.core.text import storable
from deskpemilu.regions.installation import NATION, nation
from deskpemilu.results import (
    counting,
    returns,
    selectors,
    services,
    setup,
    submission,
    verification,
)
from deskpemilu.results.contests import ContestInfo, contest_info, contest_info_fresh
from deskpemilu.results.models import Contest, Sheet, Source
from deskpemilu.results.recap import recap_etag
from deskpemilu.results.schemas import (
    CONTEST_BODY_DOC,
    CONTEST_UPDATE_DESCRIPTION,
    RECAP_DESCRIPTION,
    RESOLVE_BODY_DOC,
    RETURN_BODY_DOC,
    RETURN_DESCRIPTION,
    SHEET_BODY_DOC,
    SHEET_GET_DESCRIPTION,
    SHEET_PUT_DESCRIPTION,
    VERIFY_BODY_DOC,
    ContestOut,
    RecapOut,
    SheetOut,
    SubmitOut,
)
from deskpemilu.tally.codes import Problem

router = Router(tags=["results"])

MAX_PHOTOS = 10


def _contest(code: str, *, fresh: bool = False) -> ContestInfo:
    # Fresh where the verification mode decides something: another process may have changed it.
    info = contest_info_fresh(code) if fresh else contest_info(code)
    if info is None:
        raise Http404
    return info


def _json_body(request: HttpRequest) -> Any:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(413, "terlalu_besar", "Body above 1 MB") from None
    try:
        return json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "bukan_json", "The body is not valid JSON") from None


def _text(request: HttpRequest, value: str, field: str) -> str:
    """A free text of the body as given, refused when no database can store it: a NUL, which
    PostgreSQL refuses (once a 500 there), or a lone surrogate from a JSON "\\ud800" escape."""
    if not storable(value):
        raise services.ResultError(422, [Problem("bukan_teks", field)])
    return value


def _if_match(request: HttpRequest) -> int | None:
    value = request.headers.get("If-Match", "").strip()
    if not value:
        return None
    value = value.removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise ApiError(
            422, "if_match_tidak_valid", "If-Match must be a version number", field="If-Match"
        )
    return int(value)


@router.put(
    "/results/{contest}/{tps_code}",
    response={200: SubmitOut, 201: SubmitOut},
    summary="Store a new version of a C.Hasil sheet",
    description=SHEET_PUT_DESCRIPTION,
    openapi_extra=SHEET_BODY_DOC,
)
@api_rule("scoped:operator,admin")
def sheet_put(request: HttpRequest, contest: str, tps_code: str) -> Status[Any]:
    info = _contest(contest)
    tps = get_tps_for(request.user, tps_code, write=True, election=info.election)  # type: ignore[arg-type]
    body = _json_body(request)
    reason = ""
    if isinstance(body, dict) and "alasan_koreksi" in body:
        reason = _text(request, str(body.pop("alasan_koreksi") or "")[:501], "alasan_koreksi")
    result = submission.sheet_submit(
        actor=request.user,  # type: ignore[arg-type]
        tps=tps,
        contest=info,
        body=body,
        source=Source.API,
        idempotency_key=request.headers.get("Idempotency-Key", "").strip(),
        if_match=_if_match(request),
        reason=reason,
    )
    body_out = {"version": result.version, "status": result.status, "flags": result.flags}
    return Status(201 if result.created else 200, body_out)


def _sheet(request: HttpRequest, contest: str, tps_code: str) -> tuple[ContestInfo, Sheet]:
    info = _contest(contest, fresh=True)
    tps = get_tps_for(request.user, tps_code, election=info.election)  # type: ignore[arg-type]
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None:
        raise Http404
    return info, sheet


@router.get(
    "/results/{contest}/{tps_code}",
    response=SheetOut,
    summary="The current version of a sheet, its status, flags and history",
    description=SHEET_GET_DESCRIPTION,
)
@api_rule("scoped")
def sheet_get(request: HttpRequest, contest: str, tps_code: str) -> dict[str, Any]:
    info, sheet = _sheet(request, contest, tps_code)
    visible = counting.sheet_numbers_visible(request.user, info, sheet)  # type: ignore[arg-type]
    return selectors.sheet_detail(sheet, info, hide_numbers=not visible)


@router.post(
    "/results/{contest}/{tps_code}/verify",
    response={200: SubmitOut},
    summary="Verify the current version (a second person: photo check or blind re-entry)",
    openapi_extra=VERIFY_BODY_DOC,
)
@api_rule("scoped:verifier,admin")
def sheet_verify(request: HttpRequest, contest: str, tps_code: str) -> dict[str, Any]:
    info, sheet = _sheet(request, contest, tps_code)
    body = _json_body(request)
    if not isinstance(body, dict) or "version" not in body:
        raise services.ResultError(422, [Problem("kunci_wajib", "version")])
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise services.ResultError(422, [Problem("bukan_bilangan_bulat", "version")])
    blind = body.get("sheet")
    if blind is None and "administrasi" in body:
        blind = {k: v for k, v in body.items() if k not in ("version", "catatan_verifikasi")}
    result = verification.sheet_verify(
        actor=request.user,  # type: ignore[arg-type]
        sheet=sheet,
        contest=info,
        version_number=version,
        blind_entry=blind,
        note=_text(request, str(body.get("catatan_verifikasi", ""))[:500], "catatan_verifikasi"),
    )
    return {"version": result.version, "status": result.status, "flags": []}


@router.post(
    "/results/{contest}/{tps_code}/return",
    response={200: SubmitOut},
    summary="Send a version back to its operator, with a reason (a verifier or the desk)",
    description=RETURN_DESCRIPTION,
    openapi_extra=RETURN_BODY_DOC,
)
@api_rule("scoped:verifier,admin")
def sheet_return(request: HttpRequest, contest: str, tps_code: str) -> dict[str, Any]:
    info, sheet = _sheet(request, contest, tps_code)
    body = _json_body(request)
    if not isinstance(body, dict):
        raise services.ResultError(422, [Problem("bukan_objek", "")])
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise services.ResultError(422, [Problem("bukan_bilangan_bulat", "version")])
    reason = body.get("reason", "")
    if not isinstance(reason, str):
        raise services.ResultError(422, [Problem("bukan_teks", "reason")])
    result = returns.sheet_return(
        actor=request.user,  # type: ignore[arg-type]
        sheet=sheet,
        contest=info,
        version_number=version,
        reason=_text(request, reason[:501], "reason"),
    )
    return {"version": result.version, "status": result.status, "flags": []}


@router.get(
    "/contests",
    response=list[ContestOut],
    summary="The contests (ballots) of the installation and how each is verified",
)
@api_rule("signed_in")
def contest_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": c.code, "name": c.name, "verification_mode": c.verification_mode}
        for c in Contest.objects.filter(is_active=True).order_by("order", "code")
    ]


@router.put(
    "/contests/{contest}",
    response=ContestOut,
    summary="Set how a contest is verified: 'photo' or 'blind' (admin, audited)",
    description=CONTEST_UPDATE_DESCRIPTION,
    openapi_extra=CONTEST_BODY_DOC,
)
@api_rule("roles:admin")
def contest_update(request: HttpRequest, contest: str) -> dict[str, Any]:
    if not storable(contest):
        raise Http404
    body = _json_body(request)
    if not isinstance(body, dict):
        raise services.ResultError(422, [Problem("bukan_objek", "")])
    mode, reason = body.get("verification_mode"), body.get("alasan", "")
    if not isinstance(mode, str):
        raise ApiError(422, "mode_tidak_dikenal", "photo or blind", field="verification_mode")
    if not isinstance(reason, str):
        raise services.ResultError(422, [Problem("bukan_teks", "alasan")])
    if not Contest.objects.filter(code=contest, is_active=True).exists():
        raise Http404
    try:
        change = setup.contest_set_verification_mode(
            actor=request.user,  # type: ignore[arg-type]
            contest_code=contest,
            mode=mode,
            reason=_text(request, reason, "alasan"),
        )
    except ValidationError as exc:
        code = "mode_tidak_dikenal" if exc.code == "mode" else "alasan_terlalu_panjang"
        field = "verification_mode" if exc.code == "mode" else "alasan"
        raise ApiError(422, code, " ".join(exc.messages), field=field) from None
    c = change.contest
    return {"code": c.code, "name": c.name, "verification_mode": c.verification_mode}


@router.post(
    "/results/{contest}/{tps_code}/photos",
    response={201: dict[str, list[str]]},
    summary="Attach photos of the form pages to the current version (multipart, field 'foto')",
    openapi_extra=photos_body_doc(MAX_PHOTOS),
)
@api_rule("scoped:operator,admin")
def sheet_photos(request: HttpRequest, contest: str, tps_code: str) -> Status[Any]:
    info = _contest(contest)
    # The role was refused by api_rule before this runs, and before the files are read.
    tps = get_tps_for(request.user, tps_code, write=True, election=info.election)  # type: ignore[arg-type]
    sheet = selectors.sheet_for(tps, info.code)
    if sheet is None:
        raise Http404
    # Files are read after the access checks, so an outsider learns nothing from a 422.
    foto = request.FILES.getlist("foto")
    if not foto:
        raise ApiError(422, "kunci_wajib", "Attach at least one photo as 'foto'", field="foto")
    if len(foto) > MAX_PHOTOS:
        raise ApiError(422, "foto_terlalu_banyak", "At most 10 photos", field="foto")
    try:
        # Read one byte past the cap: an oversized file is recognised, never read whole.
        stored = store_photos([upload.read(MAX_UPLOAD_BYTES + 1) for upload in foto])
    except PhotoError as exc:
        raise services.ResultError(exc.status, [Problem(exc.code, "foto")]) from None
    submission.photos_add(actor=request.user, sheet=sheet, photos=stored)  # type: ignore[arg-type]
    return Status(201, {"sha256": [p.sha256 for p in stored]})


@router.post(
    "/results/{contest}/{tps_code}/resolve",
    response={200: SubmitOut},
    summary="A supervisor settles a blind mismatch: accept the first or the second entry",
    openapi_extra=RESOLVE_BODY_DOC,
)
@api_rule("roles:admin")
def sheet_resolve(request: HttpRequest, contest: str, tps_code: str) -> dict[str, Any]:
    info, sheet = _sheet(request, contest, tps_code)
    body = _json_body(request)
    if not isinstance(body, dict):
        raise services.ResultError(422, [Problem("bukan_objek", "")])
    result = verification.mismatch_resolve(
        actor=request.user,  # type: ignore[arg-type]
        sheet=sheet,
        contest=info,
        accept=str(body.get("accept", "")),
        note=_text(request, str(body.get("note", ""))[:500], "note"),
    )
    return {"version": result.version, "status": result.status, "flags": []}


@router.get(
    "/recap/{contest}/{region_code}",
    response=RecapOut,
    summary="The recap of a region: totals, TPS reported and verified, and its children",
    description=RECAP_DESCRIPTION,
)
@api_rule("scoped")
def recap(
    request: HttpRequest,
    contest: str,
    region_code: str,
    response: HttpResponse,
    verified_only: bool = False,
) -> Any:
    info = _contest(contest, fresh=True)  # the mode decides what this caller may read
    if region_code == NATION:
        # The whole installation: for accounts that see all of it (the one empty-scope rule).
        if not request.user.sees_all_areas:  # type: ignore[union-attr]
            raise Http404
        region = nation()
    else:
        region = get_region_for(request.user, region_code)  # type: ignore[arg-type]
    # Who reads which figures is the one rule of results.selectors (verified only for a blind
    # re-entrant of this contest).
    data = selectors.recap_for(
        request.user,  # type: ignore[arg-type]
        region,
        info,
        verified_only=verified_only,
        fresh=True,  # read fresh above
    )
    etag = recap_etag(data)
    if request.headers.get("If-None-Match") == etag:
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        return not_modified
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return data
