"""Sheet versions, their photo links and verifications are append-only in the database itself
(results/0003), on SQLite and PostgreSQL: the application never changes them, nor can a slip."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from deskpemilu.results.models import SheetVersion, Verification
from deskpemilu.results.tests.sheets import attach_photo, sheet_for_tps

TPS = "5271011004001"


@pytest.fixture
def verified(api_for, operator, verifier) -> SheetVersion:
    """A sheet entered, photographed and verified through the API."""
    op = api_for(operator)
    response = op.put(
        f"/api/v1/results/ppwp/{TPS}",
        json.dumps(sheet_for_tps(TPS)),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    attach_photo(op, "ppwp", TPS)
    response = api_for(verifier).post(
        f"/api/v1/results/ppwp/{TPS}/verify",
        json.dumps({"version": 1}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return SheetVersion.objects.get(sheet__tps_id=TPS, number=1)


def refused(sql: str, params: list[Any]) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_a_version_cannot_be_updated_or_deleted(verified: SheetVersion) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        SheetVersion.objects.filter(pk=verified.pk).update(suara={"1": 1, "2": 2, "3": 3})
    refused(
        "UPDATE results_sheetversion SET confirmed_inconsistent = %s WHERE id = %s",
        [True, verified.pk],
    )
    refused("DELETE FROM results_sheetversion WHERE id = %s", [verified.pk])
    fresh = SheetVersion.objects.get(pk=verified.pk)
    assert fresh.suara == verified.suara


@pytest.mark.django_db
def test_a_verification_cannot_be_updated_or_deleted(verified: SheetVersion) -> None:
    check = Verification.objects.get(version=verified)
    with pytest.raises(DatabaseError), transaction.atomic():
        Verification.objects.filter(pk=check.pk).update(outcome="selisih")
    refused(
        "UPDATE results_verification SET verifier_id = %s WHERE id = %s",
        [check.version.author_id, check.pk],
    )
    refused("DELETE FROM results_verification WHERE id = %s", [check.pk])
    assert Verification.objects.get(pk=check.pk).outcome == "cocok"


@pytest.mark.django_db
def test_the_photos_a_version_was_stored_with_cannot_be_taken_off(verified: SheetVersion) -> None:
    assert verified.photos.count() == 1
    with pytest.raises(DatabaseError), transaction.atomic():
        verified.photos.clear()
    refused(
        "UPDATE results_sheetversion_photos SET photo_id = 'x' WHERE sheetversion_id = %s",
        [verified.pk],
    )
    assert verified.photos.count() == 1


@pytest.mark.django_db
def test_postgresql_refuses_truncate_too(verified: SheetVersion) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with connection.cursor() as cursor:  # the test's own inserts would hold TRUNCATE back
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    refused("TRUNCATE results_verification", [])


@pytest.mark.django_db
def test_corrections_and_later_photos_still_work(api_for, operator, admin, verified) -> None:
    """Appending is all the desk does: a correction is a new version, a photo a new link."""
    body = {**sheet_for_tps(TPS, seed=2), "alasan_koreksi": "salah ketik"}
    response = api_for(admin).put(
        f"/api/v1/results/ppwp/{TPS}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (200, 201), response.content
    correction = SheetVersion.objects.get(sheet__tps_id=TPS, number=2)
    assert correction.photos.count() == 1  # the form's photo, linked to the new version too
