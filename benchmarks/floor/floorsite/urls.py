"""The floor's two routes: the bare view and the sheet write."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

GENESIS = "0" * 64


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _user(request: HttpRequest) -> int | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not token:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT user_id FROM floor_token WHERE hash = %s", [digest])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _append(cursor: Any, user: int, contest: str, tps: str, body: str) -> int:
    """The sheet's next version and its audit row, the head locked first (one writer order)."""
    sql = "SELECT seq, hash FROM floor_head WHERE id = 1"
    cursor.execute(sql + " FOR UPDATE" if connection.features.has_select_for_update else sql)
    seq, prev = cursor.fetchone()
    cursor.execute(
        "SELECT COALESCE(MAX(number), 0) FROM floor_sheet WHERE tps = %s AND contest = %s",
        [tps, contest],
    )
    number = int(cursor.fetchone()[0]) + 1
    cursor.execute(
        "INSERT INTO floor_sheet (tps, contest, number, body) VALUES (%s, %s, %s, %s)",
        [tps, contest, number, body],
    )
    payload = json.dumps(
        {"actor": user, "sheet": f"{contest}/{tps}", "version": number, "body": body},
        sort_keys=True,
    )
    digest = hashlib.sha256((prev + payload).encode()).hexdigest()
    cursor.execute(
        "INSERT INTO floor_audit (seq, prev, hash, payload) VALUES (%s, %s, %s, %s)",
        [seq + 1, prev, digest, payload],
    )
    cursor.execute("UPDATE floor_head SET seq = %s, hash = %s WHERE id = 1", [seq + 1, digest])
    return number


@csrf_exempt
def sheet(request: HttpRequest, contest: str, tps: str) -> HttpResponse:
    if request.method != "PUT":
        return JsonResponse({"code": "metode"}, status=405)
    user = _user(request)
    if user is None:
        return JsonResponse({"code": "token_tidak_sah"}, status=401)
    try:
        parsed = json.loads(request.body)
    except ValueError:
        return JsonResponse({"code": "json_tidak_sah"}, status=400)
    if not isinstance(parsed, dict) or not isinstance(parsed.get("suara"), dict):
        return JsonResponse({"code": "struktur"}, status=422)
    with transaction.atomic(), connection.cursor() as cursor:
        number = _append(cursor, user, contest, tps, json.dumps(parsed, sort_keys=True))
    return JsonResponse({"tps": tps, "kontes": contest, "versi": number})


urlpatterns = [
    path("healthz", healthz),
    path("api/v1/results/<str:contest>/<str:tps>", sheet),
]
